"""Read models: the JSON shapes the API answers with and the live events carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..adapters.repository import Repository
from ..domain.eta import estimate_wait_minutes
from ..domain.model import Counter, Office, Service, Ticket, TicketStatus


def iso(when: datetime | None) -> str | None:
    """UTC instant as ISO 8601 with a Z; pages show it in the office's zone."""
    return None if when is None else when.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class QueueStats:
    """What the wait estimate of one service rests on."""

    waiting: int
    service_minutes: float
    counters_open: int

    def eta(self, ahead: int) -> int | None:
        return estimate_wait_minutes(ahead, self.service_minutes, self.counters_open)


def queue_stats(repo: Repository, catalog, services: list[Service], day: date,
                now: datetime) -> dict[int, QueueStats]:
    """Waiting counts from the database; open counters and typical times from the catalog."""
    ids = [s.id for s in services]
    waiting = repo.waiting_counts(ids, day)
    open_counts = catalog.open_counter_counts(repo, ids)
    return {s.id: QueueStats(
        waiting=waiting.get(s.id, 0),
        service_minutes=catalog.service_minutes(repo, s, now),
        counters_open=open_counts.get(s.id, 0)) for s in services}


def one_queue_stats(repo: Repository, catalog, service: Service, waiting: int,
                    now: datetime) -> dict[int, QueueStats]:
    """`queue_stats` of one service whose waiting count the caller has already counted."""
    return {service.id: QueueStats(
        waiting=waiting, service_minutes=catalog.service_minutes(repo, service, now),
        counters_open=catalog.open_counter_counts(repo, [service.id]).get(service.id, 0))}


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
        "note": ticket.note,
        "status_url": f"{public_url.rstrip('/')}/t/{ticket.token}",
    }


def public_ticket(view: dict) -> dict:
    """A ticket as anyone in the lobby may see it: no token (it cancels), no triage note."""
    return {k: v for k, v in view.items() if k not in ("token", "status_url", "note")}


def call_view(ticket: Ticket, counter: Counter, recall: bool, at: datetime) -> dict:
    """The `ticket_called` event body."""
    return {
        "ticket_id": ticket.id, "number": ticket.label, "counter_id": counter.id,
        "counter_name": counter.name, "counter_number": counter.number,
        "service_id": ticket.service_id, "called_at": iso(at), "recall": recall,
    }
