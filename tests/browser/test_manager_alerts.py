"""The manager's page and a low rating, in a real headless Chromium against the real server (a
`gecc-queue demo` subprocess): a citizen rates a visit at counter 2 with 1 and a comment; the
alert appears on the open manager page at once, without a reload, highlighted and counted;
the manager records the action taken and it leaves the open list; the API keeps the action
and who took it; the day's satisfaction figures show the rating.

`GECC_UPDATE_SCREENS=1` also writes docs/screens/manager-alerts.png."""

from __future__ import annotations

import pytest
import requests

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_pages import call_next, fits, issue, save_screen, staff_post, start_demo
from test_processes import token_for

pytestmark = pytest.mark.live_server

MANAGER_ID = 2          # the demo's user ids
MANAGER_NAME = "นายอำเภอ (ผู้จัดการศูนย์)"
COMMENT = "รอนานมาก เจ้าหน้าที่ไม่อธิบายว่าต้องใช้เอกสารอะไร"
ACTION = "โทรขอโทษผู้รับบริการแล้ว และชี้แจงขั้นตอนกับเจ้าหน้าที่ช่อง 2"


def open_manager(pages, url: str, width: int = 1366, height: int = 768):
    """The manager's page, logged in, live (in its rooms), the day's figures drawn."""
    page = pages.logged_in(url, "manager", "/manager", width, height)
    # In the managers' room with the open alerts read (a rating now comes as an event).
    page.locator("#alerts-panel[data-live='1']").wait_for(state="attached")
    page.wait_for_function("!document.body.classList.contains('is-offline')")
    page.locator("#sat-tiles [data-figure=ratings]").wait_for()
    page.locator("#services tr").first.wait_for()
    return page


def rate_a_visit_low(server, db: str, tmp_path, comment: str = COMMENT) -> dict:
    """A ticket issued, called and finished at counter 2 by staff2, then rated 1 with a
    comment from the citizen's phone (the ticket's token)."""
    staff2 = token_for("staff2", db, tmp_path)
    ticket = issue(server, 1)
    assert call_next(server, staff2, 2)["id"] == ticket["id"]
    staff_post(server, staff2, f"/tickets/{ticket['id']}/finish")
    rated = requests.post(f"{server.url}/api/v1/ratings", timeout=5,
                          json={"token": ticket["token"], "score": 1, "comment": comment})
    assert rated.status_code == 201, rated.text
    return ticket


def figure(page, key: str) -> str:
    return page.text_content(f"#sat-tiles [data-figure={key}] strong")


def test_a_low_rating_reaches_the_open_manager_page_and_the_action_is_recorded(
        tmp_path, server_factory, pages):
    server, db = start_demo(server_factory, tmp_path)
    manager = open_manager(pages, server.url)
    # Nothing yet: no alert, and figures with no data show a dash, not 0.
    assert manager.locator("#alerts-empty").is_visible()
    assert manager.text_content("#alerts-count") == "0"
    assert not manager.title().startswith("(")
    assert figure(manager, "ratings") == "0"
    assert figure(manager, "mean_score") == "—" and figure(manager, "response_ratio") == "—"
    manager.evaluate("window.notReloaded = true")

    ticket = rate_a_visit_low(server, db, tmp_path)

    alert = manager.locator("#alerts li.alert-item")
    alert.wait_for()
    assert manager.evaluate("window.notReloaded === true")     # live, no reload
    text = alert.text_content()
    assert COMMENT in text and ticket["number"] in text
    assert alert.locator(".counter dd").text_content() == "ช่อง 2"
    assert alert.locator(".service dd").text_content().startswith("A ")
    assert "ไม่พอใจมาก" in alert.locator(".score").text_content()
    assert alert.locator(".face").text_content() == "1"
    # New: highlighted, counted in the heading and in the window's title.
    assert "is-new" in alert.get_attribute("class") and alert.locator(".new-tag").is_visible()
    assert manager.text_content("#alerts-count") == "1"
    assert manager.title().startswith("(1) ")
    assert manager.locator("#alerts-empty").is_hidden()
    # The clerk's name comes with the figures, which the alert refreshes: 1 rating, 1.00.
    manager.wait_for_function(
        "document.querySelector('#alerts .clerk dd').textContent === 'เจ้าหน้าที่ 2'")
    manager.wait_for_function(
        "document.querySelector('#sat-tiles [data-figure=ratings] strong').textContent === '1'")
    assert figure(manager, "mean_score") == "1.00 / 5"
    assert figure(manager, "response_ratio") == "100 %"
    assert figure(manager, "satisfied_share") == "0 %"
    clerk_row = manager.locator("#sat-clerks tr", has_text="เจ้าหน้าที่ 2")
    assert clerk_row.locator("td").all_text_contents() == [
        "เจ้าหน้าที่ 2", "1", "100 %", "1.00", "0 %"]
    counter_row = manager.locator("#sat-counters tr", has_text="ช่อง 2")
    assert counter_row.locator("td").all_text_contents()[1:4] == ["1", "100 %", "1.00"]

    assert fits(manager)["width"] <= 1366
    save_screen(manager, tmp_path, "manager-alerts.png", (1366, 768))

    # The manager types what was done and records it: the alert leaves the open list.
    empty_press = alert.get_by_role("button", name="บันทึกการดำเนินการ / Record the action taken")
    empty_press.click()                                   # nothing typed: asked to type
    assert "พิมพ์สิ่งที่ได้ดำเนินการก่อน" in alert.locator(".error").text_content()
    alert.get_by_label("การดำเนินการ", exact=False).fill(ACTION)
    empty_press.click()
    alert.wait_for(state="detached")
    assert manager.locator("#alerts-empty").is_visible()
    assert manager.text_content("#alerts-count") == "0"
    assert not manager.title().startswith("(")

    # The record: the action, who and when.
    manager_token = token_for("manager", db, tmp_path)
    auth = {"Authorization": f"Bearer {manager_token}"}
    day = requests.get(f"{server.url}/api/v1/evidence", headers=auth, timeout=5).json()["period"]["to"]
    assert requests.get(f"{server.url}/api/v1/alerts", headers=auth, timeout=5).json()["alerts"] == []
    [handled] = requests.get(f"{server.url}/api/v1/alerts?from={day}&to={day}", headers=auth,
                             timeout=5).json()["alerts"]
    assert (handled["action"], handled["handled_by"]) == (ACTION, MANAGER_ID)
    assert handled["handled_at"] and handled["data"]["number"] == ticket["number"]

    # Past alerts show it with the action, who and when.
    manager.click("#past summary")
    row = manager.locator("#past-alerts tr[data-alert-id]")
    row.wait_for()
    assert ACTION in row.text_content() and MANAGER_NAME in row.text_content()
    assert COMMENT in row.text_content()

    manager.set_viewport_size({"width": 1920, "height": 1080})
    assert fits(manager)["width"] <= 1920
    assert pages.errors == []


def test_an_alert_handled_by_another_manager_leaves_the_page(tmp_path, server_factory, pages):
    """Two managers' pages are open; one records the action, the other's list empties too."""
    server, db = start_demo(server_factory, tmp_path)
    first = open_manager(pages, server.url)
    second = open_manager(pages, server.url, 1920, 1080)
    rate_a_visit_low(server, db, tmp_path, comment="")
    for page in (first, second):
        page.locator("#alerts li.alert-item").wait_for()
        assert page.locator("#alerts .comment-none").is_visible()     # no comment given
    first.locator("#alerts input").fill("ตรวจสอบแล้ว")
    first.locator("#alerts button[type=submit]").click()
    second.locator("#alerts li.alert-item").wait_for(state="detached")
    assert second.text_content("#alerts-count") == "0"
    assert pages.errors == []
