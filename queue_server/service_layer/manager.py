"""The manager's pages: a period's figures (the evidence, with the few figures the charts need
that the evidence does not give), and the self-assessment with its score. Reads only."""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Callable

from ..domain.periods import ChosenPeriod, choose_period
from .context import Context

CHANNELS = ("kiosk", "reception", "online")
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="manager-figures")


def in_a_thread(work: Callable[[], object]):
    """Run `work` on another OS thread; the handle's result() waits for it."""
    return _POOL.submit(work)


class ManagerPages:
    def __init__(self, context: Context, evidence, alerts,
                 parallel: Callable[[Callable[[], object]], object] = in_a_thread):
        self.context = context
        self.evidence = evidence   # service_layer/evidence.py Evidence: report(office, first, last)
        self.alerts = alerts
        # The extra figures are SQL (the database works outside Python's lock) while the
        # evidence is Python: read them on another thread at the same time.
        self.parallel = parallel

    def today(self, office_id: int) -> date:
        with self.context.read_uow() as uow:
            office = self.context.views(uow, office_id).office()
            return office.service_day(self.context.clock())

    def choose(self, office_id: int, name: str | None, first: str | None = None,
               last: str | None = None) -> ChosenPeriod:
        return choose_period(name, self.today(office_id), first, last)

    def period(self, office_id: int, first: date, last: date) -> dict:
        """The evidence of the period (as GET /api/v1/evidence answers it), the extra figures
        by day and by clerk, the period's alerts, and how long each part took (seconds)."""
        timings = {}

        def extras():
            started = time.perf_counter()
            with self.context.read_uow() as uow:
                by_day = days_of(uow.manager.daily_counts(office_id, first, last))
                clerks = {clerk: {"served": n,
                                  "service_mean": None if mean is None else round(mean, 2)}
                          for clerk, n, mean in uow.manager.clerk_service(office_id, first, last)}
            timings["extra"] = time.perf_counter() - started
            started = time.perf_counter()
            alerts = self.alerts.history(office_id, first, last)
            timings["alerts"] = time.perf_counter() - started
            return by_day, clerks, alerts

        started = time.perf_counter()
        pending = self.parallel(extras)
        report = self.evidence.report(office_id, first, last)
        timings["evidence"] = time.perf_counter() - started
        started = time.perf_counter()
        by_day, clerks, alerts = pending.result()
        timings["waited"] = time.perf_counter() - started  # for the extras, after the evidence
        return {"evidence": report, "by_day": by_day, "clerks": clerks, "alerts": alerts,
                "timings": timings}


def days_of(rows: list[tuple]) -> list[dict]:
    """(day, channel, status, n) rows as one record a day: tickets issued, their outcome and
    their channel (the day is the ticket's issue day)."""
    days = defaultdict(lambda: {"issued": 0, "served": 0, "no_show": 0, "cancelled": 0,
                                **{c: 0 for c in CHANNELS}})
    for day, channel, status, n in rows:
        record = days[day]
        record["issued"] += n
        record[channel] = record.get(channel, 0) + n
        if status == "finished":
            record["served"] += n
        elif status in ("no_show", "cancelled"):
            record[status] += n
    return [{"day": d.isoformat(), **days[d],
             "online_share": round(days[d]["online"] / days[d]["issued"], 4)
             if days[d]["issued"] else None} for d in sorted(days)]
