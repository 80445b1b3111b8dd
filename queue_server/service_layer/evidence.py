"""The GECC evidence of a period: the visits read from the record, the figures computed by
rubric/ (plain Python), the criteria assessed and the score estimated. `GET
/api/v1/evidence` and the evidence pack answer with it."""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from pathlib import Path

from rubric.complaints import ComplaintRow, complaint_rows
from rubric.evidence import (CounterChange, EvidenceInput, Period, RatingRow, ServiceInfo,
                             evidence)
from rubric.pack import ticket_columns, write_pack
from rubric.visits import Visits
from rubric.score import assess

from ..domain.complaint import categories_from_json
from ..domain.errors import DomainError
from .assessment import latest_answers
from .context import Context

MAX_DAYS = 400  # a year and a bit: what a GECC assessment looks back on


@dataclass
class EvidenceData:
    """A period's evidence with the visits it was computed from (tickets.csv)."""

    report: dict
    visits: Visits
    services: dict[int, ServiceInfo]
    counters: dict[int, str]
    ratings: list[RatingRow]
    complaints: list[ComplaintRow]  # of the period (complaints.csv)


class Evidence:
    KEPT = 16  # reports kept for their period while nothing they read changes

    def __init__(self, context: Context):
        self.context = context
        self._reports: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def report(self, office_id: int | None, first: date | None = None,
               last: date | None = None) -> dict:
        """The figures of the office's local days first..last (both included; today when
        neither is given). A report already computed is given again while nothing it reads
        has changed (uow.evidence.version): the manager's period page and self-assessment of
        the same year cost one computation, not two. Treat it as read-only."""
        with self.context.read_uow() as uow:
            office = self.context.views(uow, office_id).office()
            today = office.service_day(self.context.clock())
            key = (office.id, first or last or today, last or first or today, today,
                   uow.evidence.version())
        with self._lock:
            if key in self._reports:
                self._reports.move_to_end(key)
                return self._reports[key]
        report = self.data(office_id, first, last).report
        with self._lock:
            self._reports[key] = report
            while len(self._reports) > self.KEPT:
                self._reports.popitem(last=False)
        return report

    def forget(self) -> None:
        """Drop the kept reports: the next ones are computed (benchmarks measure both)."""
        with self._lock:
            self._reports.clear()

    def export(self, office_id: int | None, first: date, last: date, out: Path,
               pdf_beside: bool = True) -> list[Path]:
        """The evidence pack of the period into the folder `out`; the files written.
        `pdf_beside`: the PDF drawn by a process of its own while the rest is written."""
        data = self.data(office_id, first, last)
        columns = ticket_columns(data.visits, {i: s.code for i, s in data.services.items()},
                                 data.counters, {r.ticket_id: r.score for r in data.ratings})
        return write_pack(Path(out), data.report, columns, complaint_rows(
            data.complaints, date.fromisoformat(data.report["complaints"]["as_of"]),
            data.report["timezone"]), pdf_beside=pdf_beside)

    def data(self, office_id: int | None, first: date | None = None,
             last: date | None = None) -> EvidenceData:
        with self.context.read_uow() as uow, _collector_paused():
            office = self.context.views(uow, office_id).office()
            today = office.service_day(self.context.clock())
            first, last = first or last or today, last or first or today
            if first > last:
                raise DomainError("The period's first day comes after its last.")
            if (last - first).days >= MAX_DAYS:
                raise DomainError(f"A period is at most {MAX_DAYS} days.")
            services = {s.id: ServiceInfo(s.id, s.code, s.name_th, s.name_en,
                                          s.standard_minutes, s.target_wait_minutes)
                        for s in uow.offices.services(office.id)}
            counters = {c.id: c.name for c in uow.offices.counters(office.id)}
            visits = self._visits(uow, office.id, first, last)
            ratings = self._ratings(uow, office.id, visits)
            start, end = office.day_bounds(first, last)
            complaints = [ComplaintRow(*r) for r in uow.complaints.evidence_rows(office.id, start, end)]
            data = EvidenceInput(
                period=Period(first, last), timezone=office.timezone, visits=visits,
                services=list(services.values()), ratings=ratings,
                names={"services": {i: s.code for i, s in services.items()},
                       "counters": counters,
                       "clerks": {u.id: u.display_name for u in uow.users.users_of_office(office.id)},
                       "complaint_categories": {c.key: (c.name_th, c.name_en) for c in
                                                categories_from_json(office.complaint_categories)}},
                complaints=complaints, as_of=today,
                alerts=uow.alerts.raised_between(office.id, start, end),
                online_since=uow.evidence.first_online_day(office.id),
                counter_changes=[CounterChange(*change)
                                 for change in uow.evidence.counter_changes(office.id, end)])
            report = {"office": {"id": office.id, "name": office.name, "name_en": office.name_en},
                      **evidence(data)}
            manual = {item: a.met for item, a in
                      latest_answers(uow.evidence.answers(office.id), last).items()}
            report["items"], report["score"] = assess(report, manual)
            return EvidenceData(report, visits, services, counters, ratings, complaints)

    @staticmethod
    def _ratings(uow, office_id: int, visits: Visits) -> list[RatingRow]:
        """The ratings of the period's visits."""
        if not len(visits):
            return []
        ids = set(visits.id.tolist())
        return [RatingRow._make(row) for row in uow.evidence.ratings_of_tickets(
                    office_id, int(visits.id.min()), int(visits.id.max())) if row[0] in ids]

    @staticmethod
    def _visits(uow, office_id: int, first: date, last: date) -> Visits:
        reasons = defaultdict(list)
        for ticket_id, reason in uow.evidence.out_of_order_calls(office_id, first, last):
            reasons[ticket_id].append(reason)
        return Visits.from_rows(uow.evidence.visit_rows(office_id, first, last), reasons)


@contextmanager
def _collector_paused():
    """Reading a year of tickets makes millions of short-lived objects, none of them in a
    cycle; the cyclic garbage collector's passes over them took a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
