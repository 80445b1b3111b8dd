"""The unit of work as the use cases see it: one transaction, its repositories, and the live
messages that go out only after it commits. No database here: adapters/unit_of_work.py is the
SQL one, tests/unit/fakes.py an in-memory one.

Every write use case runs through `run_in_transaction`: when a concurrent writer wins a race
(an optimistic version, a unique number, a lock wait), the whole use case runs again from the
start on fresh data, so every decision is taken again.
"""

from __future__ import annotations

import logging
import random
import time
from abc import ABC, abstractmethod
from typing import Callable, Protocol, TypeVar

from .messages import Changes, Message

log = logging.getLogger(__name__)
T = TypeVar("T")


class Notifier(Protocol):
    """Where committed messages go (live/notifier.py: Socket.IO; tests: a recorder)."""

    def publish(self, event: str, payload: dict, room: str) -> None: ...


class ConcurrentUpdate(Exception):
    """A concurrent writer won a race; the use case may run again on fresh data."""


class UnitOfWork(ABC):
    """`with uow:` opens a transaction; it rolls back unless `commit()` was called.

    Repositories: `offices`, `users`, `tickets`, `print_jobs`, `bookings`, `ratings`,
    `alerts`, `evidence`, `attachments`, `complaints`, `setup` (set by the concrete unit of work on enter). Use cases record what they changed in `changes` and queue ready
    messages with `publish`; both reach the notifier only after a successful commit, so no
    screen ever shows a call that the database does not hold.
    """

    offices: object
    users: object
    tickets: object
    print_jobs: object
    bookings: object
    ratings: object
    alerts: object
    evidence: object
    attachments: object
    complaints: object
    setup: object

    def __init__(self, notifier: Notifier):
        self.notifier = notifier
        self.messages: list[Message] = []
        self.changes = Changes()

    # --- for the concrete unit of work -----------------------------------------------------

    @abstractmethod
    def _begin(self) -> None:
        """Start the transaction and set the repositories."""

    @abstractmethod
    def _commit(self) -> None:
        """Make the transaction's changes durable."""

    @abstractmethod
    def _end(self) -> None:
        """Roll back whatever was not committed and let the database go."""

    def flush(self) -> None:
        """Send pending changes to the database (ids, and queries that must see them)."""

    # --- for the use cases -------------------------------------------------------------------

    def __enter__(self):
        self.messages = []
        self.changes = Changes()
        self._begin()
        return self

    def __exit__(self, *exc) -> None:
        self._end()

    @abstractmethod
    def add(self, obj) -> None:
        """A new domain object of any aggregate (an office event, a user, a booking...)."""

    def publish(self, message: Message) -> None:
        self.messages.append(message)

    def commit(self) -> None:
        self._commit()
        messages, self.messages = self.messages, []
        for message in messages:
            self.notifier.publish(message.event, message.payload, message.room)


def run_in_transaction(uow_factory: Callable[[], UnitOfWork], run: Callable[[UnitOfWork], T],
                       max_attempts: int = 8) -> T:
    """Run a write use case in a fresh unit of work, again from the start if a concurrent
    writer won the race."""
    for attempt in range(1, max_attempts + 1):
        try:
            with uow_factory() as uow:
                return run(uow)
        except ConcurrentUpdate as exc:
            if attempt == max_attempts:
                raise
            log.info("retrying after a concurrent update (%s)", exc)
            time.sleep(random.uniform(0, 0.005 * attempt))
    raise AssertionError("unreachable")  # pragma: no cover
