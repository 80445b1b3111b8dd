"""The API of ratings, the rating tablet's pairing, the managers' alerts, the evidence and the
self-assessment: parse, call one use case, shape the answer (routes on the /api/v1 blueprint)."""

from __future__ import annotations

import flask

from ..domain.devices import tablet_counter
from ..domain.errors import NotFound
from . import api_models as m, schemas
from .api import api, day_arg, gecc
from .openapi import operation as op
from .auth import COUNTER_ROLES, MANAGER_ROLES, Forbidden, Unauthorized, actor, require, staff_member
from .limits import public


@api.post("/ratings")
@op("Rate a finished visit with the ticket's token (once)", m.RatingGiven, status=201,
    body=schemas.RateByToken, errors=[404, 409])
@public
def rate():
    """The citizen rates their finished visit with the token from the ticket's QR code."""
    body = schemas.parse(schemas.RateByToken)
    return flask.jsonify(gecc().ratings.rate_by_token(body.token, body.score, body.comment,
                                                      body.dimensions)), 201


@api.get("/tickets/<token>/rating")
@op("The rating a ticket's page offers: open or not, until when, the questions", m.RatingForm,
    errors=[404])
@public
def rating_form(token: str):
    """Whether the ticket can be rated now, until when, and the office's questions."""
    if len(token) > 64:
        raise NotFound("There is no ticket with that code.")
    return flask.jsonify(gecc().ratings.form(token))


@api.post("/counters/<id:counter_id>/ratings")
@op("The counter's rating tablet rates a visit that counter finished", m.RatingGiven,
    status=201, body=schemas.RateAtCounter, errors=[401, 403, 404, 409], public_or_staff=True)
def rate_at_counter(counter_id: int):
    """The rating tablet of the counter rates a visit that counter finished (device token)."""
    member = staff_member()
    if member is None:
        raise Unauthorized("The rating tablet sends its device token (pair it first).")
    if tablet_counter(member.username) != counter_id:
        raise Forbidden(f"Only the rating tablet of counter {counter_id} rates its visits.")
    body = schemas.parse(schemas.RateAtCounter)
    return flask.jsonify(gecc().ratings.rate_at_counter(
        counter_id, body.ticket_id, body.score, body.comment, body.dimensions)), 201


@api.post("/counters/<id:counter_id>/rating-tablet/pairing")
@op("A one-time code that pairs a tablet as the counter's rating tablet", m.PairingCode,
    status=201, errors=[404])
@require(COUNTER_ROLES)
def start_tablet_pairing(counter_id: int):
    """A one-time code (10 minutes) to type on the tablet facing the citizen at the counter."""
    # 404 for a counter that does not exist, or is another office's
    gecc().queries.counter(counter_id, office_id=staff_member().office_id)
    return flask.jsonify(gecc().accounts.start_tablet_pairing(staff_member().office_id,
                                                              counter_id)), 201


@api.post("/devices/pair")
@op("Pair a device with its one-time code: its bearer token", m.PairedDevice, status=201,
    body=schemas.PairDevice, errors=[403])
@public
def pair_device():
    """The tablet's side of the pairing: the code for the device's bearer token."""
    body = schemas.parse(schemas.PairDevice)
    return flask.jsonify(gecc().accounts.pair_device(body.code)), 201


@api.post("/devices/pairing-requests")
@op("A device asks to be paired: the code it shows and its secret", m.PairingRequest,
    status=201)
@public
def request_pairing():
    """The device's pairing page (/pair) shows the code; an administrator types it on the
    devices page and chooses what the device is."""
    return flask.jsonify(gecc().devices.request_pairing()), 201


@api.post("/devices/pairing-requests/<id:request_id>/collect")
@op("The device collects its token once it is paired (else `waiting` or `expired`)",
    m.PairingCollected, body=schemas.CollectPairing, errors=[403])
@public
def collect_pairing(request_id: int):
    body = schemas.parse(schemas.CollectPairing)
    return flask.jsonify(gecc().devices.collect(request_id, body.secret))


@api.get("/alerts")
@op("Alerts: the open ones, or those raised on ?from=&to= days", m.AlertList,
    query=schemas.PeriodQuery)
@require(MANAGER_ROLES)
def alerts():
    """Open alerts (default), or ?from=&to= for every alert raised in those days."""
    first, last = day_arg("from"), day_arg("to")
    office_id = staff_member().office_id
    if first is None and last is None:
        return flask.jsonify({"alerts": gecc().alerts.open(office_id)})
    first, last = first or last, last or first
    return flask.jsonify({"alerts": gecc().alerts.history(office_id, first, last)})


@api.post("/alerts/<id:alert_id>/handle")
@op("Record the action taken on an alert (who and when are recorded)", m.AlertView,
    body=schemas.HandleAlert, errors=[404, 409])
@require(MANAGER_ROLES)
def handle_alert(alert_id: int):
    body = schemas.parse(schemas.HandleAlert)
    return flask.jsonify(gecc().alerts.handle(alert_id, body.action, actor(),
                                              staff_member().office_id))


@api.get("/evidence")
@op("The GECC evidence figures of a period of the office's days", m.EvidenceReport,
    query=schemas.PeriodQuery)
@require(MANAGER_ROLES)
def evidence():
    """The GECC evidence figures of ?from=YYYY-MM-DD&to=YYYY-MM-DD (the office's days)."""
    return flask.jsonify(gecc().evidence.report(staff_member().office_id, day_arg("from"),
                                                day_arg("to")))



@api.get("/assessment")
@op("The criteria the office answers by hand, with the answers that hold on ?day=",
    m.AssessmentList, query=schemas.DayQuery)
@require(MANAGER_ROLES)
def assessment():
    return flask.jsonify(gecc().assessment.answers(staff_member().office_id, day_arg("day")))


@api.post("/assessment/answers")
@op("Answer a criterion by hand for a period (who and when are recorded)", m.AssessmentItem,
    status=201, body=schemas.AnswerCriterion, errors=[404])
@require(MANAGER_ROLES)
def answer_criterion():
    body = schemas.parse(schemas.AnswerCriterion)
    return flask.jsonify(gecc().assessment.answer(
        staff_member().office_id, body.item_id, body.met, body.from_, body.to, actor(),
        body.note)), 201


@api.post("/assessment/answers/<id:answer_id>/files")
@op("Attach a file (PDF, PNG, JPEG, WebP; 5 MB at most) as evidence of a manual answer",
    m.AttachedFile, status=201, errors=[404, 413, 415])
@require(MANAGER_ROLES)
def attach_to_answer(answer_id: int):
    """multipart/form-data with the file in the field `file`."""
    flask.request.max_content_length = gecc().assessment.policy.max_bytes + 64 * 1024
    upload = flask.request.files.get("file")
    if upload is None:
        raise schemas.InvalidInput("Send the file as multipart/form-data in the field 'file'.")
    return flask.jsonify(gecc().assessment.attach(
        staff_member().office_id, answer_id, upload.filename or "", upload.read(), actor())), 201


@api.get("/files/<id:attachment_id>")
@op("An attached evidence file (managers only)", None, errors=[404])
@require(MANAGER_ROLES)
def attached_file(attachment_id: int):
    meta, content = gecc().assessment.file(staff_member().office_id, attachment_id)
    response = flask.Response(content, mimetype=meta["content_type"])
    # Always a download, never shown inline: a file is only as safe as its reader.
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(meta['filename'])}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote
    return quote(name, safe="")
