"""The manager's pages: a period's figures (the evidence, and the period's alerts read beside
it), and the self-assessment with its score. Reads only."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Callable

from ..domain.periods import ChosenPeriod, choose_period
from .context import Context

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
        """The evidence of the period (as GET /api/v1/evidence answers it: its `by_day` and
        `clerks` feed the trends and the clerks' table), the period's alerts, and how long
        each part took (seconds)."""
        timings = {}

        def alerts():
            started = time.perf_counter()
            history = self.alerts.history(office_id, first, last)
            timings["alerts"] = time.perf_counter() - started
            return history

        started = time.perf_counter()
        pending = self.parallel(alerts)  # SQL: the database works outside Python's lock
        report = self.evidence.report(office_id, first, last)
        timings["evidence"] = time.perf_counter() - started
        started = time.perf_counter()
        history = pending.result()
        timings["waited"] = time.perf_counter() - started  # for the alerts, after the evidence
        clerks = {c["clerk_id"]: {"served": c["served"], "service_mean": c["service_mean"]}
                  for c in report["clerks"]}
        return {"evidence": report, "by_day": report["by_day"], "clerks": clerks,
                "alerts": history, "timings": timings}


