"""An office sets itself up without SQL (issue 15): the admin pages' forms, through HTTP on
SQLite and PostgreSQL. Every change is recorded with who and when, reaches the screens live,
and every refusal says why in Thai and English."""

from __future__ import annotations

import re

import pytest

from queue_server.live.sockets import socketio


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
        r'name="csrf-token" content="([^"]+)"', page)
    return found.group(1)


class Browser:
    """A logged-in browser session: `post(path, **form)` with the page's CSRF token."""

    def __init__(self, app, username: str, password: str):
        self.client = app.test_client()
        page = self.client.get("/login").text
        answer = self.client.post("/login", data={"username": username, "password": password,
                                                  "csrf_token": csrf_of(page)})
        assert answer.status_code == 302, answer.text
        self.csrf = csrf_of(self.client.get("/admin").text)

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict | None = None, **form):
        return self.client.post(path, data={"csrf_token": self.csrf, **(data or {}), **form})


@pytest.fixture
def admin(app) -> Browser:
    return Browser(app, "admin", "admin-demo")


def service_form(**over) -> dict:
    return {"code": "F", "name_th": "ภาษีท้องถิ่น", "name_en": "Local tax",
            "standard_minutes": "12", "target_wait_minutes": "25", "active": "1", **over}


def test_the_admin_pages_open_for_an_admin_and_say_no_to_a_clerk(app, admin):
    for path in ("/admin", "/admin/hours", "/admin/services", "/admin/counters",
                 "/admin/staff", "/admin/devices"):
        page = admin.get(path)
        assert page.status_code == 200, path
        assert "ที่ว่าการอำเภอบางบัวทอง" in page.text
    clerk = Browser(app, "staff1", "staff1-demo")
    assert clerk.get("/admin/services").status_code == 403
    assert clerk.post("/admin/services", service_form()).status_code == 403
    manager = Browser(app, "manager", "manager-demo")
    assert manager.get("/admin/services").status_code == 200  # day-to-day set-up
    assert manager.get("/admin/staff").status_code == 403     # accounts: admins only
    assert admin.get("/admin/offices").status_code == 403     # the demo admin is no super-admin


def test_a_service_added_reaches_the_kiosk_live_and_is_recorded(app, api, admin):
    lobby = socketio.test_client(app)
    lobby.emit("join", {"room": "display"}, callback=True)
    lobby.get_received()
    answer = admin.post("/admin/services", service_form())
    assert answer.status_code == 302
    services = {s["code"]: s for s in api.get("/services").json}
    assert services["F"]["name_en"] == "Local tax" and services["F"]["open"]
    assert services["F"]["standard_minutes"] == 12 and services["F"]["target_wait_minutes"] == 25
    events = [e["name"] for e in lobby.get_received()]
    assert "office_changed" in events and "queue_changed" in events
    page = admin.get("/admin")
    assert "service_added" in page.text and "ผู้ดูแลระบบ" in page.text  # who, in the history
    ticket = api.issue(services["F"]["id"])
    assert ticket["number"] == "F001"


def test_a_refusal_says_why_in_thai_and_english_and_keeps_the_form(admin):
    answer = admin.post("/admin/services", service_form(code="A", name_th="ซ้ำ"))
    assert answer.status_code == 409
    assert "อักษร A ใช้กับบริการอื่นแล้ว" in answer.text and "The letter A is another service" in answer.text
    assert 'value="ซ้ำ"' in answer.text
    answer = admin.post("/admin/services", service_form(code="7"))
    assert answer.status_code == 400 and "Latin letters" in answer.text
    answer = admin.post("/admin/services", service_form(standard_minutes="-3"))
    assert answer.status_code == 400 and "เวลามาตรฐาน" in answer.text


def test_a_service_with_tickets_today_keeps_its_letter_and_cannot_be_deleted(app, api, admin):
    ticket = api.issue(1)
    assert ticket["number"] == "A001"
    changed = admin.post("/admin/services/1", service_form(code="Z", name_th="บัตร", name_en="ID"))
    assert changed.status_code == 409 and "tickets today" in changed.text
    deleted = admin.post("/admin/services/1/delete")
    assert deleted.status_code == 409 and "Disable it instead" in deleted.text
    closed = admin.post("/admin/services/1", service_form(code="A", name_th="บัตร", name_en="ID",
                                                            active=""))
    assert closed.status_code == 302
    assert not {s["id"]: s for s in api.get("/services").json}[1]["open"]
    # A service never used goes at once.
    admin.post("/admin/services", service_form())
    new = {s["code"]: s for s in api.get("/services").json}["F"]
    assert admin.post(f"/admin/services/{new['id']}/delete").status_code == 302
    assert "F" not in {s["code"] for s in api.get("/services").json}


def test_counters_are_added_reordered_and_removed(app, api, admin):
    assert admin.post("/admin/counters", number="9", name="ช่อง 9 ด่วน", service1="4",
                      service2="1").status_code == 302
    counters = {c["number"]: c for c in api.get("/counters", as_="staff1").json}
    assert counters[9]["service_ids"] == [4, 1] and not counters[9]["is_open"]
    again = admin.post("/admin/counters", number="9", name="x", service1="1")
    assert again.status_code == 409 and "Counter 9 exists already" in again.text
    none = admin.post("/admin/counters", number="10", name="x")
    assert none.status_code == 400 and "at least one service" in none.text
    cid = counters[9]["id"]
    assert admin.post(f"/admin/counters/{cid}", number="9", name="ช่อง 9",
                      service1="1").status_code == 302
    assert api.get(f"/counters/{cid}", as_="staff1").json["service_ids"] == [1]
    assert admin.post(f"/admin/counters/{cid}/remove").status_code == 302
    assert 9 not in {c["number"] for c in api.get("/counters", as_="staff1").json}
    assert api.get(f"/counters/{cid}", as_="staff1").status_code == 404


def test_hours_with_lunch_evening_weekend_and_a_holiday_close_the_kiosk(app, api, admin, clock):
    form = {"w0_days": ["mon", "tue", "wed", "thu", "fri"], "w0_start": "08:30", "w0_end": "16:30",
            "w0_kind": "regular", "w1_days": ["sat"], "w1_start": "09:00", "w1_end": "12:00",
            "w1_kind": "weekend", "w2_start": "", "w2_end": "", "w2_kind": "regular",
            "holidays": "2026-11-23 วันหยุดทดสอบ\n2026-12-05 วันพ่อ", "enforce_hours": "1"}
    for i in range(3, 8):
        form.update({f"w{i}_start": "", f"w{i}_end": ""})
    answer = admin.client.post("/admin/hours", data={"csrf_token": admin.csrf, **form})
    assert answer.status_code == 302, answer.text
    office = api.get("/office").json
    assert [w["kind"] for w in office["opening_hours"]] == ["regular", "weekend"]
    assert not office["open_now"]  # Monday 2026-11-23 09:00 is the holiday
    clock.advance(days=1)
    app.extensions["gecc"].context.catalog.forget_reference()
    assert api.get("/office").json["open_now"]
    bad = admin.client.post("/admin/hours", data={
        "csrf_token": admin.csrf, "w0_days": ["mon"], "w0_start": "17:00", "w0_end": "08:00"})
    assert bad.status_code == 400 and "เวลาเปิดต้องก่อนเวลาปิด" in bad.text


def test_staff_added_log_in_reset_and_disabled_end_their_sessions(app, admin):
    answer = admin.post("/admin/staff", username="clerk9", display_name="สมหญิง",
                        role="staff", password="long-enough", password2="long-enough",
                        default_counter_id="2")
    assert answer.status_code == 302, answer.text
    clerk = Browser(app, "clerk9", "long-enough")
    assert clerk.get("/api/v1/counters").status_code == 200
    short = admin.post("/admin/staff", username="x2", role="staff", password="short",
                       password2="short")
    assert short.status_code == 400 and "อย่างน้อย 8" in short.text
    user_id = next(u.id for u in _users(app) if u.username == "clerk9")
    assert _users(app, "clerk9").default_counter_id == 2
    assert admin.post(f"/admin/staff/{user_id}/password", password="another-one",
                      password2="another-one").status_code == 302
    assert clerk.get("/api/v1/counters").status_code == 401  # the old session ended
    clerk = Browser(app, "clerk9", "another-one")
    assert admin.post(f"/admin/staff/{user_id}/active", active="0").status_code == 302
    assert clerk.get("/api/v1/counters").status_code == 401
    super_role = admin.post(f"/admin/staff/{user_id}", display_name="x", role="superadmin")
    assert super_role.status_code == 400


def _users(app, name: str | None = None):
    with app.extensions["gecc"].context.read_uow() as uow:
        users = uow.users.users_of_office(1)
        for u in users:
            uow.users.detach(u)
    return next(u for u in users if u.username == name) if name else users


def test_the_office_profile_and_logo(app, api, admin):
    answer = admin.post("/admin/office", name="ที่ว่าการอำเภอทดสอบ", name_en="Test District",
                        timezone="Asia/Bangkok", address="1 ถนนทดสอบ", help_contact="02-000-0000",
                        complaint_due_days="10",
                        rating_dimensions="speed | ความรวดเร็ว | Speed",
                        complaint_categories="")
    assert answer.status_code == 302, answer.text
    office = api.get("/office").json
    assert office["name"] == "ที่ว่าการอำเภอทดสอบ" and office["name_en"] == "Test District"
    bad = admin.post("/admin/office", name="x", name_en="y", timezone="Mars/Olympus")
    assert bad.status_code == 400 and "เขตเวลา" in bad.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    from io import BytesIO
    uploaded = admin.client.post("/admin/logo", data={"csrf_token": admin.csrf,
                                                      "logo": (BytesIO(png), "logo.png")},
                                 content_type="multipart/form-data")
    assert uploaded.status_code == 302
    logo = admin.client.get(f"/office/{office['id']}/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == png
    text = admin.client.post("/admin/logo", data={"csrf_token": admin.csrf,
                                                  "logo": (BytesIO(b"GIF89a"), "x.gif")},
                             content_type="multipart/form-data")
    assert text.status_code == 400 and "PNG หรือ JPEG" in text.text


def test_a_device_shows_a_code_the_admin_pairs_it_and_revokes_it(app, api, admin):
    asked = api.post("/devices/pairing-requests")
    assert asked.status_code == 201 and re.fullmatch(r"\d{6}", asked.json["code"])
    request_id, secret = asked.json["request_id"], asked.json["secret"]
    collect = f"/devices/pairing-requests/{request_id}/collect"
    assert api.post(collect, {"secret": secret}).json == {"status": "waiting"}
    assert api.post(collect, {"secret": "wrong-secret"}).status_code == 403
    wrong = admin.post("/admin/devices", code="000000" if asked.json["code"] != "000000"
                       else "111111", kind="kiosk", name="ตู้ 1")
    assert wrong.status_code == 409 and "ไม่พบรหัสนี้" in wrong.text
    paired = admin.post("/admin/devices", code=asked.json["code"], kind="tablet",
                        name="แท็บเล็ตช่อง 2", counter_id="2")
    assert paired.status_code == 302, paired.text
    got = api.post(collect, {"secret": secret}).json
    assert got["status"] == "paired" and got["open"] == "/rate/counter/2"
    assert got["device"]["username"] == "tablet:2"
    assert api.post(collect, {"secret": secret}).status_code == 403  # once
    headers = {"Authorization": f"Bearer {got['token']}"}
    ticket = api.issue(1)
    api.call_next(2, as_="staff2")
    api.post(f"/tickets/{ticket['id']}/finish", {}, as_="staff2")
    rated = api.client.post("/api/v1/counters/2/ratings", headers=headers,
                            json={"ticket_id": ticket["id"], "score": 5})
    assert rated.status_code == 201, rated.json
    device_id = got["device"]["id"]
    assert "device_paired" in admin.get("/admin").text
    assert admin.post(f"/admin/devices/{device_id}/revoke").status_code == 302
    again = api.client.post("/api/v1/counters/2/ratings", headers=headers,
                            json={"ticket_id": ticket["id"], "score": 4})
    assert again.status_code == 401
    # A kiosk: its screen is its office's, with its own id.
    asked = api.post("/devices/pairing-requests").json
    admin.post("/admin/devices", code=asked["code"], kind="kiosk", name="ตู้หน้าประตู",
               key="front", printer="network://192.168.1.50:9100", paper="58mm")
    got = api.post(f"/devices/pairing-requests/{asked['request_id']}/collect",
                   {"secret": asked["secret"]}).json
    assert got["open"] == "/o/1/kiosk?id=front" and got["device"]["paper"] == "58mm"
    assert "front" in admin.get("/admin/devices").text
