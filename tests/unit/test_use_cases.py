"""The rules of the use cases, on the in-memory unit of work (tests/unit/fakes.py): no
database, no Flask, milliseconds each. The same rules run on SQLite and PostgreSQL through
HTTP in tests/test_api.py and tests/integration/."""

from __future__ import annotations

import pytest

from queue_server.domain.errors import InvalidTransition, QueueEmpty
from queue_server.domain.model import Actor, Channel, Priority, TicketStatus
from queue_server.service_layer.office_settings import OfficeSettings
from queue_server.service_layer.tickets import Tickets
from queue_server.service_layer.unit_of_work import ConcurrentUpdate, run_in_transaction

from fakes import FakeUnitOfWork, small_office

CLERK = Actor.user(7)
KIOSK = Actor("kiosk", "k1")


@pytest.fixture
def office():
    context, db, notifier, clock = small_office()
    return Tickets(context), db, notifier, clock


def issue(tickets, service_id=2, priority=Priority.NORMAL):
    return tickets.issue_ticket(service_id, priority, Channel.KIOSK, KIOSK, print_ticket=False)


def events_of(db, ticket_id):
    ticket = next(t for t in db.tickets if t.id == ticket_id)
    return [(e.kind.value, e.data) for e in ticket.events]


def test_call_next_calls_the_head_of_the_queue_and_numbers_run_per_service(office):
    tickets, db, _, clock = office
    first, second = issue(tickets), issue(tickets)
    other = issue(tickets, service_id=3)
    assert (first["number"], second["number"], other["number"]) == ("A001", "A002", "B001")
    assert second["ahead"] == 1
    called = tickets.call_next(1, CLERK)
    assert (called["number"], called["status"], called["counter"]["id"]) == ("A001", "called", 1)


def test_call_next_finishes_the_counters_current_ticket_first(office):
    tickets, db, notifier, clock = office
    first, second = issue(tickets), issue(tickets)
    tickets.call_next(1, CLERK)
    clock.advance(5)
    called = tickets.call_next(1, CLERK)
    assert called["number"] == second["number"]
    kinds = [kind for kind, _ in events_of(db, first["id"])]
    assert kinds == ["issued", "called", "finished"]
    # The holder of the first ticket hears that it is finished.
    finished = [p for e, p, r in notifier.published
                if e == "ticket_updated" and p["id"] == first["id"]]
    assert finished[-1]["status"] == "finished"


def test_a_double_press_with_seen_ticket_id_calls_no_one_more(office):
    tickets, db, notifier, _ = office
    issue(tickets), issue(tickets)
    shown = tickets.call_next(1, CLERK, seen_ticket_id=None)
    published = len(notifier.published)
    # The console still showed nothing when the second press left: the counter moved on.
    again = tickets.call_next(1, CLERK, seen_ticket_id=None)
    assert again["repeated"] is True and again["id"] == shown["id"]
    assert [t.status for t in db.tickets] == [TicketStatus.CALLED, TicketStatus.WAITING]
    assert len(notifier.published) == published  # nothing was announced again


def test_an_elderly_citizen_goes_first_and_the_reason_is_recorded(office):
    tickets, db, _, clock = office
    issue(tickets)
    clock.advance(1)
    elderly = issue(tickets, priority=Priority.ELDERLY)
    called = tickets.call_next(2, CLERK)
    assert called["id"] == elderly["id"]
    kind, data = events_of(db, elderly["id"])[-1]
    assert kind == "called" and data["out_of_order"] == "priority"


def test_a_clerk_choosing_a_later_number_is_recorded_as_chosen(office):
    tickets, db, _, clock = office
    issue(tickets)
    clock.advance(2)
    later = issue(tickets)
    tickets.call_ticket(1, later["id"], CLERK)
    assert events_of(db, later["id"])[-1][1]["out_of_order"] == "chosen"


def test_hold_and_call_back_at_the_same_counter_only(office):
    tickets, db, notifier, _ = office
    held = issue(tickets)
    issue(tickets)
    tickets.call_next(1, CLERK)
    assert tickets.hold(held["id"], CLERK)["status"] == "held"
    served_meanwhile = tickets.call_next(1, CLERK)      # the counter serves the next citizen
    assert served_meanwhile["id"] != held["id"]
    with pytest.raises(InvalidTransition):
        tickets.call_ticket(2, held["id"], CLERK)       # another counter cannot take it
    back = tickets.call_ticket(1, held["id"], CLERK)
    assert back["status"] == "called" and back["counter"]["id"] == 1
    # The lobby announces the call back; the one served meanwhile is finished.
    calls = [p["number"] for e, p, r in notifier.published if e == "ticket_called" and r == "display:1"]
    assert calls[-1] == held["number"]
    assert next(t for t in db.tickets if t.id == served_meanwhile["id"]).status == TicketStatus.FINISHED


def test_an_empty_queue_still_keeps_the_finish_of_the_current_ticket(office):
    tickets, db, _, _ = office
    only = issue(tickets)
    tickets.call_next(2, CLERK)
    with pytest.raises(QueueEmpty):
        tickets.call_next(2, CLERK)
    assert db.tickets[0].status == TicketStatus.FINISHED and db.tickets[0].id == only["id"]


def test_a_call_is_published_to_its_rooms_only_after_commit(office):
    tickets, db, notifier, _ = office
    ticket = issue(tickets)
    notifier.published.clear()
    commits = db.commits
    tickets.call_next(1, CLERK)
    assert db.commits == commits + 1
    rooms = {r for e, _, r in notifier.published if e == "ticket_called"}
    assert rooms == {"display:1", "counter:1", f"ticket:{ticket['token']}"}
    # The call comes first (the lobby speaks it), then the ticket, the queue, the counter.
    order = [e for e, _, r in notifier.published if r == "display:1"]
    assert order == ["ticket_called", "queue_changed", "counter_updated"]
    # The lobby's view of the counter carries no token and no triage note.
    counter = next(p for e, p, r in notifier.published if e == "counter_updated")
    assert "token" not in counter["current"] and "note" not in counter["current"]


def test_a_refused_change_publishes_nothing(office):
    tickets, db, notifier, _ = office
    ticket = issue(tickets)
    notifier.published.clear()
    with pytest.raises(InvalidTransition):
        tickets.recall(ticket["id"], CLERK)  # it was never called
    assert notifier.published == []


def test_closing_a_counter_with_a_citizen_is_refused_and_recorded_when_done(office):
    tickets, db, _, _ = office
    settings = OfficeSettings(tickets.context)
    issue(tickets)
    called = tickets.call_next(1, CLERK)
    from queue_server.domain.errors import Conflict
    with pytest.raises(Conflict):
        settings.set_counter(1, CLERK, is_open=False)
    tickets.finish(called["id"], CLERK)
    assert settings.set_counter(1, CLERK, is_open=False)["is_open"] is False
    assert [e.kind.value for e in db.other] == ["counter_closed"]


def test_a_use_case_that_lost_a_race_runs_again_on_fresh_data():
    _, db, notifier, _ = small_office()
    attempts = []

    def run(uow):
        attempts.append(uow)
        if len(attempts) < 3:
            raise ConcurrentUpdate("StaleDataError")
        uow.commit()
        return "done"

    assert run_in_transaction(lambda: FakeUnitOfWork(db, notifier), run) == "done"
    assert len(attempts) == 3 and len({id(u) for u in attempts}) == 3  # a new unit each time
    with pytest.raises(ConcurrentUpdate):
        run_in_transaction(lambda: FakeUnitOfWork(db, notifier),
                           lambda uow: (_ for _ in ()).throw(ConcurrentUpdate("x")), max_attempts=2)


def test_a_new_counter_is_closed_numbered_after_the_last_and_recorded(office):
    tickets, db, notifier, _ = office
    settings = OfficeSettings(tickets.context)
    a, b = (s.id for s in db.services)
    made = settings.add_counter([b, a], CLERK)
    assert (made["number"], made["is_open"], made["service_ids"]) == (3, False, [b, a])
    [event] = [e for e in db.other if getattr(e, "kind", None) is not None]
    assert event.kind.value == "counter_services_set" and event.data["service_ids"] == [b, a]
    # The lobby hears of the new counter after the commit.
    assert "counter_updated" in notifier.events("display:1")
    assert settings.set_counter(made["id"], CLERK, is_open=True)["is_open"] is True
