"""Read models: the JSON shapes the API answers with and the live events carry, and `Views`,
which builds them inside one unit of work (each ticket's view once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..domain.errors import NotFound
from ..domain.eta import estimate_wait_minutes
from ..domain.model import Counter, Office, Service, Ticket, TicketStatus
from .messages import call_view, iso  # noqa: F401 - call_view: the snapshot's recent calls


@dataclass(frozen=True)
class QueueStats:
    """What the wait estimate of one service rests on."""

    waiting: int
    service_minutes: float
    counters_open: int

    def eta(self, ahead: int) -> int | None:
        return estimate_wait_minutes(ahead, self.service_minutes, self.counters_open)


class Views:
    """The read models of one unit of work, on its repositories and the catalog's copies.

    A ticket's view is built once and kept for the rest of the unit of work, so the answer,
    its `ticket_updated` and its counter's `counter_updated` share it: build views after the
    changes, as `messages.collect` does.
    """

    def __init__(self, uow, catalog, public_url: str, clock, office_id: int | None = None):
        self.uow = uow
        self.catalog = catalog
        self.public_url = public_url
        self.clock = clock
        self._office_id = office_id
        self._tickets: dict[int, dict] = {}

    def office(self, office_id: int | None = None) -> Office:
        office = self.catalog.office(self.uow.offices, office_id or self._office_id)
        if office is None:
            raise NotFound("No office is set up; run `gecc-queue demo` or create one.")
        self._office_id = office.id
        return office

    def office_open(self, now: datetime) -> bool:
        return self.office().is_open_at(now)

    def service(self, service_id: int) -> Service | None:
        return self.catalog.service(self.uow.offices, service_id)

    def counter_by_id(self, counter_id: int) -> Counter | None:
        return self.uow.offices.counter(counter_id)

    def counter_ids_serving(self, service_id: int) -> list[int]:
        return self.catalog.counter_ids_serving(self.uow.offices, service_id)

    def queue_stats(self, services: list[Service], now: datetime) -> dict[int, QueueStats]:
        """Waiting counts from the database; open counters and typical times from the catalog."""
        ids = [s.id for s in services]
        day = self.office().service_day(now)
        waiting = self.uow.tickets.waiting_counts(ids, day)
        open_counts = self.catalog.open_counter_counts(self.uow.offices, ids)
        return {s.id: QueueStats(
            waiting=waiting.get(s.id, 0),
            service_minutes=self.catalog.service_minutes(self.uow.tickets, s, now),
            counters_open=open_counts.get(s.id, 0)) for s in services}

    def one_queue_stats(self, service: Service, waiting: int, now: datetime) -> QueueStats:
        """The figures of one service whose waiting count the caller has already counted."""
        return QueueStats(
            waiting=waiting, service_minutes=self.catalog.service_minutes(self.uow.tickets, service, now),
            counters_open=self.catalog.open_counter_counts(self.uow.offices, [service.id]).get(service.id, 0))

    def service_view(self, service: Service, now: datetime, stats: QueueStats | None = None) -> dict:
        stats = stats or self.queue_stats([service], now)[service.id]
        return service_view(service, stats, self.office(service.office_id), now)

    def ticket(self, ticket: Ticket, now: datetime | None = None, stats: QueueStats | None = None,
               ahead: int | None = None) -> dict:
        """The ticket as its holder and staff see it; people ahead and the wait while it waits."""
        if ticket.id in self._tickets:
            return self._tickets[ticket.id]
        service = self.service(ticket.service_id)
        counter = self.uow.offices.counter(ticket.counter_id) if ticket.counter_id else None
        eta = None
        if ticket.status == TicketStatus.WAITING:
            now = now or self.clock()
            if ahead is None:
                ahead = self.uow.tickets.ahead_of(ticket)
            if stats is None:
                stats = self.queue_stats([service], now)[service.id]
            eta = stats.eta(ahead)
        view = ticket_view(ticket, service, counter, ahead, eta, self.public_url)
        office = self.office(ticket.office_id)
        # The citizen's phone names the office it is about (a link opened days later).
        view["office_name"], view["office_name_en"] = office.name, office.name_en or None
        self._tickets[ticket.id] = view
        return view

    def holder_ticket(self, ticket: Ticket) -> dict:
        """The ticket as its holder sees it (status page, ticket room): no triage note."""
        return holder_ticket(self.ticket(ticket))

    def counter(self, counter: Counter, public: bool = False) -> dict:
        """One counter with its current ticket (`public`: without token and triage note)."""
        current = self.uow.tickets.ticket_at_counter(counter.id)
        ticket = None
        if current is not None:
            ticket = self.ticket(current)
            if public:
                ticket = public_ticket(ticket)
        held = [{"id": t.id, "number": t.label, "service_id": t.service_id}
                for t in self.uow.tickets.held_at_counter(counter.id)]
        return {**counter_brief(counter), "office_id": counter.office_id,
                "is_open": counter.is_open,
                "service_ids": [link.service_id for link in counter.service_links],
                "current": ticket, "held": held}


def service_view(service: Service, stats: QueueStats, office: Office, now: datetime) -> dict:
    return {
        "id": service.id, "code": service.code,
        "name_th": service.name_th, "name_en": service.name_en,
        "waiting": stats.waiting, "eta_minutes": stats.eta(stats.waiting),
        "open": bool(service.active and office.is_open_at(now)),  # takes a ticket now
        "active": service.active,  # the manager's switch; `open` also needs office hours
        "counters_open": stats.counters_open,
        "standard_minutes": service.standard_minutes,
        "target_wait_minutes": service.target_wait_minutes,
    }


def counter_brief(counter: Counter | None) -> dict | None:
    if counter is None:
        return None
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def ticket_view(ticket: Ticket, service: Service, counter: Counter | None, ahead: int | None,
                eta_minutes: int | None, public_url: str) -> dict:
    """The ticket as its holder and the API see it."""
    waiting = ticket.status == TicketStatus.WAITING
    return {
        "id": ticket.id, "number": ticket.label, "token": ticket.token,
        "service_id": ticket.service_id, "service_code": service.code,
        "service_name_th": service.name_th, "service_name_en": service.name_en,
        "status": ticket.status.value, "priority": ticket.priority.value,
        "channel": ticket.channel.value,
        "ahead": ahead if waiting else 0,
        "eta_minutes": eta_minutes if waiting else (0 if not ticket.status.is_final else None),
        "issued_at": iso(ticket.issued_at), "called_at": iso(ticket.called_at),
        "started_at": iso(ticket.started_at), "finished_at": iso(ticket.finished_at),
        "counter": counter_brief(counter)
        if ticket.status.at_counter or ticket.status == TicketStatus.HELD else None,
        "recall_count": ticket.recall_count, "transfer_count": ticket.transfer_count,
        # closed by Next (or another call) before service started: the phone says "closed",
        # not "served" (None: not finished, or finished before this was recorded)
        "finished_unstarted": ticket.finished_unstarted
        if ticket.status == TicketStatus.FINISHED else None,
        "note": ticket.note,
        "status_url": f"{public_url.rstrip('/')}/t/{ticket.token}",
    }


def holder_ticket(view: dict) -> dict:
    """A ticket as its holder sees it (the token's status page and room): no triage note,
    which is the reception desk's word to the clerk."""
    return {k: v for k, v in view.items() if k != "note"}


def public_ticket(view: dict) -> dict:
    """A ticket as anyone in the lobby may see it: no token (it cancels), no triage note."""
    return {k: v for k, v in view.items() if k not in ("token", "status_url", "note")}

