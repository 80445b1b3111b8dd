"""The office's own answers to the GECC criteria the system cannot measure (a clean toilet,
signs, a survey of needs): ticked or not, with a note, who and when, for an assessment period.
Kept as a history: a new answer supersedes the older one, which stays on record."""

from __future__ import annotations

from datetime import date, datetime

from .errors import DomainError


class AssessmentAnswer:
    def __init__(self, office_id: int, item_id: str, met: bool, period_from: date,
                 period_to: date, answered_by: int, answered_at: datetime, note: str | None = None):
        if period_from > period_to:
            raise DomainError("The period's first day comes after its last.")
        self.office_id = office_id
        self.item_id = item_id
        self.met = met
        self.period_from = period_from
        self.period_to = period_to
        self.answered_by = answered_by
        self.answered_at = answered_at
        self.note = note

    def covers(self, day: date) -> bool:
        return self.period_from <= day <= self.period_to
