"""Queries over the mapped domain objects: the only module that writes SQL for the queue's use
cases. One repository per aggregate the unit of work exposes (`uow.offices`, `uow.users`,
`uow.tickets`, `uow.print_jobs`); all of them work on the unit of work's one session."""

from __future__ import annotations

import functools
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached

from ..domain.devices import DevicePairing
from ..domain.model import (ApiToken, Counter, CounterService, Office, Service, Ticket,
                            TicketEvent, TicketStatus, User, service_seconds_of)
from ..domain.printing import PrintJob, PrintJobStatus, PrinterState
from .orm import (api_tokens, counter_services, counters, device_pairings, offices, print_jobs,
                  printer_states, ticket_events, ticket_sequences, tickets)

WAITING = TicketStatus.WAITING
AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)


# The statements of the hot paths (issue a ticket, call next, a token's user) are built once,
# with bound parameters, on first use (after the mappers are set up). Building and hashing a
# statement anew costs more Python time (~0.15 ms) than SQLite takes to run it
# (bench/profile_queue.py), and a kiosk or a counter runs the same few all day.
hot_statement = functools.cache

WAITING_IN_QUEUE = (tickets.c.service_id == bindparam("p_service"), tickets.c.status == WAITING,
                    tickets.c.service_day == bindparam("p_day", type_=sa.Date))


@hot_statement
def _take_number():
    return (sa.update(ticket_sequences)
            .where(ticket_sequences.c.service_id == bindparam("p_service"),
                   ticket_sequences.c.service_day == bindparam("p_day", type_=sa.Date))
            .values(last_number=ticket_sequences.c.last_number + 1)
            .returning(ticket_sequences.c.last_number))


@hot_statement
def _place_in_queue():
    before = (sa.tuple_(tickets.c.queue_key, tickets.c.id)
              < sa.tuple_(bindparam("p_key", type_=tickets.c.queue_key.type),
                          bindparam("p_id", type_=sa.Integer)))
    return (sa.select(sa.func.count().filter(before), sa.func.count()).select_from(tickets)
            .where(*WAITING_IN_QUEUE))


@hot_statement
def _waiting_counts():
    return (sa.select(tickets.c.service_id, sa.func.count())
            .where(tickets.c.service_id.in_(bindparam("p_services", expanding=True)),
                   tickets.c.status == WAITING,
                   tickets.c.service_day == bindparam("p_day", type_=sa.Date))
            .group_by(tickets.c.service_id))


@hot_statement
def _queue_head():
    return (sa.select(Ticket).where(*WAITING_IN_QUEUE)
            .order_by(tickets.c.queue_key, tickets.c.id).limit(1)
            .with_for_update(skip_locked=True, of=tickets))


@hot_statement
def _waiting_before():
    return sa.select(sa.exists().where(
        *WAITING_IN_QUEUE,
        tickets.c.queued_at < bindparam("p_queued_at", type_=tickets.c.queued_at.type),
        tickets.c.id != bindparam("p_id", type_=sa.Integer)))


@hot_statement
def _ticket_at_counter():
    return (sa.select(Ticket).where(tickets.c.counter_id == bindparam("p_counter"),
                                    tickets.c.status.in_(AT_COUNTER))
            .order_by(tickets.c.called_at.desc()).limit(1))


@hot_statement
def _held_at_counter():
    return (sa.select(Ticket).where(tickets.c.counter_id == bindparam("p_counter"),
                                    tickets.c.status == TicketStatus.HELD)
            .order_by(tickets.c.id))


@hot_statement
def _insert(table: sa.Table):
    return sa.insert(table).returning(table.c.id)


@hot_statement
def _user_by_token_hash():
    return (sa.select(User, ApiToken).join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == bindparam("p_hash")))


class SessionRepository:
    """What every repository shares: the unit of work's session."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, obj) -> None:
        self.session.add(obj)

    def detach(self, obj):
        """`obj` out of the session, to be kept beyond it (the catalog's short-lived copies)."""
        if obj is not None:
            self.session.expunge(obj)
        return obj


class OfficeRepository(SessionRepository):
    """Offices, their services and counters, and what the office records of itself."""

    def office(self, office_id: int | None = None) -> Office | None:
        """The given office, or the first one (a single-office install has just one)."""
        query = sa.select(Office).order_by(Office.id)
        if office_id is not None:
            query = query.where(Office.id == office_id)
        return self.session.scalars(query.limit(1)).first()

    def offices(self) -> list[Office]:
        """Every office (the hourly jobs go through them all)."""
        return list(self.session.scalars(sa.select(Office).order_by(Office.id)))

    def office_ids(self) -> list[int]:
        return list(self.session.scalars(sa.select(offices.c.id).order_by(offices.c.id)))

    def services(self, office_id: int) -> list[Service]:
        return list(self.session.scalars(
            sa.select(Service).where(Service.office_id == office_id)
            .order_by(Service.sort_order, Service.code)))

    def service(self, service_id: int) -> Service | None:
        return self.session.get(Service, service_id)

    def counters(self, office_id: int, removed: bool = False) -> list[Counter]:
        """The office's counters by number; `removed`: with those the office took away."""
        query = sa.select(Counter).where(Counter.office_id == office_id)
        if not removed:
            query = query.where(counters.c.active)
        return list(self.session.scalars(query.order_by(Counter.number)))

    def counter(self, counter_id: int, lock: bool = False) -> Counter | None:
        """The counter; with `lock`, held until commit so one counter calls one ticket at a time
        even when two consoles (or a double press) act on it at once."""
        return self.session.get(Counter, counter_id, with_for_update=lock or None)

    def delete_service(self, service: Service) -> None:
        """A service that was never used (no ticket, booking or record names it)."""
        self.session.delete(service)

    def counter_links(self, service_id: int) -> list[CounterService]:
        return list(self.session.scalars(
            sa.select(CounterService).where(counter_services.c.service_id == service_id)))

    def open_counter_counts(self, service_ids: list[int]) -> dict[int, int]:
        """Per service, how many open counters serve it."""
        rows = self.session.execute(
            sa.select(counter_services.c.service_id, sa.func.count())
            .join(counters, counters.c.id == counter_services.c.counter_id)
            .where(counter_services.c.service_id.in_(service_ids), counters.c.is_open)
            .group_by(counter_services.c.service_id))
        return {service_id: count for service_id, count in rows}


class UserRepository(SessionRepository):
    """Staff and device accounts and their bearer tokens."""

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def user_by_name(self, username: str) -> User | None:
        return self.session.scalars(sa.select(User).where(User.username == username)).first()

    def user_by_token_hash(self, token_hash: str) -> tuple[User, ApiToken] | None:
        """The token's user and the token itself (whether it still holds is the caller's)."""
        row = self.session.execute(_user_by_token_hash(), {"p_hash": token_hash}).first()
        return None if row is None else (row[0], row[1])

    def tokens(self) -> list[tuple[ApiToken, User]]:
        """Every token with its user, newest first (`gecc-queue token list`)."""
        return [(token, user) for token, user in self.session.execute(
            sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
            .order_by(api_tokens.c.id.desc()))]

    def token(self, token_id: int) -> ApiToken | None:
        return self.session.get(ApiToken, token_id)

    def users_of_office(self, office_id: int) -> list[User]:
        return list(self.session.scalars(
            sa.select(User).where(User.office_id == office_id).order_by(User.id)))

    def pairing(self, code_hash: str) -> DevicePairing | None:
        return self.session.scalars(
            sa.select(DevicePairing).where(device_pairings.c.code_hash == code_hash)).first()



class TicketRepository(SessionRepository):
    """Tickets, their numbers and events: the hot paths of issuing and calling."""

    def add_new_ticket(self, ticket: Ticket) -> None:
        """INSERT a ticket just issued, and the events it recorded, now (the caller needs its id).

        Prepared INSERTs, not a flush: the ORM's flush of one ticket and its event took most of
        a kiosk request's time (bench/profile_queue.py). Both are then attached to the session as
        if loaded, so whatever the unit of work changes next is an ordinary versioned UPDATE.
        """
        ticket.version = 1  # what the ORM's version counter starts at

        _insert_as_loaded(self.session, ticket, tickets)
        for event in ticket.events:
            event.ticket_id = ticket.id
            _insert_as_loaded(self.session, event, ticket_events)

    def next_number(self, service_id: int, day: date) -> int:
        """Take the next number of the service's day inside the caller's transaction.

        The UPDATE locks the day's row until commit (PostgreSQL) or runs under the database
        write lock (SQLite), so two kiosks never read the same value.
        """
        for _ in range(3):
            taken = self.session.execute(
                _take_number(), {"p_service": service_id, "p_day": day}).scalar()
            if taken is not None:
                return taken
            try:
                with self.session.begin_nested():
                    self.session.execute(sa.insert(ticket_sequences).values(
                        service_id=service_id, service_day=day, last_number=1))
                return 1
            except IntegrityError:
                continue  # another transaction created the day's row first: take from it
        raise RuntimeError("could not allocate a ticket number")  # pragma: no cover

    def peek_number(self, service_id: int, day: date) -> int:
        """The number the next ticket of the day would get (for previews; takes nothing)."""
        last = self.session.execute(
            sa.select(ticket_sequences.c.last_number)
            .where(ticket_sequences.c.service_id == service_id,
                   ticket_sequences.c.service_day == day)).scalar()
        return (last or 0) + 1

    def ticket(self, ticket_id: int) -> Ticket | None:
        return self.session.get(Ticket, ticket_id)

    def ticket_by_token(self, token: str) -> Ticket | None:
        return self.session.scalars(sa.select(Ticket).where(Ticket.token == token)).first()

    def ticket_at_counter(self, counter_id: int) -> Ticket | None:
        """The ticket the counter has called or is serving, if any."""
        return self.session.scalars(_ticket_at_counter(), {"p_counter": counter_id}).first()

    def last_finished_at_counter(self, counter_id: int) -> Ticket | None:
        """The visit the counter finished most recently (what its rating tablet may rate)."""
        return self.session.scalars(
            sa.select(Ticket).where(tickets.c.counter_id == counter_id,
                                    tickets.c.status == TicketStatus.FINISHED)
            .order_by(tickets.c.finished_at.desc(), tickets.c.id.desc()).limit(1)).first()

    def held_at_counter(self, counter_id: int) -> list[Ticket]:
        return list(self.session.scalars(_held_at_counter(), {"p_counter": counter_id}))

    def queue_head(self, service_id: int, day: date) -> Ticket | None:
        """The waiting ticket of the service that is next in its own queue.

        On PostgreSQL the row is locked, and a head another counter is calling right now is
        skipped (SKIP LOCKED), so concurrent counters take different tickets instead of
        racing for one. SQLite renders no lock: its writers run one at a time anyway.
        """
        return self.session.scalars(_queue_head(), {"p_service": service_id, "p_day": day}).first()

    def waiting_before(self, ticket: Ticket) -> bool:
        """Whether someone of the same queue has been waiting longer than `ticket`."""
        return self.session.execute(_waiting_before(), {
            "p_service": ticket.service_id, "p_day": ticket.service_day,
            "p_queued_at": ticket.queued_at, "p_id": ticket.id}).scalar()

    def ahead_of(self, ticket: Ticket) -> int:
        """How many waiting tickets of its queue come before `ticket`."""
        return self.place_in_queue(ticket)[0]

    def place_in_queue(self, ticket: Ticket) -> tuple[int, int]:
        """(how many come before `ticket`, how many wait in its queue), in one query."""
        ahead, waiting = self.session.execute(_place_in_queue(), {
            "p_service": ticket.service_id, "p_day": ticket.service_day,
            "p_key": ticket.queue_key, "p_id": ticket.id}).one()
        return ahead, waiting

    def waiting_counts(self, service_ids: list[int], day: date) -> dict[int, int]:
        rows = self.session.execute(_waiting_counts(), {"p_services": list(service_ids),
                                                         "p_day": day})
        return {service_id: count for service_id, count in rows}

    def waiting_issued_between(self, office_id: int, start: datetime, end: datetime,
                               service_id: int | None = None, channel: str | None = None,
                               kiosk_id: str | None = None, limit: int = 5000) -> list[Ticket]:
        """The office's waiting tickets issued in [start, end), optionally of one service,
        channel or kiosk, oldest first (a flood to clear)."""
        query = sa.select(Ticket).where(tickets.c.office_id == office_id,
                                        tickets.c.status == WAITING,
                                        tickets.c.issued_at >= start, tickets.c.issued_at < end)
        if service_id is not None:
            query = query.where(tickets.c.service_id == service_id)
        if channel is not None:
            query = query.where(tickets.c.channel == channel)
        if kiosk_id is not None:
            query = query.where(tickets.c.kiosk_id == kiosk_id)
        return list(self.session.scalars(query.order_by(tickets.c.id).limit(limit)))

    def waiting_tickets(self, service_ids: list[int], day: date, limit: int = 200) -> list[Ticket]:
        return list(self.session.scalars(
            sa.select(Ticket).where(tickets.c.service_id.in_(service_ids),
                                    tickets.c.status == WAITING, tickets.c.service_day == day)
            .order_by(tickets.c.queue_key, tickets.c.id).limit(limit)))

    def recent_service_seconds(self, service_id: int, since: datetime, limit: int = 30) -> list[float]:
        """Durations of the service's latest finished services (start, or call, to finish)."""
        rows = self.session.execute(
            sa.select(ticket_events.c.data)
            .where(ticket_events.c.service_id == service_id,
                   ticket_events.c.kind == "finished", ticket_events.c.at >= since)
            .order_by(ticket_events.c.id.desc()).limit(limit))
        seconds = (service_seconds_of(data) for (data,) in rows)
        return [s for s in seconds if s is not None]

    def tickets_of_day(self, office_id: int, day: date) -> list[Ticket]:
        return self.tickets_of_days(office_id, day, day)

    def tickets_of_days(self, office_id: int, first: date, last: date) -> list[Ticket]:
        """The tickets of the office's local days first..last, both included."""
        return list(self.session.scalars(
            sa.select(Ticket).where(tickets.c.office_id == office_id,
                                    tickets.c.service_day.between(first, last))
            .order_by(tickets.c.id)))

    def recent_calls(self, office_id: int, day: date, limit: int = 10) -> list[TicketEvent]:
        """The latest call and recall events of the day, newest first (the display's history)."""
        return list(self.session.scalars(
            sa.select(TicketEvent)
            .join(Ticket, Ticket.id == ticket_events.c.ticket_id)
            .where(ticket_events.c.office_id == office_id,
                   ticket_events.c.kind.in_(["called", "recalled"]),
                   tickets.c.service_day == day)
            .order_by(ticket_events.c.id.desc()).limit(limit)))

    def events_of_day(self, office_id: int, day: date) -> list[TicketEvent]:
        """Every event of the tickets of one service day, in order."""
        return list(self.session.scalars(
            sa.select(TicketEvent).join(Ticket, Ticket.id == ticket_events.c.ticket_id)
            .where(tickets.c.office_id == office_id, tickets.c.service_day == day)
            .order_by(ticket_events.c.id)))

    def events_of(self, ticket_id: int) -> list[TicketEvent]:
        return list(self.session.scalars(
            sa.select(TicketEvent).where(ticket_events.c.ticket_id == ticket_id)
            .order_by(ticket_events.c.id)))



class PrintRepository(SessionRepository):
    """Print jobs and what each printer last reported."""

    def add_new_print_job(self, job: PrintJob) -> None:
        """INSERT a print job now (its id goes to the agent and the kiosk), as add_new_ticket."""
        _insert_as_loaded(self.session, job, print_jobs)

    def print_job(self, job_id: int) -> PrintJob | None:
        return self.session.get(PrintJob, job_id)

    def pending_print_jobs(self, kiosk_id: str | None, limit: int = 50) -> list[PrintJob]:
        kiosk = print_jobs.c.kiosk_id.is_(None) if kiosk_id is None else print_jobs.c.kiosk_id == kiosk_id
        return list(self.session.scalars(
            sa.select(PrintJob).where(print_jobs.c.status == PrintJobStatus.PENDING, kiosk)
            .order_by(print_jobs.c.id).limit(limit)))

    def print_jobs_of(self, ticket_id: int) -> list[PrintJob]:
        return list(self.session.scalars(
            sa.select(PrintJob).where(print_jobs.c.ticket_id == ticket_id).order_by(print_jobs.c.id)))

    def printer_state(self, kiosk_id: str | None) -> PrinterState:
        row = self.session.execute(
            sa.select(printer_states).where(printer_states.c.kiosk_id == (kiosk_id or ""))).first()
        if row is None:
            return PrinterState.unknown(kiosk_id)
        return PrinterState(kiosk_id, row.online, row.paper, row.cover_open, row.detail, row.updated_at)

    def printer_states(self) -> list[PrinterState]:
        rows = self.session.execute(sa.select(printer_states).order_by(printer_states.c.kiosk_id))
        return [PrinterState(r.kiosk_id or None, r.online, r.paper, r.cover_open, r.detail,
                             r.updated_at) for r in rows]

    def save_printer_state(self, state: PrinterState) -> None:
        values = {"online": state.online, "paper": state.paper, "cover_open": state.cover_open,
                  "detail": state.detail[:500], "updated_at": state.updated_at}
        key = state.kiosk_id or ""
        changed = self.session.execute(sa.update(printer_states)
                                       .where(printer_states.c.kiosk_id == key).values(**values))
        if changed.rowcount == 0:
            self.session.execute(sa.insert(printer_states).values(kiosk_id=key, **values))


def _insert_as_loaded(session: Session, obj, table: sa.Table) -> None:
    # Only the attributes the object has set, as the ORM would: an unset column keeps its
    # server default.
    values = {c.key: obj.__dict__[c.key] for c in table.columns
              if c.key != "id" and c.key in obj.__dict__}
    obj.id = session.execute(_insert(table), values).scalar_one()
    make_transient_to_detached(obj)
    session.add(obj)
