"""Socket.IO for print agents: a device token on connect, then jobs, acknowledgements and
printer status. The agent of kiosk K may only see and answer K's jobs."""

from __future__ import annotations

import flask
from flask_socketio import ConnectionRefusedError, join_room

from ..domain.errors import DomainError
from ..domain.model import Role
from ..domain.printing import PrinterState
from ..service_layer.messages import Rooms, refusal
from .sockets import socketio

AGENT_KEY = "print_agent_kiosk"


def _services():
    return flask.current_app.extensions["gecc"]


def refused(exc: Exception) -> dict:
    """The agent's answer to a refused request, in the API's error shape."""
    if isinstance(exc, DomainError):
        return refusal(exc.code, exc.message)
    return refusal("invalid_request", str(exc))


@socketio.on("connect")
def on_connect(auth):
    """Pages connect without credentials; a print agent sends {"token": ...}."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if token is None:
        return True
    member = _services().accounts.user_for_token(str(token)[:200])
    if member is None or member.role != Role.DEVICE or not member.username.startswith("kiosk:"):
        raise ConnectionRefusedError("not a print agent token")
    flask.session[AGENT_KEY] = member.username.removeprefix("kiosk:")
    return True


def _agent_kiosk() -> str:
    kiosk = flask.session.get(AGENT_KEY)
    if kiosk is None:
        raise DomainError("Only a print agent may do this.")
    return kiosk


@socketio.on("agent_hello")
def on_agent_hello(_data=None):
    """The agent (re)connected: join its room and take everything still pending."""
    try:
        kiosk = _agent_kiosk()
    except DomainError as exc:
        return refused(exc)
    join_room(Rooms.printer(kiosk))
    return {"ok": True, "kiosk_id": kiosk, "jobs": _services().printing.pending(kiosk)}


@socketio.on("print_ack")
def on_print_ack(data):
    try:
        kiosk = _agent_kiosk()
        if not isinstance(data, dict) or not isinstance(data.get("job_id"), int):
            raise DomainError("print_ack needs an integer job_id.")
        result = _services().printing.acknowledge(
            data["job_id"], kiosk, str(data.get("outcome", "")),
            str(data["error"])[:500] if data.get("error") else None)
    except (DomainError, ValueError) as exc:
        return refused(exc)
    return {"ok": True, **result}


@socketio.on("printer_status")
def on_printer_status(data):
    try:
        kiosk = _agent_kiosk()
    except DomainError as exc:
        return refused(exc)
    return {"ok": True, **_services().printing.report_status(PrinterState.from_report(kiosk, data))}


@socketio.on("disconnect")
def on_disconnect(*_args):
    kiosk = flask.session.get(AGENT_KEY)
    if kiosk is not None:
        _services().printing.report_status(PrinterState(
            kiosk, False, "unknown", None, "print agent disconnected", None))

