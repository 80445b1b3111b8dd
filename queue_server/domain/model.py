"""The queue's domain: offices, services, counters, tickets and their event record.

Plain Python, no framework. The persistence layer maps these classes onto tables
(imperative mapping), so the rules below are the only place the rules live.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .errors import InvalidTransition
from .hours import OpeningHours
from .policy import CallingPolicy


class TicketStatus(str, enum.Enum):
    """Where a ticket is in its life."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"  # set aside at its counter (the citizen went to fetch a document); not queued
    FINISHED = "finished"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (TicketStatus.FINISHED, TicketStatus.NO_SHOW, TicketStatus.CANCELLED)

    @property
    def at_counter(self) -> bool:
        return self in (TicketStatus.CALLED, TicketStatus.SERVING)


class Priority(str, enum.Enum):
    """Priority class chosen at issue; everything but NORMAL goes ahead (see policy.py)."""

    NORMAL = "normal"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    MONK = "monk"


class Channel(str, enum.Enum):
    """How the ticket came to be: the GECC channel mix is counted from this."""

    KIOSK = "kiosk"
    RECEPTION = "reception"
    ONLINE = "online"


class Role(str, enum.Enum):
    """Staff roles; each permission lists the roles that have it (web/auth.py)."""

    STAFF = "staff"
    RECEPTION = "reception"
    MANAGER = "manager"
    ADMIN = "admin"
    SUPERADMIN = "superadmin"  # an administrator who may also add offices to the server
    DEVICE = "device"  # a kiosk's print agent: account `kiosk:<id>`, token only, no log-in


def device_username(kiosk_id: str) -> str:
    return f"kiosk:{kiosk_id}"


class EventKind(str, enum.Enum):
    """Every state change a ticket can go through; the evidence engine reads these."""

    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    REQUEUED = "requeued"
    TRANSFERRED = "transferred"
    HELD = "held"
    RESUMED = "resumed"
    CANCELLED = "cancelled"


class OfficeEventKind(str, enum.Enum):
    """The changes to how the office serves, recorded like a ticket's: which counters were
    open when (staffing against demand, GECC 3.1), which services took tickets, the notices."""

    COUNTER_OPENED = "counter_opened"
    COUNTER_CLOSED = "counter_closed"
    COUNTER_SERVICES_SET = "counter_services_set"
    SERVICE_OPENED = "service_opened"
    SERVICE_CLOSED = "service_closed"
    NOTICE_SET = "notice_set"
    # The office's set-up, changed on the admin pages (service_layer/admin.py): the record
    # says who changed what and when, with the values before and after in `data`.
    OFFICE_CREATED = "office_created"
    OFFICE_UPDATED = "office_updated"
    HOURS_SET = "hours_set"
    SERVICE_ADDED = "service_added"
    SERVICE_UPDATED = "service_updated"
    SERVICE_DELETED = "service_deleted"
    COUNTER_ADDED = "counter_added"
    COUNTER_UPDATED = "counter_updated"
    COUNTER_REMOVED = "counter_removed"
    USER_ADDED = "user_added"
    USER_UPDATED = "user_updated"
    PASSWORD_RESET = "password_reset"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    DEVICE_PAIRED = "device_paired"
    DEVICE_UPDATED = "device_updated"
    DEVICE_REVOKED = "device_revoked"
    CONFIG_IMPORTED = "config_imported"


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a clerk (`user`), a `kiosk`, the `citizen` or the `system`."""

    kind: str
    id: str | None = None

    @classmethod
    def user(cls, user_id: int) -> Actor:
        return cls("user", str(user_id))

    @classmethod
    def system(cls) -> Actor:
        return cls("system")


def format_ticket_number(code: str, number: int) -> str:
    """`A` and 7 give `A007`: the form printed, shown and spoken."""
    return f"{code}{number:03d}"


class Office:
    """A service centre. Branches are rows, not forks: everything hangs off an office."""

    def __init__(self, name: str, timezone: str = "Asia/Bangkok", name_en: str = "",
                 opening_hours: list | None = None, enforce_hours: bool = False,
                 notice: str = "", rating_dimensions: list | None = None,
                 complaint_categories: list | None = None, complaint_due_days: int = 15,
                 address: str = "", help_contact: str = "", holidays: list | None = None):
        self.name = name
        # What citizens are shown besides the name: where the office is and whom to ask.
        self.address = address
        self.help_contact = help_contact
        # Days the office is closed whatever its hours say: [{"date": "YYYY-MM-DD", "name"}].
        self.holidays = holidays or []
        self.logo = None       # PNG or JPEG bytes, for tickets and the lobby (None: no logo)
        self.logo_type = None
        # The complaint register's categories ([]: the defaults) and days to the due date
        # (domain/complaint.py reads them).
        self.complaint_categories = complaint_categories or []
        self.complaint_due_days = complaint_due_days
        self.notice = notice  # the lobby display's scrolling notice strip
        # What the rating asks besides the overall score: [{key, name_th, name_en}]
        # (domain/rating.py reads it).
        self.rating_dimensions = rating_dimensions or []
        self.name_en = name_en
        self.timezone = timezone
        self.opening_hours = opening_hours if opening_hours is not None else OpeningHours.default().to_json()
        self.enforce_hours = enforce_hours

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, when: datetime) -> datetime:
        """A UTC instant in the office's own time."""
        return when.astimezone(self.zone)

    def day_bounds(self, first: date, last: date | None = None) -> tuple[datetime, datetime]:
        """The UTC instants where the local day `first` begins and the day after `last`
        (default: `first`) begins."""
        last = last or first
        start = datetime.combine(first, time(0), tzinfo=self.zone)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=self.zone)
        return start.astimezone(timezone.utc), end.astimezone(timezone.utc)

    def service_day(self, when: datetime) -> date:
        """The local calendar day a ticket belongs to: numbers restart when it changes."""
        return self.local(when).date()

    def hours(self) -> OpeningHours:
        return OpeningHours.from_json(self.opening_hours)

    def is_holiday(self, day: date) -> bool:
        return day.isoformat() in {h.get("date") for h in self.holidays or []}

    def is_open_at(self, when: datetime) -> bool:
        if not self.enforce_hours:
            return True
        local = self.local(when)
        return not self.is_holiday(local.date()) and self.hours().is_open(local)


class Service:
    """A kind of service with its own queue and number sequence (`A001`, `A002`, ...)."""

    def __init__(self, office_id: int, code: str, name_th: str, name_en: str,
                 standard_minutes: float = 10.0, target_wait_minutes: float = 20.0,
                 active: bool = True, sort_order: int = 0):
        self.office_id = office_id
        self.code = code
        self.name_th = name_th
        self.name_en = name_en
        self.standard_minutes = standard_minutes
        self.target_wait_minutes = target_wait_minutes
        self.active = active
        self.sort_order = sort_order


class Counter:
    """A service point. It serves services in order of preference (rank 0 first)."""

    def __init__(self, office_id: int, number: int, name: str, is_open: bool = False,
                 active: bool = True):
        self.office_id = office_id
        self.number = number
        self.name = name
        self.is_open = is_open
        # False: removed by the office (its history stays, it is shown nowhere).
        self.active = active

    def service_ranks(self) -> dict[int, int]:
        """service id -> preference rank (0 is the counter's main service)."""
        return {link.service_id: link.rank for link in self.service_links}


class CounterService:
    """A counter serves a service, at a rank of preference."""

    def __init__(self, service_id: int, rank: int):
        self.service_id = service_id
        self.rank = rank


class User:
    """A member of staff who logs in. The password hash is made by the auth layer."""

    def __init__(self, office_id: int, username: str, display_name: str, role: Role,
                 password_hash: str, active: bool = True):
        self.office_id = office_id
        self.username = username
        self.display_name = display_name
        self.role = role
        self.password_hash = password_hash
        self.active = active
        self.session_version = 0
        self.default_counter_id = None  # the counter the clerk's console opens on

    def end_sessions(self) -> None:
        """Every log-in session given so far stops working (log-out, a password change)."""
        self.session_version += 1


class ApiToken:
    """A bearer token for API use; only its SHA-256 is kept. It works until `expires_at`
    (none: until revoked) and not after it is revoked."""

    def __init__(self, user_id: int, token_hash: str, label: str, created_at: datetime,
                 expires_at: datetime | None = None):
        self.user_id = user_id
        self.token_hash = token_hash
        self.label = label
        self.created_at = created_at
        self.expires_at = expires_at
        self.revoked_at = None

    def valid_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now


class RecordedEvent:
    """One row of an append-only record: what happened (`kind`), when (`at`, UTC), who (the
    actor, kept as `actor_kind` and `actor_id`) and its `data`. Each record's subclass adds
    where it happened; the adapters map each onto its own table."""

    def __init__(self, kind: enum.Enum, at: datetime, actor: Actor, data: dict | None = None):
        self.kind = kind
        self.at = at
        self.actor_kind = actor.kind
        self.actor_id = actor.id
        self.data = data or {}


class TicketEvent(RecordedEvent):
    """One row of the ticket's append-only record: what happened, when (UTC), who, where."""

    def __init__(self, ticket: Ticket, kind: EventKind, at: datetime, actor: Actor,
                 office_id: int, service_id: int, counter_id: int | None = None,
                 data: dict | None = None):
        super().__init__(kind, at, actor, data)
        self.ticket = ticket
        self.office_id = office_id
        self.service_id = service_id
        self.counter_id = counter_id


class OfficeEvent(RecordedEvent):
    """One row of the office's append-only record: a counter opened or closed, a service
    stopped or resumed, the services of a counter or the lobby's notice set."""

    def __init__(self, office_id: int, kind: OfficeEventKind, at: datetime, actor: Actor,
                 counter_id: int | None = None, service_id: int | None = None,
                 data: dict | None = None):
        super().__init__(kind, at, actor, data)
        self.office_id = office_id
        self.counter_id = counter_id
        self.service_id = service_id


class Ticket:
    """A citizen's place in a queue, and the history of everything that happened to it."""

    def __init__(self, office_id: int, service_id: int, number: int, label: str,
                 service_day: date, priority: Priority, channel: Channel, issued_at: datetime,
                 token: str | None = None, kiosk_id: str | None = None, note: str | None = None,
                 appointment_at: datetime | None = None):
        self.office_id = office_id
        self.service_id = service_id
        self.issued_service_id = service_id
        self.number = number
        self.label = label
        self.service_day = service_day
        self.priority = priority
        self.channel = channel
        self.status = TicketStatus.WAITING
        self.token = token or secrets.token_urlsafe(16)
        self.kiosk_id = kiosk_id
        self.note = note
        self.appointment_at = appointment_at
        self.issued_at = issued_at
        self.queued_at = issued_at
        self.queue_key = issued_at
        self.called_at = None        # the latest call
        self.first_called_at = None  # the end of the wait the evidence measures
        self.started_at = None
        self.finished_at = None
        # True when the finish was automatic (the clerk pressed Next, or called another ticket)
        # and service had not been started: called, never served, then closed. None until
        # finished, and on tickets finished before it was recorded.
        self.finished_unstarted = None
        self.counter_id = None
        self.served_by = None
        self.recall_count = 0
        self.no_show_count = 0
        self.transfer_count = 0

    @classmethod
    def issue(cls, *, office: Office, service: Service, number: int, priority: Priority,
              channel: Channel, now: datetime, actor: Actor, policy: CallingPolicy,
              kiosk_id: str | None = None, note: str | None = None,
              appointment_at: datetime | None = None) -> Ticket:
        """A new ticket with its `issued` event; the number comes from the day's sequence.
        `appointment_at` (a booking's slot) gives it the policy's appointment head start."""
        ticket = cls(office_id=office.id, service_id=service.id, number=number,
                     label=format_ticket_number(service.code, number),
                     service_day=office.service_day(now), priority=priority, channel=channel,
                     issued_at=now, kiosk_id=kiosk_id, note=note, appointment_at=appointment_at)
        ticket._join_queue(now, policy)
        data = {"priority": priority.value, "channel": channel.value, "number": ticket.label,
                "kiosk_id": kiosk_id}
        if appointment_at is not None:
            data["appointment_at"] = appointment_at.isoformat().replace("+00:00", "Z")
        ticket._record(EventKind.ISSUED, now, actor, data=data)
        return ticket

    # --- transitions -------------------------------------------------------------------

    def call(self, counter_id: int, now: datetime, actor: Actor, reason: str | None = None) -> None:
        """A counter calls this ticket. `reason` says why it went out of FIFO order, if it did."""
        self._require({TicketStatus.WAITING}, "called")
        self.status = TicketStatus.CALLED
        self.counter_id = counter_id
        self.called_at = now
        if self.first_called_at is None:
            self.first_called_at = now
        self.started_at = None
        self.served_by = int(actor.id) if actor.kind == "user" and actor.id else None
        data = {"waited_seconds": round((now - self.queued_at).total_seconds(), 1)}
        if reason:
            data["out_of_order"] = reason
        self._record(EventKind.CALLED, now, actor, data=data)

    def recall(self, now: datetime, actor: Actor) -> None:
        """Announce the ticket again at the same counter."""
        self._require({TicketStatus.CALLED}, "recalled")
        self.recall_count += 1
        self._record(EventKind.RECALLED, now, actor, data={"recall_count": self.recall_count})

    def hold(self, now: datetime, actor: Actor) -> None:
        """Set the ticket aside at its counter; the clerk serves others and calls it back later."""
        self._require({TicketStatus.CALLED, TicketStatus.SERVING}, "held")
        self.status = TicketStatus.HELD
        self._record(EventKind.HELD, now, actor)

    def resume(self, counter_id: int, now: datetime, actor: Actor) -> None:
        """Call a held ticket back, to the counter that held it."""
        self._require({TicketStatus.HELD}, "called back")
        if counter_id != self.counter_id:
            raise InvalidTransition(f"Ticket {self.label} is held at another counter.")
        self.status = TicketStatus.CALLED
        self._record(EventKind.RESUMED, now, actor)

    def start(self, now: datetime, actor: Actor) -> None:
        """The citizen has arrived at the counter: service time runs from here."""
        self._require({TicketStatus.CALLED}, "started")
        self.status = TicketStatus.SERVING
        self.started_at = now
        self._record(EventKind.STARTED, now, actor)

    def finish(self, now: datetime, actor: Actor, how: str = "finished") -> None:
        """Service done. `how` is `finished`, or `next` when the clerk pressed Next (or called
        another ticket) instead: an automatic finish. The event says whether service had been
        started (`started`) and whether the finish was automatic (`auto`); an automatic finish
        of a ticket never started is a call that was never served, and the service-time
        figures leave it out (`finished_unstarted`)."""
        self._require({TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD}, "finished")
        began = self.started_at or self.called_at
        started = self.started_at is not None
        auto = how != "finished"
        self.status = TicketStatus.FINISHED
        self.finished_at = now
        self.finished_unstarted = auto and not started
        if actor.kind == "user" and actor.id:
            self.served_by = int(actor.id)  # the clerk who finished it is credited (ratings)
        self._record(EventKind.FINISHED, now, actor,
                     data={"how": how, "service_seconds": round((now - began).total_seconds(), 1),
                           "started": started, "auto": auto})

    def no_show(self, now: datetime, actor: Actor, requeue_limit: int,
                policy: CallingPolicy) -> bool:
        """The citizen did not come. Back to the queue while under `requeue_limit`, else dropped.

        Returns True when the ticket went back to the queue.
        """
        self._require({TicketStatus.CALLED}, "marked no-show")
        self.no_show_count += 1
        counter_id = self.counter_id
        if self.no_show_count <= requeue_limit:
            self.status = TicketStatus.WAITING
            self._leave_counter()
            self._join_queue(now, policy)
            self._record(EventKind.REQUEUED, now, actor, counter_id=counter_id,
                         data={"no_show_count": self.no_show_count})
            return True
        self.status = TicketStatus.NO_SHOW
        self.finished_at = now
        self._record(EventKind.NO_SHOW, now, actor, counter_id=counter_id,
                     data={"no_show_count": self.no_show_count})
        return False

    def transfer(self, to_service: Service, now: datetime, actor: Actor,
                 policy: CallingPolicy) -> None:
        """Join another service's queue. Issue time and number stay, so end-to-end wait holds."""
        self._require({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING,
                       TicketStatus.HELD}, "transferred")
        if to_service.id == self.service_id:
            raise InvalidTransition(f"Ticket {self.label} is already in that service's queue.")
        from_service_id, counter_id = self.service_id, self.counter_id
        self.service_id = to_service.id
        self.status = TicketStatus.WAITING
        self.transfer_count += 1
        self._leave_counter()
        self._join_queue(now, policy)
        self._record(EventKind.TRANSFERRED, now, actor, counter_id=counter_id,
                     data={"from_service_id": from_service_id, "to_service_id": to_service.id})

    def cancel(self, now: datetime, actor: Actor, reason: str | None = None) -> None:
        """The citizen or staff withdraws the ticket (`reason`: why, when a manager clears
        a flood of tickets at once)."""
        self._require({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.HELD}, "cancelled")
        counter_id = self.counter_id
        self.status = TicketStatus.CANCELLED
        self.finished_at = now
        self._record(EventKind.CANCELLED, now, actor, counter_id=counter_id,
                     data={"reason": reason} if reason else None)

    # --- derived facts -----------------------------------------------------------------

    @property
    def events(self) -> list[TicketEvent]:
        """Events recorded on this object since it was made or loaded; the persistence layer
        stores them with the ticket. The full history is read from the repository."""
        try:
            return self._events
        except AttributeError:
            self._events: list[TicketEvent] = []
            return self._events

    @property
    def is_priority(self) -> bool:
        return self.priority != Priority.NORMAL

    def wait_seconds(self, now: datetime) -> float:
        """End-to-end wait from issue until called (or until `now` while waiting)."""
        end = self.called_at if self.called_at and self.status != TicketStatus.WAITING else now
        return max(0.0, (end - self.issued_at).total_seconds())

    # --- helpers -----------------------------------------------------------------------

    def _join_queue(self, now: datetime, policy: CallingPolicy) -> None:
        self.queued_at = now
        self.queue_key = policy.queue_key(self)

    def _leave_counter(self) -> None:
        self.counter_id = None
        self.called_at = None
        self.started_at = None

    def _require(self, allowed: set[TicketStatus], verb: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(
                f"Ticket {self.label} is {self.status.value.replace('_', '-')}; "
                f"it cannot be {verb}.")

    def _record(self, kind: EventKind, now: datetime, actor: Actor,
                counter_id: int | None = None, data: dict | None = None) -> None:
        self.events.append(TicketEvent(
            ticket=self, kind=kind, at=now, actor=actor, office_id=self.office_id,
            service_id=self.service_id,
            counter_id=counter_id if counter_id is not None else self.counter_id,
            data=data))


def service_seconds_of(finish_data: dict) -> float | None:
    """The service time a `finished` event records, or None when it records none or the
    finish was automatic without a start (Next pressed on a citizen who never came up: not a
    service, kept out of service times and wait estimates)."""
    if "service_seconds" not in finish_data:
        return None
    if finish_data.get("auto") and finish_data.get("started") is False:
        return None
    return float(finish_data["service_seconds"])


def recent_window(now: datetime, days: int = 7) -> datetime:
    """Start of the window whose service times feed the wait estimate."""
    return now - timedelta(days=days)
