"""The complaint register through the HTTP API, on SQLite and PostgreSQL: filing (public and
on a citizen's behalf), tracking by code, the steps, the register's filters, bad input that
stores nothing, files checked by content, the contact never on a public answer, overdue
alerts, PDPA erasure, the figures in the evidence and the pack, the rate limit."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from queue_server.adapters.orm import attachments_table, complaint_events, complaints, print_jobs
from queue_server.domain.complaint import CODE_ALPHABET
from queue_server.live.sockets import socketio

from conftest import make_app

CONTACT = "081-234-5678 somchai@example.com"
STAFF1 = 4  # the demo's user id of staff1
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35"
       b"\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def file_complaint(api, text="ถนนหน้าหมู่บ้านเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย", **body):
    answer = api.post("/complaints", {"text": text, **body})
    assert answer.status_code == 201, answer.json
    return answer


def body_text(response) -> str:
    """A public answer as it reaches the client, and with its JSON escapes (\\u0e..) read:
    what is asserted absent must be absent in both."""
    raw = response.data.decode()
    return raw + "\n" + json.dumps(json.loads(raw), ensure_ascii=False)


def rows(app, table):
    with app.extensions["gecc"].engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(table))]


def staff_id_of(app, code):
    [row] = [r for r in rows(app, complaints) if r["code"] == code]
    return row["id"]


def multipart(api, files, as_=None, **fields):
    data = {"text": "มีผู้ทิ้งขยะริมคลอง", **fields,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return api.client.post("/api/v1/complaints", data=data, content_type="multipart/form-data",
                           headers=api._headers(as_))


# --- filing and tracking --------------------------------------------------------------------

def test_a_citizen_files_and_follows_with_a_code_that_shows_nothing_personal(app, api):
    ticket = api.issue(3)
    answer = file_complaint(api, category="official_conduct", contact=CONTACT,
                            ticket_token=ticket["token"])
    receipt = answer.json
    code = receipt["code"]
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET)
    assert receipt["code_display"] == f"{code[:5]}-{code[5:]}"
    assert receipt["status_url"] == f"http://gecc.test/c/{code}" and receipt["status"] == "received"
    # Due in the office's 15 days from today (Monday 2026-11-23 in Bangkok).
    assert receipt["due_on"] == "2026-12-08"
    assert "id" not in receipt  # the public answer names no internal id

    tracked = api.get(f"/complaints/{code}")
    assert tracked.status_code == 200
    assert tracked.json["status"] == "received" and tracked.json["category"]["key"] == "official_conduct"
    assert [s["kind"] for s in tracked.json["steps"]] == ["received"]
    # Typed by hand: lower case, with the dash or spaces.
    assert api.get(f"/complaints/{code[:5].lower()}-{code[5:]}").json["code"] == code
    for raw in (body_text(answer), body_text(tracked)):
        assert "081-234-5678" not in raw and "somchai" not in raw
        assert "ถนนหน้าหมู่บ้าน" not in raw  # the text is for staff, not for the code's holder

    [row] = rows(app, complaints)
    assert row["contact"] == CONTACT and row["ticket_id"] == ticket["id"]
    assert row["channel"] == "online" and row["received_by"] is None
    [event] = rows(app, complaint_events)
    assert event["kind"] == "received" and event["actor_kind"] == "citizen"
    assert event["data"]["via"] == "ticket" and "contact" not in json.dumps(event["data"])


def test_unknown_codes_are_404(app, api):
    file_complaint(api)
    for code in ("AAAAAAAAAA", "short", "I0I0I0I0I0", "x" * 300):
        answer = api.get(f"/complaints/{code}")
        assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found", code
    assert rows(app, complaints)[0]["code"] not in ("AAAAAAAAAA",)


def test_the_steps_go_forward_only_with_public_and_internal_notes(app, api):
    code = file_complaint(api, contact=CONTACT).json["code"]
    cid = staff_id_of(app, code)
    assigned = api.post(f"/complaints/{cid}/assign", {"user_id": STAFF1, "note": "รับเรื่องไว้แล้ว",
                                                      "internal_note": "ตรวจสอบกับกองช่าง"}, as_="manager")
    assert assigned.status_code == 200, assigned.json
    assert assigned.json["status"] == "assigned" and assigned.json["assignee_name"] == "เจ้าหน้าที่ 1"
    step = api.post(f"/complaints/{cid}/status", {"status": "in_progress", "note": "ลงพื้นที่ตรวจสอบ",
                                                  "internal_note": "นายช่างสมศักดิ์ ไปวันพุธ"}, as_="staff1")
    assert step.status_code == 200 and step.json["status"] == "in_progress"
    back = api.post(f"/complaints/{cid}/status", {"status": "assigned"}, as_="staff1")
    assert back.status_code == 409 and back.json["error"]["code"] == "invalid_transition"
    same = api.post(f"/complaints/{cid}/status", {"status": "in_progress"}, as_="staff1")
    assert same.status_code == 409
    unknown = api.post(f"/complaints/{cid}/status", {"status": "done"}, as_="staff1")
    assert unknown.status_code == 409 and unknown.json["error"]["code"] == "invalid_transition"
    resolved = api.post(f"/complaints/{cid}/status", {"status": "resolved", "note": "ซ่อมถนนแล้ว"},
                        as_="staff1")
    assert resolved.json["status"] == "resolved" and resolved.json["resolved_at"]
    # A concluded complaint is not moved back by a step: it is reopened, with a reason.
    assert api.post(f"/complaints/{cid}/status", {"status": "in_progress"},
                    as_="staff1").status_code == 409
    no_reason = api.post(f"/complaints/{cid}/reopen", {"reason": "  "}, as_="staff1")
    assert no_reason.status_code == 400
    reopened = api.post(f"/complaints/{cid}/reopen", {"reason": "ผู้ร้องแจ้งว่ายังไม่ได้ซ่อม",
                                                      "note": "พิจารณาใหม่"}, as_="staff1")
    assert reopened.json["status"] == "in_progress" and reopened.json["resolved_at"] is None
    api.post(f"/complaints/{cid}/status", {"status": "closed"}, as_="manager")

    public = api.get(f"/complaints/{code}")
    assert [(s["kind"], s["status"]) for s in public.json["steps"]] == [
        ("received", "received"), ("assigned", "assigned"), ("in_progress", "in_progress"),
        ("resolved", "resolved"), ("reopened", "in_progress"), ("closed", "closed")]
    assert [s["note"] for s in public.json["steps"]] == [
        None, "รับเรื่องไว้แล้ว", "ลงพื้นที่ตรวจสอบ", "ซ่อมถนนแล้ว", "พิจารณาใหม่", None]
    raw = body_text(public)
    assert "รับเรื่องไว้แล้ว" in raw  # the check reads the Thai: a public note is there
    for secret in ("ตรวจสอบกับกองช่าง", "สมศักดิ์", "ผู้ร้องแจ้งว่ายังไม่ได้ซ่อม", "เจ้าหน้าที่ 1",
                   "081-234-5678", "manager", "actor"):
        assert secret not in raw, secret

    record = api.get(f"/complaints/{cid}/record", as_="staff2").json
    assert record["contact"] == CONTACT
    kinds = [(e["kind"], e["actor_name"], e["internal_note"]) for e in record["events"]]
    assert kinds[0] == ("received", None, None)
    assert kinds[1] == ("assigned", "นายอำเภอ (ผู้จัดการศูนย์)", "ตรวจสอบกับกองช่าง")
    assert ("reopened", "เจ้าหน้าที่ 1", "ผู้ร้องแจ้งว่ายังไม่ได้ซ่อม") in kinds
    assert len(rows(app, complaint_events)) == 6


def test_forwarding_names_the_agency_and_the_due_date_moves_with_a_reason(app, api):
    code = file_complaint(api).json["code"]
    cid = staff_id_of(app, code)
    forwarded = api.post(f"/complaints/{cid}/forward", {"agency": "องค์การบริหารส่วนตำบลบ้านเป็ด",
                                                        "internal_note": "หนังสือที่ ขก 0017/123"},
                         as_="staff1")
    assert forwarded.json["status"] == "assigned" and forwarded.json["agency"] == "องค์การบริหารส่วนตำบลบ้านเป็ด"
    public = api.get(f"/complaints/{code}").json
    assert public["agency"] == "องค์การบริหารส่วนตำบลบ้านเป็ด"
    assert public["steps"][-1] == {"kind": "forwarded", "status": "assigned",
                                   "at": public["steps"][-1]["at"], "note": None,
                                   "agency": "องค์การบริหารส่วนตำบลบ้านเป็ด"}
    assert "0017/123" not in body_text(api.get(f"/complaints/{code}"))
    due = api.post(f"/complaints/{cid}/due", {"due_on": "2026-12-31", "reason": "รอผลจาก อบต."},
                   as_="staff1")
    assert due.status_code == 200 and due.json["due_on"] == "2026-12-31"
    assert api.post(f"/complaints/{cid}/due", {"due_on": "2026-13-01"}, as_="staff1").status_code == 400


def test_staff_take_complaints_down_for_walk_in_and_phone_callers_and_print_the_receipt(app, api):
    answer = api.post("/complaints", {"text": "โทรมาแจ้งว่าไฟถนนดับทั้งซอย", "channel": "phone",
                                      "contact": CONTACT, "print": True}, as_="reception")
    assert answer.status_code == 201, answer.json
    assert answer.json["id"] and answer.json["print_job"]["status"] == "pending"
    [row] = rows(app, complaints)
    assert row["channel"] == "phone" and row["received_by"] is not None
    [job] = rows(app, print_jobs)
    assert job["ticket_id"] is None and job["reason"] == "complaint"
    assert job["payload"]["complaint"]["code"] == row["code"]
    assert CONTACT not in json.dumps(job["payload"], ensure_ascii=False)  # the slip carries no contact
    again = api.post(f"/complaints/{row['id']}/print", {}, as_="reception")
    assert again.status_code == 201 and len(rows(app, print_jobs)) == 2
    # Without log-in only the online channel, and no printing.
    for body in ({"channel": "walk_in"}, {"channel": "phone"}, {"print": True}):
        refused = api.post("/complaints", {"text": "ทดสอบ", **body})
        assert refused.status_code == 401, body
    assert len(rows(app, complaints)) == 1


def test_the_register_lists_filters_and_searches(app, api, clock):
    a = staff_id_of(app, file_complaint(api, "น้ำประปาไม่ไหลสามวัน", category="hardship").json["code"])
    b = staff_id_of(app, file_complaint(api, "เจ้าหน้าที่พูดจาไม่สุภาพ", category="official_conduct").json["code"])
    clock.advance(days=20)
    c_code = file_complaint(api, "ขอความช่วยเหลือค่ารักษาพยาบาล", category="help").json["code"]
    api.post(f"/complaints/{a}/assign", {"user_id": STAFF1}, as_="manager")
    api.post(f"/complaints/{b}/status", {"status": "resolved"}, as_="manager")

    def codes(query=""):
        answer = api.get(f"/complaints{query}", as_="staff2")
        assert answer.status_code == 200, answer.json
        return [c["id"] for c in answer.json["complaints"]]

    c = staff_id_of(app, c_code)
    assert codes() == [c, b, a]  # newest first
    assert codes("?status=resolved") == [b]
    assert codes("?category=hardship") == [a]
    assert codes("?overdue=true") == [a]          # b is resolved, c is new
    assert codes("?overdue=false") == [c, b]
    assert codes(f"?assignee={STAFF1}") == [a]
    assert codes("?assignee=none") == [c, b]
    assert codes("?q=ประปา") == [a]
    assert codes(f"?q={c_code[:5]}-{c_code[5:]}") == [c]
    register = api.get("/complaints", as_="staff2").json
    assert register["total"] == 3 and [x["key"] for x in register["categories"]][:2] == [
        "hardship", "official_conduct"]
    assert api.get("/complaints?status=bogus", as_="staff2").status_code == 400
    assert api.get("/complaints?overdue=maybe", as_="staff2").status_code == 400
    assert api.get("/complaints").status_code == 401


# --- bad input stores nothing -----------------------------------------------------------------

@pytest.mark.parametrize("body, field", [
    ({"text": ""}, "text"), ({"text": "   "}, "text"), ({"text": "ก" * 5001}, "text"),
    ({}, "text"), ({"text": 5}, "text"),
    ({"text": "ok", "contact": "x" * 201}, "contact"),
])
def test_bad_text_is_a_clear_400_and_stores_nothing(app, api, body, field):
    answer = api.post("/complaints", body)
    assert answer.status_code == 400, answer.json
    assert field in [d["field"] for d in answer.json["error"]["details"]]
    assert rows(app, complaints) == [] and rows(app, complaint_events) == []


def test_an_unknown_category_or_ticket_is_refused_and_stores_nothing(app, api):
    answer = api.post("/complaints", {"text": "เรื่องทดสอบ", "category": "weather"})
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_complaint"
    answer = api.post("/complaints", {"text": "เรื่องทดสอบ", "ticket_token": "no-such-ticket"})
    assert answer.status_code == 404
    assert rows(app, complaints) == []
    assert len(file_complaint(api, "ก" * 5000).json["code"]) == 10  # the limit itself is fine


def test_files_are_checked_by_their_content_and_a_refusal_stores_nothing(app, api):
    lying = multipart(api, [("photo.jpg", EXE)])
    assert lying.status_code == 415 and lying.json["error"]["code"] == "file_refused"
    too_many = multipart(api, [(f"p{i}.png", PNG) for i in range(4)])
    assert too_many.status_code == 400 and too_many.json["error"]["code"] == "too_many_files"
    big = multipart(api, [("big.png", PNG + b"\x00" * (5 * 1024 * 1024))])
    assert big.status_code == 413
    mixed = multipart(api, [("ok.png", PNG), ("evil.jpg", EXE)])
    assert mixed.status_code == 415
    assert rows(app, complaints) == [] and rows(app, attachments_table) == []

    good = multipart(api, [("หลุม.png", PNG)], contact=CONTACT, category="hardship", consent="true")
    assert good.status_code == 201, good.json
    assert rows(app, complaint_events)[0]["data"]["consent"] is True  # the ticked PDPA line
    [attachment] = rows(app, attachments_table)
    assert attachment["owner_kind"] == "complaint" and attachment["uploaded_by"] is None
    assert attachment["content_type"] == "image/png"
    cid = staff_id_of(app, good.json["code"])
    [meta] = api.get(f"/complaints/{cid}/record", as_="staff1").json["files"]
    assert meta["from_citizen"] is True
    # Staff get it back, as a download; nobody else does.
    assert api.client.get(meta["url"]).status_code == 401
    download = api.client.get(meta["url"], headers=api._headers("staff1"))
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    # Files live outside the web root: no static path serves them.
    assert api.client.get(f"/static/{attachment['sha256']}").status_code == 404


# --- live, alerts, PDPA ------------------------------------------------------------------------

def test_the_tracking_page_hears_each_step_live_without_private_data(app, api):
    code = file_complaint(api, contact=CONTACT).json["code"]
    cid = staff_id_of(app, code)
    page = socketio.test_client(app)
    assert page.emit("join", {"room": f"complaint:{code}"}, callback=True)["ok"] is True
    [snapshot] = [e["args"][0] for e in page.get_received() if e["name"] == "snapshot"]
    assert snapshot["complaint"]["status"] == "received"
    api.post(f"/complaints/{cid}/assign", {"user_id": STAFF1, "internal_note": "ลับเฉพาะ"},
             as_="manager")
    api.post(f"/complaints/{cid}/status", {"status": "resolved", "note": "เรียบร้อย"}, as_="staff1")
    updates = [e["args"][0] for e in page.get_received() if e["name"] == "complaint_updated"]
    assert [u["status"] for u in updates] == ["assigned", "resolved"]
    raw = json.dumps(updates, ensure_ascii=False)
    assert "ลับเฉพาะ" not in raw and "081-234-5678" not in raw and "เจ้าหน้าที่ 1" not in raw
    bad = socketio.test_client(app)
    assert bad.emit("join", {"room": "complaint:AAAAAAAAAA"}, callback=True)["ok"] is False


def test_an_overdue_complaint_alerts_the_manager_once(app, api, clock):
    code = file_complaint(api, category="dispute").json["code"]
    done = staff_id_of(app, file_complaint(api).json["code"])
    api.post(f"/complaints/{done}/status", {"status": "resolved"}, as_="staff1")
    complaints_ = app.extensions["gecc"].complaints
    clock.advance(days=15)
    assert complaints_.raise_overdue_alerts() == 0  # due today: not late yet
    clock.advance(days=1)
    assert complaints_.raise_overdue_alerts() == 1
    assert complaints_.raise_overdue_alerts() == 0  # once per due date
    [alert] = api.get("/alerts", as_="manager").json["alerts"]
    assert alert["kind"] == "complaint_overdue"
    assert alert["data"]["code"] == code and alert["data"]["due_on"] == "2026-12-08"
    assert api.get("/complaints?overdue=true", as_="staff1").json["complaints"][0]["code"] == code


def test_the_contact_is_erased_after_the_retention_and_the_record_stays(app, api, clock):
    code = file_complaint(api, contact=CONTACT).json["code"]
    open_code = file_complaint(api, contact="still needed").json["code"]
    cid = staff_id_of(app, code)
    api.post(f"/complaints/{cid}/status", {"status": "closed"}, as_="staff1")
    complaints_ = app.extensions["gecc"].complaints
    clock.advance(days=364)
    assert complaints_.erase_expired_contacts() == 0
    clock.advance(days=2)
    assert complaints_.erase_expired_contacts() == 1
    by_code = {r["code"]: r for r in rows(app, complaints)}
    assert by_code[code]["contact"] is None and by_code[code]["contact_erased_at"] is not None
    assert by_code[open_code]["contact"] == "still needed"  # not concluded: still in use
    record = api.get(f"/complaints/{cid}/record", as_="staff1").json
    assert record["contact"] is None and record["events"][-1]["kind"] == "contact_erased"
    assert record["text"]  # the complaint itself stays


# --- the evidence ---------------------------------------------------------------------------------

def test_the_figures_reach_the_evidence_and_the_pack_without_personal_data(app, api, clock, tmp_path):
    first = staff_id_of(app, file_complaint(api, category="hardship", contact=CONTACT).json["code"])
    second = staff_id_of(app, file_complaint(api, category="help").json["code"])
    file_complaint(api, category="help")
    api.post("/complaints", {"text": "โทรแจ้ง", "channel": "phone"}, as_="reception")
    clock.advance(days=2)
    api.post(f"/complaints/{first}/status", {"status": "resolved"}, as_="staff1")
    clock.advance(days=2)
    api.post(f"/complaints/{second}/assign", {"user_id": STAFF1}, as_="manager")
    api.post(f"/complaints/{second}/status", {"status": "resolved"}, as_="staff1")
    report = api.get("/evidence?from=2026-11-23&to=2026-11-23", as_="manager").json
    figures = report["complaints"]
    assert (figures["received"], figures["resolved"], figures["resolved_share"]) == (4, 2, 0.5)
    assert figures["followed_up_share"] == 0.5
    assert figures["days_to_resolve"]["median"] == 3.0 and figures["days_to_resolve"]["p90"] == 3.8
    assert figures["by_channel"]["online"]["received"] == 3 and figures["by_channel"]["phone"]["received"] == 1
    help_ = next(c for c in figures["by_category"] if c["category"] == "help")
    assert (help_["received"], help_["resolved"], help_["name_en"]) == (2, 1, "Requests for help")
    items = {i["id"]: i for i in report["items"]}
    assert items["quality.2.13"]["value"] == 0.5 and items["quality.2.13"]["met"] is False

    written = app.extensions["gecc"].evidence.export(None, date(2026, 11, 23), date(2026, 11, 23),
                                                     tmp_path)
    assert tmp_path / "complaints.csv" in written
    text = (tmp_path / "complaints.csv").read_text(encoding="utf-8")
    with open(tmp_path / "complaints.csv", encoding="utf-8") as f:
        lines = list(csv.DictReader(f))
    assert len(lines) == 4 and sum(1 for r in lines if r["resolved_at"]) == 2
    assert sorted(r["days_to_resolve"] for r in lines if r["days_to_resolve"]) == ["2.00", "4.00"]
    for private in ("081-234-5678", "somchai", "โทรแจ้ง", "ถนน"):
        assert private not in text
    assert not re.search(r"[A-Z2-9]{10}", text)  # no tracking codes either


def test_public_filing_and_look_ups_are_rate_limited(sqlite_url, clock):
    app = make_app(sqlite_url, clock, PUBLIC_RATE_LIMIT="3 per minute")
    try:
        client = app.test_client()
        filed = [client.post("/api/v1/complaints", json={"text": "ทดสอบ"}).status_code
                 for _ in range(4)]
        assert filed == [201, 201, 201, 429]
        looked = [client.get("/api/v1/complaints/AAAAAAAAAA").status_code for _ in range(4)]
        assert looked == [404, 404, 404, 429]
        limited = client.get("/api/v1/complaints/AAAAAAAAAA")
        assert limited.headers.get("Retry-After") and limited.json["error"]["message_th"]
        with app.extensions["gecc"].engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(complaints)).scalar() == 3
    finally:
        app.extensions["gecc"].engine.dispose()


def test_the_pages_are_served(app, api):
    token = api.issue(1)["token"]
    form = api.client.get(f"/complain?t={token}")
    assert form.status_code == 200 and f'data-ticket-token="{token}"' in form.text
    assert 'data-via="ticket"' in form.text
    assert api.client.get("/complain/poster").status_code == 200
    qr = api.client.get("/complain/qr.svg?via=kiosk")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    code = file_complaint(api).json["code"]
    assert api.client.get(f"/c/{code}").status_code == 200
    assert api.client.get(f"/c/{code}/qr.svg").mimetype == "image/svg+xml"
    assert api.client.get("/c/AAAAAAAAAA/qr.svg").status_code == 404
    assert api.client.get("/complaints").status_code == 302  # staff log in first
    form_api = api.get("/complaint-form").json
    assert [c["key"] for c in form_api["categories"]] == [
        "hardship", "official_conduct", "dispute", "help", "tip", "other"]
    assert form_api["text_max_chars"] == 5000 and form_api["files"]["max_count"] == 3
    assert "365" in form_api["consent_th"]
    # The due days come from the office's setting.
    assert form_api["due_days"] == 15
    assert date.fromisoformat(file_complaint(api).json["due_on"]) == date(2026, 11, 23) + timedelta(days=15)


def test_the_privacy_command_erases_old_complaint_contacts(sqlite_url, clock, tmp_path):
    """`gecc-queue privacy erase` erases contacts of complaints concluded over a year ago."""
    import subprocess
    import sys
    from datetime import datetime, timezone

    from conftest import Api
    app = make_app(sqlite_url, clock)
    try:
        api = Api(app)
        code = file_complaint(api, contact=CONTACT).json["code"]
        api.post(f"/complaints/{staff_id_of(app, code)}/status", {"status": "resolved"}, as_="staff1")
        with app.extensions["gecc"].engine.begin() as conn:  # resolved 366 days before today
            conn.execute(sa.update(complaints).values(
                resolved_at=datetime.now(timezone.utc) - timedelta(days=366)))
    finally:
        app.extensions["gecc"].engine.dispose()
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "privacy", "erase",
                           "--db", sqlite_url], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "erased 1 complaint contact" in done.stdout
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        [(contact, status)] = conn.execute(sa.select(complaints.c.contact, complaints.c.status))
    engine.dispose()
    assert (contact, status) == (None, "resolved")
