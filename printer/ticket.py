"""What a printed ticket says: the data, and its Thai and English wording.

The ticket is built from the server's JSON ticket body (``ticket_view`` in
``queue_server/service_layer/views.py``) and the office; rendering is in ``render.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Bangkok"

# Abbreviated Thai month names as on Thai government documents.
THAI_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
EN_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BUDDHIST_ERA_OFFSET = 543

# The same wording as the kiosk and status pages (queue_server/static/common.js).
PRIORITY_LABELS: dict[str, tuple[str, str]] = {
    "normal": ("ปกติ", "Normal"),
    "elderly": ("ผู้สูงอายุ", "Elderly"),
    "disabled": ("ผู้พิการ", "Disabled"),
    "pregnant": ("หญิงตั้งครรภ์", "Pregnant"),
    "monk": ("พระภิกษุสงฆ์", "Monk"),
}


# Under the QR code: it follows the queue, and afterwards rates the service (the status page
# turns into the satisfaction rating when the visit ends). Zero-width spaces mark where the
# Thai may break between its phrases on narrow paper (render.py's wrap; they are not drawn).
QR_HINT_TH = "สแกน QR เพื่อติดตามคิว\u200bและประเมินความพึงพอใจ\u200bหลังรับบริการ"
QR_HINT_EN = "Scan to follow your queue and rate the service afterwards"


def thai_date(when: datetime) -> str:
    """``22 พ.ย. 2569`` (day, abbreviated Thai month, Buddhist-era year)."""
    return f"{when.day} {THAI_MONTHS_ABBR[when.month - 1]} {when.year + BUDDHIST_ERA_OFFSET}"


def thai_datetime(when: datetime) -> str:
    """``22 พ.ย. 2569 เวลา 11:05 น.`` in the zone ``when`` is already in."""
    return f"{thai_date(when)} เวลา {when:%H:%M} น."


def english_datetime(when: datetime) -> str:
    """``22 Nov 2026, 11:05``."""
    return f"{when.day} {EN_MONTHS_ABBR[when.month - 1]} {when.year}, {when:%H:%M}"


def priority_label(priority: str) -> tuple[str, str]:
    """(Thai, English) label of a priority class; an unknown class is shown as given."""
    return PRIORITY_LABELS.get(priority, (priority, priority))


def _parse_instant(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        when = value
    else:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        when = datetime.fromisoformat(text)
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"issued_at must carry its UTC offset, got {value!r}")
    return when


def _optional_int(value) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on one ticket."""

    office_name: str
    office_name_en: str
    service_name_th: str
    service_name_en: str
    number: str
    issued_at: datetime
    timezone: str
    ahead: int | None
    eta_minutes: int | None
    priority: str
    status_url: str

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be an aware datetime")
        ZoneInfo(self.timezone)  # raises for an unknown zone name
        if not self.number:
            raise ValueError("a ticket needs a number")
        if not self.status_url:
            raise ValueError("a ticket needs its status_url (the QR code points there)")

    @classmethod
    def from_ticket_view(cls, view: dict, office: dict) -> TicketPrint:
        """From the server's ticket body and the office (``name``, ``name_en``, ``timezone``)."""
        return cls(
            office_name=str(office.get("name") or ""),
            office_name_en=str(office.get("name_en") or ""),
            service_name_th=str(view.get("service_name_th") or ""),
            service_name_en=str(view.get("service_name_en") or ""),
            number=str(view["number"]),
            issued_at=_parse_instant(view["issued_at"]),
            timezone=str(office.get("timezone") or DEFAULT_TIMEZONE),
            ahead=_optional_int(view.get("ahead")),
            eta_minutes=_optional_int(view.get("eta_minutes")),
            priority=str(view.get("priority") or "normal"),
            status_url=str(view["status_url"]),
        )

    @classmethod
    def sample(cls, issued_at: datetime | None = None) -> TicketPrint:
        """A realistic Thai ticket: `python -m printer sample` and test-print, and the tests."""
        return cls(
            office_name="ที่ว่าการอำเภอบางบัวทอง",
            office_name_en="Bang Bua Thong District Office",
            service_name_th="บัตรประจำตัวประชาชน",
            service_name_en="ID card",
            number="A023",
            issued_at=issued_at or datetime(2026, 11, 22, 4, 5, tzinfo=dt_timezone.utc),
            timezone="Asia/Bangkok",
            ahead=4,
            eta_minutes=12,
            priority="elderly",
            status_url="http://192.168.1.10:5000/t/abc123",
        )

    @property
    def qr_hint_th(self) -> str:
        """The line under (or beside) the QR code: follow the queue, rate the service after."""
        return QR_HINT_TH

    @property
    def qr_hint_en(self) -> str:
        return QR_HINT_EN

    @property
    def local_issued_at(self) -> datetime:
        """The issue time in the office's zone."""
        return self.issued_at.astimezone(ZoneInfo(self.timezone))

    @property
    def date_th(self) -> str:
        """``22 พ.ย. 2569 เวลา 11:05 น.``"""
        return thai_datetime(self.local_issued_at)

    @property
    def date_en(self) -> str:
        return english_datetime(self.local_issued_at)

    @property
    def is_priority(self) -> bool:
        return self.priority not in ("", "normal")

    @property
    def priority_th(self) -> str:
        return priority_label(self.priority)[0]

    @property
    def priority_en(self) -> str:
        return priority_label(self.priority)[1]

    @property
    def ahead_th(self) -> str | None:
        if self.ahead is None:
            return None
        return "ท่านเป็นคิวถัดไป" if self.ahead == 0 else f"รออีก {self.ahead} คิว"

    @property
    def ahead_en(self) -> str | None:
        if self.ahead is None:
            return None
        if self.ahead == 0:
            return "You are next"
        return f"{self.ahead} {'person' if self.ahead == 1 else 'people'} ahead of you"

    @property
    def eta_th(self) -> str | None:
        if self.eta_minutes is None:
            return None
        return f"เวลารอโดยประมาณ {self.eta_minutes} นาที"

    @property
    def eta_en(self) -> str | None:
        if self.eta_minutes is None:
            return None
        return f"Estimated wait {self.eta_minutes} min"
