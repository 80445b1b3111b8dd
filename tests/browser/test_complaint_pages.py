"""The complaint register in a real headless Chromium against the real server (a `gecc-queue
demo` subprocess): a citizen files a complaint on a 390x844 phone from their ticket's status
page, with a photo, gets the tracking code and its QR; a clerk works it to resolved on the
register; the citizen's tracking page shows each step live, and again after a reload, never
the contact, the clerk's name or an internal note. Bad input is refused in Thai and English
and stores nothing.

`GECC_UPDATE_SCREENS=1 python -m pytest tests/browser/test_complaint_pages.py` also writes
docs/screens/phone-complaint.png, phone-complaint-tracking.png and complaint-register.png."""

from __future__ import annotations

import json

import pytest
import requests
import zxingcpp
from PIL import Image

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_pages import issue, save_screen, start_demo
from test_processes import token_for

pytestmark = pytest.mark.live_server

PHONE = dict(width=390, height=844)
CONTACT = "089-765-4321"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35"
       b"\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300


@pytest.fixture
def office(tmp_path, server_factory):
    server, db = start_demo(server_factory, tmp_path)
    return server, token_for("staff1", db, tmp_path)


def staff(server, token, method, path, body=None):
    answer = requests.request(method, f"{server.url}/api/v1{path}", json=body, timeout=5,
                              headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code < 300, answer.text
    return answer.json()


def open_form(pages, url):
    page = pages.open(url, PHONE["width"], PHONE["height"], has_touch=True, is_mobile=True)
    page.locator("#categories input[value=hardship]").wait_for()
    return page


def test_a_citizen_files_from_the_ticket_page_and_sees_each_step_live(office, pages, tmp_path):
    server, token = office
    ticket = issue(server, 3)
    phone = pages.open(ticket["status_url"], PHONE["width"], PHONE["height"], has_touch=True,
                       is_mobile=True)
    phone.locator("#number").wait_for()
    with phone.expect_navigation():
        phone.click("text=ร้องเรียนเกี่ยวกับการรับบริการครั้งนี้")
    phone.locator("#categories input[value=hardship]").wait_for()
    assert phone.locator("#linked").is_visible()  # it knows which visit it is about
    phone.check("#categories input[value=official_conduct]")
    phone.fill("#text", "เจ้าหน้าที่ช่องบริการพูดจาไม่สุภาพ และไม่อธิบายว่าต้องใช้เอกสารอะไรบ้าง")
    phone.fill("#contact", CONTACT)
    phone.set_input_files("#files", files=[{"name": "หลักฐาน.png", "mimeType": "image/png",
                                            "buffer": PNG}])
    phone.click("#send")                     # without the consent: refused on the page
    assert "consent" in phone.text_content("#error") and "ยินยอม" in phone.text_content("#error")
    phone.check("#consent")
    phone.evaluate("document.querySelector('#error').hidden = true; window.scrollTo(0, 0)")
    save_screen(phone, tmp_path, "phone-complaint.png", (390, 844))
    phone.click("#send")
    phone.locator("#receipt").wait_for()
    code_display = phone.text_content("#receipt-code")
    code = code_display.replace("-", "")
    assert len(code_display) == 11 and code_display[5] == "-"
    phone.wait_for_function("document.querySelector('#receipt-qr').complete"
                            " && document.querySelector('#receipt-qr').naturalWidth > 0")
    shot = tmp_path / "receipt.png"
    phone.locator("#receipt-qr").screenshot(path=str(shot))
    with Image.open(shot) as image:
        assert [r.text for r in zxingcpp.read_barcodes(image.convert("L"))] == [
            f"{server.url}/c/{code}"]

    # The register knows the visit, the photo and the contact; the clerk works it.
    [row] = staff(server, token, "GET", "/complaints")["complaints"]
    record = staff(server, token, "GET", f"/complaints/{row['id']}/record")
    assert record["ticket"]["number"] == ticket["number"] and record["contact"] == CONTACT
    assert [f["content_type"] for f in record["files"]] == ["image/png"]

    with phone.expect_navigation():
        phone.click("#receipt-link")
    phone.wait_for_function("document.querySelectorAll('#steps li').length === 1"
                            " && !document.body.classList.contains('is-offline')")
    assert "รับเรื่องแล้ว" in phone.text_content("#status")
    staff(server, token, "POST", f"/complaints/{row['id']}/assign",
          {"user_id": 4, "internal_note": "ให้หัวหน้าฝ่ายตรวจสอบ"})
    phone.wait_for_function("document.querySelectorAll('#steps li').length === 2")
    staff(server, token, "POST", f"/complaints/{row['id']}/status",
          {"status": "in_progress", "note": "กำลังสอบข้อเท็จจริงกับเจ้าหน้าที่"})
    phone.wait_for_function("document.querySelectorAll('#steps li').length === 3")
    staff(server, token, "POST", f"/complaints/{row['id']}/status",
          {"status": "resolved", "note": "ตักเตือนเจ้าหน้าที่และปรับขั้นตอนการให้คำแนะนำแล้ว"})
    phone.wait_for_function("document.querySelector('#status').textContent.includes('แก้ไขแล้ว')")
    assert phone.eval_on_selector_all("#steps li", "els => els.map(e => e.dataset.kind)") == [
        "received", "assigned", "in_progress", "resolved"]
    assert "ตักเตือนเจ้าหน้าที่" in phone.text_content("#steps")
    save_screen(phone, tmp_path, "phone-complaint-tracking.png", (390, 844))
    phone.reload()
    phone.wait_for_function("document.querySelectorAll('#steps li').length === 4")
    html = phone.content()
    for private in (CONTACT, "ให้หัวหน้าฝ่ายตรวจสอบ", "เจ้าหน้าที่ 1", "พูดจาไม่สุภาพ"):
        assert private not in html, private
    assert pages.errors == []


def test_bad_input_is_refused_in_thai_and_english_and_stores_nothing(office, pages):
    server, token = office
    phone = open_form(pages, f"{server.url}/complain?via=poster")
    phone.check("#consent")
    phone.fill("#text", "ก" * 5001)
    phone.click("#send")
    phone.locator("#error").wait_for()
    error = phone.text_content("#error")
    assert "5,000" in error and "ตัวอักษร" in error and "characters" in error
    phone.fill("#text", "มีการลักลอบทิ้งขยะ")
    phone.set_input_files("#files", files=[{"name": "photo.jpg", "mimeType": "image/jpeg",
                                            "buffer": EXE}])
    phone.click("#send")
    phone.wait_for_function("document.querySelector('#error').textContent.includes('PDF')")
    error = phone.text_content("#error")
    assert "ไม่ใช่รูปภาพ" in error and "only photos" in error
    assert phone.locator("#form-card").is_visible() and phone.input_value("#text")  # kept
    assert staff(server, token, "GET", "/complaints")["total"] == 0
    tracking = pages.open(f"{server.url}/c/AAAAA-AAAAA", *PHONE.values())
    tracking.wait_for_function("!document.querySelector('#error').hidden")
    assert "ไม่พบเรื่องร้องเรียนรหัสนี้" in tracking.text_content("#error")
    assert "no complaint" in tracking.text_content("#error")
    assert pages.errors == []


def test_a_clerk_takes_a_walk_in_complaint_and_works_it_on_the_register(office, pages, tmp_path):
    server, token = office
    filed = requests.post(f"{server.url}/api/v1/complaints", timeout=5, json={
        "text": "ถนนในหมู่ 4 เป็นหลุมลึกหลายจุด รถจักรยานยนต์ล้มเมื่อคืน", "category": "hardship",
        "contact": CONTACT}).json()
    register = pages.logged_in(server.url, "staff1", "/complaints", 1366, 768)
    register.locator(f"#rows tr[data-code='{filed['code']}']").wait_for()

    # A walk-in: taken down for the citizen, recorded with its own code.
    register.click("#intake summary")
    register.select_option("#in-category", "dispute")
    register.fill("#in-text", "ข้อพิพาทแนวเขตที่ดินกับเพื่อนบ้าน ขอให้ไกล่เกลี่ย")
    register.uncheck("#in-print")
    register.click("#in-send")
    register.locator("#in-done").wait_for()
    register.wait_for_function("document.querySelectorAll('#rows tr').length === 2")
    # The new one opens, recorded as a walk-in by the clerk.
    register.wait_for_function("document.querySelector('#r-facts').textContent.includes('Walk-in')")

    register.click(f"#rows tr[data-code='{filed['code']}'] a")
    register.wait_for_function("document.querySelector('#record-h').textContent.includes(%r)"
                               % filed["code_display"])
    assert CONTACT in register.text_content("#r-facts")  # staff see the contact
    register.select_option("#assign-user", "4")
    register.click("#assign-form button")
    register.wait_for_function("document.querySelector('#r-status').textContent.includes('มอบหมาย')")
    register.select_option("#step-status", "in_progress")
    register.fill("#step-note", "นายช่างลงพื้นที่สำรวจแล้ว")
    register.fill("#step-internal", "งบซ่อมจากกองช่าง")
    register.click("#step-send")
    register.wait_for_function("document.querySelector('#r-status').textContent.includes('กำลังดำเนินการ')")
    register.select_option("#step-status", "resolved")
    register.fill("#step-note", "ซ่อมผิวถนนเรียบร้อย")
    register.click("#step-send")
    register.wait_for_function("document.querySelector('#r-status').textContent.includes('แก้ไขแล้ว')")
    assert register.locator("#reopen-form").is_visible()
    assert "งบซ่อมจากกองช่าง" in register.text_content("#r-events")
    # The filter by status finds it; the public page has the public note only.
    register.select_option("#f-status", "resolved")
    register.click("#filters button")
    register.wait_for_function("document.querySelectorAll('#rows tr').length === 1")
    register.evaluate("document.querySelector('#intake').open = false;"
                      " document.querySelector('#list-h').scrollIntoView()")
    save_screen(register, tmp_path, "complaint-register.png", (1366, 768))
    public = json.dumps(requests.get(f"{server.url}/api/v1/complaints/{filed['code']}",
                                     timeout=5).json(), ensure_ascii=False)
    assert "ซ่อมผิวถนนเรียบร้อย" in public and "งบซ่อม" not in public and CONTACT not in public
    assert pages.errors == []


def test_the_complaint_pages_run_under_the_content_security_policy(office, pages):
    """Each page's script is a static file: with the policy enforced they run, and nothing is
    blocked (the QR images, the live connection)."""
    server, _ = office
    form = pages.open(f"{server.url}/complain?via=kiosk", 390, 844, enforce_csp=True)
    form.locator("#categories input[value=hardship]").wait_for()     # complaint-form.js ran
    filed = requests.post(f"{server.url}/api/v1/complaints", json={"text": "ทดสอบ"}, timeout=5).json()
    tracking = pages.open(f"{server.url}/c/{filed['code']}", 390, 844, enforce_csp=True)
    tracking.locator("#steps li").first.wait_for()                    # complaint-status.js ran
    poster = pages.open(f"{server.url}/complain/poster", 800, 1100, enforce_csp=True)
    poster.wait_for_load_state("networkidle")
    assert poster.evaluate("document.querySelector('.poster img').naturalWidth") > 0
    register = pages.logged_in(server.url, "manager", "/complaints", enforce_csp=True)
    register.locator("#rows tr").first.wait_for()                     # complaints.js ran
    assert pages.csp_violations == [] and pages.errors == []
