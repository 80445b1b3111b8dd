"""Satisfaction ratings: given on the citizen's phone (the ticket's QR) or on the tablet at
the counter, one per finished visit; a low score raises an alert the manager handles."""

from __future__ import annotations

from datetime import timedelta

from ..domain.alerts import Alert
from ..domain.errors import NotFound
from ..domain.model import Ticket, TicketStatus
from ..domain.rating import (AlreadyRated, Rating, RatingClosed, RatingPolicy, RatingSource,
                             dimensions_from_json)
from . import messages
from .alerts import alert_view
from .context import Context
from .messages import iso
from .unit_of_work import UnitOfWork


class Ratings:
    def __init__(self, context: Context, policy: RatingPolicy | None = None):
        self.context = context
        self.policy = policy or RatingPolicy()

    # --- the citizen -------------------------------------------------------------------

    def form(self, token: str) -> dict:
        """What the ticket's page needs to offer the rating: whether it can be given now,
        until when, and the questions the office asks. Nothing about anyone else."""
        with self.context.read_uow() as uow:
            ticket = self._by_token(uow, token)
            return self._form(uow, ticket)

    def rate_by_token(self, token: str, score: int, comment: str | None = None,
                      dimensions: dict | None = None) -> dict:
        """The citizen rates their own visit from the ticket's QR code."""
        def run(uow: UnitOfWork) -> dict:
            return self._rate(uow, self._by_token(uow, token), score, comment, dimensions,
                              RatingSource.PHONE)
        return self.context.write(run)

    def rate_at_counter(self, counter_id: int, ticket_id: int, score: int,
                        comment: str | None = None, dimensions: dict | None = None) -> dict:
        """The tablet of `counter_id` rates a visit that counter finished, and only such."""
        def run(uow: UnitOfWork) -> dict:
            ticket = uow.tickets.ticket(ticket_id)
            if ticket is None or ticket.counter_id != counter_id:
                # Another counter's visit is not this tablet's to rate, nor to know about.
                raise NotFound(f"Counter {counter_id} has no visit {ticket_id} to rate.")
            if ticket.status == TicketStatus.FINISHED and uow.ratings.by_ticket(ticket.id) is None:
                latest = uow.tickets.last_finished_at_counter(counter_id)
                age = self.context.clock() - ticket.finished_at
                if latest is None or latest.id != ticket.id or age > timedelta(
                        minutes=self.policy.tablet_minutes):
                    raise RatingClosed(f"The tablet rates only the visit counter {counter_id} "
                                       "has just finished; this one can be rated by its QR code.")
            return self._rate(uow, ticket, score, comment, dimensions, RatingSource.TABLET)
        return self.context.write(run)

    # --- PDPA ----------------------------------------------------------------------------

    def erase_expired_comments(self) -> int:
        """Erase comments kept past the retention period (the scores stay); how many."""
        def run(uow: UnitOfWork) -> int:
            now = self.context.clock()
            cutoff = now - timedelta(days=self.policy.comment_retention_days)
            old = uow.ratings.with_comments_from_before(cutoff)
            for rating in old:
                rating.erase_comment(now)
            uow.commit()
            return len(old)
        return self.context.write_in_batches(run)

    # --- internals -----------------------------------------------------------------------

    def _rate(self, uow: UnitOfWork, ticket: Ticket, score, comment, dimensions,
              source: RatingSource) -> dict:
        if uow.ratings.by_ticket(ticket.id) is not None:
            raise AlreadyRated(f"Ticket {ticket.label} has been rated already; thank you.")
        office = self.context.views(uow, ticket.office_id).office()
        now = self.context.clock()
        rating = Rating.give(ticket, score, now, self.policy, source, comment, dimensions,
                             asked=dimensions_from_json(office.rating_dimensions))
        uow.ratings.add(rating)
        uow.flush()  # the unique ticket_id refuses a concurrent second rating here
        if rating.is_low(self.policy):
            alert = Alert.low_rating(rating, ticket)
            uow.alerts.add(alert)
            uow.flush()
            uow.publish(messages.alert_raised(alert_view(uow, alert)))
        for message in messages.ticket_rated(ticket):
            uow.publish(message)
        uow.commit()
        return {"ticket_id": ticket.id, "number": ticket.label, "score": rating.score,
                "created_at": iso(rating.created_at)}

    def _form(self, uow: UnitOfWork, ticket: Ticket) -> dict:
        office = self.context.views(uow, ticket.office_id).office()
        given = uow.ratings.by_ticket(ticket.id)
        closes_at = self.policy.closes_at(ticket.finished_at) if ticket.finished_at else None
        if given is not None:
            state = "given"
        elif ticket.finished_at is None or ticket.status.value != "finished":
            state = "not_yet" if not ticket.status.is_final else "not_rated"
        elif self.context.clock() > closes_at:
            state = "closed"
        else:
            state = "open"
        return {"ticket_id": ticket.id, "number": ticket.label, "state": state,
                "closes_at": iso(closes_at) if state in ("open", "closed") else None,
                "score": given.score if given is not None else None,
                "dimensions": [d.to_json() for d in dimensions_from_json(office.rating_dimensions)],
                "comment_max_chars": self.policy.comment_max_chars,
                "comment_retention_days": _whole(self.policy.comment_retention_days)}

    @staticmethod
    def _by_token(uow: UnitOfWork, token: str) -> Ticket:
        ticket = uow.tickets.ticket_by_token(token)
        if ticket is None:
            raise NotFound("There is no ticket with that code.")
        return ticket


def _whole(days: float) -> float | int:
    return int(days) if float(days).is_integer() else days

