"""Every page under its Content Security Policy in the real Chromium: the policy blocks
nothing the page needs (its scripts, styles, fonts, QR code, the live link over a WebSocket)
and the page's own script has run and drawn what it draws. The header itself and the
templates are checked without a browser in tests/test_csp.py.

The pages are opened with the policy enforced (the other browser tests bypass it, see
browser_fixtures.py), so nothing here uses Playwright's wait_for_function: `until` polls with
page.evaluate, which the policy does not govern."""

from __future__ import annotations

import time

import pytest

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_pages import issue, start_demo

pytestmark = pytest.mark.live_server

ONLINE = "!document.body.classList.contains('is-offline')"


def until(page, expression: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {timeout} s: {expression}"
        page.wait_for_timeout(100)


def open_page(pages, url: str, width: int = 1366, height: int = 768, **options):
    return pages.open(url, width, height, enforce_csp=True, **options)


def log_in(pages, url: str, user: str, path: str):
    return pages.logged_in(url, user, path, enforce_csp=True)


def test_every_page_runs_its_script_under_the_policy_which_blocks_nothing_it_needs(
        tmp_path, server_factory, pages):
    server, _ = start_demo(server_factory, tmp_path)
    ticket = issue(server, 1)
    sockets = []

    home = open_page(pages, f"{server.url}/")
    home.on("websocket", lambda ws: sockets.append(ws.url))
    home.fill("#counter-screen-id", "2")                    # index.js turns it into a URL
    with home.expect_navigation():
        home.click("#counter-screen-form button")
    assert home.url == f"{server.url}/display/counter/2"    # the counter screen
    until(home, f"{ONLINE} && document.querySelector('#name').textContent === 'ช่อง 2'")
    # connect-src 'self' lets Socket.IO's same-origin WebSocket through (not only polling).
    assert any(url.startswith("ws://") and "/socket.io/" in url for url in sockets), sockets

    kiosk = open_page(pages, f"{server.url}/kiosk", 1080, 1920, has_touch=True)
    kiosk.locator("#services button.service").first.tap()
    kiosk.locator("#priorities [data-priority=normal]").tap()
    kiosk.locator("#screen-done").wait_for()
    until(kiosk, "document.querySelector('#ticket-qr').complete"
                 " && document.querySelector('#ticket-qr').naturalWidth > 0")   # the QR image

    display = open_page(pages, f"{server.url}/display", 1920, 1080)
    display.click("#sound-button")
    display.locator("#sound-overlay").wait_for(state="hidden")
    until(display, f"{ONLINE} && window.lobbyState.office !== null"
                   " && document.querySelectorAll('#services > *').length > 0")

    login = open_page(pages, f"{server.url}/login")
    assert login.evaluate("typeof GECC.live") == "function"          # common.js ran

    console = log_in(pages, server.url, "staff1", "/counter")
    until(console, "document.querySelector('#counter-select').dataset.filled === '1'")
    console.select_option("#counter-select", "1")    # a first opening asks for the counter
    until(console, f"{ONLINE} && !document.querySelector('[data-action=next]').disabled")

    tablet = open_page(pages, f"{server.url}/rate/counter/1", 1280, 800, has_touch=True)
    until(tablet, f"{ONLINE} && !document.querySelector('#screen-pair').hidden"
                  " && document.querySelector('#counter-name').textContent === 'ช่อง 1'")
    tablet.locator("#keypad [data-key='7']").tap()                  # rating-tablet.js runs
    until(tablet, "document.querySelector('#pair-code').dataset.value === '7'")

    status = open_page(pages, ticket["status_url"], 390, 844)        # the citizen's phone
    until(status, f"{ONLINE} && document.querySelector('#number').textContent"
                  f" === {ticket['number']!r}")

    reception = log_in(pages, server.url, "reception", "/reception")
    until(reception, f"{ONLINE} && document.querySelectorAll('#service option').length > 1"
                     " && document.querySelectorAll('#priorities input').length === 5")

    manager = log_in(pages, server.url, "manager", "/manager")
    until(manager, f"{ONLINE} && document.querySelectorAll('#services tr').length > 0"
                   " && document.querySelectorAll('#tiles .tile').length > 0")

    # The manager's other pages: server-drawn charts (inline SVG) and their scripts.
    period = log_in(pages, server.url, "manager", "/manager/period")
    until(period, "document.querySelectorAll('svg[role=img]').length > 0")
    packs = log_in(pages, server.url, "manager", "/manager/packs")
    until(packs, "document.querySelectorAll('#packs-body tr').length === 1")
    assessment = log_in(pages, server.url, "manager", "/manager/assessment")
    until(assessment, "document.querySelectorAll('form.answer-form').length > 10")

    # A call: the console acts, the lobby shows it, chimes and speaks it (with no Thai voice in
    # the browser, from the server's recording: media-src).
    console.click("[data-action=next]")
    until(console, "document.querySelector('#cur-number').textContent === 'A001'")
    until(display, "document.querySelector('#now-number').textContent === 'A001'"
                   " && window.announcements.length === 1")
    if not display.evaluate("speechSynthesis.getVoices().some((v) => /^th/i.test(v.lang))"):
        until(display, "GECC.announcer.serverUrls.length === 1")
        display.wait_for_timeout(500)                      # the recording loads

    assert pages.errors == []
    assert pages.csp_violations == []

    # The list would be empty on pages with no policy at all too: an injected inline script
    # is refused and reported, so the empty list above means what it says.
    login.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.head.appendChild(script);
    }""")
    for _ in range(100):                # the violation event comes as a task of its own
        if pages.csp_violations:
            break
        login.wait_for_timeout(50)
    assert login.evaluate("window.injected") is None
    assert len(pages.csp_violations) == 1 and "script-src" in pages.csp_violations[0]
