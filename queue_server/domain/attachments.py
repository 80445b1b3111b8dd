"""Files kept as evidence (a photo of the signs, a survey's summary attached to a manual GECC
answer; a complaint's photos and documents): bounded in size, of a few types checked by their content,
never by their name, and kept outside the web root; only staff who may see their owner get
them back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import DomainError

PDF, PNG, JPEG, WEBP = "application/pdf", "image/png", "image/jpeg", "image/webp"


class FileRefused(DomainError, code="file_refused", status=415):
    """A file of a type that is not accepted, or an empty one."""


class FileTooLarge(DomainError, code="file_too_large", status=413):
    """A file over the size limit."""


@dataclass(frozen=True)
class AttachmentPolicy:
    max_bytes: int = 5 * 1024 * 1024
    max_per_owner: int = 5
    types: tuple[str, ...] = (PDF, PNG, JPEG, WEBP)

    def check(self, size: int, sniffed_type: str | None, already: int) -> str:
        """The content type to store, or a refusal that says why."""
        if size == 0:
            raise FileRefused("The file is empty.")
        if size > self.max_bytes:
            raise FileTooLarge(f"A file is at most {self.max_bytes // (1024 * 1024)} MB.")
        if sniffed_type not in self.types:
            raise FileRefused("Only PDF, PNG, JPEG and WebP files are kept as evidence.")
        if already >= self.max_per_owner:
            raise DomainError(f"At most {self.max_per_owner} files can be attached here.")
        return sniffed_type


class Attachment:
    def __init__(self, office_id: int, owner_kind: str, owner_id: int, filename: str,
                 content_type: str, size: int, sha256: str, uploaded_by: int | None,
                 uploaded_at: datetime):
        self.office_id = office_id
        self.owner_kind = owner_kind  # "assessment_answer", "complaint"
        self.owner_id = owner_id
        self.filename = safe_filename(filename)
        self.content_type = content_type
        self.size = size
        self.sha256 = sha256
        self.uploaded_by = uploaded_by  # None: the citizen, on the public complaint page
        self.uploaded_at = uploaded_at


def safe_filename(name: str) -> str:
    """The name to show and to offer on download: no path, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?').strip(". ")
    return name[:120] or "file"
