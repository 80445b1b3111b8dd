"""The evidence figures of a period, each with its definition (../shared/CONTRACT.md, "The
evidence"). Everything is computed from the visits of the period (one `Visit` per ticket, as
`tickets.csv` of the evidence pack lists them) and what was recorded of them, so a committee
member can derive every figure again from that file. A figure with no data is None, never 0.

Times are UTC instants; hours of day and weekdays are the office's local ones.
"""

from __future__ import annotations

from collections import Counter as Tally, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from math import fsum
from statistics import median
from zoneinfo import ZoneInfo

from queue_server.domain.rating import Rating, satisfaction

from .complaints import complaint_figures

# Thai government office hours: Monday-Friday 08:30-16:30 with the lunch hour 12:00-13:00.
# A visit called outside them was served at lunch, in the evening or at the weekend (GECC
# physical 1: service beyond official hours).
OFFICIAL_START, LUNCH_START, LUNCH_END, OFFICIAL_END = time(8, 30), time(12), time(13), time(16, 30)
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

DEFINITIONS = {
    "issued": "tickets issued on the period's days (the office's local days)",
    "served": "finished tickets",
    "wait": "minutes from the ticket's issue to its first call, over tickets that were called; "
            "a transfer or a no-show requeue changes neither",
    "p90_minutes": "the 90th percentile, linear between the closest ranks (as Excel's "
                   "PERCENTILE.INC)",
    "within_target_share": "share of those waits at or under the target wait of the service "
                           "the ticket was issued for",
    "service_minutes": "minutes from the start of service (or the call when there was no "
                       "start) to the finish, over finished tickets",
    "within_standard_share": "share of finished tickets whose service time is at or under the "
                             "citizen-manual standard time of their service",
    "served_outside_office_hours": "tickets first called outside Monday-Friday 08:30-16:30 "
                                   "or in the lunch hour 12:00-13:00 (office time)",
    "out_of_order": "calls that passed over a ticket of the same queue that had waited longer, "
                    "by the reason recorded with the call",
    "out_of_order_without_reason": "such calls with no recorded reason",
    "triaged_share": "share of tickets issued at the first-reception point (channel "
                     "reception) that carry a triage note",
    "online_share": "share of tickets issued through the online channel (bookings)",
    "response_ratio": "ratings / served tickets",
    "mean_score": "mean of the overall scores, 1-5",
    "satisfied_share": "share of ratings that are 4 or 5",
    "score_percent": "mean score / 5 x 100",
    "days_with_ratings_share": "share of the days with served tickets that have at least one "
                               "rating",
    "handled_share": "share of the period's alerts whose action has been recorded",
    "hours_covered_share": "share of the hours of day with tickets whose mean counters open "
                           "meet the counters needed (rubric/staffing.py)",
}


@dataclass(slots=True)  # not frozen: a year is a quarter of a million of them to build
class Visit:
    """One ticket of the period as the evidence reads it (one row of tickets.csv)."""

    id: int
    number: str
    service_id: int            # the service it was issued for (a transfer keeps it)
    final_service_id: int      # where it ended
    counter_id: int | None     # the counter that served it last
    clerk_id: int | None
    status: str
    priority: str
    channel: str
    day: date
    issued_at: datetime
    first_called_at: datetime | None
    finished_at: datetime | None
    service_minutes: float | None
    triaged: bool = False
    out_of_order: tuple[str, ...] = ()  # the reasons of its calls that passed over others
    transferred: bool = False
    no_shows: int = 0
    eta_minutes: int | None = None      # the estimate shown at issue
    ahead: int | None = None            # people ahead at issue

    @property
    def wait_minutes(self) -> float | None:
        if self.first_called_at is None:
            return None
        return (self.first_called_at - self.issued_at).total_seconds() / 60


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    code: str
    name_th: str
    name_en: str
    standard_minutes: float
    target_wait_minutes: float


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def to_json(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(),
                "days": (self.last - self.first).days + 1}


@dataclass
class EvidenceInput:
    """Everything the figures of one period are computed from."""

    period: Period
    timezone: str
    visits: list[Visit]
    services: list[ServiceInfo]
    ratings: list[Rating] = field(default_factory=list)
    names: dict = field(default_factory=dict)   # {"services"|"counters"|"clerks": {id: name}}
    alerts: list = field(default_factory=list)  # domain Alert objects raised in the period
    online_since: date | None = None            # the first online ticket ever (outcome 3.2)
    counter_changes: list = field(default_factory=list)  # CounterChange, up to the period's end
    open_before: set = field(default_factory=set)        # counters open before the first change
    complaints: list = field(default_factory=list)       # complaints.ComplaintRow of the period
    as_of: date | None = None                            # the day of the report (overdue)


# --- small statistics -----------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float | None:
    """Linear between closest ranks (Excel PERCENTILE.INC, numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def mean(values) -> float:
    """The arithmetic mean in floating point (statistics.mean is exact, and 10x slower over a
    year of tickets)."""
    values = list(values)
    return fsum(values) / len(values)


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def wait_figures(visits: list[Visit], targets: dict[int, float]) -> dict:
    waits = [(v.wait_minutes, targets.get(v.service_id)) for v in visits
             if v.wait_minutes is not None]
    minutes = [w for w, _ in waits]
    return {"called": len(minutes),
            "mean_minutes": _r(mean(minutes)) if minutes else None,
            "median_minutes": _r(median(minutes)) if minutes else None,
            "p90_minutes": _r(percentile(minutes, 90)),
            "within_target_share": _share(
                sum(1 for w, t in waits if t is not None and w <= t), len(waits))}


def service_time_figures(visits: list[Visit], standards: dict[int, float]) -> dict:
    served = [v for v in visits if v.service_minutes is not None]
    minutes = [v.service_minutes for v in served]
    return {"served": len(served),
            "mean": _r(mean(minutes)) if minutes else None,
            "median": _r(median(minutes)) if minutes else None,
            "within_standard_share": _share(
                sum(1 for v in served if v.service_minutes <= standards[v.final_service_id]),
                len(served))}


# --- the report -------------------------------------------------------------------------------

def evidence(data: EvidenceInput) -> dict:
    """The evidence body of `GET /api/v1/evidence` (and evidence.json of the pack), less the
    criteria items and score, which rubric/score.py adds."""
    zone = ZoneInfo(data.timezone)
    visits = data.visits
    services = {s.id: s for s in data.services}
    targets = {s.id: s.target_wait_minutes for s in data.services}
    standards = {s.id: s.standard_minutes for s in data.services}
    statuses = Tally(v.status for v in visits)
    by_service = defaultdict(list)
    for v in visits:
        by_service[v.service_id].append(v)
    issued_local = [v.issued_at.astimezone(zone) for v in visits]  # once: hours, weekdays

    report = {
        "period": data.period.to_json(),
        "timezone": data.timezone,
        "tickets": {"issued": len(visits), "served": statuses["finished"],
                    "no_show": statuses["no_show"], "cancelled": statuses["cancelled"],
                    "other": len(visits) - statuses["finished"] - statuses["no_show"]
                    - statuses["cancelled"]},
        "wait": wait_figures(visits, targets),
        "service_time": service_time_figures(visits, standards),
        "services": [{
            "service_id": s.id, "code": s.code, "name_th": s.name_th, "name_en": s.name_en,
            "issued": len(by_service[s.id]),
            "served": sum(1 for v in by_service[s.id] if v.status == "finished"),
            "wait": wait_figures(by_service[s.id], targets),
            "target_wait_minutes": s.target_wait_minutes,
            "service_minutes": service_time_figures(
                [v for v in visits if v.final_service_id == s.id], standards),
            "standard_minutes": s.standard_minutes,
        } for s in data.services],
        "by_hour": _by_local(visits, targets, issued_local, lambda t: t.hour, range(24)),
        "by_weekday": _by_local(visits, targets, issued_local, lambda t: t.weekday(), range(7)),
        "demand": _demand(visits, issued_local),
        "hours": _outside_hours(visits, zone),
        "fairness": _fairness(visits),
        "first_reception": _first_reception(visits, targets),
        "channels": _channels(visits, data),
        "no_shows": {"tickets_with_a_no_show": sum(1 for v in visits if v.no_shows),
                     "dropped": statuses["no_show"],
                     "dropped_share": _share(statuses["no_show"], len(visits)),
                     "cancelled_share": _share(statuses["cancelled"], len(visits))},
        "satisfaction": satisfaction_section(visits, data.ratings, data.names),
        "alerts": _alerts(data.alerts),
        "complaints": complaint_figures(data.complaints, data.as_of or data.period.last,
                                        data.timezone, data.names.get("complaint_categories")),
        "definitions": DEFINITIONS,
    }
    report["satisfaction"]["days_with_ratings_share"] = _days_with_ratings(visits, data.ratings)
    working_days = sorted({v.day for v in visits})
    report["staffing"] = staffing_section(
        visits, data.services, zone,
        open_counters_by_hour(data.counter_changes, working_days, zone, data.open_before))
    return report


def _by_local(visits, targets, issued_local, key, keys) -> list[dict]:
    groups = defaultdict(list)
    for v, local in zip(visits, issued_local):
        groups[key(local)].append(v)
    return [{"key": k, "issued": len(groups[k]), "wait": wait_figures(groups[k], targets)}
            for k in keys if groups[k]]


def _demand(visits, issued_local) -> dict:
    """Tickets issued by weekday and hour (office time): the heat map of GECC 2.1-2.2's
    analysis of needs, and the arrivals the staffing plan reads."""
    cells = Tally()
    days = defaultdict(set)
    for v, local in zip(visits, issued_local):
        cells[(local.weekday(), local.hour)] += 1
        days[local.weekday()].add(v.day)
    return {"cells": [{"weekday": d, "weekday_en": WEEKDAYS_EN[d], "hour": h, "issued": n,
                       "per_day": round(n / len(days[d]), 2)}
                      for (d, h), n in sorted(cells.items())],
            "days_per_weekday": {WEEKDAYS_EN[d]: len(s) for d, s in sorted(days.items())}}


def outside_office_hours(local: datetime) -> str | None:
    """`weekend`, `lunch`, `early`, `evening` or None (within official hours)."""
    if local.weekday() >= 5:
        return "weekend"
    t = local.time()
    if LUNCH_START <= t < LUNCH_END:
        return "lunch"
    if t < OFFICIAL_START:
        return "early"
    if t >= OFFICIAL_END:
        return "evening"
    return None


def _outside_hours(visits, zone) -> dict:
    when = Tally(outside_office_hours(v.first_called_at.astimezone(zone))
                 for v in visits if v.first_called_at is not None)
    outside = sum(n for k, n in when.items() if k is not None)
    return {"served_outside_office_hours": outside,
            "by_window": {k: when[k] for k in ("lunch", "early", "evening", "weekend")},
            "share": _share(outside, sum(when.values()))}


def _fairness(visits) -> dict:
    reasons = Tally(r for v in visits for r in v.out_of_order)
    calls = sum(1 for v in visits if v.first_called_at is not None)
    return {"called": calls, "out_of_order": sum(reasons.values()),
            "by_reason": dict(sorted(reasons.items())),
            "out_of_order_without_reason": reasons.get("", 0)}


def _first_reception(visits, targets) -> dict:
    reception = [v for v in visits if v.channel == "reception"]
    triaged = [v for v in visits if v.triaged]
    return {"tickets": len(reception), "share": _share(len(reception), len(visits)),
            "triaged": len(triaged), "triaged_share": _share(
                sum(1 for v in reception if v.triaged), len(reception)),
            "wait_triaged": wait_figures(triaged, targets),
            "wait_not_triaged": wait_figures([v for v in visits if not v.triaged], targets)}


def _channels(visits, data: EvidenceInput) -> dict:
    counts = Tally(v.channel for v in visits)
    months = None
    if data.online_since is not None:
        end = data.period.last
        months = (end.year - data.online_since.year) * 12 + end.month - data.online_since.month
    return {**{k: counts.get(k, 0) for k in ("kiosk", "reception", "online")},
            "online_share": _share(counts.get("online", 0), len(visits)),
            "online_since": data.online_since.isoformat() if data.online_since else None,
            "online_months_running": months,
            "distinct": len([k for k, n in counts.items() if n]),
            "beyond_walk_in": counts.get("online", 0)}


def _alerts(alerts) -> dict:
    handled = sum(1 for a in alerts if a.handled_at is not None)
    minutes = [(a.handled_at - a.raised_at).total_seconds() / 60 for a in alerts
               if a.handled_at is not None]
    return {"raised": len(alerts), "handled": handled, "handled_share": _share(handled, len(alerts)),
            "median_minutes_to_action": _r(median(minutes)) if minutes else None}


def _days_with_ratings(visits, ratings) -> float | None:
    served_days = {v.day for v in visits if v.status == "finished"}
    day_of = {v.id: v.day for v in visits}
    rated_days = {day_of.get(r.ticket_id) for r in ratings} & served_days
    return _share(len(rated_days), len(served_days))


def satisfaction_section(visits: list[Visit], ratings: list[Rating],
                         names: dict | None = None) -> dict:
    """Satisfaction overall and per service, counter, clerk and day. A rating counts where
    its visit was served (the ticket's service, counter and clerk at the finish); served
    counts finished tickets in the same scope. `names`: {"services": {id: code},
    "counters": {id: name}, "clerks": {id: name}} for the labels."""
    names = names or {}
    served = [v for v in visits if v.status == "finished"]
    day_of = {v.id: v.day for v in visits}
    scopes = {
        "service": (lambda v: v.final_service_id, lambda r: r.service_id, names.get("services", {})),
        "counter": (lambda v: v.counter_id, lambda r: r.counter_id, names.get("counters", {})),
        "clerk": (lambda v: v.clerk_id, lambda r: r.clerk_id, names.get("clerks", {})),
        "day": (lambda v: v.day, lambda r: day_of.get(r.ticket_id), {}),
    }
    section = _figures(ratings, len(served))
    for scope, (of_visit, of_rating, labels) in scopes.items():
        served_by_key = Tally(of_visit(v) for v in served)
        ratings_by_key = defaultdict(list)
        for rating in ratings:
            ratings_by_key[of_rating(rating)].append(rating)
        keys = sorted({k for k in list(served_by_key) + list(ratings_by_key) if k is not None},
                      key=str)
        section[f"by_{scope}"] = [
            {scope: k.isoformat() if isinstance(k, date) else k,
             **({"name": labels.get(k)} if labels else {}),
             **_figures(ratings_by_key[k], served_by_key[k])} for k in keys]
    return section


def _figures(ratings: list[Rating], served: int) -> dict:
    return satisfaction([r.score for r in ratings], served,
                        [r.dimensions for r in ratings if r.dimensions]).to_json()



# --- staffing: counters needed against counters open (GECC 3.1, physical 1) --------------------

@dataclass(frozen=True)
class CounterChange:
    """A counter opened or closed (from the office's event record)."""

    counter_id: int
    opened: bool
    at: datetime


def open_counters_by_hour(changes: list[CounterChange], days: list[date], zone: ZoneInfo,
                          open_before: set[int] | None = None) -> dict[int, float]:
    """Mean number of counters open in each local hour of day over `days` (a counter open half
    the hour counts 0.5). `changes` in time order, all those before the last day's end; the
    state before the first change is `open_before` (none open by default)."""
    from datetime import timedelta
    is_open = {c: True for c in (open_before or set())}
    minutes = defaultdict(float)  # hour -> counter-minutes over all days
    pending = sorted(changes, key=lambda c: c.at)
    index = 0
    for day in sorted(days):
        start = datetime.combine(day, time(0), tzinfo=zone)
        for hour in range(24):
            begin, end = start + timedelta(hours=hour), start + timedelta(hours=hour + 1)
            cursor = begin
            while index < len(pending) and pending[index].at < end:
                change = pending[index]
                if change.at > cursor:
                    minutes[hour] += sum(is_open.values()) * (change.at - cursor).total_seconds() / 60
                    cursor = change.at
                is_open[change.counter_id] = change.opened
                index += 1
            minutes[hour] += sum(is_open.values()) * (end - cursor).total_seconds() / 60
    return {h: round(m / 60 / len(days), 3) for h, m in sorted(minutes.items()) if m} if days else {}


def staffing_section(visits: list[Visit], services: list[ServiceInfo], zone: ZoneInfo,
                     open_by_hour: dict[int, float], target_share: float = 0.8) -> dict:
    """Counters needed per hour of day (Erlang C, rubric/staffing.py) for the mean arrivals
    and service times observed on the period's working days, against the counters actually
    open on average; the lunch hour's cover called out."""
    from .staffing import staffing_plan
    days = {v.day for v in visits}
    if not days:
        return {"hours": [], "target_share": target_share, "target_wait_minutes": None,
                "hours_covered_share": None, "lunch_shortfall": None}
    arrivals, service = defaultdict(int), defaultdict(list)
    for v in visits:
        arrivals[v.issued_at.astimezone(zone).hour] += 1
        if v.service_minutes is not None and v.first_called_at is not None:
            service[v.first_called_at.astimezone(zone).hour].append(v.service_minutes)
    # Erlang C needs a service time above zero: an hour whose visits all took no time (or
    # had none) counts the period's typical time, and that the citizen manual's standard.
    overall = [m for ms in service.values() for m in ms]
    typical = mean(overall) if overall and mean(overall) > 0 else mean(
        s.standard_minutes for s in services)
    by_hour = {h: mean(service[h]) if service.get(h) and mean(service[h]) > 0 else typical
               for h in range(24)}
    targets = {s.id: s.target_wait_minutes for s in services}
    target_wait = mean(targets.get(v.service_id, typical) for v in visits)
    plan = staffing_plan({h: n / len(days) for h, n in arrivals.items()}, by_hour,
                         target_wait, target_share, open_by_hour)
    with_demand = [p for p in plan if p.arrivals > 0]
    return {"hours": [p.to_json() for p in plan], "target_share": target_share,
            "target_wait_minutes": _r(target_wait), "days": len(days),
            "hours_covered_share": _share(sum(1 for p in with_demand if p.shortfall <= 0),
                                          len(with_demand)),
            "lunch_shortfall": any(p.lunch_shortfall for p in plan),
            "definition": "per local hour of day: mean tickets an hour on the period's days "
                          "with tickets, mean service minutes of the visits called in that "
                          "hour, counters needed for the target share of waits within the mean "
                          "target wait (Erlang C: Poisson arrivals, exponential service), "
                          "against the mean counters open from the office's event record"}
