"""The complaint register's rules (domain/complaint.py) and its figures (rubric/complaints.py)
on a hand-made set whose answers are written here: milliseconds, no database."""

from __future__ import annotations

import random
from datetime import date, datetime, timezone

import pytest

from queue_server.domain.complaint import (CODE_ALPHABET, DEFAULT_CATEGORIES, Complaint,
                                           ComplaintChannel, ComplaintPolicy, ComplaintStatus,
                                           InvalidComplaint, format_code, new_tracking_code,
                                           normalise_code)
from queue_server.domain.errors import InvalidTransition
from queue_server.domain.model import Actor
from rubric.complaints import ComplaintRow, complaint_figures, complaint_rows

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 in Bangkok
POLICY = ComplaintPolicy()
CLERK = Actor.user(4)


def filed(text="ไฟถนนดับ", **kw) -> Complaint:
    return Complaint.file(1, text, kw.pop("category", None), ComplaintChannel.ONLINE, NOW,
                          NOW.date(), POLICY, DEFAULT_CATEGORIES, Actor("citizen"), **kw)


def test_codes_have_no_look_alikes_and_are_read_back_however_typed():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000  # 29**10 codes: no clash in a few thousand
    for ch in "01OILUV":
        assert ch not in CODE_ALPHABET
    code = "ABCDE23456"
    assert format_code(code) == "ABCDE-23456"
    assert normalise_code("abcde-23456") == normalise_code(" ABCDE 23456 ") == code
    assert normalise_code("ABCDE2345O") is None and normalise_code("ABC") is None


def test_filing_checks_the_text_category_and_contact():
    complaint = filed("  ถนนเป็นหลุม  ", contact=" 0812345678 ")
    assert complaint.text == "ถนนเป็นหลุม" and complaint.contact == "0812345678"
    assert complaint.category == "other" and complaint.due_on == date(2026, 12, 8)
    assert [e.kind.value for e in complaint.events] == ["received"]
    assert filed(due_days=7).due_on == date(2026, 11, 30)
    for bad in ({"text": ""}, {"text": "ก" * 5001}, {"category": "weather"},
                {"contact": "x" * 201}):
        with pytest.raises(InvalidComplaint):
            filed(**{"text": "ok", **bad})
    assert len(filed("ก" * 5000).text) == 5000


def test_steps_go_forward_only_and_reopening_needs_a_reason():
    c = filed()
    c.move(ComplaintStatus.RESOLVED, CLERK, NOW, POLICY, note="ซ่อมแล้ว")  # settled at once
    assert c.status == ComplaintStatus.RESOLVED and c.resolved_at == NOW
    for back in (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED):
        with pytest.raises(InvalidTransition):
            c.move(back, CLERK, NOW, POLICY)
    with pytest.raises(InvalidTransition):
        c.assign(5, CLERK, NOW, POLICY)
    with pytest.raises(InvalidComplaint):
        c.reopen(" ", CLERK, NOW, POLICY)
    c.reopen("ยังไม่ได้ซ่อมจริง", CLERK, NOW, POLICY)
    assert c.status == ComplaintStatus.IN_PROGRESS and c.resolved_at is None
    assert c.events[-1].internal_note == "ยังไม่ได้ซ่อมจริง" and c.events[-1].public_note is None
    with pytest.raises(InvalidTransition):
        c.reopen("again", CLERK, NOW, POLICY)  # only a concluded complaint is reopened
    c.forward("อบต.บ้านเป็ด", CLERK, NOW, POLICY)
    assert c.status == ComplaintStatus.IN_PROGRESS and c.agency == "อบต.บ้านเป็ด"  # never back


def test_overdue_after_the_due_day_until_concluded_and_the_contact_erased():
    c = filed(contact="0812345678")
    assert not c.is_overdue(date(2026, 12, 8)) and c.is_overdue(date(2026, 12, 9))
    c.move(ComplaintStatus.CLOSED, CLERK, NOW, POLICY)
    assert not c.is_overdue(date(2027, 1, 1))
    assert c.erase_contact(NOW) is True and c.contact is None and c.erase_contact(NOW) is False
    assert c.events[-1].kind.value == "contact_erased"


# --- the figures, on a hand-made set -----------------------------------------------------------

def at(day: int, hour: int = 3) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=timezone.utc)


# Five complaints of November 2026; the report is made on 2026-12-10 (Bangkok).
ROWS = [
    #            id category  channel   status        received  due                resolved      closed
    ComplaintRow(1, "hardship", "online", "resolved", at(2), date(2026, 11, 17), at(3)),          # 1 day
    ComplaintRow(2, "hardship", "walk_in", "closed", at(2), date(2026, 11, 17), at(5), at(6)),    # 3 days
    ComplaintRow(3, "help", "online", "closed", at(10), date(2026, 11, 25), None, at(30, 3)),     # 20 days, late
    ComplaintRow(4, "help", "phone", "in_progress", at(20), date(2026, 12, 5), None, None, True), # overdue
    ComplaintRow(5, "tip", "online", "received", at(28), date(2026, 12, 13)),                     # open, not late
]


def test_the_figures_of_a_hand_made_set():
    f = complaint_figures(ROWS, date(2026, 12, 10),
                          categories={"hardship": ("เดือดร้อน", "Hardship"), "help": ("ช่วย", "Help")})
    assert (f["received"], f["resolved"], f["open"], f["overdue"]) == (5, 3, 2, 1)
    assert f["resolved_share"] == 0.6 and f["followed_up_share"] == 0.8
    # Days 1, 3 and 20: median 3; p90 = 3 + 0.8 x (20 - 3) = 16.6; mean 8.
    assert f["days_to_resolve"] == {"median": 3.0, "p90": 16.6, "mean": 8.0}
    assert f["resolved_within_due_share"] == round(2 / 3, 4)
    by_category = {c["category"]: c for c in f["by_category"]}
    assert [c["category"] for c in f["by_category"]] == ["hardship", "help", "tip"]
    assert (by_category["hardship"]["resolved_share"], by_category["help"]["overdue"]) == (1.0, 1)
    assert by_category["tip"]["days_to_resolve"]["median"] is None and by_category["tip"]["name_en"] == "tip"
    assert {k: v["received"] for k, v in f["by_channel"].items()} == {"online": 3, "walk_in": 1, "phone": 1}
    assert f["by_channel"]["online"]["resolved"] == 2


def test_no_complaints_is_none_never_zero():
    f = complaint_figures([], date(2026, 12, 10))
    assert f["received"] == 0 and f["resolved_share"] is None
    assert f["days_to_resolve"] == {"median": None, "p90": None, "mean": None}
    assert f["followed_up_share"] is None and f["by_category"] == [] and f["by_channel"] == {}


def test_the_csv_rows_re_derive_the_figures_and_hold_nothing_personal():
    lines = complaint_rows(ROWS, date(2026, 12, 10))
    assert [r["days_to_resolve"] for r in lines] == ["1.00", "3.00", "20.00", "", ""]
    assert [r["resolved_within_due"] for r in lines] == [1, 1, 0, "", ""]
    assert [r["overdue"] for r in lines] == [0, 0, 0, 1, 0]
    assert lines[1]["resolved_at"] == "2026-11-05T03:00:00Z"  # resolved before it was closed
    resolved = sum(1 for r in lines if r["resolved_at"])
    assert resolved / len(lines) == complaint_figures(ROWS, date(2026, 12, 10))["resolved_share"]
    assert set(lines[0]) == {"id", "received_at", "category", "channel", "status", "assigned",
                             "forwarded_to", "from_ticket", "due_on", "resolved_at",
                             "days_to_resolve", "resolved_within_due", "overdue"}


def test_a_reopened_complaint_is_not_resolved_until_resolved_again():
    row = ComplaintRow(9, "other", "online", "in_progress", at(2), date(2026, 11, 17), at(3))
    f = complaint_figures([row], date(2026, 11, 10))
    assert f["resolved"] == 0 and f["days_to_resolve"]["median"] is None
    shuffled = ROWS[:]
    random.Random(1).shuffle(shuffled)
    assert complaint_figures(shuffled, date(2026, 12, 10))["days_to_resolve"]["p90"] == 16.6
