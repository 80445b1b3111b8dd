"""Booking check-in at the kiosk, in a real headless Chromium against the real server (a
`gecc-queue demo` subprocess): the citizen taps "มีนัดหมาย / I have a booking", types the code
on the big keypad or scans it (a scanner is a keyboard that ends with Enter), and gets the
same confirmation screen as a walk-in ticket; wrong, early, late and cancelled codes are
told clearly, in Thai and in English.

`GECC_UPDATE_SCREENS=1 python -m pytest tests/browser` also writes the check-in screen's
pictures to docs/screens/."""

from __future__ import annotations

import io
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
import zxingcpp
from PIL import Image

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_processes import token_for

pytestmark = pytest.mark.live_server



def _office_zone_at_midday() -> str:
    """A fixed-offset zone where it is now about midday, so that slots hours before or after
    now stay on the office's day whatever hour the suite runs (at 22:00 in Bangkok a slot three
    hours ahead is tomorrow, and the kiosk rightly says "not today" instead of "too early")."""
    offset = max(-12, min(14, 12 - datetime.now(timezone.utc).hour))
    return f"Etc/GMT{-offset:+d}"   # the Etc zones' sign is inverted: Etc/GMT-7 is UTC+7


OFFICE_ZONE_NAME = _office_zone_at_midday()
OFFICE_ZONE = ZoneInfo(OFFICE_ZONE_NAME)
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"


# --- helpers -----------------------------------------------------------------------------

@pytest.fixture
def office(tmp_path, server_factory):
    """The demo server and a reception token to make bookings with."""
    db = f"sqlite:///{tmp_path}/booking.sqlite3"
    server = server_factory(db, command="demo", env={"GECC_TIMEZONE": OFFICE_ZONE_NAME})
    return server, token_for("reception", db, tmp_path)


def book(office, minutes_from_now: float, service_id: int = 1) -> dict:
    server, token = office
    slot = (datetime.now(timezone.utc) + timedelta(minutes=minutes_from_now)).replace(
        second=0, microsecond=0)
    answer = requests.post(f"{server.url}/api/v1/bookings",
                           json={"service_id": service_id, "slot_at": slot.isoformat()},
                           headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert answer.status_code == 201, answer.text
    return answer.json()


def bookings_today(office) -> dict:
    server, token = office
    answer = requests.get(f"{server.url}/api/v1/bookings",
                          headers={"Authorization": f"Bearer {token}"}, timeout=5)
    return {b["code"]: b for b in answer.json()["bookings"]}


def local_time(iso: str, minutes: float = 0) -> str:
    when = datetime.fromisoformat(iso.replace("Z", "+00:00")) + timedelta(minutes=minutes)
    return when.astimezone(OFFICE_ZONE).strftime("%H:%M")


def open_kiosk(pages, server, width: int, height: int, **options):
    kiosk = pages.open("", width, height, has_touch=True, **options)
    return kiosk


def start_kiosk(kiosk, server):
    kiosk.goto(f"{server.url}/kiosk")
    kiosk.locator("#services button.service").first.wait_for()


def on_screen(page, selector: str) -> bool:
    """Whether the element is wholly inside the window (nothing to scroll for)."""
    return page.evaluate("""(sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    }""", selector)


def type_on_keypad(kiosk, code: str) -> None:
    for ch in code:
        kiosk.locator(f"#keypad [data-key='{ch}']").tap()


def save_screen(page, tmp_path, name: str) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    if os.environ.get("GECC_UPDATE_SCREENS") == "1":
        SCREENS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENS / name)


def check_ticket_screen(kiosk, server, number: str) -> str:
    """The confirmation screen shows `number`, and its QR code leads to that ticket."""
    kiosk.locator("#screen-done").wait_for()
    assert kiosk.text_content("#ticket-number") == number
    qr = kiosk.locator("#ticket-qr")
    kiosk.wait_for_function("document.querySelector('#ticket-qr').complete"
                            " && document.querySelector('#ticket-qr').naturalWidth > 0")
    status_url = kiosk.text_content("#ticket-url")
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [c.text for c in codes] == [status_url]
    token = status_url.rsplit("/t/", 1)[1]
    status = requests.get(f"{server.url}/api/v1/tickets/{token}", timeout=5).json()
    assert (status["number"], status["channel"], status["status"]) == (number, "online", "waiting")
    return token


# --- tests -------------------------------------------------------------------------------

def test_a_citizen_types_the_booking_code_on_the_keypad_and_gets_a_number(office, pages, tmp_path):
    server, _ = office
    booking = book(office, 10)
    kiosk = open_kiosk(pages, server, 1080, 1920)
    start_kiosk(kiosk, server)

    start = kiosk.locator("#booking-start")
    assert "มีนัดหมาย" in start.text_content() and "I have a booking" in start.text_content()
    assert on_screen(kiosk, "#booking-start")          # on the first screen, no scrolling
    start.tap()
    assert kiosk.locator("#screen-booking").is_visible()
    assert kiosk.locator("#keypad .key").count() == 34   # 32 code characters, delete, clear
    assert kiosk.locator("#keypad [data-key='0'], #keypad [data-key='O']").count() == 0
    # Big targets: every key at least 100 px each way on a 1080-wide portrait screen.
    sizes = kiosk.eval_on_selector_all("#keypad .key", "keys => keys.map(k => [k.offsetWidth, k.offsetHeight])")
    assert min(w for w, _ in sizes) >= 100 and min(h for _, h in sizes) >= 100

    type_on_keypad(kiosk, booking["code"][:-1] + "Z")
    kiosk.locator("#keypad [data-key='delete']").tap()   # a slip of the finger, corrected
    type_on_keypad(kiosk, booking["code"][-1])
    assert kiosk.input_value("#booking-code") == booking["code"]
    for selector in ("#booking-code", "#keypad", "#booking-submit"):
        assert on_screen(kiosk, selector), selector
    save_screen(kiosk, tmp_path, "kiosk-booking-portrait.png")
    kiosk.locator("#booking-submit").tap()

    token = check_ticket_screen(kiosk, server, "A001")
    assert f"นัดหมาย {local_time(booking['slot_at'])} น." in kiosk.text_content("#ticket-service")
    assert kiosk.evaluate("document.documentElement.scrollWidth") <= 1080
    recorded = bookings_today(office)[booking["code"]]
    assert (recorded["status"], recorded["ticket_number"]) == ("checked_in", "A001")
    assert requests.get(f"{server.url}/api/v1/tickets/{token}", timeout=5).json()["id"] == \
        recorded["ticket_id"]

    kiosk.locator("#done").tap()
    kiosk.locator("#screen-services").wait_for()
    assert pages.errors == []


def test_wrong_early_and_cancelled_codes_are_told_clearly(office, pages, tmp_path):
    server, token = office
    early = book(office, 180)
    cancelled = book(office, 20)
    requests.post(f"{server.url}/api/v1/bookings/{cancelled['id']}/cancel",
                  headers={"Authorization": f"Bearer {token}"}, timeout=5).raise_for_status()
    known = set(bookings_today(office))
    wrong = next(c for c in ("ABCDEF", "BCDEFG", "CDEFGH") if c not in known)

    kiosk = open_kiosk(pages, server, 1920, 1080)       # a landscape kiosk this time
    start_kiosk(kiosk, server)
    assert on_screen(kiosk, "#booking-start")
    kiosk.locator("#booking-start").tap()
    type_on_keypad(kiosk, wrong)
    kiosk.locator("#booking-submit").tap()
    error = kiosk.locator("#booking-error-text")
    error.wait_for()
    # (a word joiner keeps อีกครั้ง on one line: "ลองอีก / ครั้ง" read badly)
    assert error.text_content() == f"ไม่พบนัดหมายรหัส {wrong} กรุณาตรวจสอบรหัสแล้วลองอีก\u2060ครั้ง"
    assert f"There is no booking with the code {wrong}" in kiosk.text_content("#booking-error-alt")
    assert kiosk.locator("#booking-normal").is_hidden()
    for selector in ("#booking-code", "#booking-error", "#keypad", "#booking-submit", "#booking-back"):
        assert on_screen(kiosk, selector), selector
    save_screen(kiosk, tmp_path, "kiosk-booking-landscape.png")

    # Too early: it says from when, in the office's time.
    kiosk.locator("#keypad [data-key='clear']").tap()
    assert kiosk.locator("#booking-error").is_hidden()   # editing clears the message
    type_on_keypad(kiosk, early["code"])
    kiosk.locator("#booking-submit").tap()
    error.wait_for()
    opens, slot = local_time(early["slot_at"], -60), local_time(early["slot_at"])
    assert error.text_content() == (f"ยังไม่ถึงเวลาเช็คอิน นัดหมายของท่านเวลา {slot} น. "
                                    f"เช็คอินได้ตั้งแต่เวลา {opens} น.")
    kiosk.locator("#lang-toggle").tap()
    assert error.text_content() == (f"It is too early to check in. Your booking is at {slot}; "
                                    f"check-in opens at {opens}")
    kiosk.locator("#lang-toggle").tap()

    # Cancelled: a normal ticket is the way on, and the kiosk offers it.
    kiosk.locator("#keypad [data-key='clear']").tap()
    type_on_keypad(kiosk, cancelled["code"])
    kiosk.locator("#booking-submit").tap()
    error.wait_for()
    assert error.text_content() == "นัดหมายนี้ถูกยกเลิกแล้ว กรุณารับบัตรคิวปกติ"
    kiosk.locator("#booking-normal").tap()
    kiosk.locator("#screen-services").wait_for()
    assert kiosk.locator("#services button.service").count() == 5
    assert requests.get(f"{server.url}/api/v1/services", timeout=5).json()[0]["waiting"] == 0
    assert pages.errors == []


def test_a_scanner_types_the_code_and_enter_and_a_second_scan_shows_the_same_number(
        office, pages):
    server, _ = office
    booking = book(office, -5, service_id=2)       # five minutes late: within the grace
    kiosk = open_kiosk(pages, server, 1080, 1920)
    start_kiosk(kiosk, server)

    # The QR holds a URL with the code; the scanner types it on the start screen, then Enter.
    kiosk.keyboard.type(f"{server.url}/b/{booking['code'].lower()}", delay=5)
    kiosk.keyboard.press("Enter")
    check_ticket_screen(kiosk, server, "B001")
    assert "ท่านเช็คอินแล้ว" not in kiosk.text_content(".take-ticket")

    # The citizen scans again (from the confirmation screen): the same number, no new ticket.
    kiosk.keyboard.type(booking["code"], delay=5)
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_function("document.querySelector('.take-ticket').textContent.includes('ท่านเช็คอินแล้ว')")
    assert kiosk.text_content("#ticket-number") == "B001"
    services = {s["id"]: s for s in requests.get(f"{server.url}/api/v1/services", timeout=5).json()}
    assert services[2]["waiting"] == 1
    assert pages.errors == []


def test_an_idle_check_in_screen_goes_back_to_the_start(office, pages):
    server, _ = office
    kiosk = open_kiosk(pages, server, 1080, 1920)
    kiosk.clock.install()
    start_kiosk(kiosk, server)
    kiosk.locator("#booking-start").tap()
    type_on_keypad(kiosk, "AB")
    kiosk.clock.run_for(30_000)
    assert kiosk.locator("#screen-booking").is_visible()   # still typing, maybe slowly
    type_on_keypad(kiosk, "C")                             # a touch restarts the wait
    kiosk.clock.run_for(40_000)
    assert kiosk.locator("#screen-booking").is_visible()
    kiosk.clock.run_for(10_000)
    kiosk.locator("#screen-services").wait_for()
    assert kiosk.input_value("#booking-code") == ""        # the next citizen starts afresh
    assert pages.errors == []
