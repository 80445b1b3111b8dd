"""An in-memory unit of work for the use cases' unit tests: the same repositories' methods as
adapters/repository.py, over plain lists, with no database and no Flask. Rules it must keep
as the SQL does: a queue's order is (queue_key, id); a counter's current ticket is its latest
called or serving one; ids are given on add."""

from __future__ import annotations

import itertools
from collections import defaultdict
from types import SimpleNamespace
from datetime import date, datetime, timezone

from queue_server.domain.model import (Counter, CounterService, Office, Service, Ticket,
                                       TicketStatus)
from queue_server.domain.printing import PrinterState
from queue_server.service_layer.context import Context
from queue_server.service_layer.unit_of_work import UnitOfWork

AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)


class FakeDatabase:
    def __init__(self):
        self.ids = itertools.count(1)
        self.offices: list[Office] = []
        self.services: list[Service] = []
        self.counters: list[Counter] = []
        self.tickets: list[Ticket] = []
        self.numbers: dict = defaultdict(int)
        self.print_jobs: list = []
        self.other: list = []   # office events, users...
        self.commits = 0

    def new_id(self) -> int:
        return next(self.ids)


class _Repository:
    def __init__(self, db: FakeDatabase):
        self.db = db

    def add(self, obj) -> None:
        self.db.other.append(obj)

    def detach(self, obj):
        return obj


class FakeOffices(_Repository):
    def office(self, office_id=None):
        return next((o for o in self.db.offices if office_id in (None, o.id)), None)

    def offices(self):
        return list(self.db.offices)

    def office_ids(self):
        return [o.id for o in self.db.offices]

    def services(self, office_id):
        return [s for s in self.db.services if s.office_id == office_id]

    def service(self, service_id):
        return next((s for s in self.db.services if s.id == service_id), None)

    def counters(self, office_id, removed=False):
        return [c for c in self.db.counters
                if c.office_id == office_id and (removed or getattr(c, "active", True))]

    def counter(self, counter_id, lock=False):
        return next((c for c in self.db.counters if c.id == counter_id), None)

    def counter_links(self, service_id):
        # The ORM fills a link's counter_id through the relationship; here, from its counter.
        return [SimpleNamespace(counter_id=c.id, service_id=link.service_id, rank=link.rank)
                for c in self.db.counters for link in c.service_links
                if link.service_id == service_id]

    def open_counter_counts(self, service_ids):
        counts = defaultdict(int)
        for counter in self.db.counters:
            for link in counter.service_links:
                if counter.is_open and link.service_id in service_ids:
                    counts[link.service_id] += 1
        return dict(counts)


class FakeTickets(_Repository):
    def add_new_ticket(self, ticket):
        ticket.id = self.db.new_id()
        self.db.tickets.append(ticket)

    def next_number(self, service_id, day):
        self.db.numbers[service_id, day] += 1
        return self.db.numbers[service_id, day]

    def peek_number(self, service_id, day):
        return self.db.numbers[service_id, day] + 1

    def ticket(self, ticket_id):
        return next((t for t in self.db.tickets if t.id == ticket_id), None)

    def ticket_by_token(self, token):
        return next((t for t in self.db.tickets if t.token == token), None)

    def ticket_at_counter(self, counter_id):
        here = [t for t in self.db.tickets if t.counter_id == counter_id and t.status in AT_COUNTER]
        return max(here, key=lambda t: t.called_at, default=None)

    def last_finished_at_counter(self, counter_id):
        done = [t for t in self.db.tickets
                if t.counter_id == counter_id and t.status == TicketStatus.FINISHED]
        return max(done, key=lambda t: (t.finished_at, t.id), default=None)

    def held_at_counter(self, counter_id):
        return [t for t in self.db.tickets
                if t.counter_id == counter_id and t.status == TicketStatus.HELD]

    def _waiting(self, service_id, day):
        return sorted((t for t in self.db.tickets if t.service_id == service_id
                       and t.service_day == day and t.status == TicketStatus.WAITING),
                      key=lambda t: (t.queue_key, t.id))

    def queue_head(self, service_id, day):
        return next(iter(self._waiting(service_id, day)), None)

    def waiting_before(self, ticket):
        return any(t.queued_at < ticket.queued_at and t.id != ticket.id
                   for t in self._waiting(ticket.service_id, ticket.service_day))

    def place_in_queue(self, ticket):
        waiting = self._waiting(ticket.service_id, ticket.service_day)
        ahead = sum(1 for t in waiting if (t.queue_key, t.id) < (ticket.queue_key, ticket.id))
        return ahead, len(waiting)

    def ahead_of(self, ticket):
        return self.place_in_queue(ticket)[0]

    def waiting_counts(self, service_ids, day):
        return {sid: len(self._waiting(sid, day)) for sid in service_ids}

    def waiting_tickets(self, service_ids, day, limit=200):
        return [t for sid in service_ids for t in self._waiting(sid, day)][:limit]

    def recent_service_seconds(self, service_id, since, limit=30):
        return []  # the estimate falls back on the citizen manual's standard time


class FakePrintJobs(_Repository):
    def add_new_print_job(self, job):
        job.id = self.db.new_id()
        self.db.print_jobs.append(job)

    def printer_state(self, kiosk_id):
        return PrinterState.unknown(kiosk_id)


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, db: FakeDatabase, notifier):
        super().__init__(notifier)
        self.db = db
        self.offices = FakeOffices(db)
        self.tickets = FakeTickets(db)
        self.print_jobs = FakePrintJobs(db)
        self.committed = False

    def _begin(self):
        pass

    def _commit(self):
        self.committed = True
        self.db.commits += 1

    def _end(self):
        pass

    def add(self, obj):
        if isinstance(obj, Counter):  # the office grows a service point
            obj.id = self.db.new_id()
            self.db.counters.append(obj)
        else:
            self.db.other.append(obj)


class FakeNotifier:
    def __init__(self):
        self.published: list[tuple[str, dict, str]] = []

    def publish(self, event, payload, room):
        self.published.append((event, payload, room))

    def events(self, room: str | None = None) -> list[str]:
        return [e for e, _, r in self.published if room in (None, r)]


class FakeClock:
    def __init__(self):
        self.now = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 in Bangkok

    def __call__(self):
        return self.now

    def advance(self, minutes: float) -> None:
        from datetime import timedelta
        self.now += timedelta(minutes=minutes)


def small_office() -> tuple[Context, FakeDatabase, FakeNotifier, FakeClock]:
    """An office with services A (id 2) and B (id 3) and two open counters: counter 1 serves
    A then B, counter 2 serves A."""
    db, notifier, clock = FakeDatabase(), FakeNotifier(), FakeClock()
    office = Office("สำนักงานทดสอบ", name_en="Test office")
    office.id = db.new_id()
    db.offices.append(office)
    for code in ("A", "B"):
        service = Service(office.id, code, f"บริการ {code}", f"Service {code}", standard_minutes=10)
        service.id = db.new_id()
        db.services.append(service)
    a, b = db.services
    for number, services in ((1, [a, b]), (2, [a])):
        counter = Counter(office.id, number, f"ช่อง {number}", is_open=True)
        counter.id = number
        counter.service_links = [CounterService(s.id, rank) for rank, s in enumerate(services)]
        db.counters.append(counter)
    context = Context(lambda: FakeUnitOfWork(db, notifier), lambda: FakeUnitOfWork(db, notifier),
                      clock=clock)
    return context, db, notifier, clock


def today(clock: FakeClock, db: FakeDatabase) -> date:
    return db.offices[0].service_day(clock())
