"""The managers' alerts: the open ones, a period's history with the actions taken, and
handling one (the action, who and when: GECC 2.16)."""

from __future__ import annotations

from datetime import date

from ..domain.alerts import (Alert, AlertKind, AlertRules, closed_counters_with_growing_queues,
                             long_waits)
from ..domain.errors import NotFound
from ..domain.model import Actor
from . import messages
from .context import Context
from .messages import iso
from .unit_of_work import UnitOfWork


class Alerts:
    def __init__(self, context: Context, rules: AlertRules | None = None):
        self.context = context
        self.rules = rules or AlertRules()

    def open(self, office_id: int) -> list[dict]:
        with self.context.read_uow() as uow:
            return [alert_view(uow, a) for a in uow.alerts.open(office_id)]

    def history(self, office_id: int, first: date, last: date) -> list[dict]:
        """Alerts raised on the local days first..last (both included), newest first."""
        with self.context.read_uow() as uow:
            office = self.context.views(uow, office_id).office()
            start, end = office.day_bounds(first, last)
            return alert_views(uow, office.id, uow.alerts.raised_between(office.id, start, end))

    def handle(self, alert_id: int, action: str, actor: Actor, office_id: int) -> dict:
        def run(uow: UnitOfWork) -> dict:
            alert = uow.alerts.by_id(alert_id)
            if alert is None or alert.office_id != office_id:
                raise NotFound(f"There is no alert {alert_id}.")
            alert.handle(action, int(actor.id), self.context.clock())
            uow.flush()
            view = alert_view(uow, alert)
            uow.publish(messages.alert_handled(view))
            uow.commit()
            return view
        return self.context.write(run)

    # --- raising ---------------------------------------------------------------------------

    def sweep(self, office_id: int | None = None) -> list[dict]:
        """Look at the office's queues now and raise what passing time brings: a ticket
        waiting past its service's target, a counter closed while its queue grows. The server
        runs it every few seconds (cli.py); the alerts raised, as views."""
        def run(uow: UnitOfWork) -> list[dict]:
            office = uow.offices.office(office_id)
            if office is None:
                return []
            now = self.context.clock()
            today = office.service_day(now)
            start, _ = office.day_bounds(today)
            known = {a.id: a for a in uow.alerts.open(office.id)}
            known.update({a.id: a for a in uow.alerts.raised_between(office.id, start, now)})
            known = list(known.values())
            services = uow.offices.services(office.id)
            queues = uow.alerts.waiting_queues(office.id, today)
            raised = long_waits(services, queues, known, office.id, now)
            raised += closed_counters_with_growing_queues(
                office, uow.offices.counters(office.id), uow.alerts.last_closings(office.id, start),
                {s.id: s for s in services}, {sid: q.count for sid, q in queues.items()},
                known, self.rules, now)
            return self._raise(uow, raised)
        return self.context.write(run)

    def printer_reported(self, state, office_id: int | None = None) -> dict | None:
        """A printer's report: trouble (offline, out of paper, cover open, paper low) raises an
        alert unless that kiosk's printer has one open already."""
        if not self.rules.printer_in_trouble(state):
            return None

        def run(uow: UnitOfWork) -> dict | None:
            office = uow.offices.office(office_id)
            if office is None:
                return None
            kiosk = state.kiosk_id or ""
            if any(a.kind == AlertKind.PRINTER_TROUBLE and a.data.get("kiosk_id") == kiosk
                   for a in uow.alerts.open(office.id)):
                return None
            views = self._raise(uow, [Alert.printer_trouble(office.id, state, self.context.clock())])
            return views[0]
        return self.context.write(run)

    @staticmethod
    def _raise(uow: UnitOfWork, alerts: list[Alert]) -> list[dict]:
        for alert in alerts:
            uow.alerts.add(alert)
        uow.flush()
        views = [alert_view(uow, a) for a in alerts]
        for view in views:
            uow.publish(messages.alert_raised(view))
        uow.commit()
        return views


def alert_views(uow: UnitOfWork, office_id: int, alerts: list[Alert]) -> list[dict]:
    """Many alerts as `alert_view` shows one, with the comments and names read in two queries
    (a year's history holds thousands of alerts)."""
    comments = uow.ratings.comments_of(
        [a.ticket_id for a in alerts if a.kind == AlertKind.LOW_RATING and a.ticket_id])
    names = {u.id: u.display_name for u in uow.users.users_of_office(office_id)}

    def name(user_id):
        if user_id not in names:  # an administrator of another office, say
            user = uow.users.user(user_id)
            names[user_id] = user.display_name if user else None
        return names[user_id]
    return [_view(a, comments.get(a.ticket_id) if a.kind == AlertKind.LOW_RATING else None,
                  name) for a in alerts]


def alert_view(uow: UnitOfWork, alert: Alert) -> dict:
    """An alert as managers see it: with the rating's comment (for their eyes only) and the
    names of the clerk who served and of the manager who handled it."""
    comment = None
    if alert.kind == AlertKind.LOW_RATING and alert.ticket_id:
        rating = uow.ratings.by_ticket(alert.ticket_id)
        comment = rating.comment if rating else None

    def name(user_id):
        user = uow.users.user(user_id) if user_id else None
        return user.display_name if user else None

    return _view(alert, comment, name)


def _view(alert: Alert, comment: str | None, name) -> dict:
    return {"id": alert.id, "office_id": alert.office_id, "kind": alert.kind.value,
            "raised_at": iso(alert.raised_at),
            "ticket_id": alert.ticket_id, "service_id": alert.service_id,
            "counter_id": alert.counter_id, "data": alert.data, "comment": comment,
            "handled_at": iso(alert.handled_at), "handled_by": alert.handled_by,
            "action": alert.action,
            "clerk_name": name(alert.data.get("clerk_id") or alert.data.get("assignee_id"))
            if (alert.data.get("clerk_id") or alert.data.get("assignee_id")) else None,
            "handled_by_name": name(alert.handled_by) if alert.handled_by else None}
