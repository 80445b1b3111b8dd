"""The API of ratings, the rating tablet's pairing, the managers' alerts and the evidence:
parse, call one use case, shape the answer (routes on the /api/v1 blueprint)."""

from __future__ import annotations

import flask

from ..domain.devices import tablet_counter
from ..domain.errors import NotFound
from . import schemas
from .api import api, day_arg, gecc
from .auth import COUNTER_ROLES, MANAGER_ROLES, Forbidden, Unauthorized, actor, require, staff_member
from .limits import public


@api.post("/ratings")
@public
def rate():
    """The citizen rates their finished visit with the token from the ticket's QR code."""
    body = schemas.parse(schemas.RateByToken)
    return flask.jsonify(gecc().ratings.rate_by_token(body.token, body.score, body.comment,
                                                      body.dimensions)), 201


@api.get("/tickets/<token>/rating")
@public
def rating_form(token: str):
    """Whether the ticket can be rated now, until when, and the office's questions."""
    if len(token) > 64:
        raise NotFound("There is no ticket with that code.")
    return flask.jsonify(gecc().ratings.form(token))


@api.post("/counters/<id:counter_id>/ratings")
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
@require(COUNTER_ROLES)
def start_tablet_pairing(counter_id: int):
    """A one-time code (10 minutes) to type on the tablet facing the citizen at the counter."""
    gecc().queries.counter(counter_id)  # 404 for a counter that does not exist
    return flask.jsonify(gecc().accounts.start_tablet_pairing(staff_member().office_id,
                                                              counter_id)), 201


@api.post("/devices/pair")
@public
def pair_device():
    """The tablet's side of the pairing: the code for the device's bearer token."""
    body = schemas.parse(schemas.PairDevice)
    return flask.jsonify(gecc().accounts.pair_device(body.code)), 201


@api.get("/alerts")
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
@require(MANAGER_ROLES)
def handle_alert(alert_id: int):
    body = schemas.parse(schemas.HandleAlert)
    return flask.jsonify(gecc().alerts.handle(alert_id, body.action, actor(),
                                              staff_member().office_id))


@api.get("/evidence")
@require(MANAGER_ROLES)
def evidence():
    """The GECC evidence figures of ?from=YYYY-MM-DD&to=YYYY-MM-DD (the office's days)."""
    return flask.jsonify(gecc().evidence.report(staff_member().office_id, day_arg("from"),
                                                day_arg("to")))

