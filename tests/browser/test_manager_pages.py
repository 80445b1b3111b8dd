"""The manager's pages in a real headless Chromium against the real server, on a simulated
month (`gecc-queue simulate`): each chart's table holds the numbers of GET /api/v1/evidence for
the period; a long wait raises an alert live, the action is recorded and the period's list
shows it; a manual item ticked with a file raises the estimated score; the evidence pack
downloads and opens; axe-core finds nothing; every page fits a tablet.

`GECC_UPDATE_SCREENS=1` writes docs/screens/manager-*.png at 1366x768 and 1920x1080."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zipfile
from datetime import date, timedelta

import pytest
import requests

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_accessibility import violations
from test_pages import fits, issue, save_screen
from test_processes import token_for

pytestmark = pytest.mark.live_server

ACTION = "เปิดช่อง 5 รับบริการ D เพิ่ม และแจ้งผู้รอคิวแล้ว"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def month_db(tmp_path_factory) -> str:
    """A month of simulated traffic before today; service D (advice) given a 3-second target
    wait, so a ticket issued in the test waits past it at once."""
    folder = tmp_path_factory.mktemp("manager-month")
    db = folder / "month.sqlite3"
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "simulate", "--days", "30",
                           "--scale", "0.25", "--seed", "12", "--db", f"sqlite:///{db}"],
                          capture_output=True, text=True, cwd=folder, timeout=300)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE services SET target_wait_minutes = 0.05 WHERE code = 'D'")
    return str(db)


@pytest.fixture
def office(month_db, tmp_path, server_factory):
    db = tmp_path / "office.sqlite3"
    db.write_bytes(open(month_db, "rb").read())
    url = f"sqlite:///{db}"
    server = server_factory(url, command="demo", env={"GECC_ALERT_SWEEP_SECONDS": "1",
                                                      "GECC_PACKS_DIR": str(tmp_path / "packs")})
    token = token_for("manager", url, tmp_path)
    return server, url, {"Authorization": f"Bearer {token}"}


def evidence(server, auth, first: str, last: str) -> dict:
    answer = requests.get(f"{server.url}/api/v1/evidence?from={first}&to={last}", headers=auth,
                          timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def table(page, chart: str) -> list[list[str]]:
    """The chart's table as rows of its cells' data-value (the numbers as the figures hold them)."""
    return page.evaluate("""(chart) => Array.from(
        document.querySelectorAll(`table[data-chart="${chart}"] tbody tr`)).map(
        (tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.dataset.value))""", chart)


def num(value: str):
    return None if value in ("", None) else float(value)


def test_a_simulated_month_in_charts_whose_tables_match_the_evidence(office, pages, tmp_path):
    server, _, auth = office
    ev_today = requests.get(f"{server.url}/api/v1/evidence", headers=auth, timeout=30).json()
    today = date.fromisoformat(ev_today["period"]["to"])
    first, last = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=1)).isoformat()
    page = pages.logged_in(server.url, "manager", "/manager/period", 1366, 768)
    page.check("input[name=period][value=range]")
    page.fill("#p-from", first)
    page.fill("#p-to", last)
    with page.expect_navigation():
        page.click(".period-form button[type=submit]")
    page.locator("#period-line").wait_for()
    ev = evidence(server, auth, first, last)
    assert ev["tickets"]["issued"] > 1000
    assert page.text_content("#period-tiles [data-figure=issued] strong") == f"{ev['tickets']['issued']:,}"

    assert [[int(r[0]), int(r[1]), num(r[3]), num(r[4]), num(r[5]), num(r[6])]
            for r in table(page, "waits-by-hour")] == [
        [h["key"], h["issued"], h["wait"]["mean_minutes"], h["wait"]["median_minutes"],
         h["wait"]["p90_minutes"], h["wait"]["within_target_share"]] for h in ev["by_hour"]]
    assert [[int(r[0]), int(r[1]), num(r[3])] for r in table(page, "within-target")] == [
        [s["service_id"], s["wait"]["called"], s["wait"]["within_target_share"]]
        for s in ev["services"]]
    assert [[int(r[0]), num(r[2]), num(r[3]), num(r[4]), num(r[5])]
            for r in table(page, "service-time")] == [
        [s["service_id"], s["service_minutes"]["mean"], s["service_minutes"]["median"],
         s["standard_minutes"], s["service_minutes"]["within_standard_share"]] for s in ev["services"]]
    hours = sorted({c["hour"] for c in ev["demand"]["cells"]})
    shown = {(int(r[0]), h): float(v) for r in table(page, "demand") for h, v in zip(hours, r[1:]) if v}
    assert shown == {(c["weekday"], c["hour"]): c["per_day"] for c in ev["demand"]["cells"]}
    assert [[r[0], int(r[2]), num(r[3]), num(r[4]), num(r[5])]
            for r in table(page, "satisfaction-trend")] == [
        [d["day"], d["ratings"], d["response_ratio"], d["mean_score"], d["satisfied_share"]]
        for d in ev["satisfaction"]["by_day"]]
    assert [[int(r[0]), int(r[2]), num(r[5])] for r in table(page, "satisfaction-counter")] == [
        [c["counter"], c["ratings"], c["satisfied_share"]] for c in ev["satisfaction"]["by_counter"]]
    clerks = {c["clerk"]: c for c in ev["satisfaction"]["by_clerk"]}
    rows = table(page, "clerks")
    assert {int(r[0]) for r in rows} == set(clerks)
    for r in rows:
        c = clerks[int(r[0])]
        assert (int(r[1]), int(r[3]), num(r[5])) == (c["served"], c["ratings"], c["mean_score"])
    *days, total = table(page, "channels")
    assert total[1:] == [str(ev["channels"]["kiosk"]), str(ev["channels"]["reception"]),
                         str(ev["channels"]["online"]), str(ev["tickets"]["issued"]),
                         str(ev["channels"]["online_share"])]
    assert sum(int(r[4]) for r in days) == ev["tickets"]["issued"]
    assert [[int(r[0]), int(r[3]), num(r[4])] for r in table(page, "staffing")] == [
        [h["hour"], h["counters_needed"], h["counters_open"]]
        for h in ev["staffing"]["hours"] if h["arrivals"] > 0 or h["counters_open"]]
    assert {r[0]: int(r[1]) for r in table(page, "out-of-order")} == {
        **ev["fairness"]["by_reason"], "total": ev["fairness"]["out_of_order"]}
    *days, total = table(page, "no-shows")
    assert [int(total[2]), num(total[4])] == [ev["no_shows"]["dropped"], ev["no_shows"]["dropped_share"]]
    # Every chart has its text alternative; the complaints' panel shows the register's figures.
    assert page.locator("svg[role=img] > desc").count() == 11
    received, resolved, *_ = table(page, "complaints")  # in the panel's order
    assert [int(received[1]), int(resolved[1])] == [ev["complaints"]["received"],
                                                    ev["complaints"]["resolved"]]
    assert page.locator("#complaints .not-built").count() == 0
    assert violations(page) == [], "period page"
    assert fits(page)["width"] <= 1366
    save_screen(page, tmp_path, "manager-period.png", (1366, 768))
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.locator("#waits-by-hour").scroll_into_view_if_needed()
    save_screen(page, tmp_path, "manager-period-1920.png", (1920, 1080))
    page.set_viewport_size({"width": 768, "height": 1024})                  # a tablet
    assert fits(page)["width"] <= 768

    month = pages.logged_in(server.url, "manager", "/manager/month", 1366, 768)
    month.locator("#period-tiles").wait_for()
    assert violations(month) == [], "month page"
    save_screen(month, tmp_path, "manager-month.png", (1366, 768))
    month.emulate_media(media="print")
    assert month.locator(".manager-nav").is_hidden()
    assert pages.errors == []


def test_a_long_wait_raises_an_alert_live_which_is_handled_and_listed(office, pages, tmp_path):
    server, _, auth = office
    now = pages.logged_in(server.url, "manager", "/manager", 1366, 768)
    now.locator("#alerts-panel[data-live='1']").wait_for(state="attached")
    now.evaluate("window.notReloaded = true")
    ticket = issue(server, 4)              # D: 3 seconds' target
    alert = now.locator("#alerts li.alert-item", has_text=ticket["number"])
    alert.wait_for(timeout=20_000)
    assert now.evaluate("window.notReloaded === true")
    assert "รอนานเกินเป้าหมาย" in alert.text_content() and "is-new" in alert.get_attribute("class")
    assert violations(now) == [], "now page with an alert"
    save_screen(now, tmp_path, "manager-now.png", (1366, 768))
    alert.get_by_label("การดำเนินการ", exact=False).fill(ACTION)
    alert.get_by_role("button", name="บันทึกการดำเนินการ / Record the action taken").click()
    alert.wait_for(state="detached")

    period = pages.logged_in(server.url, "manager", "/manager/period?period=today", 1366, 768)
    row = period.locator("#alerts tr[data-kind=long_wait]", has_text=ticket["number"])
    assert ACTION in row.text_content() and "นายอำเภอ" in row.text_content()
    [handled] = [a for a in requests.get(f"{server.url}/api/v1/alerts?from=2000-01-01&to=2999-12-31",
                                         headers=auth, timeout=10).json()["alerts"]
                 if a["kind"] == "long_wait" and a["data"]["number"] == ticket["number"]]
    assert handled["action"] == ACTION and handled["handled_by_name"].startswith("นายอำเภอ")
    assert pages.errors == []


def test_a_manual_item_ticked_with_a_file_raises_the_estimated_score(office, pages, tmp_path):
    server, _, auth = office
    page = pages.logged_in(server.url, "manager", "/manager/assessment", 1366, 768)
    before = int(page.text_content("#score-estimated"))
    assert page.locator("#missing li").count() > 5
    assert violations(page) == [], "self-assessment"
    save_screen(page, tmp_path, "manager-assessment.png", (1366, 768))
    item = page.locator("li.item[data-measured=manual]").filter(
        has=page.locator(".badge", has_text="1 คะแนน")).first
    item_id = item.get_attribute("data-item")
    (tmp_path / "ramp.png").write_bytes(PNG)
    item.locator("input[name=met]").check()
    item.locator("input[name=note]").fill("ทางลาดและราวจับ ตามภาพ")
    item.locator("input[type=file]").set_input_files(str(tmp_path / "ramp.png"))
    with page.expect_navigation():
        item.locator("button[type=submit]").click()
    page.locator("#score-estimated").wait_for()
    assert int(page.text_content("#score-estimated")) == before + 1
    item = page.locator(f"li.item[data-item='{item_id}']")
    assert "met-yes" in item.get_attribute("class")
    assert "ramp.png" in item.text_content() and "นายอำเภอ" in item.text_content()
    assert pages.errors == []


def test_the_pack_downloads_from_the_page_and_opens(office, pages, tmp_path):
    server, _, auth = office
    page = pages.logged_in(server.url, "manager", "/manager/packs", 1366, 768,
                           accept_downloads=True)
    today = date.fromisoformat(requests.get(f"{server.url}/api/v1/evidence", headers=auth,
                                            timeout=30).json()["period"]["to"])
    page.fill("#pack-from", (today - timedelta(days=7)).isoformat())
    page.fill("#pack-to", (today - timedelta(days=1)).isoformat())
    with page.expect_download(timeout=60_000) as download:
        page.click("#pack-make")
        page.locator("#pack-progress").wait_for()
        try:
            page.locator("#pack-download").wait_for(timeout=50_000)
        except Exception:
            raise AssertionError((page.text_content("#pack-status"), page.text_content("#pack-error"),
                                  (server.cwd / f"server-{server.port}.log").read_text()[-3000:]))
    path = tmp_path / "pack.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = sorted(n.split("/")[-1] for n in archive.namelist())
        assert names == ["complaints.csv", "evidence.json", "evidence.xlsx", "report.pdf",
                         "tickets.csv"]
        pdf = next(n for n in archive.namelist() if n.endswith("report.pdf"))
        assert archive.read(pdf)[:5] == b"%PDF-"
    page.locator("#packs-body tr[data-state=done]").first.wait_for()
    assert page.locator("#packs-body a[download]").count() >= 1
    assert violations(page) == [], "packs page"
    assert pages.errors == []
