"""Figures of the manager's period pages that the evidence (rubric/evidence.py) does not give:
tickets by day, channel and outcome, and each clerk's service time. A few GROUP BY queries
(a year of a busy office is a quarter of a million tickets: nothing per ticket in Python)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from .orm import tickets
from .repository import SessionRepository


def _service_minutes(dialect: str):
    """Minutes from the start of service (or the call when there was none) to the finish, as
    the evidence defines them, in the database's own date arithmetic."""
    t = tickets.c
    began = sa.func.coalesce(t.started_at, t.called_at)
    if dialect == "postgresql":
        return sa.extract("epoch", t.finished_at - began) / 60.0
    return (sa.func.julianday(t.finished_at) - sa.func.julianday(began)) * 1440.0


class ManagerRepository(SessionRepository):
    def daily_counts(self, office_id: int, first: date, last: date) -> list[tuple]:
        """(day, channel, status, tickets) of the local days first..last."""
        t = tickets.c
        channel = sa.type_coerce(t.channel, sa.String)
        status = sa.type_coerce(t.status, sa.String)
        return [tuple(row) for row in self.session.execute(
            sa.select(t.service_day, channel, status, sa.func.count())
            .where(t.office_id == office_id, t.service_day.between(first, last))
            .group_by(t.service_day, channel, status)
            .order_by(t.service_day))]

    def clerk_service(self, office_id: int, first: date, last: date) -> list[tuple]:
        """(clerk id, finished tickets, mean service minutes) of the period's visits, by the
        clerk who finished them."""
        t = tickets.c
        minutes = _service_minutes(self.session.get_bind().dialect.name)
        return [tuple(row) for row in self.session.execute(
            sa.select(t.served_by, sa.func.count(), sa.func.avg(minutes))
            .where(t.office_id == office_id, t.service_day.between(first, last),
                   sa.type_coerce(t.status, sa.String) == "finished",
                   t.finished_at.is_not(None), t.served_by.is_not(None))
            .group_by(t.served_by))]
