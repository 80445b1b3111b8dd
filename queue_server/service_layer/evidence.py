"""The GECC evidence of a period, read from the record and computed by rubric/ (plain
Python). `GET /api/v1/evidence` and, later, the evidence pack answer with it."""

from __future__ import annotations

from datetime import date

from rubric.evidence import Period, satisfaction_section, ticket_counts

from ..domain.errors import DomainError
from .context import Context

MAX_DAYS = 400  # a year and a bit: what a GECC assessment looks back on


class Evidence:
    def __init__(self, context: Context):
        self.context = context

    def report(self, office_id: int | None, first: date | None = None,
               last: date | None = None) -> dict:
        """The figures of the office's local days first..last (both included; today when
        neither is given)."""
        with self.context.read_uow() as uow:
            office = self.context.views(uow, office_id).office()
            today = office.service_day(self.context.clock())
            first, last = first or last or today, last or first or today
            if first > last:
                raise DomainError("The period's first day comes after its last.")
            if (last - first).days >= MAX_DAYS:
                raise DomainError(f"A period is at most {MAX_DAYS} days.")
            tickets = uow.tickets.tickets_of_days(office.id, first, last)
            ratings = uow.ratings.of_days(office.id, first, last)
            names = {"services": {s.id: s.code for s in uow.offices.services(office.id)},
                     "counters": {c.id: c.name for c in uow.offices.counters(office.id)},
                     "clerks": {u.id: u.display_name for u in uow.users.users_of_office(office.id)}}
            return {"period": Period(first, last).to_json(), "office": office.name,
                    "timezone": office.timezone, "tickets": ticket_counts(tickets),
                    "satisfaction": satisfaction_section(tickets, ratings, names)}
