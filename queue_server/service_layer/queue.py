"""The use cases of the queue: issue, call, recall, start, finish, no-show, transfer, cancel.

Each runs in one unit of work: load, apply the domain rule, commit, then publish live events.
Concurrent writers that lose an optimistic-lock race are retried from the start, so every
decision is taken again on fresh data.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.errors import (Conflict, CounterClosed, InvalidTransition, NotFound, QueueEmpty,
                             ServiceClosed)
from ..domain.model import (Actor, Channel, Counter, Office, OfficeEvent, OfficeEventKind,
                            Priority, Service, Ticket, TicketStatus, format_ticket_number)
from ..domain.policy import CallingPolicy
from .catalog import Catalog
from .printing import queue_print_job
from .summary import day_summary
from .unit_of_work import UnitOfWork
from .views import (call_view, counter_brief, iso, one_queue_stats, public_ticket, queue_stats,
                    service_view, ticket_view)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
UNSEEN = object()  # call-next without saying what the console shows


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class QueueSettings:
    public_url: str = "http://127.0.0.1:5000"
    no_show_requeue_limit: int = 1  # a no-show goes back to the queue this many times
    max_attempts: int = 8  # of a use case that lost a concurrency race


class Queue:
    """The queue's use cases, bound to a database, a notifier, a clock and a policy."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork],
                 read_uow_factory: Callable[[], UnitOfWork], clock: Clock = utc_now,
                 policy: CallingPolicy | None = None, settings: QueueSettings | None = None):
        self.uow = uow_factory
        self.read_uow = read_uow_factory
        self.clock = clock
        self.policy = policy or CallingPolicy()
        self.settings = settings or QueueSettings()
        self.catalog = Catalog(clock)

    # --- citizens' side -----------------------------------------------------------------

    def issue_ticket(self, service_id: int, priority: Priority, channel: Channel, actor: Actor,
                     kiosk_id: str | None = None, note: str | None = None,
                     office_id: int | None = None, print_ticket: bool | None = None,
                     appointment_at: datetime | None = None,
                     within: UnitOfWork | None = None) -> dict:
        """A new ticket. It is printed when `print_ticket` says so; by default kiosk tickets
        and tickets that name a kiosk (printer) are. `appointment_at`: a booking's slot.
        `within`: issue inside the caller's unit of work, which commits (a booking's check-in
        commits its ticket with it)."""
        if print_ticket is None:
            print_ticket = channel == Channel.KIOSK or kiosk_id is not None

        def run(uow: UnitOfWork) -> dict:
            office = self._office(uow, office_id)
            service = self.catalog.service(uow.repo, service_id)
            if service is None or service.office_id != office.id:
                raise NotFound(f"There is no service {service_id}.")
            now = self.clock()
            if not service.active or not office.is_open_at(now):
                raise ServiceClosed(f"Service {service.name_en} is closed now.")
            day = office.service_day(now)
            number = uow.repo.next_number(service.id, day)
            ticket = Ticket.issue(office=office, service=service, number=number,
                                  priority=priority, channel=channel, now=now, actor=actor,
                                  policy=self.policy, kiosk_id=kiosk_id, note=note,
                                  appointment_at=appointment_at)
            uow.repo.add_new_ticket(ticket)
            ahead, waiting = uow.repo.place_in_queue(ticket)
            stats = one_queue_stats(uow.repo, self.catalog, service, waiting, now)
            view = self._ticket_view(uow, ticket, service, stats, ahead)
            if print_ticket:
                # The job commits with the ticket: no printed ticket without a real one, and
                # no ticket whose print is forgotten. The kiosk learns its printer's state now,
                # so it can show the ticket on screen when the printer is in trouble.
                job = queue_print_job(uow, ticket, office, view, kiosk_id, now)
                view = {**view, "print_job": {"id": job.id, "status": job.status.value},
                        "printer": self.catalog.printer_state(uow.repo, kiosk_id).to_json()}
            self._notify_queue(uow, office, [service], now, stats)
            if within is None:
                uow.commit()
            return view
        return run(within) if within is not None else self._write(run)

    def ticket_status(self, token: str) -> dict:
        with self.read_uow() as uow:
            ticket = uow.repo.ticket_by_token(token)
            if ticket is None:
                raise NotFound("There is no ticket with that code.")
            return self._ticket_view(uow, ticket)

    def cancel_by_token(self, token: str) -> dict:
        """The citizen withdraws their own ticket with the token from its QR code."""
        def run(uow: UnitOfWork) -> dict:
            ticket = uow.repo.ticket_by_token(token)
            if ticket is None:
                raise NotFound("There is no ticket with that code.")
            return self._change(uow, ticket, lambda t, now: t.cancel(now, Actor("citizen")))
        return self._write(run)

    # --- counters -----------------------------------------------------------------------

    def call_next(self, counter_id: int, actor: Actor, seen_ticket_id: int | None | object = UNSEEN
                  ) -> dict:
        """Call the next ticket for the counter, finishing the one it still holds.

        `seen_ticket_id` is the ticket the clerk's screen shows (None: it shows none). When the
        counter has moved on since (a double press, a retried request), nothing more is
        called and the counter's current ticket is answered with `repeated: true`. Left out
        (UNSEEN), Next always advances, as on a plain keypad.
        """
        def run(uow: UnitOfWork) -> dict:
            counter = self._open_counter(uow, counter_id)
            office = self._office(uow, counter.office_id)
            now = self.clock()
            current = uow.repo.ticket_at_counter(counter.id)
            if seen_ticket_id is not UNSEEN and current is not None and current.id != seen_ticket_id:
                return {**self._ticket_view(uow, current), "repeated": True}
            ranks = counter.service_ranks()
            day = office.service_day(now)
            heads = [h for h in (uow.repo.queue_head(sid, day) for sid in ranks) if h]
            chosen = self.policy.choose(heads, now, ranks)
            if current is not None:
                current.finish(now, actor, how="next")
                self._after_ticket_change(uow, current)
            if chosen is None:
                self._commit(uow)  # keep the finish of the previous ticket
                raise QueueEmpty(f"No one is waiting for counter {counter.name}.")
            reason = None
            if uow.repo.waiting_before(chosen):
                # Ahead of someone of its queue: by its head start, or because the earlier
                # ticket was being called by another counter at this very moment.
                reason = self.policy.head_start(chosen)[1] or "concurrent_call"
            return self._call(uow, office, counter, chosen, now, actor, reason)
        return self._write(run)

    def call_ticket(self, counter_id: int, ticket_id: int, actor: Actor) -> dict:
        """Call one particular waiting ticket (the clerk typed its number)."""
        def run(uow: UnitOfWork) -> dict:
            counter = self._open_counter(uow, counter_id)
            office = self._office(uow, counter.office_id)
            ticket = self._ticket(uow, ticket_id, office.id)
            if ticket.service_id not in counter.service_ranks():
                raise Conflict(f"Counter {counter.name} does not serve ticket {ticket.label}.")
            now = self.clock()
            current = uow.repo.ticket_at_counter(counter.id)
            if current is not None and current.id != ticket.id:
                current.finish(now, actor, how="next")
                self._after_ticket_change(uow, current)
            if ticket.status == TicketStatus.HELD:  # back from fetching a document
                ticket.resume(counter.id, now, actor)
                self._announce(uow, ticket, counter, now, recall=False)
                return self._finish_change(uow, ticket)
            reason = "chosen" if uow.repo.waiting_before(ticket) else None
            return self._call(uow, office, counter, ticket, now, actor, reason)
        return self._write(run)

    def recall(self, ticket_id: int, actor: Actor) -> dict:
        def run(uow: UnitOfWork) -> dict:
            ticket = self._ticket(uow, ticket_id)
            now = self.clock()
            ticket.recall(now, actor)
            counter = uow.repo.counter(ticket.counter_id)
            self._announce(uow, ticket, counter, now, recall=True)
            return self._finish_change(uow, ticket)
        return self._write(run)

    def hold(self, ticket_id: int, actor: Actor) -> dict:
        return self._simple(ticket_id, lambda t, now: t.hold(now, actor))

    def start(self, ticket_id: int, actor: Actor) -> dict:
        return self._simple(ticket_id, lambda t, now: t.start(now, actor))

    def finish(self, ticket_id: int, actor: Actor) -> dict:
        return self._simple(ticket_id, lambda t, now: t.finish(now, actor))

    def no_show(self, ticket_id: int, actor: Actor) -> dict:
        limit = self.settings.no_show_requeue_limit
        return self._simple(ticket_id, lambda t, now: t.no_show(now, actor, limit, self.policy))

    def cancel(self, ticket_id: int, actor: Actor) -> dict:
        return self._simple(ticket_id, lambda t, now: t.cancel(now, actor))

    def transfer(self, ticket_id: int, service_id: int, actor: Actor) -> dict:
        def run(uow: UnitOfWork) -> dict:
            ticket = self._ticket(uow, ticket_id)
            target = uow.repo.service(service_id)
            if target is None or target.office_id != ticket.office_id:
                raise NotFound(f"There is no service {service_id}.")
            if not target.active:
                raise ServiceClosed(f"Service {target.name_en} is closed.")
            return self._change(uow, ticket,
                                lambda t, now: t.transfer(target, now, actor, self.policy))
        return self._write(run)

    def set_counter(self, counter_id: int, actor: Actor, is_open: bool | None = None,
                    service_ids: list[int] | None = None) -> dict:
        """Open or close a counter, and choose the services it serves today (in order)."""
        def run(uow: UnitOfWork) -> dict:
            counter = uow.repo.counter(counter_id)
            if counter is None:
                raise NotFound(f"There is no counter {counter_id}.")
            office = self._office(uow, counter.office_id)
            now = self.clock()
            before_ids = [link.service_id for link in counter.service_links]
            before = set(before_ids)
            if service_ids is not None and service_ids != before_ids:
                self._set_counter_services(uow, counter, service_ids)
                uow.repo.add(OfficeEvent(office.id, OfficeEventKind.COUNTER_SERVICES_SET, now,
                                         actor, counter_id=counter.id,
                                         data={"service_ids": service_ids, "before": before_ids}))
            if is_open is False and uow.repo.ticket_at_counter(counter.id) is not None:
                raise Conflict(f"Counter {counter.name} still has a ticket; finish it first.")
            if is_open is not None and is_open != counter.is_open:
                counter.is_open = is_open
                kind = OfficeEventKind.COUNTER_OPENED if is_open else OfficeEventKind.COUNTER_CLOSED
                uow.repo.add(OfficeEvent(office.id, kind, now, actor, counter_id=counter.id))
            uow.session.flush()
            self.catalog.forget_reference()
            touched = before | set(counter.service_ranks())
            self._notify_queue(uow, office, [uow.repo.service(s) for s in touched], now)
            view = self._counter_view(uow, counter)
            self._notify_counter(uow, counter)
            uow.commit()
            self.catalog.forget_reference()  # again: another request may have cached the old state
            return view
        return self._write(run)

    def set_service(self, service_id: int, actor: Actor, is_open: bool,
                    office_id: int | None = None) -> dict:
        """Open or close a service for new tickets (its national system is down, its clerks
        are away). Who already waits keeps the place and is still called; the lobby and the
        kiosks show it closed at once (`queue_changed` carries `open`)."""
        def run(uow: UnitOfWork) -> dict:
            service = uow.repo.service(service_id)  # the row itself, not the catalog's copy
            if service is None or (office_id is not None and service.office_id != office_id):
                raise NotFound(f"There is no service {service_id}.")
            office = self._office(uow, service.office_id)
            now = self.clock()
            if service.active != is_open:
                service.active = is_open
                kind = OfficeEventKind.SERVICE_OPENED if is_open else OfficeEventKind.SERVICE_CLOSED
                uow.repo.add(OfficeEvent(office.id, kind, now, actor, service_id=service.id))
            self.catalog.forget_reference()
            self._notify_queue(uow, office, [service], now)
            view = service_view(service, queue_stats(uow.repo, self.catalog, [service],
                                                     office.service_day(now), now)[service.id],
                                office, now)
            uow.commit()
            self.catalog.forget_reference()  # again: another request may have cached the old state
            return view
        return self._write(run)

    # --- read side ----------------------------------------------------------------------

    def services(self, office_id: int | None = None) -> list[dict]:
        with self.read_uow() as uow:
            office = self._office(uow, office_id)
            now = self.clock()
            services = uow.repo.services(office.id)
            stats = queue_stats(uow.repo, self.catalog, services, office.service_day(now), now)
            return [service_view(s, stats[s.id], office, now) for s in services]

    def counters(self, office_id: int | None = None) -> list[dict]:
        with self.read_uow() as uow:
            office = self._office(uow, office_id)
            return [self._counter_view(uow, c) for c in uow.repo.counters(office.id)]

    def counter(self, counter_id: int, public: bool = False) -> dict:
        """One counter; `public` leaves out what only staff may see (token, triage note)."""
        with self.read_uow() as uow:
            counter = uow.repo.counter(counter_id)
            if counter is None:
                raise NotFound(f"There is no counter {counter_id}.")
            return self._counter_view(uow, counter, public)

    def office(self, office_id: int | None = None) -> dict:
        with self.read_uow() as uow:
            office = self._office(uow, office_id)
            return {"id": office.id, "name": office.name, "name_en": office.name_en,
                    "timezone": office.timezone, "opening_hours": office.opening_hours,
                    "enforce_hours": office.enforce_hours, "notice": office.notice,
                    "open_now": office.is_open_at(self.clock())}

    def set_notice(self, office_id: int, text: str, actor: Actor) -> dict:
        """The manager changes the lobby's notice strip; displays show it at once."""
        def run(uow: UnitOfWork) -> dict:
            office = uow.repo.office(office_id)  # the row itself, not the catalog's copy
            if office is None:
                raise NotFound(f"There is no office {office_id}.")
            office.notice = text
            uow.repo.add(OfficeEvent(office.id, OfficeEventKind.NOTICE_SET, self.clock(), actor,
                                     data={"text": text}))
            uow.notify("notice_changed", {"text": text}, "display")
            uow.commit()
            self.catalog.forget_reference()  # the catalog's office copy is stale now
            return {"notice": text}
        return self._write(run)

    def display_snapshot(self, office_id: int | None = None) -> dict:
        """Everything the lobby display shows, for a display that has just (re)connected."""
        with self.read_uow() as uow:
            office = self._office(uow, office_id)
            now = self.clock()
            day = office.service_day(now)
            services = uow.repo.services(office.id)
            stats = queue_stats(uow.repo, self.catalog, services, day, now)
            counters = {c.id: c for c in uow.repo.counters(office.id)}
            calls = []
            for event in uow.repo.recent_calls(office.id, day):
                ticket = uow.repo.ticket(event.ticket_id)
                counter = counters.get(event.counter_id)
                if counter is not None:
                    calls.append(call_view(ticket, counter, event.kind.value == "recalled",
                                           event.at))
            return {"office": {"name": office.name, "name_en": office.name_en,
                               "timezone": office.timezone, "notice": office.notice},
                    "services": [service_view(s, stats[s.id], office, now) for s in services],
                    "counters": [self._counter_view(uow, c, public=True)
                                 for c in counters.values()],
                    "recent_calls": calls, "server_time": iso(now)}

    def day_summary(self, office_id: int | None = None, day: date | None = None) -> dict:
        """The manager's view of one day (today by default) in the office's time."""
        with self.read_uow() as uow:
            office = self._office(uow, office_id)
            day = day or office.service_day(self.clock())
            return {"office": office.name, **day_summary(
                day, uow.repo.services(office.id), uow.repo.counters(office.id),
                uow.repo.tickets_of_day(office.id, day), uow.repo.events_of_day(office.id, day))}

    def counter_waiting(self, counter_id: int, limit: int = 200) -> dict:
        """For the clerk: who waits for this counter's services, in the order each service's
        queue would call them, and the counter's own figures of the day."""
        with self.read_uow() as uow:
            counter = uow.repo.counter(counter_id)
            if counter is None:
                raise NotFound(f"There is no counter {counter_id}.")
            office = self._office(uow, counter.office_id)
            day = office.service_day(self.clock())
            waiting = [{"id": t.id, "number": t.label, "service_id": t.service_id,
                        "priority": t.priority.value, "channel": t.channel.value,
                        "issued_at": iso(t.issued_at), "queued_at": iso(t.queued_at),
                        "note": t.note}
                       for t in uow.repo.waiting_tickets(list(counter.service_ranks()), day, limit)]
            summary = day_summary(day, [], [counter], [], uow.repo.events_of_day(office.id, day))
            return {"counter_id": counter.id, "waiting": waiting, "today": summary["counters"][0]}

    def preview_ticket(self, service_id: int) -> tuple[dict, dict]:
        """(ticket body, office) of the ticket the service would issue now, issuing nothing:
        what `gecc-queue printer render` draws."""
        with self.read_uow() as uow:
            office = self._office(uow, None)
            service = uow.repo.service(service_id)
            if service is None:
                raise NotFound(f"There is no service {service_id}.")
            now = self.clock()
            day = office.service_day(now)
            ticket = Ticket(office.id, service.id, uow.repo.peek_number(service.id, day), "",
                            day, Priority.NORMAL, Channel.KIOSK, now, token="preview")
            ticket.label = format_ticket_number(service.code, ticket.number)
            stats = queue_stats(uow.repo, self.catalog, [service], day, now)[service.id]
            view = ticket_view(ticket, service, None, stats.waiting, stats.eta(stats.waiting),
                               self.settings.public_url)
            return view, {"name": office.name, "name_en": office.name_en,
                          "timezone": office.timezone}

    def ticket_room_ok(self, token: str) -> bool:
        with self.read_uow() as uow:
            return uow.repo.ticket_by_token(token) is not None

    # --- internals ----------------------------------------------------------------------

    def _write(self, run: Callable[[UnitOfWork], dict]) -> dict:
        """Run a write use case, again from the start if a concurrent writer won the race."""
        for attempt in range(1, self.settings.max_attempts + 1):
            try:
                with self.uow() as uow:
                    return run(uow)
            except (StaleDataError, IntegrityError, OperationalError) as exc:
                if attempt == self.settings.max_attempts or not _retryable(exc):
                    raise
                log.info("retrying after a concurrent update (%s)", type(exc).__name__)
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _simple(self, ticket_id: int, change) -> dict:
        return self._write(lambda uow: self._change(uow, self._ticket(uow, ticket_id), change))

    def _change(self, uow: UnitOfWork, ticket: Ticket, change) -> dict:
        """Apply a transition to a ticket and tell everyone who watches it."""
        old_service_id = ticket.service_id
        change(ticket, self.clock())
        office = self._office(uow, ticket.office_id)
        services = [self.catalog.service(uow.repo, s) for s in {old_service_id, ticket.service_id}]
        self._notify_queue(uow, office, list(services), self.clock())
        return self._finish_change(uow, ticket)

    def _finish_change(self, uow: UnitOfWork, ticket: Ticket) -> dict:
        self._after_ticket_change(uow, ticket)
        uow.session.flush()
        view = self._ticket_view(uow, ticket)
        self._commit(uow)
        return view

    def _call(self, uow: UnitOfWork, office: Office, counter: Counter, ticket: Ticket,
              now: datetime, actor: Actor, reason: str | None) -> dict:
        ticket.call(counter.id, now, actor, reason)
        self._announce(uow, ticket, counter, now, recall=False)
        self._notify_queue(uow, office, [self.catalog.service(uow.repo, ticket.service_id)], now)
        return self._finish_change(uow, ticket)

    def _announce(self, uow: UnitOfWork, ticket: Ticket, counter: Counter, now: datetime,
                  recall: bool) -> None:
        body = call_view(ticket, counter, recall, now)
        for room in ("display", f"counter:{counter.id}", f"ticket:{ticket.token}"):
            uow.notify("ticket_called", body, room)

    def _after_ticket_change(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """Queue the ticket's own update and its counter's, to go out after commit."""
        uow.session.flush()
        uow.notify("ticket_updated", self._ticket_view(uow, ticket), f"ticket:{ticket.token}")
        uow.touched_counters |= {e.counter_id for e in ticket.events if e.counter_id} | (
            {ticket.counter_id} if ticket.counter_id else set())

    def _commit(self, uow: UnitOfWork) -> None:
        """Commit, with one `counter_updated` for each counter the change touched."""
        for counter_id in sorted(uow.touched_counters):
            self._notify_counter(uow, uow.repo.counter(counter_id))
        uow.touched_counters.clear()
        uow.commit()

    def _notify_counter(self, uow: UnitOfWork, counter: Counter) -> None:
        """`counter_updated` (public view) to the counter's screens and to the lobby display."""
        view = self._counter_view(uow, counter, public=True)
        uow.notify("counter_updated", view, f"counter:{counter.id}")
        uow.notify("counter_updated", view, "display")

    def _notify_queue(self, uow: UnitOfWork, office: Office, services: list[Service],
                      now: datetime, stats: dict | None = None) -> None:
        """`queue_changed` for each service, to the display and the counters that serve it."""
        uow.session.flush()
        services = [s for s in services if s is not None]
        if stats is None:
            stats = queue_stats(uow.repo, self.catalog, services, office.service_day(now), now)
        for service in services:
            body = {"service_id": service.id, "waiting": stats[service.id].waiting,
                    "eta_minutes": stats[service.id].eta(stats[service.id].waiting),
                    "counters_open": stats[service.id].counters_open,
                    "open": bool(service.active and office.is_open_at(now))}
            uow.notify("queue_changed", body, "display")
            for counter_id in self.catalog.counter_ids_serving(uow.repo, service.id):
                uow.notify("queue_changed", body, f"counter:{counter_id}")

    def ticket_view_in(self, uow: UnitOfWork, ticket: Ticket) -> dict:
        """The ticket's body as of now, inside the caller's unit of work."""
        return self._ticket_view(uow, ticket)

    def _ticket_view(self, uow: UnitOfWork, ticket: Ticket, service: Service | None = None,
                     stats: dict | None = None, ahead: int | None = None) -> dict:
        service = service or self.catalog.service(uow.repo, ticket.service_id)
        counter = uow.repo.counter(ticket.counter_id) if ticket.counter_id else None
        eta = None
        if ticket.status.value == "waiting":
            office = self._office(uow, ticket.office_id)
            now = self.clock()
            if ahead is None:
                ahead = uow.repo.ahead_of(ticket)
            if stats is None:
                stats = queue_stats(uow.repo, self.catalog, [service], office.service_day(now), now)
            eta = stats[service.id].eta(ahead)
        return ticket_view(ticket, service, counter, ahead, eta, self.settings.public_url)

    def _counter_view(self, uow: UnitOfWork, counter: Counter, public: bool = False) -> dict:
        current = uow.repo.ticket_at_counter(counter.id)
        ticket = None
        if current is not None:
            ticket = self._ticket_view(uow, current)
            if public:
                ticket = public_ticket(ticket)
        held = [{"id": t.id, "number": t.label, "service_id": t.service_id}
                for t in uow.repo.held_at_counter(counter.id)]
        return {**counter_brief(counter), "is_open": counter.is_open,
                "service_ids": [link.service_id for link in counter.service_links],
                "current": ticket, "held": held}

    def _set_counter_services(self, uow: UnitOfWork, counter: Counter,
                              service_ids: list[int]) -> None:
        from ..domain.model import CounterService
        if not service_ids:
            raise InvalidTransition("A counter serves at least one service.")
        if len(set(service_ids)) != len(service_ids):
            raise InvalidTransition("A service is listed twice.")
        for sid in service_ids:
            service = uow.repo.service(sid)
            if service is None or service.office_id != counter.office_id:
                raise NotFound(f"There is no service {sid}.")
        counter.service_links.clear()
        uow.session.flush()
        counter.service_links.extend(CounterService(sid, rank) for rank, sid in enumerate(service_ids))

    def _office(self, uow: UnitOfWork, office_id: int | None) -> Office:
        office = self.catalog.office(uow.repo, office_id)
        if office is None:
            raise NotFound("No office is set up; run `gecc-queue demo` or create one.")
        return office

    def _ticket(self, uow: UnitOfWork, ticket_id: int, office_id: int | None = None) -> Ticket:
        ticket = uow.repo.ticket(ticket_id)
        if ticket is None or (office_id is not None and ticket.office_id != office_id):
            raise NotFound(f"There is no ticket {ticket_id}.")
        return ticket

    def _open_counter(self, uow: UnitOfWork, counter_id: int) -> Counter:
        counter = uow.repo.counter(counter_id, lock=True)
        if counter is None:
            raise NotFound(f"There is no counter {counter_id}.")
        if not counter.is_open:
            raise CounterClosed(f"Counter {counter.name} is closed; open it first.")
        return counter


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, (StaleDataError, IntegrityError)):
        return True
    text = str(exc).lower()
    # SQLite's lock wait ran out, or PostgreSQL chose this transaction as a deadlock victim.
    return "locked" in text or "deadlock" in text or "could not serialize" in text
