"""Satisfaction ratings through the HTTP API, on SQLite and PostgreSQL: one per finished
visit, credited to its service, counter and clerk; the window; the tablet at the counter;
the low-score alert and its handling; the figures; PDPA erasure; the public rate limit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from queue_server.adapters.orm import ratings as ratings_table
from queue_server.live.sockets import socketio

from conftest import make_app

STAFF1, STAFF2 = 4, 5  # the demo's user ids


def finished_ticket(api, counter_id=1, service_id=1, as_="staff1", finisher=None):
    ticket = api.issue(service_id)
    called = api.call_next(counter_id, as_=as_)
    assert called.status_code == 200, called.json
    assert called.json["id"] == ticket["id"]
    done = api.post(f"/tickets/{ticket['id']}/finish", {}, as_=finisher or as_)
    assert done.status_code == 200, done.json
    return ticket


def rate(api, ticket, score=5, **body):
    return api.post("/ratings", {"token": ticket["token"], "score": score, **body})


def rating_rows(app):
    with app.extensions["gecc"].engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(ratings_table))]


def test_a_finished_visit_is_rated_once_and_credited_to_its_counter_and_clerk(app, api):
    ticket = finished_ticket(api, counter_id=2, finisher="staff2")
    answer = rate(api, ticket, 4, comment="  เจ้าหน้าที่สุภาพมาก  ", dimensions={"speed": 3})
    assert answer.status_code == 201, answer.json
    assert answer.json["number"] == ticket["number"] and answer.json["score"] == 4
    [row] = rating_rows(app)
    # Credited where it was served: service A, counter 2, and the clerk who finished it.
    assert (row["service_id"], row["counter_id"], row["clerk_id"]) == (1, 2, STAFF2)
    assert row["comment"] == "เจ้าหน้าที่สุภาพมาก" and row["dimensions"] == {"speed": 3}
    assert row["source"] == "phone"

    again = rate(api, ticket, 1)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_rated"
    assert len(rating_rows(app)) == 1
    form = api.get(f"/tickets/{ticket['token']}/rating").json
    assert form["state"] == "given" and form["score"] == 4


def test_only_a_finished_ticket_can_be_rated_and_unknown_tokens_are_404(app, api):
    waiting = api.issue(1)
    refused = rate(api, waiting)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_finished"
    assert api.get(f"/tickets/{waiting['token']}/rating").json["state"] == "not_yet"
    unknown = api.post("/ratings", {"token": "no-such-ticket", "score": 5})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_found"
    assert rating_rows(app) == []


@pytest.mark.parametrize("body, field", [
    ({"score": 0}, "score"), ({"score": 6}, "score"), ({"score": "5"}, "score"),
    ({"score": 3.5}, "score"), ({"score": True}, "score"), ({}, "score"),
    ({"score": 5, "comment": "ก" * 1001}, "comment"),
    ({"score": 5, "dimensions": {"speed": 9}}, "dimensions.speed"),
])
def test_bad_input_is_a_clear_400_and_changes_nothing(app, api, body, field):
    ticket = finished_ticket(api)
    answer = api.post("/ratings", {"token": ticket["token"], **body})
    assert answer.status_code == 400, answer.json
    assert field in [d["field"] for d in answer.json["error"]["details"]]
    assert rating_rows(app) == []


def test_a_question_the_office_does_not_ask_is_refused(app, api):
    ticket = finished_ticket(api)
    answer = rate(api, ticket, 5, dimensions={"parking": 5})
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_rating"
    assert rate(api, ticket, 5, comment="ก" * 1000).status_code == 201  # the limit itself is fine


def test_the_rating_window_closes_after_seven_days(app, api, clock):
    first, second = finished_ticket(api), finished_ticket(api)
    clock.advance(days=7)
    assert rate(api, first).status_code == 201  # the last moment of the window
    clock.advance(minutes=1)
    late = rate(api, second)
    assert late.status_code == 409 and late.json["error"]["code"] == "rating_closed"
    assert api.get(f"/tickets/{second['token']}/rating").json["state"] == "closed"


def test_the_form_says_what_the_office_asks_and_nothing_of_anyone_else(app, api):
    ticket = finished_ticket(api)
    form = api.get(f"/tickets/{ticket['token']}/rating").json
    assert form["state"] == "open" and form["closes_at"].endswith("Z")
    assert [d["key"] for d in form["dimensions"]] == ["speed", "courtesy", "clarity", "place"]
    assert set(form) == {"ticket_id", "number", "state", "closes_at", "score", "dimensions",
                         "comment_max_chars", "comment_retention_days"}


def test_a_database_refuses_a_second_rating_of_the_same_ticket(app, api):
    ticket = finished_ticket(api)
    assert rate(api, ticket).status_code == 201
    [row] = rating_rows(app)
    row.pop("id")
    with pytest.raises(sa.exc.IntegrityError):
        with app.extensions["gecc"].engine.begin() as conn:
            conn.execute(sa.insert(ratings_table).values(**row))


# --- the tablet at the counter ------------------------------------------------------------

def pair_tablet(api, counter_id, as_="staff1"):
    made = api.post(f"/counters/{counter_id}/rating-tablet/pairing", {}, as_=as_)
    assert made.status_code == 201, made.json
    paired = api.post("/devices/pair", {"code": made.json["code"]})
    assert paired.status_code == 201, paired.json
    assert paired.json["counter_id"] == counter_id
    return paired.json["token"]


def test_the_counter_tablet_rates_what_its_counter_finished_and_nothing_else(app, api):
    token = pair_tablet(api, 1)
    tablet = {"Authorization": f"Bearer {token}"}
    ours, theirs = finished_ticket(api, counter_id=1), finished_ticket(api, counter_id=2)

    other = api.client.post("/api/v1/counters/1/ratings", headers=tablet,
                            json={"ticket_id": theirs["id"], "score": 5})
    assert other.status_code == 404  # another counter's visit: not this tablet's to rate
    wrong_counter = api.client.post("/api/v1/counters/2/ratings", headers=tablet,
                                    json={"ticket_id": theirs["id"], "score": 5})
    assert wrong_counter.status_code == 403
    rated = api.client.post("/api/v1/counters/1/ratings", headers=tablet,
                            json={"ticket_id": ours["id"], "score": 5})
    assert rated.status_code == 201, rated.json
    again = api.client.post("/api/v1/counters/1/ratings", headers=tablet,
                            json={"ticket_id": ours["id"], "score": 1})
    assert again.status_code == 409
    assert [r["source"] for r in rating_rows(app)] == ["tablet"]
    # The same ticket's phone cannot rate it a second time either.
    assert rate(api, ours).status_code == 409
    # Without the tablet's token nobody rates at the counter.
    assert api.client.post("/api/v1/counters/1/ratings",
                           json={"ticket_id": ours["id"], "score": 5}).status_code == 401
    assert api.post("/counters/1/ratings", {"ticket_id": ours["id"], "score": 5},
                    as_="staff1").status_code == 403


def test_the_tablet_rates_only_the_visit_its_counter_has_just_finished(app, api, clock):
    """The tablet stands where staff could reach it: it must not rate older visits."""
    tablet = {"Authorization": f"Bearer {pair_tablet(api, 1)}"}
    older, latest = finished_ticket(api, counter_id=1), finished_ticket(api, counter_id=1)

    def by_tablet(ticket):
        return api.client.post("/api/v1/counters/1/ratings", headers=tablet,
                               json={"ticket_id": ticket["id"], "score": 5})

    refused = by_tablet(older)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "rating_closed"
    assert rate(api, older, 4).status_code == 201  # its own QR code still can
    clock.advance(minutes=16)
    assert by_tablet(latest).status_code == 409    # too long after the finish
    assert [r["ticket_id"] for r in rating_rows(app)] == [older["id"]]


def test_a_pairing_code_works_once_and_for_ten_minutes(app, api, clock):
    code = api.post("/counters/1/rating-tablet/pairing", {}, as_="staff1").json["code"]
    assert len(code) == 6 and code.isdigit()
    assert api.post("/devices/pair", {"code": code}).status_code == 201
    used = api.post("/devices/pair", {"code": code})
    assert used.status_code == 403 and used.json["error"]["code"] == "pairing_refused"
    late = api.post("/counters/1/rating-tablet/pairing", {}, as_="staff1").json["code"]
    clock.advance(minutes=11)
    assert api.post("/devices/pair", {"code": late}).status_code == 403
    assert api.post("/devices/pair", {"code": "12ab56"}).status_code == 400
    assert api.post("/counters/1/rating-tablet/pairing", {}).status_code == 401


def test_the_tablet_hears_its_counter_finish_a_visit_and_the_rating(app, api):
    screen = socketio.test_client(app)
    screen.emit("join", {"room": "counter:1"}, callback=True)
    screen.get_received()
    ticket = finished_ticket(api, counter_id=1)
    finished = [e["args"][0] for e in screen.get_received() if e["name"] == "ticket_finished"]
    assert finished == [{"ticket_id": ticket["id"], "number": ticket["number"], "counter_id": 1,
                         "service_id": 1, "finished_at": finished[0]["finished_at"]}]
    rate(api, ticket, 5)
    rated = [e["args"][0] for e in screen.get_received() if e["name"] == "ticket_rated"]
    assert rated == [{"ticket_id": ticket["id"], "number": ticket["number"], "rated": True}]


# --- low scores reach the manager ---------------------------------------------------------

def manager_socket(app):
    web = app.test_client()
    token = web.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    web.post("/login", data={"username": "manager", "password": "manager-demo", "csrf_token": token})
    client = socketio.test_client(app, flask_test_client=web)
    assert client.emit("join", {"room": "managers"}, callback=True)["ok"] is True
    client.get_received()
    return client


def test_a_low_score_alerts_the_manager_at_once_until_the_action_is_recorded(app, api, clock):
    managers = manager_socket(app)
    good, bad = finished_ticket(api), finished_ticket(api, counter_id=2, as_="staff2")
    rate(api, good, 4)
    assert [e for e in managers.get_received() if e["name"] == "alert_raised"] == []
    rate(api, bad, 2, comment="รอนานมาก ไม่มีใครอธิบาย")
    [raised] = [e["args"][0] for e in managers.get_received() if e["name"] == "alert_raised"]
    assert raised["kind"] == "low_rating" and raised["data"]["score"] == 2
    assert (raised["data"]["number"], raised["counter_id"], raised["data"]["clerk_id"]) == (
        bad["number"], 2, STAFF2)
    assert raised["comment"] == "รอนานมาก ไม่มีใครอธิบาย" and raised["handled_at"] is None
    assert raised["clerk_name"] == "เจ้าหน้าที่ 2"

    [open_alert] = api.get("/alerts", as_="manager").json["alerts"]
    assert open_alert["id"] == raised["id"]
    assert api.get("/alerts", as_="staff1").status_code == 403  # comments: managers only
    clock.advance(minutes=12)
    empty = api.post(f"/alerts/{raised['id']}/handle", {"action": " "}, as_="manager")
    assert empty.status_code == 400
    handled = api.post(f"/alerts/{raised['id']}/handle",
                       {"action": "โทรขอโทษผู้รับบริการ และอบรมการอธิบายขั้นตอนให้เจ้าหน้าที่"},
                       as_="manager")
    assert handled.status_code == 200, handled.json
    assert handled.json["handled_by"] == 2 and handled.json["handled_at"].endswith("Z")
    assert handled.json["handled_by_name"] == "นายอำเภอ (ผู้จัดการศูนย์)"
    assert [e["args"][0]["id"] for e in managers.get_received()
            if e["name"] == "alert_handled"] == [raised["id"]]
    assert api.get("/alerts", as_="manager").json["alerts"] == []
    again = api.post(f"/alerts/{raised['id']}/handle", {"action": "อีกครั้ง"}, as_="manager")
    assert again.status_code == 409
    day = clock.now.date().isoformat()
    [past] = api.get(f"/alerts?from={day}&to={day}", as_="manager").json["alerts"]
    assert past["action"].startswith("โทรขอโทษ")


# --- the figures ---------------------------------------------------------------------------

def test_satisfaction_figures_of_a_hand_made_day(app, api):
    """Six visits served: counter 1 by staff1 (4), counter 2 by staff2 (2). Rated: 5, 4, 2 at
    counter 1 and 1 at counter 2; two visits not rated."""
    at_one = [finished_ticket(api, counter_id=1) for _ in range(4)]
    at_two = [finished_ticket(api, counter_id=2, as_="staff2") for _ in range(2)]
    for ticket, score in zip(at_one, (5, 4, 2)):
        assert rate(api, ticket, score).status_code == 201
    assert rate(api, at_two[0], 1).status_code == 201

    figures = api.get("/evidence", as_="manager").json["satisfaction"]
    assert figures["ratings"] == 4 and figures["served"] == 6
    assert figures["response_ratio"] == pytest.approx(4 / 6, abs=1e-4)
    assert figures["mean_score"] == pytest.approx(3.0)                # (5+4+2+1)/4
    assert figures["satisfied_share"] == pytest.approx(0.5)           # 5 and 4
    assert figures["score_percent"] == pytest.approx(60.0)            # 3.0 / 5 x 100
    by_counter = {c["counter"]: c for c in figures["by_counter"]}
    assert (by_counter[1]["ratings"], by_counter[1]["served"]) == (3, 4)
    assert by_counter[1]["mean_score"] == pytest.approx(11 / 3, abs=1e-3)
    assert by_counter[1]["satisfied_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert (by_counter[2]["ratings"], by_counter[2]["mean_score"]) == (1, 1.0)
    by_clerk = {c["clerk"]: c for c in figures["by_clerk"]}
    assert by_clerk[STAFF1]["name"] == "เจ้าหน้าที่ 1" and by_clerk[STAFF2]["response_ratio"] == 0.5
    [day] = figures["by_day"]
    assert day["ratings"] == 4 and day["served"] == 6


def test_evidence_needs_a_manager_and_a_sane_period(app, api):
    assert api.get("/evidence").status_code == 401
    assert api.get("/evidence", as_="staff1").status_code == 403
    empty = api.get("/evidence?from=2026-01-01&to=2026-01-31", as_="manager")
    assert empty.status_code == 200
    assert empty.json["period"] == {"from": "2026-01-01", "to": "2026-01-31", "days": 31}
    assert empty.json["satisfaction"]["mean_score"] is None  # no data is null, never 0
    assert empty.json["tickets"] == {"issued": 0, "served": 0, "no_show": 0, "cancelled": 0,
                                     "other": 0, "finished_unstarted": 0}
    assert empty.json["wait"]["mean_minutes"] is None
    assert api.get("/evidence?from=2026-02-01&to=2026-01-01", as_="manager").status_code == 400
    assert api.get("/evidence?from=2020-01-01&to=2026-01-01", as_="manager").status_code == 400
    assert api.get("/evidence?from=yesterday", as_="manager").status_code == 400


# --- PDPA ---------------------------------------------------------------------------------

def test_comments_are_erased_after_the_retention_period_and_the_score_stays(app, api, clock):
    old, recent = finished_ticket(api), finished_ticket(api)
    rate(api, old, 2, comment="ชื่อ นาย ก. โทร 081-000-0000")
    clock.advance(days=200)
    finished = finished_ticket(api)
    rate(api, finished, 5, comment="ดีมาก")
    clock.advance(days=166)  # the first comment is now 366 days old
    assert app.extensions["gecc"].ratings.erase_expired_comments() == 1
    rows = {r["ticket_id"]: r for r in rating_rows(app)}
    assert rows[old["id"]]["comment"] is None and rows[old["id"]]["score"] == 2
    assert rows[old["id"]]["comment_erased_at"] is not None
    assert rows[finished["id"]]["comment"] == "ดีมาก"
    assert recent["id"] not in rows


# --- abuse ----------------------------------------------------------------------------------

def test_public_endpoints_are_rate_limited_per_address(sqlite_url, clock):
    app = make_app(sqlite_url, clock, PUBLIC_RATE_LIMIT="3 per minute")
    try:
        client = app.test_client()
        statuses = [client.post("/api/v1/ratings", json={"token": "x", "score": 5}).status_code
                    for _ in range(4)]
        assert statuses == [404, 404, 404, 429]
        limited = client.post("/api/v1/ratings", json={"token": "x", "score": 5})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        error = limited.json["error"]
        assert error["code"] == "rate_limited"
        assert error["message_th"].startswith("มีการใช้งานถี่เกินไป")
        # Another endpoint has its own allowance, and another address is not affected.
        assert client.get("/api/v1/tickets/x").status_code == 404
        other = client.post("/api/v1/ratings", json={"token": "x", "score": 5},
                            environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 404
        # Staff and devices with a token are not limited.
        token = app.extensions["gecc"].accounts.create_token("reception")
        for _ in range(5):
            assert client.get("/api/v1/tickets/x",
                              headers={"Authorization": f"Bearer {token}"}).status_code == 404
    finally:
        app.extensions["gecc"].engine.dispose()


def test_the_privacy_command_erases_old_comments(sqlite_url, clock, tmp_path):
    """`gecc-queue privacy erase`, as an engineer runs it (the server does it every hour)."""
    import subprocess
    import sys

    from conftest import Api
    app = make_app(sqlite_url, clock)
    try:
        api = Api(app)
        ticket = finished_ticket(api)
        assert rate(api, ticket, 3, comment="โทร 081-000-0000").status_code == 201
        with app.extensions["gecc"].engine.begin() as conn:  # given 366 days before today
            conn.execute(sa.update(ratings_table).values(
                created_at=datetime.now(timezone.utc) - timedelta(days=366)))
    finally:
        app.extensions["gecc"].engine.dispose()
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "privacy", "erase",
                           "--db", sqlite_url], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "erased 1 rating comment" in done.stdout
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        [(comment, score)] = conn.execute(sa.select(ratings_table.c.comment, ratings_table.c.score))
    engine.dispose()
    assert (comment, score) == (None, 3)
