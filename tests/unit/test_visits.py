"""The evidence's columns (rubric/visits.py) read the clock as the office does: local hours
and weekdays on both sides of a daylight-saving change, exact whole-minute waits, and the
office-hours windows exactly as the one-ticket definition (outside_office_hours) says."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from rubric.evidence import EvidenceInput, Period, ServiceInfo, evidence, outside_office_hours
from rubric.visits import LocalTimes, Visit, Visits, to_micros

UTC = timezone.utc


def _visit(i: int, issued: datetime, called: datetime | None, **kw) -> Visit:
    return Visit(id=i, number=f"A{i:03d}", service_id=1, final_service_id=1, counter_id=1,
                 clerk_id=4, status="finished" if called else "cancelled", priority="normal",
                 channel="kiosk", day=issued.date(), issued_at=issued, first_called_at=called,
                 finished_at=None, service_minutes=None, **kw)


def test_local_hours_across_a_daylight_saving_change():
    """London moves to BST at 01:00 UTC on 29 March 2026: 00:30 UTC is 00:30 local, 01:30 UTC
    is 02:30 local. Bangkok has one offset all year (+7)."""
    instants = np.array([to_micros(datetime(2026, 3, 28, 12, 0, tzinfo=UTC)),
                         to_micros(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
                         to_micros(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
                         to_micros(datetime(2026, 3, 30, 8, 0, tzinfo=UTC))])
    london = LocalTimes(instants, ZoneInfo("Europe/London"))
    assert london.hour.tolist() == [12, 0, 2, 9]
    assert london.weekday.tolist() == [5, 6, 6, 0]  # Saturday, Sunday, Sunday, Monday
    bangkok = LocalTimes(instants, ZoneInfo("Asia/Bangkok"))
    assert bangkok.hour.tolist() == [19, 7, 8, 15]


def test_a_whole_minute_wait_is_exactly_its_minutes():
    """Waits are differences of whole microseconds: 20 minutes is 20.0, at a 20-minute target."""
    issued = datetime(2026, 11, 23, 2, 0, 0, 123456, tzinfo=UTC)
    visits = Visits.of([_visit(1, issued, issued + timedelta(minutes=20)),
                        _visit(2, issued, None)])
    waits = visits.wait_minutes
    assert waits[0] == 20.0 and np.isnan(waits[1])


def test_office_hours_windows_agree_with_the_definition():
    """Over 2,000 random first calls in a fortnight, the counts by window are those of
    outside_office_hours applied to each call on its own."""
    zone = ZoneInfo("Asia/Bangkok")
    rng = random.Random(2566)
    start = datetime(2026, 11, 16, tzinfo=UTC)
    visits = []
    for i in range(1, 2001):
        issued = start + timedelta(seconds=rng.randrange(14 * 86400))
        visits.append(_visit(i, issued, issued + timedelta(seconds=rng.randrange(3600))))
    report = evidence(EvidenceInput(Period(date(2026, 11, 16), date(2026, 11, 30)),
                                    "Asia/Bangkok", visits,
                                    [ServiceInfo(1, "A", "ก", "A", 10, 20)]))
    expected = {"lunch": 0, "early": 0, "evening": 0, "weekend": 0}
    for v in visits:
        window = outside_office_hours(v.first_called_at.astimezone(zone))
        if window:
            expected[window] += 1
    assert report["hours"]["by_window"] == expected
    assert report["hours"]["served_outside_office_hours"] == sum(expected.values())
    by_hour = {h["key"]: h["issued"] for h in report["by_hour"]}
    assert by_hour == {h: sum(1 for v in visits if v.issued_at.astimezone(zone).hour == h)
                       for h in range(24) if any(v.issued_at.astimezone(zone).hour == h
                                                 for v in visits)}
