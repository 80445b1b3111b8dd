"""Two offices on one server (issue 14's cross-office item, issue 15): the staff of one office
can neither read nor touch the other's counters, tickets, bookings, complaints, alerts or
files. Every staff route of the API is tried with the first office's ids by the second
office's staff: 404, as for an id that does not exist (nothing says it exists elsewhere).
The public screens know their office by their path (/o/<office>/...) or the header."""

from __future__ import annotations

import io
import re

import pytest

from queue_server.domain.model import Actor
from queue_server.live.sockets import socketio

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
NOTE = "ผู้สูงอายุ ขอเอกสารที่ดิน"

SECOND_OFFICE = {
    "name": "สำนักงานที่ดินจังหวัดทดสอบ", "name_en": "Test Provincial Land Office",
    "timezone": "Asia/Bangkok",
    "services": [{"code": "L", "name_th": "รังวัด", "name_en": "Survey",
                  "standard_minutes": 20, "target_wait_minutes": 30},
                 {"code": "M", "name_th": "จดทะเบียน", "name_en": "Registration",
                  "standard_minutes": 15, "target_wait_minutes": 30}],
    "counters": [{"number": 1, "name": "ช่อง 1", "services": ["L", "M"]}],
    "staff": [{"username": "land1", "role": "staff", "display_name": "เจ้าหน้าที่ที่ดิน"},
              {"username": "landdesk", "role": "reception"},
              {"username": "landboss", "role": "admin"}],
}


@pytest.fixture
def two(app, api):
    """The demo office (1) with one of everything, and a second office (its ids)."""
    gecc = app.extensions["gecc"]
    office2 = gecc.admin.import_config(SECOND_OFFICE, Actor.system())
    first = {"office": 1, "counter": 1, "service": 4}
    # Office 1: a ticket at counter 4 (called), one waiting with the desk's triage note,
    # a finished and low-rated visit (an alert), a booking, a complaint with a file,
    # a manual answer with a file.
    api.issue(4)
    first["called"] = api.call_next(4).json["id"]
    waiting = api.post("/tickets", {"service_id": 4, "channel": "reception", "note": NOTE},
                       as_="reception").json
    first["waiting"] = waiting["id"]
    rated = api.issue(1)
    api.call_next(1)
    api.post(f"/tickets/{rated['id']}/finish", {}, as_="staff1")
    api.post("/ratings", {"token": rated["token"], "score": 1, "comment": "ช้ามาก"})
    first["alert"] = api.get("/alerts", as_="manager").json["alerts"][0]["id"]
    first["booking"] = api.post("/bookings", {"service_id": 1, "slot_at": "2026-11-24T10:00:00+07:00"},
                                as_="reception").json["id"]
    complaint = api.post("/complaints", {"text": "ห้องน้ำชำรุด", "contact": "081-111-1111"}).json
    first["complaint_code"] = complaint["code"]
    first["complaint"] = next(c["id"] for c in api.get("/complaints", as_="staff1").json["complaints"])
    first["complaint_file"] = api.post(
        f"/complaints/{first['complaint']}/files", as_="staff1",
        data={"file": (io.BytesIO(PNG), "photo.png")}, content_type="multipart/form-data").json["id"]
    answer = api.post("/assessment/answers", {"item_id": "physical.3", "met": True,
                                              "from": "2026-11-01", "to": "2026-12-31"},
                      as_="manager").json
    first["answer"] = answer["answer"]["id"]
    first["answer_file"] = api.post(
        f"/assessment/answers/{first['answer']}/files", as_="manager",
        data={"file": (io.BytesIO(PNG), "ramp.png")}, content_type="multipart/form-data").json["id"]
    with gecc.context.read_uow() as uow:
        counter2 = uow.offices.counters(office2)[0]
        services2 = [s.id for s in uow.offices.services(office2)]
        second = {"office": office2, "counter": counter2.id, "services": services2}
    gecc.office_settings.set_counter(second["counter"], Actor.system(), is_open=True)
    return first, second


def test_every_staff_route_answers_404_for_the_other_offices_ids(app, api, two):
    first, second = two
    f = first
    # (method, path, body, who in office 2) for every route behind a role that names an id.
    cases = {
        ("GET", "/counters/<id:counter_id>"): (f"/counters/{f['counter']}", None, "land1"),
        ("GET", "/counters/<id:counter_id>/waiting"): (f"/counters/{f['service']}/waiting", None, "land1"),
        ("POST", "/counters/<id:counter_id>/settings"): (f"/counters/{f['counter']}/settings", {"open": False}, "land1"),
        ("POST", "/counters/<id:counter_id>/call-next"): (f"/counters/{f['counter']}/call-next", {}, "land1"),
        ("POST", "/counters/<id:counter_id>/call"): (f"/counters/{second['counter']}/call", {"ticket_id": f["waiting"]}, "land1"),
        ("POST", "/counters/<id:counter_id>/rating-tablet/pairing"): (f"/counters/{f['counter']}/rating-tablet/pairing", {}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/recall"): (f"/tickets/{f['called']}/recall", {}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/hold"): (f"/tickets/{f['called']}/hold", {}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/start"): (f"/tickets/{f['called']}/start", {}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/finish"): (f"/tickets/{f['called']}/finish", {}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/no-show"): (f"/tickets/{f['called']}/no-show", {}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/transfer"): (f"/tickets/{f['waiting']}/transfer", {"service_id": second["services"][0]}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/cancel"): (f"/tickets/{f['waiting']}/cancel", {}, "land1"),
        ("POST", "/tickets/<id:ticket_id>/reprint"): (f"/tickets/{f['waiting']}/reprint", {}, "landdesk"),
        ("POST", "/services/<id:service_id>/settings"): (f"/services/{f['service']}/settings", {"open": False}, "landboss"),
        ("POST", "/bookings/<id:booking_id>/cancel"): (f"/bookings/{f['booking']}/cancel", {}, "landdesk"),
        ("POST", "/alerts/<id:alert_id>/handle"): (f"/alerts/{f['alert']}/handle", {"action": "โทรหา"}, "landboss"),
        ("POST", "/assessment/answers/<id:answer_id>/files"): (f"/assessment/answers/{f['answer']}/files", "file", "landboss"),
        ("GET", "/files/<id:attachment_id>"): (f"/files/{f['answer_file']}", None, "landboss"),
        ("GET", "/complaints/<id:complaint_id>/record"): (f"/complaints/{f['complaint']}/record", None, "land1"),
        ("POST", "/complaints/<id:complaint_id>/status"): (f"/complaints/{f['complaint']}/status", {"status": "in_progress"}, "land1"),
        ("POST", "/complaints/<id:complaint_id>/assign"): (f"/complaints/{f['complaint']}/assign", {"user_id": 1}, "land1"),
        ("POST", "/complaints/<id:complaint_id>/forward"): (f"/complaints/{f['complaint']}/forward", {"agency": "อบต."}, "land1"),
        ("POST", "/complaints/<id:complaint_id>/reopen"): (f"/complaints/{f['complaint']}/reopen", {"reason": "x"}, "land1"),
        ("POST", "/complaints/<id:complaint_id>/due"): (f"/complaints/{f['complaint']}/due", {"due_on": "2026-12-20"}, "land1"),
        ("POST", "/complaints/<id:complaint_id>/files"): (f"/complaints/{f['complaint']}/files", "file", "land1"),
        ("GET", "/complaints/<id:complaint_id>/files/<id:attachment_id>"): (f"/complaints/{f['complaint']}/files/{f['complaint_file']}", None, "land1"),
        ("POST", "/complaints/<id:complaint_id>/print"): (f"/complaints/{f['complaint']}/print", {}, "landdesk"),
        ("GET", "/evidence/packs/<pack>"): ("/evidence/packs/none", None, "landboss"),
        ("GET", "/evidence/packs/<pack>/download"): ("/evidence/packs/none/download", None, "landboss"),
    }
    # Every route behind a role that takes an id or a key is in the table above.
    with_ids = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith("/api/v1/") and "<" in rule.rule and (
                getattr(view, "roles", None) or rule.rule.endswith("/cancel")):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                with_ids.add((method, rule.rule.removeprefix("/api/v1")))
    missing = with_ids - set(cases) - {("POST", "/counters/<id:counter_id>/ratings")}
    assert not missing, f"staff routes not tried across offices: {sorted(missing)}"

    before = api.get(f"/counters/{f['counter']}", as_="staff1").json
    for (method, _), (path, body, who) in cases.items():
        if body == "file":
            answer = api.post(path, as_=who, data={"file": (io.BytesIO(PNG), "x.png")},
                              content_type="multipart/form-data")
        elif method == "GET":
            answer = api.get(path, as_=who)
        else:
            answer = api.post(path, body, as_=who)
        assert answer.status_code == 404, (path, who, answer.status_code, answer.json)
        text = answer.get_data(as_text=True)
        assert NOTE not in text and "ห้องน้ำ" not in text, path
    # Nothing of office 1 moved.
    assert api.get(f"/counters/{f['counter']}", as_="staff1").json == before
    waiting = api.get(f"/counters/{f['service']}/waiting", as_="staff1").json["waiting"]
    assert [t["note"] for t in waiting] == [NOTE]
    assert api.get("/bookings?date=2026-11-24", as_="reception").json["bookings"][0]["status"] == "booked"


def test_lists_show_only_the_callers_office(app, api, two):
    first, second = two
    counters = api.get("/counters", as_="land1").json
    assert [c["id"] for c in counters] == [second["counter"]]
    assert api.get("/complaints", as_="land1").json["complaints"] == []
    assert api.get("/bookings", as_="landdesk").json["bookings"] == []
    assert api.get("/alerts", as_="landboss").json["alerts"] == []
    assert api.get("/summary", as_="landboss").json["office"] == SECOND_OFFICE["name"]
    assert api.get("/evidence/packs", as_="landboss").json["packs"] == []
    assert api.get("/services", as_="land1").json[0]["code"] == "L"
    # A booking for the other office's service: no such service.
    booked = api.post("/bookings", {"service_id": 1, "slot_at": "2026-11-24T10:00:00+07:00"},
                      as_="landdesk")
    assert booked.status_code == 404
    # A kiosk device of office 2 cannot reprint on office 1's side, nor office 1 on its.
    assert api.post(f"/tickets/{first['waiting']}/transfer", {"service_id": second["services"][0]},
                    as_="reception").status_code == 404


def test_the_public_screens_know_their_office(app, api, two):
    first, second = two
    kiosk = api.client.get(f"/o/{second['office']}/kiosk")
    assert kiosk.status_code == 200 and f'data-office="{second["office"]}"' in kiosk.text
    assert api.client.get("/o/999/kiosk").status_code == 404
    headers = {"X-Gecc-Office": str(second["office"])}
    services = api.client.get("/api/v1/services", headers=headers).json
    assert [s["code"] for s in services] == ["L", "M"]
    assert api.client.get("/api/v1/office", headers=headers).json["name_en"] == \
        "Test Provincial Land Office"
    ticket = api.client.post("/api/v1/tickets", json={"service_id": services[0]["id"]},
                             headers=headers).json
    assert ticket["number"] == "L001"
    # An office-2 page cannot issue office 1's services.
    refused = api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=headers)
    assert refused.status_code == 404
    # Each lobby hears its own office's calls only.
    lobby1, lobby2 = socketio.test_client(app), socketio.test_client(app)
    lobby1.emit("join", {"room": "display"}, callback=True)
    lobby2.emit("join", {"room": "display", "office": second["office"]}, callback=True)
    snapshot2 = [e for e in lobby2.get_received() if e["name"] == "snapshot"][0]["args"][0]
    assert snapshot2["office"]["name"] == SECOND_OFFICE["name"]
    lobby1.get_received()
    assert api.post(f"/counters/{second['counter']}/call-next", {}, as_="land1").status_code == 200
    heard1 = [e["args"][0]["number"] for e in lobby1.get_received() if e["name"] == "ticket_called"]
    heard2 = [e["args"][0]["number"] for e in lobby2.get_received() if e["name"] == "ticket_called"]
    assert heard1 == [] and heard2 == ["L001"]


def test_managers_hear_only_their_own_offices_alerts(app, api, two):
    first, second = two
    gecc = app.extensions["gecc"]
    gecc.admin.reset_password(None, "landboss", Actor.system(), "land-boss-pw")
    web = app.test_client()
    page = web.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert web.post("/login", data={"username": "landboss", "password": "land-boss-pw",
                                    "csrf_token": token}).status_code == 302
    boss2 = socketio.test_client(app, flask_test_client=web)
    assert boss2.emit("join", {"room": "managers"}, callback=True)["ok"]
    boss2.get_received()
    rated = api.issue(1)
    api.call_next(1)
    api.post(f"/tickets/{rated['id']}/finish", {}, as_="staff1")
    api.post("/ratings", {"token": rated["token"], "score": 1})  # office 1's low rating
    assert [e for e in boss2.get_received() if e["name"] == "alert_raised"] == []
