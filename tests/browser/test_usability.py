"""What people stumbled on when the office was tried as its citizens, clerks and manager would
(issue 14), in a real headless Chromium against the real server: the lobby TV, the clerk's
console, the citizen's phone, the kiosk, reception and the manager's day."""

from __future__ import annotations

import re

import pytest

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_pages import call_next, issue, open_console, open_display, staff_post, start_demo
from test_processes import token_for

pytestmark = pytest.mark.live_server

EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def boxes_meet(page, a: str, b: str) -> bool:
    return page.evaluate("""([a, b]) => {
        const x = document.querySelector(a).getBoundingClientRect();
        const y = document.querySelector(b).getBoundingClientRect();
        return x.width > 0 && y.width > 0 && x.left < y.right && y.left < x.right
            && x.top < y.bottom && y.top < x.bottom;
    }""", [a, b])


def test_the_lobby_tv_never_covers_the_number_draws_its_icons_and_clears_finished_tiles(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    token = token_for("staff1", db, tmp_path)
    first = issue(server, 1)
    call_next(server, token, 1)
    # A TV that nobody touches: the sound note is shown (this Chromium blocks autoplay)...
    tv = pages.open(f"{server.url}/display", 1920, 1080)
    tv.wait_for_function("document.querySelector('#now-number').textContent === 'A001'")
    assert tv.locator("#sound-overlay").is_visible()
    # ...small, in a corner, never over the called number or its counter.
    assert not boxes_meet(tv, "#sound-overlay", "#now")
    assert not boxes_meet(tv, "#sound-overlay", "#counters")
    size = tv.evaluate("(() => { const r = document.querySelector('#sound-overlay')"
                       ".getBoundingClientRect(); return [r.width, r.height]; })()")
    assert size[0] < 1920 / 3 and size[1] < 1080 / 12, size
    # No icon is an emoji character (a TV without an emoji font drew an empty box): SVG.
    assert not EMOJI.search(tv.text_content("body"))
    assert tv.locator("#sound-button svg").count() == 1 and tv.locator(".now-arrow svg").count() == 1
    assert "Time" in tv.text_content(".recent-table thead")
    tv.click("#sound-button")
    tv.locator("#sound-overlay").wait_for(state="hidden")

    # The counter's tile shows the number at the counter, and clears once it is finished.
    tile = "document.querySelector('.counter-tile[data-counter-id=\"1\"] .counter-current')"
    tv.wait_for_function(f"{tile}.textContent === 'A001'")
    staff_post(server, token, f"/tickets/{first['id']}/finish")
    tv.wait_for_function(f"{tile}.textContent === '—'", timeout=3_000)
    tv.reload()                                         # and after a reconnect, too
    tv.wait_for_function("window.lobbyState && window.lobbyState.office !== null")
    tv.wait_for_function(f"{tile} && {tile}.textContent === '—'")
    assert pages.errors == []


def test_a_clerk_chooses_the_counter_is_warned_of_another_clerk_and_told_what_next_did(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    token2 = token_for("staff2", db, tmp_path)
    for _ in range(3):
        issue(server, 1)
    call_next(server, token2, 1)                        # staff2 works at counter 1

    # A first opening on this PC: no counter is taken for the clerk; they choose.
    console = pages.logged_in(server.url, "staff1", "/counter")
    console.wait_for_function("document.querySelector('#counter-select').dataset.filled === '1'")
    console.locator("#counter-prompt").wait_for()
    assert console.locator("#counter-select").input_value() == ""
    assert console.locator("[data-action=next]").is_disabled()
    console.select_option("#counter-select", "1")
    warning = console.locator("#counter-warning")
    warning.wait_for()
    assert "staff2" in warning.text_content() and "works at this counter" in warning.text_content()
    assert console.evaluate("localStorage.getItem('gecc.counter_id')") == "1"   # remembered
    console.select_option("#counter-select", "2")       # not theirs: counter 2 is free
    warning.wait_for(state="hidden")
    console.reload()                                    # the PC remembers counter 2
    console.wait_for_function("document.querySelector('#counter-select').value === '2'"
                              " && !document.querySelector('[data-action=next]').disabled")
    assert console.locator("#counter-prompt").is_hidden()

    # Next on a ticket called and never started: the console says it closed it.
    console.keyboard.press("n")
    console.wait_for_function("document.querySelector('#cur-number').textContent === 'A002'")
    console.wait_for_function("!document.querySelector('[data-action=next]').disabled")
    console.keyboard.press("n")
    console.wait_for_function("document.querySelector('#cur-number').textContent === 'A003'")
    text = console.text_content("#info")
    assert "ปิดคิว A002 อัตโนมัติ (ยังไม่ได้เริ่มบริการ)" in text, text
    assert "A002 finished automatically (service was not started)" in text, text
    console.wait_for_function("document.querySelector('#today-line').textContent.includes('you: 1')")

    # The transfer dialog's keys are the services' letters: T, then B.
    console.keyboard.press("t")
    console.locator("#transfer-dialog").wait_for()
    assert console.locator("#transfer-options [data-key='B'] kbd").text_content() == "B"
    assert console.locator("#transfer-options [data-key='1']").count() == 0
    console.keyboard.press("b")
    console.wait_for_function("document.querySelector('#info').textContent.includes('Transferred to')")
    console.locator("#current").wait_for(state="hidden")      # A003 left for B

    # The O key's label is the letter O, in type where it is wider than a zero.
    widths = console.evaluate("""() => {
        const kbd = document.querySelector('#toggle-open kbd');
        const font = getComputedStyle(kbd).font;
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = font;
        return [kbd.textContent, ctx.measureText('O').width, ctx.measureText('0').width];
    }""")
    assert widths[0] == "O" and widths[1] > widths[2] * 1.15, widths
    assert pages.errors == []


def test_the_citizens_phone_names_the_office_a_move_and_a_closed_call(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    token = token_for("staff1", db, tmp_path)
    moved, closed, cancelled = issue(server, 1), issue(server, 1), issue(server, 1)
    phone = pages.open(moved["status_url"], 390, 844)
    phone.wait_for_function("document.querySelector('#number').textContent === 'A001'")
    assert "ที่ว่าการอำเภอบางบัวทอง" in phone.text_content("#office-line")
    assert phone.locator("#keep-open").is_visible()
    called = call_next(server, token, 1)
    phone.wait_for_function("!document.querySelector('#called').hidden")
    assert phone.text_content("#counter") == "ช่อง 1"       # not "ช่อง 1 (1)"
    staff_post(server, token, f"/tickets/{called['id']}/transfer", {"service_id": 2})
    phone.wait_for_function("!document.querySelector('#moved').hidden")
    assert "ย้ายไปบริการ" in phone.text_content("#moved")
    assert "Moved to" in phone.text_content("#moved")

    # Called, then Next at once: the phone says "closed", not "finished", and whom to ask.
    second = pages.open(closed["status_url"], 390, 844)
    second.wait_for_function("document.querySelector('#number').textContent === 'A002'")
    assert call_next(server, token, 1)["id"] == closed["id"]
    call_next(server, token, 1)                                # A003 called, A002 closed
    second.wait_for_function("!document.querySelector('#unserved').hidden")
    assert second.text_content("#status").startswith("ปิดคิวแล้ว")
    assert second.locator("#keep-open").is_hidden()

    # A cancelled ticket and an unknown link say nothing about keeping the page open.
    staff_post(server, token, f"/tickets/{cancelled['id']}/cancel")
    third = pages.open(cancelled["status_url"], 390, 844)
    third.wait_for_function("document.querySelector('#number').textContent === 'A003'")
    assert third.locator("#keep-open").is_hidden()
    unknown = pages.open(f"{server.url}/t/no-such-ticket-token-at-all", 390, 844)
    unknown.locator("#error").wait_for()
    assert unknown.locator("#keep-open").is_hidden()
    assert [e for e in pages.errors if "no-such-ticket" not in e] == []


def test_the_kiosk_shows_the_priority_a_stopped_service_its_own_date_and_hides_the_qr_soon(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    kiosk = pages.open("", 1080, 1920, has_touch=True)
    kiosk.clock.install()
    kiosk.goto(f"{server.url}/kiosk")
    kiosk.locator("#services button.service").first.wait_for()
    kiosk.clock.run_for(11_000)                          # the clock line is drawn
    kiosk.locator("#lang-toggle").tap()
    clock_line = kiosk.text_content("#clock")
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)", clock_line), clock_line
    assert not re.search("[\u0E00-\u0E7F]", clock_line), clock_line   # no Thai date in English
    kiosk.locator("#lang-toggle").tap()

    # The elderly ticket says so on screen; the printer is down (no agent), so the screen
    # is the ticket, and its QR (which can cancel it) leaves with it within 20 s.
    kiosk.locator("#services button.service").first.tap()
    kiosk.locator("#priorities [data-priority=elderly]").tap()
    kiosk.locator("#screen-done").wait_for()
    assert kiosk.locator("#ticket-priority").is_visible()
    assert "ผู้สูงอายุ" in kiosk.text_content("#ticket-priority")
    assert kiosk.get_attribute("#ticket-qr", "src")
    kiosk.clock.run_for(21_000)
    kiosk.locator("#screen-services").wait_for()
    assert kiosk.get_attribute("#ticket-qr", "src") is None

    # The manager stops B: the kiosk says it is stopped today, not its opening hours.
    manager = pages.logged_in(server.url, "manager", "/manager")
    switch = manager.locator("button.service-switch[data-service-id='2']")
    switch.wait_for()
    manager.once("dialog", lambda dialog: dialog.accept())
    switch.click()
    fresh = pages.open(f"{server.url}/kiosk", 1080, 1920, has_touch=True)
    b = fresh.locator("#services button.service[data-service-id='2']")
    b.wait_for()
    fresh.wait_for_function(
        "document.querySelector('[data-service-id=\"2\"] .queue').textContent.includes('งดให้บริการวันนี้')")
    assert ":" not in b.locator(".queue").text_content()      # no hours
    assert pages.errors == []


def test_reception_says_why_the_printer_is_not_ready_in_thai_and_english_and_the_day_adds_up(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    page = pages.logged_in(server.url, "reception", "/reception")
    page.wait_for_function("document.querySelectorAll('#service option').length > 1")
    page.select_option("#service", "1")
    page.click("#issue-button")
    page.wait_for_function("document.querySelector('#issued-number').textContent === 'A001'")
    line = page.text_content("#issued-print")
    assert "ยังไม่มีเครื่องพิมพ์รายงานสถานะ" in line and "no printer has reported" in line, line
    assert "no print agent has reported" not in line          # the agent's English detail

    token = token_for("staff1", db, tmp_path)
    issue(server, 1)
    call_next(server, token, 1)
    staff_post(server, token, "/tickets/1/transfer", {"service_id": 2})
    staff_post(server, token, "/tickets/2/cancel")
    manager = pages.logged_in(server.url, "manager", "/manager")
    manager.wait_for_function("document.querySelectorAll('#services tr').length > 1")
    head = manager.text_content("#svc-h + table thead")
    assert "Cancelled" in head and "Moved in / out" in head
    row = manager.locator("#services tr").first
    assert "+0 / −1" in row.text_content()
    assert pages.errors == []
