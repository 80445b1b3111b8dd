"""Today at a glance for the manager: per service and per counter, read from the event record."""

from __future__ import annotations

from collections import Counter as Tally, defaultdict
from datetime import date
from statistics import mean, median

from ..domain.model import Ticket, TicketEvent, service_seconds_of


def _minutes(seconds: list[float]) -> dict:
    if not seconds:
        return {"mean": None, "median": None, "max": None}
    return {"mean": round(mean(seconds) / 60, 1), "median": round(median(seconds) / 60, 1),
            "max": round(max(seconds) / 60, 1)}


def day_summary(day: date, services: list, counters: list, tickets: list[Ticket],
                events: list[TicketEvent]) -> dict:
    """Counts, waits and service times of one local day.

    Wait is end to end: from issue to the first call (a transferred ticket keeps its issue
    time). Service time runs from start (or the call) to finish, per finish event; a finish
    by Next before a start (a call never served) is counted as finished, without a time.

    A service's row adds up: issued + transferred in - transferred out = waiting + at a
    counter (called, serving, held) + finished + no-show + cancelled. A no-show that went
    back to the queue once is not a no-show (yet): `no_show_requeued` counts those.
    """
    first_call: dict[int, float] = {}
    issued_at = {t.id: t.issued_at for t in tickets}
    service_seconds = defaultdict(list)
    counter_seconds = defaultdict(list)
    counter_finished = Tally()
    requeued = Tally()
    out_of_order = Tally()
    for e in events:
        if e.kind.value == "called":
            if e.ticket_id not in first_call and e.ticket_id in issued_at:
                first_call[e.ticket_id] = (e.at - issued_at[e.ticket_id]).total_seconds()
            if e.data.get("out_of_order"):
                out_of_order[e.data["out_of_order"]] += 1
        elif e.kind.value == "finished":
            seconds = service_seconds_of(e.data)
            if e.counter_id:
                counter_finished[e.counter_id] += 1
            if seconds is None:
                continue
            service_seconds[e.service_id].append(seconds)
            if e.counter_id:
                counter_seconds[e.counter_id].append(seconds)
        elif e.kind.value == "requeued":
            requeued[e.service_id] += 1

    rows = []
    for s in services:
        mine = [t for t in tickets if t.issued_service_id == s.id or t.service_id == s.id]
        here = [t for t in mine if t.service_id == s.id]
        statuses = Tally(t.status.value for t in here)
        waits = [first_call[t.id] for t in mine if t.issued_service_id == s.id and t.id in first_call]
        within = sum(1 for w in waits if w <= s.target_wait_minutes * 60)
        rows.append({
            "service_id": s.id, "code": s.code, "name_th": s.name_th, "name_en": s.name_en,
            "active": s.active,
            "issued": sum(1 for t in mine if t.issued_service_id == s.id),
            "transferred_in": sum(1 for t in here if t.issued_service_id != s.id),
            "transferred_out": sum(1 for t in mine if t.service_id != s.id),
            "waiting": statuses["waiting"],
            "at_counter": statuses["called"] + statuses["serving"] + statuses["held"],
            "held": statuses["held"],
            "finished": statuses["finished"], "no_show": statuses["no_show"],
            "cancelled": statuses["cancelled"],
            "no_show_requeued": requeued[s.id],
            "finished_unstarted": sum(1 for t in here if t.status.value == "finished"
                                      and t.finished_unstarted),
            "wait_minutes": _minutes(waits), "service_minutes": _minutes(service_seconds[s.id]),
            "target_wait_minutes": s.target_wait_minutes,
            "standard_minutes": s.standard_minutes,
            "within_target_percent": round(100 * within / len(waits), 1) if waits else None,
        })
    counter_rows = [{"counter_id": c.id, "name": c.name, "is_open": c.is_open,
                     "finished": counter_finished[c.id],
                     "service_minutes": _minutes(counter_seconds[c.id])} for c in counters]
    return {
        "day": day.isoformat(), "issued": len(tickets),
        "channels": dict(Tally(t.channel.value for t in tickets)),
        "priorities": dict(Tally(t.priority.value for t in tickets)),
        "out_of_order_calls": dict(out_of_order),
        "services": rows, "counters": counter_rows,
    }
