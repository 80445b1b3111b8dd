"""`gecc-queue simulate`: the days before today filled with realistic traffic, for demos,
reports and benchmarks.

Two parts:

- The traffic model (`TrafficModel` and the plain functions under it): how many people come
  on a day, at what time, for which service, with which priority and channel, how long their
  service takes, whether they vanish, give up, are transferred, and how they rate. Pure
  functions of a `random.Random`, testable on their own.
- The simulator (`Simulator`): a discrete-event loop over each office day, with a simulated
  clock, that drives an office (simulation_office.py) through the steps of the day: issue,
  check in, call next, recall, start, finish, no-show, transfer, cancel, rate, open and close
  counters. By default (`MemoryOffice`) the day's state is kept in memory and every step runs
  the domain's own rules (`Ticket.issue`/`call`/..., the `CallingPolicy` choosing among the
  queue heads, `Booking`, `Rating.give`, `Alert.low_rating`, an `OfficeEvent` per counter
  opened or closed) as the use case would; the day is then written with one bulk INSERT per
  table in one transaction (~1,500-2,000 tickets per CPU second: a year in under two
  minutes). With `exact=True` (`--exact`, `UseCaseOffice`) every step is the real use case
  (`Tickets`, `Bookings`, `Ratings`, `OfficeSettings`), one round trip each (~150 tickets per
  CPU second). Both write the same rows from the same seed (tests/test_simulation.py).

Determinism: everything random is drawn from one `random.Random(seed)` in event order, and
the event order itself is decided by simulated times only, so the same seed gives the same
tickets, numbers, times, statuses and scores. (Ticket tokens and booking codes come from
`secrets` in the domain; they differ, and nothing depends on them.)
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import secrets
import time as wallclock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable

from .domain.errors import DomainError, QueueEmpty
from .domain.model import Actor, Channel, Priority, Role
from .simulation_office import MemoryOffice, UseCaseOffice

# --- the traffic model --------------------------------------------------------------------

# Relative arrival rate per local half hour (start "HH:MM" -> weight) of a weekday: people at
# the door before opening, the morning peak, the lunch dip, a second smaller peak, the tail.
WEEKDAY_PROFILE = (
    ("08:00", 1.3), ("08:30", 1.6), ("09:00", 1.9), ("09:30", 2.0), ("10:00", 1.9),
    ("10:30", 1.7), ("11:00", 1.4), ("11:30", 1.1), ("12:00", 0.6), ("12:30", 0.7),
    ("13:00", 1.3), ("13:30", 1.4), ("14:00", 1.2), ("14:30", 1.0), ("15:00", 0.8),
    ("15:30", 0.5), ("16:00", 0.25),
)
SATURDAY_PROFILE = (("09:00", 1.2), ("09:30", 1.4), ("10:00", 1.3), ("10:30", 1.1),
                    ("11:00", 0.8), ("11:30", 0.4))


@dataclass(frozen=True)
class DayPlan:
    """What kind of office day a date is in the simulation."""

    kind: str                 # "weekday" or "saturday"
    opens: time               # counters open (staggered just before)
    closes: time              # no new tickets from here; counters serve who waits, then close
    lunch: tuple[time, time] | None
    profile: tuple            # half-hour weights, as WEEKDAY_PROFILE
    volume: float             # share of an average weekday's tickets


@dataclass(frozen=True)
class TrafficModel:
    """The shape of a busy district office's traffic; all the knobs in one place."""

    tickets_per_weekday: float = 520.0   # on an average weekday, before the weekday factor
    weekday_factors: tuple = (1.2, 1.0, 1.0, 0.95, 0.85)  # Monday busiest, Friday lighter
    saturday_volume: float = 0.15        # of a weekday, on the Saturdays the office opens
    # service code -> share of visits (codes the office lacks are skipped, the rest rescaled)
    service_mix: tuple = (("A", 0.35), ("B", 0.25), ("C", 0.05), ("D", 0.20), ("E", 0.15))
    # Service time: lognormal, median = factor x the service's standard minutes (the citizen
    # manual's standard is a ceiling most visits stay under), spread `service_sigma`.
    service_factor: float = 0.8
    service_sigma: float = 0.45
    priority_share: float = 0.08
    priority_mix: tuple = ((Priority.ELDERLY, 0.62), (Priority.DISABLED, 0.14),
                           (Priority.PREGNANT, 0.12), (Priority.MONK, 0.12))
    reception_share: float = 0.10        # tickets issued at the first-reception desk
    online_share_first: float = 0.05     # bookings checked in, on the first day simulated...
    online_share_last: float = 0.15      # ...growing to this on the last
    booking_show_share: float = 0.92     # of bookings, those whose holder comes and checks in
    transfer_share: float = 0.03         # sent on to another service at the end of a visit
    gone_share: float = 0.03             # called twice, never there: no-show (requeued once)
    late_share: float = 0.01             # missed the first call, there for the second
    cancel_share: float = 0.012          # give up while waiting (some get called first)
    tablet_rating_share: float = 0.24    # of served visits, rated on the counter's tablet
    phone_rating_share: float = 0.11     # ...and from the ticket's QR code on the phone
    score_weights: tuple = ((5, 0.56), (4, 0.29), (3, 0.10), (2, 0.03), (1, 0.02))
    comment_share: float = 0.12          # of ratings, those with a comment
    lunch_cover_share: float = 0.5       # of counters, those that stay open at lunch
    # The staffing the simulator makes sure of: enough for most waits within target at the
    # morning peak (1 in 38 left the mean wait near 48 minutes).
    counters_per_weekday_ticket: float = 1 / 30
    complaints_per_100_visits: float = 0.4  # a few a day (the complaint register)

    def day_plan(self, day: date) -> DayPlan | None:
        """The office's plan for `day`, or None when it is closed. Saturday mornings open on
        even ISO weeks (GECC physical item 1: service beyond office hours)."""
        weekday = day.weekday()
        if weekday < 5:
            return DayPlan("weekday", time(8, 30), time(16, 30), (time(12), time(13)),
                           WEEKDAY_PROFILE, self.weekday_factors[weekday])
        if weekday == 5 and day.isocalendar()[1] % 2 == 0:
            return DayPlan("saturday", time(9), time(12), None, SATURDAY_PROFILE,
                           self.saturday_volume)
        return None

    def expected_tickets(self, plan: DayPlan, scale: float = 1.0) -> float:
        return self.tickets_per_weekday * plan.volume * scale

    def online_share(self, progress: float) -> float:
        """Share of the day's visits that come with a booking; `progress` 0 (first day) to 1."""
        progress = min(1.0, max(0.0, progress))
        return self.online_share_first + (self.online_share_last - self.online_share_first) * progress

    def counters_needed(self, scale: float = 1.0) -> int:
        return max(1, math.ceil(self.tickets_per_weekday * scale * self.counters_per_weekday_ticket))


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (exact for small means, the normal approximation for large ones)."""
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def arrival_minutes(profile: tuple, count: int, rng: random.Random) -> list[float]:
    """`count` arrival times (minutes after local midnight, sorted) spread by the half-hour
    profile: a half hour is drawn by its weight, the minute within it uniformly."""
    starts = [_minutes(start) for start, _ in profile]
    weights = list(itertools.accumulate(w for _, w in profile))
    total = weights[-1]
    out = []
    for _ in range(count):
        i = _bisect(weights, rng.random() * total)
        out.append(starts[i] + rng.random() * 30)
    return sorted(out)


def _bisect(cumulative: list[float], x: float) -> int:
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


def hourly_rate(profile: tuple, expected: float, hour: int) -> float:
    """Expected arrivals in the local hour `hour` (what `arrival_minutes` draws from)."""
    total = sum(w for _, w in profile)
    return expected * sum(w for start, w in profile if _minutes(start) // 60 == hour) / total


def choose(rng: random.Random, weighted) -> object:
    """One item of ((item, weight), ...) by weight."""
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for item, weight in weighted:
        x -= weight
        if x < 0:
            return item
    return weighted[-1][0]


def service_minutes(model: TrafficModel, standard_minutes: float, rng: random.Random) -> float:
    """A service time around the service's standard (lognormal), kept within sane bounds."""
    median = max(0.5, model.service_factor * standard_minutes)
    drawn = rng.lognormvariate(math.log(median), model.service_sigma)
    return min(max(drawn, 0.5), 4 * max(standard_minutes, 1))


def draw_score(model: TrafficModel, rng: random.Random, waited_minutes: float,
               target_minutes: float) -> int:
    """A score 1-5: mostly 4-5; a wait far beyond the target makes a low score likelier."""
    score = choose(rng, model.score_weights)
    if target_minutes and waited_minutes > 2 * target_minutes and score > 1 and rng.random() < 0.3:
        score -= 1
    return score


COMMENTS = {
    5: ["บริการรวดเร็ว เจ้าหน้าที่สุภาพมากครับ", "ประทับใจค่ะ ขอบคุณมาก", "รวดเร็ว ไม่ต้องรอนาน",
        "เจ้าหน้าที่ให้คำแนะนำชัดเจนดีมาก"],
    4: ["โดยรวมดีครับ", "บริการดี แต่ที่จอดรถไม่พอ", "ดีค่ะ อยากให้มีที่นั่งรอมากกว่านี้"],
    3: ["รอนานไปหน่อย", "พอใช้ได้ครับ", "ควรมีป้ายบอกทางให้ชัดเจนกว่านี้"],
    2: ["รอนานมาก ช่องบริการเปิดน้อย", "เอกสารต้องเตรียมหลายอย่าง ไม่มีใครบอกล่วงหน้า"],
    1: ["รอเกือบสองชั่วโมง ไม่พอใจอย่างมาก", "เจ้าหน้าที่พูดจาไม่สุภาพ"],
}
TRIAGE_NOTES = ["ตรวจเอกสารแล้ว ครบถ้วน", "ให้คำแนะนำการกรอกแบบฟอร์มแล้ว",
                "ขาดสำเนาทะเบียนบ้าน แนะนำให้ถ่ายเอกสารที่จุดบริการ", "ผู้สูงอายุ ช่วยพาไปที่ช่อง",
                "สอบถามขั้นตอนแล้ว ส่งต่อช่องบริการ"]
# Where a visit is sent on (transfer): service code -> codes it may go to.
TRANSFERS = {"A": ("B", "E"), "B": ("E", "A"), "C": ("D",), "D": ("A", "B", "E"), "E": ("B",)}
# Complaints (the complaint register; TrafficModel.complaints_per_100_visits a day): how they
# come, what about, and where they are forwarded (Simulator._plan_complaints).
COMPLAINT_CHANNELS = (("online", 0.55), ("walk_in", 0.33), ("phone", 0.12))
COMPLAINT_TEXTS = {
    "hardship": ["น้ำประปาไม่ไหลมาสามวันแล้ว ชาวบ้านเดือดร้อนมาก",
                 "ถนนเข้าหมู่บ้านเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย",
                 "เสียงดังจากโรงงานข้างบ้านตลอดคืน นอนไม่ได้"],
    "official_conduct": ["เจ้าหน้าที่พูดจาไม่สุภาพและไม่ให้คำแนะนำ",
                         "รอเอกสารนานเกินกว่าที่แจ้งไว้ ไม่มีใครอธิบายเหตุผล"],
    "dispute": ["ข้อพิพาทแนวเขตที่ดินกับเพื่อนบ้าน ขอให้ช่วยไกล่เกลี่ย",
                "เพื่อนบ้านต่อเติมอาคารรุกล้ำทางสาธารณะ"],
    "help": ["ขอความช่วยเหลือค่ารักษาพยาบาลผู้ป่วยติดเตียง",
             "ขอรับการช่วยเหลือผู้สูงอายุที่อยู่ลำพัง", "บ้านถูกน้ำท่วม ขอถุงยังชีพ"],
    "tip": ["แจ้งเบาะแสการลักลอบทิ้งขยะริมคลองตอนกลางคืน",
            "แจ้งเบาะแสบ่อนการพนันในหมู่บ้าน"],
    "other": ["สอบถามความคืบหน้าโครงการซ่อมสะพาน", "ขอให้ติดตั้งไฟส่องสว่างในซอย"],
}
COMPLAINT_CATEGORIES = (("hardship", 0.3), ("official_conduct", 0.1), ("dispute", 0.15),
                        ("help", 0.25), ("tip", 0.05), ("other", 0.15))
COMPLAINT_AGENCIES = ("องค์การบริหารส่วนตำบล", "การประปาส่วนภูมิภาค", "สำนักงานที่ดินจังหวัด",
                      "สถานีตำรวจภูธร", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด")


@dataclass
class PlannedVisit:
    """One citizen's visit as the model decides it before it happens."""

    arrive: datetime          # UTC
    service_code: str
    priority: Priority
    channel: Channel
    gone: bool = False        # never there when called: no-show after the requeue
    late: bool = False        # misses the first call only
    cancel_after: float | None = None   # minutes of waiting after which they give up
    transfer_to: str | None = None
    booking_code: str | None = None
    # Filled as it happens
    ticket_id: int | None = None
    token: str | None = None
    service_id: int | None = None
    calls: int = 0
    status: str = "planned"
    issued_at: datetime | None = None
    called_at: datetime | None = None


def plan_visit(model: TrafficModel, rng: random.Random, arrive: datetime, mix: tuple,
               channel: Channel | None = None, service_code: str | None = None) -> PlannedVisit:
    """Draw a visit's service, priority, channel and fate."""
    code = service_code or choose(rng, mix)
    priority = Priority.NORMAL
    if rng.random() < model.priority_share:
        priority = choose(rng, model.priority_mix)
    if channel is None:
        channel = Channel.RECEPTION if rng.random() < model.reception_share else Channel.KIOSK
    fate = rng.random()
    visit = PlannedVisit(arrive, code, priority, channel)
    if fate < model.gone_share:
        visit.gone = True
    elif fate < model.gone_share + model.late_share:
        visit.late = True
    elif fate < model.gone_share + model.late_share + model.cancel_share:
        visit.cancel_after = rng.uniform(3, 40)
    elif fate < model.gone_share + model.late_share + model.cancel_share + model.transfer_share:
        targets = [c for c in TRANSFERS.get(code, ()) if c in dict(mix)]
        visit.transfer_to = rng.choice(targets) if targets else None
    return visit


def counters_to_add(model: TrafficModel, services: dict[str, float], have: int,
                    scale: float = 1.0) -> list[list[str]]:
    """The service codes of each counter to add so the office has enough for the traffic:
    counters go where the load (share x standard minutes) is least covered."""
    need = model.counters_needed(scale)
    if have >= need:
        return []
    mix = dict(model.service_mix)
    load = {c: mix.get(c, 0) * minutes for c, minutes in services.items() if mix.get(c, 0)}
    total = sum(load.values()) or 1
    target = {c: need * load[c] / total for c in load}
    covered = {c: have * load[c] / total for c in load}
    plan = []
    for _ in range(need - have):
        main = max(sorted(target), key=lambda c: target[c] - covered[c])
        second = [c for c in TRANSFERS.get(main, ()) if c in load][:1]
        covered[main] += 1
        plan.append([main, *second])
    return plan


# --- the simulator ------------------------------------------------------------------------

class SimClock:
    """The use cases' clock, moved by the event loop."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class NullNotifier:
    """Live messages of the past have no one to go to."""

    def publish(self, event: str, payload: dict, room: str) -> None:
        pass


def batch_unit_of_work(services):
    """A writing unit of work whose use cases share one transaction: each runs in a SAVEPOINT
    of its own (its `commit` releases it, a failure rolls back only it), and `commit_batch()`
    commits them all. For the simulator, the only writer of the days it fills: a day's
    thousands of use cases become one commit and one session whose identity map keeps what
    they loaded. Returns (factory, commit_batch)."""
    from .adapters.unit_of_work import SqlAlchemyUnitOfWork

    writer = services.context.uow().session_factory
    state: dict = {"session": None}

    class BatchUnitOfWork(SqlAlchemyUnitOfWork):
        def _begin(self) -> None:
            if state["session"] is None:
                state["session"] = writer()
            self.session = state["session"]
            self.savepoint = self.session.begin_nested()
            self._attach_repositories()

        def _commit(self) -> None:
            self.session.flush()
            self.savepoint.commit()

        def _end(self) -> None:
            if self.savepoint.is_active:
                self.savepoint.rollback()

    def factory():
        return BatchUnitOfWork(writer, services.notifier)

    def commit_batch() -> None:
        session, state["session"] = state["session"], None
        if session is not None:
            try:
                session.commit()
            finally:
                session.close()

    return factory, commit_batch


class AlreadySimulated(DomainError, code="already_simulated", status=409):
    """The days asked for hold tickets already."""


@dataclass
class Summary:
    days: int = 0
    office_days: int = 0
    tickets: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    transfers: int = 0
    ratings: int = 0
    complaints: int = 0
    bookings: int = 0
    checked_in: int = 0
    counters_added: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of this process: what the rate would be on an idle machine
    first: date | None = None
    last: date | None = None

    def line(self) -> str:
        rate = self.tickets / self.seconds if self.seconds else 0
        return (f"{self.days} days ({self.office_days} office days"
                f"{', ' + self.first.isoformat() + '..' + self.last.isoformat() if self.first else ''}): "
                f"{self.tickets} tickets, {self.served} served, {self.no_show} no-show, "
                f"{self.cancelled} cancelled, {self.transfers} transfers, {self.ratings} ratings, "
                f"{self.bookings} bookings ({self.checked_in} checked in), "
                f"{self.complaints} complaints; "
                f"{self.seconds:.1f} s ({rate:.0f} tickets/s; {self.cpu_seconds:.1f} s of CPU, "
                f"{self.tickets / self.cpu_seconds if self.cpu_seconds else 0:.0f} tickets per "
                "CPU second)")


@dataclass(frozen=True)
class _Service:
    id: int
    code: str
    standard_minutes: float
    target_wait_minutes: float
    active: bool


@dataclass
class _Counter:
    id: int
    number: int
    codes: list[str]
    clerk: Actor
    is_open: bool = False
    busy: bool = False        # a ticket is at the counter or the clerk is about to call
    lunch_pending: bool = False  # closes for lunch as soon as it is free
    lunch_off: bool = False   # closes for lunch (the others are the lunch cover)
    visit: PlannedVisit | None = None


class Simulator:
    """Drives the use cases over simulated office days. `services` must be built on `clock`
    (`build_services(config, NullNotifier(), clock=clock)`)."""

    def __init__(self, services, clock: SimClock, seed: int = 1, scale: float = 1.0,
                 model: TrafficModel | None = None, progress: Callable[[str], None] | None = None,
                 batch: bool = True, exact: bool = False):
        self.services = services
        self.clock = clock
        self.rng = random.Random(seed)
        # Complaints draw from their own generator: the tickets of a seed stay as they were.
        self.complaint_rng = random.Random(seed * 7919 + 13)
        self.complaint_steps: list = []   # (UTC time, seq, action, arg), across days
        self._complaint_seq = itertools.count()
        self.scale = scale
        self.model = model or TrafficModel()
        self.progress = progress or (lambda line: None)
        self.summary = Summary()
        self._visits: dict[int, PlannedVisit] = {}
        # The simulator is the only writer of these days: the catalog's copies of offices,
        # services and counters stay right (its own changes drop them at once), so they need
        # not expire every few simulated seconds.
        services.context.catalog.reference.seconds = 24 * 3600
        # exact: every step through the use cases (simulation_office.UseCaseOffice, slow);
        # else the office's day in memory through the same domain rules, written in bulk
        # (MemoryOffice), made in run() once the counters are set up.
        self.exact = exact
        self.backend = None
        self._commit_batch = lambda: None
        if batch and exact:
            self._plain_uow = services.context.uow
            services.context.uow, self._commit_batch = batch_unit_of_work(services)

    # --- the whole run -------------------------------------------------------------------

    def days_before(self, today: date, days: int) -> list[date]:
        return [today - timedelta(days=n) for n in range(days, 0, -1)]

    def check_empty(self, first: date, last: date) -> None:
        """Refuse days that hold tickets already (a second run on the same days)."""
        with self.services.context.read_uow() as uow:
            office = self.services.context.views(uow).office()
            taken = sorted({t.service_day for t in uow.tickets.tickets_of_days(office.id, first, last)})
        if taken:
            raise AlreadySimulated(
                f"The database has tickets on {len(taken)} of the days asked for "
                f"({taken[0].isoformat()}..{taken[-1].isoformat()}); simulate fills only days "
                "without tickets. Use a fresh database, or fewer --days.")

    def run(self, days: list[date]) -> Summary:
        started, cpu = wallclock.perf_counter(), wallclock.process_time()
        if not days:
            return self.summary
        self._load_office()
        self.check_empty(days[0], days[-1])
        self.summary.first, self.summary.last = days[0], days[-1]
        self.clock.now = self._at(days[0], time(7, 0))
        self._ensure_staff()
        if self.exact:
            self.backend = UseCaseOffice(self.services, self._commit_batch)
        else:
            self.backend = MemoryOffice(self.services, self.clock)
        was_open = {c.id for c in self.counters if c.is_open}
        week: Summary | None = None
        for i, day in enumerate(days):
            progress = i / (len(days) - 1) if len(days) > 1 else 1.0
            try:
                self._day(day, progress)
            except BaseException:
                if self.exact:
                    self._commit_batch()  # what was done of the day (the use cases' own)
                raise
            self.backend.end_day()  # a day is one transaction
            self._work_complaints(day)  # after the day is written: filings link its tickets
            self.summary.days += 1
            if day.weekday() == 6 or i == len(days) - 1:
                self.progress(
                    f"  week to {day.isoformat()}: {self.summary.tickets - (week.tickets if week else 0)} tickets, "
                    f"{self.summary.served - (week.served if week else 0)} served, "
                    f"{self.summary.ratings - (week.ratings if week else 0)} ratings "
                    f"({wallclock.perf_counter() - started:.1f} s so far)")
                week = Summary(tickets=self.summary.tickets, served=self.summary.served,
                               ratings=self.summary.ratings)
        # The counters open before the run are open again after it, as the live demo expects:
        # reopened at the end of the last simulated day, so today is left untouched.
        self.clock.now = self._at(days[-1], time(23, 59))
        for counter in self.counters:
            if counter.id in was_open and not counter.is_open:
                self._set_open(counter, True)
        self.backend.end_day()
        self.summary.seconds = wallclock.perf_counter() - started
        self.summary.cpu_seconds = wallclock.process_time() - cpu
        return self.summary

    # --- setting up ----------------------------------------------------------------------

    def _load_office(self) -> None:
        context = self.services.context
        with context.read_uow() as uow:
            office = context.views(uow).office()
            self.office_id = office.id
            self.zone = office.zone
            services = [_Service(s.id, s.code, s.standard_minutes, s.target_wait_minutes, s.active)
                        for s in uow.offices.services(office.id)]
            self.by_code = {s.code: s for s in services}
            self.by_id = {s.id: s for s in services}
            counters = uow.offices.counters(office.id)
            users = {u.username: u.id for u in uow.users.users_of_office(office.id)}
            self.counters = [
                _Counter(c.id, c.number, [self.by_id[l.service_id].code for l in
                                          sorted(c.service_links, key=lambda l: l.rank)],
                         Actor("system"), is_open=c.is_open)
                for c in sorted(counters, key=lambda c: c.number)]
        self.users = users
        mix = dict(self.model.service_mix)
        self.mix = tuple((code, mix[code]) for code in self.by_code if mix.get(code, 0) > 0 and
                         self.by_code[code].active)
        if not self.mix:
            raise DomainError("The office has none of the services the traffic model knows "
                              f"({', '.join(mix)}).")

    def _ensure_staff(self) -> None:
        """Enough counters for the traffic (added through the use case), and a clerk of its
        own at each counter (staff1.. of the demo; more are created, with random passwords)."""
        standard = {code: s.standard_minutes for code, s in self.by_code.items()}
        plan = counters_to_add(self.model, standard, len(self.counters), self.scale)
        for codes in plan:
            view = self.services.office_settings.add_counter(
                [self.by_code[c].id for c in codes], Actor.system(), office_id=self.office_id)
            self.counters.append(_Counter(view["id"], view["number"], codes, Actor("system")))
        self.summary.counters_added = len(plan)
        self._commit_batch()  # accounts write in a unit of work of their own
        accounts = self.services.accounts
        for counter in self.counters:
            name = f"staff{counter.number}"
            user_id = self.users.get(name)
            if user_id is None:
                user_id = accounts.create_user(self.office_id, name, secrets.token_urlsafe(16),
                                               Role.STAFF, f"เจ้าหน้าที่ {counter.number}").id
            counter.clerk = Actor.user(user_id)
        reception = self.users.get("reception")
        self.reception = Actor.user(reception) if reception else Actor("system")
        # Lunch cover: every service keeps a counter at lunch; of the rest, some stay open.
        # The same cover (a counter for every service) opens on Saturday mornings.
        covered: set[str] = set()
        keep = []
        for counter in self.counters:
            if not set(counter.codes) <= covered:
                covered |= set(counter.codes)
                keep.append(counter)
        self.saturday_counters = {c.id for c in keep}
        extra = [c for c in self.counters if c not in keep]
        stay = round(len(self.counters) * self.model.lunch_cover_share) - len(keep)
        keep += extra[:max(0, stay)]
        for counter in self.counters:
            counter.lunch_off = counter not in keep

    def _at(self, day: date, local: time) -> datetime:
        return datetime.combine(day, local, tzinfo=self.zone).astimezone(timezone.utc)

    # --- one day ---------------------------------------------------------------------------

    def _day(self, day: date, progress: float) -> None:
        plan = self.model.day_plan(day)
        if plan is None:
            return
        self.summary.office_days += 1
        rng, model = self.rng, self.model
        self.events: list = []
        self.seq = itertools.count()
        self._visits = {}  # a day's visits end with it (phone ratings come by 22:00)
        self.waiting: dict[str, int] = {code: 0 for code in self.by_code}
        self.plan = plan
        self.day = day
        self.closing_time = self._at(day, plan.closes)

        counters = [c for c in self.counters
                    if plan.kind == "weekday" or c.id in self.saturday_counters]
        for counter in counters:
            opens = self._at(day, plan.opens) - timedelta(minutes=rng.uniform(0, 15))
            self._push(opens, self._open, counter)
            self._push(self.closing_time, self._closing, counter)
            if plan.lunch and counter.lunch_off:
                self._push(self._at(day, plan.lunch[0]) + timedelta(minutes=rng.uniform(0, 5)),
                           self._lunch, counter)
                self._push(self._at(day, plan.lunch[1]) + timedelta(minutes=rng.uniform(-3, 5)),
                           self._open, counter)
        self.day_counters = counters

        expected = model.expected_tickets(plan, self.scale)
        count = poisson(rng, expected)
        online = round(count * model.online_share(progress)) if plan.kind == "weekday" else 0
        midnight = self._at(day, time(0))
        for minute in arrival_minutes(plan.profile, count - online, rng):
            self._push(midnight + timedelta(minutes=minute), self._arrive,
                       plan_visit(model, rng, midnight + timedelta(minutes=minute), self.mix))
        self._book(day, plan, online, midnight)
        self._plan_complaints(day, count)

        while self.events:
            at, _, action, arg = heapq.heappop(self.events)
            if at > self.clock.now:
                self.clock.now = at
            action(arg)
        leftover = {code: n for code, n in self.waiting.items() if n}
        if leftover:  # pragma: no cover - the loop serves everyone before closing
            raise RuntimeError(f"{day}: tickets left waiting at the end of the day: {leftover}")

    def _push(self, at: datetime, action, arg=None) -> None:
        heapq.heappush(self.events, (at, next(self.seq), action, arg))

    # --- bookings --------------------------------------------------------------------------

    def _book(self, day: date, plan: DayPlan, count: int, midnight: datetime) -> None:
        """The day's bookings, made the evening before; most holders come and check in."""
        if count <= 0:
            return
        rng = self.rng
        made_at = self._at(day - timedelta(days=1), time(19, 0))
        if made_at > self.clock.now:
            self.clock.now = made_at
        latest = _minutes("16:00")
        for minute in arrival_minutes(plan.profile, count, rng):
            slot_minute = min(max(_minutes("08:30"), int(minute // 15) * 15), latest)
            slot = midnight + timedelta(minutes=slot_minute)
            code = choose(rng, self.mix)
            comes = rng.random() < self.model.booking_show_share
            early = rng.uniform(2, 35)
            self.clock.now += timedelta(seconds=rng.uniform(5, 60))
            try:
                booking_code = self.backend.create_booking(self.by_code[code].id, slot,
                                                           self.office_id)
            except DomainError:
                continue
            self.summary.bookings += 1
            if comes:
                visit = plan_visit(self.model, rng, slot - timedelta(minutes=early), self.mix,
                                   channel=Channel.ONLINE, service_code=code)
                visit.booking_code = booking_code
                self._push(visit.arrive, self._arrive, visit)

    def _plan_complaints(self, day: date, visits: int) -> None:
        """A few complaints a day (`complaints_per_100_visits` of the model): filed on the
        public page (some from a ticket's status page), at the counter or by phone; each
        planned through its steps over the following office days: most resolved within the
        due date, some late, a few still open. Run after the day is written
        (`_work_complaints`), through the use cases."""
        if getattr(self.services, "complaints", None) is None:
            return
        rng = self.complaint_rng
        plan = self.model.day_plan(day)
        count = poisson(rng, visits * self.model.complaints_per_100_visits / 100)
        midnight = self._at(day, time(0))
        for minute in arrival_minutes(plan.profile, count, rng):
            filing = {"at": midnight + timedelta(minutes=minute),
                      "channel": choose(rng, COMPLAINT_CHANNELS),
                      "category": choose(rng, COMPLAINT_CATEGORIES),
                      "from_ticket": rng.random() < 0.4,
                      "contact": (f"08{rng.randint(1, 9)}-{rng.randint(100, 999)}-"
                                  f"{rng.randint(1000, 9999)}" if rng.random() < 0.6 else None)}
            filing["text"] = rng.choice(COMPLAINT_TEXTS[filing["category"]])
            self._complaint_step(filing["at"], self._file_complaint, filing)

    def _complaint_step(self, at: datetime, action, arg) -> None:
        heapq.heappush(self.complaint_steps, (at, next(self._complaint_seq), action, arg))

    def _office_time(self, after: datetime, days: float) -> datetime:
        """`days` after `after`, moved onto a weekday's working hours (09:00-16:00 local)."""
        rng = self.complaint_rng
        when = (after + timedelta(days=days)).astimezone(self.zone)
        day = when.date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        hour = min(max(when.hour + when.minute / 60, 9.0), 16.0) if day == when.date() else \
            rng.uniform(9, 16)
        at = self._at(day, time(int(hour), int(hour % 1 * 60)))
        return max(at, after + timedelta(minutes=5))

    def _work_complaints(self, day: date) -> None:
        """The complaint steps due by the end of `day`, in time order, each at its own time;
        the overdue alerts of the day raised in the morning (the server's hourly check)."""
        if getattr(self.services, "complaints", None) is None:
            return
        if self.model.day_plan(day) is not None:
            self._complaint_step(self._at(day, time(8, 0)), self._complaint_alerts, None)
        end = self._at(day + timedelta(days=1), time(0))
        while self.complaint_steps and self.complaint_steps[0][0] < end:
            at, _, action, arg = heapq.heappop(self.complaint_steps)
            self.clock.now = at
            action(arg)

    def _complaint_alerts(self, _arg) -> None:
        self.services.complaints.raise_overdue_alerts()

    def _file_complaint(self, filing: dict) -> None:
        from .domain.complaint import ComplaintChannel

        rng, complaints = self.complaint_rng, self.services.complaints
        channel = ComplaintChannel(filing["channel"])
        token = None
        if channel == ComplaintChannel.ONLINE and filing["from_ticket"]:
            served = [v for v in self._visits.values() if v.status == "finished"]
            token = rng.choice(served).token if served else None
        who = Actor("citizen") if channel == ComplaintChannel.ONLINE else self.reception
        receipt = complaints.file(filing["text"], who, category=filing["category"],
                                  contact=filing["contact"], ticket_token=token, channel=channel,
                                  office_id=self.office_id, via="ticket" if token else None)
        self.summary.complaints += 1
        with self.services.context.read_uow() as uow:
            complaint_id = uow.complaints.by_code(receipt["code"]).id
        due_days = (date.fromisoformat(receipt["due_on"]) - self.clock.now.astimezone(
            self.zone).date()).days
        clerks = [int(c.clerk.id) for c in self.counters if c.clerk.kind == "user"]
        fate = rng.random()
        received = self.clock.now
        assign_at = self._office_time(received, rng.uniform(0.05, 1.5))
        forward = rng.random() < 0.25
        clerk = rng.choice(clerks)  # who works it (and, forwarded, follows the agency up)
        self._complaint_step(assign_at, self._complaint_move, (
            complaint_id, "forward" if forward else "assign",
            rng.choice(COMPLAINT_AGENCIES) if forward else clerk, clerk))
        if fate < 0.07:  # still open when the run ends (or long after)
            return
        progress_at = self._office_time(assign_at, rng.uniform(0.5, 3))
        self._complaint_step(progress_at, self._complaint_move,
                             (complaint_id, "in_progress", "ดำเนินการตรวจสอบข้อเท็จจริงแล้ว", clerk))
        late = fate < 0.15
        days = due_days + rng.uniform(1, 12) if late else rng.uniform(2, max(3, due_days - 1))
        resolve_at = self._office_time(received, days)
        resolve_at = max(resolve_at, progress_at + timedelta(hours=1))
        self._complaint_step(resolve_at, self._complaint_move,
                             (complaint_id, "resolved", "แก้ไขปัญหาเรียบร้อยแล้ว แจ้งผู้ร้องทราบ", clerk))
        if rng.random() < 0.5:
            self._complaint_step(self._office_time(resolve_at, rng.uniform(1, 4)),
                                 self._complaint_move, (complaint_id, "closed", None, clerk))

    def _complaint_move(self, arg) -> None:
        complaint_id, step, value, clerk = arg
        complaints = self.services.complaints
        if step == "assign":  # the centre's head of complaints hands it out
            complaints.assign(self.office_id, complaint_id, value, self.reception,
                              note="มอบหมายเจ้าหน้าที่ผู้รับผิดชอบแล้ว")
        elif step == "forward":
            complaints.forward(self.office_id, complaint_id, value, Actor.user(clerk),
                               note=f"ส่งเรื่องถึง{value}แล้ว")
        else:
            complaints.move(self.office_id, complaint_id, step, Actor.user(clerk), note=value)

    # --- the citizen -----------------------------------------------------------------------

    def _arrive(self, visit: PlannedVisit) -> None:
        backend = self.backend
        service = self.by_code[visit.service_code]
        if visit.booking_code is not None:
            ticket_id, token = backend.check_in(visit.booking_code)
            self.summary.checked_in += 1
        elif visit.channel == Channel.RECEPTION:
            ticket_id, token = backend.issue(service.id, visit.priority, Channel.RECEPTION,
                                             self.reception, self.rng.choice(TRIAGE_NOTES),
                                             self.office_id)
        else:
            ticket_id, token = backend.issue(service.id, visit.priority, Channel.KIOSK,
                                             Actor("kiosk", "K1"), None, self.office_id)
        self.summary.tickets += 1
        self._visits[ticket_id] = visit
        visit.ticket_id, visit.token, visit.service_id = ticket_id, token, service.id
        visit.status, visit.issued_at = "waiting", self.clock.now
        if visit.cancel_after is not None:
            self._push(self.clock.now + timedelta(minutes=visit.cancel_after), self._give_up, visit)
        self._queued(visit.service_code)

    def _give_up(self, visit: PlannedVisit) -> None:
        if visit.status != "waiting":
            return  # called in time
        self.backend.cancel_by_token(visit.ticket_id, visit.token)
        visit.status = "cancelled"
        self.waiting[visit.service_code] -= 1
        self.summary.cancelled += 1

    def _rate(self, arg) -> None:
        visit, score, comment = arg
        self.backend.rate_by_token(visit.ticket_id, visit.token, score, comment)
        self.summary.ratings += 1

    # --- the counters ----------------------------------------------------------------------

    def _queued(self, code: str) -> None:
        """A ticket joined `code`'s queue: a free counter serving it takes it soon. After
        closing time, when every counter of the service has closed, one opens again (a
        transfer or a requeued no-show still has to be served)."""
        self.waiting[code] += 1
        serving = [c for c in self.day_counters if code in c.codes]
        for counter in serving:
            if counter.is_open and not counter.busy and not counter.lunch_pending:
                counter.busy = True
                self._push(self.clock.now + timedelta(seconds=self.rng.uniform(5, 30)),
                           self._call, counter)
                return
        if self.clock.now >= self.closing_time and serving and not any(c.is_open for c in serving):
            self._open(serving[0])

    def _open(self, counter: _Counter) -> None:
        counter.lunch_pending = False
        if not counter.is_open:
            self._set_open(counter, True)
        if not counter.busy:
            counter.busy = True
            self._call(counter)

    def _set_open(self, counter: _Counter, is_open: bool) -> None:
        self.backend.set_counter(counter.id, counter.clerk, is_open)
        counter.is_open = is_open

    def _lunch(self, counter: _Counter) -> None:
        counter.lunch_pending = True
        if not counter.busy:
            self._free(counter)

    def _closing(self, counter: _Counter) -> None:
        """Closing time: no new tickets; the counter serves who waits for it, then closes."""
        if not counter.busy:
            self._free(counter)

    def _free(self, counter: _Counter) -> None:
        """The clerk is free: off to lunch, or call the next one, or close when it is closing
        time and no one waits for the counter."""
        counter.busy = False
        counter.visit = None
        if counter.lunch_pending and self.clock.now < self.closing_time:
            counter.lunch_pending = False
            if counter.is_open:
                self._set_open(counter, False)
        elif counter.is_open and any(self.waiting[c] for c in counter.codes):
            counter.busy = True
            self._call(counter)
        elif counter.is_open and self.clock.now >= self.closing_time:
            self._set_open(counter, False)

    def _call(self, counter: _Counter) -> None:
        if not counter.is_open or not any(self.waiting[c] for c in counter.codes):
            self._free(counter)
            return
        try:
            ticket_id = self.backend.call_next(counter.id, counter.clerk)
        except QueueEmpty:  # pragma: no cover - the loop's counts say someone waits
            counter.busy = False
            return
        visit = self.visits_by_id(ticket_id)
        self.waiting[visit.service_code] -= 1
        visit.status, visit.calls = "called", visit.calls + 1
        if visit.called_at is None:
            visit.called_at = self.clock.now
        counter.visit = visit
        rng = self.rng
        if visit.gone or (visit.late and visit.calls == 1):
            self._push(self.clock.now + timedelta(minutes=rng.uniform(1, 2)), self._recall, counter)
        else:
            self._push(self.clock.now + timedelta(minutes=rng.uniform(0.3, 1.5)), self._start, counter)

    def visits_by_id(self, ticket_id: int) -> PlannedVisit:
        return self._visits[ticket_id]

    def _recall(self, counter: _Counter) -> None:
        self.backend.recall(counter.visit.ticket_id, counter.clerk)
        self._push(self.clock.now + timedelta(minutes=self.rng.uniform(1, 2)), self._no_show, counter)

    def _no_show(self, counter: _Counter) -> None:
        visit = counter.visit
        status = self.backend.no_show(visit.ticket_id, counter.clerk)
        if status == "waiting":  # back in the queue once, as the domain does
            visit.status = "waiting"
            self._free(counter)
            self._queued(visit.service_code)
        else:
            visit.status = "no_show"
            self.summary.no_show += 1
            self._free(counter)

    def _start(self, counter: _Counter) -> None:
        visit = counter.visit
        self.backend.start(visit.ticket_id, counter.clerk)
        visit.status = "serving"
        minutes = service_minutes(self.model, self.by_code[visit.service_code].standard_minutes,
                                  self.rng)
        self._push(self.clock.now + timedelta(minutes=minutes), self._end, counter)

    def _end(self, counter: _Counter) -> None:
        visit, rng, model = counter.visit, self.rng, self.model
        backend = self.backend
        if visit.transfer_to is not None:
            target = visit.transfer_to
            visit.transfer_to = None
            backend.transfer(visit.ticket_id, self.by_code[target].id, counter.clerk)
            self.summary.transfers += 1
            visit.service_code, visit.status = target, "waiting"
            self._push(self.clock.now + timedelta(minutes=rng.uniform(0.2, 1)), self._free, counter)
            self._queued(target)
            return
        backend.finish(visit.ticket_id, counter.clerk)
        visit.status = "finished"
        self.summary.served += 1
        draw = rng.random()
        if draw < model.tablet_rating_share + model.phone_rating_share:
            waited = (visit.called_at - visit.issued_at).total_seconds() / 60
            target = self.by_code[visit.service_code].target_wait_minutes
            score = draw_score(model, rng, waited, target)
            comment = rng.choice(COMMENTS[score]) if rng.random() < model.comment_share else None
            if draw < model.tablet_rating_share:
                backend.rate_at_counter(counter.id, visit.ticket_id, score, comment)
                self.summary.ratings += 1
            else:
                later = self.clock.now + timedelta(minutes=rng.lognormvariate(math.log(20), 1.0))
                self._push(min(later, self._at(self.day, time(22, 0))), self._rate,
                           (visit, score, comment))
        self._push(self.clock.now + timedelta(minutes=rng.uniform(0.2, 1)), self._free, counter)


# --- the entry point ------------------------------------------------------------------------

def simulate(config: dict, days: int, seed: int = 1, scale: float = 1.0,
             today: date | None = None, progress: Callable[[str], None] | None = None,
             model: TrafficModel | None = None, exact: bool = False) -> Summary:
    """Fill the `days` office days before `today` (the office's local today by default) of
    the database of `config` (already migrated); seed the demo office first when it has none.
    Raises AlreadySimulated when those days hold tickets."""
    from zoneinfo import ZoneInfo

    from .app import build_services
    from .seed import seed_demo_office

    if days < 0:
        raise ValueError("--days is 0 or more")
    zone = ZoneInfo(config.get("TIMEZONE", "Asia/Bangkok"))
    clock = SimClock(datetime.now(timezone.utc))
    services = build_services(config, NullNotifier(), clock=clock)
    services.context.live_messages = False  # no screen watches the past
    try:
        with services.context.read_uow() as uow:
            office = uow.offices.office()
            if office is not None:
                zone = office.zone
        today = today or datetime.now(timezone.utc).astimezone(zone).date()
        first = today - timedelta(days=days)
        if office is None:
            # The office exists from the first simulated morning (its counters opened then).
            clock.now = datetime.combine(first, time(7, 0), tzinfo=zone).astimezone(timezone.utc)
            seed_demo_office(services, config.get("TIMEZONE", "Asia/Bangkok"))
            if progress:
                progress("seeded the demo office")
        simulator = Simulator(services, clock, seed=seed, scale=scale, model=model,
                              progress=progress, exact=exact)
        return simulator.run(simulator.days_before(today, days))
    finally:
        services.engine.dispose()
