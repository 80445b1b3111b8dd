"""Live events: a display sees calls the moment they are committed, and a full snapshot on join."""

import pytest

from queue_server.domain.printing import PrinterState
from queue_server.live.sockets import socketio


def received(client, name):
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


@pytest.fixture
def display(app):
    client = socketio.test_client(app)
    client.emit("join", {"room": "display"}, callback=True)
    return client


def test_join_answers_with_a_snapshot_of_the_room(app, api, clock):
    api.issue(1)
    api.issue(2)
    api.call_next(1)
    client = socketio.test_client(app)
    ack = client.emit("join", {"room": "display"}, callback=True)
    assert ack == {"ok": True}
    [snapshot] = received(client, "snapshot")
    assert snapshot["room"] == "display"
    assert [c["number"] for c in snapshot["recent_calls"]] == ["A001"]
    waiting = {s["code"]: s["waiting"] for s in snapshot["services"]}
    assert waiting["A"] == 0 and waiting["B"] == 1
    counter1 = next(c for c in snapshot["counters"] if c["id"] == 1)
    assert counter1["current"]["number"] == "A001"


def test_display_receives_the_call_and_the_queue_change(app, api, display):
    display.get_received()
    api.issue(1)
    changed = received(display, "queue_changed")
    # A newcomer now would have 1 ahead: 10 minutes over the 3 open counters of service A.
    assert changed == [{"service_id": 1, "waiting": 1, "eta_minutes": 4, "counters_open": 3,
                        "open": True, "active": True}]
    api.call_next(2)
    [call] = received(display, "ticket_called")
    assert (call["number"], call["counter_id"], call["counter_name"], call["recall"]) == (
        "A001", 2, "ช่อง 2", False)
    assert call["called_at"].endswith("Z")


def test_recall_is_announced_again(app, api, display):
    t = api.issue(1)
    api.call_next(1)
    display.get_received()
    api.post(f"/tickets/{t['id']}/recall", as_="staff1")
    [call] = received(display, "ticket_called")
    assert call["recall"] is True and call["number"] == "A001"


def test_counter_and_ticket_rooms(app, api):
    t = api.issue(1)
    counter = socketio.test_client(app)
    counter.emit("join", {"room": "counter:1"}, callback=True)
    [snap] = received(counter, "snapshot")
    assert snap["counter"]["id"] == 1 and snap["counter"]["current"] is None
    holder = socketio.test_client(app)
    holder.emit("join", {"room": f"ticket:{t['token']}"}, callback=True)
    assert received(holder, "snapshot")[0]["ticket"]["status"] == "waiting"

    api.call_next(1)
    at_counter = {e["name"]: e["args"][0] for e in counter.get_received()}
    assert at_counter["ticket_called"]["number"] == "A001"
    assert at_counter["counter_updated"]["current"]["number"] == "A001"
    assert at_counter["queue_changed"]["waiting"] == 0
    for_holder = {e["name"]: e["args"][0] for e in holder.get_received()}
    assert for_holder["ticket_called"]["counter_name"] == "ช่อง 1"
    assert for_holder["ticket_updated"]["status"] == "called"
    assert for_holder["ticket_updated"]["counter"]["id"] == 1


def test_other_counters_do_not_hear_a_call(app, api):
    api.issue(1)
    other = socketio.test_client(app)
    other.emit("join", {"room": "counter:4"}, callback=True)  # serves C and D, not A
    other.get_received()
    api.call_next(1)
    assert received(other, "ticket_called") == []
    assert received(other, "queue_changed") == []


def test_no_event_when_the_change_is_refused(app, api, display):
    t = api.issue(1)
    display.get_received()
    assert api.post(f"/tickets/{t['id']}/finish", as_="staff1").status_code == 409
    assert display.get_received() == []


@pytest.mark.parametrize("room", ["lobby", "counter:x", "ticket:", "ticket:no-such-ticket", 5, None])
def test_bad_rooms_are_refused(app, room):
    client = socketio.test_client(app)
    ack = client.emit("join", {"room": room}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] in ("invalid_room", "not_found")
    # The same shape as the HTTP API's errors, on the event as on the acknowledgement.
    [error] = received(client, "error")
    assert error == {"error": ack["error"]}


def test_only_a_logged_in_manager_joins_the_managers_room(app, api):
    """The managers' room hears printers in trouble (and, soon, alerts): staff only."""
    anonymous = socketio.test_client(app)
    refused = anonymous.emit("join", {"room": "managers"}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"

    for username, may_join in (("staff1", False), ("manager", True)):
        web = app.test_client()
        token = web.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        assert web.post("/login", data={"username": username, "password": f"{username}-demo",
                                        "csrf_token": token}).status_code == 302
        client = socketio.test_client(app, flask_test_client=web)
        ack = client.emit("join", {"room": "managers"}, callback=True)
        assert ack["ok"] is may_join, (username, ack)
    [snapshot] = received(client, "snapshot")
    assert "printers" in snapshot
    app.extensions["gecc"].printing.report_status(PrinterState(
        None, False, "out", None, "paper out", None))
    [status] = received(client, "printer_status")
    assert status["paper"] == "out"


def test_public_rooms_never_carry_tokens_or_triage_notes(app, api):
    """Anyone may watch the lobby: a token there would let a stranger cancel the ticket."""
    api.post("/tickets", {"service_id": 1, "channel": "reception", "note": "ขาดสำเนาทะเบียนบ้าน"},
             as_="reception")
    lobby = socketio.test_client(app)
    lobby.emit("join", {"room": "display"}, callback=True)
    screen = socketio.test_client(app)
    screen.emit("join", {"room": "counter:1"}, callback=True)
    api.call_next(1)
    seen = lobby.get_received() + screen.get_received()
    assert {"snapshot", "ticket_called", "counter_updated"} <= {e["name"] for e in seen}
    text = repr(seen)
    assert "ขาดสำเนา" not in text and "token" not in text and "/t/" not in text
    # The clerk's own API view does have them.
    current = api.get("/counters/1", as_="staff1").json["current"]
    assert current["note"] == "ขาดสำเนาทะเบียนบ้าน" and current["token"]


def test_display_hears_when_a_counter_finishes(app, api, display):
    t = api.issue(1)
    api.call_next(1)
    display.get_received()
    api.post(f"/tickets/{t['id']}/finish", as_="staff1")
    updates = received(display, "counter_updated")
    assert updates[-1]["id"] == 1 and updates[-1]["current"] is None


def test_the_manager_changes_the_lobby_notice_and_displays_show_it_at_once(app, api, display):
    display.get_received()
    answer = api.post("/office/notice", {"text": "  งดให้บริการบัตรประชาชนช่วง 12:00-13:00  "},
                      as_="manager")
    assert answer.status_code == 200 and answer.json["notice"] == "งดให้บริการบัตรประชาชนช่วง 12:00-13:00"
    assert received(display, "notice_changed") == [{"text": "งดให้บริการบัตรประชาชนช่วง 12:00-13:00"}]
    assert api.get("/office").json["notice"].startswith("งดให้บริการ")
    late = socketio.test_client(app)
    late.emit("join", {"room": "display"}, callback=True)
    assert received(late, "snapshot")[0]["office"]["notice"].startswith("งดให้บริการ")
    assert api.post("/office/notice", {"text": "x"}, as_="staff1").status_code == 403
    assert api.post("/office/notice", {"text": "x" * 1001}, as_="manager").status_code == 400


def test_a_call_committed_while_a_display_joins_is_not_lost(app, api, monkeypatch):
    """A screen that (re)connects just as a clerk calls gets the call, in its snapshot or as
    an event: the server puts it in the room before it reads the room's state. (The other way
    round, a lobby TV back from a server restart kept showing the number before.)"""
    from queue_server.live import sockets

    api.issue(1)
    read_state = sockets.snapshot_of

    def read_then_a_call_commits(room, office_id=None):
        state = read_state(room, office_id)
        assert api.call_next(1).status_code == 200
        return state

    monkeypatch.setattr(sockets, "snapshot_of", read_then_a_call_commits)
    client = socketio.test_client(app)
    assert client.emit("join", {"room": "display"}, callback=True) == {"ok": True}
    seen = client.get_received()
    [snapshot] = [e["args"][0] for e in seen if e["name"] == "snapshot"]
    assert snapshot["recent_calls"] == []          # read before the call committed
    assert [e["args"][0]["number"] for e in seen if e["name"] == "ticket_called"] == ["A001"]


def test_the_print_agent_channel_refuses_in_the_apis_error_shape(app):
    """A page (no device token) cannot act as a print agent; the refusal has the same shape
    as every HTTP and Socket.IO refusal."""
    page = socketio.test_client(app)
    for event, data in (("agent_hello", {}), ("print_ack", {"job_id": 1}), ("printer_status", {})):
        answer = page.emit(event, data, callback=True)
        assert answer == {"ok": False, "error": {"code": "invalid_request",
                                                 "message": "Only a print agent may do this."}}
