"""The rows the GECC evidence is computed from (rubric/evidence.py), and the office's own
answers to the criteria (domain/assessment.py)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import sqlalchemy as sa

from ..domain.assessment import AssessmentAnswer
from ..domain.model import OfficeEventKind
from .orm import (alerts_table, assessment_answers, complaint_events, iso_text, office_events,
                  ratings, services, ticket_events, tickets)
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
                      # Next closed it before a start (NULL before migration 0014: as before)
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

    def ratings_of_tickets(self, office_id: int, first_id: int, last_id: int) -> list[tuple]:
        """The office's ratings of tickets first_id..last_id (the ids of a period's tickets
        run in issue order: the caller keeps those of its visits), as plain tuples
        (ticket_id, service_id, counter_id, clerk_id, score, dimensions): what the figures
        read, no comments. By the ticket id's index, with no join on the tickets; the answers
        per dimension are read only where there are some (most ratings have none)."""
        r = ratings.c
        answered = sa.cast(r.dimensions, sa.Text).not_in(["{}", "null"])
        result = self.session.execute(
            sa.select(r.ticket_id, r.service_id, r.counter_id, r.clerk_id, r.score,
                      sa.case((answered, sa.cast(r.dimensions, sa.Text)), else_=sa.null()))
            .where(r.office_id == office_id, r.ticket_id.between(first_id, last_id))
            .order_by(r.id))
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
        return [row if row[5] is None else (*row[:5], json.loads(row[5])) for row in rows]

    def first_online_day(self, office_id: int) -> date | None:
        """The day of the office's first online ticket (ids run in issue order: the scan
        stops at the first one)."""
        return self.session.execute(
            sa.select(tickets.c.service_day)
            .where(tickets.c.office_id == office_id, tickets.c.channel == "online")
            .order_by(tickets.c.id).limit(1)).scalar()

    def counter_changes(self, office_id: int, until: datetime) -> list[tuple[int, bool, datetime]]:
        """(counter id, opened?, when) of every counter opened or closed before `until`, in
        order: replayed, they say how many counters were open at any moment. Read as plain
        values from the driver (tens of thousands a year: a datetime type and an enum per
        row cost more than the replay)."""
        e = office_events.c
        opened = OfficeEventKind.COUNTER_OPENED.value
        result = self.session.execute(
            sa.select(e.counter_id, sa.type_coerce(e.kind, sa.String) == opened,
                      iso_text(e.at))
            .where(e.office_id == office_id, e.at < until,
                   e.kind.in_([OfficeEventKind.COUNTER_OPENED, OfficeEventKind.COUNTER_CLOSED]))
            .order_by(e.at, e.id))
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
        return [(counter_id, bool(is_open), _utc(at)) for counter_id, is_open, at in rows]

    def version(self) -> tuple:
        """What changes whenever anything the evidence reads changes: the newest row of each
        append-only record (every ticket transition, rating, complaint step, answer and office
        change appends one), the alerts raised and handled, and the services' settings. A few
        primary-key lookups: what lets a computed report be served again."""
        newest = [sa.select(sa.func.max(table.c.id)).scalar_subquery() for table in (
            ticket_events, ratings, complaint_events, assessment_answers, office_events,
            alerts_table)]
        handled = sa.select(sa.func.count(alerts_table.c.handled_at)).scalar_subquery()
        settings = sa.select(sa.func.count(), sa.func.sum(services.c.standard_minutes),
                             sa.func.sum(services.c.target_wait_minutes)).subquery()
        return tuple(self.session.execute(
            sa.select(*newest, handled, *settings.c)).one())

    def answer(self, answer_id: int) -> AssessmentAnswer | None:
        return self.session.get(AssessmentAnswer, answer_id)

    def answers(self, office_id: int) -> list[AssessmentAnswer]:
        """Every answer the office has given, oldest first (the latest covering a day wins)."""
        return list(self.session.scalars(
            sa.select(AssessmentAnswer).where(assessment_answers.c.office_id == office_id)
            .order_by(assessment_answers.c.answered_at, assessment_answers.c.id)))


def _utc(text: str) -> datetime:
    """iso_text's 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC) as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
