"""The API's edges: bad input is refused clearly and changes nothing; roles are enforced."""

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from queue_server.adapters.orm import ticket_events, tickets
from queue_server.service_layer.accounts import Accounts


def counts(app) -> tuple[int, int]:
    with app.extensions["gecc"].engine.connect() as conn:
        return (conn.execute(sa.select(sa.func.count()).select_from(tickets)).scalar(),
                conn.execute(sa.select(sa.func.count()).select_from(ticket_events)).scalar())


BAD_TICKET_BODIES = [
    ({"service_id": 999}, 404, "not_found"),
    ({"service_id": "1"}, 400, "invalid_input"),
    ({"service_id": 1.5}, 400, "invalid_input"),
    ({"service_id": True}, 400, "invalid_input"),
    ({"service_id": -1}, 400, "invalid_input"),
    ({"service_id": 2**63}, 400, "invalid_input"),
    ({}, 400, "invalid_input"),
    ({"service_id": 1, "priority": "vip"}, 400, "invalid_input"),
    ({"service_id": 1, "channel": "fax"}, 400, "invalid_input"),
    ({"service_id": 1, "note": "x" * 501}, 400, "invalid_input"),
    ({"service_id": 1, "kiosk_id": "k" * 65}, 400, "invalid_input"),
    ({"service_id": 1, "channel": "reception"}, 401, "unauthorized"),
    ([1, 2], 400, "invalid_input"),
    ("text", 400, "invalid_input"),
    (None, 400, "invalid_input"),
]


@pytest.mark.parametrize("body,status,code", BAD_TICKET_BODIES)
def test_bad_ticket_requests_are_refused_and_change_nothing(api, app, body, status, code):
    before = counts(app)
    response = api.post("/tickets", json=body)
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert counts(app) == before


def test_malformed_json_and_oversized_bodies(api, app):
    before = counts(app)
    for data in (b"{", b"\xff\xfe", b'{"service_id": 1,}'):
        r = api.client.post("/api/v1/tickets", data=data, content_type="application/json")
        assert r.status_code == 400 and r.json["error"]["code"] == "invalid_input"
    huge = api.client.post("/api/v1/tickets", data=b"{" + b" " * 100_000 + b"}",
                           content_type="application/json")
    assert huge.status_code == 413 and "error" in huge.json
    assert counts(app) == before


def test_closed_service_is_refused(api, app):
    app_services = app.extensions["gecc"]
    with app_services.context.uow() as uow:
        uow.offices.service(1).active = False
        uow.commit()
    response = api.post("/tickets", {"service_id": 1})
    assert response.status_code == 409 and response.json["error"]["code"] == "service_closed"
    assert [s["open"] for s in api.get("/services").json][:2] == [False, True]


@pytest.mark.parametrize("path", ["/tickets/1/finish", "/tickets/1/recall", "/tickets/1/start",
                                  "/tickets/1/no-show", "/counters/1/call-next"])
def test_staff_actions_need_credentials(api, path):
    api.issue(1)
    assert api.post(path).status_code == 401
    bad = api.client.post(f"/api/v1{path}", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json["error"]["code"] == "unauthorized"


def test_roles_are_enforced(api):
    api.issue(1)
    assert api.call_next(1, as_="reception").status_code == 403
    assert api.call_next(1, as_="manager").status_code == 200
    assert api.get("/counters").status_code == 401
    assert api.get("/counters", as_="reception").status_code == 200
    desk = api.post("/tickets", {"service_id": 1, "channel": "reception", "note": "เอกสารครบ"},
                    as_="reception")
    assert desk.status_code == 201 and desk.json["channel"] == "reception"
    assert api.post("/tickets", {"service_id": 1, "channel": "reception"},
                    as_="staff1").status_code == 403


def test_unknown_ids_are_404_not_500(api):
    for path in ("/tickets/424242/finish", "/counters/99/call-next", "/tickets/1/transfer"):
        response = api.post(path, {"service_id": 1}, as_="staff1")
        assert response.status_code == 404, path
    assert api.get("/tickets/" + "x" * 500).status_code == 404
    assert api.client.get("/api/v1/nothing-here").json["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/tickets/{}/transfer", "/tickets/{}/finish",
                                  "/counters/{}/call-next", "/bookings/{}/cancel"])
def test_ids_beyond_the_database_range_are_404_not_500(api, app, path):
    """2**31 no longer fits PostgreSQL's INTEGER, 2**63 not SQLite's: found by schemathesis."""
    before = counts(app)
    for number in (2**31, 2**63, 402605557341470326784, 0):
        response = api.post(path.format(number), {"service_id": 1}, as_="manager")
        assert response.status_code == 404, (path, number, response.json)
        assert response.json["error"]["code"] == "not_found"
    assert counts(app) == before


def test_transfer_to_a_missing_service_changes_nothing(api):
    t = api.issue(1)
    assert api.post(f"/tickets/{t['id']}/transfer", {"service_id": 77}, as_="staff1").status_code == 404
    assert api.post(f"/tickets/{t['id']}/transfer", {}, as_="staff1").status_code == 400
    assert api.get(f"/tickets/{t['token']}").json["service_id"] == 1


def test_browser_session_needs_the_csrf_token_for_changes(app, api):
    client = app.test_client()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    login = client.post("/login", data={"username": "staff1", "password": "staff1-demo",
                                        "csrf_token": token})
    assert login.status_code == 302
    api.issue(1)
    assert client.get("/api/v1/counters").status_code == 200  # reads need no CSRF token
    forged = client.post("/api/v1/counters/1/call-next", json={})
    assert forged.status_code == 400 and "CSRF" in forged.json["error"]["message"]
    ok = client.post("/api/v1/counters/1/call-next", json={}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and ok.json["number"] == "A001"


def test_wrong_password_is_refused(app):
    client = app.test_client()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/login", data={"username": "staff1", "password": "guess", "csrf_token": token})
    assert r.status_code == 401
    assert client.get("/api/v1/counters").status_code == 401


def test_passwords_are_stored_with_scrypt(sqlite_app, monkeypatch):
    import queue_server.service_layer.accounts as accounts
    monkeypatch.setattr(accounts, "PASSWORD_METHOD", "scrypt")
    services = sqlite_app.extensions["gecc"]
    services.accounts.create_user(1, "clerk9", "s3cret-pass", accounts.Role.STAFF)
    with services.context.uow() as uow:
        stored = uow.users.user_by_name("clerk9").password_hash
    assert stored.startswith("scrypt:") and "s3cret" not in stored
    assert check_password_hash(stored, "s3cret-pass")
    assert services.accounts.authenticate("clerk9", "s3cret-pass").username == "clerk9"
    assert services.accounts.authenticate("clerk9", "wrong") is None
    assert isinstance(services.accounts, Accounts)


def test_openapi_lists_the_contract(api):
    doc = api.get("/openapi.json").json
    assert doc["openapi"].startswith("3.")
    for path in ("/tickets", "/services", "/counters/{counter_id}/call-next",
                 "/tickets/{ticket_id}/transfer", "/tickets/{token}"):
        assert path in doc["paths"], path
    body = doc["components"]["schemas"]["IssueTicket"]
    assert body["required"] == ["service_id"]


def test_healthz(api):
    assert api.client.get("/healthz").json["status"] == "ok"


def test_the_thai_font_is_served_for_offline_pages(app):
    client = app.test_client()
    font = client.get("/fonts/Sarabun-Bold.ttf")
    assert font.status_code == 200 and font.mimetype == "font/ttf"
    assert font.data[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert client.get("/fonts/Sarabun-Nope.ttf").status_code == 404
    assert client.get("/fonts/..%2Fsecret_key.ttf").status_code == 404
