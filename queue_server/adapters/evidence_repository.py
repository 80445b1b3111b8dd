"""The rows the GECC evidence is computed from (rubric/evidence.py), and the office's own
answers to the criteria (domain/assessment.py)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from ..domain.assessment import AssessmentAnswer
from ..domain.model import OfficeEventKind
from .orm import assessment_answers, office_events, ratings, ticket_events, tickets
from .repository import SessionRepository


class EvidenceRepository(SessionRepository):
    """The rows the evidence of a period is computed from, read in a few set-wise queries
    (a year of a busy office is a quarter of a million tickets: no per-ticket queries)."""

    def visit_rows(self, office_id: int, first: date, last: date) -> list:
        """Each ticket of the local days first..last with its first call (from the event
        record: a no-show requeue or a transfer calls it again later)."""
        first_call = (sa.select(ticket_events.c.ticket_id, sa.func.min(ticket_events.c.at)
                                .label("first_called_at"))
                      .join(tickets, tickets.c.id == ticket_events.c.ticket_id)
                      .where(tickets.c.office_id == office_id,
                             tickets.c.service_day.between(first, last),
                             ticket_events.c.kind == "called")
                      .group_by(ticket_events.c.ticket_id).subquery())
        t = tickets.c
        # Only the columns the evidence reads; the kinds as their plain strings (no enum
        # conversion of a quarter of a million rows).
        query = (sa.select(t.id, t.label, t.issued_service_id, t.service_id, t.counter_id,
                           t.served_by, sa.type_coerce(t.status, sa.String).label("status"),
                           sa.type_coerce(t.priority, sa.String).label("priority"),
                           sa.type_coerce(t.channel, sa.String).label("channel"),
                           t.service_day, t.issued_at, t.called_at, t.started_at, t.finished_at,
                           t.note.is_not(None).label("triaged"), t.transfer_count,
                           t.no_show_count, first_call.c.first_called_at)
                 .outerjoin(first_call, first_call.c.ticket_id == tickets.c.id)
                 .where(tickets.c.office_id == office_id,
                        tickets.c.service_day.between(first, last))
                 .order_by(tickets.c.id))
        return list(self.session.execute(query))

    def out_of_order_calls(self, office_id: int, first: date, last: date) -> list[tuple[int, str]]:
        """(ticket id, reason) of every call of the period's tickets that passed over a ticket
        that had waited longer ("" when a call somehow carries no reason)."""
        rows = self.session.execute(
            sa.select(ticket_events.c.ticket_id, ticket_events.c.data)
            .join(tickets, tickets.c.id == ticket_events.c.ticket_id)
            .where(tickets.c.office_id == office_id, tickets.c.service_day.between(first, last),
                   ticket_events.c.kind == "called",
                   # the few calls that carry a reason, not every call's JSON
                   sa.cast(ticket_events.c.data, sa.Text).like('%"out_of_order"%')))
        return [(ticket_id, str(data.get("out_of_order") or ""))
                for ticket_id, data in rows if data and "out_of_order" in data]

    def ratings_of_days(self, office_id: int, first: date, last: date) -> list:
        """The ratings of the period's visits as plain rows (ticket_id, service_id,
        counter_id, clerk_id, score, dimensions): what the figures read, no comments."""
        r = ratings.c
        return list(self.session.execute(
            sa.select(r.ticket_id, r.service_id, r.counter_id, r.clerk_id, r.score, r.dimensions)
            .join(tickets, tickets.c.id == r.ticket_id)
            .where(r.office_id == office_id, tickets.c.service_day.between(first, last))
            .order_by(r.id)))

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
