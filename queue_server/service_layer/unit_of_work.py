"""The unit of work: one transaction, and the live messages that go out only after it commits."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy.orm import sessionmaker

from ..adapters.repository import Repository
from ..live.notifier import Notifier


@dataclass
class Message:
    """A live event for one Socket.IO room."""

    event: str
    payload: dict
    room: str


@dataclass
class UnitOfWork:
    """`with uow:` opens a transaction; it rolls back unless `commit()` was called.

    Messages queued with `notify()` are handed to the notifier only after a successful
    commit, so no screen ever shows a call that the database does not hold.
    """

    session_factory: sessionmaker
    notifier: Notifier
    # SQLite admits one writer at a time. Writers of this process queue on this lock instead
    # of polling SQLite's busy handler, which lets newcomers overtake those waiting longest
    # (seconds of tail latency under load). None on PostgreSQL, which locks rows.
    write_lock: threading.RLock | None = None
    messages: list[Message] = field(default_factory=list)

    def __enter__(self) -> UnitOfWork:
        if self.write_lock is not None:
            self.write_lock.acquire()
            self._holding = True
        self.session = self.session_factory()
        self.repo = Repository(self.session)
        self.messages = []
        self.touched_counters: set[int] = set()  # counters whose screens need an update
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self._release()

    def _release(self) -> None:
        if self.write_lock is not None and getattr(self, "_holding", False):
            self._holding = False
            self.write_lock.release()

    def notify(self, event: str, payload: dict, room: str) -> None:
        self.messages.append(Message(event, payload, room))

    def commit(self) -> None:
        self.session.commit()
        self._release()  # the database is free; publishing need not hold it
        messages, self.messages = self.messages, []
        for message in messages:
            self.notifier.publish(message.event, message.payload, message.room)
