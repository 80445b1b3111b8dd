"""Socket.IO: clients join a room and get its whole state at once (`snapshot`)."""

from __future__ import annotations

import flask
import flask_login
from flask_socketio import SocketIO, emit, join_room, leave_room

from ..domain.errors import DomainError
from ..web.auth import MANAGER_ROLES
from ..service_layer.messages import STAFF_ONLY_ROOMS, RoomName, parse_room, refusal

socketio = SocketIO()


def snapshot_of(room: RoomName) -> dict:
    """The whole current state a client of `room` shows."""
    gecc = flask.current_app.extensions["gecc"]
    queries = gecc.queries
    if room.kind == "display":
        return queries.display_snapshot()
    if room.kind == "managers":  # the manager's page: its printers
        return {"printers": gecc.printing.states()}
    if room.kind == "counter":
        return {"counter": queries.counter(int(room.key), public=True), "services": queries.services()}
    if room.kind == "kiosk":  # the kiosk page: its printer's state and the services
        return {"printer": gecc.printing.state(None if room.key == "local" else room.key),
                "services": queries.services()}
    if room.kind == "complaint":  # the tracking page: the public view only
        return {"complaint": gecc.complaints.track(room.key)}
    return {"ticket": queries.ticket_status(room.key)}


def refuse(code: str, message: str) -> dict:
    """One error shape for every Socket.IO handler, as the HTTP API's: an `error` event and
    the acknowledgement both carry {"error": {"code", "message"}}."""
    answer = refusal(code, message)
    emit("error", {"error": answer["error"]})
    return answer


def _may_join(room: RoomName) -> bool:
    if room.kind not in STAFF_ONLY_ROOMS:
        return True
    user = flask_login.current_user  # the page's log-in session (web/auth.py SessionUser)
    return bool(user and user.is_authenticated and user.member.role in MANAGER_ROLES)


@socketio.on("join")
def on_join(data):
    name = data.get("room") if isinstance(data, dict) else None
    room = parse_room(name)
    if room is None:
        return refuse("invalid_room", "Rooms are display, counter:<id>, ticket:<token>, "
                                      "kiosk:<id>, managers.")
    if not _may_join(room):
        return refuse("forbidden", "The managers' room is for managers who are logged in.")
    # Into the room first, then read the state: a change committed while the snapshot is
    # read reaches this client as an event. The other way round, an event published between
    # the read and the join was lost to it (a display missed a call made as it reconnected).
    # The client holds events that come before the snapshot and applies them after it.
    join_room(name)
    try:
        state = snapshot_of(room)
    except Exception as exc:
        leave_room(name)
        if not isinstance(exc, DomainError):
            raise
        return refuse(exc.code, exc.message)
    emit("snapshot", {"room": name, **state})
    return {"ok": True}


@socketio.on("leave")
def on_leave(data):
    room = data.get("room") if isinstance(data, dict) else None
    if isinstance(room, str):
        leave_room(room)
    return {"ok": True}
