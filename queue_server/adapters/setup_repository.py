"""What the office's set-up reads besides offices, services and counters: whether a service or
counter has been used (it then keeps its history), the devices and their pairing requests,
and the record of set-up changes (office_events)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..domain.devices import Device, DeviceRequest
from ..domain.model import OfficeEvent
from .orm import bookings, device_requests, devices_table, office_events, tickets
from .repository import SessionRepository


class SetupRepository(SessionRepository):
    def service_use(self, service_id: int, day: date) -> tuple[int, int]:
        """(tickets of the service's queue on `day`, tickets and bookings that ever named it)."""
        t = tickets.c
        today = self.session.execute(
            sa.select(sa.func.count()).select_from(tickets)
            .where(sa.or_(t.service_id == service_id, t.issued_service_id == service_id),
                   t.service_day == day)).scalar()
        ever = self.session.execute(
            sa.select(sa.func.count()).select_from(tickets)
            .where(sa.or_(t.service_id == service_id, t.issued_service_id == service_id))).scalar()
        booked = self.session.execute(
            sa.select(sa.func.count()).select_from(bookings)
            .where(bookings.c.service_id == service_id)).scalar()
        events = self.session.execute(
            sa.select(sa.func.count()).select_from(office_events)
            .where(office_events.c.service_id == service_id)).scalar()
        return today, ever + booked + events

    def devices(self, office_id: int) -> list[Device]:
        return list(self.session.scalars(
            sa.select(Device).where(devices_table.c.office_id == office_id)
            .order_by(devices_table.c.id)))

    def device(self, device_id: int) -> Device | None:
        return self.session.get(Device, device_id)

    def device_by_username(self, username: str) -> Device | None:
        return self.session.scalars(
            sa.select(Device).where(devices_table.c.username == username)).first()

    def device_request(self, request_id: int) -> DeviceRequest | None:
        return self.session.get(DeviceRequest, request_id)

    def device_request_by_code(self, code_hash: str) -> DeviceRequest | None:
        return self.session.scalars(
            sa.select(DeviceRequest).where(device_requests.c.code_hash == code_hash)).first()

    def office_events(self, office_id: int, limit: int = 50) -> list[OfficeEvent]:
        """The office's latest recorded changes, newest first (the admin pages' history)."""
        return list(self.session.scalars(
            sa.select(OfficeEvent).where(office_events.c.office_id == office_id)
            .order_by(office_events.c.id.desc()).limit(limit)))
