"""The HTTP API under /api/v1: parse, call a use case, shape the answer. Nothing more."""

from __future__ import annotations

import flask

from ..domain.errors import NotFound
from ..domain.model import Actor, Channel
from . import api_models as m, schemas
from .auth import (COUNTER_ROLES, MANAGER_ROLES, RECEPTION_ROLES, STAFF_ROLES, Forbidden,
                   Unauthorized, actor, require, staff_member)
from ..service_layer.printing import ORIGINAL_PRINTER
from ..service_layer.tickets import UNSEEN
from .limits import check_in_failures_throttled, public
from .offices import request_office_id
from .openapi import openapi_document, operation as op

api = flask.Blueprint("api", __name__, url_prefix="/api/v1")


def gecc():
    """The use cases (app.py `Services`)."""
    return flask.current_app.extensions["gecc"]


def own_office() -> int:
    """The office of the staff member or device calling (behind `require`): every id it
    names must be of this office, or it is not found."""
    return staff_member().office_id


@api.get("/openapi.json")
@op("This document: OpenAPI 3.1", m.OpenApiDocument)
def openapi():
    return flask.jsonify(openapi_document())


@api.get("/office")
@op("The office: name, time zone, opening hours, notice", m.OfficeView)
def office():
    return flask.jsonify(gecc().queries.office(request_office_id()))


@api.post("/office/notice")
@op("Set the lobby display's notice strip", m.NoticeView, body=schemas.Notice,
    errors=[404])
@require(MANAGER_ROLES)
def office_notice():
    """The text of the lobby display's notice strip (empty: the built-in notice)."""
    body = schemas.parse(schemas.Notice)
    return flask.jsonify(gecc().office_settings.set_notice(staff_member().office_id, body.text, actor()))


@api.get("/services")
@op("Services with waiting count, estimated wait and open state", m.ServiceList)
def services():
    return flask.jsonify(gecc().queries.services(request_office_id()))


@api.post("/tickets")
@op("Issue a ticket (kiosk; the reception channel and a triage note need the reception desk)",
    m.TicketView, status=201, body=schemas.IssueTicket, errors=[401, 403, 404, 409],
    public_or_staff=True)
@public
def issue_ticket():
    body = schemas.parse(schemas.IssueTicket)
    member = staff_member()
    if body.channel == Channel.ONLINE:
        # Online tickets are GECC's online-share evidence: they come from a booking's
        # check-in (POST /bookings/check-in), never from a caller who says so.
        raise Forbidden("Online tickets come from a booking's check-in.")
    if body.channel == Channel.RECEPTION or body.note is not None:
        # The reception channel is counted as GECC first-reception evidence, and the triage
        # note is the desk's word to the clerk: the reception desk's only.
        if member is None:
            raise Unauthorized("Reception tickets and triage notes come from the reception "
                               "desk: log in.")
        if member.role not in RECEPTION_ROLES:
            raise Forbidden(f"A {member.role.value} may not issue reception tickets or "
                            "write a triage note.")
    if body.channel == Channel.RECEPTION:
        who = actor()
    else:
        who = Actor("kiosk", body.kiosk_id)
    ticket = gecc().tickets.issue_ticket(body.service_id, body.priority, body.channel, who,
                                         kiosk_id=body.kiosk_id, note=body.note,
                                         print_ticket=body.print,
                                         office_id=request_office_id())
    return flask.jsonify(ticket), 201


@api.post("/tickets/cancel-flood")
@op("Clear a flood: cancel the waiting tickets issued between two times (manager)",
    m.FloodCancelled, body=schemas.CancelFlood, errors=[400])
@require(MANAGER_ROLES)
def cancel_flood():
    """Someone issued hundreds of tickets: the manager withdraws those still waiting from the
    times (and kiosk, channel or service) of the flood; each keeps the manager and the reason."""
    body = schemas.parse(schemas.CancelFlood)
    return flask.jsonify(gecc().tickets.cancel_flood(
        staff_member().office_id, actor(), body.from_, body.to, body.reason, body.service_id,
        body.channel.value if body.channel else None, body.kiosk_id))


@api.get("/tickets/<token>")
@op("A ticket's status for its holder: ahead, eta, counter", m.HolderTicketView, errors=[404])
@public
def ticket_status(token: str):
    if len(token) > 64:
        raise NotFound("There is no ticket with that code.")
    return flask.jsonify(gecc().queries.ticket_status(token))


@api.get("/counters")
@op("Counters with their services and current ticket", m.CounterList)
@require(STAFF_ROLES)
def counters():
    return flask.jsonify(gecc().queries.counters(staff_member().office_id))


@api.get("/counters/<id:counter_id>")
@op("One counter", m.CounterView, errors=[404])
@require(STAFF_ROLES)
def counter(counter_id: int):
    return flask.jsonify(gecc().queries.counter(counter_id, office_id=own_office()))


@api.get("/counters/<id:counter_id>/waiting")
@op("The counter's waiting list and figures today", m.CounterWaiting, errors=[404])
@require(STAFF_ROLES)
def counter_waiting(counter_id: int):
    """The clerk's waiting list (queue order per service) and the counter's figures today."""
    return flask.jsonify(gecc().queries.counter_waiting(counter_id, user_id=staff_member().id,
                                                        office_id=own_office()))


@api.post("/counters/<id:counter_id>/settings")
@op("Open or close a counter; set the services it serves, in order", m.CounterView,
    body=schemas.CounterSettings, errors=[404, 409])
@require(COUNTER_ROLES)
def counter_settings(counter_id: int):
    body = schemas.parse(schemas.CounterSettings)
    return flask.jsonify(gecc().office_settings.set_counter(
        counter_id, actor(), is_open=body.open, service_ids=body.service_ids,
        office_id=own_office()))


@api.post("/services/<id:service_id>/settings")
@op("Open or close a service for new tickets; who waits is still called",
    m.ServiceView, body=schemas.ServiceSettings, errors=[404])
@require(MANAGER_ROLES)
def service_settings(service_id: int):
    body = schemas.parse(schemas.ServiceSettings)
    return flask.jsonify(gecc().office_settings.set_service(service_id, actor(), is_open=body.open,
                                             office_id=staff_member().office_id))


@api.post("/counters/<id:counter_id>/call-next")
@op("Call the next ticket (finishes the counter's current one); 404 queue_empty",
    m.TicketView, body=schemas.CallNext, errors=[404, 409])
@require(COUNTER_ROLES)
def call_next(counter_id: int):
    body = schemas.parse(schemas.CallNext)
    seen = body.seen_ticket_id if "seen_ticket_id" in body.model_fields_set else UNSEEN
    return flask.jsonify(gecc().tickets.call_next(counter_id, actor(), seen, office_id=own_office()))


@api.post("/counters/<id:counter_id>/call")
@op("Call one particular waiting or held ticket", m.TicketView, body=schemas.CallTicket,
    errors=[404, 409])
@require(COUNTER_ROLES)
def call_ticket(counter_id: int):
    body = schemas.parse(schemas.CallTicket)
    return flask.jsonify(gecc().tickets.call_ticket(counter_id, body.ticket_id, actor(),
                                                    office_id=own_office()))


@api.post("/tickets/<id:ticket_id>/recall")
@op("Announce again", m.TicketView, errors=[404, 409])
@require(COUNTER_ROLES)
def recall(ticket_id: int):
    return flask.jsonify(gecc().tickets.recall(ticket_id, actor(), own_office()))


@api.post("/tickets/<id:ticket_id>/hold")
@op("Set aside at its counter", m.TicketView, errors=[404, 409])
@require(COUNTER_ROLES)
def hold(ticket_id: int):
    """Set the ticket aside at its counter; call it back with POST /counters/<id>/call."""
    return flask.jsonify(gecc().tickets.hold(ticket_id, actor(), own_office()))


@api.post("/tickets/<id:ticket_id>/start")
@op("Service starts", m.TicketView, errors=[404, 409])
@require(COUNTER_ROLES)
def start(ticket_id: int):
    return flask.jsonify(gecc().tickets.start(ticket_id, actor(), own_office()))


@api.post("/tickets/<id:ticket_id>/finish")
@op("Service done (from called or serving)", m.TicketView, errors=[404, 409])
@require(COUNTER_ROLES)
def finish(ticket_id: int):
    return flask.jsonify(gecc().tickets.finish(ticket_id, actor(), own_office()))


@api.post("/tickets/<id:ticket_id>/no-show")
@op("Not present: re-queued once, then dropped", m.TicketView, errors=[404, 409])
@require(COUNTER_ROLES)
def no_show(ticket_id: int):
    return flask.jsonify(gecc().tickets.no_show(ticket_id, actor(), own_office()))


@api.post("/tickets/<id:ticket_id>/transfer")
@op("Join another service's queue, keeping the issue time", m.TicketView,
    body=schemas.Transfer, errors=[404, 409])
@require(COUNTER_ROLES | RECEPTION_ROLES)
def transfer(ticket_id: int):
    body = schemas.parse(schemas.Transfer)
    return flask.jsonify(gecc().tickets.transfer(ticket_id, body.service_id, actor(),
                                                 own_office()))


@api.post("/tickets/<id:ticket_id>/cancel")
@op("Withdraw: staff, or the citizen with the token", m.HolderTicketView,
    body=schemas.CancelTicket, errors=[401, 404, 409], public_or_staff=True)
@public
def cancel(ticket_id: int):
    """Staff cancel by id; a citizen cancels by sending the token from their ticket's QR."""
    body = schemas.parse(schemas.CancelTicket)
    member = staff_member()
    if member is not None:
        # Clerks and the reception desk withdraw tickets; a device's token (a print agent, a
        # rating tablet) never does.
        if member.role not in COUNTER_ROLES | RECEPTION_ROLES:
            raise Forbidden(f"A {member.role.value} may not cancel tickets.")
        return flask.jsonify(gecc().tickets.cancel(ticket_id, actor(), member.office_id))
    if not body.token:
        raise Unauthorized("Send the ticket's token, or log in as staff.")
    status = gecc().queries.ticket_status(body.token)
    if status["id"] != ticket_id:
        raise NotFound(f"There is no ticket {ticket_id} with that token.")
    return flask.jsonify(gecc().tickets.cancel_by_token(body.token))


@api.post("/tickets/<id:ticket_id>/reprint")
@op("Print the ticket again at a kiosk's printer", m.ReprintJob, status=201,
    body=schemas.Reprint, errors=[404, 409])
@require(COUNTER_ROLES | RECEPTION_ROLES)
def reprint(ticket_id: int):
    body = schemas.parse(schemas.Reprint)
    kiosk = body.kiosk_id if "kiosk_id" in body.model_fields_set else ORIGINAL_PRINTER
    return flask.jsonify(gecc().printing.reprint(ticket_id, kiosk, own_office())), 201


@api.get("/printers")
@op("Each print agent's last report on its printer", m.PrinterStateList)
@require(STAFF_ROLES)
def printers():
    """What each print agent last said about its printer."""
    return flask.jsonify(gecc().printing.states(own_office()))


@api.get("/kiosks/<kiosk_id>/printer")
@op("A kiosk's printer state ('local': the server's own)", m.PrinterStateView,
    errors=[404])
def kiosk_printer(kiosk_id: str):
    """The kiosk page asks whether it can print, or must show the ticket on screen."""
    if len(kiosk_id) > 64:
        raise NotFound("There is no such kiosk.")
    return flask.jsonify(gecc().printing.state(
        None if kiosk_id == "local" else kiosk_id))


@api.get("/summary")
@op("One day's counts, waits, service times, channels", m.DaySummary,
    query=schemas.DayQuery)
@require(MANAGER_ROLES)
def summary():
    """Counts, waits and service times of one day: ?day=YYYY-MM-DD, today by default."""
    from datetime import date

    from .schemas import InvalidInput
    raw = flask.request.args.get("day")
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        raise InvalidInput("day must be a date like 2026-11-22.") from None
    return flask.jsonify(gecc().queries.day_summary(staff_member().office_id, day))


# --- bookings: made by staff now (online later), checked in at the kiosk ------------------

def bookings():
    return gecc().bookings


@api.post("/bookings")
@op("Book a service at a slot; 201 with the code", m.BookingView, status=201,
    body=schemas.CreateBooking, errors=[404, 409])
@require(RECEPTION_ROLES)
def create_booking():
    """Book a service at a slot; the answer holds the code the citizen types at the kiosk."""
    body = schemas.parse(schemas.CreateBooking)
    return flask.jsonify(bookings().create(body.service_id, body.slot_at, actor(), name=body.name,
                                           office_id=staff_member().office_id)), 201


@api.get("/bookings")
@op("The bookings of one day", m.BookingDay, query=schemas.DateQuery)
@require(RECEPTION_ROLES)
def list_bookings():
    """The bookings of one local day: ?date=YYYY-MM-DD, today by default."""
    return flask.jsonify(bookings().day(staff_member().office_id, day_arg("date")))


@api.post("/bookings/<id:booking_id>/cancel")
@op("Cancel a booking not yet checked in", m.BookingView, errors=[404, 409])
@require(RECEPTION_ROLES)
def cancel_booking(booking_id: int):
    return flask.jsonify(bookings().cancel(booking_id, actor(), staff_member().office_id))


@api.post("/bookings/check-in")
@op("Check in with a booking code at the kiosk", m.CheckedInTicket, status=201,
    also={200: (m.CheckedInTicket, "Checked in already: the same ticket, repeated: true")},
    body=schemas.CheckIn, errors=[401, 404, 409], public_or_staff=True)
@public
@check_in_failures_throttled
def check_in():
    """The citizen's code (typed or scanned) -> their ticket: 201 when issued now, 200 with
    `repeated: true` and the same ticket when the booking was checked in already."""
    body = schemas.parse(schemas.CheckIn)
    member = staff_member()
    who = actor() if member is not None else Actor("kiosk", body.kiosk_id)
    view, issued = bookings().check_in(body.code, who, kiosk_id=body.kiosk_id,
                                       print_ticket=body.print, known_caller=member is not None,
                                       office_id=request_office_id())
    return flask.jsonify(view), 201 if issued else 200


def day_arg(name: str):
    from datetime import date

    from .schemas import InvalidInput
    raw = flask.request.args.get(name)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be a date like 2026-11-23.") from None
    if not 2000 <= day.year <= 2999:
        raise InvalidInput(f"{name} must be a date between the years 2000 and 2999.")
    return day
