"""The office's self-assessment: its answers to the criteria the system cannot measure, kept
with who and when; the evidence's score reads them."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import filetype

from rubric.criteria import Criterion, load_criteria

from ..domain.assessment import AssessmentAnswer
from ..domain.attachments import Attachment, AttachmentPolicy
from ..domain.errors import DomainError, NotFound
from ..domain.model import Actor
from .context import Context
from .messages import iso
from .unit_of_work import UnitOfWork


def latest_answers(answers: list[AssessmentAnswer], day: date) -> dict[str, AssessmentAnswer]:
    """Per item, the latest answer whose period covers `day` (`answers` oldest first)."""
    return {a.item_id: a for a in answers if a.covers(day)}


class FileStore(Protocol):
    """Where the bytes of attached files are kept (adapters/file_store.py)."""

    def put(self, content: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...


ANSWER = "assessment_answer"


class Assessment:
    def __init__(self, context: Context, files: FileStore, policy: AttachmentPolicy | None = None):
        self.context = context
        self.files = files
        self.policy = policy or AttachmentPolicy()

    def attach(self, office_id: int, answer_id: int, filename: str, content: bytes,
               actor: Actor) -> dict:
        """A file as evidence of a manual answer (a photo, a scanned survey): its type is read
        from its content, not its name."""
        content_type = filetype.guess_mime(content[:8192])

        def run(uow: UnitOfWork) -> dict:
            answer = uow.evidence.answer(answer_id)
            if answer is None or answer.office_id != office_id:
                raise NotFound(f"There is no answer {answer_id}.")
            checked = self.policy.check(len(content), content_type,
                                        len(uow.attachments.of_owner(ANSWER, answer.id)))
            key = self.files.put(content)  # by hash: a retry writes the same file again
            attachment = Attachment(office_id, ANSWER, answer.id, filename, checked,
                                    len(content), key, int(actor.id), self.context.clock())
            uow.add(attachment)
            uow.flush()
            view = file_view(attachment)
            uow.commit()
            return view
        return self.context.write(run)

    def file(self, office_id: int, attachment_id: int) -> tuple[dict, bytes]:
        with self.context.read_uow() as uow:
            attachment = uow.attachments.by_id(attachment_id)
            if attachment is None or attachment.office_id != office_id:
                raise NotFound(f"There is no file {attachment_id}.")
            return file_view(attachment), self.files.get(attachment.sha256)

    def answer(self, office_id: int, item_id: str, met: bool, first: date, last: date,
               actor: Actor, note: str | None = None) -> dict:
        item = self._answerable(item_id)

        def run(uow: UnitOfWork) -> dict:
            answer = AssessmentAnswer(office_id, item.id, met, first, last, int(actor.id),
                                      self.context.clock(), note)
            uow.add(answer)
            uow.flush()
            view = self._view(uow, item, answer)
            uow.commit()
            return view
        return self.context.write(run)

    def answers(self, office_id: int, day: date | None = None) -> dict:
        """Every item the office answers by hand (manual, and the manual part of partial
        ones), with its answer covering `day` (today by default)."""
        with self.context.read_uow() as uow:
            office = self.context.views(uow, office_id).office()
            day = day or office.service_day(self.context.clock())
            latest = latest_answers(uow.evidence.answers(office.id), day)
            items = [c for c in load_criteria().items if c.measured in ("manual", "partial")]
            return {"day": day.isoformat(),
                    "items": [self._view(uow, c, latest.get(c.id)) for c in items]}

    @staticmethod
    def _answerable(item_id: str) -> Criterion:
        try:
            item = load_criteria().by_id(item_id)
        except KeyError:
            raise NotFound(f"There is no GECC criterion {item_id}.") from None
        if not isinstance(item, Criterion) or item.measured == "system":
            raise DomainError(f"{item_id} is measured by the system itself; it takes no answer.")
        return item

    @staticmethod
    def _view(uow: UnitOfWork, item: Criterion, answer: AssessmentAnswer | None) -> dict:
        body = {"id": item.id, "points": item.points, "measured": item.measured,
                "name_th": item.name_th, "name_en": item.name_en, "answer": None}
        if answer is not None:
            user = uow.users.user(answer.answered_by)
            body["answer"] = {"id": answer.id, "met": answer.met, "note": answer.note,
                              "from": answer.period_from.isoformat(),
                              "to": answer.period_to.isoformat(),
                              "by": user.display_name if user else None,
                              "at": iso(answer.answered_at),
                              "files": [file_view(a) for a in
                                        uow.attachments.of_owner(ANSWER, answer.id)]}
        return body


def file_view(attachment: Attachment) -> dict:
    return {"id": attachment.id, "filename": attachment.filename,
            "content_type": attachment.content_type, "size": attachment.size,
            "uploaded_at": iso(attachment.uploaded_at),
            "url": f"/api/v1/files/{attachment.id}"}
