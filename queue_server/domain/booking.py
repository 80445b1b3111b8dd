"""Bookings: a citizen's appointment for a service at a slot, and checking in for it.

Plain Python, no framework. A booking is made ahead (by staff today; online later), and on the
day the citizen types or scans its code at the kiosk: within the check-in window that gives
them a ticket of the booked service, issued through the ordinary issue path with the slot as
its appointment time (so the calling policy's appointment head start applies).

What the later online-booking work adds on top (see README): slot capacity, the citizen's
booking page, remote same-day tickets. None of it changes the rules below.
"""

from __future__ import annotations

import enum
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import (BookingCancelled, BookingNotFound, BookingNotToday, BookingTooEarly,
                     BookingTooLate, InvalidSlot, InvalidTransition)
from .model import Actor, Office, RecordedEvent, Service

# Six characters a citizen can read aloud and type without doubt: no 0/O, no 1/I.
# 32 symbols, so 32**6 (about a billion) codes; codes are unique per office.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6
_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_SEPARATORS = re.compile(r"[\s\-_.]+")

# How far ahead a booking may be made (the later booking page sets its own horizon).
MAX_DAYS_AHEAD = 366


def new_booking_code() -> str:
    """A fresh random code; the caller makes sure no booking of the office has it."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def parse_booking_code(text: str) -> str | None:
    """The booking code in what was typed or scanned, or None when there is none.

    Accepts the code as typed (any case, with spaces or dashes: "abc-234"), or a URL from a
    QR code that holds it: in a `code` or `booking` query parameter, or as the last part of
    the path (".../b/ABC234").
    """
    text = (text or "").strip()
    if not text or len(text) > 500:
        return None
    candidates = [text]
    if "/" in text or "?" in text or "=" in text:
        try:
            parts = urlsplit(text)
        except ValueError:  # not a URL after all (e.g. "http://[::1"): no code in it
            return None
        query = parse_qs(parts.query)
        candidates = [*query.get("code", []), *query.get("booking", [])]
        segments = [s for s in parts.path.split("/") if s]
        if segments:
            candidates.append(unquote(segments[-1]))
    for candidate in candidates:
        code = _SEPARATORS.sub("", candidate).upper()
        if _CODE_RE.match(code):
            return code
    return None


class BookingStatus(str, enum.Enum):
    """Where a booking is. EXPIRED is never stored: it is a BOOKED booking whose check-in
    window has passed (no job has to run at midnight to mark it)."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class BookingEventKind(str, enum.Enum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CheckInPolicy:
    """When a booking's holder may check in: from `early_minutes` before the slot until
    `grace_minutes` after it (GECC_BOOKING_CHECKIN_EARLY_MINUTES / _GRACE_MINUTES)."""

    early_minutes: float = 60.0
    grace_minutes: float = 15.0

    def opens_at(self, slot_at: datetime) -> datetime:
        return slot_at - timedelta(minutes=self.early_minutes)

    def closes_at(self, slot_at: datetime) -> datetime:
        return slot_at + timedelta(minutes=self.grace_minutes)


def iso_utc(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def local_day_bounds(office: Office, day: date) -> tuple[datetime, datetime]:
    """The UTC instants where the office's local `day` begins and the next one begins."""
    return office.day_bounds(day)


class BookingEvent(RecordedEvent):
    """One row of the bookings' append-only record (like the tickets' event record)."""

    def __init__(self, booking: Booking, kind: BookingEventKind, at: datetime, actor: Actor,
                 office_id: int, service_id: int, ticket_id: int | None = None,
                 data: dict | None = None):
        super().__init__(kind, at, actor, data)
        self.booking = booking
        self.office_id = office_id
        self.service_id = service_id
        self.ticket_id = ticket_id


class Booking:
    """An appointment for one service at one slot, and the ticket it became on the day."""

    def __init__(self, office_id: int, service_id: int, code: str, slot_at: datetime,
                 created_at: datetime, name: str | None = None):
        self.office_id = office_id
        self.service_id = service_id
        self.code = code
        self.slot_at = slot_at
        self.name = name
        self.status = BookingStatus.BOOKED
        self.created_at = created_at
        self.checked_in_at = None
        self.cancelled_at = None
        self.ticket_id = None

    @classmethod
    def book(cls, *, office: Office, service: Service, code: str, slot_at: datetime,
             now: datetime, actor: Actor, policy: CheckInPolicy,
             name: str | None = None) -> Booking:
        """A new booking with its `booked` event. Refused for a slot one could no longer
        check in for, or beyond the booking horizon, or outside the office's hours when the
        office enforces them."""
        if service.office_id != office.id or not service.active:
            raise InvalidSlot(f"Service {service.name_en} takes no bookings.")
        if policy.closes_at(slot_at) < now:
            raise InvalidSlot("That slot has passed.", slot_at=iso_utc(slot_at))
        if slot_at - now > timedelta(days=MAX_DAYS_AHEAD):
            raise InvalidSlot(f"Bookings are taken up to {MAX_DAYS_AHEAD} days ahead.")
        if not office.is_open_at(slot_at):
            raise InvalidSlot("The office is closed at that time.", slot_at=iso_utc(slot_at))
        booking = cls(office_id=office.id, service_id=service.id, code=code, slot_at=slot_at,
                      created_at=now, name=name or None)
        booking._record(BookingEventKind.BOOKED, now, actor,
                        data={"code": code, "slot_at": iso_utc(slot_at)})
        return booking

    # --- rules --------------------------------------------------------------------------

    def status_at(self, now: datetime, policy: CheckInPolicy) -> BookingStatus:
        """The status as the citizen and staff see it: a booked slot whose window has gone
        by is EXPIRED."""
        if self.status == BookingStatus.BOOKED and now > policy.closes_at(self.slot_at):
            return BookingStatus.EXPIRED
        return self.status

    def needs_ticket(self, office: Office, now: datetime, policy: CheckInPolicy,
                     ticket_cancelled: bool = False) -> bool:
        """Whether checking in now issues a ticket (True), or the booking was already checked
        in today and its ticket is the answer (False: a second scan shows the same number).
        A booking whose ticket was cancelled (by staff, or by someone who had the code) takes
        a fresh ticket within its check-in window, as if it had not been checked in.

        Raises, with a message saying why and what to do, when check-in is refused: the
        booking is cancelled, is for another day, or it is too early or too late.
        """
        today = office.service_day(now)
        day = office.service_day(self.slot_at)
        info = self._info(office, policy)
        if self.status == BookingStatus.CANCELLED:
            raise BookingCancelled("This booking was cancelled; please take a normal ticket.",
                                   **info)
        if day != today:
            when = "was" if day < today else "is"
            raise BookingNotToday(
                f"This booking {when} for {day.isoformat()}, not today."
                + (" Please take a normal ticket." if day < today
                   else " Please come on that day."), past=day < today, **info)
        if self.status == BookingStatus.CHECKED_IN and not ticket_cancelled:
            return False
        if now < policy.opens_at(self.slot_at):
            raise BookingTooEarly(
                f"Check-in for this booking ({info['slot_local']}) opens at "
                f"{info['opens_local']}.", **info)
        if now > policy.closes_at(self.slot_at):
            raise BookingTooLate(
                f"The check-in time of this booking ({info['slot_local']}) ended at "
                f"{info['closes_local']}; please take a normal ticket.", **info)
        return True

    # --- transitions --------------------------------------------------------------------

    def check_in(self, ticket_id: int, number: str, now: datetime, actor: Actor,
                 replacing_cancelled: bool = False) -> None:
        """The holder checked in and ticket `ticket_id` was issued for the booking; again,
        with `replacing_cancelled`, when its earlier ticket was cancelled (the event says
        which one it replaces)."""
        self._require({BookingStatus.BOOKED, BookingStatus.CHECKED_IN}
                      if replacing_cancelled else {BookingStatus.BOOKED}, "checked in")
        data = {"number": number,
                "minutes_before_slot": round((self.slot_at - now).total_seconds() / 60, 1)}
        if self.status == BookingStatus.CHECKED_IN:
            data["replaces_ticket_id"] = self.ticket_id
        self.status = BookingStatus.CHECKED_IN
        self.ticket_id = ticket_id
        self.checked_in_at = now
        self._record(BookingEventKind.CHECKED_IN, now, actor, ticket_id=ticket_id, data=data)

    def cancel(self, now: datetime, actor: Actor) -> None:
        """Withdraw the booking. Once checked in, it is the ticket that is cancelled."""
        self._require({BookingStatus.BOOKED}, "cancelled")
        self.status = BookingStatus.CANCELLED
        self.cancelled_at = now
        self._record(BookingEventKind.CANCELLED, now, actor)

    # --- helpers ------------------------------------------------------------------------

    @property
    def events(self) -> list[BookingEvent]:
        """Events recorded since the object was made or loaded; stored with the booking."""
        try:
            return self._events
        except AttributeError:
            self._events: list[BookingEvent] = []
            return self._events

    def _info(self, office: Office, policy: CheckInPolicy) -> dict:
        """The times a refusal names, in UTC (for clients) and in the office's clock."""
        opens, closes = policy.opens_at(self.slot_at), policy.closes_at(self.slot_at)
        return {"service_id": self.service_id, "slot_at": iso_utc(self.slot_at),
                "opens_at": iso_utc(opens), "closes_at": iso_utc(closes),
                "booking_day": office.service_day(self.slot_at).isoformat(),
                "slot_local": office.local(self.slot_at).strftime("%H:%M"),
                "opens_local": office.local(opens).strftime("%H:%M"),
                "closes_local": office.local(closes).strftime("%H:%M")}

    def _require(self, allowed: set[BookingStatus], verb: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(
                f"Booking {self.code} is {self.status.value.replace('_', ' ')}; "
                f"it cannot be {verb}.")

    def _record(self, kind: BookingEventKind, now: datetime, actor: Actor,
                ticket_id: int | None = None, data: dict | None = None) -> None:
        self.events.append(BookingEvent(
            booking=self, kind=kind, at=now, actor=actor, office_id=self.office_id,
            service_id=self.service_id, ticket_id=ticket_id, data=data))
