"""Queries over ratings and the managers' alerts (domain/rating.py, domain/alerts.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain.alerts import Alert
from ..domain.rating import Rating
from .orm import alerts_table, ratings, tickets
from .repository import SessionRepository


class RatingRepository(SessionRepository):
    def by_ticket(self, ticket_id: int) -> Rating | None:
        return self.session.scalars(sa.select(Rating).where(ratings.c.ticket_id == ticket_id)).first()

    def with_comments_from_before(self, cutoff: datetime, limit: int = 500) -> list[Rating]:
        """Ratings whose comment has been kept past its retention (PDPA erasure)."""
        return list(self.session.scalars(
            sa.select(Rating).where(ratings.c.comment.is_not(None), ratings.c.created_at < cutoff)
            .order_by(ratings.c.id).limit(limit)))


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
