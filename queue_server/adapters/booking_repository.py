"""Queries over bookings (domain/booking.py). Kept apart from repository.py, the queue's hot
paths, so each can change without the other; both work on the unit of work's session."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain.booking import Booking, BookingEvent
from .orm import booking_events, bookings
from .repository import SessionRepository


class BookingRepository(SessionRepository):
    def by_id(self, booking_id: int) -> Booking | None:
        return self.session.get(Booking, booking_id)

    def by_code(self, office_id: int, code: str, lock: bool = False) -> Booking | None:
        """The office's booking with `code`. With `lock`, the row is held until commit
        (PostgreSQL), so a second check-in of the same booking waits for the first and then
        finds it checked in; SQLite's writers run one at a time anyway."""
        query = sa.select(Booking).where(bookings.c.office_id == office_id,
                                         bookings.c.code == code)
        if lock:
            query = query.with_for_update(of=bookings)
        return self.session.scalars(query).first()

    def code_taken(self, office_id: int, code: str) -> bool:
        return self.session.execute(sa.select(sa.exists().where(
            bookings.c.office_id == office_id, bookings.c.code == code))).scalar()

    def between(self, office_id: int, start: datetime, end: datetime) -> list[Booking]:
        """The office's bookings with a slot in [start, end), in slot order."""
        return list(self.session.scalars(
            sa.select(Booking).where(bookings.c.office_id == office_id,
                                     bookings.c.slot_at >= start, bookings.c.slot_at < end)
            .order_by(bookings.c.slot_at, bookings.c.id)))

    def events_of(self, booking_id: int) -> list[BookingEvent]:
        return list(self.session.scalars(
            sa.select(BookingEvent).where(booking_events.c.booking_id == booking_id)
            .order_by(booking_events.c.id)))
