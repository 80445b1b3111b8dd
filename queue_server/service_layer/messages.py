"""Live messages, in one place: the rooms they go to, and what each change becomes.

A use case records what it changed in its unit of work (`uow.changes`: tickets, calls,
services, counters); `collect` turns that into messages once, just before the commit, and the
unit of work hands them to the notifier after it. Messages that are not about the queue's
state (a notice, a print job, a printer's report) are built here too, by name.

Rooms (contract: ../shared/CONTRACT.md, "Live events"): the constructors below are the only
place their names are spelled, for publishers and for the join check of live/sockets.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Message:
    """A live event for one Socket.IO room."""

    event: str
    payload: dict
    room: str


# --- rooms ---------------------------------------------------------------------------------

class Rooms:
    """Room names. The lobby's and the managers' rooms are per office (`display:<office>`,
    `managers:<office>`); a client that joins plain `display` is put in its office's room
    (live/sockets.py: the office of its page, else the server's first), and `managers` in the
    room of the manager's own office."""

    DISPLAY = "display"     # the lobby TV: calls, queues, counters, the notice
    MANAGERS = "managers"   # the manager's page: alerts, printers in trouble (staff only)

    @staticmethod
    def display(office_id: int) -> str:
        return f"display:{office_id}"

    @staticmethod
    def managers(office_id: int) -> str:
        return f"managers:{office_id}"

    @staticmethod
    def counter(counter_id: int) -> str:
        return f"counter:{counter_id}"

    @staticmethod
    def ticket(token: str) -> str:
        return f"ticket:{token}"

    @staticmethod
    def complaint(code: str) -> str:
        """A complaint's tracking page: its public steps (whoever holds the code)."""
        return f"complaint:{code}"

    @staticmethod
    def kiosk(kiosk_id: str | None) -> str:
        """A kiosk page: its printer's state ("kiosk:local" is the server's own printer)."""
        return f"kiosk:{kiosk_id or 'local'}"

    @staticmethod
    def printer(kiosk_id: str | None) -> str:
        """A print agent ("printer:local" is the server's in-process agent). Never joined by
        browsers: agents are subscribed by live/print_agents.py after their token is checked."""
        return f"printer:{kiosk_id or 'local'}"


@dataclass(frozen=True)
class RoomName:
    kind: str        # display, managers, counter, ticket, kiosk, complaint
    key: str | None  # the counter id, ticket token, kiosk id or complaint code


# What a browser may ask to join; each kind with the shape of its key and who may join it.
_JOINABLE = re.compile(
    r"^(?:(?P<plain>display|managers)|display:(?P<office>\d{1,9})|counter:(?P<counter>\d{1,9})"
    r"|ticket:(?P<ticket>[A-Za-z0-9_-]{1,64})|kiosk:(?P<kiosk>[A-Za-z0-9_.-]{1,64})"
    r"|complaint:(?P<complaint>[A-Z0-9]{10}))$")
STAFF_ONLY_ROOMS = {"managers"}


def parse_room(room: object) -> RoomName | None:
    """The room a client asks to join, or None when no such room can exist."""
    if not isinstance(room, str):
        return None
    match = _JOINABLE.match(room)
    if match is None:
        return None
    if match["plain"]:
        return RoomName(match["plain"], None)
    if match["office"]:
        return RoomName("display", match["office"])
    kind = next(k for k in ("counter", "ticket", "kiosk", "complaint") if match[k])
    return RoomName(kind, match[kind])


# --- what the use cases record ----------------------------------------------------------------

@dataclass
class Call:
    ticket: object   # Ticket
    counter: object  # Counter
    recall: bool
    at: datetime


@dataclass
class Changes:
    """What a unit of work changed that screens show; turned into messages by `collect`."""

    tickets: dict = field(default_factory=dict)   # id -> Ticket: `ticket_updated`
    calls: list[Call] = field(default_factory=list)  # `ticket_called`
    services: dict = field(default_factory=dict)  # id -> Service: `queue_changed`
    counters: set = field(default_factory=set)    # ids: `counter_updated`
    # Queue figures the use case has counted already (issuing counts its queue anyway).
    queue_stats: dict = field(default_factory=dict)

    def ticket(self, ticket) -> None:
        """A ticket changed: its holder's page, and the counters it was or is at."""
        self.tickets[ticket.id] = ticket
        self.counters |= {e.counter_id for e in ticket.events if e.counter_id}
        if ticket.counter_id:
            self.counters.add(ticket.counter_id)

    def queue(self, *services) -> None:
        for service in services:
            if service is not None:
                self.services[service.id] = service


def collect(changes: Changes, views, now: datetime) -> list[Message]:
    """The messages of a unit of work's changes, in the order screens want them: the call
    first (the lobby speaks it), then the tickets, the queues and the counters.

    `views` builds the read models (service_layer/views.py `Views`); each ticket's view is
    built once and shared by its own message, its counter's and the use case's answer.
    """
    messages = []
    for call in changes.calls:
        body = call_view(call.ticket, call.counter, call.recall, call.at)
        for room in (Rooms.display(call.counter.office_id), Rooms.counter(call.counter.id),
                     Rooms.ticket(call.ticket.token)):
            messages.append(Message("ticket_called", body, room))
    for ticket in changes.tickets.values():
        messages.append(Message("ticket_updated", views.holder_ticket(ticket),
                                Rooms.ticket(ticket.token)))
        if ticket.status.value == "finished" and ticket.counter_id:
            # Finished in this unit of work (a finished ticket changes no more): the rating
            # tablet of its counter offers the rating now.
            messages.append(Message("ticket_finished", finished_body(ticket),
                                    Rooms.counter(ticket.counter_id)))
    if changes.services:
        services = list(changes.services.values())
        stats = {**views.queue_stats(services, now), **changes.queue_stats}
        for service in services:
            body = queue_body(service, stats[service.id], views.office_open(now))
            messages.append(Message("queue_changed", body, Rooms.display(service.office_id)))
            for counter_id in views.counter_ids_serving(service.id):
                messages.append(Message("queue_changed", body, Rooms.counter(counter_id)))
    for counter_id in sorted(changes.counters):
        counter = views.counter_by_id(counter_id)
        body = views.counter(counter, public=True)
        messages.append(Message("counter_updated", body, Rooms.counter(counter_id)))
        messages.append(Message("counter_updated", body, Rooms.display(counter.office_id)))
    return messages


# --- bodies ---------------------------------------------------------------------------------

def iso(when: datetime | None) -> str | None:
    """UTC instant as ISO 8601 with a Z; pages show it in the office's zone."""
    return None if when is None else when.isoformat().replace("+00:00", "Z")


def call_view(ticket, counter, recall: bool, at: datetime) -> dict:
    """The `ticket_called` event body."""
    return {
        "ticket_id": ticket.id, "number": ticket.label, "counter_id": counter.id,
        "counter_name": counter.name, "counter_number": counter.number,
        "service_id": ticket.service_id, "called_at": iso(at), "recall": recall,
    }


def queue_body(service, stats, office_open: bool) -> dict:
    """The `queue_changed` event body."""
    return {"service_id": service.id, "waiting": stats.waiting,
            "eta_minutes": stats.eta(stats.waiting), "counters_open": stats.counters_open,
            "open": bool(service.active and office_open),
            "active": service.active}  # false: the manager stopped it (kiosks say "today")


def finished_body(ticket) -> dict:
    """`ticket_finished` on the counter's (public) room: no token, no note."""
    return {"ticket_id": ticket.id, "number": ticket.label, "counter_id": ticket.counter_id,
            "service_id": ticket.service_id, "finished_at": iso(ticket.finished_at)}


def ticket_rated(ticket) -> list[Message]:
    """The visit has its rating: the phone thanks the citizen, the tablet goes back to idle."""
    body = {"ticket_id": ticket.id, "number": ticket.label, "rated": True}
    rooms = [Rooms.ticket(ticket.token)] + ([Rooms.counter(ticket.counter_id)] if ticket.counter_id else [])
    return [Message("ticket_rated", body, room) for room in rooms]


def alert_raised(alert_view: dict) -> Message:
    return Message("alert_raised", alert_view, Rooms.managers(alert_view["office_id"]))


def alert_handled(alert_view: dict) -> Message:
    return Message("alert_handled", alert_view, Rooms.managers(alert_view["office_id"]))


def complaint_updated(public_view: dict) -> Message:
    """A complaint's public view (no staff names, no contact, no internal note) to its
    tracking page."""
    return Message("complaint_updated", public_view, Rooms.complaint(public_view["code"]))


def notice_changed(text: str, office_id: int) -> Message:
    return Message("notice_changed", {"text": text}, Rooms.display(office_id))


def office_changed(office_id: int, what: str, counter_ids=()) -> list[Message]:
    """The office's set-up changed (admin pages): the kiosks and the lobby of the office (its
    display room) and its counters' screens and consoles read it afresh."""
    body = {"office_id": office_id, "what": what}
    return [Message("office_changed", body, Rooms.display(office_id))] + [
        Message("office_changed", body, Rooms.counter(c)) for c in counter_ids]


def print_job(job) -> Message:
    """The `print_job` event to the kiosk's agent: what to print and the id to acknowledge."""
    return Message("print_job", print_job_body(job), Rooms.printer(job.kiosk_id))


def print_job_body(job) -> dict:
    return {"job_id": job.id, "kiosk_id": job.kiosk_id, "reason": job.reason,
            "attempt": job.attempts, **job.payload}


def printer_status(state, office_id: int | None) -> list[Message]:
    """A printer's report, to its kiosk's page and to the managers of its office."""
    body = state.to_json()
    return [Message("printer_status", body, Rooms.kiosk(state.kiosk_id))] + (
        [Message("printer_status", body, Rooms.managers(office_id))] if office_id else [])


def error_body(code: str, message: str, **extra) -> dict:
    """One error shape for HTTP answers, Socket.IO handlers and the print agents' channel."""
    return {"error": {"code": code, "message": message, **extra}}


def refusal(code: str, message: str) -> dict:
    """A Socket.IO handler's acknowledgement of a refused request."""
    return {"ok": False, **error_body(code, message)}
