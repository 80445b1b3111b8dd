"""The office's settings that staff change during the day: a counter open or closed and the
services it serves, a service taking tickets or not, the lobby's notice. Each change is
recorded as an office event (who, when, what: evidence of counters actually open)."""

from __future__ import annotations

from ..domain.errors import Conflict, InvalidTransition, NotFound
from ..domain.model import Actor, Counter, CounterService, OfficeEvent, OfficeEventKind
from . import messages
from .context import Context
from .unit_of_work import UnitOfWork


class OfficeSettings:
    def __init__(self, context: Context):
        self.context = context

    def set_counter(self, counter_id: int, actor: Actor, is_open: bool | None = None,
                    service_ids: list[int] | None = None, office_id: int | None = None) -> dict:
        """Open or close a counter, and choose the services it serves today (in order).
        `office_id`: the caller's; another office's counter is not found."""
        catalog = self.context.catalog

        def run(uow: UnitOfWork) -> dict:
            counter = uow.offices.counter(counter_id)
            if counter is None or not counter.active or (
                    office_id is not None and counter.office_id != office_id):
                raise NotFound(f"There is no counter {counter_id}.")
            views = self.context.views(uow, counter.office_id)
            office = views.office()
            now = self.context.clock()
            before_ids = [link.service_id for link in counter.service_links]
            if service_ids is not None and service_ids != before_ids:
                self._set_counter_services(uow, counter, service_ids)
                uow.add(OfficeEvent(office.id, OfficeEventKind.COUNTER_SERVICES_SET, now, actor,
                                    counter_id=counter.id,
                                    data={"service_ids": service_ids, "before": before_ids}))
            if is_open is False and uow.tickets.ticket_at_counter(counter.id) is not None:
                raise Conflict(f"Counter {counter.name} still has a ticket; finish it first.")
            if is_open is not None and is_open != counter.is_open:
                counter.is_open = is_open
                kind = OfficeEventKind.COUNTER_OPENED if is_open else OfficeEventKind.COUNTER_CLOSED
                # A closing keeps its queues' length: a queue that grows after it raises an
                # alert (service_layer/alerts.py).
                data = None if is_open else {"waiting": {
                    str(sid): n for sid, n in sorted(uow.tickets.waiting_counts(
                        list(counter.service_ranks()), office.service_day(now)).items()) if n}}
                uow.add(OfficeEvent(office.id, kind, now, actor, counter_id=counter.id,
                                    data=data))
            uow.flush()
            catalog.forget_reference()
            touched = set(before_ids) | set(counter.service_ranks())
            uow.changes.queue(*(uow.offices.service(s) for s in sorted(touched)))
            uow.changes.counters.add(counter.id)
            view = views.counter(counter)
            self.context.commit(uow, views)
            catalog.forget_reference()  # again: another request may have cached the old state
            return view
        return self.context.write(run)

    def add_counter(self, service_ids: list[int], actor: Actor, name: str | None = None,
                    office_id: int | None = None) -> dict:
        """A new service point (closed) with the services it serves, in order: the office
        grows. Its number follows the office's last; recorded as its services being set."""
        catalog = self.context.catalog

        def run(uow: UnitOfWork) -> dict:
            views = self.context.views(uow, office_id)
            office = views.office()
            number = max((c.number for c in uow.offices.counters(office.id)), default=0) + 1
            counter = Counter(office.id, number, name or f"ช่อง {number}", is_open=False)
            counter.service_links = []
            uow.add(counter)
            uow.flush()
            self._set_counter_services(uow, counter, list(service_ids))
            uow.add(OfficeEvent(office.id, OfficeEventKind.COUNTER_SERVICES_SET,
                                self.context.clock(), actor, counter_id=counter.id,
                                data={"service_ids": list(service_ids), "before": []}))
            uow.flush()
            catalog.forget_reference()
            uow.changes.counters.add(counter.id)
            view = views.counter(counter)
            self.context.commit(uow, views)
            return view
        return self.context.write(run)

    def set_service(self, service_id: int, actor: Actor, is_open: bool,
                    office_id: int | None = None) -> dict:
        """Open or close a service for new tickets (its national system is down, its clerks
        are away). Who already waits keeps the place and is still called; the lobby and the
        kiosks show it closed at once (`queue_changed` carries `open`)."""
        catalog = self.context.catalog

        def run(uow: UnitOfWork) -> dict:
            service = uow.offices.service(service_id)  # the row itself, not the catalog's copy
            if service is None or (office_id is not None and service.office_id != office_id):
                raise NotFound(f"There is no service {service_id}.")
            views = self.context.views(uow, service.office_id)
            now = self.context.clock()
            if service.active != is_open:
                service.active = is_open
                kind = OfficeEventKind.SERVICE_OPENED if is_open else OfficeEventKind.SERVICE_CLOSED
                uow.add(OfficeEvent(service.office_id, kind, now, actor, service_id=service.id))
            catalog.forget_reference()
            uow.changes.queue(service)
            view = views.service_view(service, now)
            self.context.commit(uow, views)
            catalog.forget_reference()  # again: another request may have cached the old state
            return view
        return self.context.write(run)

    def set_notice(self, office_id: int, text: str, actor: Actor) -> dict:
        """The manager changes the lobby's notice strip; displays show it at once."""
        def run(uow: UnitOfWork) -> dict:
            office = uow.offices.office(office_id)  # the row itself, not the catalog's copy
            if office is None:
                raise NotFound(f"There is no office {office_id}.")
            office.notice = text
            uow.add(OfficeEvent(office.id, OfficeEventKind.NOTICE_SET, self.context.clock(), actor,
                                data={"text": text}))
            uow.publish(messages.notice_changed(text, office.id))
            uow.commit()
            self.context.catalog.forget_reference()  # the catalog's office copy is stale now
            return {"notice": text}
        return self.context.write(run)

    @staticmethod
    def _set_counter_services(uow: UnitOfWork, counter: Counter, service_ids: list[int]) -> None:
        if not service_ids:
            raise InvalidTransition("A counter serves at least one service.")
        if len(set(service_ids)) != len(service_ids):
            raise InvalidTransition("A service is listed twice.")
        for sid in service_ids:
            service = uow.offices.service(sid)
            if service is None or service.office_id != counter.office_id:
                raise NotFound(f"There is no service {sid}.")
        counter.service_links.clear()
        uow.flush()
        counter.service_links.extend(CounterService(sid, rank) for rank, sid in enumerate(service_ids))
