"""The manager's pages on a simulated month (the simulator in process, as `gecc-queue simulate`
does): any period in charts whose tables hold the evidence's own numbers, the month on one
screen, the self-assessment whose score a ticked manual item with a file changes, the evidence
pack made in the background and downloaded as a zip; managers only, bad input a clear 4xx."""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from datetime import date
from html import unescape

import pytest

from queue_server.config import settings_from_env
from queue_server.simulation import simulate

from conftest import Api, FakeClock, make_app

TODAY = date(2026, 11, 23)            # the FakeClock's Monday
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def month_db(tmp_path_factory, sqlite_template) -> str:
    path = tmp_path_factory.mktemp("month") / "gecc.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    simulate({**settings_from_env("/tmp/gecc-sim-test"), "DATABASE_URL": url}, 35, seed=11,
             scale=0.15, today=TODAY)
    return url


@pytest.fixture
def month(month_db, tmp_path):
    path = tmp_path / "gecc.sqlite3"
    shutil.copy(month_db.removeprefix("sqlite:///"), path)
    app = make_app(f"sqlite:///{path}", FakeClock(), PACKS_DIR=str(tmp_path / "packs"))
    yield app
    app.extensions["gecc"].engine.dispose()


def logged_in(app, user: str = "manager"):
    web = app.test_client()
    token = web.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert web.post("/login", data={"username": user, "password": f"{user}-demo",
                                    "csrf_token": token}).status_code == 302
    return web


def tables(html: str) -> dict[str, list[list[str]]]:
    """Each chart's table as rows of the cells' data-value."""
    found = {}
    for chart, body in re.findall(r'<table class="figures" data-chart="([^"]+)">(.*?)</table>', html, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
        found[chart] = [[unescape(v) for v in re.findall(r'data-value="([^"]*)"', r)] for r in rows]
    return found


def num(text: str):
    return None if text == "" else float(text)


def test_the_period_page_shows_every_chart_with_the_evidence_numbers(month):
    web, api = logged_in(month), Api(month)
    page = web.get("/manager/period?period=last_month")
    assert page.status_code == 200
    html = page.text
    assert "Server-Timing" in page.headers and "evidence;dur=" in page.headers["Server-Timing"]
    ev = api.get("/evidence?from=2026-10-01&to=2026-10-31", as_="manager").json
    assert ev["tickets"]["issued"] > 300
    found = tables(html)
    assert set(found) >= {"waits-by-hour", "within-target", "service-time", "demand",
                          "satisfaction-trend", "satisfaction-counter", "clerks", "channels",
                          "staffing", "out-of-order", "no-shows"}
    assert html.count('role="img"') >= 11 and html.count("<desc id=") >= 11   # text alternatives
    assert [[int(r[0]), int(r[1]), num(r[3]), num(r[5]), num(r[6])] for r in found["waits-by-hour"]] == [
        [h["key"], h["issued"], h["wait"]["mean_minutes"], h["wait"]["p90_minutes"],
         h["wait"]["within_target_share"]] for h in ev["by_hour"]]
    assert [[int(r[0]), num(r[3])] for r in found["within-target"]] == [
        [s["service_id"], s["wait"]["within_target_share"]] for s in ev["services"]]
    assert [[num(r[2]), num(r[4])] for r in found["service-time"]] == [
        [s["service_minutes"]["mean"], s["standard_minutes"]] for s in ev["services"]]
    cells = {(c["weekday"], c["hour"]): c["per_day"] for c in ev["demand"]["cells"]}
    shown = {}
    hours = sorted({c["hour"] for c in ev["demand"]["cells"]})
    for row in found["demand"]:
        for hour, value in zip(hours, row[1:]):
            if value:
                shown[(int(row[0]), hour)] = float(value)
    assert shown == cells
    assert [[r[0], num(r[5])] for r in found["satisfaction-trend"]] == [
        [d["day"], d["satisfied_share"]] for d in ev["satisfaction"]["by_day"]]
    by_clerk = {c["clerk"]: c for c in ev["satisfaction"]["by_clerk"]}
    for row in found["clerks"]:
        clerk = by_clerk[int(row[0])]
        assert (int(row[1]), int(row[3])) == (clerk["served"], clerk["ratings"])
        assert 3 < float(row[2]) < 30          # minutes of service, from the tickets
    *weeks, total = found["channels"]
    assert [int(v) for v in total[1:5]] == [ev["channels"]["kiosk"], ev["channels"]["reception"],
                                            ev["channels"]["online"], ev["tickets"]["issued"]]
    assert sum(int(r[3]) for r in weeks) == ev["channels"]["online"]
    assert [[int(r[0]), int(r[3]), num(r[4])] for r in found["staffing"]] == [
        [h["hour"], h["counters_needed"], round(h["counters_open"], 3)]
        for h in ev["staffing"]["hours"] if h["arrivals"] > 0 or h["counters_open"]]
    assert {r[0]: int(r[1]) for r in found["out-of-order"]} == {
        **ev["fairness"]["by_reason"], "total": ev["fairness"]["out_of_order"]}
    *days, total = found["no-shows"]
    assert int(total[2]) == ev["no_shows"]["dropped"] == sum(int(r[2]) for r in days)
    # The complaint register's figures, as the evidence has them.
    complaints = ev["complaints"]
    assert complaints["received"] is not None and "ยังไม่ได้เปิดใช้" not in html
    for key in ("received", "resolved", "open", "overdue"):
        assert re.search(rf'data-figure="{key}">.*?data-value="{complaints[key]}"', html, re.S), key


def test_periods_by_name_and_range_and_bad_input(month):
    web = logged_in(month)
    assert "22 พ.ย. 2569 – 22 พ.ย. 2569" in web.get("/manager/period?period=yesterday").text
    week = web.get("/manager/period?period=this_week").text
    assert 'data-from="2026-11-23" data-to="2026-11-23"' in week
    chosen = web.get("/manager/period?period=range&from=2026-11-02&to=2026-11-08").text
    assert 'data-from="2026-11-02" data-to="2026-11-08"' in chosen
    for query, words in (("period=fortnight", "Unknown period"),
                         ("period=range&from=2026-11-08&to=2026-11-02", "first day comes after"),
                         ("period=range&from=2026-13-01&to=2026-11-02", "YYYY-MM-DD"),
                         ("period=range&from=2024-01-01&to=2026-11-02", "at most 400 days")):
        answer = web.get(f"/manager/period?{query}")
        assert answer.status_code == 400 and words in answer.text, query
    assert web.get("/manager/month?month=2026-xx").status_code == 400


def test_manager_pages_are_for_managers_only(month):
    anonymous = month.test_client()
    for path in ("/manager/period", "/manager/month", "/manager/assessment", "/manager/packs"):
        assert anonymous.get(path).status_code == 302          # to the log-in page
        assert logged_in(month, "staff1").get(path).status_code == 403
        assert logged_in(month, "manager").get(path).status_code == 200, path
    api = Api(month)
    assert api.get("/evidence/packs", as_="staff1").status_code == 403
    assert api.post("/evidence/packs", {"from": "2026-11-01", "to": "2026-11-02"}).status_code == 401


def test_the_month_on_one_screen(month):
    html = logged_in(month).get("/manager/month?month=2026-10").text
    assert "1 ต.ค. 2569 – 31 ต.ค. 2569" in html
    assert "@media print" in month.test_client().get("/static/manager.css").text
    for chart in ("within-target", "satisfaction-trend", "waits-by-hour", "channels"):
        assert f'id="{chart}"' in html


def test_a_ticked_manual_item_with_a_file_raises_the_estimated_score(month):
    web, api = logged_in(month), Api(month)
    before = api.get("/evidence?from=2026-10-01&to=2026-10-31", as_="manager").json["score"]
    page = web.get("/manager/assessment?period=last_month").text
    assert 'id="item-physical-10"' in page and "missing" in page
    estimated = int(re.search(r'id="score-estimated">(\d+)<', page).group(1))
    assert estimated == before["estimated"]
    # A basic quality item the office answers by hand: tick it with a photo.
    manual = next(i for i in api.get("/assessment", as_="manager").json["items"]
                  if i["measured"] == "manual" and i["points"] == 1)
    answer = api.post("/assessment/answers", {"item_id": manual["id"], "met": True,
                                              "note": "ภาพถ่าย", "from": "2026-10-01",
                                              "to": "2027-10-31"}, as_="manager").json
    upload = api.post(f"/assessment/answers/{answer['answer']['id']}/files", as_="manager",
                      data={"file": (io.BytesIO(PNG), "ramp.png")},
                      content_type="multipart/form-data")
    assert upload.status_code == 201, upload.json
    page = web.get("/manager/assessment?period=last_month").text
    assert int(re.search(r'id="score-estimated">(\d+)<', page).group(1)) == estimated + 1
    item = page.split(f'id="item-{manual["id"].replace(".", "-")}"')[1].split("</li>")[0]
    assert "ramp.png" in item and "นายอำเภอ" in item and "met-yes" in page


def test_the_pack_is_made_in_the_background_and_downloads_as_a_zip(month):
    api = Api(month)
    refused = api.post("/evidence/packs", {"from": "2026-11-08", "to": "2026-11-02"}, as_="manager")
    assert refused.status_code == 400
    assert api.post("/evidence/packs", {"from": "bad"}, as_="manager").status_code == 400
    started = api.post("/evidence/packs", {"from": "2026-11-16", "to": "2026-11-22"}, as_="manager")
    assert started.status_code == 202 and started.json["state"] in ("running", "zipping", "done")
    pack_id = started.json["id"]
    deadline = time.monotonic() + 60
    while (state := api.get(f"/evidence/packs/{pack_id}", as_="manager").json)["state"] != "done":
        assert state["state"] != "failed", state
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert state["progress"] == 1 and state["by"] == "นายอำเภอ (ผู้จัดการศูนย์)"
    download = api.get(state["download_url"].removeprefix("/api/v1"), as_="manager")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert "gecc-evidence-2026-11-16-2026-11-22.zip" in download.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert sorted(n.split("/")[-1] for n in names) == [
        "complaints.csv", "evidence.json", "evidence.xlsx", "report.pdf", "tickets.csv"]
    [listed] = api.get("/evidence/packs", as_="manager").json["packs"]
    assert listed["id"] == pack_id
    assert api.get("/evidence/packs/nope", as_="manager").status_code == 404
