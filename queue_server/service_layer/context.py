"""What every group of use cases shares: the units of work, the clock, the calling policy,
the settings and the catalog; and the three steps each write use case ends with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, TypeVar

from ..domain.policy import CallingPolicy
from .catalog import Catalog
from .messages import Changes, collect
from .unit_of_work import UnitOfWork, run_in_transaction
from .views import Views

Clock = Callable[[], datetime]
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class QueueSettings:
    public_url: str = "http://127.0.0.1:5000"
    no_show_requeue_limit: int = 1  # a no-show goes back to the queue this many times
    max_attempts: int = 8  # of a use case that lost a concurrency race


@dataclass
class Context:
    uow: Callable[[], UnitOfWork]        # a writing unit of work
    read_uow: Callable[[], UnitOfWork]   # a reading one (on SQLite it does not take the lock)
    clock: Clock = utc_now
    policy: CallingPolicy = field(default_factory=CallingPolicy)
    settings: QueueSettings = field(default_factory=QueueSettings)
    catalog: Catalog | None = None
    # Live messages are built and sent after each commit; a tool that replays the past (the
    # simulator) has no one to send them to and turns them off.
    live_messages: bool = True

    def __post_init__(self):
        if self.catalog is None:
            self.catalog = Catalog(self.clock)

    def write(self, run: Callable[[UnitOfWork], T]) -> T:
        """Run a write use case; again from the start if a concurrent writer won the race."""
        return run_in_transaction(self.uow, run, self.settings.max_attempts)

    def views(self, uow: UnitOfWork, office_id: int | None = None) -> Views:
        return Views(uow, self.catalog, self.settings.public_url, self.clock, office_id)

    def collect(self, uow: UnitOfWork, views: Views) -> None:
        """Turn what the unit of work changed into its live messages (sent after commit)."""
        if self.live_messages:
            for message in collect(uow.changes, views, self.clock()):
                uow.publish(message)
        uow.changes = Changes()

    def write_in_batches(self, run: Callable[[UnitOfWork], int]) -> int:
        """`run` handles one batch in its own transaction and says how many it handled; it
        runs again until a batch handles none (one transaction never holds the database
        for long). The total."""
        total = 0
        while handled := self.write(run):
            total += handled
        return total

    def commit(self, uow: UnitOfWork, views: Views) -> None:
        self.collect(uow, views)
        uow.commit()
