"""The complaint register's figures for the GECC evidence (quality 2.12, 2.13; outcome 3.1),
and the rows of complaints.csv: plain Python over plain rows, each figure's definition beside
it. A figure with no data is None, never 0.

Each row is one complaint received in the period (`ComplaintRow`, or any object with the same
attributes, such as a database row): no text, no contact, nothing personal. Statuses are as
recorded when the report is made (`as_of`), so a complaint received on the period's last day
and resolved a week later counts as resolved in a report made after that week.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

CONCLUDED = ("resolved", "closed")
CHANNELS = ("online", "walk_in", "phone")

DEFINITIONS = {
    "received": "complaints received on the period's days (the office's local days), by any "
                "channel",
    "followed_up_share": "share of those with at least one step after 'received' (assigned, "
                         "forwarded, in progress, resolved or closed) by the time of the report",
    "resolved": "of those, the complaints resolved or closed by the time of the report (a "
                "reopened complaint counts again only once resolved again)",
    "resolved_share": "resolved / received",
    "days_to_resolve": "days from receipt to the latest resolution (or the closing, for a "
                       "complaint closed without a resolution), over the resolved ones; "
                       "p90 linear between the closest ranks (Excel PERCENTILE.INC)",
    "resolved_within_due_share": "share of the resolved ones resolved on or before their due "
                                 "date (the office's day)",
    "overdue": "complaints not resolved or closed whose due date has passed on the day of the "
               "report",
    "open": "complaints not resolved or closed",
    "channel": "online: filed by the citizen on the public page (QR poster, kiosk, ticket "
               "status page); walk_in: written down at the counter or reception; phone: taken "
               "by telephone",
}


@dataclass(slots=True)
class ComplaintRow:
    """One complaint as the figures read it (one row of complaints.csv)."""

    id: int
    category: str
    channel: str
    status: str
    received_at: datetime
    due_on: date
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    assigned: bool = False
    agency: str | None = None
    from_ticket: bool = False


def _concluded_at(row) -> datetime | None:
    if row.status not in CONCLUDED:
        return None  # reopened: its old resolution no longer counts
    return row.resolved_at or row.closed_at


def _days(row) -> float | None:
    at = _concluded_at(row)
    return None if at is None else (at - row.received_at).total_seconds() / 86400


def _percentile(values: list[float], p: float) -> float | None:
    """Linear between closest ranks (Excel PERCENTILE.INC), as the waits' p90."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _figures(rows: list, as_of: date, zone: ZoneInfo) -> dict:
    resolved = [r for r in rows if _concluded_at(r) is not None]
    days = [_days(r) for r in resolved]
    within = sum(1 for r in resolved if _concluded_at(r).astimezone(zone).date() <= r.due_on)
    open_ = [r for r in rows if r.status not in CONCLUDED]
    return {"received": len(rows),
            "followed_up": sum(1 for r in rows if r.status != "received"),
            "followed_up_share": _share(sum(1 for r in rows if r.status != "received"), len(rows)),
            "resolved": len(resolved), "resolved_share": _share(len(resolved), len(rows)),
            "days_to_resolve": {"median": _r(median(days)) if days else None,
                                "p90": _r(_percentile(days, 90)),
                                "mean": _r(sum(days) / len(days)) if days else None},
            "resolved_within_due_share": _share(within, len(resolved)),
            "open": len(open_), "overdue": sum(1 for r in open_ if as_of > r.due_on)}


def complaint_figures(rows: list, as_of: date, timezone: str = "Asia/Bangkok",
                      categories: dict[str, tuple[str, str]] | None = None) -> dict:
    """The `complaints` section of the evidence: the figures overall, by category and by
    channel. `as_of`: the office's day of the report (for `overdue`); `categories`:
    {key: (name_th, name_en)} for the labels."""
    zone = ZoneInfo(timezone)
    rows = list(rows)
    by_category, by_channel = defaultdict(list), defaultdict(list)
    for row in rows:
        by_category[row.category].append(row)
        by_channel[row.channel].append(row)
    labels = categories or {}
    keys = list(labels) + sorted(k for k in by_category if k not in labels)
    return {**_figures(rows, as_of, zone), "as_of": as_of.isoformat(),
            "by_category": [{"category": k, "name_th": labels.get(k, (k, k))[0],
                             "name_en": labels.get(k, (k, k))[1],
                             **_figures(by_category[k], as_of, zone)}
                            for k in keys if by_category[k]],
            "by_channel": {k: _figures(by_channel[k], as_of, zone)
                           for k in list(CHANNELS) + sorted(set(by_channel) - set(CHANNELS))
                           if by_channel[k]},
            "definitions": DEFINITIONS}


COMPLAINT_COLUMNS = ("id", "received_at", "category", "channel", "status", "assigned",
                     "forwarded_to", "from_ticket", "due_on", "resolved_at", "days_to_resolve",
                     "resolved_within_due", "overdue")


def complaint_rows(rows: list, as_of: date, timezone: str = "Asia/Bangkok") -> list[dict]:
    """complaints.csv's rows: no text, no contact, no tracking code (it opens the tracking
    page); times UTC ISO 8601, days with 2 decimals, empty where there is none. Every figure
    of the `complaints` section can be derived again from them."""
    zone = ZoneInfo(timezone)
    out = []
    for r in rows:
        concluded = _concluded_at(r)
        days = _days(r)
        out.append({
            "id": r.id, "received_at": _iso(r.received_at), "category": r.category,
            "channel": r.channel, "status": r.status, "assigned": int(bool(r.assigned)),
            "forwarded_to": r.agency or "", "from_ticket": int(bool(r.from_ticket)),
            "due_on": r.due_on.isoformat(), "resolved_at": _iso(concluded),
            "days_to_resolve": "" if days is None else f"{days:.2f}",
            "resolved_within_due": "" if concluded is None else
            int(concluded.astimezone(zone).date() <= r.due_on),
            "overdue": int(r.status not in CONCLUDED and as_of > r.due_on)})
    return out


def _iso(when: datetime | None) -> str:
    return "" if when is None else when.isoformat().replace("+00:00", "Z")
