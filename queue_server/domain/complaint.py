"""The complaint register (ศูนย์ดำรงธรรม's core work; GECC quality 2.12, 2.13, outcome 3.1).

A complaint is filed by the citizen (the public page on a phone, reached from a QR poster,
the kiosk or the ticket's status page) or by staff on the citizen's behalf (walk-in, phone).
It gets a tracking code that whoever holds it can follow, and moves forward through its steps
(received, assigned, in progress, resolved, closed); going back is refused, a reopening is a
step of its own with a reason. Every change is an event of the append-only record (with the
actor and the time), and each step carries a public note (the citizen sees it) and an internal
note (staff only).

The contact is personal data (PDPA): shown to staff only, erased after the retention period
counted from the complaint's conclusion; it is kept on the complaint alone, never in the
append-only record, so that it can be erased.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .errors import Conflict, DomainError, InvalidTransition
from .model import Actor, RecordedEvent


class ComplaintStatus(str, enum.Enum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    @property
    def concluded(self) -> bool:
        """Resolved or closed: what GECC 2.13 counts as brought to a conclusion."""
        return self in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)


_ORDER = list(ComplaintStatus)


class ComplaintChannel(str, enum.Enum):
    ONLINE = "online"    # the citizen's own phone or computer: the public page
    WALK_IN = "walk_in"  # at the counter or reception, written down by staff
    PHONE = "phone"      # by telephone, written down by staff


class ComplaintEventKind(str, enum.Enum):
    RECEIVED = "received"
    ASSIGNED = "assigned"        # to a clerk of the office
    FORWARDED = "forwarded"      # to another agency (its name recorded)
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"        # back to in progress, with the reason
    DUE_CHANGED = "due_changed"
    CONTACT_ERASED = "contact_erased"  # PDPA: the retention period ended


class InvalidComplaint(DomainError, code="invalid_complaint", status=400):
    """Empty or too long text, an unknown category, a contact too long, a note too long."""


class ComplaintNotFound(DomainError, code="not_found", status=404):
    """No complaint has that code (or id, in this office)."""


@dataclass(frozen=True)
class Category:
    key: str
    name_th: str
    name_en: str

    def to_json(self) -> dict:
        return {"key": self.key, "name_th": self.name_th, "name_en": self.name_en}


# What a Damrongdhama centre (ศูนย์ดำรงธรรม) registers; an office may set its own list.
DEFAULT_CATEGORIES = (
    Category("hardship", "เรื่องเดือดร้อน ความทุกข์ยาก", "Trouble and hardship"),
    Category("official_conduct", "พฤติกรรมเจ้าหน้าที่รัฐ", "Conduct of officials"),
    Category("dispute", "ข้อพิพาท ความขัดแย้ง", "Disputes"),
    Category("help", "ขอความช่วยเหลือ", "Requests for help"),
    Category("tip", "แจ้งเบาะแส", "Tips"),
    Category("other", "เรื่องอื่น ๆ", "Other"),
)


def categories_from_json(items: list | None) -> tuple[Category, ...]:
    """The office's categories ([{key, name_th, name_en}]); none set: the defaults."""
    if not items:
        return DEFAULT_CATEGORIES
    return tuple(Category(c["key"], c["name_th"], c["name_en"]) for c in items)


# Tracking codes: no look-alikes (no 0/O, 1/I/L, U/V), 29 symbols; ten of them are 48 bits.
# At the public rate limit (60 look-ups a minute per address) a whole year of guessing from one
# address finds one of 100,000 live codes with a chance under 1 %, and what it finds shows no
# personal data: codes cannot be enumerated.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 10


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """The code as typed or scanned (any case, spaces or dashes), or None when it cannot be
    one (then there is nothing to look up)."""
    code = "".join(ch for ch in (raw or "")[:64].upper() if ch not in " -_")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    """`ABCDE-23456`: read aloud and typed in two halves."""
    return f"{code[:5]}-{code[5:]}"


@dataclass(frozen=True)
class ComplaintPolicy:
    text_max_chars: int = 5000        # the contract's limit; longer is refused, never cut
    contact_max_chars: int = 200
    note_max_chars: int = 2000
    agency_max_chars: int = 200
    due_days: int = 15                # when the office has set none
    contact_retention_days: float = 365  # after the conclusion; then the contact is erased


class ComplaintEvent(RecordedEvent):
    """One row of the complaint's append-only record. `status` is the status after it;
    `public_note` is shown on the tracking page, `internal_note` to staff only."""

    def __init__(self, complaint: Complaint, kind: ComplaintEventKind, at: datetime,
                 actor: Actor, public_note: str | None = None, internal_note: str | None = None,
                 data: dict | None = None):
        super().__init__(kind, at, actor, data)
        self.complaint = complaint
        self.office_id = complaint.office_id
        self.status = complaint.status
        self.public_note = public_note
        self.internal_note = internal_note


class Complaint:
    def __init__(self, office_id: int, code: str, text: str, category: str,
                 channel: ComplaintChannel, received_at: datetime, due_on: date,
                 contact: str | None = None, ticket_id: int | None = None,
                 received_by: int | None = None):
        self.office_id = office_id
        self.code = code
        self.text = text
        self.category = category
        self.channel = channel
        self.received_at = received_at
        self.due_on = due_on
        self.contact = contact
        self.ticket_id = ticket_id
        self.received_by = received_by
        self.status = ComplaintStatus.RECEIVED
        self.assignee_id: int | None = None
        self.agency: str | None = None
        self.resolved_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.contact_erased_at: datetime | None = None
        self.overdue_alerted_at: datetime | None = None

    @property
    def events(self) -> list[ComplaintEvent]:
        """Events recorded on this object since it was made or loaded (a loaded object skips
        __init__); the persistence layer stores them with the complaint."""
        try:
            return self._events
        except AttributeError:
            self._events: list[ComplaintEvent] = []
            return self._events

    # --- filing ----------------------------------------------------------------------------

    @classmethod
    def file(cls, office_id: int, text: str, category: str | None, channel: ComplaintChannel,
             now: datetime, today: date, policy: ComplaintPolicy,
             categories: tuple[Category, ...], actor: Actor, contact: str | None = None,
             ticket_id: int | None = None, due_days: int | None = None,
             code: str | None = None, via: str | None = None,
             consent: bool | None = None) -> Complaint:
        """A new complaint, checked against the rules; the caller stores it."""
        text = (text or "").strip()
        if not text:
            raise InvalidComplaint("Say what the complaint is about: the text is empty.")
        if len(text) > policy.text_max_chars:
            raise InvalidComplaint(f"A complaint is at most {policy.text_max_chars:,} characters "
                                   f"({len(text):,} given).")
        keys = [c.key for c in categories]
        category = (category or "").strip() or ("other" if "other" in keys else keys[-1])
        if category not in keys:
            raise InvalidComplaint(f"The category is one of {', '.join(keys)}.")
        contact = (contact or "").strip() or None
        if contact is not None and len(contact) > policy.contact_max_chars:
            raise InvalidComplaint(f"A contact is at most {policy.contact_max_chars} characters.")
        due = today + timedelta(days=due_days if due_days is not None else policy.due_days)
        complaint = cls(office_id, code or new_tracking_code(), text, category, channel, now, due,
                        contact, ticket_id,
                        int(actor.id) if actor.kind == "user" and actor.id else None)
        data = {"channel": channel.value, "category": category, "due_on": due.isoformat()}
        if via:
            data["via"] = via
        if consent:  # the citizen ticked the public form's PDPA line
            data["consent"] = True
        if ticket_id is not None:
            data["ticket_id"] = ticket_id
        complaint._record(ComplaintEventKind.RECEIVED, now, actor, data=data)
        return complaint

    # --- working it ------------------------------------------------------------------------

    def assign(self, user_id: int, actor: Actor, now: datetime, policy: ComplaintPolicy,
               note: str | None = None, internal_note: str | None = None) -> None:
        """To a clerk of the office; a received complaint becomes assigned."""
        self._require_open("assigned")
        self.assignee_id = user_id
        self.agency = None
        self._advance_to(ComplaintStatus.ASSIGNED)
        self._record(ComplaintEventKind.ASSIGNED, now, actor, *_notes(policy, note, internal_note),
                     data={"assignee_id": user_id})

    def forward(self, agency: str, actor: Actor, now: datetime, policy: ComplaintPolicy,
                note: str | None = None, internal_note: str | None = None) -> None:
        """To another agency, recorded with its name (shown on the tracking page too: the
        citizen may need to know who has the matter now)."""
        self._require_open("forwarded")
        agency = (agency or "").strip()
        if not agency:
            raise InvalidComplaint("Name the agency the complaint is forwarded to.")
        if len(agency) > policy.agency_max_chars:
            raise InvalidComplaint(f"An agency's name is at most {policy.agency_max_chars} characters.")
        self.agency = agency
        self._advance_to(ComplaintStatus.ASSIGNED)
        self._record(ComplaintEventKind.FORWARDED, now, actor, *_notes(policy, note, internal_note),
                     data={"agency": agency})

    def move(self, status: ComplaintStatus, actor: Actor, now: datetime, policy: ComplaintPolicy,
             note: str | None = None, internal_note: str | None = None) -> None:
        """The next step: forward only (steps may be skipped: a matter settled at the counter
        goes from received to resolved). Back is refused; reopen() is its own step."""
        if status == ComplaintStatus.RECEIVED or status.rank <= self.status.rank:
            raise InvalidTransition(
                f"Complaint {format_code(self.code)} is {self.status.value}; it cannot go back to "
                f"{status.value}. A concluded complaint is reopened with a reason.")
        notes = _notes(policy, note, internal_note)
        self.status = status
        if status == ComplaintStatus.RESOLVED:
            self.resolved_at = now
        elif status == ComplaintStatus.CLOSED:
            self.closed_at = now
        self._record(ComplaintEventKind(status.value), now, actor, *notes)

    def reopen(self, reason: str, actor: Actor, now: datetime, policy: ComplaintPolicy,
               note: str | None = None) -> None:
        """A resolved or closed complaint taken up again (the citizen is not satisfied, the
        agency did not act): back to in progress, the reason recorded."""
        if not self.status.concluded:
            raise InvalidTransition(f"Complaint {format_code(self.code)} is {self.status.value}; "
                                    "only a resolved or closed complaint is reopened.")
        reason = (reason or "").strip()
        if not reason:
            raise InvalidComplaint("Say why the complaint is reopened.")
        notes = _notes(policy, note, reason)
        self.status = ComplaintStatus.IN_PROGRESS
        self.resolved_at = self.closed_at = None
        self._record(ComplaintEventKind.REOPENED, now, actor, *notes)

    def set_due(self, due_on: date, actor: Actor, now: datetime, policy: ComplaintPolicy,
                reason: str | None = None) -> None:
        if self.status.concluded:
            raise Conflict(f"Complaint {format_code(self.code)} is {self.status.value}: it has "
                           "no due date to move.")
        received = self.received_at.date() - timedelta(days=1)
        if due_on < received:
            raise InvalidComplaint("The due date cannot come before the complaint was received.")
        before = self.due_on
        self.due_on = due_on
        self.overdue_alerted_at = None  # a new date: overdue again only after it
        self._record(ComplaintEventKind.DUE_CHANGED, now, actor, None,
                     _notes(policy, None, reason)[1],
                     data={"from": before.isoformat(), "to": due_on.isoformat()})

    # --- time, and PDPA --------------------------------------------------------------------

    def is_overdue(self, today: date) -> bool:
        """Not concluded, and its due date (the office's day) has passed."""
        return not self.status.concluded and today > self.due_on

    @property
    def concluded_at(self) -> datetime | None:
        return self.resolved_at or self.closed_at

    def erase_contact(self, now: datetime) -> bool:
        if self.contact is None:
            return False
        self.contact = None
        self.contact_erased_at = now
        self._record(ComplaintEventKind.CONTACT_ERASED, now, Actor.system())
        return True

    # --- internals -------------------------------------------------------------------------

    def _require_open(self, what: str) -> None:
        if self.status.concluded:
            raise InvalidTransition(f"Complaint {format_code(self.code)} is {self.status.value}; "
                                    f"reopen it before it is {what}.")

    def _advance_to(self, status: ComplaintStatus) -> None:
        if self.status.rank < status.rank:
            self.status = status

    def _record(self, kind: ComplaintEventKind, at: datetime, actor: Actor,
                public_note: str | None = None, internal_note: str | None = None,
                data: dict | None = None) -> None:
        self.events.append(ComplaintEvent(self, kind, at, actor, public_note, internal_note, data))


def _notes(policy: ComplaintPolicy, public: str | None, internal: str | None) -> tuple:
    out = []
    for note in (public, internal):
        note = (note or "").strip() or None
        if note is not None and len(note) > policy.note_max_chars:
            raise InvalidComplaint(f"A note is at most {policy.note_max_chars:,} characters.")
        out.append(note)
    return tuple(out)


# What the tracking page may show of each kind of step (no staff names, no contact, no
# internal note): the step's status, its time and its public note; a forward names the agency.
PUBLIC_KINDS = {ComplaintEventKind.RECEIVED, ComplaintEventKind.ASSIGNED,
                ComplaintEventKind.FORWARDED, ComplaintEventKind.IN_PROGRESS,
                ComplaintEventKind.RESOLVED, ComplaintEventKind.CLOSED,
                ComplaintEventKind.REOPENED}
