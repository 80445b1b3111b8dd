"""What an attacker in the hall found (issue 14), each tried again: a staff-only note reaching
the citizen or coming from the citizen, a NUL byte or a deeply nested body ending in a 500, a
device cancelling tickets, a clerk opening the manager's page, the speech endpoint as a free
speech synthesiser, and an anonymous caller claiming the online channel. Bounded in time; on
SQLite and PostgreSQL where the database takes part."""

from __future__ import annotations

import json

import pytest

from queue_server.live.sockets import socketio
from test_csp import logged_in

NOTE = "ขอคำแนะนำเรื่องที่ดิน โทร 081-234-5678"


def _reception_ticket(api) -> dict:
    answer = api.post("/tickets", {"service_id": 4, "channel": "reception", "note": NOTE},
                      as_="reception")
    assert answer.status_code == 201, answer.json
    return answer.json


def test_the_triage_note_reaches_staff_and_never_the_citizen(app, api):
    ticket = _reception_ticket(api)
    holder = socketio.test_client(app)
    holder.emit("join", {"room": f"ticket:{ticket['token']}"}, callback=True)
    api.call_next(4, as_="staff1")

    raw = api.client.get(f"/api/v1/tickets/{ticket['token']}")
    assert raw.status_code == 200 and NOTE not in raw.get_data(as_text=True)
    assert "note" not in raw.json
    for event in holder.get_received():  # the snapshot, the call, the updates
        assert NOTE not in json.dumps(event, ensure_ascii=False), event["name"]
    waiting = api.get("/counters/4", as_="staff1").json  # staff still see it
    assert waiting["current"]["note"] == NOTE


def test_only_the_reception_desk_writes_a_note(api):
    for who, status in ((None, 401), ("staff1", 403)):
        answer = api.post("/tickets", {"service_id": 1, "note": "ให้เรียกก่อน"}, as_=who)
        assert answer.status_code == status, (who, answer.json)
        assert "note" in answer.json["error"]["message"]
    assert api.get("/counters/1/waiting", as_="staff1").json["waiting"] == []  # nothing issued


@pytest.mark.parametrize("path", ["/api/v1/tickets/%00", "/t/%00/qr.svg", "/t/%00",
                                  "/api/v1/tickets/abc%00def"])
def test_a_nul_byte_in_a_path_is_a_4xx(app, path):
    answer = app.test_client().get(path)
    assert 400 <= answer.status_code < 500, (path, answer.status_code)


def test_a_nul_byte_in_a_body_is_a_400_and_changes_nothing(api):
    for path, body, as_ in (("/tickets", {"service_id": 4, "channel": "reception",
                                          "note": "a\x00b"}, "reception"),
                            ("/office/notice", {"text": "ปิด\x00"}, "manager")):
        answer = api.post(path, body, as_=as_)
        assert answer.status_code == 400, (path, answer.json)
        assert answer.json["error"]["code"] == "invalid_input"
    assert api.get("/office").json.get("notice") in (None, "")
    assert api.get("/counters/4/waiting", as_="staff1").json["waiting"] == []


def test_a_deeply_nested_body_is_a_400(api):
    deep = '{"a": ' * 5_000 + "1" + "}" * 5_000  # 40 kB: under the size limit, too deep to parse
    answer = api.client.post("/api/v1/tickets", data=deep, content_type="application/json")
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_input"


def test_a_device_cannot_cancel_tickets(app, api):
    ticket = api.issue(1)
    from queue_server.domain.model import device_username
    accounts = app.extensions["gecc"].accounts  # as `gecc-queue token create --device K1` does
    accounts.ensure_device(api.get("/office").json["id"], "K1")
    token = accounts.create_token(device_username("K1"))
    answer = api.client.post(f"/api/v1/tickets/{ticket['id']}/cancel", json={},
                             headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
    assert api.get(f"/tickets/{ticket['token']}").json["status"] == "waiting"


@pytest.mark.parametrize("page, refused, allowed", [
    ("/manager", ["staff1", "reception"], ["manager", "admin"]),
    ("/reception", ["staff1"], ["reception", "manager"]),
])
def test_staff_pages_refuse_the_wrong_role(sqlite_app, page, refused, allowed):
    for username in refused:
        answer = logged_in(sqlite_app, username).get(page)
        assert answer.status_code == 403, (page, username)
        assert "ไม่มีสิทธิ์" in answer.text  # said in Thai, not a blank error
    for username in allowed:
        assert logged_in(sqlite_app, username).get(page).status_code == 200, (page, username)


def test_speech_only_for_calls_that_happened(app, api, monkeypatch):
    """The lobby asks for the spoken call of a number just called at a counter; any other
    number/counter pair is refused before anything is synthesised."""
    import display.speech as speech
    made = []
    monkeypatch.setattr(speech, "call_wav",
                        lambda number, counter, **kw: made.append((number, counter)) or b"RIFF")
    client = app.test_client()
    assert client.get("/display/speech/A001/1.wav").status_code == 404  # never called
    api.issue(1)
    api.call_next(1)
    assert client.get("/display/speech/A001/1.wav").status_code == 200
    assert client.get("/display/speech/A001/2.wav").status_code == 404  # not at counter 2
    assert client.get("/display/speech/A999/1.wav").status_code == 404
    assert made == [("A001", "1")]


def test_an_anonymous_caller_cannot_claim_the_online_channel(api):
    answer = api.post("/tickets", {"service_id": 1, "channel": "online"})
    assert answer.status_code == 403
    assert api.get("/counters/1/waiting", as_="staff1").json["waiting"] == []


def test_every_answer_says_nosniff(app, api):
    for answer in (api.get("/services"), app.test_client().get("/kiosk"),
                   api.get("/tickets/no-such")):
        assert answer.headers.get("X-Content-Type-Options") == "nosniff"


def test_a_copied_session_cookie_stops_working_at_log_out(sqlite_app):
    """Someone copies the clerk's cookie; the clerk logs out: the copy no longer opens the
    console nor calls the API."""
    clerk = logged_in(sqlite_app, "staff1")
    cookie = clerk.get_cookie("session").value
    copy = sqlite_app.test_client()
    copy.set_cookie("session", cookie)
    assert copy.get("/counter").status_code == 200
    page = clerk.get("/counter")
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    assert clerk.post("/logout", data={"csrf_token": csrf}).status_code == 302
    assert copy.get("/counter").status_code == 302  # back to the log-in page
    assert copy.get("/api/v1/counters").status_code == 401
    assert logged_in(sqlite_app, "staff1").get("/counter").status_code == 200  # logs in again


def test_tokens_run_out_and_can_be_revoked(app, clock):
    accounts = app.extensions["gecc"].accounts
    short = accounts.create_token("manager", "laptop", days=1)
    kept = accounts.create_token("manager", "script")
    client = app.test_client()

    def status(token):
        return client.get("/api/v1/counters", headers={"Authorization": f"Bearer {token}"}).status_code

    assert status(short) == 200 and status(kept) == 200
    clock.advance(days=1, seconds=1)
    assert status(short) == 401 and status(kept) == 200
    [listed] = [t for t in accounts.tokens() if t["label"] == "script"]
    accounts.revoke_token(listed["id"])
    assert status(kept) == 401
    states = {t["label"]: t["valid"] for t in accounts.tokens()}
    assert states == {"laptop": False, "script": False}


def _try_login(client, username: str, password: str, address: str = "10.0.0.5"):
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf},
                       environ_base={"REMOTE_ADDR": address})


def test_password_guessing_is_paused_and_logged(sqlite_app, caplog):
    """Ten failures from one address pause log-ins from it, with a Thai message, even with the
    right password; ten failures on one name from many addresses pause that name; good log-ins
    do not count; every failure is logged."""
    sqlite_app.config["LOGIN_FAILURE_LIMIT"] = "10 per 10 minutes"
    client = sqlite_app.test_client()
    for _ in range(3):
        assert _try_login(client, "staff2", "staff2-demo").status_code == 302  # not counted
    for attempt in range(10):
        assert _try_login(client, "staff1", f"guess{attempt}").status_code == 401
    paused = _try_login(client, "staff1", "staff1-demo")
    assert paused.status_code == 429 and "Retry-After" in paused.headers
    assert "กรุณารอ" in paused.text and "Too many failed log-ins" in paused.text
    assert _try_login(client, "staff3", "staff3-demo").status_code == 429  # same address
    assert _try_login(client, "staff3", "staff3-demo", "10.0.0.6").status_code == 302

    for attempt in range(10):  # one name, many addresses
        assert _try_login(client, "manager", f"guess{attempt}", f"10.1.0.{attempt}").status_code == 401
    assert _try_login(client, "manager", "manager-demo", "10.2.0.1").status_code == 429
    failures = [r for r in caplog.records if "failed log-in" in r.getMessage()]
    assert len(failures) == 20 and "'staff1'" in failures[0].getMessage()


def _book(api, slot: str = "2026-11-23T09:30:00") -> dict:
    answer = api.post("/bookings", {"service_id": 1, "slot_at": slot}, as_="reception")
    assert answer.status_code == 201, answer.json
    return answer.json


def test_guessing_booking_codes_is_paused_and_a_hit_gives_no_token(api, app):
    """Refused check-ins (a guessed code) are counted per address and paused after 20; a
    citizen's good check-in is not held up by them, and a second scan of a checked-in code
    shows the number but not the token that would cancel the ticket."""
    app.config["CHECK_IN_FAILURE_LIMIT"] = "20 per 10 minutes"
    code = _book(api)["code"]
    first = api.post("/bookings/check-in", {"code": code})
    assert first.status_code == 201 and first.json["token"]       # the kiosk that checked in
    again = api.post("/bookings/check-in", {"code": code})
    assert again.status_code == 200 and again.json["number"] == first.json["number"]
    assert "token" not in again.json and first.json["token"] not in again.get_data(as_text=True)
    staff_again = api.post("/bookings/check-in", {"code": code}, as_="reception")
    assert staff_again.json["token"] == first.json["token"]         # staff may see it

    for guess in range(20):
        assert api.post("/bookings/check-in", {"code": f"ZZZ{guess:03d}"[:6]}).status_code == 404
    paused = api.post("/bookings/check-in", {"code": _book(api, "2026-11-23T09:45:00")["code"]})
    assert paused.status_code == 429 and paused.json["error"]["code"] == "rate_limited"
    assert api.post("/bookings/check-in", {"code": "ZZZ999"}, as_="reception").status_code == 404


def test_a_booking_whose_ticket_was_cancelled_takes_a_fresh_ticket(api):
    """Someone cancelled the ticket of a checked-in booking (staff, or whoever had the
    code): the citizen checking in again within the window gets a new number."""
    code = _book(api)["code"]
    first = api.post("/bookings/check-in", {"code": code}).json
    assert api.post(f"/tickets/{first['id']}/cancel", {}, as_="reception").status_code == 200
    fresh = api.post("/bookings/check-in", {"code": code})
    assert fresh.status_code == 201, fresh.json
    assert fresh.json["id"] != first["id"] and fresh.json["status"] == "waiting"
    bookings = api.get("/bookings", as_="reception").json["bookings"]
    assert [b["ticket_number"] for b in bookings if b["code"] == code] == [fresh.json["number"]]


def test_sqlite_commits_reach_the_disk_and_cookies_can_be_https_only(sqlite_url, clock, monkeypatch,
                                                                    caplog):
    """FULL by default (a power cut loses no answered ticket); GECC_SECURE_COOKIES=1 marks the
    session cookie Secure; behind GECC_TRUSTED_PROXIES the citizen's address is the one the
    proxy forwards (rate limits count it, not the proxy's)."""
    from conftest import make_app
    app = make_app(sqlite_url, clock)
    with app.extensions["gecc"].engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    monkeypatch.setenv("GECC_SECURE_COOKIES", "1")
    monkeypatch.setenv("GECC_TRUSTED_PROXIES", "1")
    app = make_app(sqlite_url, clock)
    client = app.test_client()
    https = "https://gecc.test"  # the browser talks to the proxy over TLS
    page = client.get("/login", base_url=https)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", base_url=https, headers={"Referer": f"{https}/login"},
                         data={"username": "staff1", "password": "staff1-demo",
                               "csrf_token": csrf})
    assert answer.status_code == 302 and "Secure" in answer.headers["Set-Cookie"]
    page = client.get("/login", base_url=https)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", base_url=https,
                headers={"X-Forwarded-For": "10.9.8.7", "Referer": f"{https}/login"},
                data={"username": "staff1", "password": "wrong", "csrf_token": csrf})
    [failure] = [r.getMessage() for r in caplog.records if "failed log-in" in r.getMessage()]
    assert failure.endswith("from 10.9.8.7")


def test_a_manager_clears_a_flood_of_tickets_and_it_is_recorded(app, api, clock):
    """A script issued 30 tickets in a minute; the manager cancels those still waiting from
    that minute at once. The citizen who came before keeps her place; each flooded ticket's
    event names the manager and the reason."""
    import sqlalchemy as sa
    from queue_server.adapters.orm import ticket_events
    before = api.issue(1)
    clock.advance(minutes=5)
    start = clock.now
    flood = [api.issue(1) for _ in range(30)]
    clock.advance(minutes=1)
    after = api.issue(1)
    body = {"from": start.isoformat(), "to": (start.replace(second=59)).isoformat(),
            "reason": "บัตรคิวปลอมจากสคริปต์ / scripted flood", "channel": "kiosk"}
    assert api.post("/tickets/cancel-flood", body, as_="staff1").status_code == 403
    answer = api.post("/tickets/cancel-flood", body, as_="manager")
    assert answer.status_code == 200, answer.json
    assert answer.json["cancelled"] == 30
    assert answer.json["numbers"] == [t["number"] for t in flood]
    waiting = [t["number"] for t in api.get("/counters/1/waiting", as_="staff1").json["waiting"]]
    assert waiting == [before["number"], after["number"]]
    with app.extensions["gecc"].engine.connect() as conn:
        rows = conn.execute(sa.select(ticket_events.c.actor_kind, ticket_events.c.data)
                            .where(ticket_events.c.kind == "cancelled")).all()
    assert len(rows) == 30 and all(r.actor_kind == "user" and "flood" in r.data["reason"]
                                   for r in rows)
    reversed_period = api.post("/tickets/cancel-flood", {**body, "from": body["to"],
                                                         "to": body["from"]}, as_="manager")
    assert reversed_period.status_code == 400


@pytest.mark.parametrize("code", ["http://[::1", "https://[gecc.test/b/ABC234", "?code=%00"])
def test_a_malformed_url_at_check_in_is_a_clear_404(api, code):
    answer = api.post("/bookings/check-in", {"code": code})
    assert answer.status_code == 404 and answer.json["error"]["code"] == "booking_not_found"
