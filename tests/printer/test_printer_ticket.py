"""The ticket's data and its Thai wording: Buddhist-era dates in the office's zone, labels."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from printer.ticket import TicketPrint, priority_label, thai_date, thai_datetime

VIEW = {
    "id": 7, "number": "A023", "token": "abc123", "service_id": 1, "service_code": "A",
    "service_name_th": "บัตรประจำตัวประชาชน", "service_name_en": "ID card",
    "status": "waiting", "priority": "elderly", "channel": "kiosk", "ahead": 4,
    "eta_minutes": 12, "issued_at": "2026-11-22T04:05:31.250000Z", "called_at": None,
    "started_at": None, "finished_at": None, "counter": None, "recall_count": 0,
    "transfer_count": 0, "note": None, "status_url": "http://192.168.1.10:5000/t/abc123",
}
OFFICE = {"name": "ที่ว่าการอำเภอบางบัวทอง", "name_en": "Bang Bua Thong District Office",
          "timezone": "Asia/Bangkok"}


def test_from_ticket_view_takes_the_server_body():
    t = TicketPrint.from_ticket_view(VIEW, OFFICE)
    assert t.number == "A023"
    assert t.office_name == "ที่ว่าการอำเภอบางบัวทอง"
    assert t.service_name_th == "บัตรประจำตัวประชาชน" and t.service_name_en == "ID card"
    assert t.issued_at == datetime(2026, 11, 22, 4, 5, 31, 250000, tzinfo=timezone.utc)
    assert (t.ahead, t.eta_minutes, t.priority) == (4, 12, "elderly")
    assert t.status_url == VIEW["status_url"]


def test_thai_date_is_local_time_with_buddhist_era_year():
    t = TicketPrint.from_ticket_view(VIEW, OFFICE)
    # 04:05 UTC is 11:05 in Bangkok; 2026 CE is 2569 BE.
    assert t.date_th == "22 พ.ย. 2569 เวลา 11:05 น."
    assert t.date_en == "22 Nov 2026, 11:05"


def test_year_and_day_roll_over_in_the_office_zone():
    view = dict(VIEW, issued_at="2026-12-31T20:30:00Z")
    assert TicketPrint.from_ticket_view(view, OFFICE).date_th == "1 ม.ค. 2570 เวลา 03:30 น."


def test_month_names():
    expected = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
    for month, name in enumerate(expected, start=1):
        assert thai_date(datetime(2025, month, 5)) == f"5 {name} 2568"
    assert thai_datetime(datetime(2025, 4, 13, 9, 0)) == "13 เม.ย. 2568 เวลา 09:00 น."


@pytest.mark.parametrize("priority,th,en", [
    ("normal", "ปกติ", "Normal"), ("elderly", "ผู้สูงอายุ", "Elderly"),
    ("disabled", "ผู้พิการ", "Disabled"), ("pregnant", "หญิงตั้งครรภ์", "Pregnant"),
    ("monk", "พระภิกษุสงฆ์", "Monk"),
])
def test_priority_labels(priority, th, en):
    assert priority_label(priority) == (th, en)
    t = TicketPrint.from_ticket_view(dict(VIEW, priority=priority), OFFICE)
    assert t.priority_th == th and t.is_priority == (priority != "normal")


def test_waiting_wording_and_missing_figures():
    t = TicketPrint.from_ticket_view(VIEW, OFFICE)
    assert t.ahead_th == "รออีก 4 คิว" and t.ahead_en == "4 people ahead of you"
    assert t.eta_th == "เวลารอโดยประมาณ 12 นาที" and t.eta_en == "Estimated wait 12 min"
    t = TicketPrint.from_ticket_view(dict(VIEW, ahead=None, eta_minutes=None), OFFICE)
    assert t.ahead_th is None and t.eta_th is None
    t = TicketPrint.from_ticket_view(dict(VIEW, ahead=0), OFFICE)
    assert t.ahead_th == "ท่านเป็นคิวถัดไป"


def test_office_defaults_and_validation():
    t = TicketPrint.from_ticket_view(dict(VIEW, service_name_en=None), {"name": "สำนักงาน"})
    assert t.timezone == "Asia/Bangkok" and t.office_name_en == "" and t.service_name_en == ""
    with pytest.raises(ValueError):
        TicketPrint.from_ticket_view(dict(VIEW, issued_at="2026-11-22T04:05:00"), OFFICE)
    with pytest.raises(Exception):
        TicketPrint.from_ticket_view(VIEW, dict(OFFICE, timezone="Mars/Olympus"))
    with pytest.raises(ValueError):
        TicketPrint.from_ticket_view(dict(VIEW, status_url=""), OFFICE)


def test_ticket_is_frozen():
    t = TicketPrint.from_ticket_view(VIEW, OFFICE)
    with pytest.raises(AttributeError):
        t.number = "B001"  # type: ignore[misc]


def test_the_qr_line_tells_the_code_also_rates_the_service():
    ticket = TicketPrint.from_ticket_view(VIEW, OFFICE)
    th = ticket.qr_hint_th.replace("\u200b", "")
    assert th == "สแกน QR เพื่อติดตามคิวและประเมินความพึงพอใจหลังรับบริการ"
    assert ticket.qr_hint_en == "Scan to follow your queue and rate the service afterwards"
