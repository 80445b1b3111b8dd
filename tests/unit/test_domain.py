"""The rules of a ticket's life, on plain objects: no database, no web."""

from datetime import datetime, timedelta, timezone

import pytest

from queue_server.domain.errors import InvalidTransition
from queue_server.domain.eta import estimate_wait_minutes, typical_service_minutes
from queue_server.domain.hours import OpeningHours
from queue_server.domain.model import (Actor, Channel, EventKind, Office, Priority, Service,
                                       Ticket, TicketStatus)
from queue_server.domain.policy import CallingPolicy

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 in Bangkok
CLERK = Actor.user(7)
POLICY = CallingPolicy()


def office() -> Office:
    o = Office("ที่ว่าการอำเภอทดสอบ")
    o.id = 1
    return o


def service(sid: int = 1, code: str = "A") -> Service:
    s = Service(1, code, "บัตรประจำตัวประชาชน", "ID card")
    s.id = sid
    return s


_ids = iter(range(1, 10_000))


def ticket(minutes_after: float = 0, priority=Priority.NORMAL, svc: Service | None = None,
           number: int = 1) -> Ticket:
    t = Ticket.issue(office=office(), service=svc or service(), number=number, priority=priority,
                     channel=Channel.KIOSK, now=T0 + timedelta(minutes=minutes_after),
                     actor=Actor("kiosk", "k1"), policy=POLICY)
    t.id = next(_ids)
    return t


def kinds(t: Ticket) -> list[str]:
    return [e.kind.value for e in t.events]


class TestLifecycle:
    def test_a_new_ticket_waits_with_its_label_and_issue_event(self):
        t = ticket(number=7)
        assert (t.label, t.status) == ("A007", TicketStatus.WAITING)
        assert kinds(t) == ["issued"]
        assert t.events[0].actor_kind == "kiosk" and t.events[0].at == T0

    def test_call_start_finish_records_each_step_with_time_and_actor(self):
        t = ticket()
        t.call(3, T0 + timedelta(minutes=12), CLERK)
        t.start(T0 + timedelta(minutes=13), CLERK)
        t.finish(T0 + timedelta(minutes=20), CLERK)
        assert t.status == TicketStatus.FINISHED
        assert kinds(t) == ["issued", "called", "started", "finished"]
        assert t.events[1].data["waited_seconds"] == 720
        assert t.events[3].data["service_seconds"] == 420  # from start, not from the call
        assert all(e.actor_id == "7" for e in t.events[1:])
        assert t.events[1].counter_id == 3

    def test_finish_straight_from_called_counts_service_from_the_call(self):
        t = ticket()
        t.call(1, T0 + timedelta(minutes=1), CLERK)
        t.finish(T0 + timedelta(minutes=6), CLERK)
        assert t.events[-1].data["service_seconds"] == 300

    @pytest.mark.parametrize("action", ["start", "finish", "recall", "no_show"])
    def test_a_waiting_ticket_cannot_be_served_before_it_is_called(self, action):
        t = ticket()
        with pytest.raises(InvalidTransition, match="A001 is waiting"):
            if action == "no_show":
                t.no_show(T0, CLERK, 1, POLICY)
            else:
                getattr(t, action)(T0, CLERK)
        assert t.status == TicketStatus.WAITING and kinds(t) == ["issued"]

    def test_a_finished_ticket_cannot_be_called_again_or_cancelled(self):
        t = ticket()
        t.call(1, T0, CLERK)
        t.finish(T0, CLERK)
        for change in (lambda: t.call(2, T0, CLERK), lambda: t.cancel(T0, CLERK),
                       lambda: t.finish(T0, CLERK)):
            with pytest.raises(InvalidTransition):
                change()
        assert kinds(t) == ["issued", "called", "finished"]

    def test_recall_counts_and_keeps_the_ticket_at_its_counter(self):
        t = ticket()
        t.call(2, T0, CLERK)
        t.recall(T0 + timedelta(minutes=1), CLERK)
        t.recall(T0 + timedelta(minutes=2), CLERK)
        assert (t.status, t.counter_id, t.recall_count) == (TicketStatus.CALLED, 2, 2)

    def test_no_show_requeues_once_then_drops(self):
        t = ticket()
        t.call(2, T0 + timedelta(minutes=5), CLERK)
        assert t.no_show(T0 + timedelta(minutes=7), CLERK, requeue_limit=1, policy=POLICY) is True
        assert (t.status, t.counter_id, t.queued_at) == (
            TicketStatus.WAITING, None, T0 + timedelta(minutes=7))
        t.call(2, T0 + timedelta(minutes=9), CLERK)
        assert t.no_show(T0 + timedelta(minutes=11), CLERK, requeue_limit=1, policy=POLICY) is False
        assert t.status == TicketStatus.NO_SHOW
        assert kinds(t)[-3:] == ["requeued", "called", "no_show"]
        assert t.events[-1].counter_id == 2

    def test_no_show_with_no_grace_drops_at_once(self):
        t = ticket()
        t.call(2, T0, CLERK)
        assert t.no_show(T0, CLERK, requeue_limit=0, policy=POLICY) is False
        assert t.status == TicketStatus.NO_SHOW

    def test_transfer_keeps_number_and_issue_time_for_end_to_end_wait(self):
        t = ticket(number=4)
        t.call(1, T0 + timedelta(minutes=10), CLERK)
        t.start(T0 + timedelta(minutes=11), CLERK)
        t.transfer(service(2, "B"), T0 + timedelta(minutes=15), CLERK, POLICY)
        assert (t.service_id, t.issued_service_id, t.label) == (2, 1, "A004")
        assert (t.status, t.counter_id, t.issued_at) == (TicketStatus.WAITING, None, T0)
        assert t.transfer_count == 1
        assert t.events[-1].data == {"from_service_id": 1, "to_service_id": 2}
        t.call(3, T0 + timedelta(minutes=40), CLERK)
        assert t.wait_seconds(T0 + timedelta(minutes=50)) == 40 * 60

    def test_transfer_to_the_same_service_is_refused(self):
        t = ticket()
        with pytest.raises(InvalidTransition, match="already"):
            t.transfer(service(1), T0, CLERK, POLICY)

    def test_cancel_from_waiting_or_called(self):
        waiting, called = ticket(), ticket()
        called.call(1, T0, CLERK)
        waiting.cancel(T0, Actor("citizen"))
        called.cancel(T0, CLERK)
        assert waiting.status == called.status == TicketStatus.CANCELLED
        assert waiting.events[-1].actor_kind == "citizen"


class TestPolicy:
    def test_same_class_same_service_is_first_come_first_served(self):
        a, b, c = ticket(0), ticket(1), ticket(2)
        assert POLICY.choose([c, a, b], T0 + timedelta(minutes=5), {1: 0}) is a

    def test_priority_goes_ahead_of_recent_ordinary_tickets(self):
        ordinary = ticket(0)
        elderly = ticket(10, Priority.ELDERLY)
        assert POLICY.choose([ordinary, elderly], T0 + timedelta(minutes=11), {1: 0}) is elderly
        assert POLICY.head_start(elderly) == (15.0, "priority")

    def test_ageing_no_ordinary_ticket_waits_forever(self):
        """An ordinary ticket that has waited longer than the head start beats any newcomer."""
        ordinary = ticket(0)
        monk = ticket(16, Priority.MONK)  # 16 minutes later: more than the 15-minute head start
        assert POLICY.choose([monk, ordinary], T0 + timedelta(minutes=17), {1: 0}) is ordinary

    def test_a_counter_prefers_its_main_service_until_the_other_waited_longer(self):
        main = service(1, "A")
        other = service(2, "B")
        a = ticket(5, svc=main)
        b_recent = ticket(0, svc=other)  # waited 5 min longer: not enough (step is 10)
        assert POLICY.choose([a, b_recent], T0 + timedelta(minutes=6), {1: 0, 2: 1}) is a
        b_old = ticket(-6, svc=other)  # waited 11 min longer: taken first
        assert POLICY.choose([a, b_old], T0 + timedelta(minutes=6), {1: 0, 2: 1}) is b_old

    def test_transferred_ticket_keeps_a_head_start_in_its_new_queue(self):
        waiting_b = ticket(0, svc=service(2, "B"))
        moved = ticket(0)
        moved.transfer(service(2, "B"), T0 + timedelta(minutes=10), CLERK, POLICY)
        assert POLICY.choose([waiting_b, moved], T0 + timedelta(minutes=11), {2: 0}) is moved

    def test_policy_change_does_not_move_those_already_waiting(self):
        strict = CallingPolicy(priority_head_start_minutes=0)
        elderly = ticket(5, Priority.ELDERLY)  # queued under the default policy
        assert strict.queue_key(elderly) > elderly.queue_key


class TestEstimates:
    def test_eta_divides_the_work_ahead_over_open_counters(self):
        assert estimate_wait_minutes(ahead=6, service_minutes=10, counters_open=3) == 20
        assert estimate_wait_minutes(ahead=1, service_minutes=10, counters_open=3) == 4
        assert estimate_wait_minutes(ahead=0, service_minutes=10, counters_open=1) == 0

    def test_no_open_counter_means_no_estimate(self):
        assert estimate_wait_minutes(ahead=3, service_minutes=10, counters_open=0) is None

    def test_typical_time_uses_the_standard_until_there_is_data_then_the_median(self):
        assert typical_service_minutes([60, 120], standard_minutes=12) == 12
        # One clerk forgot to press finish for an hour: the median is not fooled.
        assert typical_service_minutes([240, 300, 300, 360, 3600], standard_minutes=12) == 5


class TestOfficeTime:
    def test_service_day_follows_bangkok_midnight_not_utc(self):
        o = office()
        before = datetime(2026, 11, 22, 16, 59, tzinfo=timezone.utc)  # 23:59 BKK on the 22nd
        after = datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc)  # 00:00 BKK on the 23rd
        assert (o.service_day(before).day, o.service_day(after).day) == (22, 23)

    def test_opening_hours_know_the_extended_windows(self):
        hours = OpeningHours.default()
        zone = office().zone
        lunch = datetime(2026, 11, 23, 12, 30, tzinfo=zone)
        evening = datetime(2026, 11, 23, 18, 0, tzinfo=zone)
        saturday = datetime(2026, 11, 28, 10, 0, tzinfo=zone)
        sunday = datetime(2026, 11, 29, 10, 0, tzinfo=zone)
        assert hours.window_at(lunch).kind == "lunch"
        assert hours.window_at(evening).kind == "evening"
        assert hours.window_at(saturday).kind == "weekend"
        assert not hours.is_open(sunday)
        assert OpeningHours.from_json(hours.to_json()) == hours

    def test_an_office_that_enforces_hours_is_closed_at_night(self):
        o = office()
        o.enforce_hours = True
        assert o.is_open_at(T0)  # 09:00 Monday
        assert not o.is_open_at(T0 + timedelta(hours=12))  # 21:00
