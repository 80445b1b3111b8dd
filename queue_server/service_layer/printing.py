"""Print jobs and printer states: the server's side of printing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ..domain.errors import Conflict, NotFound
from ..domain.model import Office, Ticket, device_username
from ..domain.printing import PrintJob, PrinterState
from . import messages
from .context import Context
from .unit_of_work import UnitOfWork

# How long a pending job is still worth printing: after that the citizen has long gone with the
# ticket the kiosk showed on screen, and a late print would only waste paper and confuse.
MAX_JOB_AGE = timedelta(minutes=10)


ORIGINAL_PRINTER = object()  # reprint where the ticket was first printed


def office_brief(office: Office) -> dict:
    return {"name": office.name, "name_en": office.name_en, "timezone": office.timezone}


def queue_print_job(uow: UnitOfWork, ticket: Ticket, office: Office, ticket_view: dict,
                    kiosk_id: str | None, now, reason: str = "issued") -> PrintJob:
    """Make the job in the ticket's own transaction; it is offered to the agent after commit."""
    job = PrintJob(office.id, ticket.id, kiosk_id,
                   {"ticket": ticket_view, "office": office_brief(office)}, now, reason)
    job.offered(now)  # before the insert: one INSERT, no UPDATE after it
    uow.print_jobs.add_new_print_job(job)
    uow.publish(messages.print_job(job))
    return job


class Printing:
    """Use cases of the print agents and of staff who reprint."""

    def __init__(self, context: Context, alerts=None):
        self.context = context
        self.uow = context.uow
        self.clock = context.clock
        self.alerts = alerts  # service_layer/alerts.py: a printer in trouble alerts managers

    def pending(self, kiosk_id: str | None) -> list[dict]:
        """Jobs the agent has not acknowledged, oldest first (on connect and after trouble)."""
        with self.uow() as uow:
            now = self.clock()
            jobs = []
            for job in uow.print_jobs.pending_print_jobs(kiosk_id):
                if not job.expire_if_stale(now, MAX_JOB_AGE):
                    job.offered(now)
                    jobs.append(job)
            uow.flush()
            bodies = [messages.print_job_body(j) for j in jobs]
            uow.commit()
            return bodies

    def acknowledge(self, job_id: int, kiosk_id: str | None, outcome: str,
                    error: str | None = None) -> dict:
        with self.uow() as uow:
            job = uow.print_jobs.print_job(job_id)
            if job is None or job.kiosk_id != kiosk_id:
                raise NotFound(f"There is no print job {job_id} for this kiosk.")
            job.acknowledge(outcome, self.clock(), error)
            status = {"job_id": job.id, "status": job.status.value, "error": job.last_error}
            uow.commit()
            return status

    def reprint(self, ticket_id: int, kiosk_id: str | None | object = ORIGINAL_PRINTER,
                office_id: int | None = None) -> dict:
        """Staff print a ticket again (the citizen lost it, or the printer jammed); staff of
        another office find no such ticket."""
        with self.uow() as uow:
            ticket = uow.tickets.ticket(ticket_id)
            if ticket is None or (office_id is not None and ticket.office_id != office_id):
                raise NotFound(f"There is no ticket {ticket_id}.")
            if kiosk_id is ORIGINAL_PRINTER:
                kiosk_id = ticket.kiosk_id
            elif kiosk_id and printer_office(uow, kiosk_id, known_only=True) not in (None, ticket.office_id):
                raise NotFound(f"There is no kiosk {kiosk_id}.")  # another office's printer
            if ticket.status.is_final:
                raise Conflict(f"Ticket {ticket.label} is {ticket.status.value}; nothing to reprint.")
            views = self.context.views(uow, ticket.office_id)
            job = queue_print_job(uow, ticket, views.office(), views.ticket(ticket), kiosk_id,
                                  self.clock(), reason="reprint")
            body = {"job_id": job.id, "status": job.status.value, "kiosk_id": kiosk_id}
            uow.commit()
            return body

    def report_status(self, state: PrinterState) -> dict:
        """The agent's word on its printer: stored, and shown on the kiosk and to managers."""
        with self.uow() as uow:
            state = replace(state, updated_at=self.clock())
            uow.print_jobs.save_printer_state(state)
            office_id = printer_office(uow, state.kiosk_id)
            for message in messages.printer_status(state, office_id):
                uow.publish(message)
            uow.commit()
            self.context.catalog.forget_printer()  # its copy of the states is old now
        if self.alerts is not None and office_id is not None:
            self.alerts.printer_reported(state, office_id)
        return state.to_json()

    def state(self, kiosk_id: str | None) -> dict:
        with self.context.read_uow() as uow:
            return uow.print_jobs.printer_state(kiosk_id).to_json()

    def states(self, office_id: int | None = None) -> list[dict]:
        """Each printer's last report; with `office_id`, only that office's printers."""
        with self.context.read_uow() as uow:
            return [s.to_json() for s in uow.print_jobs.printer_states()
                    if office_id is None or printer_office(uow, s.kiosk_id) == office_id]


def printer_office(uow: UnitOfWork, kiosk_id: str | None, known_only: bool = False) -> int | None:
    """The office of a kiosk's printer: its print agent's account's. The server's own printer
    (no kiosk), and a kiosk with no account, are the first office's (`known_only`: None)."""
    if kiosk_id:
        user = uow.users.user_by_name(device_username(kiosk_id))
        if user is not None:
            return user.office_id
        if known_only:
            return None
    office = uow.offices.office()
    return office.id if office else None
