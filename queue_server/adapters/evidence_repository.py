"""The rows the GECC evidence is computed from (rubric/evidence.py), and the office's own
answers to the criteria (domain/assessment.py)."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa

from ..domain.assessment import AssessmentAnswer
from ..domain.model import OfficeEventKind
from .orm import assessment_answers, iso_text, office_events, ratings, ticket_events, tickets
from .repository import SessionRepository


class EvidenceRepository(SessionRepository):
    """The rows the evidence of a period is computed from, read in a few set-wise queries
    (a year of a busy office is a quarter of a million tickets: no per-ticket queries)."""

    def visit_rows(self, office_id: int, first: date, last: date) -> list[tuple]:
        """Each ticket of the local days first..last, ordered by id, as a plain tuple in the
        order of rubric.visits.RECORD. Times as ISO text (iso_text), kinds as their plain
        strings, straight from the driver's cursor (nothing here needs a conversion): a year
        is a quarter of a million rows, and a datetime, an enum or a Row for each of them
        costs more than all the figures."""
        t = tickets.c
        result = self.session.execute(
            sa.select(t.id, t.label, t.issued_service_id, t.service_id, t.counter_id, t.served_by,
                      *(sa.type_coerce(column, sa.String).label(column.name)
                        for column in (t.status, t.priority, t.channel, t.service_day)),
                      iso_text(t.issued_at).label("issued_at"),
                      # service runs from its start, or the latest call when never started
                      iso_text(sa.func.coalesce(t.started_at, t.called_at))
                      .label("service_began_at"),
                      iso_text(t.finished_at).label("finished_at"),
                      t.note.is_not(None).label("triaged"), t.transfer_count, t.no_show_count,
                      iso_text(t.first_called_at).label("first_called_at"),
                      # Next closed it before a start (NULL before migration 0013: as before)
                      sa.func.coalesce(t.finished_unstarted, sa.false()).label("unstarted"))
            .where(t.office_id == office_id, t.service_day.between(first, last))
            .order_by(t.id))
        try:
            return result.cursor.fetchall()
        finally:
            result.close()

    def out_of_order_calls(self, office_id: int, first: date, last: date) -> list[tuple[int, str]]:
        """(ticket id, reason) of every call of the period's tickets that passed over a ticket
        that had waited longer ("" when a call somehow carries no reason)."""
        reason = ticket_events.c.data["out_of_order"].as_string()
        return [(ticket_id, text or "") for ticket_id, text in self.session.execute(
            sa.select(ticket_events.c.ticket_id, reason)
            .join(tickets, tickets.c.id == ticket_events.c.ticket_id)
            .where(tickets.c.office_id == office_id, tickets.c.service_day.between(first, last),
                   ticket_events.c.kind == "called",
                   # the few calls that carry a reason (a text match first: cheap), not
                   # every call's JSON
                   sa.cast(ticket_events.c.data, sa.Text).like('%"out_of_order"%'),
                   reason.is_not(None))).all()]

    def ratings_of_days(self, office_id: int, first: date, last: date) -> list[tuple]:
        """The ratings of the period's visits as plain tuples (ticket_id, service_id,
        counter_id, clerk_id, score, dimensions): what the figures read, no comments. The
        answers per dimension are read only where there are some (most ratings have none);
        the rest straight from the driver's cursor, as the visits are."""
        r = ratings.c
        answered = sa.cast(r.dimensions, sa.Text).not_in(["{}", "null"])
        result = self.session.execute(
            sa.select(r.ticket_id, r.service_id, r.counter_id, r.clerk_id, r.score,
                      sa.case((answered, sa.cast(r.dimensions, sa.Text)), else_=sa.null()))
            .join(tickets, tickets.c.id == r.ticket_id)
            .where(r.office_id == office_id, tickets.c.service_day.between(first, last))
            .order_by(r.id))
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
        return [row if row[5] is None else (*row[:5], json.loads(row[5])) for row in rows]

    def first_online_day(self, office_id: int) -> date | None:
        return self.session.execute(
            sa.select(sa.func.min(tickets.c.service_day))
            .where(tickets.c.office_id == office_id, tickets.c.channel == "online")).scalar()

    def counter_changes(self, office_id: int, until: datetime) -> list[tuple[int, bool, datetime]]:
        """(counter id, opened?, when) of every counter opened or closed before `until`, in
        order: replayed, they say how many counters were open at any moment."""
        rows = self.session.execute(
            sa.select(office_events.c.counter_id, office_events.c.kind, office_events.c.at)
            .where(office_events.c.office_id == office_id, office_events.c.at < until,
                   office_events.c.kind.in_([OfficeEventKind.COUNTER_OPENED,
                                             OfficeEventKind.COUNTER_CLOSED]))
            .order_by(office_events.c.at, office_events.c.id))
        return [(counter_id, kind == OfficeEventKind.COUNTER_OPENED, at) for counter_id, kind, at in rows]

    def answer(self, answer_id: int) -> AssessmentAnswer | None:
        return self.session.get(AssessmentAnswer, answer_id)

    def answers(self, office_id: int) -> list[AssessmentAnswer]:
        """Every answer the office has given, oldest first (the latest covering a day wins)."""
        return list(self.session.scalars(
            sa.select(AssessmentAnswer).where(assessment_answers.c.office_id == office_id)
            .order_by(assessment_answers.c.answered_at, assessment_answers.c.id)))
