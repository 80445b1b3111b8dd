"""Booking use cases: staff make a booking, the citizen checks in at the kiosk on the day.

Check-in and the ticket it issues are one transaction: the booking row is locked (PostgreSQL)
or the writer holds the database (SQLite), the ticket comes from the queue's own issue path
(`Tickets.issue_ticket(within=uow)`, channel ONLINE, the slot as appointment time), and the
booking records the ticket before the commit. A booking that is already checked in answers
with its ticket, so a citizen who scans twice sees the same number, never a second ticket.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from ..domain.booking import (Booking, CheckInPolicy, local_day_bounds, new_booking_code,
                              parse_booking_code)
from ..domain.errors import BookingNotFound, Conflict, NotFound
from ..domain.model import Actor, Channel, Office, Priority, Service, TicketStatus
from .context import Context
from .messages import iso
from .tickets import Tickets
from .unit_of_work import UnitOfWork


def booking_view(booking: Booking, service: Service, office: Office, now: datetime,
                 policy: CheckInPolicy, ticket_number: str | None = None) -> dict:
    """A booking as staff see it (it holds the citizen's name: never on public answers)."""
    return {
        "id": booking.id, "code": booking.code, "name": booking.name,
        "service_id": service.id, "service_code": service.code,
        "service_name_th": service.name_th, "service_name_en": service.name_en,
        "slot_at": iso(booking.slot_at),
        "slot_local": office.local(booking.slot_at).strftime("%H:%M"),
        "day": office.service_day(booking.slot_at).isoformat(),
        "status": booking.status_at(now, policy).value,
        "check_in_from": iso(policy.opens_at(booking.slot_at)),
        "check_in_until": iso(policy.closes_at(booking.slot_at)),
        "ticket_id": booking.ticket_id, "ticket_number": ticket_number,
        "created_at": iso(booking.created_at), "checked_in_at": iso(booking.checked_in_at),
        "cancelled_at": iso(booking.cancelled_at),
    }


class Bookings:
    """The booking use cases; a check-in issues its ticket through `tickets`."""

    def __init__(self, context: Context, tickets: Tickets, policy: CheckInPolicy | None = None):
        self.context = context
        self.tickets = tickets
        self.policy = policy or CheckInPolicy()

    @property
    def clock(self):
        return self.context.clock

    # --- staff --------------------------------------------------------------------------

    def create(self, service_id: int, slot_at: datetime, actor: Actor, name: str | None = None,
               office_id: int | None = None) -> dict:
        """Book `service_id` at `slot_at` (aware, or naive in the office's own time)."""
        def run(uow: UnitOfWork) -> dict:
            office = self._office(uow, office_id)
            service = uow.offices.service(service_id)
            if service is None or service.office_id != office.id:
                raise NotFound(f"There is no service {service_id}.")
            slot = slot_at if slot_at.tzinfo else slot_at.replace(tzinfo=office.zone)
            slot = slot.astimezone(timezone.utc)
            now = self.clock()
            booking = Booking.book(office=office, service=service, code=self._new_code(uow, office),
                                   slot_at=slot, now=now, actor=actor, policy=self.policy,
                                   name=name)
            uow.bookings.add(booking)
            uow.flush()
            view = booking_view(booking, service, office, now, self.policy)
            uow.commit()
            return view
        # A code drawn twice at the same moment fails the unique constraint: run again.
        return self.context.write(run)

    def day(self, office_id: int | None = None, day: date | None = None) -> dict:
        """The bookings of one local day (today by default), in slot order."""
        with self.context.read_uow() as uow:
            office = self._office(uow, office_id)
            now = self.clock()
            day = day or office.service_day(now)
            start, end = local_day_bounds(office, day)
            services = {s.id: s for s in uow.offices.services(office.id)}
            views = []
            for booking in uow.bookings.between(office.id, start, end):
                ticket = uow.tickets.ticket(booking.ticket_id) if booking.ticket_id else None
                views.append(booking_view(booking, services[booking.service_id], office, now,
                                          self.policy, ticket.label if ticket else None))
            return {"date": day.isoformat(), "bookings": views}

    def cancel(self, booking_id: int, actor: Actor, office_id: int | None = None) -> dict:
        def run(uow: UnitOfWork) -> dict:
            booking = uow.bookings.by_id(booking_id)
            if booking is None or (office_id is not None and booking.office_id != office_id):
                raise NotFound(f"There is no booking {booking_id}.")
            now = self.clock()
            booking.cancel(now, actor)
            uow.flush()
            office = self._office(uow, booking.office_id)
            view = booking_view(booking, uow.offices.service(booking.service_id), office, now,
                                self.policy)
            uow.commit()
            return view
        return self.context.write(run)

    # --- the citizen at the kiosk -------------------------------------------------------

    def check_in(self, text: str, actor: Actor, kiosk_id: str | None = None,
                 print_ticket: bool = True, known_caller: bool = False,
                 office_id: int | None = None) -> tuple[dict, bool]:
        """Check in with a typed or scanned code (or a URL holding it) at the kiosk of
        `office_id` (None: the server's first office); codes are the office's own.
        `known_caller`: staff or a paired device; an anonymous repeated scan gets the number
        without the token.

        Returns (the ticket's view, True) when a ticket was issued now, or (the same ticket's
        view, False) when the booking had been checked in already today.
        """
        code = parse_booking_code(text)
        if code is None:
            raise BookingNotFound("That is not a booking code: a code is 6 letters and digits.")

        def run(uow: UnitOfWork) -> tuple[dict, bool]:
            office = self._office(uow, office_id)
            booking = uow.bookings.by_code(office.id, code, lock=True)
            if booking is None:
                raise BookingNotFound(f"There is no booking with the code {code}.",
                                      booking_code=code)
            now = self.clock()
            brief = {"code": booking.code, "slot_at": iso(booking.slot_at)}
            ticket = uow.tickets.ticket(booking.ticket_id) if booking.ticket_id else None
            cancelled = ticket is not None and ticket.status == TicketStatus.CANCELLED
            if not booking.needs_ticket(office, now, self.policy, ticket_cancelled=cancelled):
                view = self.context.views(uow, office.id).ticket(ticket)
                if not known_caller:
                    # Anyone holding the code may scan it again: the number, not the token
                    # (the token cancels the ticket; the kiosk that checked in has it).
                    view = {k: v for k, v in view.items() if k not in ("token", "status_url")}
                return {**view, "booking": brief, "repeated": True}, False
            view = self.tickets.issue_ticket(
                booking.service_id, Priority.NORMAL, Channel.ONLINE, actor, kiosk_id=kiosk_id,
                office_id=office.id, print_ticket=print_ticket, appointment_at=booking.slot_at,
                within=uow)
            booking.check_in(view["id"], view["number"], now, actor, replacing_cancelled=cancelled)
            uow.flush()
            uow.commit()
            return {**view, "booking": brief, "repeated": False}, True
        # A concurrent check-in that won the race makes this one's update stale (version) or
        # its ticket link a duplicate (unique): it runs again and answers the winner's ticket.
        return self.context.write(run)

    # --- helpers ------------------------------------------------------------------------

    def _office(self, uow: UnitOfWork, office_id: int | None) -> Office:
        return self.context.views(uow).office(office_id)

    @staticmethod
    def _new_code(uow: UnitOfWork, office: Office) -> str:
        for _ in range(20):
            code = new_booking_code()
            if not uow.bookings.code_taken(office.id, code):
                return code
        raise Conflict("Could not find a free booking code; try again.")  # pragma: no cover
