"""Alerts: what a manager must act on, kept until handled, with the action taken recorded
(who, when, what: GECC 2.16 asks for the action, not only the alert)."""

from __future__ import annotations

import enum
from datetime import datetime

from .errors import Conflict, DomainError
from .model import Ticket
from .rating import Rating


class AlertKind(str, enum.Enum):
    LOW_RATING = "low_rating"
    COMPLAINT_OVERDUE = "complaint_overdue"
    # The manager's pages add: a wait past its target, a printer in trouble, a counter
    # closed while its queue grows.


class Alert:
    """Something a manager must act on, kept until handled."""

    def __init__(self, office_id: int, kind: AlertKind, raised_at: datetime, data: dict,
                 ticket_id: int | None = None, service_id: int | None = None,
                 counter_id: int | None = None):
        self.office_id = office_id
        self.kind = kind
        self.raised_at = raised_at
        self.data = data
        self.ticket_id = ticket_id
        self.service_id = service_id
        self.counter_id = counter_id
        self.handled_at: datetime | None = None
        self.handled_by: int | None = None
        self.action: str | None = None

    @classmethod
    def low_rating(cls, rating: Rating, ticket: Ticket) -> Alert:
        """A low score: with the visit's number, who served and where (the comment stays on
        the rating, shown to managers only)."""
        return cls(rating.office_id, AlertKind.LOW_RATING, rating.created_at,
                   {"score": rating.score, "number": ticket.label, "clerk_id": rating.clerk_id,
                    "source": rating.source.value},
                   ticket_id=ticket.id, service_id=rating.service_id, counter_id=rating.counter_id)

    @classmethod
    def complaint_overdue(cls, complaint, now: datetime) -> Alert:
        """A complaint past its due date and not concluded: its code, category and due date
        (no text, no contact: the register has them for those who may see them)."""
        return cls(complaint.office_id, AlertKind.COMPLAINT_OVERDUE, now,
                   {"complaint_id": complaint.id, "code": complaint.code,
                    "category": complaint.category, "due_on": complaint.due_on.isoformat(),
                    "status": complaint.status.value, "assignee_id": complaint.assignee_id,
                    "agency": complaint.agency})

    def handle(self, action: str, by_user_id: int, now: datetime) -> None:
        action = (action or "").strip()
        if not action:
            raise DomainError("Say what was done about it: the action is the evidence.")
        if self.handled_at is not None:
            raise Conflict("This alert was handled already.")
        self.action = action
        self.handled_by = by_user_id
        self.handled_at = now

    @property
    def open(self) -> bool:
        return self.handled_at is None
