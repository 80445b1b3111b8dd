"""Socket.IO: clients join a room and get its whole state at once (`snapshot`)."""

from __future__ import annotations

import flask
import flask_login
from flask_socketio import SocketIO, emit, join_room, leave_room, rooms

from ..domain.errors import DomainError
from ..web.auth import MANAGER_ROLES
from ..service_layer.messages import STAFF_ONLY_ROOMS, RoomName, Rooms, parse_room, refusal

socketio = SocketIO()


def snapshot_of(room: RoomName, office_id: int | None = None) -> dict:
    """The whole current state a client of `room` shows; `office_id`: the office of the
    display or managers' room it is in."""
    gecc = flask.current_app.extensions["gecc"]
    queries = gecc.queries
    if room.kind == "display":
        return queries.display_snapshot(office_id)
    if room.kind == "managers":  # the manager's page: its office's printers
        return {"printers": gecc.printing.states(office_id)}
    if room.kind == "counter":
        counter = queries.counter(int(room.key), public=True)
        return {"counter": counter, "services": queries.services(counter["office_id"])}
    if room.kind == "kiosk":  # the kiosk page: its printer's state and the services
        return {"printer": gecc.printing.state(None if room.key == "local" else room.key),
                "services": queries.services(office_id)}
    if room.kind == "complaint":  # the tracking page: the public view only
        return {"complaint": gecc.complaints.track(room.key)}
    return {"ticket": queries.ticket_status(room.key)}


def _logged_in_member():
    user = flask_login.current_user  # the page's log-in session (web/auth.py SessionUser)
    return user.member if user and user.is_authenticated else None


def _office_of(data: dict, room: RoomName) -> int | None:
    """The office a display, kiosk or managers' room is about: a logged-in member's own, else
    the one the page names (`office` in the join, its /o/<office>/ path), else the first."""
    member = _logged_in_member()
    if room.kind == "display" and room.key:
        return int(room.key)
    if member is not None:
        return member.office_id
    office = data.get("office")
    if isinstance(office, int) and not isinstance(office, bool) and 0 < office < 2**31:
        return office
    if isinstance(office, str) and office.isdigit() and len(office) <= 9:
        return int(office)
    return None


def _actual_room(room: RoomName, office_id: int) -> str | None:
    """The room a client of `room` is put in: the office's own lobby and managers' rooms."""
    if room.kind == "display":
        return Rooms.display(office_id)
    if room.kind == "managers":
        return Rooms.managers(office_id)
    return None


def refuse(code: str, message: str) -> dict:
    """One error shape for every Socket.IO handler, as the HTTP API's: an `error` event and
    the acknowledgement both carry {"error": {"code", "message"}}."""
    answer = refusal(code, message)
    emit("error", {"error": answer["error"]})
    return answer


def _may_join(room: RoomName) -> bool:
    if room.kind not in STAFF_ONLY_ROOMS:
        return True
    member = _logged_in_member()
    return bool(member and member.role in MANAGER_ROLES)


@socketio.on("join")
def on_join(data):
    name = data.get("room") if isinstance(data, dict) else None
    room = parse_room(name)
    if room is None:
        return refuse("invalid_room", "Rooms are display, counter:<id>, ticket:<token>, "
                                      "kiosk:<id>, managers.")
    if not _may_join(room):
        return refuse("forbidden", "The managers' room is for managers who are logged in.")
    office_id = None
    if room.kind in ("display", "managers", "kiosk"):
        try:
            office_id = flask.current_app.extensions["gecc"].queries.office(
                _office_of(data, room))["id"]
        except DomainError as exc:
            return refuse(exc.code, exc.message)
    actual = _actual_room(room, office_id) or name
    # Into the room first, then read the state: a change committed while the snapshot is
    # read reaches this client as an event. The other way round, an event published between
    # the read and the join was lost to it (a display missed a call made as it reconnected).
    # The client holds events that come before the snapshot and applies them after it.
    join_room(actual)
    try:
        state = snapshot_of(room, office_id)
    except Exception as exc:
        leave_room(actual)
        if not isinstance(exc, DomainError):
            raise
        return refuse(exc.code, exc.message)
    emit("snapshot", {"room": name, **state})
    return {"ok": True}


@socketio.on("leave")
def on_leave(data):
    room = data.get("room") if isinstance(data, dict) else None
    if room in (Rooms.DISPLAY, Rooms.MANAGERS):  # the office's room it was put in
        for joined in rooms():
            if joined.startswith(room + ":"):
                leave_room(joined)
    elif isinstance(room, str):
        leave_room(room)
    return {"ok": True}
