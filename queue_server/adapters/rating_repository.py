"""Queries over ratings and the managers' alerts (domain/rating.py, domain/alerts.py)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from ..domain.alerts import Alert, CounterClosing, WaitingQueue
from ..domain.model import OfficeEventKind
from ..domain.rating import Rating
from .orm import alerts_table, office_events, ratings, tickets
from .repository import SessionRepository


class RatingRepository(SessionRepository):
    def by_ticket(self, ticket_id: int) -> Rating | None:
        return self.session.scalars(sa.select(Rating).where(ratings.c.ticket_id == ticket_id)).first()

    def with_comments_from_before(self, cutoff: datetime, limit: int = 500) -> list[Rating]:
        """Ratings whose comment has been kept past its retention (PDPA erasure)."""
        return list(self.session.scalars(
            sa.select(Rating).where(ratings.c.comment.is_not(None), ratings.c.created_at < cutoff)
            .order_by(ratings.c.id).limit(limit)))


    def comments_of(self, ticket_ids: list[int]) -> dict[int, str]:
        """The comments of those tickets' ratings (the ones that have one), in one query."""
        found = {}
        ids = sorted(set(ticket_ids))
        for start in range(0, len(ids), 900):  # SQLite's limit of bound parameters
            found.update(self.session.execute(
                sa.select(ratings.c.ticket_id, ratings.c.comment)
                .where(ratings.c.ticket_id.in_(ids[start:start + 900]),
                       ratings.c.comment.is_not(None))).all())
        return found


class AlertRepository(SessionRepository):
    def by_id(self, alert_id: int) -> Alert | None:
        return self.session.get(Alert, alert_id)

    def open(self, office_id: int) -> list[Alert]:
        return list(self.session.scalars(
            sa.select(Alert).where(alerts_table.c.office_id == office_id,
                                   alerts_table.c.handled_at.is_(None))
            .order_by(alerts_table.c.raised_at.desc(), alerts_table.c.id.desc())))

    def raised_between(self, office_id: int, start: datetime, end: datetime) -> list[Alert]:
        return list(self.session.scalars(
            sa.select(Alert).where(alerts_table.c.office_id == office_id,
                                   alerts_table.c.raised_at >= start, alerts_table.c.raised_at < end)
            .order_by(alerts_table.c.raised_at.desc(), alerts_table.c.id.desc())))

    def waiting_queues(self, office_id: int, day: date) -> dict[int, WaitingQueue]:
        """Each service's queue of the local day: how many wait, and the ticket waiting longest
        since its issue that has never been called (a requeued or transferred ticket's wait
        ended at its first call)."""
        t = tickets.c
        rows = self.session.execute(
            sa.select(t.id, t.label, t.service_id, t.issued_at, t.called_at)
            .where(t.office_id == office_id, t.service_day == day,
                   sa.type_coerce(t.status, sa.String) == "waiting")
            .order_by(t.issued_at, t.id))
        counts, oldest = {}, {}
        for row in rows:
            counts[row.service_id] = counts.get(row.service_id, 0) + 1
            if row.called_at is None and row.service_id not in oldest:
                oldest[row.service_id] = row
        return {sid: WaitingQueue(sid, n, *((oldest[sid].id, oldest[sid].label,
                                               oldest[sid].issued_at) if sid in oldest
                                              else (None, None, None)))
                for sid, n in counts.items()}

    def last_closings(self, office_id: int, since: datetime) -> dict[int, CounterClosing]:
        """Each counter's latest closing since `since`, with the waiting counts recorded then."""
        rows = self.session.execute(
            sa.select(office_events.c.counter_id, office_events.c.at, office_events.c.data)
            .where(office_events.c.office_id == office_id, office_events.c.at >= since,
                   office_events.c.kind == OfficeEventKind.COUNTER_CLOSED)
            .order_by(office_events.c.at, office_events.c.id))
        return {counter_id: CounterClosing(counter_id, at, {
                    int(k): int(v) for k, v in ((data or {}).get("waiting") or {}).items()})
                for counter_id, at, data in rows if counter_id is not None}
