"""The read side: what screens and the API show, read in a reading unit of work. Nothing here
changes the database."""

from __future__ import annotations

from datetime import date

from ..domain.errors import NotFound
from ..domain.model import Channel, Priority, Ticket, format_ticket_number
from .context import Context
from .messages import call_view, iso
from .summary import day_summary
from .views import holder_ticket, ticket_view


class Queries:
    def __init__(self, context: Context):
        self.context = context

    def _reading(self):
        return self.context.read_uow()

    def ticket_status(self, token: str) -> dict:
        with self._reading() as uow:
            ticket = uow.tickets.ticket_by_token(token)
            if ticket is None:
                raise NotFound("There is no ticket with that code.")
            return holder_ticket(self.context.views(uow, ticket.office_id).ticket(ticket))

    def ticket_room_ok(self, token: str) -> bool:
        with self._reading() as uow:
            return uow.tickets.ticket_by_token(token) is not None

    def office_ids(self) -> list[int]:
        with self._reading() as uow:
            return uow.offices.office_ids()

    def office(self, office_id: int | None = None) -> dict:
        with self._reading() as uow:
            office = self.context.views(uow).office(office_id)
            return {"id": office.id, "name": office.name, "name_en": office.name_en,
                    "timezone": office.timezone, "opening_hours": office.opening_hours,
                    "enforce_hours": office.enforce_hours, "notice": office.notice,
                    "open_now": office.is_open_at(self.context.clock()),
                    # what citizens are shown besides the name (set on the admin pages)
                    "address": office.address, "help_contact": office.help_contact,
                    "holidays": office.holidays,
                    "logo_url": f"/office/{office.id}/logo" if office.logo is not None else None}

    def services(self, office_id: int | None = None) -> list[dict]:
        with self._reading() as uow:
            views = self.context.views(uow, office_id)
            now = self.context.clock()
            services = uow.offices.services(views.office().id)
            stats = views.queue_stats(services, now)
            return [views.service_view(s, now, stats[s.id]) for s in services]

    def counters(self, office_id: int | None = None) -> list[dict]:
        with self._reading() as uow:
            views = self.context.views(uow, office_id)
            return [views.counter(c) for c in uow.offices.counters(views.office().id)]

    def counter(self, counter_id: int, public: bool = False, office_id: int | None = None) -> dict:
        """One counter; `public` leaves out what only staff may see (token, triage note).
        `office_id`: the caller's office; another office's counter is not found."""
        with self._reading() as uow:
            counter = _counter_of(uow, counter_id, office_id)
            return self.context.views(uow, counter.office_id).counter(counter, public)

    def display_snapshot(self, office_id: int | None = None) -> dict:
        """Everything the lobby display shows, for a display that has just (re)connected."""
        with self._reading() as uow:
            views = self.context.views(uow, office_id)
            office = views.office()
            now = self.context.clock()
            day = office.service_day(now)
            services = uow.offices.services(office.id)
            stats = views.queue_stats(services, now)
            counters = {c.id: c for c in uow.offices.counters(office.id)}
            calls = []
            for event in uow.tickets.recent_calls(office.id, day):
                counter = counters.get(event.counter_id)
                if counter is not None:
                    calls.append(call_view(uow.tickets.ticket(event.ticket_id), counter,
                                           event.kind.value == "recalled", event.at))
            return {"office": {"name": office.name, "name_en": office.name_en,
                               "timezone": office.timezone, "notice": office.notice},
                    "services": [views.service_view(s, now, stats[s.id]) for s in services],
                    "counters": [views.counter(c, public=True) for c in counters.values()],
                    "recent_calls": calls, "server_time": iso(now)}

    def called_lately(self, number: str, counter_number: int, office_id: int | None = None,
                      among: int = 50) -> bool:
        """Whether ticket `number` was called (or recalled) today at the counter numbered
        `counter_number`, among the day's latest `among` calls: what the lobby may ask the
        server to speak (it asks within seconds of the call)."""
        with self._reading() as uow:
            office = self.context.views(uow, office_id).office()
            day = office.service_day(self.context.clock())
            numbers = {c.id: c.number for c in uow.offices.counters(office.id)}
            return any(numbers.get(event.counter_id) == counter_number
                       and uow.tickets.ticket(event.ticket_id).label == number
                       for event in uow.tickets.recent_calls(office.id, day, limit=among))

    def day_summary(self, office_id: int | None = None, day: date | None = None) -> dict:
        """The manager's view of one day (today by default) in the office's time."""
        with self._reading() as uow:
            office = self.context.views(uow, office_id).office()
            day = day or office.service_day(self.context.clock())
            return {"office": office.name, **day_summary(
                day, uow.offices.services(office.id), uow.offices.counters(office.id),
                uow.tickets.tickets_of_day(office.id, day), uow.tickets.events_of_day(office.id, day))}

    def counter_waiting(self, counter_id: int, limit: int = 200, user_id: int | None = None,
                        office_id: int | None = None) -> dict:
        """For the clerk: who waits for this counter's services, in the order each service's
        queue would call them, and the counter's own figures of the day (of the caller's
        office only); `clerk`: who last called, served or finished a ticket at this counter
        today (so a console can warn a clerk who opens a counter another clerk works at), and
        `mine`: what `user_id` finished at this counter today."""
        with self._reading() as uow:
            counter = _counter_of(uow, counter_id, office_id)
            office = self.context.views(uow, counter.office_id).office()
            day = office.service_day(self.context.clock())
            waiting = [{"id": t.id, "number": t.label, "service_id": t.service_id,
                        "priority": t.priority.value, "channel": t.channel.value,
                        "issued_at": iso(t.issued_at), "queued_at": iso(t.queued_at),
                        "note": t.note}
                       for t in uow.tickets.waiting_tickets(list(counter.service_ranks()), day, limit)]
            events = uow.tickets.events_of_day(office.id, day)
            summary = day_summary(day, [], [counter], [], events)
            here = [e for e in events if e.counter_id == counter.id and e.actor_kind == "user"
                    and e.actor_id]
            clerk = None
            if here:
                last = here[-1]
                user = uow.users.user(int(last.actor_id))
                clerk = {"id": int(last.actor_id), "name": user.display_name if user else "",
                         "username": user.username if user else "", "at": iso(last.at)}
            mine = None
            if user_id is not None:
                mine = {"finished": sum(1 for e in here if e.kind.value == "finished"
                                        and e.actor_id == str(user_id))}
            return {"counter_id": counter.id, "waiting": waiting, "today": summary["counters"][0],
                    "clerk": clerk, "mine": mine}

    def preview_ticket(self, service_id: int) -> tuple[dict, dict]:
        """(ticket body, office) of the ticket the service would issue now, issuing nothing:
        what `gecc-queue printer render` draws."""
        with self._reading() as uow:
            views = self.context.views(uow)
            office = views.office()
            service = uow.offices.service(service_id)
            if service is None:
                raise NotFound(f"There is no service {service_id}.")
            now = self.context.clock()
            day = office.service_day(now)
            ticket = Ticket(office.id, service.id, uow.tickets.peek_number(service.id, day), "",
                            day, Priority.NORMAL, Channel.KIOSK, now, token="preview")
            ticket.label = format_ticket_number(service.code, ticket.number)
            stats = views.queue_stats([service], now)[service.id]
            view = ticket_view(ticket, service, None, stats.waiting, stats.eta(stats.waiting),
                               self.context.settings.public_url)
            return view, {"name": office.name, "name_en": office.name_en,
                          "timezone": office.timezone}


def _counter_of(uow, counter_id: int, office_id: int | None):
    """The counter, if it exists, is not removed and (with `office_id`) is of that office;
    else NotFound, the same answer whether it exists elsewhere or not at all."""
    counter = uow.offices.counter(counter_id)
    if counter is None or not counter.active or (
            office_id is not None and counter.office_id != office_id):
        raise NotFound(f"There is no counter {counter_id}.")
    return counter
