"""The one seam live events go through: Socket.IO in production, a recorder in tests."""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Notifier(Protocol):
    def publish(self, event: str, payload: dict, room: str) -> None: ...


class SocketIONotifier:
    """Emits to a Socket.IO room. With a Redis message queue configured on the SocketIO
    object, the emit reaches clients connected to every server process."""

    def __init__(self, socketio):
        self.socketio = socketio

    def publish(self, event: str, payload: dict, room: str) -> None:
        try:
            self.socketio.emit(event, payload, to=room)
        except Exception:  # a broken broker must not undo a committed call
            log.exception("could not publish %s to %s", event, room)


class FanOutNotifier:
    """Publishes to a notifier and to in-process subscribers of a room (the server's own
    print agent listens to `printer:local` this way, without a socket to itself)."""

    def __init__(self, inner: Notifier):
        self.inner = inner
        self.subscribers: dict[str, list] = {}

    def subscribe(self, room: str, callback) -> None:
        self.subscribers.setdefault(room, []).append(callback)

    def publish(self, event: str, payload: dict, room: str) -> None:
        self.inner.publish(event, payload, room)
        for callback in self.subscribers.get(room, ()):
            try:
                callback(event, payload)
            except Exception:  # a subscriber's failure must not undo a committed change
                log.exception("in-process subscriber of %s failed", room)


class RecordingNotifier:
    """Keeps what was published, for tests and for tools that run without a server."""

    def __init__(self):
        self.published: list[tuple[str, dict, str]] = []

    def publish(self, event: str, payload: dict, room: str) -> None:
        self.published.append((event, payload, room))

    def to(self, room: str) -> list[tuple[str, dict]]:
        return [(event, payload) for event, payload, r in self.published if r == room]
