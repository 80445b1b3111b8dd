"""Queries over attached files' records (domain/attachments.py); the bytes are in the file
store (file_store.py)."""

from __future__ import annotations

import sqlalchemy as sa

from ..domain.attachments import Attachment
from .orm import attachments_table
from .repository import SessionRepository


class AttachmentRepository(SessionRepository):
    def by_id(self, attachment_id: int) -> Attachment | None:
        return self.session.get(Attachment, attachment_id)

    def of_owner(self, owner_kind: str, owner_id: int) -> list[Attachment]:
        return list(self.session.scalars(
            sa.select(Attachment).where(attachments_table.c.owner_kind == owner_kind,
                                        attachments_table.c.owner_id == owner_id)
            .order_by(attachments_table.c.id)))
