"""The evidence figures of a period, each with its definition (../shared/CONTRACT.md, "The
evidence"). Everything is computed from the visits of the period (one row per ticket, as
`tickets.csv` of the evidence pack lists them; held as columns, rubric/visits.py) and what was
recorded of them, so a committee member can derive every figure again from that file. A figure
with no data is None, never 0.

Times are UTC instants; hours of day and weekdays are the office's local ones.
"""

from __future__ import annotations

from collections import Counter as Tally, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple
from datetime import date, datetime, time, timedelta
from math import fsum
from statistics import median
from zoneinfo import ZoneInfo

import numpy as np

from queue_server.domain.rating import satisfaction

from .visits import EPOCH_WEEKDAY, MICROS_PER_DAY, LocalTimes, Visit, Visits

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
                       "start) to the finish, over finished tickets, leaving out those the "
                       "Next key finished before service was started (calls never served)",
    "finished_unstarted": "finished tickets the Next key (or a call of another ticket) closed "
                          "before service was started: counted as served, without a service "
                          "time",
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
    "by_day": "per local day: tickets issued that day, how they ended (served = finished) and "
              "their channel",
    "clerks": "per clerk: the tickets they finished, and the mean of their service_minutes",
    "hours_covered_share": "share of the hours of day with tickets whose mean counters open "
                           "meet the counters needed (rubric/staffing.py)",
}


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


class RatingRow(NamedTuple):
    """A rating as the figures read it (its comment is not evidence)."""

    ticket_id: int
    service_id: int | None
    counter_id: int | None
    clerk_id: int | None
    score: int
    dimensions: dict | None  # the answers per dimension, None or {} where there are none


@dataclass
class EvidenceInput:
    """Everything the figures of one period are computed from."""

    period: Period
    timezone: str
    visits: Visits | list[Visit]
    services: list[ServiceInfo]
    ratings: list[RatingRow] = field(default_factory=list)
    names: dict = field(default_factory=dict)   # {"services"|"counters"|"clerks": {id: name}}
    alerts: list = field(default_factory=list)  # domain Alert objects raised in the period
    online_since: date | None = None            # the first online ticket ever (outcome 3.2)
    counter_changes: list = field(default_factory=list)  # CounterChange, up to the period's end
    open_before: set = field(default_factory=set)        # counters open before the first change
    complaints: list = field(default_factory=list)       # complaints.ComplaintRow of the period
    as_of: date | None = None                            # the day of the report (overdue)


# --- small statistics -----------------------------------------------------------------------

def percentile(values, p: float) -> float | None:
    """Linear between closest ranks (Excel PERCENTILE.INC, numpy's default)."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.percentile(values, p)) if len(values) else None


def mean(values) -> float:
    """The arithmetic mean (numpy's pairwise sum over an array: its error is far below the
    2 decimals a figure shows)."""
    if isinstance(values, np.ndarray):
        return float(np.mean(values))
    values = list(values)
    return fsum(values) / len(values)


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _share(part, whole) -> float | None:
    return round(int(part) / int(whole), 4) if whole else None


class _Figures:
    """The columns every figure reads, computed once per report."""

    def __init__(self, visits: Visits, services: list[ServiceInfo], zone: ZoneInfo):
        self.visits = visits
        self.waits = visits.wait_minutes
        self.called = visits.called
        size = int(max([0, *(s.id for s in services), *visits.service_id.tolist(),
                        *visits.final_service_id.tolist()])) + 1 if len(visits) or services else 1
        targets, standards = np.full(size, np.nan), np.full(size, np.nan)
        for s in services:
            targets[s.id], standards[s.id] = s.target_wait_minutes, s.standard_minutes
        self.target = targets[visits.service_id]            # of the service issued for
        self.standard = standards[visits.final_service_id]  # of the service it ended in
        self.finished = visits.status == "finished"
        self.has_service_time = ~np.isnan(visits.service_minutes)
        self.issued_local = LocalTimes(visits.issued, zone)
        self.days = np.unique(visits.day)  # the local days with tickets
        self.called_local = LocalTimes(visits.first_called, zone)

    def wait(self, among: np.ndarray | None = None) -> dict:
        chosen = self.called if among is None else self.called & among
        minutes = self.waits[chosen]
        within = minutes <= self.target[chosen]  # NaN (no target) is never within
        # the median is the 50th percentile, linear between the two middle ranks: one
        # partial sort gives both
        median, p90 = np.percentile(minutes, [50, 90]) if len(minutes) else (None, None)
        return {"called": int(len(minutes)),
                "mean_minutes": _r(mean(minutes)) if len(minutes) else None,
                "median_minutes": _r(median), "p90_minutes": _r(p90),
                "within_target_share": _share(np.count_nonzero(within), len(minutes))}

    def service_time(self, among: np.ndarray | None = None) -> dict:
        chosen = self.has_service_time if among is None else self.has_service_time & among
        minutes = self.visits.service_minutes[chosen]
        return {"served": int(len(minutes)),
                "mean": _r(mean(minutes)) if len(minutes) else None,
                "median": _r(np.median(minutes)) if len(minutes) else None,
                "within_standard_share": _share(
                    np.count_nonzero(minutes <= self.standard[chosen]), len(minutes))}


# --- the report -------------------------------------------------------------------------------

def evidence(data: EvidenceInput) -> dict:
    """The evidence body of `GET /api/v1/evidence` (and evidence.json of the pack), less the
    criteria items and score, which rubric/score.py adds."""
    zone = ZoneInfo(data.timezone)
    visits = data.visits if isinstance(data.visits, Visits) else Visits.of(data.visits)
    figures = _Figures(visits, data.services, zone)
    statuses = _tally(visits.status)
    total = len(visits)

    report = {
        "period": data.period.to_json(),
        "timezone": data.timezone,
        "tickets": {"issued": total, "served": statuses["finished"],
                    "no_show": statuses["no_show"], "cancelled": statuses["cancelled"],
                    "other": total - statuses["finished"] - statuses["no_show"]
                    - statuses["cancelled"],
                    "finished_unstarted": int(np.count_nonzero(visits.unstarted & figures.finished))},
        "wait": figures.wait(),
        "service_time": figures.service_time(),
        "services": [_service(figures, s) for s in data.services],
        "by_hour": _by_local(figures, figures.issued_local.hour, range(24)),
        "by_weekday": _by_local(figures, figures.issued_local.weekday, range(7)),
        "demand": _demand(figures),
        "hours": _outside_hours(figures),
        "fairness": _fairness(figures),
        "first_reception": _first_reception(figures),
        "channels": _channels(visits, data),
        "no_shows": {"tickets_with_a_no_show": int(np.count_nonzero(visits.no_shows)),
                     "dropped": statuses["no_show"],
                     "dropped_share": _share(statuses["no_show"], total),
                     "cancelled_share": _share(statuses["cancelled"], total)},
        "satisfaction": satisfaction_section(visits, data.ratings, data.names),
        "by_day": _by_day(figures),
        "clerks": _clerks(figures),
        "alerts": _alerts(data.alerts),
        "complaints": complaint_figures(data.complaints, data.as_of or data.period.last,
                                        data.timezone, data.names.get("complaint_categories")),
        "definitions": DEFINITIONS,
    }
    report["satisfaction"]["days_with_ratings_share"] = _days_with_ratings(visits, data.ratings)
    working_days = figures.days.tolist()
    report["staffing"] = staffing_section(
        visits, data.services, zone,
        open_counters_by_hour(data.counter_changes, working_days, zone, data.open_before),
        figures=figures)
    return report


def _tally(values: np.ndarray) -> Tally:
    """How many times each value occurs, the values as plain Python ones (ints, dates, str)."""
    if values.dtype == object:
        return Tally(values.tolist())
    keys, counts = np.unique(values, return_counts=True)
    return Tally(dict(zip(keys.tolist(), counts.tolist())))


def _service(figures: _Figures, service: ServiceInfo) -> dict:
    visits = figures.visits
    issued_for = visits.service_id == service.id
    return {"service_id": service.id, "code": service.code, "name_th": service.name_th,
            "name_en": service.name_en, "issued": int(np.count_nonzero(issued_for)),
            "served": int(np.count_nonzero(issued_for & figures.finished)),
            "wait": figures.wait(issued_for),
            "target_wait_minutes": service.target_wait_minutes,
            "service_minutes": figures.service_time(visits.final_service_id == service.id),
            "standard_minutes": service.standard_minutes}


def _by_local(figures: _Figures, keys_of_visits: np.ndarray, keys) -> list[dict]:
    rows = []
    for key in keys:
        chosen = keys_of_visits == key
        issued = int(np.count_nonzero(chosen))
        if issued:
            rows.append({"key": key, "issued": issued, "wait": figures.wait(chosen)})
    return rows


def _demand(figures: _Figures) -> dict:
    """Tickets issued by weekday and hour (office time): the heat map of GECC 2.1-2.2's
    analysis of needs, and the arrivals the staffing plan reads."""
    weekday, hour = figures.issued_local.weekday, figures.issued_local.hour
    cells = np.bincount(weekday * 24 + hour, minlength=7 * 24)
    # the days of each weekday that had tickets: the distinct local days of issue
    local_day = figures.issued_local.local // MICROS_PER_DAY
    days = Tally()
    if len(local_day):
        first = int(local_day.min())
        for offset in np.flatnonzero(np.bincount(local_day - first)).tolist():
            days[(first + offset + EPOCH_WEEKDAY) % 7] += 1
    return {"cells": [{"weekday": cell // 24, "weekday_en": WEEKDAYS_EN[cell // 24],
                       "hour": cell % 24, "issued": int(cells[cell]),
                       "per_day": round(int(cells[cell]) / days[cell // 24], 2)}
                      for cell in np.flatnonzero(cells).tolist()],
            "days_per_weekday": {WEEKDAYS_EN[d]: n for d, n in sorted(days.items())}}


CHANNELS = ("kiosk", "reception", "online")


def _by_day(figures: _Figures) -> list[dict]:
    """Each local day of the period with tickets: issued, their outcome and their channel,
    and the online share (the trends of the manager's page)."""
    visits = figures.visits
    days = figures.days
    if not len(days):
        return []
    index = np.searchsorted(days, visits.day)

    def count(mask: np.ndarray | None = None) -> list[int]:
        chosen = index if mask is None else index[mask]
        return np.bincount(chosen, minlength=len(days)).tolist()

    issued = count()
    columns = {"served": count(figures.finished), "no_show": count(visits.status == "no_show"),
               "cancelled": count(visits.status == "cancelled"),
               **{c: count(visits.channel == c) for c in CHANNELS}}
    return [{"day": day.isoformat(), "issued": issued[i],
             **{k: v[i] for k, v in columns.items()},
             "online_share": _share(columns["online"][i], issued[i])}
            for i, day in enumerate(days.tolist())]


def _clerks(figures: _Figures) -> list[dict]:
    """Each clerk who finished tickets in the period: how many, and their mean service
    minutes (the definition of service_minutes), by the clerk who finished them."""
    visits = figures.visits
    mine = figures.finished & (visits.clerk_id != 0)
    clerks = np.unique(visits.clerk_id[mine])
    rows = []
    for clerk in clerks.tolist():
        theirs = mine & (visits.clerk_id == clerk)
        minutes = visits.service_minutes[theirs & figures.has_service_time]
        rows.append({"clerk_id": clerk, "served": int(np.count_nonzero(theirs)),
                     "service_mean": _r(mean(minutes)) if len(minutes) else None})
    return rows


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


def _micros(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _outside_hours(figures: _Figures) -> dict:
    """outside_office_hours over the first calls, as columns."""
    called = figures.called
    weekday = figures.called_local.weekday[called]
    clock = figures.called_local.time_of_day[called]
    weekend = weekday >= 5
    on_weekdays = ~weekend
    windows = {
        "lunch": on_weekdays & (clock >= _micros(LUNCH_START)) & (clock < _micros(LUNCH_END)),
        "early": on_weekdays & (clock < _micros(OFFICIAL_START)),
        "evening": on_weekdays & (clock >= _micros(OFFICIAL_END)),
        "weekend": weekend,
    }
    by_window = {k: int(np.count_nonzero(w)) for k, w in windows.items()}
    outside = sum(by_window.values())
    return {"served_outside_office_hours": outside, "by_window": by_window,
            "share": _share(outside, len(weekday))}


def _fairness(figures: _Figures) -> dict:
    reasons = Tally(r for rs in figures.visits.out_of_order.values() for r in rs)
    return {"called": int(np.count_nonzero(figures.called)), "out_of_order": sum(reasons.values()),
            "by_reason": dict(sorted(reasons.items())),
            "out_of_order_without_reason": reasons.get("", 0)}


def _first_reception(figures: _Figures) -> dict:
    visits = figures.visits
    reception = visits.channel == "reception"
    triaged = visits.triaged
    return {"tickets": int(np.count_nonzero(reception)),
            "share": _share(np.count_nonzero(reception), len(visits)),
            "triaged": int(np.count_nonzero(triaged)),
            "triaged_share": _share(np.count_nonzero(reception & triaged),
                                    np.count_nonzero(reception)),
            "wait_triaged": figures.wait(triaged),
            "wait_not_triaged": figures.wait(~triaged)}


def _channels(visits: Visits, data: EvidenceInput) -> dict:
    counts = _tally(visits.channel)
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


def _day_of_ratings(visits: Visits, ticket_ids: np.ndarray) -> np.ndarray:
    """The local day of each rating's visit (NaT where the visit is not in the period)."""
    order = np.argsort(visits.id, kind="stable")
    ids = visits.id[order]
    at = np.searchsorted(ids, ticket_ids)
    found = at < len(ids)
    found[found] = ids[at[found]] == ticket_ids[found]
    days = np.full(len(ticket_ids), np.datetime64("NaT"), dtype="datetime64[D]")
    days[found] = visits.day[order][at[found]]
    return days


def _days_with_ratings(visits: Visits, ratings: list[RatingRow]) -> float | None:
    served_days = set(np.unique(visits.day[visits.status == "finished"]).tolist())
    ticket_ids = np.fromiter((r[0] for r in ratings), dtype=np.int64, count=len(ratings))
    rated_days = set(_day_of_ratings(visits, ticket_ids).tolist()) & served_days
    return _share(len(rated_days), len(served_days))


def satisfaction_section(visits: Visits | list[Visit], ratings: list[RatingRow],
                         names: dict | None = None) -> dict:
    """Satisfaction overall and per service, counter, clerk and day. A rating counts where
    its visit was served (the ticket's service, counter and clerk at the finish); served
    counts finished tickets in the same scope. `names`: {"services": {id: code},
    "counters": {id: name}, "clerks": {id: name}} for the labels."""
    visits = visits if isinstance(visits, Visits) else Visits.of(visits)
    names = names or {}
    finished = visits.status == "finished"
    ticket_ids, service_ids, counter_ids, clerk_ids, scores, dimensions = (
        zip(*ratings) if ratings else ([],) * 6)

    def ids(column) -> np.ndarray:  # None (no counter, no clerk) is NaN: in no group
        return np.array(column, dtype=np.float64)

    rating_days = _day_of_ratings(visits, np.asarray(ticket_ids, dtype=np.int64))
    scopes = {  # the key of a served visit, the key of a rating, the labels
        "service": (visits.final_service_id, ids(service_ids), names.get("services", {})),
        "counter": (visits.counter_id, ids(counter_ids), names.get("counters", {})),
        "clerk": (visits.clerk_id, ids(clerk_ids), names.get("clerks", {})),
        "day": (visits.day, rating_days, {}),
    }
    section = _figures(scores, int(np.count_nonzero(finished)), dimensions)
    scores = np.asarray(scores, dtype=np.int64)
    answered = [i for i, answers in enumerate(dimensions) if answers]  # few have any
    for scope, (of_visits, of_ratings, labels) in scopes.items():
        served_by_key = Tally({k: n for k, n in _tally(of_visits[finished]).items() if k})
        scores_by_key = _group(of_ratings, scores)
        dimensions_by_key = defaultdict(list)
        for i in answered:
            key = _plain(of_ratings[i])
            if key is not None:
                dimensions_by_key[key].append(dimensions[i])
        keys = sorted({k for k in [*served_by_key, *scores_by_key] if k is not None}, key=str)
        section[f"by_{scope}"] = [
            {scope: k.isoformat() if isinstance(k, date) else k,
             **({"name": labels.get(k)} if labels else {}),
             **_figures(scores_by_key[k], served_by_key[k], dimensions_by_key[k])} for k in keys]
    return section


def _plain(key):
    """A group key as the figures name it: an id as int, a day as date; None for none."""
    if isinstance(key, np.datetime64):
        return None if np.isnat(key) else key.item()
    return None if key != key else int(key)  # NaN: no id


def _group(keys: np.ndarray, values: np.ndarray) -> defaultdict:
    """values grouped by their keys (ids as floats, NaN for none; or days, NaT for none),
    each group in the given order: a stable sort by key and a split, not an append per
    value."""
    groups = defaultdict(list)
    present = ~np.isnat(keys) if keys.dtype.kind == "M" else ~np.isnan(keys)
    keys, values = keys[present], values[present]
    if not len(keys):
        return groups
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    bounds = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    for key, chunk in zip(keys[np.r_[0, bounds]], np.split(values, bounds)):
        groups[_plain(key)] = chunk.tolist()
    return groups


def _figures(scores: list[int], served: int, dimensions: list) -> dict:
    return satisfaction(scores, served, [d for d in dimensions if d]).to_json()



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


def staffing_section(visits: Visits | list[Visit], services: list[ServiceInfo], zone: ZoneInfo,
                     open_by_hour: dict[int, float], target_share: float = 0.8,
                     figures: _Figures | None = None) -> dict:
    """Counters needed per hour of day (Erlang C, rubric/staffing.py) for the mean arrivals
    and service times observed on the period's working days, against the counters actually
    open on average; the lunch hour's cover called out."""
    from .staffing import staffing_plan
    visits = visits if isinstance(visits, Visits) else Visits.of(visits)
    figures = figures or _Figures(visits, services, zone)
    days = len(figures.days)
    if not days:
        return {"hours": [], "target_share": target_share, "target_wait_minutes": None,
                "hours_covered_share": None, "lunch_shortfall": None}
    arrivals = _tally(figures.issued_local.hour)
    timed = figures.has_service_time & figures.called
    service_hours = figures.called_local.hour[timed]
    service_minutes = visits.service_minutes[timed]
    # Erlang C needs a service time above zero: an hour whose visits all took no time (or
    # had none) counts the period's typical time, and that the citizen manual's standard.
    overall = mean(service_minutes) if len(service_minutes) else 0.0
    typical = overall if overall > 0 else mean(s.standard_minutes for s in services)
    by_hour = {}
    for hour in range(24):
        minutes = service_minutes[service_hours == hour]
        hour_mean = mean(minutes) if len(minutes) else 0.0
        by_hour[hour] = hour_mean if hour_mean > 0 else typical
    # the mean target wait of the visits (a service without a target counts the typical time)
    targets = np.where(np.isnan(figures.target), typical, figures.target)
    target_wait = mean(targets)
    plan = staffing_plan({h: n / days for h, n in arrivals.items()}, by_hour,
                         target_wait, target_share, open_by_hour)
    with_demand = [p for p in plan if p.arrivals > 0]
    return {"hours": [p.to_json() for p in plan], "target_share": target_share,
            "target_wait_minutes": _r(target_wait), "days": days,
            "hours_covered_share": _share(sum(1 for p in with_demand if p.shortfall <= 0),
                                          len(with_demand)),
            "lunch_shortfall": any(p.lunch_shortfall for p in plan),
            "definition": "per local hour of day: mean tickets an hour on the period's days "
                          "with tickets, mean service minutes of the visits called in that "
                          "hour, counters needed for the target share of waits within the mean "
                          "target wait (Erlang C: Poisson arrivals, exponential service), "
                          "against the mean counters open from the office's event record"}
