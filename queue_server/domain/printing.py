"""Print jobs: a ticket to print at one kiosk, kept until that kiosk's agent acknowledges it.

A job is made in the same transaction as its ticket, so a ticket that exists always has its job,
and a ticket that was rolled back never prints. The agent prints each job at most once (it
journals the job id before it prints), and the server keeps offering a pending job until it is
acknowledged, so nothing is lost when the network, the agent or the server restarts.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta


class PrintJobStatus(str, enum.Enum):
    PENDING = "pending"  # waiting for the agent, or the agent could not print yet
    PRINTED = "printed"
    UNCERTAIN = "uncertain"  # the printer failed mid-job: not retried (never twice); reprint by hand
    EXPIRED = "expired"  # too old to be of use to the citizen; the screen showed the ticket


class PrintJob:
    """One ticket to print at one kiosk (`kiosk_id` None: the server's own printer)."""

    def __init__(self, office_id: int, ticket_id: int, kiosk_id: str | None, payload: dict,
                 created_at: datetime, reason: str = "issued"):
        self.office_id = office_id
        self.ticket_id = ticket_id
        self.kiosk_id = kiosk_id
        self.payload = payload
        self.reason = reason  # issued or reprint
        self.status = PrintJobStatus.PENDING
        self.created_at = created_at
        self.attempts = 0
        self.sent_at = None
        self.done_at = None
        self.last_error = None

    def offered(self, now: datetime) -> None:
        """Sent to the agent once more."""
        self.attempts += 1
        self.sent_at = now

    def acknowledge(self, outcome: str, now: datetime, error: str | None = None) -> None:
        """The agent's answer: `printed`, `not_printed` (offer again later) or `uncertain`.

        Idempotent: an answer for a job that is no longer pending changes nothing.
        """
        if outcome not in ("printed", "not_printed", "uncertain"):
            raise ValueError(f"unknown print outcome {outcome!r}")
        if self.status != PrintJobStatus.PENDING:
            return
        if outcome == "not_printed":
            self.last_error = (error or "not printed")[:500]
            return
        self.status = PrintJobStatus(outcome)
        self.done_at = now
        self.last_error = error[:500] if error else None

    def expire_if_stale(self, now: datetime, max_age: timedelta) -> bool:
        """A ticket printed long after the citizen took it helps nobody: stop offering it."""
        if self.status == PrintJobStatus.PENDING and now - self.created_at > max_age:
            self.status = PrintJobStatus.EXPIRED
            self.done_at = now
            return True
        return False


@dataclass(frozen=True)
class PrinterState:
    """What a kiosk's agent last said about its printer."""

    kiosk_id: str
    online: bool
    paper: str  # ok, low, out, unknown
    cover_open: bool | None
    detail: str
    updated_at: datetime | None

    @property
    def usable(self) -> bool:
        return self.online and self.paper in ("ok", "low") and not self.cover_open

    def to_json(self) -> dict:
        return {"kiosk_id": self.kiosk_id, "online": self.online, "paper": self.paper,
                "cover_open": self.cover_open, "detail": self.detail, "usable": self.usable,
                "updated_at": self.updated_at.isoformat().replace("+00:00", "Z")
                if self.updated_at else None}

    @classmethod
    def unknown(cls, kiosk_id: str) -> PrinterState:
        return cls(kiosk_id, False, "unknown", None, "no print agent has reported", None)

    @classmethod
    def from_report(cls, kiosk_id: str | None, data) -> PrinterState:
        """A printer state from an agent's status report (a dict), anything malformed read as
        unknown. `kiosk_id` None: the server's own printer."""
        data = data if isinstance(data, dict) else {}
        paper = data.get("paper") if data.get("paper") in ("ok", "low", "out", "unknown") \
            else "unknown"
        cover = data.get("cover_open") if isinstance(data.get("cover_open"), bool) else None
        return cls(kiosk_id, data.get("online") is True, paper, cover,
                   str(data.get("detail") or "")[:500], None)
