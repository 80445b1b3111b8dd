"""The evidence figures of a period, each with its definition (../shared/CONTRACT.md, "The
evidence"). Everything is computed from the tickets of the period and what was recorded of
them; a figure with no data is None, never 0."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from queue_server.domain.model import Ticket, TicketStatus
from queue_server.domain.rating import Rating, satisfaction

DEFINITIONS = {
    "served": "finished tickets",
    "response_ratio": "ratings / served tickets",
    "mean_score": "mean of the overall scores, 1-5",
    "satisfied_share": "share of ratings that are 4 or 5",
    "score_percent": "mean score / 5 x 100",
}


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def to_json(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def ticket_counts(tickets: list[Ticket]) -> dict:
    statuses = [t.status for t in tickets]
    return {"issued": len(tickets),
            "served": statuses.count(TicketStatus.FINISHED),
            "no_show": statuses.count(TicketStatus.NO_SHOW),
            "cancelled": statuses.count(TicketStatus.CANCELLED)}


def satisfaction_section(tickets: list[Ticket], ratings: list[Rating],
                         names: dict | None = None) -> dict:
    """Satisfaction overall and per service, counter, clerk and day. A rating counts where
    its visit was served (the ticket's service, counter and clerk at the finish); served
    counts finished tickets in the same scope. `names`: {"services": {id: code},
    "counters": {id: name}, "clerks": {id: name}} for the labels."""
    names = names or {}
    served = [t for t in tickets if t.status == TicketStatus.FINISHED]
    day_of = {t.id: t.service_day for t in tickets}
    scopes = {
        "service": (lambda t: t.service_id, lambda r: r.service_id, names.get("services", {})),
        "counter": (lambda t: t.counter_id, lambda r: r.counter_id, names.get("counters", {})),
        "clerk": (lambda t: t.served_by, lambda r: r.clerk_id, names.get("clerks", {})),
        "day": (lambda t: t.service_day, lambda r: day_of.get(r.ticket_id), {}),
    }
    section = {**_figures(ratings, len(served)), "definitions": DEFINITIONS}
    for scope, (of_ticket, of_rating, labels) in scopes.items():
        served_by_key = defaultdict(int)
        for ticket in served:
            served_by_key[of_ticket(ticket)] += 1
        ratings_by_key = defaultdict(list)
        for rating in ratings:
            ratings_by_key[of_rating(rating)] += [rating]
        keys = sorted({k for k in list(served_by_key) + list(ratings_by_key) if k is not None},
                      key=str)
        section[f"by_{scope}"] = [
            {scope: k.isoformat() if isinstance(k, date) else k,
             **({"name": labels.get(k)} if labels else {}),
             **_figures(ratings_by_key[k], served_by_key[k])} for k in keys]
    return section


def _figures(ratings: list[Rating], served: int) -> dict:
    return satisfaction([r.score for r in ratings], served,
                        [r.dimensions for r in ratings if r.dimensions]).to_json()
