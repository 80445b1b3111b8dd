"""The unit of work on SQLAlchemy: one session, its repositories, SQLite's writer queue, and the
database's concurrency errors turned into the service layer's `ConcurrentUpdate`."""

from __future__ import annotations

import threading

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ..service_layer.unit_of_work import ConcurrentUpdate, Notifier, UnitOfWork
from .attachment_repository import AttachmentRepository
from .booking_repository import BookingRepository
from .complaint_repository import ComplaintRepository
from .evidence_repository import EvidenceRepository
from .rating_repository import AlertRepository, RatingRepository
from .repository import OfficeRepository, PrintRepository, TicketRepository, UserRepository
from .setup_repository import SetupRepository


class SqlAlchemyUnitOfWork(UnitOfWork):
    def __init__(self, session_factory: sessionmaker, notifier: Notifier,
                 write_lock: threading.RLock | None = None):
        super().__init__(notifier)
        self.session_factory = session_factory
        # SQLite admits one writer at a time. Writers of this process queue on this lock
        # instead of polling SQLite's busy handler, which lets newcomers overtake those waiting
        # longest (seconds of tail latency under load). None on PostgreSQL, which locks rows.
        self.write_lock = write_lock
        self._holding = False

    def _begin(self) -> None:
        if self.write_lock is not None:
            self.write_lock.acquire()
            self._holding = True
        self.session = self.session_factory()
        self._attach_repositories()

    def _attach_repositories(self) -> None:
        self.offices = OfficeRepository(self.session)
        self.users = UserRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.print_jobs = PrintRepository(self.session)
        self.bookings = BookingRepository(self.session)
        self.ratings = RatingRepository(self.session)
        self.alerts = AlertRepository(self.session)
        self.evidence = EvidenceRepository(self.session)
        self.attachments = AttachmentRepository(self.session)
        self.complaints = ComplaintRepository(self.session)
        self.setup = SetupRepository(self.session)

    def __exit__(self, exc_type, exc, tb) -> None:
        super().__exit__(exc_type, exc, tb)
        if exc is not None and _lost_a_race(exc):
            raise ConcurrentUpdate(type(exc).__name__) from exc

    def _end(self) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self._release()

    def _release(self) -> None:
        if self.write_lock is not None and self._holding:
            self._holding = False
            self.write_lock.release()

    def add(self, obj) -> None:
        self.session.add(obj)

    def flush(self) -> None:
        self.session.flush()

    def _commit(self) -> None:
        self.session.commit()
        self._release()  # the database is free; publishing need not hold it


def _lost_a_race(exc: BaseException) -> bool:
    if isinstance(exc, (StaleDataError, IntegrityError)):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    # SQLite's lock wait ran out, or PostgreSQL chose this transaction as a deadlock victim.
    return "locked" in text or "deadlock" in text or "could not serialize" in text
