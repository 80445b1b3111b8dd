"""The periods a manager looks at: today, yesterday, this week, last week, this month, last
month, or a chosen range of the office's local days (both ends included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .errors import DomainError

PRESETS = {
    "today": ("วันนี้", "Today"),
    "yesterday": ("เมื่อวาน", "Yesterday"),
    "this_week": ("สัปดาห์นี้", "This week"),
    "last_week": ("สัปดาห์ที่แล้ว", "Last week"),
    "this_month": ("เดือนนี้", "This month"),
    "last_month": ("เดือนที่แล้ว", "Last month"),
    "range": ("เลือกช่วงวันที่", "Chosen range"),
}
MAX_DAYS = 400  # as the evidence: a year and a bit


class BadPeriod(DomainError, code="bad_period", status=400):
    """A period that cannot be read, or one that ends before it begins."""


@dataclass(frozen=True)
class ChosenPeriod:
    name: str
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label_th(self) -> str:
        return PRESETS[self.name][0]

    @property
    def label_en(self) -> str:
        return PRESETS[self.name][1]


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def choose_period(name: str | None, today: date, first: str | None = None,
                  last: str | None = None) -> ChosenPeriod:
    """The days of a named period (weeks begin on Monday), or of `first`..`last`
    (YYYY-MM-DD) when the name is `range` or missing and dates are given."""
    name = (name or "").strip() or ("range" if first or last else "today")
    if name not in PRESETS:
        raise BadPeriod(f"Unknown period {name[:40]!r}: one of {', '.join(PRESETS)}.")
    if name == "today":
        return ChosenPeriod(name, today, today)
    if name == "yesterday":
        return ChosenPeriod(name, today - timedelta(days=1), today - timedelta(days=1))
    if name == "this_week":
        return ChosenPeriod(name, today - timedelta(days=today.weekday()), today)
    if name == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return ChosenPeriod(name, monday, monday + timedelta(days=6))
    if name == "this_month":
        return ChosenPeriod(name, today.replace(day=1), today)
    if name == "last_month":
        return ChosenPeriod(name, *month_bounds(today.replace(day=1) - timedelta(days=1)))
    start, end = _day(first or last, "from"), _day(last or first, "to")
    if start > end:
        raise BadPeriod("The period's first day comes after its last.")
    if (end - start).days >= MAX_DAYS:
        raise BadPeriod(f"A period is at most {MAX_DAYS} days.")
    return ChosenPeriod("range", start, end)


def _day(text: str | None, what: str) -> date:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        raise BadPeriod(f"'{what}' is a day as YYYY-MM-DD, not {str(text)[:20]!r}.") from None
