"""Alerts: what a manager must act on, kept until handled, with the action taken recorded
(who, when, what: GECC 2.16 asks for the action, not only the alert)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from .errors import Conflict, DomainError
from .model import Ticket
from .rating import Rating


class AlertKind(str, enum.Enum):
    LOW_RATING = "low_rating"
    COMPLAINT_OVERDUE = "complaint_overdue"  # a complaint past its due date, not concluded
    LONG_WAIT = "long_wait"              # a ticket waiting past its service's target wait
    PRINTER_TROUBLE = "printer_trouble"  # a ticket printer offline, out of or low on paper
    COUNTER_CLOSED = "counter_closed"    # a counter closed while its queue grows


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

    @classmethod
    def long_wait(cls, office_id: int, service, waiting: WaitingQueue, now: datetime) -> Alert:
        """The service's longest waiting ticket has waited past the service's target."""
        return cls(office_id, AlertKind.LONG_WAIT, now,
                   {"number": waiting.oldest_label, "code": service.code,
                    "waited_minutes": round(waiting.oldest_wait_minutes(now), 1),
                    "target_minutes": service.target_wait_minutes, "waiting": waiting.count},
                   ticket_id=waiting.oldest_ticket_id, service_id=service.id)

    @classmethod
    def printer_trouble(cls, office_id: int, state, now: datetime) -> Alert:
        """A kiosk's printer cannot print (offline, out of paper, cover open) or runs low."""
        return cls(office_id, AlertKind.PRINTER_TROUBLE, now,
                   {"kiosk_id": state.kiosk_id or "", "online": state.online,
                    "paper": state.paper, "cover_open": state.cover_open,
                    "detail": state.detail})

    @classmethod
    def counter_closed(cls, office_id: int, counter, closing: CounterClosing, service,
                       waiting_now: int, now: datetime) -> Alert:
        """The counter was closed and its main service's queue has grown since."""
        return cls(office_id, AlertKind.COUNTER_CLOSED, now,
                   {"counter_name": counter.name, "code": service.code,
                    "closed_at": closing.at.isoformat().replace("+00:00", "Z"),
                    "waiting_at_close": closing.waiting.get(service.id, 0),
                    "waiting": waiting_now},
                   service_id=service.id, counter_id=counter.id)

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


# --- what raises them -------------------------------------------------------------------------

@dataclass(frozen=True)
class AlertRules:
    """When the office's state deserves a manager's action (GECC 2.16: a monitoring system
    with quick action)."""

    # A counter closed (today) while its main service's waiting count has grown by this many
    # since the closing: someone should open it again or move a clerk.
    counter_closed_growth: int = 5
    # A printer with paper "low" is trouble too: the roll must be changed before it runs out.
    paper_low_is_trouble: bool = True

    def printer_in_trouble(self, state) -> bool:
        return (not state.usable) or (self.paper_low_is_trouble and state.paper == "low")


@dataclass(frozen=True)
class WaitingQueue:
    """A service's queue now: how many wait, and its longest-waiting ticket."""

    service_id: int
    count: int
    oldest_ticket_id: int | None
    oldest_label: str | None
    oldest_issued_at: datetime | None

    def oldest_wait_minutes(self, now: datetime) -> float:
        if self.oldest_issued_at is None:
            return 0.0
        return (now - self.oldest_issued_at).total_seconds() / 60


@dataclass(frozen=True)
class CounterClosing:
    """When a counter was last closed and the waiting counts of its services then."""

    counter_id: int
    at: datetime
    waiting: dict  # service id -> waiting count at the closing


def long_waits(services: list, queues: dict[int, WaitingQueue], known: list[Alert],
               office_id: int, now: datetime) -> list[Alert]:
    """A new alert for each service whose longest waiting ticket is past the service's target,
    unless one is open for that service already (one alert a queue until it is handled) or
    that ticket has had its alert (`known`: the open alerts and those raised today)."""
    waits = [a for a in known if a.kind == AlertKind.LONG_WAIT]
    open_for = {a.service_id for a in waits if a.open}
    alerted = {a.ticket_id for a in waits}
    raised = []
    for service in services:
        queue = queues.get(service.id)
        if queue is None or not queue.count or service.id in open_for \
                or queue.oldest_ticket_id in alerted:
            continue
        if queue.oldest_wait_minutes(now) > service.target_wait_minutes:
            raised.append(Alert.long_wait(office_id, service, queue, now))
    return raised


def closed_counters_with_growing_queues(office, counters: list,
                                        closings: dict[int, CounterClosing], services: dict,
                                        waiting: dict[int, int], known: list[Alert],
                                        rules: AlertRules, now: datetime) -> list[Alert]:
    """A new alert for each counter closed today whose main service's waiting count has grown
    by `rules.counter_closed_growth` since it closed; once a closing (`known`: the open
    alerts and those raised today)."""
    closed = [a for a in known if a.kind == AlertKind.COUNTER_CLOSED]
    raised_for = {(a.counter_id, a.data.get("closed_at")) for a in closed}
    raised_for |= {a.counter_id for a in closed if a.open}
    alerts = []
    for counter in counters:
        closing = closings.get(counter.id)
        if counter.is_open or closing is None or office.service_day(closing.at) != office.service_day(now):
            continue
        ranks = counter.service_ranks()
        if not ranks:
            continue
        main = min(ranks, key=ranks.get)
        service = services.get(main)
        if service is None:
            continue
        stamp = closing.at.isoformat().replace("+00:00", "Z")
        if counter.id in raised_for or (counter.id, stamp) in raised_for:
            continue
        now_waiting = waiting.get(main, 0)
        if now_waiting - closing.waiting.get(main, 0) >= rules.counter_closed_growth:
            alerts.append(Alert.counter_closed(office.id, counter, closing, service,
                                               now_waiting, now))
    return alerts
