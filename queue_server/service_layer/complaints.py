"""The complaint register: filing (the citizen's phone, or staff on the citizen's behalf),
tracking by code, the staff's register and its steps, overdue alerts, PDPA erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import filetype

from ..domain.alerts import Alert
from ..domain.attachments import Attachment, AttachmentPolicy, FileRefused, safe_filename
from ..domain.complaint import (PUBLIC_KINDS, Complaint, ComplaintChannel, ComplaintNotFound,
                                ComplaintPolicy, ComplaintStatus, InvalidComplaint,
                                categories_from_json, format_code, normalise_code)
from ..domain.errors import DomainError, NotFound
from ..domain.model import Actor, Office, Role
from ..domain.printing import PrintJob
from . import messages
from .alerts import alert_view
from .assessment import FileStore, file_view
from .context import Context
from .messages import iso
from .printing import office_brief
from .unit_of_work import UnitOfWork

OWNER = "complaint"  # attachments.owner_kind of a complaint's files

# The one line of consent the public form shows (PDPA: say what is kept, why, how long).
CONSENT_TH = ("ข้าพเจ้ายินยอมให้หน่วยงานเก็บข้อมูลที่ให้ไว้เพื่อใช้พิจารณาเรื่องร้องเรียนนี้เท่านั้น "
              "ข้อมูลติดต่อจะถูกลบเมื่อพ้น {days} วันหลังยุติเรื่อง")
CONSENT_EN = ("I agree that the office keeps what I give here to handle this complaint only; "
              "the contact is erased {days} days after the matter is concluded.")


class TooManyFiles(DomainError, code="too_many_files", status=400):
    """More files than a complaint takes."""


@dataclass(frozen=True)
class Upload:
    """A file as received: its name as given and its bytes."""

    filename: str
    content: bytes


class Complaints:
    def __init__(self, context: Context, files: FileStore, policy: ComplaintPolicy | None = None,
                 attachments: AttachmentPolicy | None = None):
        self.context = context
        self.files = files
        self.policy = policy or ComplaintPolicy()
        # A phone's photos or a scanned letter: a few, each bounded, typed by their content.
        self.attachments = attachments or AttachmentPolicy(max_bytes=5 * 1024 * 1024,
                                                           max_per_owner=3)

    # --- the public side ----------------------------------------------------------------

    def form(self, office_id: int | None = None) -> dict:
        """What the public form needs: the office's categories, the limits, the consent."""
        with self.context.read_uow() as uow:
            office = self.context.views(uow, office_id).office()
            return self._form(office)

    def file(self, text: str, actor: Actor, category: str | None = None,
             contact: str | None = None, ticket_token: str | None = None,
             channel: ComplaintChannel = ComplaintChannel.ONLINE, uploads: list[Upload] = (),
             office_id: int | None = None, via: str | None = None, print_receipt: bool = False,
             kiosk_id: str | None = None, consent: bool | None = None) -> dict:
        """A new complaint with its files, all or nothing: a refused file stores no complaint.
        Answers the receipt: the tracking code, its page and QR code."""
        checked = self._check_uploads(uploads, already=0)

        def run(uow: UnitOfWork) -> dict:
            office = self.context.views(uow, office_id).office()
            ticket_id = None
            if ticket_token:
                ticket = uow.tickets.ticket_by_token(ticket_token[:64])
                if ticket is None or ticket.office_id != office.id:
                    raise NotFound("There is no ticket with that code to link the complaint to.")
                ticket_id = ticket.id
            now = self.context.clock()
            complaint = Complaint.file(
                office.id, text, category, channel, now, office.service_day(now), self.policy,
                categories_from_json(office.complaint_categories), actor, contact, ticket_id,
                office.complaint_due_days, via=via, consent=consent)
            uow.complaints.add(complaint)
            uow.flush()  # the id, and the unique code (a clash runs it again with a new one)
            uploaded_by = int(actor.id) if actor.kind == "user" else None
            for upload, content_type in checked:
                key = self.files.put(upload.content)  # by hash: a retry writes the same file
                uow.add(Attachment(office.id, OWNER, complaint.id, upload.filename,
                                   content_type, len(upload.content), key, uploaded_by, now))
            receipt = self._receipt(office, complaint, staff=uploaded_by is not None)
            if print_receipt:
                job = PrintJob(office.id, None, kiosk_id,
                               {"complaint": receipt, "office": office_brief(office)}, now,
                               reason="complaint")
                job.offered(now)
                uow.print_jobs.add_new_print_job(job)
                uow.publish(messages.print_job(job))
                receipt = {**receipt, "print_job": {"id": job.id, "status": job.status.value}}
            uow.commit()
            return receipt
        return self.context.write(run)

    def track(self, raw_code: str) -> dict:
        """The public view of the complaint with that code: its status and dated public steps;
        no staff names, no contact, no internal notes."""
        code = normalise_code(raw_code)
        if code is None:
            raise ComplaintNotFound("There is no complaint with that code.")
        with self.context.read_uow() as uow:
            complaint = uow.complaints.by_code(code)
            if complaint is None:
                raise ComplaintNotFound("There is no complaint with that code.")
            office = self.context.views(uow, complaint.office_id).office()
            return self._public(uow, office, complaint)

    # --- the register (staff) -----------------------------------------------------------

    def register(self, office_id: int, status: str | None = None, category: str | None = None,
                 overdue: bool | None = None, assignee: str | None = None,
                 search: str | None = None, limit: int = 200, offset: int = 0) -> dict:
        """The office's complaints, newest first, filtered; with what the page's filters and
        assignment need (categories, staff) and the counts by status."""
        if status is not None and status not in {s.value for s in ComplaintStatus}:
            raise InvalidComplaint(f"status is one of {', '.join(s.value for s in ComplaintStatus)}.")
        assignee_id, unassigned = None, False
        if assignee == "none":
            unassigned = True
        elif assignee:
            if not assignee.isdigit() or len(assignee) > 9:
                raise InvalidComplaint("assignee is a user id, or none.")
            assignee_id = int(assignee)
        with self.context.read_uow() as uow:
            office = self.context.views(uow, office_id).office()
            today = office.service_day(self.context.clock())
            rows, total = uow.complaints.register(
                office.id, today, status=status, category=category, overdue=overdue,
                assignee_id=assignee_id, unassigned=unassigned,
                search=(search or "").strip()[:200] or None, limit=limit, offset=offset)
            names = self._names(uow, office.id)
            return {"today": today.isoformat(), "total": total,
                    "complaints": [self._row(c, today, names) for c in rows],
                    "categories": [c.to_json() for c in
                                   categories_from_json(office.complaint_categories)],
                    "staff": [{"id": i, "name": n} for i, n in sorted(names.items(),
                                                                        key=lambda x: x[1])]}

    def record(self, office_id: int, complaint_id: int) -> dict:
        """One complaint as staff see it: the text, the contact, the files, every step with
        who did it and the internal notes."""
        with self.context.read_uow() as uow:
            complaint = self._own(uow, office_id, complaint_id)
            office = self.context.views(uow, office_id).office()
            return self._staff(uow, office, complaint)

    def move(self, office_id: int, complaint_id: int, status: str, actor: Actor,
             note: str | None = None, internal_note: str | None = None) -> dict:
        try:
            target = ComplaintStatus(status)
        except ValueError:
            from ..domain.errors import InvalidTransition
            raise InvalidTransition(f"There is no step {status!r}: the steps are "
                                    f"{', '.join(s.value for s in ComplaintStatus)}.") from None
        return self._change(office_id, complaint_id, lambda c, now: c.move(
            target, actor, now, self.policy, note, internal_note))

    def assign(self, office_id: int, complaint_id: int, user_id: int, actor: Actor,
               note: str | None = None, internal_note: str | None = None) -> dict:
        def change(complaint: Complaint, now, uow: UnitOfWork) -> None:
            user = uow.users.user(user_id)
            if user is None or user.office_id != office_id or not user.active or \
                    user.role == Role.DEVICE:
                raise NotFound(f"There is no member of staff {user_id} to assign it to.")
            complaint.assign(user_id, actor, now, self.policy, note, internal_note)
        return self._change(office_id, complaint_id, change, with_uow=True)

    def forward(self, office_id: int, complaint_id: int, agency: str, actor: Actor,
                note: str | None = None, internal_note: str | None = None) -> dict:
        return self._change(office_id, complaint_id, lambda c, now: c.forward(
            agency, actor, now, self.policy, note, internal_note))

    def reopen(self, office_id: int, complaint_id: int, reason: str, actor: Actor,
               note: str | None = None) -> dict:
        return self._change(office_id, complaint_id, lambda c, now: c.reopen(
            reason, actor, now, self.policy, note))

    def set_due(self, office_id: int, complaint_id: int, due_on: date, actor: Actor,
                reason: str | None = None) -> dict:
        return self._change(office_id, complaint_id, lambda c, now: c.set_due(
            due_on, actor, now, self.policy, reason))

    def attach(self, office_id: int, complaint_id: int, upload: Upload, actor: Actor) -> dict:
        """Staff add a document (the agency's answer, a letter) to a complaint."""
        [(checked, content_type)] = self._check_uploads([upload], already=0)

        def run(uow: UnitOfWork) -> dict:
            complaint = self._own(uow, office_id, complaint_id)
            already = len(uow.attachments.of_owner(OWNER, complaint.id))
            self._check_uploads([upload], already=already)
            key = self.files.put(checked.content)
            attachment = Attachment(office_id, OWNER, complaint.id, checked.filename,
                                    content_type, len(checked.content), key, int(actor.id),
                                    self.context.clock())
            uow.add(attachment)
            uow.flush()
            view = self._file(complaint, attachment)
            uow.commit()
            return view
        return self.context.write(run)

    def file_content(self, office_id: int, complaint_id: int, attachment_id: int) -> tuple[dict, bytes]:
        with self.context.read_uow() as uow:
            complaint = self._own(uow, office_id, complaint_id)
            attachment = uow.attachments.by_id(attachment_id)
            if attachment is None or attachment.owner_kind != OWNER or \
                    attachment.owner_id != complaint.id:
                raise NotFound(f"Complaint {complaint_id} has no file {attachment_id}.")
            return self._file(complaint, attachment), self.files.get(attachment.sha256)

    def reprint(self, office_id: int, complaint_id: int, kiosk_id: str | None) -> dict:
        """The receipt printed again (reception: the citizen's slip was lost)."""
        def run(uow: UnitOfWork) -> dict:
            complaint = self._own(uow, office_id, complaint_id)
            office = self.context.views(uow, office_id).office()
            now = self.context.clock()
            job = PrintJob(office.id, None, kiosk_id,
                           {"complaint": self._receipt(office, complaint, staff=True),
                            "office": office_brief(office)}, now, reason="complaint")
            job.offered(now)
            uow.print_jobs.add_new_print_job(job)
            uow.publish(messages.print_job(job))
            body = {"job_id": job.id, "status": job.status.value, "kiosk_id": kiosk_id}
            uow.commit()
            return body
        return self.context.write(run)

    # --- overdue, and PDPA ----------------------------------------------------------------

    def raise_overdue_alerts(self) -> int:
        """An alert on the managers' page for each complaint past its due date (once per
        due date); how many were raised. Run hourly by the server, and by the simulator."""
        def run(uow: UnitOfWork) -> int:
            now = self.context.clock()
            raised = 0
            for office in uow.offices.offices():
                for complaint in uow.complaints.overdue_not_alerted(office.id,
                                                                    office.service_day(now)):
                    complaint.overdue_alerted_at = now
                    alert = Alert.complaint_overdue(complaint, now)
                    uow.alerts.add(alert)
                    uow.flush()
                    uow.publish(messages.alert_raised(alert_view(uow, alert)))
                    raised += 1
            uow.commit()
            return raised
        return self.context.write(run)

    def erase_expired_contacts(self) -> int:
        """PDPA: erase the contacts of complaints concluded longer ago than the retention
        period (the complaint and its record stay); how many."""
        def run(uow: UnitOfWork) -> int:
            now = self.context.clock()
            cutoff = now - timedelta(days=self.policy.contact_retention_days)
            old = uow.complaints.with_contact_concluded_before(cutoff)
            for complaint in old:
                complaint.erase_contact(now)
            uow.commit()
            return len(old)
        return self.context.write_in_batches(run)

    # --- internals ------------------------------------------------------------------------

    def _change(self, office_id: int, complaint_id: int, change, with_uow: bool = False) -> dict:
        def run(uow: UnitOfWork) -> dict:
            complaint = self._own(uow, office_id, complaint_id)
            now = self.context.clock()
            if with_uow:
                change(complaint, now, uow)
            else:
                change(complaint, now)
            uow.flush()  # the version check: a concurrent change runs this again
            office = self.context.views(uow, office_id).office()
            uow.publish(messages.complaint_updated(self._public(uow, office, complaint)))
            view = self._staff(uow, office, complaint)
            uow.commit()
            return view
        return self.context.write(run)

    @staticmethod
    def _own(uow: UnitOfWork, office_id: int, complaint_id: int) -> Complaint:
        complaint = uow.complaints.by_id(complaint_id)
        if complaint is None or complaint.office_id != office_id:
            raise ComplaintNotFound(f"There is no complaint {complaint_id}.")
        return complaint

    def _check_uploads(self, uploads, already: int) -> list[tuple[Upload, str]]:
        """Each file's type read from its content (never its name), its size, their count."""
        uploads = list(uploads)
        if already + len(uploads) > self.attachments.max_per_owner:
            raise TooManyFiles(f"A complaint takes at most {self.attachments.max_per_owner} files.")
        checked = []
        for upload in uploads:
            sniffed = filetype.guess_mime(upload.content[:8192]) if upload.content else None
            try:
                content_type = self.attachments.check(len(upload.content), sniffed, already)
            except FileRefused:
                raise FileRefused(f"{safe_filename(upload.filename)}: only photos (JPEG, PNG, "
                                  "WebP) and PDF documents are accepted, checked by their "
                                  "content.") from None
            checked.append((Upload(safe_filename(upload.filename), upload.content), content_type))
        return checked

    def _form(self, office: Office) -> dict:
        days = _whole(self.policy.contact_retention_days)
        return {"categories": [c.to_json() for c in
                               categories_from_json(office.complaint_categories)],
                "text_max_chars": self.policy.text_max_chars,
                "contact_max_chars": self.policy.contact_max_chars,
                "files": {"max_count": self.attachments.max_per_owner,
                          "max_bytes": self.attachments.max_bytes,
                          "types": list(self.attachments.types)},
                "due_days": office.complaint_due_days,
                "consent_th": CONSENT_TH.format(days=days),
                "consent_en": CONSENT_EN.format(days=days)}

    def _url(self, code: str) -> str:
        return f"{self.context.settings.public_url.rstrip('/')}/c/{code}"

    def _category(self, office: Office, key: str) -> dict:
        for c in categories_from_json(office.complaint_categories):
            if c.key == key:
                return c.to_json()
        return {"key": key, "name_th": key, "name_en": key}  # a category the office dropped

    def _receipt(self, office: Office, complaint: Complaint, staff: bool) -> dict:
        body = {"code": complaint.code, "code_display": format_code(complaint.code),
                "status": complaint.status.value, "status_url": self._url(complaint.code),
                "qr_url": f"/c/{complaint.code}/qr.svg",
                "received_at": iso(complaint.received_at), "due_on": complaint.due_on.isoformat(),
                "category": self._category(office, complaint.category)}
        if staff:
            body["id"] = complaint.id
        return body

    def _public(self, uow: UnitOfWork, office: Office, complaint: Complaint) -> dict:
        today = office.service_day(self.context.clock())
        steps = []
        for event in uow.complaints.events(complaint.id):
            if event.kind not in PUBLIC_KINDS:
                continue
            step = {"kind": event.kind.value, "status": event.status.value, "at": iso(event.at),
                    "note": event.public_note}
            if event.kind.value == "forwarded":
                step["agency"] = event.data.get("agency")
            steps.append(step)
        return {"code": complaint.code, "code_display": format_code(complaint.code),
                "status": complaint.status.value,
                "category": self._category(office, complaint.category),
                "received_at": iso(complaint.received_at), "due_on": complaint.due_on.isoformat(),
                "overdue": complaint.is_overdue(today), "agency": complaint.agency,
                "steps": steps}

    def _names(self, uow: UnitOfWork, office_id: int) -> dict[int, str]:
        return {u.id: u.display_name for u in uow.users.users_of_office(office_id)
                if u.role != Role.DEVICE and u.active}

    def _row(self, complaint: Complaint, today: date, names: dict[int, str]) -> dict:
        """A line of the register (the text cut short: the record has it whole)."""
        text = complaint.text
        return {"id": complaint.id, "code": complaint.code,
                "code_display": format_code(complaint.code), "status": complaint.status.value,
                "category": complaint.category, "channel": complaint.channel.value,
                "summary": text if len(text) <= 140 else text[:139] + "…",
                "received_at": iso(complaint.received_at), "due_on": complaint.due_on.isoformat(),
                "overdue": complaint.is_overdue(today), "assignee_id": complaint.assignee_id,
                "assignee_name": names.get(complaint.assignee_id), "agency": complaint.agency,
                "has_contact": complaint.contact is not None,
                "ticket_id": complaint.ticket_id}

    def _staff(self, uow: UnitOfWork, office: Office, complaint: Complaint) -> dict:
        today = office.service_day(self.context.clock())

        def name(actor_kind, actor_id):
            if actor_kind == "user" and actor_id and actor_id.isdigit():
                user = uow.users.user(int(actor_id))
                return user.display_name if user else None
            return None

        assignee = uow.users.user(complaint.assignee_id) if complaint.assignee_id else None
        ticket = uow.tickets.ticket(complaint.ticket_id) if complaint.ticket_id else None
        return {
            "id": complaint.id, "code": complaint.code,
            "code_display": format_code(complaint.code), "status": complaint.status.value,
            "category": self._category(office, complaint.category),
            "channel": complaint.channel.value, "text": complaint.text,
            "contact": complaint.contact, "contact_erased_at": iso(complaint.contact_erased_at),
            "ticket": {"id": ticket.id, "number": ticket.label,
                       "day": ticket.service_day.isoformat()} if ticket else None,
            "received_at": iso(complaint.received_at), "due_on": complaint.due_on.isoformat(),
            "overdue": complaint.is_overdue(today),
            "assignee_id": complaint.assignee_id,
            "assignee_name": assignee.display_name if assignee else None,
            "agency": complaint.agency, "resolved_at": iso(complaint.resolved_at),
            "closed_at": iso(complaint.closed_at), "status_url": self._url(complaint.code),
            "files": [self._file(complaint, a)
                      for a in uow.attachments.of_owner(OWNER, complaint.id)],
            "events": [{"id": e.id, "kind": e.kind.value, "status": e.status.value,
                        "at": iso(e.at), "actor_kind": e.actor_kind,
                        "actor_name": name(e.actor_kind, e.actor_id),
                        "public_note": e.public_note, "internal_note": e.internal_note,
                        "data": e.data} for e in uow.complaints.events(complaint.id)],
        }

    @staticmethod
    def _file(complaint: Complaint, attachment: Attachment) -> dict:
        view = file_view(attachment)
        view["url"] = f"/api/v1/complaints/{complaint.id}/files/{attachment.id}"
        view["from_citizen"] = attachment.uploaded_by is None
        return view


def _whole(days: float) -> float | int:
    return int(days) if float(days).is_integer() else days
