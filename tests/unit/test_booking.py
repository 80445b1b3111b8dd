"""The rules of a booking and its check-in, on plain objects: no database, no web."""

from datetime import datetime, timedelta, timezone

import pytest

from queue_server.domain.booking import (CODE_ALPHABET, Booking, BookingStatus, CheckInPolicy,
                                         local_day_bounds, new_booking_code, parse_booking_code)
from queue_server.domain.errors import (BookingCancelled, BookingNotToday, BookingTooEarly,
                                        BookingTooLate, InvalidSlot, InvalidTransition)
from queue_server.domain.hours import OpeningHours
from queue_server.domain.model import Actor, Channel, Office, Priority, Service, Ticket
from queue_server.domain.policy import CallingPolicy

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 in Bangkok
SLOT = T0 + timedelta(hours=1)                          # 10:00 in Bangkok
POLICY = CheckInPolicy(early_minutes=60, grace_minutes=15)
STAFF = Actor.user(3)
KIOSK = Actor("kiosk", "k1")


def office(**kwargs) -> Office:
    o = Office("ที่ว่าการอำเภอทดสอบ", **kwargs)
    o.id = 1
    return o


def service() -> Service:
    s = Service(1, "A", "บัตรประจำตัวประชาชน", "ID card")
    s.id = 1
    return s


def booking(slot=SLOT, now=T0 - timedelta(days=1), **kwargs) -> Booking:
    b = Booking.book(office=office(), service=service(), code="ABC234", slot_at=slot, now=now,
                     actor=STAFF, policy=POLICY, **kwargs)
    b.id = 1
    return b


class TestCodes:
    def test_codes_are_six_unambiguous_characters(self):
        assert not set("01OI") & set(CODE_ALPHABET)
        codes = {new_booking_code() for _ in range(500)}
        assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
        assert len(codes) == 500

    @pytest.mark.parametrize("text", [
        "ABC234", " abc234\n", "abc-234", "AB C2 34",
        "https://gecc.example/b/ABC234", "http://x/kiosk?code=abc234&x=1",
        "https://gecc.example/booking?booking=ABC234", "https://gecc.example/b/ABC234/",
    ])
    def test_a_code_is_found_as_typed_or_scanned(self, text):
        assert parse_booking_code(text) == "ABC234"

    @pytest.mark.parametrize("text", ["", "   ", "ABC23", "ABC2345", "ABC10O", "ABCI34",
                                      "https://gecc.example/", "x" * 600, "ข้อความ"])
    def test_anything_else_is_no_code(self, text):
        assert parse_booking_code(text) is None


class TestBooking:
    def test_a_new_booking_is_booked_with_its_event(self):
        b = booking(name="สมชาย")
        assert (b.status, b.name, b.ticket_id) == (BookingStatus.BOOKED, "สมชาย", None)
        assert [e.kind.value for e in b.events] == ["booked"]
        assert b.events[0].actor_kind == "user" and b.events[0].data["slot_at"] == "2026-11-23T03:00:00Z"

    def test_a_slot_that_has_passed_or_is_too_far_is_refused(self):
        with pytest.raises(InvalidSlot):
            booking(slot=T0 - timedelta(minutes=16), now=T0)
        assert booking(slot=T0 - timedelta(minutes=15), now=T0)  # still within its grace
        with pytest.raises(InvalidSlot):
            booking(slot=T0 + timedelta(days=400), now=T0)

    def test_a_slot_outside_enforced_hours_is_refused(self):
        strict = office(enforce_hours=True, opening_hours=OpeningHours.default().to_json())
        late = datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc)  # 21:00 in Bangkok
        with pytest.raises(InvalidSlot):
            Booking.book(office=strict, service=service(), code="ABC234", slot_at=late, now=T0,
                         actor=STAFF, policy=POLICY)

    def test_status_is_expired_once_the_window_has_passed(self):
        b = booking()
        assert b.status_at(SLOT + timedelta(minutes=15), POLICY) == BookingStatus.BOOKED
        assert b.status_at(SLOT + timedelta(minutes=16), POLICY) == BookingStatus.EXPIRED

    def test_day_bounds_are_the_offices_local_midnights(self):
        start, end = local_day_bounds(office(), T0.date())
        assert start == datetime(2026, 11, 22, 17, tzinfo=timezone.utc)
        assert end - start == timedelta(days=1)


class TestCheckInWindow:
    @pytest.mark.parametrize("minutes", [-60, -30, 0, 15])
    def test_check_in_is_open_from_an_hour_before_until_the_grace_after(self, minutes):
        assert booking().needs_ticket(office(), SLOT + timedelta(minutes=minutes), POLICY) is True

    def test_too_early_says_from_when_in_the_offices_time(self):
        with pytest.raises(BookingTooEarly) as refused:
            booking().needs_ticket(office(), SLOT - timedelta(minutes=61), POLICY)
        assert "09:00" in refused.value.message and "10:00" in refused.value.message
        assert refused.value.extra["opens_at"] == "2026-11-23T02:00:00Z"
        assert refused.value.extra["opens_local"] == "09:00"

    def test_too_late_sends_the_citizen_to_a_normal_ticket(self):
        with pytest.raises(BookingTooLate) as refused:
            booking().needs_ticket(office(), SLOT + timedelta(minutes=16), POLICY)
        assert "normal ticket" in refused.value.message
        assert refused.value.extra["closes_local"] == "10:15"

    def test_the_window_follows_the_policy(self):
        wide = CheckInPolicy(early_minutes=120, grace_minutes=30)
        assert booking().needs_ticket(office(), SLOT - timedelta(minutes=110), wide)
        assert booking().needs_ticket(office(), SLOT + timedelta(minutes=29), wide)

    @pytest.mark.parametrize("days,past", [(1, True), (-1, False)])  # now vs the slot
    def test_a_booking_of_another_day_is_refused(self, days, past):
        b = booking(now=T0 - timedelta(days=3))
        with pytest.raises(BookingNotToday) as refused:
            b.needs_ticket(office(), SLOT + timedelta(days=days), POLICY)
        assert refused.value.extra["booking_day"] == "2026-11-23"
        assert refused.value.extra["past"] is past

    def test_another_day_is_the_offices_day_not_utc(self):
        # 23:30 UTC on the 22nd is already 06:30 on the 23rd in Bangkok: the same day.
        b = booking(slot=datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc), now=T0 - timedelta(days=1))
        assert b.needs_ticket(office(), datetime(2026, 11, 22, 23, 30, tzinfo=timezone.utc), POLICY)

    def test_a_cancelled_booking_is_refused(self):
        b = booking()
        b.cancel(T0, STAFF)
        assert b.status == BookingStatus.CANCELLED and b.cancelled_at == T0
        with pytest.raises(BookingCancelled):
            b.needs_ticket(office(), SLOT, POLICY)

    def test_checking_in_twice_answers_the_same_ticket(self):
        b = booking()
        assert b.needs_ticket(office(), T0, POLICY) is True
        b.check_in(41, "A007", T0, KIOSK)
        assert (b.status, b.ticket_id, b.checked_in_at) == (BookingStatus.CHECKED_IN, 41, T0)
        # A second scan, even after the grace: no new ticket, no error.
        assert b.needs_ticket(office(), SLOT + timedelta(hours=3), POLICY) is False
        with pytest.raises(InvalidTransition):
            b.check_in(42, "A008", T0, KIOSK)
        assert b.ticket_id == 41
        assert [e.kind.value for e in b.events] == ["booked", "checked_in"]
        assert b.events[1].ticket_id == 41 and b.events[1].data["minutes_before_slot"] == 60.0

    def test_a_checked_in_booking_cannot_be_cancelled(self):
        b = booking()
        b.check_in(41, "A007", T0, KIOSK)
        with pytest.raises(InvalidTransition):
            b.cancel(T0, STAFF)


def booked_ticket(arrival: datetime, calling: CallingPolicy) -> Ticket:
    return Ticket.issue(office=office(), service=service(), number=1, priority=Priority.NORMAL,
                        channel=Channel.ONLINE, now=arrival, actor=KIOSK, policy=calling,
                        appointment_at=SLOT)


def test_a_booked_ticket_near_its_slot_goes_ahead_by_the_appointment_head_start():
    calling = CallingPolicy(appointment_head_start_minutes=30)
    t = booked_ticket(SLOT - timedelta(minutes=10), calling)  # 09:50 for a 10:00 slot
    assert t.appointment_at == SLOT
    assert t.queue_key == SLOT - timedelta(minutes=30)  # as if they had come at 09:30
    assert calling.head_start(t) == (20, "appointment")
    assert t.events[0].data["appointment_at"] == "2026-11-23T03:00:00Z"
    assert t.events[0].data["channel"] == "online"
    late = booked_ticket(SLOT + timedelta(minutes=10), calling)  # within the grace
    assert late.queue_key == SLOT - timedelta(minutes=20)
    assert calling.head_start(late) == (30, "appointment")


def test_an_early_arrival_with_a_booking_waits_like_everyone_until_near_its_slot():
    """Checking in an hour early must not put the booking ahead of walk-ins who came before
    its slot: it counts from the arrival, as an ordinary ticket, since that is earlier."""
    calling = CallingPolicy(appointment_head_start_minutes=30)
    t = booked_ticket(T0, calling)  # 09:00 for a 10:00 slot
    assert t.queue_key == T0
    assert calling.head_start(t) == (0, None)
    walk_in = Ticket.issue(office=office(), service=service(), number=2, priority=Priority.NORMAL,
                           channel=Channel.KIOSK, now=T0 + timedelta(minutes=15), actor=KIOSK,
                           policy=calling)
    t.id, walk_in.id = 1, 2
    assert calling.choose([walk_in, t], T0 + timedelta(minutes=20), {1: 0}) is t  # came first


def test_a_booking_whose_ticket_was_cancelled_checks_in_again():
    b = booking()
    b.check_in(41, "A007", T0, KIOSK)
    assert b.needs_ticket(office(), T0, POLICY, ticket_cancelled=True) is True
    b.check_in(42, "A008", T0, KIOSK, replacing_cancelled=True)
    assert (b.status, b.ticket_id) == (BookingStatus.CHECKED_IN, 42)
    assert b.events[-1].data["replaces_ticket_id"] == 41
    # out of its window, a cancelled ticket is no way back in
    with pytest.raises(BookingTooLate):
        b.needs_ticket(office(), SLOT + timedelta(hours=3), POLICY, ticket_cancelled=True)
