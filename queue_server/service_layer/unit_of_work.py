"""The unit of work: one transaction, and the live messages that go out only after it commits."""

from __future__ import annotations

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
    messages: list[Message] = field(default_factory=list)

    def __enter__(self) -> UnitOfWork:
        self.session = self.session_factory()
        self.repo = Repository(self.session)
        self.messages = []
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def notify(self, event: str, payload: dict, room: str) -> None:
        self.messages.append(Message(event, payload, room))

    def commit(self) -> None:
        self.session.commit()
        messages, self.messages = self.messages, []
        for message in messages:
            self.notifier.publish(message.event, message.payload, message.room)
