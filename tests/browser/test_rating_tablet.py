"""The rating tablet facing the citizen at a counter (/rate/counter/<id>), in a real headless
Chromium against the real server (a `gecc-queue demo` subprocess): the clerk's console makes a
one-time code, the tablet is paired with it, and when the counter finishes a visit the tablet
offers five faces; one touch sends the rating. Only its own counter's visits reach it, a visit
is rated once, and the tablet steps back to idle when the citizen rates by phone, walks away,
or a newer visit is finished; a token the server refuses sends it back to the keypad.

`GECC_UPDATE_SCREENS=1` also writes docs/screens/rating-tablet.png (the faces)."""

from __future__ import annotations

import time

import pytest
import requests

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_pages import call_next, fits, in_view, issue, open_console, save_screen, start_demo
from test_processes import token_for

pytestmark = pytest.mark.live_server

TABLET = (1280, 800)
STORE_KEY = "gecc.rating_tablet.{}"
FACES = {1: ("ไม่พอใจมาก", "Very dissatisfied"), 2: ("ไม่พอใจ", "Dissatisfied"),
         3: ("เฉยๆ", "Neutral"), 4: ("พอใจ", "Satisfied"), 5: ("พอใจมาก", "Very satisfied")}


# --- helpers -----------------------------------------------------------------------------

def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def open_tablet(pages, url: str, counter_id: int = 1, install_clock: bool = False):
    """A 10" tablet in landscape, touch screen, on the rating page of a counter."""
    page = pages.open("", *TABLET, has_touch=True)
    if install_clock:
        page.clock.install()
    page.goto(f"{url}/rate/counter/{counter_id}")
    return page


def screen(page, name: str, timeout: float = 10_000) -> None:
    """Wait until the tablet shows screen `name` (pair, idle, rate, thanks), and only it."""
    page.locator(f"#screen-{name}").wait_for(state="visible", timeout=timeout)
    shown = page.evaluate("Array.from(document.querySelectorAll('.rt-screen'))"
                          ".filter((s) => !s.hidden).map((s) => s.id)")
    assert shown == [f"screen-{name}"], shown


def type_code(tablet, code: str) -> None:
    for digit in code:
        tablet.locator(f"#keypad [data-key='{digit}']").tap()


def pairing_code(server, staff: str, counter_id: int = 1) -> str:
    """A code as the clerk's console gets it (the API, for the tests that are not about the
    console)."""
    answer = requests.post(f"{server.url}/api/v1/counters/{counter_id}/rating-tablet/pairing",
                           json={}, headers=bearer(staff), timeout=5)
    assert answer.status_code == 201, answer.text
    return answer.json()["code"]


def paired_tablet(pages, server, staff: str, counter_id: int = 1, **options):
    tablet = open_tablet(pages, server.url, counter_id, **options)
    screen(tablet, "pair")
    type_code(tablet, pairing_code(server, staff, counter_id))
    screen(tablet, "idle")
    online(tablet)
    return tablet


def online(page) -> None:
    page.wait_for_function("!document.body.classList.contains('is-offline')", timeout=20_000)


def finish_visit(server, staff: str, counter_id: int, service_id: int = 1) -> dict:
    """A citizen takes a ticket, the counter calls and serves it, and finishes."""
    ticket = issue(server, service_id)
    called = call_next(server, staff, counter_id)
    assert called["id"] == ticket["id"], (called, ticket)
    for step in ("start", "finish"):
        answer = requests.post(f"{server.url}/api/v1/tickets/{ticket['id']}/{step}",
                               headers=bearer(staff), timeout=5)
        assert answer.status_code == 200, answer.text
    return ticket


def watch_offers(tablet) -> None:
    """Record in the page every number the faces are offered for (window.offered)."""
    tablet.evaluate("""() => {
        window.offered = [];
        const rate = document.querySelector('#screen-rate');
        const note = () => {
            const number = rate.querySelector('.rt-number').textContent;
            if (!rate.hidden && window.offered[window.offered.length - 1] !== number)
                window.offered.push(number);
        };
        new MutationObserver(note).observe(rate, {attributes: true, childList: true,
                                                  characterData: true, subtree: true});
    }""")


def offered_number(tablet) -> str:
    return tablet.text_content("#screen-rate .rt-number")


def rating_of(server, ticket: dict) -> dict:
    answer = requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}/rating", timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()


# --- tests -------------------------------------------------------------------------------

def test_clerk_pairs_the_tablet_and_a_citizen_rates_the_visit_with_one_touch(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    staff = token_for("staff1", db, tmp_path)

    # The clerk presses K on the console: a six-digit code, its expiry and where to go.
    console = open_console(pages, server.url)
    console.keyboard.press("k")
    dialog = console.locator("#tablet-dialog")
    dialog.wait_for()
    console.wait_for_function("(document.querySelector('#tablet-code').dataset.code || '').length === 6")
    code = console.get_attribute("#tablet-code", "data-code")
    assert code.isdigit()
    assert console.text_content("#tablet-code").replace(" ", "") == code
    assert console.text_content("#tablet-url") == f"{server.url}/rate/counter/1"
    assert "ช่อง 1" in console.text_content("#tablet-h")
    assert "ใช้ได้ครั้งเดียว ถึงเวลา" in console.text_content("#tablet-expiry")
    code_size = console.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#tablet-code')).fontSize)")
    assert code_size >= 48, code_size                     # read across the counter
    console.screenshot(path=str(tmp_path / "console-tablet-code.png"))   # to look at
    console.keyboard.press("Escape")
    dialog.wait_for(state="hidden")

    # The tablet: not paired yet, the keypad.
    tablet = open_tablet(pages, server.url)
    screen(tablet, "pair")
    assert "ใส่รหัสจับคู่จากหน้าจอเจ้าหน้าที่" in tablet.text_content("#pair-h")
    assert "Enter the pairing code from the clerk's screen" in tablet.text_content("#pair-h")
    # A mistyped code is refused, and the tablet says why in Thai and English.
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    type_code(tablet, wrong)
    tablet.locator("#pair-error").wait_for()
    assert "รหัสนี้ใช้ไม่ได้" in tablet.text_content("#pair-error-text")
    assert "does not work" in tablet.text_content("#pair-error-alt")
    assert tablet.get_attribute("#pair-code", "data-value") == ""      # cleared to type again
    tablet.screenshot(path=str(tmp_path / "tablet-refused.png"))
    type_code(tablet, code)
    screen(tablet, "idle")
    online(tablet)
    assert "ขอบคุณที่ใช้บริการ" in tablet.text_content("#idle-h")
    tablet.wait_for_function("document.querySelector('#counter-name').textContent === 'ช่อง 1'")
    tablet.screenshot(path=str(tmp_path / "tablet-idle.png"))
    device = tablet.evaluate(f"localStorage.getItem('{STORE_KEY.format(1)}')")
    assert device
    # The code was for once.
    again = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": code}, timeout=5)
    assert again.status_code == 403 and again.json()["error"]["code"] == "pairing_refused"

    watch_offers(tablet)
    # Counter 2 finishes a visit: not counter 1's tablet's business.
    elsewhere = finish_visit(server, staff, 2)
    # The clerk at counter 1 calls the next citizen, serves and finishes, on the console.
    ours = issue(server, 1)
    console.keyboard.press("n")
    console.wait_for_function(f"document.querySelector('#cur-number').textContent === '{ours['number']}'")
    console.wait_for_function("!document.querySelector('[data-action=finish]').disabled")
    console.keyboard.press("f")
    console.wait_for_function("document.querySelector('#current').hidden")

    screen(tablet, "rate")
    assert offered_number(tablet) == ours["number"]
    heading = tablet.text_content("#rate-h")
    assert "กรุณาประเมินความพึงพอใจ" in heading and f"หมายเลข {ours['number']}" in heading
    assert "Please rate your visit" in heading
    faces = tablet.locator("#faces [data-score]")
    assert faces.count() == 5
    for score, (thai, english) in FACES.items():
        face = tablet.locator(f"#faces [data-score='{score}']")
        text = " ".join(face.text_content().split())
        assert thai in text and english in text, (score, text)
        assert face.locator("svg").count() == 1                        # drawn, not an emoji
        box = face.bounding_box()
        assert box["width"] >= 150 and box["height"] >= 150, (score, box)  # for any finger
    assert fits(tablet)["height"] <= TABLET[1] and fits(tablet)["width"] <= TABLET[0]
    assert in_view(tablet, "#rate-h", *[f"#faces [data-score='{s}']" for s in FACES]) == []
    save_screen(tablet, tmp_path, "rating-tablet.png", TABLET)

    # English is one touch away; the faces keep both languages.
    tablet.locator("#lang-toggle").tap()
    tablet.wait_for_function("document.documentElement.lang === 'en'")
    assert tablet.text_content("#rate-h .say").startswith("Please rate your visit")

    sent = []
    tablet.on("request", lambda r: sent.append(r.url) if r.method == "POST" and "/ratings" in r.url else None)
    tablet.locator("#faces [data-score='5']").tap()
    screen(tablet, "thanks")
    assert "Thank you for your rating" in tablet.text_content("#thanks-h")
    tablet.screenshot(path=str(tmp_path / "tablet-thanks-en.png"))
    assert sent == [f"{server.url}/api/v1/counters/1/ratings"]          # one touch, one rating
    given = rating_of(server, ours)
    assert given["state"] == "given" and given["score"] == 5, given
    # A few seconds later, idle again, in Thai for the next citizen.
    screen(tablet, "idle", timeout=15_000)
    assert tablet.evaluate("document.documentElement.lang") == "th"
    assert "ขอบคุณที่ใช้บริการ" in tablet.text_content("#idle-h")

    # The visit has its rating: a second one is refused.
    second = requests.post(f"{server.url}/api/v1/counters/1/ratings", headers=bearer(device),
                           json={"ticket_id": ours["id"], "score": 1}, timeout=5)
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_rated"
    assert rating_of(server, ours)["score"] == 5
    # Counter 2's visit never showed on counter 1's tablet, and its token cannot rate it.
    assert tablet.evaluate("window.offered") == [ours["number"]]
    assert rating_of(server, elsewhere)["state"] == "open"
    for counter_id, refused in [(1, 404), (2, 403)]:
        answer = requests.post(f"{server.url}/api/v1/counters/{counter_id}/ratings",
                               headers=bearer(device), timeout=5,
                               json={"ticket_id": elsewhere["id"], "score": 5})
        assert answer.status_code == refused, (counter_id, answer.text)
    assert rating_of(server, elsewhere)["state"] == "open"
    assert pages.errors == []


def test_the_tablet_steps_back_when_rated_by_phone_replaced_or_left_and_when_refused(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    staff = token_for("staff1", db, tmp_path)
    tablet = paired_tablet(pages, server, staff, install_clock=True)

    # The citizen rates by phone (the QR on the ticket): the faces go.
    first = finish_visit(server, staff, 1)
    screen(tablet, "rate")
    assert offered_number(tablet) == first["number"]
    by_phone = requests.post(f"{server.url}/api/v1/ratings", timeout=5,
                             json={"token": first["token"], "score": 4})
    assert by_phone.status_code == 201, by_phone.text
    screen(tablet, "idle")

    # The next visit is finished before anyone touched the faces: its number replaces it.
    second = finish_visit(server, staff, 1)
    tablet.wait_for_function(
        f"document.querySelector('#screen-rate .rt-number').textContent === '{second['number']}'")
    third = finish_visit(server, staff, 1)
    tablet.wait_for_function(
        f"document.querySelector('#screen-rate .rt-number').textContent === '{third['number']}'")
    screen(tablet, "rate")
    # Nobody touches a face for a minute: idle. (The page's clock is Playwright's, which also
    # runs on by itself: hence the margin.)
    tablet.clock.run_for(55_000)
    screen(tablet, "rate")
    tablet.clock.run_for(6_000)
    screen(tablet, "idle")
    assert rating_of(server, third)["state"] == "open"

    # A tablet whose token the server no longer takes goes back to the keypad, saying why.
    tablet.evaluate(f"localStorage.setItem('{STORE_KEY.format(1)}', 'revoked-or-mistyped')")
    tablet.reload()
    screen(tablet, "idle")
    online(tablet)
    fourth = finish_visit(server, staff, 1)
    screen(tablet, "rate")
    tablet.locator("#faces [data-score='3']").tap()
    screen(tablet, "pair")
    assert "ไม่ได้จับคู่กับช่องนี้แล้ว" in tablet.text_content("#pair-error-text")
    assert "no longer paired" in tablet.text_content("#pair-error-alt")
    assert tablet.evaluate(f"localStorage.getItem('{STORE_KEY.format(1)}')") is None
    assert rating_of(server, fourth)["state"] == "open"
    # Paired again, the next visit can be rated.
    type_code(tablet, pairing_code(server, staff))
    screen(tablet, "idle")
    fifth = finish_visit(server, staff, 1)
    screen(tablet, "rate")
    tablet.locator("#faces [data-score='1']").tap()
    screen(tablet, "thanks")
    assert rating_of(server, fifth)["score"] == 1
    assert pages.errors == []


def test_a_code_made_at_another_counter_pairs_the_tablet_with_that_counter(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    staff = token_for("staff1", db, tmp_path)
    tablet = open_tablet(pages, server.url, 1)
    screen(tablet, "pair")
    with tablet.expect_navigation():
        type_code(tablet, pairing_code(server, staff, 3))
    assert tablet.url == f"{server.url}/rate/counter/3"
    screen(tablet, "idle")
    online(tablet)
    tablet.wait_for_function("document.querySelector('#counter-name').textContent === 'ช่อง 3'")
    assert tablet.evaluate(f"localStorage.getItem('{STORE_KEY.format(1)}')") is None
    assert tablet.evaluate(f"localStorage.getItem('{STORE_KEY.format(3)}')")
    assert pages.errors == []


def test_the_tablet_rejoins_its_counter_after_a_server_restart(tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    staff = token_for("staff1", db, tmp_path)
    tablet = paired_tablet(pages, server, staff)
    tablet.evaluate("window.sameDocument = true")

    server.kill()
    tablet.wait_for_function("document.body.classList.contains('is-offline')")
    assert "Reconnecting" in tablet.text_content("#conn-banner")
    screen(tablet, "idle")                       # still calm under the sign

    again = server_factory(db, command="serve", port=server.port)
    restarted = time.monotonic()
    online(tablet)                               # re-joined room counter:1, snapshot drawn
    print(f"\nserver up again -> tablet back in its room: {time.monotonic() - restarted:.1f} s")
    ticket = finish_visit(again, staff, 1)
    screen(tablet, "rate")
    assert offered_number(tablet) == ticket["number"]
    tablet.locator("#faces [data-score='4']").tap()
    screen(tablet, "thanks")
    assert rating_of(again, ticket)["score"] == 4
    assert tablet.evaluate("window.sameDocument") is True
    assert pages.errors == []
