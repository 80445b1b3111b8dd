"""Socket.IO: clients join a room and get its whole state at once (`snapshot`)."""

from __future__ import annotations

import re

import flask
from flask_socketio import SocketIO, emit, join_room, leave_room

from ..domain.errors import DomainError

socketio = SocketIO()

ROOM = re.compile(r"^(display|counter:\d{1,9}|ticket:[A-Za-z0-9_-]{1,64}|kiosk:[A-Za-z0-9_.-]{1,64})$")


def _queue():
    return flask.current_app.extensions["gecc"].queue


def snapshot_of(room: str) -> dict:
    """The whole current state a client of `room` shows."""
    queue = _queue()
    if room == "display":
        return queue.display_snapshot()
    kind, _, key = room.partition(":")
    if kind == "counter":
        return {"counter": queue.counter(int(key), public=True), "services": queue.services()}
    if kind == "kiosk":  # the kiosk page: its printer's state and the services
        printing = flask.current_app.extensions["gecc"].printing
        return {"printer": printing.state(None if key == "local" else key),
                "services": queue.services()}
    return {"ticket": queue.ticket_status(key)}


@socketio.on("join")
def on_join(data):
    room = data.get("room") if isinstance(data, dict) else None
    if not isinstance(room, str) or not ROOM.match(room):
        emit("error", {"code": "invalid_room",
                       "message": "Rooms are display, counter:<id>, ticket:<token>, kiosk:<id>."})
        return {"ok": False}
    # Into the room first, then read the state: a change committed while the snapshot is
    # read reaches this client as an event. The other way round, an event published between
    # the read and the join was lost to it (a display missed a call made as it reconnected).
    # The client holds events that come before the snapshot and applies them after it.
    join_room(room)
    try:
        state = snapshot_of(room)
    except Exception as exc:
        leave_room(room)
        if not isinstance(exc, DomainError):
            raise
        emit("error", {"code": exc.code, "message": exc.message})
        return {"ok": False}
    emit("snapshot", {"room": room, **state})
    return {"ok": True}


@socketio.on("leave")
def on_leave(data):
    room = data.get("room") if isinstance(data, dict) else None
    if isinstance(room, str):
        leave_room(room)
    return {"ok": True}
