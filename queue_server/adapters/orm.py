"""Tables, and the mapping of the domain classes onto them (SQLAlchemy imperative mapping)."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.orm import registry, relationship

from ..domain import (alerts, assessment, attachments, booking, complaint, devices, model, printing,
                      rating)

# A naming convention so that Alembic's batch mode can find constraints again on SQLite.
metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
mapper_registry = registry(metadata=metadata)


class UTCDateTime(sa.TypeDecorator):
    """Stores naive UTC, hands back aware UTC; refuses naive input so no local time sneaks in."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC times only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class iso_text(FunctionElement):
    """A UTCDateTime column as ISO 8601 text ('YYYY-MM-DD HH:MM:SS.ffffff', UTC), as the
    database writes it: a quarter of a million instants are parsed at once by numpy
    (rubric/visits.py) instead of one datetime object each."""

    type = sa.String()
    inherit_cache = True


@compiles(iso_text, "sqlite")
def _iso_text_sqlite(element, compiler, **kw):
    # SQLAlchemy's SQLite DateTime is stored as exactly this text already
    return compiler.process(element.clauses, **kw)


@compiles(iso_text, "postgresql")
def _iso_text_postgresql(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    return f"to_char({value}, 'YYYY-MM-DD HH24:MI:SS.US')"


def _enum(enum_cls) -> sa.Enum:
    # Stored as plain strings (no native enum type) so adding a value needs no type migration.
    return sa.Enum(enum_cls, native_enum=False, create_constraint=False, length=20,
                   values_callable=lambda e: [m.value for m in e], validate_strings=True)


offices = sa.Table(
    "offices", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_en", sa.String(200), nullable=False, server_default=""),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="Asia/Bangkok"),
    sa.Column("opening_hours", sa.JSON, nullable=False),
    sa.Column("enforce_hours", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("notice", sa.Text, nullable=False, server_default=""),
    # What the office asks about besides the overall score ([{key, name_th, name_en}]).
    sa.Column("rating_dimensions", sa.JSON, nullable=False, server_default="[]"),
    # The complaint register's categories ([] : the defaults, domain/complaint.py) and the
    # days a complaint is due in.
    sa.Column("complaint_categories", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("complaint_due_days", sa.Integer, nullable=False, server_default="15"),
    # Shown to citizens (kiosk, status pages, tickets); set on the admin pages.
    sa.Column("address", sa.Text, nullable=False, server_default=""),
    sa.Column("help_contact", sa.String(200), nullable=False, server_default=""),
    sa.Column("holidays", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("logo", sa.LargeBinary),
    sa.Column("logo_type", sa.String(32)),
)

services = sa.Table(
    "services", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False, index=True),
    sa.Column("code", sa.String(4), nullable=False),
    sa.Column("name_th", sa.String(200), nullable=False),
    sa.Column("name_en", sa.String(200), nullable=False),
    sa.Column("standard_minutes", sa.Float, nullable=False),
    sa.Column("target_wait_minutes", sa.Float, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("office_id", "code"),
)

counters = sa.Table(
    "counters", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False, index=True),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False, server_default=sa.false()),
    # False: removed on the admin page; its history stays, it is shown nowhere.
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("office_id", "number"),
)

counter_services = sa.Table(
    "counter_services", metadata,
    sa.Column("counter_id", sa.ForeignKey("counters.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("service_id", sa.ForeignKey("services.id"), primary_key=True),
    sa.Column("rank", sa.Integer, nullable=False, server_default="0"),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("role", _enum(model.Role), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    # A log-in session carries the version it was given; logging out moves it on, so a copied
    # session cookie stops working (web/auth.py).
    sa.Column("session_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("default_counter_id", sa.ForeignKey("counters.id")),  # the console opens on it
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.String(100), nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime),  # none: until revoked (a kiosk's print agent)
    sa.Column("revoked_at", UTCDateTime),
)

# One row per service and local day; numbers are taken from here inside the ticket's own
# transaction, never as max(number) + 1.
ticket_sequences = sa.Table(
    "ticket_sequences", metadata,
    sa.Column("service_id", sa.ForeignKey("services.id"), primary_key=True),
    sa.Column("service_day", sa.Date, primary_key=True),
    sa.Column("last_number", sa.Integer, nullable=False),
)

tickets = sa.Table(
    "tickets", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("issued_service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("label", sa.String(12), nullable=False),
    sa.Column("service_day", sa.Date, nullable=False),
    sa.Column("priority", _enum(model.Priority), nullable=False),
    sa.Column("channel", _enum(model.Channel), nullable=False),
    sa.Column("status", _enum(model.TicketStatus), nullable=False),
    sa.Column("token", sa.String(43), nullable=False, unique=True),
    sa.Column("kiosk_id", sa.String(64)),
    sa.Column("note", sa.String(500)),
    sa.Column("appointment_at", UTCDateTime),
    sa.Column("issued_at", UTCDateTime, nullable=False),
    sa.Column("queued_at", UTCDateTime, nullable=False),
    # Place in the queue: queued_at less the head start of the ticket's class (policy.py).
    sa.Column("queue_key", UTCDateTime, nullable=False),
    sa.Column("called_at", UTCDateTime),  # the latest call
    # The first call: the end of the wait GECC measures (a requeue or transfer calls again).
    sa.Column("first_called_at", UTCDateTime),
    sa.Column("started_at", UTCDateTime),
    sa.Column("finished_at", UTCDateTime),
    # Finished automatically (Next, or another ticket called) without a start: a call never
    # served. NULL on tickets finished before migration 0014 recorded it.
    sa.Column("finished_unstarted", sa.Boolean),
    sa.Column("counter_id", sa.ForeignKey("counters.id")),
    sa.Column("served_by", sa.ForeignKey("users.id")),
    sa.Column("recall_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("no_show_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("transfer_count", sa.Integer, nullable=False, server_default="0"),
    # Optimistic lock: an UPDATE that finds another version changed nothing, and is retried.
    sa.Column("version", sa.Integer, nullable=False),
    # The safety net under the sequence table: a number is never given twice a day.
    sa.UniqueConstraint("issued_service_id", "service_day", "number"),
    sa.Index("ix_tickets_queue", "service_id", "status", "service_day", "queue_key"),
    sa.Index("ix_tickets_counter_status", "counter_id", "status"),
)

ticket_events = sa.Table(
    "ticket_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), nullable=False, index=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("kind", _enum(model.EventKind), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor_kind", sa.String(16), nullable=False),
    sa.Column("actor_id", sa.String(64)),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("counter_id", sa.ForeignKey("counters.id")),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_ticket_events_office_at", "office_id", "at"),
)

print_jobs = sa.Table(
    "print_jobs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    # NULL: not a ticket (a complaint's receipt, its payload says).
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), nullable=True, index=True),
    sa.Column("kiosk_id", sa.String(64)),  # NULL: the server's own printer
    sa.Column("reason", sa.String(16), nullable=False),
    sa.Column("status", _enum(printing.PrintJobStatus), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("done_at", UTCDateTime),
    sa.Column("last_error", sa.String(500)),
    sa.Index("ix_print_jobs_pending", "status", "kiosk_id"),
)

# The last word of each kiosk's print agent on its printer ("" is the server's own printer).
printer_states = sa.Table(
    "printer_states", metadata,
    sa.Column("kiosk_id", sa.String(64), primary_key=True),
    sa.Column("online", sa.Boolean, nullable=False),
    sa.Column("paper", sa.String(16), nullable=False),
    sa.Column("cover_open", sa.Boolean),
    sa.Column("detail", sa.String(500), nullable=False, server_default=""),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Bookings (domain/booking.py): made ahead, checked in at the kiosk on the day.
bookings = sa.Table(
    "bookings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("code", sa.String(12), nullable=False),
    sa.Column("name", sa.String(200)),
    sa.Column("slot_at", UTCDateTime, nullable=False),
    sa.Column("status", _enum(booking.BookingStatus), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("checked_in_at", UTCDateTime),
    sa.Column("cancelled_at", UTCDateTime),
    # The ticket it became; unique, so one booking never holds two tickets, whatever races.
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), unique=True),
    # Optimistic lock, as on tickets: two check-ins at once cannot both win.
    sa.Column("version", sa.Integer, nullable=False),
    sa.UniqueConstraint("office_id", "code"),
    sa.Index("ix_bookings_office_slot", "office_id", "slot_at"),
)

# Append-only like ticket_events (the database refuses UPDATE and DELETE: migration 0005).
booking_events = sa.Table(
    "booking_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("booking_id", sa.ForeignKey("bookings.id"), nullable=False, index=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("kind", _enum(booking.BookingEventKind), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor_kind", sa.String(16), nullable=False),
    sa.Column("actor_id", sa.String(64)),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id")),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_booking_events_office_at", "office_id", "at"),
)

# Append-only like ticket_events (migration 0006): counters opened and closed, services
# stopped and resumed, counters' services and the lobby notice set.
office_events = sa.Table(
    "office_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("kind", _enum(model.OfficeEventKind), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor_kind", sa.String(16), nullable=False),
    sa.Column("actor_id", sa.String(64)),
    sa.Column("counter_id", sa.ForeignKey("counters.id")),
    sa.Column("service_id", sa.ForeignKey("services.id")),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_office_events_office_at", "office_id", "at"),
)

# One rating per ticket: the unique ticket_id keeps it so whatever the races. Credited to the
# service, counter and clerk (users.id) who finished the visit.
ratings = sa.Table(
    "ratings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), nullable=False, unique=True),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("counter_id", sa.ForeignKey("counters.id")),
    sa.Column("clerk_id", sa.ForeignKey("users.id")),
    sa.Column("score", sa.SmallInteger, nullable=False),
    sa.Column("dimensions", sa.JSON, nullable=False),
    sa.Column("source", _enum(rating.RatingSource), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("comment_erased_at", UTCDateTime),
    sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_1_to_5"),
    sa.Index("ix_ratings_office_created", "office_id", "created_at"),
)

# Alerts to managers, kept until handled; the handling (who, when, what) is the evidence.
alerts_table = sa.Table(
    "alerts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("kind", _enum(alerts.AlertKind), nullable=False),
    sa.Column("raised_at", UTCDateTime, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id")),
    sa.Column("service_id", sa.ForeignKey("services.id")),
    sa.Column("counter_id", sa.ForeignKey("counters.id")),
    sa.Column("handled_at", UTCDateTime),
    sa.Column("handled_by", sa.ForeignKey("users.id")),
    sa.Column("action", sa.Text),
    sa.Index("ix_alerts_office_raised", "office_id", "raised_at"),
)

# One-time codes that pair a device (a rating tablet) with its identity; only a hash is kept.
device_pairings = sa.Table(
    "device_pairings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("device", sa.String(64), nullable=False),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("used_at", UTCDateTime),
)

# The office's devices (domain/devices.py): kiosks with their printers, lobby displays, rating
# tablets; each acts as its `username` (a device account) with the tokens its pairing gave.
devices_table = sa.Table(
    "devices", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("counter_id", sa.ForeignKey("counters.id")),
    sa.Column("printer", sa.String(200), nullable=False, server_default=""),
    sa.Column("paper", sa.String(8), nullable=False, server_default="80mm"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
)

# A device asking to be paired shows a code; only hashes are kept, and the token it is given
# only until it collects it (minutes).
device_requests = sa.Table(
    "device_requests", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("device_id", sa.ForeignKey("devices.id")),
    sa.Column("token", sa.String(64)),
    sa.Column("collected_at", UTCDateTime),
)

# The office's answers to the criteria it assesses by hand; append-only (migration 0008): a
# newer answer supersedes an older one, and the history stays.
assessment_answers = sa.Table(
    "assessment_answers", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("item_id", sa.String(32), nullable=False),
    sa.Column("met", sa.Boolean, nullable=False),
    sa.Column("period_from", sa.Date, nullable=False),
    sa.Column("period_to", sa.Date, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("answered_by", sa.ForeignKey("users.id"), nullable=False),
    sa.Column("answered_at", UTCDateTime, nullable=False),
    sa.Index("ix_assessment_answers_office_item", "office_id", "item_id"),
)

# Files kept as evidence; the content is in the file store (adapters/file_store.py), by hash.
attachments_table = sa.Table(
    "attachments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("owner_kind", sa.String(32), nullable=False),
    sa.Column("owner_id", sa.Integer, nullable=False),
    sa.Column("filename", sa.String(120), nullable=False),
    sa.Column("content_type", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("uploaded_by", sa.ForeignKey("users.id")),  # NULL: the citizen (a complaint's)
    sa.Column("uploaded_at", UTCDateTime, nullable=False),
    sa.Index("ix_attachments_owner", "owner_kind", "owner_id"),
)

# The complaint register (domain/complaint.py). The contact is erased after its retention
# (PDPA), so it lives here only, never in the append-only record below.
complaints = sa.Table(
    "complaints", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("channel", _enum(complaint.ComplaintChannel), nullable=False),
    sa.Column("status", _enum(complaint.ComplaintStatus), nullable=False),
    sa.Column("contact", sa.String(200)),
    sa.Column("contact_erased_at", UTCDateTime),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id")),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("received_by", sa.ForeignKey("users.id")),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("assignee_id", sa.ForeignKey("users.id")),
    sa.Column("agency", sa.String(200)),
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("closed_at", UTCDateTime),
    sa.Column("overdue_alerted_at", UTCDateTime),
    # Optimistic lock: two clerks moving the same complaint at once cannot both win.
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_complaints_office_received", "office_id", "received_at"),
    sa.Index("ix_complaints_office_status", "office_id", "status"),
)

# Append-only like ticket_events (migration 0011): every change of a complaint.
complaint_events = sa.Table(
    "complaint_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("complaint_id", sa.ForeignKey("complaints.id"), nullable=False, index=True),
    sa.Column("office_id", sa.ForeignKey("offices.id"), nullable=False),
    sa.Column("kind", _enum(complaint.ComplaintEventKind), nullable=False),
    sa.Column("status", _enum(complaint.ComplaintStatus), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor_kind", sa.String(16), nullable=False),
    sa.Column("actor_id", sa.String(64)),
    sa.Column("public_note", sa.Text),
    sa.Column("internal_note", sa.Text),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_complaint_events_office_at", "office_id", "at"),
)

_mapped = False


def start_mappers() -> None:
    """Map the domain classes onto the tables (once per process)."""
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(model.Office, offices)
    mapper_registry.map_imperatively(model.Service, services)
    mapper_registry.map_imperatively(model.CounterService, counter_services)
    mapper_registry.map_imperatively(model.Counter, counters, properties={
        "service_links": relationship(model.CounterService, order_by=counter_services.c.rank,
                                      cascade="all, delete-orphan", lazy="selectin"),
    })
    mapper_registry.map_imperatively(model.User, users)
    mapper_registry.map_imperatively(model.ApiToken, api_tokens)
    mapper_registry.map_imperatively(model.Ticket, tickets, version_id_col=tickets.c.version)
    mapper_registry.map_imperatively(printing.PrintJob, print_jobs)
    mapper_registry.map_imperatively(model.TicketEvent, ticket_events, properties={
        "ticket": relationship(model.Ticket, lazy="raise"),
    })
    mapper_registry.map_imperatively(model.OfficeEvent, office_events)
    mapper_registry.map_imperatively(booking.Booking, bookings,
                                     version_id_col=bookings.c.version)
    mapper_registry.map_imperatively(rating.Rating, ratings)
    mapper_registry.map_imperatively(alerts.Alert, alerts_table)
    mapper_registry.map_imperatively(devices.DevicePairing, device_pairings)
    mapper_registry.map_imperatively(devices.Device, devices_table)
    mapper_registry.map_imperatively(devices.DeviceRequest, device_requests)
    mapper_registry.map_imperatively(assessment.AssessmentAnswer, assessment_answers)
    mapper_registry.map_imperatively(attachments.Attachment, attachments_table)
    mapper_registry.map_imperatively(booking.BookingEvent, booking_events, properties={
        "booking": relationship(booking.Booking, lazy="raise"),
    })
    mapper_registry.map_imperatively(complaint.Complaint, complaints,
                                     version_id_col=complaints.c.version)
    mapper_registry.map_imperatively(complaint.ComplaintEvent, complaint_events, properties={
        "complaint": relationship(complaint.Complaint, lazy="raise"),
    })
    _mapped = True


def store_recorded_events(session, _flush_context, _instances) -> None:
    """Before each flush, add the events tickets (and bookings) recorded, so they commit with
    the object."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, (model.Ticket, booking.Booking, complaint.Complaint)):
            session.add_all(obj.events)
