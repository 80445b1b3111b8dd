"""Every screen, in the states people see, checked by axe-core (Deque's accessibility engine,
the one browsers' own audits use) in the real Chromium: names and labels on every control,
contrast, landmarks and headings, ARIA used correctly, the page's language.

axe-core comes with the axe-playwright-python package (PyPI), so nothing is fetched at run
time. Every violation fails the test, whatever its impact, with what and where."""

from __future__ import annotations

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_manager_alerts import open_manager, rate_a_visit_low
from test_pages import issue, open_console, open_display, start_demo
from test_processes import token_for
from test_rating_tablet import finish_visit, online, open_tablet, pairing_code, screen, type_code

pytestmark = pytest.mark.live_server

AXE = Axe()


def violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each: rule, impact, where."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    found = []
    for rule in results.response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"][:4])
        found.append(f"{rule['id']} ({rule['impact']}): {rule['help']} at {targets}")
    return found


def test_kiosk_screens_are_accessible(tmp_path, server_factory, pages):
    server, _ = start_demo(server_factory, tmp_path)
    kiosk = pages.open(f"{server.url}/kiosk", 1080, 1920, has_touch=True)
    kiosk.locator("#services button.service").first.wait_for()
    assert violations(kiosk) == [], "start screen"
    kiosk.locator("#services button.service").first.tap()
    kiosk.locator("#screen-priority").wait_for()
    assert violations(kiosk) == [], "priority screen"
    kiosk.locator("#priorities [data-priority=elderly]").tap()
    kiosk.locator("#screen-done").wait_for()
    kiosk.wait_for_function("document.querySelector('#ticket-qr').complete")
    assert violations(kiosk) == [], "ticket screen"
    kiosk.locator("#done").tap()
    kiosk.locator("#services button.service").first.wait_for()
    kiosk.locator("#lang-toggle").tap()                      # English
    kiosk.wait_for_function("document.documentElement.lang === 'en'")
    assert violations(kiosk) == [], "start screen in English"
    kiosk.locator("#booking-start").tap()
    kiosk.locator("#screen-booking").wait_for()
    assert violations(kiosk) == [], "booking check-in screen"
    assert pages.errors == []


def test_lobby_and_counter_screens_are_accessible(tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    issue(server, 1)
    issue(server, 2)
    token = token_for("staff1", db, tmp_path)
    display = open_display(pages, server.url)
    requests.post(f"{server.url}/api/v1/counters/1/call-next", json={}, timeout=5,
                  headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    display.wait_for_function("document.querySelector('#now-number').textContent === 'A001'")
    assert violations(display) == [], "lobby display"
    screen = pages.open(f"{server.url}/display/counter/1", 800, 480)
    screen.wait_for_function("!document.body.classList.contains('is-offline')")
    assert violations(screen) == [], "counter screen"
    assert pages.errors == []


def test_staff_pages_are_accessible(tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    ticket = issue(server, 1)
    login = pages.open(f"{server.url}/login", 1366, 768)
    assert violations(login) == [], "log-in page"
    console = open_console(pages, server.url)
    assert violations(console) == [], "console, nothing called"
    console.keyboard.press("n")
    console.wait_for_function("document.querySelector('#cur-number').textContent === 'A001'")
    assert violations(console) == [], "console with a ticket"
    console.keyboard.press("t")
    console.locator("#transfer-dialog").wait_for()
    assert violations(console) == [], "transfer dialog"
    console.keyboard.press("Escape")
    console.keyboard.press("v")
    console.locator("#services-dialog").wait_for()
    assert violations(console) == [], "services dialog"
    console.keyboard.press("Escape")
    console.locator("#services-dialog").wait_for(state="hidden")
    # Keys go to the console once the dialog's tick boxes have given the focus back.
    console.wait_for_function("!['INPUT', 'SELECT'].includes(document.activeElement.tagName)")
    console.keyboard.press("k")
    # The code comes from the server: on a loaded machine that may take a while.
    console.wait_for_function(
        "(document.querySelector('#tablet-code').dataset.code || '').length === 6", timeout=30_000)
    assert violations(console) == [], "rating tablet pairing dialog"
    console.keyboard.press("Escape")

    status = pages.open(ticket["status_url"], 390, 844)             # the citizen's phone
    status.wait_for_function("document.body.textContent.includes('A001')")
    assert violations(status) == [], "ticket status page"

    for page_path, user in (("/reception", "reception"), ("/manager", "manager")):
        page = pages.logged_in(server.url, user, page_path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], page_path
    assert pages.errors == []


def test_manager_page_with_an_open_alert_is_accessible(tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    manager = open_manager(pages, server.url)
    rate_a_visit_low(server, db, tmp_path)
    manager.locator("#alerts li.alert-item.is-new").wait_for()
    manager.wait_for_function(
        "document.querySelector('#sat-tiles [data-figure=ratings] strong').textContent === '1'")
    assert violations(manager) == [], "manager page with a new alert"
    manager.click("#past summary")
    manager.locator("#past-alerts tr[data-alert-id]").wait_for()
    assert violations(manager) == [], "manager page with the past alerts open"


def test_the_phone_rating_is_accessible(tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    ticket = issue(server, 1)
    staff = {"Authorization": f"Bearer {token_for('staff1', db, tmp_path)}"}
    requests.post(f"{server.url}/api/v1/counters/1/call-next", json={}, timeout=5,
                  headers=staff).raise_for_status()
    requests.post(f"{server.url}/api/v1/tickets/{ticket['id']}/finish", json={}, timeout=5,
                  headers=staff).raise_for_status()
    phone = pages.open(ticket["status_url"], 390, 844, has_touch=True, is_mobile=True)
    phone.locator("#faces .face[data-score='5']").wait_for()
    assert violations(phone) == [], "rating: the faces"
    phone.locator("#faces .face[data-score='4']").tap()
    phone.locator("#rate-send").wait_for()
    phone.locator("#dimensions .dim-btn[data-value='3']").first.tap()
    assert violations(phone) == [], "rating: a face chosen, the questions and the comment"
    phone.locator("#lang-toggle").tap()
    phone.wait_for_function("document.documentElement.lang === 'en'")
    assert violations(phone) == [], "rating in English"
    phone.locator("#rate-send").tap()
    phone.locator("#thanks-h").wait_for()
    assert violations(phone) == [], "rating: thanks"
    assert pages.errors == []


def test_rating_tablet_is_accessible(tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    staff = token_for("staff1", db, tmp_path)
    tablet = open_tablet(pages, server.url)
    screen(tablet, "pair")
    online(tablet)
    assert violations(tablet) == [], "pairing keypad"
    code = pairing_code(server, staff)
    type_code(tablet, ("1" if code[0] != "1" else "2") + code[1:])
    tablet.locator("#pair-error").wait_for()
    assert violations(tablet) == [], "pairing keypad, code refused"
    type_code(tablet, code)
    screen(tablet, "idle")
    assert violations(tablet) == [], "idle"
    finish_visit(server, staff, 1)
    screen(tablet, "rate")
    assert violations(tablet) == [], "faces"
    tablet.locator("#lang-toggle").tap()
    tablet.wait_for_function("document.documentElement.lang === 'en'")
    assert violations(tablet) == [], "faces in English"
    tablet.locator("#faces [data-score='4']").tap()
    screen(tablet, "thanks")
    assert violations(tablet) == [], "thanks"
    assert pages.errors == []


def test_the_complaint_pages_are_accessible(tmp_path, server_factory, pages):
    """The public form (and its receipt), the tracking page on a phone, and the register."""
    server, _ = start_demo(server_factory, tmp_path)
    ticket = issue(server, 3)
    phone = pages.open(f"{server.url}/complain?t={ticket['token']}", 390, 844, has_touch=True)
    phone.locator("#categories input[value=hardship]").wait_for()
    assert violations(phone) == [], "complaint form"
    phone.fill("#text", "ไฟทางในซอยดับทั้งซอย")
    phone.check("#consent")
    phone.click("#send")
    phone.locator("#receipt").wait_for()
    phone.wait_for_function("document.querySelector('#receipt-qr').complete")
    assert violations(phone) == [], "complaint receipt"
    with phone.expect_navigation():
        phone.click("#receipt-link")
    phone.wait_for_function("document.querySelectorAll('#steps li').length === 1")
    assert violations(phone) == [], "tracking page"
    register = pages.logged_in(server.url, "staff1", "/complaints")
    register.locator("#rows tr a").first.click()
    register.locator("#record-h").wait_for()
    register.wait_for_function("document.querySelectorAll('#r-events li').length === 1")
    assert violations(register) == [], "complaint register"
    assert pages.errors == []
