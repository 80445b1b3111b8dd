"""The ticket's use cases: issue; call next or a chosen one; recall, start, finish, no-show,
hold, transfer, cancel.

Each runs in one unit of work: load, apply the domain rule (domain/model.py, the fairness
rule in domain/policy.py), record what changed, commit; the live messages go out after the
commit (messages.py). A use case that lost a race runs again from the start (context.write).
"""

from __future__ import annotations

from datetime import datetime

from ..domain.errors import Conflict, CounterClosed, DomainError, NotFound, QueueEmpty, ServiceClosed
from ..domain.model import Actor, Channel, Counter, Priority, Ticket, TicketStatus
from .context import Context
from .messages import Call
from .printing import queue_print_job
from .unit_of_work import UnitOfWork
from .views import Views, holder_ticket

UNSEEN = object()  # call-next without saying what the console shows


class Tickets:
    def __init__(self, context: Context):
        self.context = context

    @property
    def clock(self):
        return self.context.clock

    # --- citizens' side -----------------------------------------------------------------

    def issue_ticket(self, service_id: int, priority: Priority, channel: Channel, actor: Actor,
                     kiosk_id: str | None = None, note: str | None = None,
                     office_id: int | None = None, print_ticket: bool | None = None,
                     appointment_at: datetime | None = None,
                     within: UnitOfWork | None = None) -> dict:
        """A new ticket. It is printed when `print_ticket` says so; by default kiosk tickets
        and tickets that name a kiosk (printer) are. `appointment_at`: a booking's slot.
        `within`: issue inside the caller's unit of work, which collects and commits (a
        booking's check-in commits its ticket with it)."""
        if print_ticket is None:
            print_ticket = channel == Channel.KIOSK or kiosk_id is not None
        context = self.context

        def run(uow: UnitOfWork) -> dict:
            views = context.views(uow, office_id)
            service = views.service(service_id)
            # Without an office (an anonymous kiosk of no particular office), the service's.
            if service is None or (office_id is not None and service.office_id != office_id):
                raise NotFound(f"There is no service {service_id}.")
            office = views.office(service.office_id)
            now = self.clock()
            if not service.active or not office.is_open_at(now):
                raise ServiceClosed(f"Service {service.name_en} is closed now.")
            day = office.service_day(now)
            number = uow.tickets.next_number(service.id, day)
            ticket = Ticket.issue(office=office, service=service, number=number,
                                  priority=priority, channel=channel, now=now, actor=actor,
                                  policy=context.policy, kiosk_id=kiosk_id, note=note,
                                  appointment_at=appointment_at)
            uow.tickets.add_new_ticket(ticket)
            ahead, waiting = uow.tickets.place_in_queue(ticket)
            stats = views.one_queue_stats(service, waiting, now)
            view = views.ticket(ticket, now, stats, ahead)
            if print_ticket:
                # The job commits with the ticket: no printed ticket without a real one, and
                # no ticket whose print is forgotten. The kiosk learns its printer's state now,
                # so it can show the ticket on screen when the printer is in trouble.
                job = queue_print_job(uow, ticket, office, view, kiosk_id, now)
                view = {**view, "print_job": {"id": job.id, "status": job.status.value},
                        "printer": context.catalog.printer_state(uow.print_jobs, kiosk_id).to_json()}
            uow.changes.queue(service)
            uow.changes.queue_stats[service.id] = stats
            if within is None:
                context.commit(uow, views)
            else:
                context.collect(uow, views)
            return view
        return run(within) if within is not None else context.write(run)

    def cancel_by_token(self, token: str) -> dict:
        """The citizen withdraws their own ticket with the token from its QR code."""
        def run(uow: UnitOfWork) -> dict:
            ticket = uow.tickets.ticket_by_token(token)
            if ticket is None:
                raise NotFound("There is no ticket with that code.")
            return holder_ticket(
                self._change(uow, ticket, lambda t, now: t.cancel(now, Actor("citizen"))))
        return self.context.write(run)

    # --- counters -----------------------------------------------------------------------

    def call_next(self, counter_id: int, actor: Actor, seen_ticket_id: int | None | object = UNSEEN,
                  office_id: int | None = None) -> dict:
        """Call the next ticket for the counter, finishing the one it still holds.

        `seen_ticket_id` is the ticket the clerk's screen shows (None: it shows none). When the
        counter has moved on since (a double press, a retried request), nothing more is
        called and the counter's current ticket is answered with `repeated: true`. Left out
        (UNSEEN), Next always advances, as on a plain keypad. `office_id`: the caller's office
        (staff of another office find no such counter); likewise below.
        """
        policy = self.context.policy

        def run(uow: UnitOfWork) -> dict:
            views = self.context.views(uow)
            counter = self._open_counter(uow, counter_id, office_id)
            office = views.office(counter.office_id)
            now = self.clock()
            current = uow.tickets.ticket_at_counter(counter.id)
            if seen_ticket_id is not UNSEEN and current is not None and current.id != seen_ticket_id:
                return {**views.ticket(current), "repeated": True}
            ranks = counter.service_ranks()
            day = office.service_day(now)
            heads = [h for h in (uow.tickets.queue_head(sid, day) for sid in ranks) if h]
            chosen = policy.choose(heads, now, ranks)
            previous = self._finish_current(uow, current, now, actor)
            if chosen is None:
                self.context.commit(uow, views)  # keep the finish of the previous ticket
                error = QueueEmpty(f"No one is waiting for counter {counter.name}.")
                if previous:
                    error.extra = {"previous": previous}  # the console says what Next did
                raise error
            reason = None
            if uow.tickets.waiting_before(chosen):
                # Ahead of someone of its queue: by its head start, or because the earlier
                # ticket was being called by another counter at this very moment.
                reason = policy.head_start(chosen)[1] or "concurrent_call"
            return self._with_previous(
                self._call(uow, views, counter, chosen, now, actor, reason), previous)
        return self.context.write(run)

    def call_ticket(self, counter_id: int, ticket_id: int, actor: Actor,
                    office_id: int | None = None) -> dict:
        """Call one particular waiting ticket (the clerk typed its number)."""
        def run(uow: UnitOfWork) -> dict:
            views = self.context.views(uow)
            counter = self._open_counter(uow, counter_id, office_id)
            office = views.office(counter.office_id)
            ticket = self._ticket(uow, ticket_id, office.id)
            if ticket.service_id not in counter.service_ranks():
                raise Conflict(f"Counter {counter.name} does not serve ticket {ticket.label}.")
            now = self.clock()
            current = uow.tickets.ticket_at_counter(counter.id)
            previous = None
            if current is not None and current.id != ticket.id:
                previous = self._finish_current(uow, current, now, actor)
            if ticket.status == TicketStatus.HELD:  # back from fetching a document
                ticket.resume(counter.id, now, actor)
                uow.changes.calls.append(Call(ticket, counter, False, now))
                return self._with_previous(self._done(uow, views, ticket), previous)
            reason = "chosen" if uow.tickets.waiting_before(ticket) else None
            return self._with_previous(
                self._call(uow, views, counter, ticket, now, actor, reason), previous)
        return self.context.write(run)

    def recall(self, ticket_id: int, actor: Actor, office_id: int | None = None) -> dict:
        def run(uow: UnitOfWork) -> dict:
            ticket = self._ticket(uow, ticket_id, office_id)
            now = self.clock()
            ticket.recall(now, actor)
            counter = uow.offices.counter(ticket.counter_id)
            uow.changes.calls.append(Call(ticket, counter, True, now))
            return self._done(uow, self.context.views(uow, ticket.office_id), ticket)
        return self.context.write(run)

    def hold(self, ticket_id: int, actor: Actor, office_id: int | None = None) -> dict:
        return self._simple(ticket_id, lambda t, now: t.hold(now, actor), office_id)

    def start(self, ticket_id: int, actor: Actor, office_id: int | None = None) -> dict:
        return self._simple(ticket_id, lambda t, now: t.start(now, actor), office_id)

    def finish(self, ticket_id: int, actor: Actor, office_id: int | None = None) -> dict:
        return self._simple(ticket_id, lambda t, now: t.finish(now, actor), office_id)

    def no_show(self, ticket_id: int, actor: Actor, office_id: int | None = None) -> dict:
        limit, policy = self.context.settings.no_show_requeue_limit, self.context.policy
        return self._simple(ticket_id, lambda t, now: t.no_show(now, actor, limit, policy),
                            office_id)

    def cancel(self, ticket_id: int, actor: Actor, office_id: int | None = None) -> dict:
        return self._simple(ticket_id, lambda t, now: t.cancel(now, actor), office_id)

    def cancel_flood(self, office_id: int, actor: Actor, start: datetime, end: datetime,
                     reason: str, service_id: int | None = None, channel: str | None = None,
                     kiosk_id: str | None = None) -> dict:
        """A manager clears a flood: every waiting ticket of the office issued in [start,
        end) (of one service, channel or kiosk if given) cancelled at once, each with the
        manager and the reason in its event. The count and the numbers."""
        if end <= start:
            raise DomainError("The period's end must come after its start.")

        def run(uow: UnitOfWork) -> dict:
            views = self.context.views(uow, office_id)
            now = self.clock()
            found = uow.tickets.waiting_issued_between(office_id, start, end, service_id,
                                                       channel, kiosk_id)
            for ticket in found:
                ticket.cancel(now, actor, reason)
                uow.changes.ticket(ticket)
            uow.changes.queue(*(views.service(s) for s in {t.service_id for t in found}))
            uow.flush()
            self.context.commit(uow, views)
            return {"cancelled": len(found), "numbers": [t.label for t in found]}
        return self.context.write(run)

    def transfer(self, ticket_id: int, service_id: int, actor: Actor,
                 office_id: int | None = None) -> dict:
        def run(uow: UnitOfWork) -> dict:
            ticket = self._ticket(uow, ticket_id, office_id)
            target = uow.offices.service(service_id)
            if target is None or target.office_id != ticket.office_id:
                raise NotFound(f"There is no service {service_id}.")
            if not target.active:
                raise ServiceClosed(f"Service {target.name_en} is closed.")
            policy = self.context.policy
            return self._change(uow, ticket, lambda t, now: t.transfer(target, now, actor, policy))
        return self.context.write(run)

    # --- internals ----------------------------------------------------------------------

    @staticmethod
    def _finish_current(uow: UnitOfWork, current: Ticket | None, now: datetime,
                        actor: Actor) -> dict | None:
        """Next (or a call of another ticket) finishes the counter's current ticket, as the
        commercial keypads do; what it did is answered (`previous`) so the console can say it:
        the number, and whether service had been started (a call never served otherwise)."""
        if current is None:
            return None
        started = current.started_at is not None
        current.finish(now, actor, how="next")
        uow.changes.ticket(current)
        return {"id": current.id, "number": current.label, "status": current.status.value,
                "auto": True, "started": started}

    @staticmethod
    def _with_previous(view: dict, previous: dict | None) -> dict:
        return {**view, "previous": previous} if previous else view

    def _simple(self, ticket_id: int, change, office_id: int | None = None) -> dict:
        return self.context.write(
            lambda uow: self._change(uow, self._ticket(uow, ticket_id, office_id), change))

    def _change(self, uow: UnitOfWork, ticket: Ticket, change) -> dict:
        """Apply a transition to a ticket; its queue (or both, on a transfer) changes too."""
        views = self.context.views(uow, ticket.office_id)
        old_service_id = ticket.service_id
        change(ticket, self.clock())
        uow.changes.queue(*(views.service(s) for s in {old_service_id, ticket.service_id}))
        return self._done(uow, views, ticket)

    def _call(self, uow: UnitOfWork, views: Views, counter: Counter, ticket: Ticket,
              now: datetime, actor: Actor, reason: str | None) -> dict:
        ticket.call(counter.id, now, actor, reason)
        uow.changes.calls.append(Call(ticket, counter, False, now))
        uow.changes.queue(views.service(ticket.service_id))
        return self._done(uow, views, ticket)

    def _done(self, uow: UnitOfWork, views: Views, ticket: Ticket) -> dict:
        """Record the ticket's change, commit, and answer with its view (built once)."""
        uow.changes.ticket(ticket)
        uow.flush()  # its events get their ids, and the counters' views see the change
        view = views.ticket(ticket)
        self.context.commit(uow, views)
        return view

    @staticmethod
    def _ticket(uow: UnitOfWork, ticket_id: int, office_id: int | None = None) -> Ticket:
        ticket = uow.tickets.ticket(ticket_id)
        if ticket is None or (office_id is not None and ticket.office_id != office_id):
            raise NotFound(f"There is no ticket {ticket_id}.")
        return ticket

    @staticmethod
    def _open_counter(uow: UnitOfWork, counter_id: int, office_id: int | None = None) -> Counter:
        counter = uow.offices.counter(counter_id, lock=True)
        if counter is None or not counter.active or (
                office_id is not None and counter.office_id != office_id):
            raise NotFound(f"There is no counter {counter_id}.")
        if not counter.is_open:
            raise CounterClosed(f"Counter {counter.name} is closed; open it first.")
        return counter
