"""What people stumbled on when the office was tried as its citizens, clerks and manager
would (issue 14), through the API on SQLite and PostgreSQL: a console says what Next did to
the ticket it finished, a clerk learns who else works at a counter, finishes are credited to
the clerk who finished, the manager's day adds up."""

from __future__ import annotations

import sqlalchemy as sa

from queue_server.adapters.orm import tickets, users

A, B = 1, 2  # demo services; counters 1 and 2 serve A, counter 3 serves B


def post(api, path, body=None, as_="staff1"):
    answer = api.post(path, body or {}, as_=as_)
    assert answer.status_code in (200, 201), (path, answer.json)
    return answer.json


def served_by(app, ticket_id: int) -> str | None:
    with app.extensions["gecc"].engine.connect() as conn:
        return conn.execute(sa.select(users.c.username)
                            .join(tickets, tickets.c.served_by == users.c.id)
                            .where(tickets.c.id == ticket_id)).scalar()


def test_next_and_calling_a_held_ticket_back_say_what_they_did_to_the_current_ticket(api, clock):
    t1, t2, t3 = api.issue(A), api.issue(A), api.issue(A)
    assert post(api, "/counters/1/call-next")["id"] == t1["id"]
    post(api, f"/tickets/{t1['id']}/hold")                 # fetching a document
    assert post(api, "/counters/1/call-next")["id"] == t2["id"]
    clock.advance(seconds=20)
    back = post(api, "/counters/1/call", {"ticket_id": t1["id"]})   # B: call the held one back
    assert back["id"] == t1["id"] and back["status"] == "called"
    assert back["previous"] == {"id": t2["id"], "number": t2["number"], "status": "finished",
                                "auto": True, "started": False}
    # The last Next on an empty queue still finishes t1, and its refusal says so.
    post(api, "/counters/1/call-next")                     # t3
    post(api, f"/tickets/{t3['id']}/start")
    empty = api.post("/counters/1/call-next", {}, as_="staff1")
    assert empty.status_code == 404 and empty.json["error"]["code"] == "queue_empty"
    assert empty.json["error"]["previous"] == {"id": t3["id"], "number": t3["number"],
                                               "status": "finished", "auto": True,
                                               "started": True}
    # A Finish key's answer carries no `previous`; a call on an empty counter neither.
    t4 = api.issue(A)
    called = post(api, "/counters/1/call-next")
    assert called["id"] == t4["id"] and "previous" not in called
    assert "previous" not in post(api, f"/tickets/{t4['id']}/finish")


def test_calls_and_finishes_are_credited_to_the_clerk_who_made_them(api, app):
    t1, t2 = api.issue(A), api.issue(A)
    assert post(api, "/counters/1/call-next", as_="staff1")["id"] == t1["id"]
    assert served_by(app, t1["id"]) == "staff1"
    post(api, f"/tickets/{t1['id']}/finish", as_="staff2")    # staff2 took over the counter
    assert served_by(app, t1["id"]) == "staff2"
    assert post(api, "/counters/1/call-next", as_="staff2")["id"] == t2["id"]
    # Next by staff1 finishes t2 (the queue is empty now: 404, the finish is kept)
    assert api.post("/counters/1/call-next", {}, as_="staff1").status_code == 404
    assert served_by(app, t2["id"]) == "staff1"


def test_a_clerk_opening_a_counter_learns_who_else_works_there(api, clock):
    waiting = api.get("/counters/1/waiting", as_="staff2").json
    assert waiting["clerk"] is None and waiting["mine"] == {"finished": 0}
    t1 = api.issue(A)
    post(api, "/counters/1/call-next", as_="staff1")
    clock.advance(minutes=3)
    post(api, f"/tickets/{t1['id']}/finish", as_="staff1")
    seen_by_staff2 = api.get("/counters/1/waiting", as_="staff2").json
    assert seen_by_staff2["clerk"]["username"] == "staff1"
    assert seen_by_staff2["clerk"]["at"] == clock().isoformat().replace("+00:00", "Z")
    assert seen_by_staff2["mine"] == {"finished": 0}
    assert seen_by_staff2["today"]["finished"] == 1        # the counter's, not staff2's
    assert api.get("/counters/1/waiting", as_="staff1").json["mine"] == {"finished": 1}
    assert api.get("/counters/2/waiting", as_="staff2").json["clerk"] is None


def test_the_managers_day_adds_up_with_transfers_no_shows_and_cancellations(api, clock):
    t1, t2, t3, t4, t5 = (api.issue(A) for _ in range(5))
    post(api, "/counters/1/call-next")                     # t1
    post(api, f"/tickets/{t1['id']}/transfer", {"service_id": B})    # t1 moves to B
    post(api, "/counters/1/call-next")                     # t2
    post(api, f"/tickets/{t2['id']}/no-show")              # back to the queue once
    post(api, f"/tickets/{t3['id']}/cancel")
    held = post(api, "/counters/1/call-next")              # whichever comes next
    post(api, f"/tickets/{held['id']}/hold")
    post(api, "/counters/3/call-next", as_="staff3")       # t1 at B
    post(api, f"/tickets/{t1['id']}/finish", as_="staff3")
    summary = api.get("/summary", as_="manager").json
    rows = {s["service_id"]: s for s in summary["services"]}
    a, b = rows[A], rows[B]
    assert (a["issued"], a["transferred_in"], a["transferred_out"]) == (5, 0, 1)
    assert (a["waiting"], a["at_counter"], a["held"], a["finished"], a["no_show"],
            a["cancelled"]) == (2, 1, 1, 0, 0, 1)       # two wait, one held
    assert a["no_show_requeued"] == 1
    for row in (a, b):
        assert (row["issued"] + row["transferred_in"] - row["transferred_out"]
                == row["waiting"] + row["at_counter"] + row["finished"] + row["no_show"]
                + row["cancelled"]), row
    assert (b["issued"], b["transferred_in"], b["finished"]) == (0, 1, 1)
    del t4, t5


def test_a_stopped_service_says_so_to_the_kiosks(api):
    post(api, f"/services/{B}/settings", {"open": False}, as_="manager")
    services = {s["id"]: s for s in api.get("/services").json}
    assert services[B]["open"] is False and services[B]["active"] is False
    assert services[A]["open"] is True and services[A]["active"] is True


def test_the_demo_lists_a_booking_past_midnight_under_its_own_day_not_today(app, clock):
    """A demo started at 22:30 books 22:45, 23:15 and 01:35: the last is tomorrow's."""
    from datetime import datetime, timezone

    from queue_server.seed import demo_booking_lines, seed_demo_bookings

    clock.now = datetime(2026, 11, 23, 15, 30, tzinfo=timezone.utc)   # 22:30 in Bangkok
    gecc = app.extensions["gecc"]
    made = seed_demo_bookings(gecc)
    assert [b["day"] for b in made] == ["2026-11-23", "2026-11-23", "2026-11-24"]
    lines = demo_booking_lines(made, gecc.bookings.day()["date"])
    assert lines[0].startswith("  bookings today")
    assert [line.split()[1] for line in lines[1:3]] == ["22:45", "23:15"]
    assert lines[3].startswith("  bookings on 2026-11-24 (not today)")
    assert lines[4].split()[1] == "01:35"
