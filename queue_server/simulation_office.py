"""The office the simulator drives: two ways to run the same domain rules.

- `UseCaseOffice` (`--exact`): every step is the real use case (`Tickets`, `Bookings`,
  `Ratings`, `OfficeSettings`), each in a SAVEPOINT of the day's transaction. Exactly what the
  office's screens would do, round trips and all (~150 tickets per CPU second).
- `MemoryOffice` (the default): the office's state of one day in memory (the waiting queues of
  each service, ordered as the database orders them by (queue_key, id); the counters, their
  services and ranks; the day's number sequences; the tickets, bookings and ratings as domain
  objects). Each step runs the same domain methods the use case runs (`Ticket.issue`, `call`,
  `recall`, `start`, `finish`, `no_show`, `transfer`, `cancel`; `CallingPolicy.choose` over the
  queue heads; `Booking.book`, `needs_ticket`, `check_in`; `Rating.give`,
  `Alert.low_rating`; an `OfficeEvent` per counter opened or closed), with the checks the use
  case makes before it. What goes are the per-step database round trips: the day is written
  at its end with one bulk INSERT per table (SQLAlchemy Core executemany) in one transaction.

The simulator (simulation.py) calls both the same way, so the same seed gives the same data
whichever runs (tests/test_simulation.py compares them).

Ids: tickets and bookings get theirs here, from max(id) + 1 in issue order (what the
database would give them one at a time: the calling policy breaks ties by ticket id, and
events point at tickets); the PostgreSQL sequences are moved past them after each day. Event,
rating, alert and office-event ids are left to the database (inserted in the order they
happened, so their ids follow time as the use cases' do).
"""

from __future__ import annotations

import heapq
from collections import Counter as Tally
from datetime import date, datetime

import sqlalchemy as sa

from .domain.alerts import Alert
from .domain.booking import Booking, new_booking_code
from .domain.errors import (Conflict, CounterClosed, InvalidTransition, NotFound, QueueEmpty,
                            ServiceClosed)
from .domain.model import (Actor, Channel, OfficeEvent, OfficeEventKind, Priority, Ticket,
                           TicketStatus)
from .domain.rating import (AlreadyRated, Rating, RatingClosed, RatingSource,
                            dimensions_from_json)


class UseCaseOffice:
    """Each step through the real use case (the exact, slow path)."""

    def __init__(self, services, commit_batch):
        self.services = services
        self._commit = commit_batch

    def end_day(self) -> None:
        self._commit()

    def create_booking(self, service_id: int, slot: datetime, office_id: int) -> str:
        return self.services.bookings.create(service_id, slot, Actor("citizen"),
                                             office_id=office_id)["code"]

    def check_in(self, code: str) -> tuple[int, str]:
        view, _ = self.services.bookings.check_in(code, Actor("kiosk", "K1"), print_ticket=False)
        return view["id"], view["token"]

    def issue(self, service_id: int, priority: Priority, channel: Channel, actor: Actor,
              note: str | None, office_id: int) -> tuple[int, str]:
        view = self.services.tickets.issue_ticket(service_id, priority, channel, actor,
                                                  note=note, office_id=office_id,
                                                  print_ticket=False)
        return view["id"], view["token"]

    def cancel_by_token(self, ticket_id: int, token: str) -> None:
        self.services.tickets.cancel_by_token(token)

    def rate_by_token(self, ticket_id: int, token: str, score: int, comment: str | None) -> None:
        self.services.ratings.rate_by_token(token, score, comment)

    def rate_at_counter(self, counter_id: int, ticket_id: int, score: int,
                        comment: str | None) -> None:
        self.services.ratings.rate_at_counter(counter_id, ticket_id, score, comment)

    def call_next(self, counter_id: int, clerk: Actor) -> int:
        return self.services.tickets.call_next(counter_id, clerk)["id"]

    def recall(self, ticket_id: int, clerk: Actor) -> None:
        self.services.tickets.recall(ticket_id, clerk)

    def start(self, ticket_id: int, clerk: Actor) -> None:
        self.services.tickets.start(ticket_id, clerk)

    def finish(self, ticket_id: int, clerk: Actor) -> None:
        self.services.tickets.finish(ticket_id, clerk)

    def no_show(self, ticket_id: int, clerk: Actor) -> str:
        return self.services.tickets.no_show(ticket_id, clerk)["status"]

    def transfer(self, ticket_id: int, service_id: int, clerk: Actor) -> None:
        self.services.tickets.transfer(ticket_id, service_id, clerk)

    def set_counter(self, counter_id: int, clerk: Actor, is_open: bool) -> None:
        self.services.office_settings.set_counter(counter_id, clerk, is_open=is_open)


class _Queue:
    """One service's waiting tickets of the day: a heap by (queue_key, id), the order the
    repository's queue_head reads, and a heap by (queued_at, id) for waiting_before. Entries
    go stale when their ticket leaves the queue (called, cancelled, transferred away, joined
    again); a stale entry is dropped when it comes to the top."""

    __slots__ = ("by_key", "by_queued")

    def __init__(self):
        self.by_key: list = []
        self.by_queued: list = []

    def push(self, ticket: Ticket, joined: int) -> None:
        heapq.heappush(self.by_key, (ticket.queue_key, ticket.id, joined, ticket))
        heapq.heappush(self.by_queued, (ticket.queued_at, ticket.id, joined, ticket))

    @staticmethod
    def _top(heap: list, service_id: int, joins: dict):
        while heap:
            _, ticket_id, joined, ticket = heap[0]
            if (ticket.status == TicketStatus.WAITING and ticket.service_id == service_id
                    and joins[ticket_id] == joined):
                return ticket
            heapq.heappop(heap)
        return None

    def head(self, service_id: int, joins: dict) -> Ticket | None:
        return self._top(self.by_key, service_id, joins)

    def waiting_before(self, ticket: Ticket, joins: dict) -> bool:
        """Whether another waiting ticket of the queue joined before `ticket` (queued_at)."""
        first = self._top(self.by_queued, ticket.service_id, joins)
        if first is ticket:  # it is about to be called: out of this heap now
            heapq.heappop(self.by_queued)
            first = self._top(self.by_queued, ticket.service_id, joins)
            heapq.heappush(self.by_queued, (ticket.queued_at, ticket.id, joins[ticket.id], ticket))
        return first is not None and first.queued_at < ticket.queued_at


class MemoryOffice:
    """The office's day in memory, through the domain objects; written in bulk at day end."""

    def __init__(self, services, clock):
        self.services = services
        self.engine = services.engine
        self.clock = clock
        context = services.context
        self.policy = context.policy
        self.requeue_limit = context.settings.no_show_requeue_limit
        self.check_in_policy = services.bookings.policy
        self.rating_policy = services.ratings.policy
        with context.read_uow() as uow:
            office = uow.offices.office()
            self.office = office
            self.services_by_id = {s.id: s for s in uow.offices.services(office.id)}
            self.counter_ranks = {c.id: c.service_ranks() for c in uow.offices.counters(office.id)}
            self.counter_open = {c.id: c.is_open for c in uow.offices.counters(office.id)}
            uow.session.expunge_all()
        self.asked = dimensions_from_json(self.office.rating_dimensions)
        with self.engine.connect() as conn:
            from .adapters.orm import bookings, tickets
            self.next_ticket_id = (conn.execute(sa.select(sa.func.max(tickets.c.id))).scalar() or 0) + 1
            self.next_booking_id = (conn.execute(sa.select(sa.func.max(bookings.c.id))).scalar() or 0) + 1
            self.booking_codes = set(conn.execute(
                sa.select(bookings.c.code).where(bookings.c.office_id == self.office.id)).scalars())
        self.saved_open = dict(self.counter_open)
        self._new_day()

    # --- the day's state --------------------------------------------------------------------

    def _new_day(self) -> None:
        self.tickets: dict[int, Ticket] = {}        # the day's tickets by id, in issue order
        self.by_token: dict[str, Ticket] = {}
        self.queues: dict[int, _Queue] = {}
        self.joins: dict[int, int] = {}             # ticket id -> how many times it joined
        self.numbers: dict[tuple[int, date], int] = {}  # (service, day) -> last number
        self.at_counter: dict[int, Ticket] = {}     # counter -> the ticket called or served
        self.last_finished: dict[int, Ticket] = {}  # counter -> the visit it finished last
        self.bookings: list[Booking] = []
        self.bookings_by_code: dict[str, Booking] = {}
        self.ratings: list[Rating] = []
        self.rated: set[int] = set()
        self.alerts: list[Alert] = []
        self.ticket_events: list = []
        self.office_events: list[OfficeEvent] = []

    def _join(self, ticket: Ticket) -> None:
        self.joins[ticket.id] = self.joins.get(ticket.id, 0) + 1
        queue = self.queues.get(ticket.service_id)
        if queue is None:
            queue = self.queues[ticket.service_id] = _Queue()
        queue.push(ticket, self.joins[ticket.id])

    def _events(self, ticket: Ticket) -> None:
        """Move what the ticket recorded to the day's event list (in the order it happened)."""
        if ticket.events:
            self.ticket_events.extend(ticket.events)
            ticket.events.clear()

    def _ticket(self, ticket_id: int) -> Ticket:
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"There is no ticket {ticket_id}.")
        return ticket

    # --- bookings ---------------------------------------------------------------------------

    def create_booking(self, service_id: int, slot: datetime, office_id: int) -> str:
        """Bookings.create: Booking.book with a code no booking of the office has."""
        service = self.services_by_id.get(service_id)
        if service is None:
            raise NotFound(f"There is no service {service_id}.")
        for _ in range(20):
            code = new_booking_code()
            if code not in self.booking_codes:
                break
        else:  # pragma: no cover
            raise Conflict("Could not find a free booking code; try again.")
        booking = Booking.book(office=self.office, service=service, code=code, slot_at=slot,
                               now=self.clock(), actor=Actor("citizen"),
                               policy=self.check_in_policy)
        booking.id = self.next_booking_id
        self.next_booking_id += 1
        self.booking_codes.add(code)
        self.bookings.append(booking)
        self.bookings_by_code[code] = booking
        return code

    def check_in(self, code: str) -> tuple[int, str]:
        """Bookings.check_in: the ticket through the issue path, then Booking.check_in."""
        booking = self.bookings_by_code.get(code)
        if booking is None:
            raise NotFound(f"There is no booking with the code {code}.")
        now, actor = self.clock(), Actor("kiosk", "K1")
        if not booking.needs_ticket(self.office, now, self.check_in_policy):
            ticket = self.tickets[booking.ticket_id]
            return ticket.id, ticket.token
        ticket = self._issue(booking.service_id, Priority.NORMAL, Channel.ONLINE, actor, None,
                             appointment_at=booking.slot_at)
        booking.check_in(ticket.id, ticket.label, now, actor)
        return ticket.id, ticket.token

    # --- tickets ----------------------------------------------------------------------------

    def issue(self, service_id: int, priority: Priority, channel: Channel, actor: Actor,
              note: str | None, office_id: int) -> tuple[int, str]:
        ticket = self._issue(service_id, priority, channel, actor, note)
        return ticket.id, ticket.token

    def _issue(self, service_id: int, priority: Priority, channel: Channel, actor: Actor,
               note: str | None, appointment_at: datetime | None = None) -> Ticket:
        """Tickets.issue_ticket: the day's next number, Ticket.issue, into the queue."""
        office, now = self.office, self.clock()
        service = self.services_by_id.get(service_id)
        if service is None:
            raise NotFound(f"There is no service {service_id}.")
        if not service.active or not office.is_open_at(now):
            raise ServiceClosed(f"Service {service.name_en} is closed now.")
        key = (service.id, office.service_day(now))
        number = self.numbers[key] = self.numbers.get(key, 0) + 1
        ticket = Ticket.issue(office=office, service=service, number=number, priority=priority,
                              channel=channel, now=now, actor=actor, policy=self.policy,
                              note=note, appointment_at=appointment_at)
        ticket.id = self.next_ticket_id
        self.next_ticket_id += 1
        self.tickets[ticket.id] = ticket
        self.by_token[ticket.token] = ticket
        self._join(ticket)
        self._events(ticket)
        return ticket

    def cancel_by_token(self, ticket_id: int, token: str) -> None:
        ticket = self.by_token.get(token)
        if ticket is None:
            raise NotFound("There is no ticket with that code.")
        self._left_counter(ticket)
        ticket.cancel(self.clock(), Actor("citizen"))
        self._events(ticket)

    def call_next(self, counter_id: int, clerk: Actor) -> int:
        """Tickets.call_next: the policy chooses among the heads of the counter's queues."""
        if counter_id not in self.counter_ranks:
            raise NotFound(f"There is no counter {counter_id}.")
        if not self.counter_open[counter_id]:
            raise CounterClosed(f"Counter {counter_id} is closed; open it first.")
        now = self.clock()
        current = self.at_counter.get(counter_id)
        ranks = self.counter_ranks[counter_id]
        heads = []
        for service_id in ranks:
            queue = self.queues.get(service_id)
            head = queue.head(service_id, self.joins) if queue else None
            if head is not None:
                heads.append(head)
        chosen = self.policy.choose(heads, now, ranks)
        if current is not None:
            current.finish(now, clerk, how="next")
            self._finished(current)
        if chosen is None:
            raise QueueEmpty(f"No one is waiting for counter {counter_id}.")
        reason = None
        if self.queues[chosen.service_id].waiting_before(chosen, self.joins):
            reason = self.policy.head_start(chosen)[1] or "concurrent_call"
        chosen.call(counter_id, now, clerk, reason)
        self.at_counter[counter_id] = chosen
        self._events(chosen)
        return chosen.id

    def recall(self, ticket_id: int, clerk: Actor) -> None:
        ticket = self._ticket(ticket_id)
        ticket.recall(self.clock(), clerk)
        self._events(ticket)

    def start(self, ticket_id: int, clerk: Actor) -> None:
        ticket = self._ticket(ticket_id)
        ticket.start(self.clock(), clerk)
        self._events(ticket)

    def finish(self, ticket_id: int, clerk: Actor) -> None:
        ticket = self._ticket(ticket_id)
        ticket.finish(self.clock(), clerk)
        self._finished(ticket)

    def _finished(self, ticket: Ticket) -> None:
        self._left_counter(ticket)
        self.last_finished[ticket.counter_id] = ticket
        self._events(ticket)

    def _left_counter(self, ticket: Ticket) -> None:
        """Call before the transition that clears the ticket's counter (or after a finish)."""
        if ticket.counter_id is not None and self.at_counter.get(ticket.counter_id) is ticket:
            del self.at_counter[ticket.counter_id]

    def no_show(self, ticket_id: int, clerk: Actor) -> str:
        ticket = self._ticket(ticket_id)
        self._left_counter(ticket)
        if ticket.no_show(self.clock(), clerk, self.requeue_limit, self.policy):
            self._join(ticket)
        self._events(ticket)
        return ticket.status.value

    def transfer(self, ticket_id: int, service_id: int, clerk: Actor) -> None:
        ticket = self._ticket(ticket_id)
        target = self.services_by_id.get(service_id)
        if target is None:
            raise NotFound(f"There is no service {service_id}.")
        if not target.active:
            raise ServiceClosed(f"Service {target.name_en} is closed.")
        self._left_counter(ticket)
        ticket.transfer(target, self.clock(), clerk, self.policy)
        self._join(ticket)
        self._events(ticket)

    # --- ratings ----------------------------------------------------------------------------

    def rate_by_token(self, ticket_id: int, token: str, score: int, comment: str | None) -> None:
        ticket = self.by_token.get(token)
        if ticket is None:
            raise NotFound("There is no ticket with that code.")
        self._rate(ticket, score, comment, RatingSource.PHONE)

    def rate_at_counter(self, counter_id: int, ticket_id: int, score: int,
                        comment: str | None) -> None:
        """Ratings.rate_at_counter: only the visit the counter has just finished."""
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.counter_id != counter_id:
            raise NotFound(f"Counter {counter_id} has no visit {ticket_id} to rate.")
        if ticket.status == TicketStatus.FINISHED and ticket.id not in self.rated:
            latest = self.last_finished.get(counter_id)
            age = self.clock() - ticket.finished_at
            if latest is not ticket or age.total_seconds() > self.rating_policy.tablet_minutes * 60:
                raise RatingClosed(f"The tablet rates only the visit counter {counter_id} "
                                   "has just finished; this one can be rated by its QR code.")
        self._rate(ticket, score, comment, RatingSource.TABLET)

    def _rate(self, ticket: Ticket, score: int, comment: str | None,
              source: RatingSource) -> None:
        if ticket.id in self.rated:
            raise AlreadyRated(f"Ticket {ticket.label} has been rated already; thank you.")
        rating = Rating.give(ticket, score, self.clock(), self.rating_policy, source, comment,
                             None, asked=self.asked)
        self.rated.add(ticket.id)
        self.ratings.append(rating)
        if rating.is_low(self.rating_policy):
            self.alerts.append(Alert.low_rating(rating, ticket))

    # --- counters ---------------------------------------------------------------------------

    def set_counter(self, counter_id: int, clerk: Actor, is_open: bool) -> None:
        """OfficeSettings.set_counter(is_open=...): the change and its office event."""
        if counter_id not in self.counter_open:
            raise NotFound(f"There is no counter {counter_id}.")
        if is_open is False and counter_id in self.at_counter:
            raise Conflict(f"Counter {counter_id} still has a ticket; finish it first.")
        if is_open != self.counter_open[counter_id]:
            self.counter_open[counter_id] = is_open
            kind = OfficeEventKind.COUNTER_OPENED if is_open else OfficeEventKind.COUNTER_CLOSED
            data = None
            if not is_open:  # as the use case: its queues' length at the closing
                serves = set(self.counter_ranks[counter_id])
                waiting = Tally(t.service_id for t in self.tickets.values()
                                  if t.status == TicketStatus.WAITING and t.service_id in serves)
                data = {"waiting": {str(sid): n for sid, n in sorted(waiting.items())}}
            self.office_events.append(OfficeEvent(self.office.id, kind, self.clock(), clerk,
                                                  counter_id=counter_id, data=data))

    # --- the day written --------------------------------------------------------------------

    def end_day(self) -> None:
        """Write what the day made, one INSERT per table, in one transaction."""
        from .adapters import orm

        if self.at_counter or any(t.status == TicketStatus.WAITING for t in self.tickets.values()):
            raise InvalidTransition("the day ends with tickets still in the office")  # pragma: no cover
        tickets = list(self.tickets.values())
        ticket_rows = [_row(t, orm.tickets, id=t.id, version=1) for t in tickets]
        event_rows = [_row(e, orm.ticket_events, ticket_id=e.ticket.id) for e in self.ticket_events]
        booking_rows, booking_event_rows = [], []
        for booking in self.bookings:
            booking_rows.append(_row(booking, orm.bookings, id=booking.id, version=1))
            booking_event_rows.extend(_row(e, orm.booking_events, booking_id=booking.id)
                                      for e in booking.events)
        # Booking events in the order they happened (booked the evening before, checked in
        # on the day), as the use cases would have numbered them.
        booking_event_rows.sort(key=lambda r: r["at"])
        rating_rows = [_row(r, orm.ratings) for r in self.ratings]
        alert_rows = [_row(a, orm.alerts_table) for a in self.alerts]
        office_rows = [_row(e, orm.office_events) for e in self.office_events]
        sequence_rows = [{"service_id": s, "service_day": d, "last_number": n}
                         for (s, d), n in sorted(self.numbers.items())]
        changed = {c: o for c, o in self.counter_open.items() if self.saved_open.get(c) != o}
        with self.engine.begin() as conn:
            for table, rows in ((orm.tickets, ticket_rows), (orm.ticket_events, event_rows),
                                (orm.bookings, booking_rows),
                                (orm.booking_events, booking_event_rows),
                                (orm.ratings, rating_rows), (orm.alerts_table, alert_rows),
                                (orm.office_events, office_rows),
                                (orm.ticket_sequences, sequence_rows)):
                if rows:
                    conn.execute(table.insert(), rows)
            for counter_id, is_open in changed.items():
                conn.execute(sa.update(orm.counters).where(orm.counters.c.id == counter_id)
                             .values(is_open=is_open))
            if conn.dialect.name == "postgresql":
                for table in (orm.tickets, orm.bookings):
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"))
        self.saved_open = dict(self.counter_open)
        self.services.context.catalog.forget_reference()
        self._new_day()


def _row(obj, table: sa.Table, **extra) -> dict:
    """The columns `obj` has set, as the ORM would insert them; `extra` over them. Every row
    of a table gets the same keys (executemany needs them), so an unset column is None unless
    it has a server default."""
    values = obj.__dict__
    row = {}
    for column in table.columns:
        key = column.key
        if key in values:
            row[key] = values[key]
        elif column.server_default is None and key != "id":
            row[key] = None
    row.update(extra)
    return row
