"""The evidence figures on a small hand-made day whose right answers are written here: a
priority call out of order, a transfer, a no-show requeue, a ticket served at lunch, a
triaged reception ticket and a cancellation. On SQLite and PostgreSQL, through the API."""

from __future__ import annotations

from datetime import date

import pytest

from rubric.evidence import outside_office_hours, percentile

A, B, D = 1, 2, 4  # demo services: A ID card (standard 10, target 20 min), B civil
#                    registration (15, 30), D information (5, 10)


@pytest.fixture
def day(api, clock):
    """Monday 23 Nov 2026 from 09:00 Bangkok; minutes in the comments count from then."""
    def post(path, body=None, as_="staff1"):
        answer = api.post(path, body or {}, as_=as_)
        assert answer.status_code in (200, 201), (path, answer.json)
        return answer.json

    t1 = api.issue(A)                                   # 0
    t2 = api.issue(A)                                   # 0
    clock.advance(minutes=5)
    t3 = api.issue(A, priority="elderly")               # 5: 15 minutes' head start
    clock.advance(minutes=5)
    assert post("/counters/1/call-next")["id"] == t3["id"]   # 10: out of order, priority
    clock.advance(minutes=10)
    post(f"/tickets/{t3['id']}/finish")                 # 20: 10 min of service (A: 10)
    assert post("/counters/1/call-next")["id"] == t1["id"]   # 20: waited 20 (target 20)
    clock.advance(minutes=5)
    post(f"/tickets/{t1['id']}/transfer", {"service_id": B})  # 25: on to civil registration
    clock.advance(minutes=5)
    assert post("/counters/3/call-next", as_="staff3")["id"] == t1["id"]  # 30: called again
    assert post("/counters/2/call-next", as_="staff2")["id"] == t2["id"]  # 30: waited 30
    clock.advance(minutes=2)
    post(f"/tickets/{t2['id']}/no-show", as_="staff2")   # 32: back to the queue once
    clock.advance(minutes=3)
    assert post("/counters/2/call-next", as_="staff2")["id"] == t2["id"]  # 35
    clock.advance(minutes=5)
    post(f"/tickets/{t1['id']}/finish", as_="staff3")    # 40: 10 min (B: 15)
    clock.advance(minutes=10)
    post(f"/tickets/{t2['id']}/finish", as_="staff2")    # 50: 15 min from its call (A: 10)
    clock.advance(minutes=140)                           # 12:10, the lunch hour
    t4 = post("/tickets", {"service_id": D, "channel": "reception",
                           "note": "ขอคำแนะนำเรื่องที่ดิน"}, as_="reception")
    clock.advance(minutes=5)
    assert post("/counters/4/call-next", as_="staff1")["id"] == t4["id"]  # 12:15, lunch
    clock.advance(minutes=5)
    post(f"/tickets/{t4['id']}/finish")                  # 12:20: 5 min (D: 5)
    t5 = api.issue(A)
    clock.advance(minutes=5)
    post(f"/tickets/{t5['id']}/cancel")
    clock.advance(minutes=5)
    post("/counters/5/settings", {"open": False})       # 12:30: counter 5 closes
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5}


def test_the_figures_of_a_hand_made_day(api, day):
    report = api.get("/evidence?from=2026-11-23&to=2026-11-23", as_="manager").json
    assert report["tickets"] == {"issued": 5, "served": 4, "no_show": 0, "cancelled": 1,
                                 "other": 0, "finished_unstarted": 0}
    # Waits, issue to FIRST call: t3 5, t1 20 (its transfer changes nothing), t2 30 (its
    # requeue changes nothing), t4 5.
    assert report["wait"] == {"called": 4, "mean_minutes": 15.0, "median_minutes": 12.5,
                              "p90_minutes": 27.0, "within_target_share": 0.75}
    # Service: t3 10 (A, 10: yes), t1 10 (B, 15: yes), t2 15 (A, 10: no), t4 5 (D, 5: yes).
    assert report["service_time"] == {"served": 4, "mean": 10.0, "median": 10.0,
                                      "within_standard_share": 0.75}
    services = {s["code"]: s for s in report["services"]}
    assert (services["A"]["issued"], services["A"]["served"]) == (4, 3)
    assert services["A"]["wait"]["mean_minutes"] == pytest.approx((5 + 20 + 30) / 3, abs=0.01)
    assert services["A"]["service_minutes"]["mean"] == 12.5   # t3 and t2 ended in A
    assert services["B"]["issued"] == 0 and services["B"]["service_minutes"]["mean"] == 10.0
    assert services["D"]["wait"]["within_target_share"] == 1.0
    assert report["hours"]["served_outside_office_hours"] == 1
    assert report["hours"]["by_window"]["lunch"] == 1
    assert report["fairness"]["out_of_order"] == 1
    assert report["fairness"]["by_reason"] == {"priority": 1}
    assert report["fairness"]["out_of_order_without_reason"] == 0
    assert report["first_reception"]["tickets"] == 1
    assert report["first_reception"]["triaged_share"] == 1.0
    assert report["first_reception"]["wait_triaged"]["mean_minutes"] == 5.0
    assert (report["channels"]["kiosk"], report["channels"]["reception"],
            report["channels"]["online"]) == (4, 1, 0)
    assert report["channels"]["online_share"] == 0.0
    assert report["channels"]["online_since"] is None
    assert report["no_shows"]["tickets_with_a_no_show"] == 1
    assert report["no_shows"]["cancelled_share"] == 0.2
    by_hour = {h["key"]: h["issued"] for h in report["by_hour"]}
    assert by_hour == {9: 3, 12: 2}
    [monday] = report["by_weekday"]
    assert (monday["key"], monday["issued"]) == (0, 5)
    cells = {(c["weekday_en"], c["hour"]): c["issued"] for c in report["demand"]["cells"]}
    assert cells == {("Mon", 9): 3, ("Mon", 12): 2}
    assert report["by_day"] == [{"day": "2026-11-23", "issued": 5, "served": 4, "no_show": 0,
                                 "cancelled": 1, "kiosk": 4, "reception": 1, "online": 0,
                                 "online_share": 0.0}]
    # Finished by: staff1 t3 (10 min) and t4 (5), staff2 t2 (15), staff3 t1 (10).
    clerks = {c["clerk_id"]: (c["served"], c["service_mean"]) for c in report["clerks"]}
    names = {c["clerk"]: c["name"] for c in report["satisfaction"]["by_clerk"]}
    assert {names[i]: figures for i, figures in clerks.items()} == {
        "เจ้าหน้าที่ 1": (2, 7.5), "เจ้าหน้าที่ 2": (1, 15.0), "เจ้าหน้าที่ 3": (1, 10.0)}
    assert report["satisfaction"]["ratings"] == 0 and report["satisfaction"]["mean_score"] is None
    assert report["complaints"]["resolved_share"] is None  # no complaints: null, never 0
    assert report["complaints"]["received"] == 0


def test_staffing_needed_against_counters_open(api, day):
    """The demo opened its 5 counters at 09:00; counter 5 closed at 12:30. Arrivals: 3 in the
    9 o'clock hour, served in 11.67 min on average (10, 10, 15), 2 at 12 (5 min). Mean target
    wait 18 min ((4 x 20 + 10) / 5), 80 % within it."""
    staffing = api.get("/evidence?from=2026-11-23&to=2026-11-23", as_="manager").json["staffing"]
    hours = {h["hour"]: h for h in staffing["hours"]}
    assert staffing["target_wait_minutes"] == 18.0 and staffing["days"] == 1
    assert (hours[9]["arrivals"], hours[9]["counters_needed"], hours[9]["counters_open"]) == (3, 2, 5)
    assert hours[9]["mean_service_minutes"] == pytest.approx(35 / 3)
    assert (hours[12]["arrivals"], hours[12]["counters_needed"], hours[12]["counters_open"]) == (2, 1, 4.5)
    assert hours[13]["counters_open"] == 4 and hours[13]["arrivals"] == 0
    assert 8 not in hours  # nothing open, nobody came
    assert staffing["hours_covered_share"] == 1.0 and staffing["lunch_shortfall"] is False


def test_the_criteria_are_assessed_from_the_figures(api, day):
    report = api.get("/evidence?from=2026-11-23&to=2026-11-23", as_="manager").json
    items = {i["id"]: i for i in report["items"]}
    assert len(items) == 14 + 16 + 23 + len([i for i in items if i.startswith("outcome.")])
    assert items["physical.11"]["met"] is True        # a queue system that records its reasons
    assert items["physical.11"]["value"] == 0
    assert items["quality.2.11"]["value"] is None and items["quality.2.11"]["met"] is None
    assert items["quality.2.5"]["value"] == 0.75      # 75 % within target: under 0.8
    assert items["quality.2.5"]["met"] is False
    assert items["physical.2"]["met"] is None          # manual, not answered yet
    score = report["score"]
    # No rating point used yet (physical 13): the gate of the physical checklist is not passed.
    assert items["physical.13"]["met"] is False
    assert score["physical_gate"] is False and score["level"] is None
    assert score["next_level"] == "basic" and score["points_to_next_level"] == 70 - score["estimated"]


def test_percentile_and_office_hours_by_definition():
    assert percentile([5, 5, 20, 30], 90) == pytest.approx(27.0)
    assert percentile([7], 90) == 7 and percentile([], 90) is None
    from datetime import datetime
    from zoneinfo import ZoneInfo
    bkk = ZoneInfo("Asia/Bangkok")
    assert outside_office_hours(datetime(2026, 11, 23, 12, 0, tzinfo=bkk)) == "lunch"
    assert outside_office_hours(datetime(2026, 11, 23, 16, 30, tzinfo=bkk)) == "evening"
    assert outside_office_hours(datetime(2026, 11, 23, 8, 29, tzinfo=bkk)) == "early"
    assert outside_office_hours(datetime(2026, 11, 28, 10, 0, tzinfo=bkk)) == "weekend"
    assert outside_office_hours(datetime(2026, 11, 23, 13, 0, tzinfo=bkk)) is None


def test_the_pack_re_derives_from_tickets_csv(app, api, day, tmp_path):
    """A committee member recomputes evidence.json from tickets.csv: same rows, same
    definitions. The workbook holds the same ticket rows."""
    import csv
    import json
    from statistics import mean, median

    from openpyxl import load_workbook

    # A rating too, so the satisfaction figures have something to derive.
    assert api.post("/ratings", {"token": day["t3"]["token"], "score": 4}).status_code == 201
    written = app.extensions["gecc"].evidence.export(
        None, date(2026, 11, 23), date(2026, 11, 23), tmp_path)
    assert sorted(p.name for p in written) == ["complaints.csv", "evidence.json", "evidence.xlsx",
                                              "report.pdf", "tickets.csv"]
    report = json.loads((tmp_path / "evidence.json").read_text(encoding="utf-8"))
    assert report == api.get("/evidence?from=2026-11-23&to=2026-11-23", as_="manager").json
    with open(tmp_path / "tickets.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    assert [r["number"] for r in rows] == ["A001", "A002", "A003", "D001", "A004"]
    assert all("ขอคำแนะนำ" not in str(r) for r in rows)  # no triage note, no personal data
    statuses = [r["status"] for r in rows]
    assert report["tickets"] == {"issued": len(rows), "served": statuses.count("finished"),
                                 "no_show": statuses.count("no_show"),
                                 "cancelled": statuses.count("cancelled"), "other": 0,
                                 # finished, yet no service time: Next closed it unstarted
                                 "finished_unstarted": sum(
                                     1 for r in rows
                                     if r["status"] == "finished" and not r["service_minutes"])}
    targets = {s["code"]: s["target_wait_minutes"] for s in report["services"]}
    standards = {s["code"]: s["standard_minutes"] for s in report["services"]}
    waits = [(float(r["wait_minutes"]), targets[r["service_code"]]) for r in rows if r["wait_minutes"]]
    minutes = sorted(w for w, _ in waits)
    assert report["wait"]["mean_minutes"] == round(mean(minutes), 2)
    assert report["wait"]["median_minutes"] == round(median(minutes), 2)
    rank = (len(minutes) - 1) * 0.9
    low = int(rank)
    assert report["wait"]["p90_minutes"] == round(
        minutes[low] + (minutes[low + 1] - minutes[low]) * (rank - low), 2)
    assert report["wait"]["within_target_share"] == round(
        sum(w <= t for w, t in waits) / len(waits), 4)
    served = [r for r in rows if r["service_minutes"]]
    assert report["service_time"]["within_standard_share"] == round(
        sum(float(r["service_minutes"]) <= standards[r["final_service_code"]] for r in served)
        / len(served), 4)
    scores = [int(r["rating"]) for r in rows if r["rating"]]
    assert report["satisfaction"]["ratings"] == len(scores) == 1
    assert report["satisfaction"]["mean_score"] == mean(scores)
    assert report["satisfaction"]["response_ratio"] == round(len(scores) / len(served), 4)
    for channel in ("kiosk", "reception", "online"):
        assert report["channels"][channel] == sum(r["channel"] == channel for r in rows)
    assert report["fairness"]["by_reason"] == {"priority": sum(
        r["out_of_order"] == "priority" for r in rows)}

    sheet = load_workbook(tmp_path / "evidence.xlsx", read_only=True)["บัตรคิว Tickets"]
    table = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in table[1:]] == [r["number"] for r in rows]


def test_the_export_command_writes_the_pack(sqlite_app, tmp_path):
    import subprocess
    import sys
    sqlite_url = sqlite_app.config["DATABASE_URL"]  # the demo office, no tickets
    out = tmp_path / "pack"
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "evidence", "export",
                           "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out),
                           "--db", sqlite_url], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (out / "tickets.csv").read_text(encoding="utf-8").startswith("number,day,service_code")
    reversed_period = subprocess.run(
        [sys.executable, "-m", "queue_server.cli", "evidence", "export", "--from", "2026-11-30",
         "--to", "2026-11-01", "--out", str(out), "--db", sqlite_url],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert reversed_period.returncode != 0 and "first day comes after" in reversed_period.stderr


def test_the_office_answers_what_the_system_cannot_measure(app, api, day):
    """Manual answers, with who and when, for a period; a newer answer supersedes; the score
    reads them. Clean toilets (physical 10) cannot be measured by a queue system."""
    def answer(item, met, note=None, as_="manager", **period):
        return api.post("/assessment/answers", {"item_id": item, "met": met, "note": note,
                                                "from": period.get("first", "2026-11-01"),
                                                "to": period.get("last", "2026-12-31")}, as_=as_)

    given = answer("physical.10", True, "ตรวจทุกวัน มีใบตรวจติดหน้าห้องน้ำ")
    assert given.status_code == 201, given.json
    assert given.json["answer"]["by"] == "นายอำเภอ (ผู้จัดการศูนย์)"
    assert answer("physical.11", True).status_code == 400    # the system measures it itself
    assert answer("physical.99", True).status_code == 404
    assert answer("physical.10", True, as_="staff1").status_code == 403
    bad = answer("physical.10", True, first="2026-12-31", last="2026-11-01")
    assert bad.status_code == 400

    def met(item):
        report = api.get("/evidence?from=2026-11-23&to=2026-11-23", as_="manager").json
        return {i["id"]: i["met"] for i in report["items"]}[item]

    assert met("physical.10") is True
    assert answer("physical.10", False, "ห้องน้ำชายชำรุด").status_code == 201  # supersedes
    assert met("physical.10") is False
    listed = {i["id"]: i for i in api.get("/assessment?day=2026-11-23", as_="manager").json["items"]}
    assert listed["physical.10"]["answer"]["met"] is False
    assert "physical.11" not in listed and listed["physical.1"]["measured"] == "partial"
    # A partial item: its figure holds (one ticket served at lunch) and the office ticks the
    # survey of needs behind its hours.
    assert met("physical.1") is None
    answer("physical.1", True, "สำรวจความต้องการ ต.ค. 2569")
    assert met("physical.1") is True
    # Another period's answer does not count.
    answer("physical.2", True, first="2027-01-01", last="2027-12-31")
    assert met("physical.2") is None


def test_staffing_copes_with_visits_that_took_no_time():
    """Visits finished the moment they were called (a clerk clearing a queue) still give a
    staffing plan: the hour counts the citizen manual's standard time."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from rubric.evidence import ServiceInfo, Visit, staffing_section
    at = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
    visits = [Visit(id=i, number=f"A{i:03d}", service_id=1, final_service_id=1, counter_id=1,
                    clerk_id=4, status="finished", priority="normal", channel="kiosk",
                    day=at.date(), issued_at=at, first_called_at=at, finished_at=at,
                    service_minutes=0.0) for i in range(1, 4)]
    staffing = staffing_section(visits, [ServiceInfo(1, "A", "ก", "A", 10, 20)],
                                ZoneInfo("Asia/Bangkok"), {9: 1.0})
    [nine] = staffing["hours"]
    assert (nine["hour"], nine["arrivals"], nine["mean_service_minutes"]) == (9, 3, 10)


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_a_file_is_kept_as_evidence_of_a_manual_answer(app, api, day):
    given = api.post("/assessment/answers", {"item_id": "physical.3", "met": True,
                                             "from": "2026-11-01", "to": "2026-12-31"},
                     as_="manager").json
    answer_id = given["answer"]["id"]
    headers = api._headers("manager")

    def upload(content, name="signs.png", answer=answer_id, **kwargs):
        import io
        return api.client.post(f"/api/v1/assessment/answers/{answer}/files",
                               data={"file": (io.BytesIO(content), name)},
                               content_type="multipart/form-data",
                               headers={**headers, **kwargs.pop("extra", {})}, **kwargs)

    kept = upload(PNG_1PX, name="../../ป้ายบอกทาง.png")
    assert kept.status_code == 201, kept.json
    assert kept.json["content_type"] == "image/png" and kept.json["filename"] == "ป้ายบอกทาง.png"
    # Named .pdf but a script inside: its content decides, and it is refused.
    refused = upload(b"<script>alert(1)</script>", name="survey.pdf")
    assert refused.status_code == 415 and refused.json["error"]["code"] == "file_refused"
    too_big = upload(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    assert too_big.status_code == 413
    assert upload(PNG_1PX, answer=99999).status_code == 404
    staff = api.client.post(f"/api/v1/assessment/answers/{answer_id}/files",
                            headers=api._headers("staff1"))
    assert staff.status_code == 403

    listed = {i["id"]: i for i in api.get("/assessment?day=2026-11-23", as_="manager").json["items"]}
    [meta] = listed["physical.3"]["answer"]["files"]
    got = api.client.get(meta["url"], headers=headers)
    assert got.status_code == 200 and got.data == PNG_1PX
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert api.client.get(meta["url"], headers=api._headers("staff1")).status_code == 403
    assert api.client.get(meta["url"]).status_code == 401


def test_a_report_is_given_again_only_while_nothing_it_reads_changed(app, api, day, clock):
    """The manager's pages ask for the same period's evidence again and again: it is kept,
    and any change it reads (a ticket's step, a rating, an alert handled) makes it anew."""
    evidence = app.extensions["gecc"].evidence
    computed = []
    real = evidence.data
    evidence.data = lambda *args: computed.append(args) or real(*args)
    path = "/evidence?from=2026-11-23&to=2026-11-23"
    first = api.get(path, as_="manager").json
    assert api.get(path, as_="manager").json == first and len(computed) == 1

    assert api.post("/ratings", {"token": day["t3"]["token"], "score": 1}).status_code == 201
    rated = api.get(path, as_="manager").json
    assert rated["satisfaction"]["ratings"] == 1 and len(computed) == 2
    [alert] = api.get("/alerts", as_="manager").json["alerts"]  # the low rating's
    assert rated["alerts"]["handled"] == 0
    assert api.post(f"/alerts/{alert['id']}/handle", {"action": "โทรขอโทษผู้รับบริการแล้ว"},
                    as_="manager").status_code == 200
    assert api.get(path, as_="manager").json["alerts"]["handled"] == 1 and len(computed) == 3
    api.issue(1)
    assert api.get(path, as_="manager").json["tickets"]["issued"] == 6 and len(computed) == 4


def test_a_call_that_next_closed_before_a_start_is_no_service_time(api, clock):
    """Next pressed on a citizen who never came up finishes the ticket (as the keypads do),
    but the finish records it (`started`: false, `auto`: true) and the service-time figures
    leave it out: no 0.1-minute "services". A finish by Next after a start is a service."""
    def post(path, body=None):
        answer = api.post(path, body or {}, as_="staff1")
        assert answer.status_code in (200, 201), (path, answer.json)
        return answer.json

    t1, t2, t3 = api.issue(A), api.issue(A), api.issue(A)
    assert post("/counters/1/call-next")["id"] == t1["id"]
    clock.advance(seconds=6)
    answer = post("/counters/1/call-next")               # t1 never came up
    assert answer["id"] == t2["id"]
    assert answer["previous"] == {"id": t1["id"], "number": t1["number"], "status": "finished",
                                  "auto": True, "started": False}
    post(f"/tickets/{t2['id']}/start")
    clock.advance(minutes=8)
    answer = post("/counters/1/call-next")               # t2 served 8 minutes, closed by Next
    assert answer["id"] == t3["id"] and answer["previous"]["started"] is True
    clock.advance(minutes=4)
    post(f"/tickets/{t3['id']}/finish")                  # 4 minutes from its call

    import sqlalchemy as sa

    from queue_server.adapters.orm import ticket_events
    with api.app.extensions["gecc"].engine.connect() as conn:
        events = dict(conn.execute(sa.select(ticket_events.c.ticket_id, ticket_events.c.data)
                                   .where(ticket_events.c.kind == "finished")).all())
    assert events[t1["id"]]["started"] is False and events[t1["id"]]["auto"] is True
    assert events[t2["id"]]["started"] is True and events[t2["id"]]["auto"] is True
    assert events[t3["id"]]["auto"] is False

    day = clock().date().isoformat()
    report = api.get(f"/evidence?from={day}&to={day}", as_="manager").json
    assert report["tickets"]["served"] == 3 and report["tickets"]["finished_unstarted"] == 1
    assert report["service_time"]["served"] == 2
    assert report["service_time"]["mean"] == 6.0         # (8 + 4) / 2, not (0.1 + 8 + 4) / 3
    status = api.get(f"/tickets/{t1['token']}").json
    assert status["status"] == "finished" and status["finished_unstarted"] is True
    assert api.get(f"/tickets/{t3['token']}").json["finished_unstarted"] is False
    summary = api.get(f"/summary?day={day}", as_="manager").json
    a_row = [s for s in summary["services"] if s["service_id"] == A][0]
    assert a_row["finished"] == 3 and a_row["finished_unstarted"] == 1
    assert a_row["service_minutes"]["mean"] == 6.0
