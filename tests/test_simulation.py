"""`gecc-queue simulate`: the traffic model on its own, then a few simulated days through the
real use cases (shapes, determinism, the record, the evidence API, the CLI)."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timezone
from statistics import median

import pytest
import sqlalchemy as sa

from queue_server.config import settings_from_env
from queue_server.domain.model import Channel, Priority
from queue_server.simulation import (AlreadySimulated, TrafficModel, arrival_minutes,
                                     hourly_rate, plan_visit, service_minutes, simulate,
                                     counters_to_add)

from conftest import Api, FakeClock, make_app

# Thursday 2026-11-19 .. Monday 2026-11-23: three weekdays, a closed Saturday (odd ISO week)
# and a Sunday. Small traffic keeps the suite quick; the shapes hold at any scale.
TODAY = date(2026, 11, 24)
DAYS = 5
SCALE = 0.08


# --- the traffic model ----------------------------------------------------------------------

def test_day_plans_weekdays_and_every_other_saturday():
    model = TrafficModel()
    assert model.day_plan(date(2026, 11, 23)).kind == "weekday"          # Monday
    assert model.day_plan(date(2026, 11, 22)) is None                    # Sunday
    assert model.day_plan(date(2026, 11, 21)) is None                    # Saturday, week 47
    assert model.day_plan(date(2026, 11, 28)).kind == "saturday"         # Saturday, week 48
    monday, friday = model.day_plan(date(2026, 11, 23)), model.day_plan(date(2026, 11, 27))
    assert model.expected_tickets(monday) > model.expected_tickets(friday)
    assert 400 <= model.expected_tickets(friday) < model.expected_tickets(monday) <= 700
    assert model.online_share(0) == pytest.approx(0.05) and model.online_share(1) == pytest.approx(0.15)


def test_arrivals_peak_in_the_morning_and_dip_at_lunch():
    plan = TrafficModel().day_plan(date(2026, 11, 23))
    assert hourly_rate(plan.profile, 500, 9) > hourly_rate(plan.profile, 500, 12)
    minutes = arrival_minutes(plan.profile, 5000, random.Random(1))
    by_hour = Counter(int(m // 60) for m in minutes)
    assert by_hour[9] > 1.8 * by_hour[12] and by_hour[10] > by_hour[12]
    assert min(minutes) >= 8 * 60 and max(minutes) < 16 * 60 + 30


def test_service_times_center_on_the_standard():
    model, rng = TrafficModel(), random.Random(2)
    draws = [service_minutes(model, 10, rng) for _ in range(4000)]
    assert 7 <= median(draws) <= 9            # the standard is a ceiling most visits stay under
    assert sum(d <= 10 for d in draws) / len(draws) > 0.6
    assert min(draws) >= 0.5 and max(draws) <= 40


def test_visit_mix_priority_and_channels():
    model, rng = TrafficModel(), random.Random(3)
    mix = model.service_mix
    visits = [plan_visit(model, rng, datetime(2026, 11, 23, 2, tzinfo=timezone.utc), mix)
              for _ in range(5000)]
    share = lambda pred: sum(1 for v in visits if pred(v)) / len(visits)  # noqa: E731
    assert 0.06 <= share(lambda v: v.priority != Priority.NORMAL) <= 0.10
    assert 0.08 <= share(lambda v: v.channel == Channel.RECEPTION) <= 0.12
    assert 0.02 <= share(lambda v: v.gone) <= 0.04
    assert 0.02 <= share(lambda v: v.transfer_to is not None) <= 0.04
    assert 0.30 <= share(lambda v: v.service_code == "A") <= 0.40


def test_staffing_plan_adds_counters_where_the_load_is():
    model = TrafficModel()
    standard = {"A": 10, "B": 15, "C": 20, "D": 5, "E": 15}
    plan = counters_to_add(model, standard, have=5)
    assert len(plan) == model.counters_needed() - 5 > 0
    mains = Counter(codes[0] for codes in plan)
    assert mains["B"] >= mains["C"] and mains["A"] >= mains["D"]
    assert counters_to_add(model, standard, have=50) == []


# --- a few simulated days ---------------------------------------------------------------------

def _config(url: str) -> dict:
    return {**settings_from_env("/tmp/gecc-sim-test"), "DATABASE_URL": url}


def _fresh_sqlite(tmp_path_factory, template, name: str) -> str:
    path = tmp_path_factory.mktemp(name) / "gecc.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def simulated(tmp_path_factory, sqlite_template):
    url = _fresh_sqlite(tmp_path_factory, sqlite_template, "sim")
    summary = simulate(_config(url), DAYS, seed=7, scale=SCALE, today=TODAY)
    return url, summary


def _rows(url: str, sql: str) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def _ticket_rows(url: str) -> list:
    return _rows(url, """
        SELECT s.code, t.number, t.service_day, t.issued_at, t.status, t.priority, t.channel,
               t.called_at, t.finished_at, r.score
        FROM tickets t JOIN services s ON s.id = t.issued_service_id
        LEFT JOIN ratings r ON r.ticket_id = t.id ORDER BY t.id""")


def test_weekdays_busy_and_the_day_shapes(simulated):
    url, summary = simulated
    rows = _ticket_rows(url)
    assert summary.tickets == len(rows) > 0 and summary.office_days == 3
    per_day = Counter(str(r[2]) for r in rows)
    assert set(per_day) == {"2026-11-19", "2026-11-20", "2026-11-23"}  # no Saturday, no Sunday
    assert per_day["2026-11-23"] > per_day["2026-11-20"]  # Monday busier than Friday
    # Local hours (UTC+7): the morning peak beats the lunch hour.
    hours = Counter((datetime.fromisoformat(str(r[3])).hour + 7) % 24 for r in rows)
    assert max(hours[9], hours[10]) > hours[12]
    statuses = Counter(r[4] for r in rows)
    assert set(statuses) <= {"finished", "no_show", "cancelled"}  # nobody left waiting
    served = statuses["finished"]
    assert 0.85 <= served / len(rows) <= 0.99
    assert summary.served == served
    ratings = sum(1 for r in rows if r[9] is not None)
    assert ratings == summary.ratings and 0.2 <= ratings / served <= 0.5
    assert 0.01 <= sum(1 for r in rows if r[5] != "normal") / len(rows) <= 0.18
    channels = Counter(r[6] for r in rows)
    assert channels["kiosk"] / len(rows) > 0.6
    assert 0.03 <= channels["reception"] / len(rows) <= 0.2
    assert 0.01 <= channels["online"] / len(rows) <= 0.25
    assert summary.bookings >= channels["online"]


def test_numbers_restart_each_day(simulated):
    url, _ = simulated
    numbers: dict = {}
    for code, number, day, *_ in _ticket_rows(url):
        numbers.setdefault((code, str(day)), []).append(number)
    for key, got in numbers.items():
        assert sorted(got) == list(range(1, len(got) + 1)), key


def test_the_record_holds_calls_and_counters_opened_and_closed(simulated):
    url, _ = simulated
    kinds = Counter(k for (k,) in _rows(url, "SELECT kind FROM ticket_events"))
    assert kinds["issued"] and kinds["called"] and kinds["started"] and kinds["finished"]
    assert kinds["requeued"] and kinds["no_show"]  # a no-show goes back once, then is dropped
    office = Counter(k for (k,) in _rows(url, "SELECT kind FROM office_events"))
    assert office["counter_opened"] >= 3 * 3 and office["counter_closed"] >= 3 * 3
    # At lunch some counters close and open again: more openings than office days x counters.
    assert office["counter_opened"] > 3 * 5


def test_same_seed_same_data(simulated, tmp_path_factory, sqlite_template):
    url, _ = simulated
    again = _fresh_sqlite(tmp_path_factory, sqlite_template, "sim-again")
    simulate(_config(again), DAYS, seed=7, scale=SCALE, today=TODAY)
    assert _ticket_rows(again) == _ticket_rows(url)


def test_the_same_days_twice_are_refused(simulated):
    url, _ = simulated
    with pytest.raises(AlreadySimulated):
        simulate(_config(url), DAYS, seed=7, scale=SCALE, today=TODAY)


def test_the_evidence_over_the_simulated_days(simulated):
    url, summary = simulated
    app = make_app(url, FakeClock(datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)))
    try:
        answer = Api(app).get("/evidence?from=2026-11-19&to=2026-11-23", as_="manager")
        assert answer.status_code == 200, answer.json
        body = answer.json
        assert body["tickets"]["issued"] == summary.tickets
        assert body["tickets"]["served"] == summary.served
        satisfaction = body["satisfaction"]
        assert satisfaction["ratings"] == summary.ratings
        assert 0.2 <= satisfaction["response_ratio"] <= 0.5
        assert 3.8 <= satisfaction["mean_score"] <= 4.8
        assert 0.7 <= satisfaction["satisfied_share"] <= 0.97
    finally:
        app.extensions["gecc"].engine.dispose()


def test_one_day_on_each_database(db_url):
    """Saturday 2026-11-28 (even ISO week): the Saturday-morning window, on SQLite and
    PostgreSQL."""
    summary = simulate(_config(db_url), 1, seed=3, scale=0.2, today=date(2026, 11, 29))
    assert summary.office_days == 1 and summary.tickets > 0
    rows = _rows(db_url, "SELECT status FROM tickets")
    assert len(rows) == summary.tickets
    assert {s for (s,) in rows} <= {"finished", "no_show", "cancelled"}


def test_the_cli_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    command = [sys.executable, "-m", "queue_server.cli", "simulate", "--days", "4", "--seed", "5",
               "--scale", "0.05", "--db", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "seeded the demo office" in done.stdout
    assert "tickets" in done.stdout and "ratings" in done.stdout
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert again.returncode != 0 and "without tickets" in again.stderr


# --- the bulk path: the same rules, consistent data -------------------------------------------

# Columns that hold what only the exact path can give: random tokens and booking codes, and
# the optimistic-lock version (1 per use case that changed the row; the bulk path writes the
# final row once, version 1).
_COMPARED = {
    "tickets": "id, service_id, issued_service_id, number, label, service_day, priority, channel,"
               " status, note, appointment_at, issued_at, queued_at, queue_key, called_at,"
               " started_at, finished_at, counter_id, served_by, recall_count, no_show_count,"
               " transfer_count",
    "ticket_events": "id, ticket_id, kind, at, actor_kind, actor_id, service_id, counter_id, data",
    "ratings": "id, ticket_id, service_id, counter_id, clerk_id, score, dimensions, source,"
               " created_at, comment",
    "alerts": "id, kind, raised_at, data, ticket_id, service_id, counter_id",
    "bookings": "id, service_id, slot_at, status, created_at, checked_in_at, ticket_id",
    "booking_events": "id, booking_id, kind, at, actor_kind, actor_id, service_id, ticket_id",
    "office_events": "id, kind, at, actor_kind, actor_id, counter_id, service_id, data",
    "ticket_sequences": "service_id, service_day, last_number",
    "counters": "id, number, is_open",
    "complaints": "id, text, category, channel, status, contact, ticket_id, received_at, due_on,"
                  " assignee_id, agency, resolved_at, closed_at, overdue_alerted_at",
    "complaint_events": "id, complaint_id, kind, status, at, actor_kind, actor_id, public_note, data",
}


def _tables(url: str) -> dict:
    return {table: _rows(url, f"SELECT {columns} FROM {table} ORDER BY 1, 2")
            for table, columns in _COMPARED.items()}


def test_the_bulk_path_gives_what_the_use_cases_give(simulated, tmp_path_factory, sqlite_template):
    """The default (the day in memory, written in bulk) and --exact (every step a use case)
    write the same rows, event for event, from the same seed."""
    url, summary = simulated
    exact = _fresh_sqlite(tmp_path_factory, sqlite_template, "sim-exact")
    exact_summary = simulate(_config(exact), DAYS, seed=7, scale=SCALE, today=TODAY, exact=True)
    assert exact_summary.tickets == summary.tickets and exact_summary.ratings == summary.ratings
    bulk, slow = _tables(url), _tables(exact)
    for table in _COMPARED:
        assert bulk[table] == slow[table], table
    assert bulk["tickets"] and bulk["ticket_events"] and bulk["office_events"]


def test_every_ticket_has_a_valid_history(simulated):
    url, _ = simulated
    events: dict = {}
    for ticket_id, kind, at in _rows(url, "SELECT ticket_id, kind, at FROM ticket_events "
                                          "ORDER BY id"):
        events.setdefault(ticket_id, []).append((kind, str(at)))
    tickets = _rows(url, "SELECT id, status, issued_at, called_at, finished_at FROM tickets")
    assert len(events) == len(tickets)
    final = {"finished": "finished", "no_show": "no_show", "cancelled": "cancelled"}
    for ticket_id, status, issued_at, called_at, finished_at in tickets:
        history = events[ticket_id]
        kinds = [k for k, _ in history]
        assert kinds[0] == "issued" and kinds.count("issued") == 1, (ticket_id, kinds)
        assert [at for _, at in history] == sorted(at for _, at in history), ticket_id
        assert kinds[-1] == final[status], (ticket_id, kinds)
        # Every finish, start, recall and no-show follows a call with nothing undoing it between.
        at_counter = False
        for kind in kinds[1:]:
            if kind == "called":
                assert not at_counter, (ticket_id, kinds)
                at_counter = True
            elif kind in ("started", "recalled"):
                assert at_counter, (ticket_id, kinds)
            elif kind in ("finished", "no_show", "requeued"):
                assert at_counter, (ticket_id, kinds)
                at_counter = False
            elif kind == "transferred":
                at_counter = False
        if status == "finished":
            assert called_at is not None and str(finished_at) >= str(called_at) >= str(issued_at)


def test_the_live_server_numbers_on_after_a_simulation(db_url):
    """The simulated day's sequences are where the live server takes numbers from: a ticket
    issued on a simulated day gets the next number; today (untouched) and tomorrow start at 1.
    On SQLite and PostgreSQL (where the bulk path's explicit ids move the id sequences on)."""
    url = db_url
    simulate(_config(url), 1, seed=3, scale=0.1, today=TODAY)  # Monday 2026-11-23
    last = dict(_rows(url, "SELECT t.label, t.number FROM tickets t JOIN services s "
                           "ON s.id = t.issued_service_id WHERE s.code = 'A' "
                           "ORDER BY t.number DESC LIMIT 1"))
    assert last and not _rows(url, "SELECT id FROM tickets WHERE service_day >= '2026-11-24'")
    highest = max(last.values())
    clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))  # 16:00 on that day
    app = make_app(url, clock)
    try:
        api = Api(app)
        service_a = _rows(url, "SELECT id FROM services WHERE code = 'A'")[0][0]
        assert api.issue(service_a)["number"] == f"A{highest + 1:03d}"
        clock.now = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)  # today
        assert api.issue(service_a)["number"] == "A001"
        assert api.issue(service_a)["number"] == "A002"
        clock.now = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)  # tomorrow
        assert api.issue(service_a)["number"] == "A001"
        # The ids go on from the simulated ones (on PostgreSQL, the sequences were moved on).
        ids = [i for (i,) in _rows(url, "SELECT id FROM tickets ORDER BY id")]
        assert ids == list(range(1, len(ids) + 1))
    finally:
        app.extensions["gecc"].engine.dispose()


def test_complaints_a_few_a_day_most_resolved_within_their_due_date(tmp_path_factory, sqlite_template):
    """A month of a small office with more complaints than usual (to have enough to count):
    the register fills through the use cases, most are resolved within the due date, some
    late ones raise their alert, and the same seed gives the same complaints."""
    model = TrafficModel(complaints_per_100_visits=8)
    urls = [_fresh_sqlite(tmp_path_factory, sqlite_template, f"sim-complaints-{i}") for i in (1, 2)]
    summaries = [simulate(_config(url), 30, seed=11, scale=0.1, today=TODAY, model=model)
                 for url in urls]
    assert summaries[0].complaints == summaries[1].complaints >= 20
    query = ("SELECT text, category, channel, status, contact, ticket_id, received_at, due_on, "
             "assignee_id, agency, resolved_at, closed_at FROM complaints ORDER BY id")
    first = _rows(urls[0], query)
    assert first == _rows(urls[1], query) and len(first) == summaries[0].complaints
    statuses = Counter(r[3] for r in first)
    concluded = statuses["resolved"] + statuses["closed"]
    assert concluded / len(first) >= 0.6
    within = [r for r in first if (r[10] or r[11]) and str(r[10] or r[11])[:10] <= str(r[7])]
    assert len(within) / concluded >= 0.7
    assert {r[2] for r in first} <= {"online", "walk_in", "phone"} and len({r[2] for r in first}) >= 2
    assert any(r[5] for r in first)  # some filed from a ticket's status page
    kinds = Counter(k for (k,) in _rows(urls[0], "SELECT kind FROM complaint_events"))
    assert kinds["received"] == len(first) and kinds["resolved"] and kinds["assigned"]
    alerts = _rows(urls[0], "SELECT kind FROM alerts WHERE kind = 'complaint_overdue'")
    late = sum(1 for r in first if r[3] not in ("resolved", "closed") and str(r[7]) < "2026-11-24")
    assert alerts or not late
