"""The citizen rates the service on their phone, in a real headless Chromium against the real
server (a `gecc-queue demo` subprocess): the ticket's status page (the QR code's address) says
while they wait that it will ask for a rating, turns into five faces by itself when the clerk
finishes the visit (no reload), sends the score, the answers and the comment, thanks them, and
never asks again; a rating given elsewhere (the counter's tablet) thanks them too.

`GECC_UPDATE_SCREENS=1 python -m pytest tests/browser/test_phone_rating.py` also writes
docs/screens/phone-rating.png and docs/screens/phone-thanks.png."""

from __future__ import annotations

import pytest
import requests

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_kiosk_booking import save_screen
from test_pages import call_next, issue, start_demo
from test_processes import token_for

pytestmark = pytest.mark.live_server

PHONE = dict(width=390, height=844, has_touch=True, is_mobile=True)
WILL_ASK = "เมื่อรับบริการเสร็จ ระบบจะขอให้ท่านประเมินความพึงพอใจ"


# --- helpers -----------------------------------------------------------------------------

@pytest.fixture
def office(tmp_path, server_factory):
    """The demo server and a clerk's (staff1) API token."""
    server, db = start_demo(server_factory, tmp_path)
    return server, token_for("staff1", db, tmp_path)


def finish(server, staff: str, ticket: dict) -> None:
    answer = requests.post(f"{server.url}/api/v1/tickets/{ticket['id']}/finish", json={},
                           headers={"Authorization": f"Bearer {staff}"}, timeout=5)
    assert answer.status_code == 200, answer.text


def rating_form(server, ticket: dict) -> dict:
    answer = requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}/rating", timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()


def open_phone(pages, ticket: dict):
    """The citizen's phone on the ticket's status page, connected and showing the ticket."""
    page = pages.open(ticket["status_url"], PHONE["width"], PHONE["height"],
                      has_touch=True, is_mobile=True)
    page.wait_for_function("document.querySelector('#number').textContent === %r"
                           " && !document.body.classList.contains('is-offline')" % ticket["number"])
    return page


def wait_for_faces(phone) -> None:
    phone.locator("#faces .face[data-score='5']").wait_for()


def scores_on_screen(phone) -> list[str]:
    return sorted(phone.eval_on_selector_all("#faces .face", "fs => fs.map(f => f.dataset.score)"))


def small_targets(phone, selector: str, least: int) -> list:
    """Visible controls matching `selector` smaller than `least` px either way."""
    return phone.eval_on_selector_all(selector, """(els, least) => els
        .filter(e => e.offsetParent !== null)
        .map(e => [e.id || e.dataset.score || e.textContent.trim(), e.offsetWidth, e.offsetHeight])
        .filter(([, w, h]) => w < least || h < least)""", least)


# --- tests -------------------------------------------------------------------------------

def test_the_status_page_turns_into_the_rating_when_the_visit_ends(office, pages, tmp_path):
    server, staff = office
    ticket = issue(server, 1)
    phone = open_phone(pages, ticket)

    # Waiting: one line says a rating will be asked at the end; nothing to rate yet.
    note = phone.locator("#rating-note")
    assert note.is_visible() and WILL_ASK in note.text_content()
    assert "rate the service" in note.text_content()
    assert not phone.locator("#faces").is_visible()
    phone.evaluate("window.sameVisit = 'no reload'")      # gone if the page were reloaded

    call_next(server, staff, 1)
    phone.wait_for_function("document.body.classList.contains('ticket-called')")
    assert phone.locator("#called").is_visible() and "ช่อง 1" in phone.text_content("#counter")
    assert note.is_visible()

    finish(server, staff, ticket)
    wait_for_faces(phone)
    assert phone.evaluate("window.sameVisit") == "no reload"
    assert scores_on_screen(phone) == ["1", "2", "3", "4", "5"]
    assert not note.is_visible()
    faces = phone.locator("#faces")
    for words in ("ไม่พอใจมาก", "Very dissatisfied", "เฉยๆ", "Neutral", "พอใจมาก", "Very satisfied"):
        assert words in faces.text_content()
    # Big faces for old fingers; nothing wider than the phone.
    assert small_targets(phone, "#faces .face", 64) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    form = rating_form(server, ticket)
    assert form["state"] == "open" and form["dimensions"]
    question = form["dimensions"][0]

    phone.locator("#faces .face[data-score='4']").tap()
    assert phone.get_attribute("#faces .face[data-score='4']", "aria-pressed") == "true"
    assert phone.get_attribute("#faces .face[data-score='5']", "aria-pressed") == "false"
    phone.locator("#rate-send").wait_for()
    phone.locator("#rating").evaluate("el => el.scrollIntoView({block: 'start'})")
    save_screen(phone, tmp_path, "phone-rating.png")
    assert question["name_th"] in phone.text_content("#dimensions")
    assert small_targets(phone, "#dimensions .dim-btn, #rate-send, #lang-toggle", 48) == []
    pdpa = phone.text_content("#pdpa")
    assert f"{int(form['comment_retention_days'])} วัน" in pdpa and "managers" in pdpa
    assert phone.get_attribute("#comment", "maxlength") == str(form["comment_max_chars"])

    phone.locator(f"#dimensions .dim-btn[data-dim='{question['key']}'][data-value='5']").tap()
    phone.locator("#comment").fill("เจ้าหน้าที่สุภาพ อธิบายชัดเจน")
    assert phone.text_content("#comment-count") == f"29 / {form['comment_max_chars']}"
    phone.locator("#rate-send").tap()

    phone.locator("#thanks-h").wait_for()
    assert "ขอบคุณที่ประเมิน" in phone.text_content("#thanks-h")
    assert "Thank you" in phone.text_content("#thanks-h")
    assert not phone.locator("#faces").is_visible()
    save_screen(phone, tmp_path, "phone-thanks.png")
    given = rating_form(server, ticket)
    assert (given["state"], given["score"]) == ("given", 4)

    # Never asks again: a reload goes straight to the thanks.
    phone.reload()
    phone.locator("#thanks-h").wait_for()
    assert not phone.locator("#faces").is_visible()
    assert phone.evaluate("window.sameVisit") is None
    assert pages.errors == [] and pages.csp_violations == []


def test_a_second_phone_gives_a_low_score_in_english_and_is_thanked(office, pages):
    server, staff = office
    first, second = issue(server, 1), issue(server, 1)
    phone = open_phone(pages, second)
    phone.locator("#lang-toggle").tap()                               # one tap to English
    phone.wait_for_function("document.documentElement.lang === 'en'")
    assert phone.text_content("#lang-toggle") == "ภาษาไทย"
    call_next(server, staff, 1)                                       # the first ticket
    call_next(server, staff, 1)                                       # this phone's
    phone.wait_for_function("document.body.classList.contains('ticket-called')")
    finish(server, staff, second)
    wait_for_faces(phone)
    phone.locator("#faces .face[data-score='1']").tap()
    phone.locator("#rate-send").tap()
    phone.locator("#thanks-h").wait_for()
    assert rating_form(server, second)["score"] == 1
    # The first ticket (finished when the clerk called the next) is still the first's to rate.
    assert rating_form(server, first)["state"] == "open"
    assert pages.errors == []


def test_a_rating_given_elsewhere_thanks_the_phone_and_a_refusal_is_in_thai(office, pages):
    server, staff = office
    ticket = issue(server, 1)
    phone = open_phone(pages, ticket)
    call_next(server, staff, 1)
    finish(server, staff, ticket)
    wait_for_faces(phone)

    # Rated elsewhere (as the counter's tablet would): the open page thanks, live.
    answer = requests.post(f"{server.url}/api/v1/ratings",
                           json={"token": ticket["token"], "score": 5}, timeout=5)
    assert answer.status_code == 201, answer.text
    phone.locator("#thanks-h").wait_for()
    assert not phone.locator("#faces").is_visible()

    # A second phone that still shows the faces is refused in Thai, and thanked.
    other = pages.open("", PHONE["width"], PHONE["height"], has_touch=True, is_mobile=True)
    other.route("**/api/v1/tickets/*/rating", lambda route: route.fulfill(
        status=200, content_type="application/json",
        body='{"ticket_id": %d, "number": "%s", "state": "open", "closes_at": null, "score": null,'
             ' "dimensions": [], "comment_max_chars": 1000, "comment_retention_days": 365}'
             % (ticket["id"], ticket["number"])))
    other.goto(ticket["status_url"])
    wait_for_faces(other)
    other.locator("#faces .face[data-score='3']").tap()
    other.locator("#rate-send").tap()
    other.locator("#thanks-h").wait_for()
    assert "บัตรคิวนี้ได้รับการประเมินแล้ว" in other.text_content("#rate-error")
    assert rating_form(server, ticket)["score"] == 5
    assert pages.errors == []


def test_too_many_tries_are_told_in_the_servers_thai_and_english(office, pages):
    """A 429 (the public rate limit) is shown in the words the server sends with it; the form
    stays, to send again later."""
    server, staff = office
    ticket = issue(server, 1)
    call_next(server, staff, 1)
    finish(server, staff, ticket)
    phone = pages.open("", PHONE["width"], PHONE["height"], has_touch=True, is_mobile=True)
    phone.route("**/api/v1/ratings", lambda route: route.fulfill(
        status=429, content_type="application/json", headers={"Retry-After": "60"},
        body='{"error": {"code": "rate_limited", "message": "Too many requests",'
             ' "message_th": "\\u0e2a\\u0e48\\u0e07\\u0e16\\u0e35\\u0e48\\u0e40\\u0e01\\u0e34\\u0e19\\u0e44\\u0e1b",'
             ' "message_en": "Too many requests; try again in a minute"}}'))
    phone.goto(ticket["status_url"])
    wait_for_faces(phone)
    phone.locator("#faces .face[data-score='2']").tap()
    phone.locator("#rate-send").tap()
    error = phone.locator("#rate-error")
    error.wait_for()
    assert error.text_content() == "ส่งถี่เกินไป / Too many requests; try again in a minute"
    assert phone.locator("#faces").is_visible() and phone.locator("#rate-send").is_enabled()
    assert rating_form(server, ticket)["state"] == "open"
    assert pages.errors == []
