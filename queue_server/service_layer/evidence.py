"""The GECC evidence of a period: the visits read from the record, the figures computed by
rubric/ (plain Python), the criteria assessed and the score estimated. `GET
/api/v1/evidence` and the evidence pack answer with it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pathlib import Path

from rubric.complaints import ComplaintRow, complaint_rows
from rubric.evidence import (CounterChange, EvidenceInput, Period, ServiceInfo, Visit,
                             evidence)
from rubric.pack import ticket_rows, write_pack
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
    visits: list[Visit]
    services: dict[int, ServiceInfo]
    counters: dict[int, str]
    ratings: dict[int, int]  # ticket id -> score
    complaints: list = None  # ComplaintRow of the period (complaints.csv)


class Evidence:
    def __init__(self, context: Context):
        self.context = context

    def report(self, office_id: int | None, first: date | None = None,
               last: date | None = None) -> dict:
        """The figures of the office's local days first..last (both included; today when
        neither is given)."""
        return self.data(office_id, first, last).report

    def export(self, office_id: int | None, first: date, last: date, out: Path) -> list[Path]:
        """The evidence pack of the period into the folder `out`; the files written."""
        data = self.data(office_id, first, last)
        rows = ticket_rows(data.visits, {i: s.code for i, s in data.services.items()},
                           data.counters, data.ratings)
        return write_pack(Path(out), data.report, rows, complaint_rows(
            data.complaints, date.fromisoformat(data.report["complaints"]["as_of"]),
            data.report["timezone"]))

    def data(self, office_id: int | None, first: date | None = None,
             last: date | None = None) -> EvidenceData:
        with self.context.read_uow() as uow:
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
            ratings = uow.evidence.ratings_of_days(office.id, first, last)
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
            return EvidenceData(report, visits, services, counters,
                                {r.ticket_id: r.score for r in ratings}, complaints)

    @staticmethod
    def _visits(uow, office_id: int, first: date, last: date) -> list[Visit]:
        reasons = defaultdict(list)
        for ticket_id, reason in uow.evidence.out_of_order_calls(office_id, first, last):
            reasons[ticket_id].append(reason)
        visits = []
        for row in uow.evidence.visit_rows(office_id, first, last):
            status = row.status
            service_minutes = None
            if status == "finished" and row.finished_at is not None:
                began = row.started_at or row.called_at
                service_minutes = (row.finished_at - began).total_seconds() / 60
            visits.append(Visit(
                id=row.id, number=row.label, service_id=row.issued_service_id,
                final_service_id=row.service_id, counter_id=row.counter_id,
                clerk_id=row.served_by, status=status, priority=row.priority,
                channel=row.channel, day=row.service_day, issued_at=row.issued_at,
                first_called_at=row.first_called_at, finished_at=row.finished_at,
                service_minutes=service_minutes, triaged=bool(row.triaged),
                out_of_order=tuple(reasons.get(row.id, ())),
                transferred=bool(row.transfer_count), no_shows=row.no_show_count or 0))
        return visits

