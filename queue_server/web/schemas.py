"""Request bodies, validated with pydantic; the OpenAPI document reuses these models."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Annotated

import flask
from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints,
                      WithJsonSchema, field_validator)

from werkzeug.routing import IntegerConverter

from ..domain.complaint import ComplaintChannel, ComplaintStatus
from ..domain.errors import DomainError
from ..domain.model import Channel, Priority

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32-bit on PostgreSQL
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID, json_schema_extra={"format": "int32"},
                                description="A database id: a JSON integer without a "
                                            "fraction (1.0 is refused), 1 to 2147483647")]


class IdConverter(IntegerConverter):
    """`<id:name>` in a route: a database id, 1 to MAX_ID. A larger number matches no route
    (a 404) instead of overflowing the database driver (a 500)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
KioskId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class Body(BaseModel):
    # Unknown fields are ignored so that newer clients keep working with this server.
    model_config = ConfigDict(extra="ignore")


class IssueTicket(Body):
    service_id: Id
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.KIOSK
    kiosk_id: KioskId | None = None
    note: Note | None = Field(default=None, description="Triage note from the reception desk")
    print: StrictBool | None = Field(
        default=None, description="Print it (at kiosk_id; none: the server's own printer). "
                                  "Default: kiosk tickets and tickets that name a kiosk_id")


class CallNext(Body):
    seen_ticket_id: Id | None = Field(
        default=None, description="The ticket the console shows; a repeated press calls nothing more")


class CallTicket(Body):
    ticket_id: Id


class Transfer(Body):
    service_id: Id


class CancelTicket(Body):
    token: Annotated[str, StringConstraints(max_length=64)] | None = None


class Reprint(Body):
    kiosk_id: KioskId | None = Field(
        default=None, description="The printer's kiosk; null: the server's own; left out: the "
                                  "printer that printed the ticket first")


class ServiceSettings(Body):
    open: StrictBool = Field(description="Take new tickets (true) or not (false); who waits is "
                                         "still called")


class Notice(Body):
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class CounterSettings(Body):
    open: StrictBool | None = None
    service_ids: Annotated[list[Id], Field(max_length=50)] | None = None


class CreateBooking(Body):
    service_id: Id
    slot_at: datetime = Field(description="Slot start: ISO 8601 with an offset (UTC 'Z' or "
                                          "+07:00); without one, the office's local time")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        default=None, description="The citizen's name (optional; shown to staff only)")

    @field_validator("slot_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        if not 2000 <= value.year <= 2999:
            raise ValueError("the slot must be a date between the years 2000 and 2999")
        return value


class CancelFlood(Body):
    """A flood of tickets to clear: those still waiting, issued in [from, to)."""

    from_: datetime = Field(alias="from", description="ISO 8601 with an offset")
    to: datetime = Field(description="ISO 8601 with an offset; after `from`")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)] = Field(
        description="Why: recorded on every ticket cancelled")
    service_id: Id | None = None
    channel: Channel | None = None
    kiosk_id: KioskId | None = None

    @field_validator("from_", "to")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give the time with its offset (Z or +07:00)")
        if not 2000 <= value.year <= 2999:
            raise ValueError("a time between the years 2000 and 2999")
        return value


class CheckIn(Body):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = Field(
        description="The booking code as typed or scanned (case, spaces and dashes do not "
                    "matter), or a URL holding it (?code=..., or as the last path part)")
    kiosk_id: KioskId | None = None
    print: StrictBool = Field(default=True, description="Print the ticket (at kiosk_id; none: "
                                                        "the server's own printer)")


Score = Annotated[StrictInt, Field(ge=1, le=5)]


class Rate(Body):
    """A rating of one finished visit (limits: ../shared/CONTRACT.md)."""

    score: Score = Field(description="1 (very dissatisfied) to 5 (very satisfied)")
    comment: Annotated[str, StringConstraints(max_length=1000)] | None = Field(
        default=None, description="At most 1,000 characters; seen by managers only, erased "
                                  "after the retention period")
    dimensions: Annotated[dict[Annotated[str, StringConstraints(max_length=32)], Score],
                          Field(max_length=12)] | None = Field(
        default=None, description="The office's own questions (GET .../rating), each 1-5")


class RateByToken(Rate):
    token: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class RateAtCounter(Rate):
    ticket_id: Id


class PairDevice(Body):
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$")] = Field(
        description="The six digits shown on the counter console")


class CollectPairing(Body):
    secret: Annotated[str, StringConstraints(min_length=8, max_length=64)] = Field(
        description="The secret given with the pairing request (only the device knows it)")


class HandleAlert(Body):
    action: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=1000)] = Field(
        description="What was done about it (the GECC evidence of a quick response)")


# --- the complaint register (limits: ../shared/CONTRACT.md) ----------------------------------

StepNote = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class FileComplaint(Body):
    """A complaint: JSON, or multipart/form-data with the same fields and up to 3 files in
    the field `files` (photos or PDF, 5 MB each)."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=5000)] = Field(
        description="What happened, at most 5,000 characters (longer is refused, never cut)")
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = Field(
        default=None, description="A key of the office's categories (GET /complaint-form); "
                                  "'other' when left out")
    contact: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        default=None, description="How to reach the citizen (optional; personal data: shown to "
                                  "staff only, erased after the retention period)")
    ticket_token: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = Field(
        default=None, description="The token of the ticket whose visit the complaint is about "
                                  "(the ticket's status page sends it)")
    channel: ComplaintChannel | None = Field(
        default=None, description="online (the citizen, the default) or, for staff only, walk_in "
                                  "or phone (the default for staff: walk_in)")
    via: Annotated[str, StringConstraints(pattern=r"^(poster|kiosk|ticket|web)$")] | None = Field(
        default=None, description="Where the public page was reached from")
    consent: StrictBool | None = Field(
        default=None, description="The citizen ticked the page's PDPA consent line")
    print: StrictBool = Field(default=False, description="Staff: print the receipt (at "
                                                         "kiosk_id; none: the server's own printer)")
    kiosk_id: KioskId | None = None


class ComplaintStep(Body):
    status: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] = Field(
        description="assigned, in_progress, resolved or closed: forward only")
    note: StepNote | None = Field(default=None, description="Public: shown on the tracking page")
    internal_note: StepNote | None = Field(default=None, description="Staff only")


class AssignComplaint(Body):
    user_id: Id
    note: StepNote | None = None
    internal_note: StepNote | None = None


class ForwardComplaint(Body):
    agency: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = Field(
        description="The agency it is sent on to (shown on the tracking page)")
    note: StepNote | None = None
    internal_note: StepNote | None = None


class ReopenComplaint(Body):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] = Field(
        description="Why it is taken up again (staff only)")
    note: StepNote | None = Field(default=None, description="Public: shown on the tracking page")


class ComplaintDue(Body):
    due_on: dt.date = Field(description="The new due date (the office's day), YYYY-MM-DD")
    reason: StepNote | None = None

    @field_validator("due_on")
    @classmethod
    def _plausible(cls, value: dt.date) -> dt.date:
        if not 2000 <= value.year <= 2999:
            raise ValueError("the date must be between the years 2000 and 2999")
        return value


class PrintComplaint(Body):
    kiosk_id: KioskId | None = None


# --- query strings: read by the views themselves; these models document them ---------------

def _no_defaults(schema: dict) -> None:
    for field in schema.get("properties", {}).values():
        field.pop("default", None)  # "left out" is said in words: null is no query value


class Query(BaseModel):
    model_config = ConfigDict(json_schema_extra=_no_defaults)


class DayQuery(Query):
    day: Annotated[dt.date, WithJsonSchema({
        "type": "string", "format": "date",
        "description": "YYYY-MM-DD; today (the office's day) when left out"})] = None


class DateQuery(Query):
    date: Annotated[dt.date, WithJsonSchema({
        "type": "string", "format": "date", "pattern": r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}$",
        "description": "YYYY-MM-DD, years 2000 to 2999; today (the office's day) when left "
                       "out"})] = None


_DAY = {"type": "string", "format": "date", "pattern": r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}$"}


class PeriodQuery(Query):
    from_: Annotated[dt.date, WithJsonSchema({
        **_DAY, "description": "First day, YYYY-MM-DD (the office's days)"})] = Field(
        default=None, alias="from")
    to: Annotated[dt.date, WithJsonSchema({
        **_DAY, "description": "Last day, included; the first day when left out"})] = None


class ComplaintQuery(Query):
    status: ComplaintStatus = None
    category: Annotated[str, WithJsonSchema({"type": "string", "maxLength": 32})] = None
    overdue: Annotated[bool, WithJsonSchema({"type": "boolean", "description":
                                             "true: only overdue; false: none overdue"})] = None
    assignee: Annotated[str, WithJsonSchema({"type": "string", "description":
                                              "a user id, or none (nobody, no agency)"})] = None
    q: Annotated[str, WithJsonSchema({"type": "string", "maxLength": 200, "description":
                                       "the code, or words of the text, contact or agency"})] = None
    limit: Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 500})] = None
    offset: Annotated[int, WithJsonSchema({"type": "integer", "minimum": 0})] = None


class AnswerCriterion(Body):
    item_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] = Field(
        description="A criterion the office answers by hand, e.g. physical.10 or quality.1.2")
    met: StrictBool
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = Field(
        default=None, description="What shows it (where the evidence is kept)")
    from_: dt.date = Field(alias="from", description="First day the answer holds")
    to: dt.date = Field(description="Last day the answer holds")


class PackRequest(Body):
    from_: dt.date = Field(alias="from", description="First day of the pack, YYYY-MM-DD")
    to: dt.date = Field(description="Last day, included")


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400

    def __init__(self, message: str, details: list | None = None):
        super().__init__(message)
        self.details = details or []


# PostgreSQL cannot store a NUL character in text (the driver fails: a 500), and no name,
# note or code has one: refused wherever text comes in (here and web/errors.py).
NUL_REFUSED = "Text may not contain the NUL character (\\u0000)."


def _holds_nul(value, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 64:  # bodies this deep are no body of this API; pydantic refuses the shape
        return False
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v, depth + 1) for v in value)
    return False


def parse(model: type[Body]) -> Body:
    """The request's JSON body as `model`, or a 400 that says what is wrong."""
    from pydantic import ValidationError

    request = flask.request
    if request.content_length == 0 or (not request.data and request.method == "POST"):
        data = {}
    else:
        try:
            data = request.get_json(silent=True, force=True)
        except RecursionError:  # [[[[...]]]] deeper than the parser's stack
            raise InvalidInput("The body is nested too deeply.") from None
        if data is None:
            raise InvalidInput("The body is not valid JSON.")
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.")
    if _holds_nul(data):
        raise InvalidInput(NUL_REFUSED)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                   for e in exc.errors()]
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        raise InvalidInput(f"Invalid input: {summary}", details) from None
