"""An office sets itself up in the browser, from an empty database (issue 15), in headless
Chromium against a real `gecc-queue serve`: the first-run page, three services, two counters
and a clerk, a kiosk paired by the code it shows, a ticket issued there and called at the
counter; changes reaching an open kiosk and lobby display live; a second office whose staff
neither see nor touch the first's; axe-core on every admin page."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_accessibility import violations
from test_pages import save_screen

pytestmark = pytest.mark.live_server

SERVICES = [("A", "ทะเบียนราษฎร", "Civil registration", "15", "30"),
            ("B", "บัตรประจำตัวประชาชน", "ID card", "10", "20"),
            ("C", "สอบถามข้อมูล", "Information", "5", "10")]


def setup_code(tmp_path: Path, port: int) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = re.search(r"set-up code: (\d{8})",
                          (tmp_path / f"server-{port}.log").read_text(errors="replace"))
        if found:
            return found.group(1)
        time.sleep(0.1)
    raise AssertionError("serve printed no set-up code")


def log_in(pages, url: str, user: str, password: str, path: str, width=1366, height=900):
    page = pages.open(f"{url}/login?next={path}", width, height)
    page.fill("#username", user)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith(path), page.url
    return page


def submit(page, button_text: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button_text).click()
    assert page.locator("#error").count() == 0, page.locator("#error").text_content()


def test_an_office_sets_itself_up_from_an_empty_database(tmp_path, server_factory, pages):
    server = server_factory(f"sqlite:///{tmp_path}/empty.sqlite3", command="serve")
    code = setup_code(tmp_path, server.port)

    # The first run: no default password, the office and its administrator.
    setup = pages.open(f"{server.url}/", 1366, 900)
    assert setup.url.endswith("/setup")
    assert violations(setup) == [], "first-run page"
    save_screen(setup, tmp_path, "admin-setup.png", (1366, 900))
    setup.fill("#setup_code", code)
    setup.fill("#name", "ที่ว่าการอำเภอทดสอบ")
    setup.fill("#name_en", "Test District Office")
    setup.fill("#address", "1 ถนนทดสอบ อำเภอเมือง")
    setup.fill("#help_contact", "โทร 02-000-0000")
    setup.fill("#username", "chief")
    setup.fill("#display_name", "หัวหน้าสำนักงาน")
    setup.fill("#password", "chief-password")
    setup.fill("#password2", "chief-password")
    submit(setup, "สร้างสำนักงาน")
    assert "/login" in setup.url

    admin = log_in(pages, server.url, "chief", "chief-password", "/admin/services")
    for code_, th, en, standard, target in SERVICES:
        admin.fill("#new_code", code_)
        admin.fill("#new_name_th", th)
        admin.fill("#new_name_en", en)
        admin.fill("#new_standard_minutes", standard)
        admin.fill("#new_target_wait_minutes", target)
        submit(admin, "เพิ่มบริการ /")
    assert admin.locator(".item h3").count() == 3
    # A refusal in Thai and English, the form kept.
    admin.fill("#new_code", "A")
    admin.fill("#new_name_th", "ซ้ำ")
    admin.fill("#new_name_en", "Again")
    with admin.expect_navigation():
        admin.get_by_role("button", name="เพิ่มบริการ /").click()
    assert "อักษร A ใช้กับบริการอื่นแล้ว" in admin.text_content("#error")
    assert "The letter A is another service's" in admin.text_content("#error")
    assert admin.input_value("#new_name_th") == "ซ้ำ"
    assert violations(admin) == [], "services page with an error"
    save_screen(admin, tmp_path, "admin-services.png", (1366, 900))

    admin.goto(f"{server.url}/admin/counters")
    services = {o.text_content().split(" ")[0]: o.get_attribute("value")
                for o in admin.locator("#new_service1 option").all() if o.get_attribute("value")}
    admin.fill("#new_number", "1")
    admin.fill("#new_name", "ช่อง 1")
    admin.select_option("#new_service1", services["A"])
    admin.select_option("#new_service2", services["B"])
    submit(admin, "เพิ่มช่องบริการ /")
    admin.fill("#new_name", "ช่อง 2")
    admin.select_option("#new_service1", services["C"])
    submit(admin, "เพิ่มช่องบริการ /")
    assert admin.locator(".item h3").count() == 2
    assert violations(admin) == [], "counters page"
    save_screen(admin, tmp_path, "admin-counters.png", (1366, 900))

    admin.goto(f"{server.url}/admin/staff")
    admin.fill("#new_username", "clerk1")
    admin.fill("#new_display", "สมศรี ใจดี")
    admin.select_option("#new_role", "staff")
    admin.select_option("#new_counter", label="ช่อง 1")
    admin.fill("#new_pw", "clerk1-password")
    admin.fill("#new_pw2", "clerk1-password")
    submit(admin, "เพิ่มผู้ใช้ /")
    assert "clerk1" in admin.text_content("main")
    assert violations(admin) == [], "staff page"

    admin.goto(f"{server.url}/admin/hours")
    assert violations(admin) == [], "hours page"
    save_screen(admin, tmp_path, "admin-hours.png", (1366, 900))
    admin.goto(f"{server.url}/admin")
    assert violations(admin) == [], "office page"

    # A kiosk PC opens /pair, shows a code; the admin types it on the devices page.
    device = pages.open(f"{server.url}/pair", 1080, 1920, has_touch=True)
    device.wait_for_function("/^\\d{6}$/.test(document.querySelector('#pair-code').textContent)")
    assert violations(device) == [], "pairing page"
    shown = device.text_content("#pair-code")
    admin.goto(f"{server.url}/admin/devices")
    assert violations(admin) == [], "devices page"
    save_screen(device, tmp_path, "admin-pair-device.png", (1080, 1920))
    admin.fill("#code", shown)
    admin.select_option("#kind", "kiosk")
    admin.fill("#dname", "ตู้หน้าประตู")
    admin.fill("#key", "front")
    admin.select_option("#paper", "58mm")
    submit(admin, "จับคู่ /")
    device.wait_for_url(re.compile(r"/o/1/kiosk\?id=front$"), timeout=15_000)
    kiosk = device
    kiosk.locator("#services button.service").first.wait_for()
    assert kiosk.locator("#services button.service").count() == 3

    # A change on the admin page reaches the open kiosk and lobby display live.
    display = pages.open(f"{server.url}/o/1/display", 1920, 1080)
    if display.locator("#sound-overlay").is_visible():
        display.click("#sound-button")
    display.wait_for_function("window.lobbyState && window.lobbyState.office !== null"
                              " && !document.body.classList.contains('is-offline')")
    admin.goto(f"{server.url}/admin/services")
    first_id = services["C"]
    admin.fill(f"#s{first_id}_name_th", "สอบถามและแนะนำ")
    submit(admin, "บันทึก C /")
    kiosk.wait_for_function(
        "[...document.querySelectorAll('#services button.service')]"
        ".some(b => b.textContent.includes('สอบถามและแนะนำ'))", timeout=20_000)
    display.wait_for_function("document.body.textContent.includes('สอบถามและแนะนำ')",
                              timeout=20_000)

    # A ticket at the paired kiosk, called by the clerk at the counter she starts on.
    kiosk.locator("#services button.service").first.tap()
    kiosk.locator("#priorities [data-priority=normal]").tap()
    kiosk.locator("#screen-done").wait_for()
    number = kiosk.text_content("#ticket-number")
    assert number == "A001"
    console = log_in(pages, server.url, "clerk1", "clerk1-password", "/counter", 1366, 768)
    console.wait_for_function("document.querySelector('#counter-select').dataset.filled === '1'")
    assert console.locator("#counter-select option:checked").text_content().startswith("ช่อง 1")
    console.wait_for_function("!document.querySelector('#toggle-open').disabled")
    console.click("#toggle-open")
    console.wait_for_function("!document.querySelector('[data-action=next]').disabled")
    console.click("[data-action=next]")
    console.wait_for_function(f"document.querySelector('#cur-number').textContent === '{number}'")
    display.wait_for_function(f"document.querySelector('#now-number').textContent === '{number}'",
                              timeout=10_000)

    # A second office, added by the super-admin, with its own administrator.
    admin.goto(f"{server.url}/admin/offices")
    assert violations(admin) == [], "offices page"
    admin.fill("#oname", "สำนักงานที่ดินทดสอบ")
    admin.fill("#oname_en", "Test Land Office")
    admin.fill("#ousername", "landboss")
    admin.fill("#opw", "landboss-password")
    admin.fill("#opw2", "landboss-password")
    submit(admin, "เพิ่มสำนักงาน /")
    boss = log_in(pages, server.url, "landboss", "landboss-password", "/admin/services")
    assert "สำนักงานที่ดินทดสอบ" in boss.text_content("main")
    assert boss.locator(".item h3").count() == 0  # none of the first office's services
    for path in ("/api/v1/counters/1", "/api/v1/counters/1/waiting"):
        assert boss.request.get(f"{server.url}{path}").status == 404, path
    assert boss.request.get(f"{server.url}/api/v1/counters").json() == []
    touched = boss.request.post(f"{server.url}/api/v1/counters/1/call-next", data={},
                                headers={"X-CSRFToken": boss.locator(
                                    "meta[name=csrf-token]").get_attribute("content")})
    assert touched.status == 404
    boss.goto(f"{server.url}/admin/staff")
    assert "clerk1" not in boss.text_content("main")
    assert pages.errors == []
