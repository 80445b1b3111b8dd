"""What /api/v1 answers with, as pydantic models: for the OpenAPI document only.

The use cases build these bodies as plain dicts (service_layer/views.py and friends); the
models say which keys they carry. A key that is always there is required (it may be null);
a key that only some answers carry has a default. More keys may come in later versions
(`extra="allow"`), so clients must ignore keys they do not know.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from ..domain.booking import BookingStatus
from ..domain.model import Channel, Priority, TicketStatus
from ..domain.printing import PrintJobStatus

IsoTime = str  # ISO 8601 UTC instant with a Z, e.g. 2026-11-23T02:15:00Z


class Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- errors --------------------------------------------------------------------------------

class FieldProblem(Answer):
    field: str
    message: str


class ErrorBody(Answer):
    code: str = Field(description="Stable machine-readable name, e.g. not_found, "
                                  "invalid_input, queue_empty, booking_too_early")
    message: str = Field(description="For people (English)")
    details: list[FieldProblem] | None = Field(
        default=None, description="invalid_input: what is wrong with which field")


class Error(Answer):
    """Every refusal: 4xx (and, never meant to happen, 500) with this body. A refused
    check-in adds the booking's times (slot_at, check_in_from, ...) beside code and message."""

    error: ErrorBody


# --- office and services -------------------------------------------------------------------

class OpeningWindow(Answer):
    days: list[str]
    start: str = Field(description="HH:MM, office time")
    end: str = Field(description="HH:MM, office time")
    kind: str


class OfficeView(Answer):
    id: int
    name: str
    name_en: str
    timezone: str
    opening_hours: list[OpeningWindow]
    enforce_hours: bool
    notice: str | None
    open_now: bool
    address: str = Field(default="", description="Shown to citizens (admin pages)")
    help_contact: str = Field(default="", description="Whom citizens ask (admin pages)")
    holidays: list[dict[str, str]] = Field(default_factory=list,
                                           description="[{date: YYYY-MM-DD, name}]: closed")
    logo_url: str | None = Field(default=None, description="The office's logo, if it has one")


class NoticeView(Answer):
    notice: str


class ServiceView(Answer):
    id: int
    code: str
    name_th: str
    name_en: str
    waiting: int
    eta_minutes: int | None
    open: bool = Field(description="Takes a ticket now (switched on and within office hours)")
    active: bool = Field(description="The manager's switch")
    counters_open: int
    standard_minutes: float
    target_wait_minutes: float


class ServiceList(RootModel[list[ServiceView]]):
    pass


# --- tickets -------------------------------------------------------------------------------

class CounterBrief(Answer):
    id: int
    number: int
    name: str


class PrintJobBrief(Answer):
    id: int
    status: PrintJobStatus


class PrinterStateView(Answer):
    kiosk_id: str | None
    online: bool
    paper: str = Field(description="ok, low, out or unknown")
    cover_open: bool | None
    detail: str | None
    usable: bool
    updated_at: IsoTime | None


class PrinterStateList(RootModel[list[PrinterStateView]]):
    pass


class PublicTicketView(Answer):
    """A ticket as anyone may see it (a counter's current ticket on public screens)."""

    id: int
    number: str
    service_id: int
    service_code: str
    service_name_th: str
    service_name_en: str
    status: TicketStatus
    priority: Priority
    channel: Channel
    ahead: int | None
    eta_minutes: int | None
    issued_at: IsoTime | None
    called_at: IsoTime | None
    started_at: IsoTime | None
    finished_at: IsoTime | None
    counter: CounterBrief | None
    recall_count: int
    transfer_count: int
    finished_unstarted: bool | None = Field(
        default=None, description="finished by Next (or another call) before service started")
    office_name: str | None = Field(default=None, description="the ticket's office")
    office_name_en: str | None = None


class FloodCancelled(Answer):
    cancelled: int = Field(description="How many waiting tickets were cancelled")
    numbers: list[str]


class HolderTicketView(PublicTicketView):
    """A ticket as its holder sees it (no triage note: that is for staff)."""

    token: str = Field(description="The holder's secret: status page, cancel")
    status_url: str


class PreviousTicket(Answer):
    """The ticket a call finished first (the Next key's automatic finish)."""

    id: int
    number: str
    status: str
    auto: bool = Field(description="finished by the call, not by the Finish key")
    started: bool = Field(description="false: service had not been started (a call never "
                                      "served; kept out of service times)")


class TicketView(HolderTicketView):
    """A ticket as staff see it: with the reception desk's triage note."""

    note: str | None
    repeated: bool | None = Field(default=None, description="call-next: a repeated press, "
                                                            "the counter's current ticket")
    print_job: PrintJobBrief | None = Field(default=None, description="When it is printed")
    printer: PrinterStateView | None = Field(default=None, description="When it is printed")
    previous: PreviousTicket | None = Field(
        default=None, description="call-next, call: the counter's ticket this call finished")


class BookingBrief(Answer):
    code: str
    slot_at: IsoTime


class CheckedInTicket(PublicTicketView):
    """The booking's ticket. `token` and `status_url` (which cancel it) go to the kiosk that
    checked in, to staff and to paired devices, not to an anonymous second scan."""

    token: str | None = Field(default=None, description="The holder's secret: status page, cancel")
    status_url: str | None = None
    note: str | None = None
    booking: BookingBrief
    repeated: bool = Field(description="true: the booking had been checked in already")
    print_job: PrintJobBrief | None = Field(default=None, description="When it is printed")
    printer: PrinterStateView | None = Field(default=None, description="When it is printed")


class ReprintJob(Answer):
    job_id: int
    status: PrintJobStatus
    kiosk_id: str | None


# --- counters ------------------------------------------------------------------------------

class HeldTicket(Answer):
    id: int
    number: str
    service_id: int


class CounterView(CounterBrief):
    is_open: bool
    service_ids: list[int] = Field(description="The services served, in order")
    current: TicketView | None
    held: list[HeldTicket]


class CounterList(RootModel[list[CounterView]]):
    pass


class WaitingTicket(Answer):
    id: int
    number: str
    service_id: int
    priority: Priority
    channel: Channel
    issued_at: IsoTime | None
    queued_at: IsoTime | None
    note: str | None


class Minutes(Answer):
    mean: float | None
    median: float | None
    max: float | None


class CounterDay(Answer):
    counter_id: int
    name: str
    is_open: bool
    finished: int
    service_minutes: Minutes


class CounterClerk(Answer):
    id: int
    name: str
    username: str
    at: IsoTime = Field(description="their last action at the counter")


class MyDay(Answer):
    finished: int = Field(description="finished at this counter today by who asks")


class CounterWaiting(Answer):
    counter_id: int
    waiting: list[WaitingTicket]
    today: CounterDay
    clerk: CounterClerk | None = Field(
        default=None, description="who last called, served or finished here today")
    mine: MyDay | None = None


# --- the manager's day ---------------------------------------------------------------------

class ServiceDay(Answer):
    service_id: int
    code: str
    name_th: str
    name_en: str
    active: bool
    issued: int = Field(description="issued for this service; issued + transferred_in - "
                                    "transferred_out = waiting + at_counter + finished + "
                                    "no_show + cancelled")
    transferred_in: int = Field(description="tickets of other services moved to this one")
    transferred_out: int = Field(description="tickets issued here, moved to another service")
    waiting: int
    at_counter: int = Field(description="called, serving or held at a counter")
    held: int
    finished: int
    no_show: int = Field(description="dropped after their last no-show")
    cancelled: int
    no_show_requeued: int = Field(description="no-shows that went back to the queue")
    finished_unstarted: int = Field(description="finished by Next before a start (no "
                                                "service time)")
    wait_minutes: Minutes
    service_minutes: Minutes
    target_wait_minutes: float
    standard_minutes: float
    within_target_percent: float | None


class DaySummary(Answer):
    office: str
    day: str = Field(description="YYYY-MM-DD")
    issued: int
    channels: dict[str, int]
    priorities: dict[str, int]
    out_of_order_calls: dict[str, int]
    services: list[ServiceDay]
    counters: list[CounterDay]


# --- bookings ------------------------------------------------------------------------------

class BookingView(Answer):
    id: int
    code: str
    name: str | None
    service_id: int
    service_code: str
    service_name_th: str
    service_name_en: str
    slot_at: IsoTime
    slot_local: str = Field(description="HH:MM, office time")
    day: str = Field(description="YYYY-MM-DD, office time")
    status: BookingStatus
    check_in_from: IsoTime
    check_in_until: IsoTime
    ticket_id: int | None
    ticket_number: str | None
    created_at: IsoTime | None
    checked_in_at: IsoTime | None
    cancelled_at: IsoTime | None


class BookingDay(Answer):
    date: str = Field(description="YYYY-MM-DD")
    bookings: list[BookingView]


class OpenApiDocument(RootModel[dict[str, Any]]):
    """This document."""


# --- ratings, alerts, evidence ---------------------------------------------------------------

class RatingGiven(Answer):
    ticket_id: int
    number: str
    score: int
    created_at: IsoTime


class RatingQuestion(Answer):
    key: str
    name_th: str
    name_en: str


class RatingForm(Answer):
    """What the ticket's page needs to offer the rating; nothing about anyone else."""

    ticket_id: int
    number: str
    state: str = Field(description="not_yet (still in the queue), open, given, closed "
                                   "(the window is over), not_rated (no-show or cancelled)")
    closes_at: IsoTime | None
    score: int | None = Field(description="The score given, once given")
    dimensions: list[RatingQuestion] = Field(description="The office's own questions, each 1-5")
    comment_max_chars: int
    comment_retention_days: float


class PairingCode(Answer):
    code: str = Field(description="Six digits to type on the tablet; valid 10 minutes, once")
    device: str
    counter_id: int
    expires_at: IsoTime


class PairedDevice(Answer):
    token: str = Field(description="The device's bearer token: keep it, it is shown once")
    device: str
    counter_id: int | None


class PairingRequest(Answer):
    request_id: int
    code: str = Field(description="Six digits the device shows; an administrator types them "
                                  "on the devices page (15 minutes, once)")
    secret: str = Field(description="Kept by the device to collect its token")
    expires_at: IsoTime


class DeviceView(Answer):
    id: int
    kind: str = Field(description="kiosk, display or tablet")
    name: str
    username: str = Field(description="The device's identity (kiosk:<id>, display:<id>, "
                                      "tablet:<counter id>)")
    counter_id: int | None
    printer: str
    paper: str = Field(description="80mm or 58mm")
    created_at: IsoTime
    revoked_at: IsoTime | None


class PairingCollected(Answer):
    status: str = Field(description="waiting, expired, or paired (then once with the token)")
    token: str | None = Field(default=None, description="The device's bearer token, once")
    device: DeviceView | None = None
    office_id: int | None = None
    key: str | None = None
    open: str | None = Field(default=None, description="The page the device opens now")


class AlertView(Answer):
    id: int
    office_id: int
    kind: str = Field(description="low_rating, ...")
    raised_at: IsoTime
    ticket_id: int | None
    service_id: int | None
    counter_id: int | None
    data: dict[str, Any]
    comment: str | None = Field(description="The rating's comment (managers only; erased "
                                            "after the retention period)")
    handled_at: IsoTime | None
    handled_by: int | None
    action: str | None
    clerk_name: str | None = Field(default=None, description="Who served the visit")
    handled_by_name: str | None = Field(default=None, description="Who recorded the action")


class AlertList(Answer):
    alerts: list[AlertView]


class EvidenceReport(Answer):
    """The GECC evidence of a period (../shared/CONTRACT.md, "The evidence"); more keys
    come as the evidence engine grows."""

    period: dict[str, str]
    tickets: dict[str, int]
    satisfaction: dict[str, Any]


class AnswerView(Answer):
    met: bool
    note: str | None
    from_: str = Field(alias="from")
    to: str
    by: str | None
    at: IsoTime


class AssessmentItem(Answer):
    id: str
    points: int
    measured: str
    name_th: str
    name_en: str
    answer: AnswerView | None


class AssessmentList(Answer):
    day: str
    items: list[AssessmentItem]


class AttachedFile(Answer):
    id: int
    filename: str
    content_type: str
    size: int
    uploaded_at: IsoTime
    url: str


# --- the complaint register -------------------------------------------------------------------

class ComplaintCategory(Answer):
    key: str
    name_th: str
    name_en: str


class ComplaintFormView(Answer):
    """What the public form needs."""

    categories: list[ComplaintCategory]
    text_max_chars: int
    contact_max_chars: int
    files: dict[str, Any] = Field(description="max_count, max_bytes, types")
    due_days: int
    consent_th: str
    consent_en: str


class ComplaintReceipt(Answer):
    """The receipt: the tracking code (keep it: it is the only way to follow the complaint)."""

    code: str = Field(description="10 characters without look-alikes, e.g. 7KQ2MXR4TD")
    code_display: str = Field(description="The code as read and printed, e.g. 7KQ2M-XR4TD")
    status: str
    status_url: str = Field(description="The tracking page, /c/<code>")
    qr_url: str
    received_at: IsoTime
    due_on: str
    category: ComplaintCategory
    id: int | None = Field(default=None, description="Staff callers only")


class ComplaintPublicStep(Answer):
    kind: str = Field(description="received, assigned, forwarded, in_progress, resolved, "
                                  "closed, reopened")
    status: str = Field(description="The status after the step")
    at: IsoTime
    note: str | None = Field(description="The public note of the step")
    agency: str | None = Field(default=None, description="forwarded: to whom")


class ComplaintPublic(Answer):
    """Whoever holds the code: no staff names, no contact details, no internal notes."""

    code: str
    code_display: str
    status: str = Field(description="received, assigned, in_progress, resolved, closed")
    category: ComplaintCategory
    received_at: IsoTime
    due_on: str
    overdue: bool
    agency: str | None
    steps: list[ComplaintPublicStep]


class ComplaintRowView(Answer):
    id: int
    code: str
    code_display: str
    status: str
    category: str
    channel: str
    summary: str
    received_at: IsoTime
    due_on: str
    overdue: bool
    assignee_id: int | None
    assignee_name: str | None
    agency: str | None
    has_contact: bool
    ticket_id: int | None


class ComplaintRegister(Answer):
    today: str
    total: int
    complaints: list[ComplaintRowView]
    categories: list[ComplaintCategory]
    staff: list[dict[str, Any]]


class ComplaintRecord(Answer):
    """One complaint for staff: with the text, the contact, the files and the whole record."""

    id: int
    code: str
    status: str
    text: str
    contact: str | None
    channel: str
    due_on: str
    overdue: bool
    assignee_id: int | None
    agency: str | None
    files: list[dict[str, Any]]
    events: list[dict[str, Any]]


# --- evidence packs ---------------------------------------------------------------------------

class PackView(Answer):
    id: str = Field(description="The pack's id (its time and a random suffix)")
    from_: str = Field(alias="from", description="First day, YYYY-MM-DD")
    to: str = Field(description="Last day, included")
    by: str = Field(description="Who asked for it")
    state: str = Field(description="running, zipping, done or failed")
    progress: float = Field(description="0-1: the files written, then the zip")
    files_written: list[str]
    started_at: IsoTime
    finished_at: IsoTime | None
    size: int | None = Field(description="Bytes of the zip when done")
    error: str | None
    download_url: str | None


class PackList(Answer):
    packs: list[PackView]
