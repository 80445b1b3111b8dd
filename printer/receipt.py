"""What a complaint's printed receipt says (the reception desk's slip): the office, the
tracking code, its QR code to the tracking page, the category, when it was received and when
it is due. No text of the complaint and no contact: the slip can be lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .ticket import (DEFAULT_TIMEZONE, EN_MONTHS_ABBR, _parse_instant, english_datetime,
                     thai_date, thai_datetime)


@dataclass(frozen=True)
class ComplaintReceiptPrint:
    office_name: str
    office_name_en: str
    code_display: str
    status_url: str
    category_th: str
    category_en: str
    received_at: datetime
    due_on: date
    timezone: str

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None:
            raise ValueError("received_at must be an aware datetime")
        ZoneInfo(self.timezone)
        if not self.code_display or not self.status_url:
            raise ValueError("a receipt needs its code and its tracking page")

    @classmethod
    def from_view(cls, view: dict, office: dict) -> ComplaintReceiptPrint:
        """From the server's receipt body (service_layer/complaints.py) and the office."""
        category = view.get("category") or {}
        return cls(office_name=str(office.get("name") or ""),
                   office_name_en=str(office.get("name_en") or ""),
                   code_display=str(view["code_display"]), status_url=str(view["status_url"]),
                   category_th=str(category.get("name_th") or ""),
                   category_en=str(category.get("name_en") or ""),
                   received_at=_parse_instant(view["received_at"]),
                   due_on=date.fromisoformat(view["due_on"]),
                   timezone=str(office.get("timezone") or DEFAULT_TIMEZONE))

    @property
    def received_th(self) -> str:
        return thai_datetime(self.received_at.astimezone(ZoneInfo(self.timezone)))

    @property
    def received_en(self) -> str:
        return english_datetime(self.received_at.astimezone(ZoneInfo(self.timezone)))

    @property
    def due_th(self) -> str:
        return thai_date(self.due_on)

    @property
    def due_en(self) -> str:
        return f"{self.due_on.day} {EN_MONTHS_ABBR[self.due_on.month - 1]} {self.due_on.year}"
