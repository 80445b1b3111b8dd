"""A citizen's satisfaction rating of one finished visit, and the manager's alerts.

A rating belongs to one finished ticket (one at most: the database keeps that too), so it
cannot be stuffed, and it is credited to the service, the counter and the clerk who finished
the ticket. It can be given from the finish until the rating window closes. The comment is
personal data (PDPA): shown to managers only and erased after the retention period; the score
stays. A low score raises an alert (domain/alerts.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean

from .errors import DomainError
from .model import Ticket, TicketStatus

SCORES = range(1, 6)


class NotFinished(DomainError, code="not_finished", status=409):
    """The visit is not over yet (or ended without service): nothing to rate."""


class RatingClosed(DomainError, code="rating_closed", status=409):
    """The rating window of the visit is over."""


class AlreadyRated(DomainError, code="already_rated", status=409):
    """The visit has its rating: one per visit."""


class InvalidRating(DomainError, code="invalid_rating", status=400):
    """A score out of 1-5, a comment too long, a question the office does not ask."""


class RatingSource(str, enum.Enum):
    PHONE = "phone"    # the citizen's phone, from the ticket's QR code
    TABLET = "tablet"  # the tablet facing the citizen at the counter


@dataclass(frozen=True)
class Dimension:
    """Something the office asks about besides the overall score (each 1-5)."""

    key: str
    name_th: str
    name_en: str

    def to_json(self) -> dict:
        return {"key": self.key, "name_th": self.name_th, "name_en": self.name_en}


# What Thai agencies' satisfaction surveys usually ask; an office may choose its own.
DEFAULT_DIMENSIONS = (
    Dimension("speed", "ความรวดเร็ว", "Speed"),
    Dimension("courtesy", "ความสุภาพของเจ้าหน้าที่", "Courtesy of staff"),
    Dimension("clarity", "ความชัดเจนของคำแนะนำ", "Clear advice"),
    Dimension("place", "สถานที่และสิ่งอำนวยความสะดวก", "The place"),
)


def dimensions_from_json(items: list | None) -> tuple[Dimension, ...]:
    return tuple(Dimension(d["key"], d["name_th"], d["name_en"]) for d in (items or []))


@dataclass(frozen=True)
class RatingPolicy:
    window_days: float = 7            # a rating can be given this long after the finish
    low_score_max: int = 2            # a score at or under this raises an alert
    comment_max_chars: int = 1000     # the contract's limit; longer is refused, never cut
    comment_retention_days: float = 365  # then the comment is erased; the score stays
    # The tablet at the counter rates only the visit its counter has just finished, and only
    # this soon after: it stands where staff could reach it, so it must not rate old visits.
    tablet_minutes: float = 15

    def closes_at(self, finished_at: datetime) -> datetime:
        return finished_at + timedelta(days=self.window_days)


class Rating:
    def __init__(self, office_id: int, ticket_id: int, service_id: int, counter_id: int | None,
                 clerk_id: int | None, score: int, source: RatingSource, created_at: datetime,
                 comment: str | None = None, dimensions: dict | None = None):
        self.office_id = office_id
        self.ticket_id = ticket_id
        self.service_id = service_id
        self.counter_id = counter_id
        self.clerk_id = clerk_id
        self.score = score
        self.source = source
        self.created_at = created_at
        self.comment = comment
        self.dimensions = dimensions or {}
        self.comment_erased_at: datetime | None = None

    @classmethod
    def give(cls, ticket: Ticket, score: int, now: datetime, policy: RatingPolicy,
             source: RatingSource, comment: str | None = None, dimensions: dict | None = None,
             asked: tuple[Dimension, ...] = ()) -> Rating:
        """The rating of `ticket`, checked against the rules; the caller stores it."""
        if ticket.status != TicketStatus.FINISHED:
            raise NotFinished(f"Ticket {ticket.label} is {ticket.status.value}; it can be rated "
                              "once it is finished.")
        if now > policy.closes_at(ticket.finished_at):
            raise RatingClosed(f"Ratings of ticket {ticket.label} closed "
                               f"{policy.window_days:g} days after the visit.")
        _check_score(score, "score")
        comment = (comment or "").strip() or None
        if comment is not None and len(comment) > policy.comment_max_chars:
            raise InvalidRating(f"A comment is at most {policy.comment_max_chars} characters "
                                f"({len(comment)} given).")
        asked_keys = {d.key for d in asked}
        dimensions = dict(dimensions or {})
        for key, value in dimensions.items():
            if key not in asked_keys:
                raise InvalidRating(f"This office does not ask about {key!r}.")
            _check_score(value, key)
        return cls(ticket.office_id, ticket.id, ticket.service_id, ticket.counter_id,
                   ticket.served_by, score, source, now, comment, dimensions)

    def is_low(self, policy: RatingPolicy) -> bool:
        return self.score <= policy.low_score_max

    def erase_comment(self, now: datetime) -> None:
        """PDPA: the retention period is over; the score and its credit stay."""
        if self.comment is not None:
            self.comment = None
            self.comment_erased_at = now


def _check_score(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
        raise InvalidRating(f"{name} is a whole number from 1 to 5.")


# --- the figures ------------------------------------------------------------------------

@dataclass
class SatisfactionFigures:
    """What Thai agencies report: the count, the response ratio, the mean on 1-5, the share
    satisfied (4 or 5) and the score as mean / 5 x 100."""

    ratings: int
    served: int
    response_ratio: float | None
    mean_score: float | None
    satisfied_share: float | None
    score_percent: float | None
    dimensions: dict = field(default_factory=dict)  # key -> mean of the answers given

    def to_json(self) -> dict:
        return {"ratings": self.ratings, "served": self.served,
                "response_ratio": self.response_ratio, "mean_score": self.mean_score,
                "satisfied_share": self.satisfied_share, "score_percent": self.score_percent,
                "dimensions": self.dimensions}


def satisfaction(scores: list[int], served: int,
                 dimension_answers: list[dict] | None = None) -> SatisfactionFigures:
    """Figures of a set of ratings against the tickets served in the same scope. A figure
    with no data is None, never 0."""
    count = len(scores)
    # Whole scores: their sum over their count is the exact mean rounded once, as
    # statistics.mean gives it, at a fraction of its cost over a year of ratings.
    average = round(sum(scores) / count, 3) if scores else None
    by_dimension: dict[str, list[int]] = {}
    for answers in dimension_answers or []:
        for key, value in answers.items():
            by_dimension.setdefault(key, []).append(value)
    return SatisfactionFigures(
        ratings=count, served=served,
        response_ratio=round(count / served, 4) if served else None,
        mean_score=average,
        satisfied_share=round(sum(1 for s in scores if s >= 4) / count, 4) if count else None,
        score_percent=round(average / 5 * 100, 2) if average is not None else None,
        dimensions={k: round(mean(v), 3) for k, v in sorted(by_dimension.items())})
