"""The queue end to end through the HTTP API, on a real database (SQLite file and PostgreSQL)."""

from datetime import timedelta

import sqlalchemy as sa

from queue_server.adapters.orm import office_events, ticket_events, tickets


def events(app, ticket_id):
    with app.extensions["gecc"].engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            sa.select(ticket_events).where(ticket_events.c.ticket_id == ticket_id)
            .order_by(ticket_events.c.id))]


def test_a_ticket_goes_from_kiosk_to_counter_to_finished(api, app, clock):
    first = api.issue(1)
    second = api.issue(1)
    assert (first["number"], second["number"]) == ("A001", "A002")
    assert (first["ahead"], second["ahead"]) == (0, 1)
    assert second["status_url"] == f"http://gecc.test/t/{second['token']}"

    clock.advance(minutes=4)
    called = api.call_next(1).json
    assert (called["number"], called["status"], called["counter"]["name"]) == ("A001", "called", "ช่อง 1")
    assert api.get(f"/tickets/{second['token']}").json["ahead"] == 0

    clock.advance(minutes=1)
    assert api.post(f"/tickets/{first['id']}/start", as_="staff1").json["status"] == "serving"
    clock.advance(minutes=6)
    done = api.post(f"/tickets/{first['id']}/finish", as_="staff1").json
    assert done["status"] == "finished" and done["counter"] is None

    recorded = events(app, first["id"])
    assert [e["kind"].value for e in recorded] == ["issued", "called", "started", "finished"]
    assert [e["at"] for e in recorded] == [clock.now - timedelta(minutes=11),
                                           clock.now - timedelta(minutes=7),
                                           clock.now - timedelta(minutes=6), clock.now]
    assert recorded[1]["actor_kind"] == "user" and recorded[1]["counter_id"] == 1
    assert recorded[3]["data"]["service_seconds"] == 360


def test_next_finishes_the_current_ticket_first(api, app):
    a, b = api.issue(1), api.issue(1)
    api.call_next(1)
    assert api.call_next(1).json["number"] == b["number"]
    assert api.get(f"/tickets/{a['token']}").json["status"] == "finished"
    assert events(app, a["id"])[-1]["data"]["how"] == "next"


def test_empty_queue_answers_404_and_still_finishes_the_current(api):
    a = api.issue(1)
    api.call_next(1)
    response = api.call_next(1)
    assert response.status_code == 404 and response.json["error"]["code"] == "queue_empty"
    assert api.get(f"/tickets/{a['token']}").json["status"] == "finished"


def test_a_repeated_press_calls_nothing_more(api):
    """The console sends the ticket it shows; a double press must not skip a citizen."""
    a, b, c = api.issue(1), api.issue(1), api.issue(1)
    first = api.post("/counters/1/call-next", {"seen_ticket_id": None}, as_="staff1").json
    assert first["number"] == a["number"]
    second = api.post("/counters/1/call-next", {"seen_ticket_id": a["id"]}, as_="staff1").json
    assert second["number"] == b["number"]
    repeat = api.post("/counters/1/call-next", {"seen_ticket_id": a["id"]}, as_="staff1").json
    assert (repeat["number"], repeat["repeated"]) == (b["number"], True)
    # A console that showed no ticket at all: its retried press must not call a second one.
    blank = api.post("/counters/1/call-next", {"seen_ticket_id": None}, as_="staff1").json
    assert (blank["number"], blank["repeated"]) == (b["number"], True)
    assert api.get(f"/tickets/{c['token']}").json["status"] == "waiting"


def test_numbers_restart_at_local_midnight_not_utc_midnight(api, clock):
    from datetime import datetime, timezone
    clock.now = datetime(2026, 11, 23, 16, 50, tzinfo=timezone.utc)  # 23:50 in Bangkok
    assert api.issue(1)["number"] == "A001"
    assert api.issue(1)["number"] == "A002"
    assert api.issue(2)["number"] == "B001"
    clock.advance(minutes=15)  # 00:05 on the 24th in Bangkok; still the 23rd in UTC
    assert api.issue(1)["number"] == "A001"
    assert api.issue(2)["number"] == "B001"


def test_yesterdays_leftovers_are_not_called_today(api, clock):
    api.issue(1)
    clock.advance(days=1)
    today = api.issue(1)
    assert api.call_next(1).json["id"] == today["id"]


def test_priority_ticket_is_called_first_and_the_jump_is_recorded(api, app, clock):
    ordinary = api.issue(1)
    clock.advance(minutes=2)
    elderly = api.issue(1, priority="elderly")
    assert elderly["ahead"] == 0
    called = api.call_next(1).json
    assert called["id"] == elderly["id"]
    assert events(app, elderly["id"])[1]["data"]["out_of_order"] == "priority"
    assert api.call_next(1).json["id"] == ordinary["id"]
    assert "out_of_order" not in events(app, ordinary["id"])[1]["data"]


def test_counter_serves_its_services_in_order_of_preference(api, clock):
    # Counter 2 serves A first, then B.
    b = api.issue(2)
    clock.advance(minutes=3)
    a = api.issue(1)
    assert api.call_next(2).json["id"] == a["id"]
    clock.advance(minutes=20)
    a2 = api.issue(1)
    assert api.call_next(2).json["id"] == b["id"]  # B waited 23 minutes: past the 10-minute step
    assert api.call_next(2).json["id"] == a2["id"]


def test_no_show_requeues_once_then_drops(api):
    t = api.issue(1)
    api.call_next(1)
    again = api.post(f"/tickets/{t['id']}/no-show", as_="staff1").json
    assert again["status"] == "waiting"
    api.call_next(1)
    gone = api.post(f"/tickets/{t['id']}/no-show", as_="staff1").json
    assert gone["status"] == "no_show"
    assert api.call_next(1).status_code == 404


def test_transfer_moves_the_ticket_to_the_other_queue_with_its_history(api, app):
    t = api.issue(1)
    api.call_next(1)
    moved = api.post(f"/tickets/{t['id']}/transfer", {"service_id": 2}, as_="staff1").json
    assert (moved["service_id"], moved["number"], moved["status"]) == (2, "A001", "waiting")
    called = api.call_next(3).json  # counter 3 serves B
    assert called["id"] == t["id"]
    kinds = [e["kind"].value for e in events(app, t["id"])]
    assert kinds == ["issued", "called", "transferred", "called"]


def test_citizen_cancels_with_the_token_and_nobody_else_can(api):
    t = api.issue(1)
    other = api.issue(1)
    wrong = api.post(f"/tickets/{t['id']}/cancel", {"token": other["token"]})
    assert wrong.status_code == 404
    assert api.post(f"/tickets/{t['id']}/cancel", {}).status_code == 401
    ok = api.post(f"/tickets/{t['id']}/cancel", {"token": t["token"]})
    assert ok.status_code == 200 and ok.json["status"] == "cancelled"
    assert api.call_next(1).json["id"] == other["id"]


def test_closed_counter_cannot_call_and_closing_with_a_ticket_is_refused(api):
    api.issue(1)
    api.call_next(1)
    refused = api.post("/counters/1/settings", {"open": False}, as_="staff1")
    assert refused.status_code == 409
    assert api.post("/counters/1/call-next", {}, as_="staff1").status_code == 404  # finished; empty
    assert api.post("/counters/1/settings", {"open": False}, as_="staff1").json["is_open"] is False
    api.issue(1)
    closed = api.call_next(1)
    assert closed.status_code == 409 and closed.json["error"]["code"] == "counter_closed"


def test_counter_services_can_be_changed_for_the_day(api):
    body = api.post("/counters/1/settings", {"service_ids": [4, 1]}, as_="staff1").json
    assert body["service_ids"] == [4, 1]
    d = api.issue(4)
    assert api.call_next(1).json["id"] == d["id"]
    # A counter left serving nothing, a service twice or one of no office: refused, unchanged.
    for ids, status in (([], 409), ([4, 4], 409), ([4, 999], 404)):
        refused = api.post("/counters/1/settings", {"service_ids": ids}, as_="staff1")
        assert refused.status_code == status, (ids, refused.json)
    assert api.get("/counters/1", as_="staff1").json["service_ids"] == [4, 1]


def test_a_manager_closes_a_service_for_new_tickets_and_who_waits_is_still_called(api):
    waiting = api.issue(2)
    assert api.post("/services/2/settings", {"open": False}, as_="staff1").status_code == 403
    assert api.post("/services/2/settings", {"open": "no"}, as_="manager").status_code == 400
    closed = api.post("/services/2/settings", {"open": False}, as_="manager")
    assert closed.status_code == 200 and closed.json["open"] is False
    assert closed.json["waiting"] == 1
    listed = {s["id"]: s for s in api.get("/services").json}
    assert listed[2]["open"] is False and listed[2]["active"] is False and listed[1]["open"]
    refused = api.post("/tickets", {"service_id": 2})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "service_closed"
    assert api.post(f"/tickets/{api.issue(1)['id']}/transfer", {"service_id": 2},
                    as_="staff1").status_code == 409
    # Counter 3 serves B first: the citizen who waited is still called.
    assert api.call_next(3).json["id"] == waiting["id"]
    assert api.post("/services/2/settings", {"open": True}, as_="manager").json["open"] is True
    assert api.issue(2)["number"] == "B002"
    assert api.post("/services/999/settings", {"open": True}, as_="manager").status_code == 404


def office_record(app) -> list[tuple]:
    with app.extensions["gecc"].engine.connect() as conn:
        rows = conn.execute(sa.select(office_events).order_by(office_events.c.id)).mappings()
        return [(r["kind"], r["counter_id"], r["service_id"], r["actor_kind"], r["data"])
                for r in rows]


def test_counters_opened_and_closed_and_services_stopped_are_on_the_office_record(api, app, clock):
    """Which counters were open when is the staffing evidence (GECC 3.1); the record is kept
    like a ticket's, and a setting sent again unchanged adds nothing."""
    seeded = office_record(app)
    assert [k for k, *_ in seeded] == ["counter_opened"] * 5          # the demo opens them
    assert api.post("/counters/2/settings", {"open": False}, as_="staff1").status_code == 200
    api.post("/counters/2/settings", {"open": False}, as_="staff1")  # again: nothing new
    clock.advance(minutes=30)
    api.post("/counters/2/settings", {"open": True, "service_ids": [2, 1]}, as_="staff1")
    api.post("/counters/2/settings", {"service_ids": [2, 1]}, as_="staff1")  # unchanged
    api.post("/services/3/settings", {"open": False}, as_="manager")
    api.post("/services/3/settings", {"open": True}, as_="manager")
    api.post("/office/notice", {"text": "ระบบบัตรประชาชนกลับมาใช้ได้แล้ว"}, as_="manager")
    record = office_record(app)[len(seeded):]
    assert [(kind, counter, service) for kind, counter, service, *_ in record] == [
        ("counter_closed", 2, None), ("counter_services_set", 2, None),
        ("counter_opened", 2, None), ("service_closed", None, 3), ("service_opened", None, 3),
        ("notice_set", None, None)]
    assert all(actor == "user" for _, _, _, actor, _ in record)
    assert record[1][4] == {"service_ids": [2, 1], "before": [1, 2]}
    assert record[5][4] == {"text": "ระบบบัตรประชาชนกลับมาใช้ได้แล้ว"}


def test_eta_uses_open_counters_and_recent_service_times(api, clock):
    # Service D (information, 5 minutes standard) is served by counters 4 and 5.
    for _ in range(4):
        api.issue(4)
    assert api.issue(4)["eta_minutes"] == 10  # 4 ahead x 5 min / 2 counters
    for _ in range(5):  # five real services of 2 minutes each
        t = api.call_next(4).json
        clock.advance(minutes=2)
        api.post(f"/tickets/{t['id']}/finish", as_="staff1")
    for _ in range(4):
        api.issue(4)
    assert api.issue(4)["eta_minutes"] == 4  # 4 ahead x 2 min / 2 counters


def test_wrong_transitions_change_nothing(api, app):
    t = api.issue(1)
    for action in ("finish", "start", "recall", "no-show"):
        response = api.post(f"/tickets/{t['id']}/{action}", as_="staff1")
        assert response.status_code == 409, action
        assert response.json["error"]["code"] == "invalid_transition"
    assert [e["kind"].value for e in events(app, t["id"])] == ["issued"]
    with app.extensions["gecc"].engine.connect() as conn:
        assert conn.execute(sa.select(tickets.c.status)).scalar().value == "waiting"


def test_the_managers_day_summary_counts_waits_and_services(api, clock):
    a = api.issue(1)
    clock.advance(minutes=1)
    api.issue(1, priority="monk")
    api.post("/tickets", {"service_id": 4, "channel": "reception"}, as_="reception")
    clock.advance(minutes=11)
    first = api.call_next(1).json  # the monk goes first: an out-of-order call with a reason
    clock.advance(minutes=4)
    api.post(f"/tickets/{first['id']}/finish", as_="staff1")
    clock.advance(minutes=30)
    api.call_next(1)  # A001 waited 46 minutes: over the 20-minute target
    assert api.get("/summary", as_="staff1").status_code == 403
    summary = api.get("/summary", as_="manager").json
    assert summary["day"] == "2026-11-23" and summary["issued"] == 3
    assert summary["channels"] == {"kiosk": 2, "reception": 1}
    assert summary["out_of_order_calls"] == {"priority": 1}
    a_row = next(s for s in summary["services"] if s["code"] == "A")
    assert (a_row["issued"], a_row["waiting"], a_row["at_counter"], a_row["finished"]) == (2, 0, 1, 1)
    assert a_row["wait_minutes"] == {"mean": 28.5, "median": 28.5, "max": 46.0}  # 11 and 46
    assert a_row["within_target_percent"] == 50.0
    assert a_row["service_minutes"]["mean"] == 4.0
    assert next(c for c in summary["counters"] if c["counter_id"] == 1)["finished"] == 1
    assert api.get("/summary?day=2026-11-22", as_="manager").json["issued"] == 0
    assert api.get("/summary?day=yesterday", as_="manager").status_code == 400
    assert a["number"] == "A001"


def test_hold_sets_a_ticket_aside_and_calls_it_back_later(api, app, clock):
    a, b = api.issue(1), api.issue(1)
    api.call_next(1)
    held = api.post(f"/tickets/{a['id']}/hold", as_="staff1").json
    assert held["status"] == "held" and held["counter"]["id"] == 1
    counter = api.get("/counters/1", as_="staff1").json
    assert counter["current"] is None and [h["number"] for h in counter["held"]] == ["A001"]
    assert api.call_next(1).json["id"] == b["id"]  # the clerk serves the next citizen meanwhile
    assert api.post("/counters/2/call", {"ticket_id": a["id"]}, as_="staff1").status_code == 409
    back = api.post("/counters/1/call", {"ticket_id": a["id"]}, as_="staff1").json
    assert back["status"] == "called" and back["counter"]["id"] == 1
    assert api.get(f"/tickets/{b['token']}").json["status"] == "finished"  # Next-style finish
    kinds = [e["kind"].value for e in events(app, a["id"])]
    assert kinds == ["issued", "called", "held", "resumed"]
    assert api.post(f"/tickets/{b['id']}/hold", as_="staff1").status_code == 409  # finished


def test_the_clerks_waiting_list_and_own_figures(api, clock):
    a = api.issue(1)
    clock.advance(minutes=1)
    b = api.issue(2, priority="pregnant")
    api.issue(4)  # not served at counter 2
    listing = api.get("/counters/2/waiting", as_="staff1").json
    assert [t["number"] for t in listing["waiting"]] == ["B001", "A001"]  # head start first
    assert listing["waiting"][0]["priority"] == "pregnant"
    api.post("/counters/2/call", {"ticket_id": a["id"]}, as_="staff1")
    clock.advance(minutes=6)
    api.post(f"/tickets/{a['id']}/finish", as_="staff1")
    listing = api.get("/counters/2/waiting", as_="staff1").json
    assert [t["id"] for t in listing["waiting"]] == [b["id"]]
    assert listing["today"]["finished"] == 1 and listing["today"]["service_minutes"]["mean"] == 6.0
    assert api.get("/counters/2/waiting").status_code == 401
