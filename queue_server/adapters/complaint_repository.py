"""Queries over the complaint register (domain/complaint.py)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from ..domain.complaint import Complaint, ComplaintEvent, ComplaintStatus
from .orm import complaint_events, complaints
from .repository import SessionRepository

CONCLUDED = (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)


class ComplaintRepository(SessionRepository):
    def add(self, complaint: Complaint) -> None:
        self.session.add(complaint)

    def by_id(self, complaint_id: int) -> Complaint | None:
        return self.session.get(Complaint, complaint_id)

    def by_code(self, code: str) -> Complaint | None:
        return self.session.scalars(sa.select(Complaint).where(complaints.c.code == code)).first()

    def events(self, complaint_id: int) -> list[ComplaintEvent]:
        """The complaint's whole record, in the order it happened."""
        return list(self.session.scalars(
            sa.select(ComplaintEvent).where(complaint_events.c.complaint_id == complaint_id)
            .order_by(complaint_events.c.at, complaint_events.c.id)))

    def register(self, office_id: int, today: date, status: str | None = None,
                 category: str | None = None, overdue: bool | None = None,
                 assignee_id: int | None = None, unassigned: bool = False,
                 search: str | None = None, limit: int = 200,
                 offset: int = 0) -> tuple[list[Complaint], int]:
        """(a page of the office's complaints, newest first; how many match in all)."""
        c = complaints.c
        where = [c.office_id == office_id]
        if status:
            where.append(c.status == status)
        if category:
            where.append(c.category == category)
        if overdue is not None:
            late = sa.and_(c.status.not_in(CONCLUDED), c.due_on < today)
            where.append(late if overdue else sa.not_(late))
        if assignee_id is not None:
            where.append(c.assignee_id == assignee_id)
        if unassigned:
            where.append(sa.and_(c.assignee_id.is_(None), c.agency.is_(None)))
        if search:
            # The code as typed (with or without its dash), or words of the text or contact.
            words = search.replace("-", "").upper()
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(sa.or_(c.code == words, c.text.ilike(pattern, escape="\\"),
                                c.contact.ilike(pattern, escape="\\"),
                                c.agency.ilike(pattern, escape="\\")))
        total = self.session.execute(
            sa.select(sa.func.count()).select_from(complaints).where(*where)).scalar_one()
        rows = self.session.scalars(sa.select(Complaint).where(*where)
                                    .order_by(c.received_at.desc(), c.id.desc())
                                    .limit(limit).offset(offset))
        return list(rows), total

    def overdue_not_alerted(self, office_id: int, today: date) -> list[Complaint]:
        c = complaints.c
        return list(self.session.scalars(
            sa.select(Complaint).where(c.office_id == office_id, c.status.not_in(CONCLUDED),
                                       c.due_on < today, c.overdue_alerted_at.is_(None))
            .order_by(c.due_on, c.id)))

    def with_contact_concluded_before(self, cutoff: datetime, limit: int = 500) -> list[Complaint]:
        """Concluded complaints whose contact has been kept past its retention (PDPA)."""
        c = complaints.c
        return list(self.session.scalars(
            sa.select(Complaint).where(
                c.contact.is_not(None), c.status.in_(CONCLUDED),
                sa.func.coalesce(c.resolved_at, c.closed_at) < cutoff)
            .order_by(c.id).limit(limit)))

    def evidence_rows(self, office_id: int, start: datetime, end: datetime) -> list:
        """The complaints received in [start, end) as plain rows for rubric/complaints.py:
        no text, no contact (the figures and complaints.csv need neither)."""
        c = complaints.c
        return list(self.session.execute(
            sa.select(c.id, c.category, sa.type_coerce(c.channel, sa.String).label("channel"),
                      sa.type_coerce(c.status, sa.String).label("status"), c.received_at,
                      c.due_on, c.resolved_at, c.closed_at,
                      c.assignee_id.is_not(None).label("assigned"), c.agency,
                      c.ticket_id.is_not(None).label("from_ticket"))
            .where(c.office_id == office_id, c.received_at >= start, c.received_at < end)
            .order_by(c.received_at, c.id)))
