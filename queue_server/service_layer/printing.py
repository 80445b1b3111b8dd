"""Print jobs and printer states: the server's side of printing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Callable

from ..domain.errors import Conflict, NotFound
from ..domain.model import Office, Ticket
from ..domain.printing import PrintJob, PrinterState
from .unit_of_work import UnitOfWork

# How long a pending job is still worth printing: after that the citizen has long gone with the
# ticket the kiosk showed on screen, and a late print would only waste paper and confuse.
MAX_JOB_AGE = timedelta(minutes=10)


ORIGINAL_PRINTER = object()  # reprint where the ticket was first printed


def printer_room(kiosk_id: str | None) -> str:
    """The Socket.IO room of a kiosk's print agent ("printer:local" is the server's own)."""
    return f"printer:{kiosk_id or 'local'}"


def office_brief(office: Office) -> dict:
    return {"name": office.name, "name_en": office.name_en, "timezone": office.timezone}


def job_message(job: PrintJob) -> dict:
    """The `print_job` event body: what to print and the id to acknowledge."""
    return {"job_id": job.id, "kiosk_id": job.kiosk_id, "reason": job.reason,
            "attempt": job.attempts, **job.payload}


def queue_print_job(uow: UnitOfWork, ticket: Ticket, office: Office, ticket_view: dict,
                    kiosk_id: str | None, now, reason: str = "issued") -> PrintJob:
    """Make the job in the ticket's own transaction; it is offered to the agent after commit."""
    job = PrintJob(office.id, ticket.id, kiosk_id,
                   {"ticket": ticket_view, "office": office_brief(office)}, now, reason)
    job.offered(now)  # before the insert: one INSERT, no UPDATE after it
    uow.repo.add_new_print_job(job)
    uow.notify("print_job", job_message(job), printer_room(kiosk_id))
    return job


class Printing:
    """Use cases of the print agents and of staff who reprint."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock, ticket_view, catalog=None):
        self.uow = uow_factory
        self.clock = clock
        self.catalog = catalog  # its printer states are dropped when an agent reports
        self.ticket_view = ticket_view  # Queue._ticket_view: the ticket as it is now

    def pending(self, kiosk_id: str | None) -> list[dict]:
        """Jobs the agent has not acknowledged, oldest first (on connect and after trouble)."""
        with self.uow() as uow:
            now = self.clock()
            jobs = []
            for job in uow.repo.pending_print_jobs(kiosk_id):
                if not job.expire_if_stale(now, MAX_JOB_AGE):
                    job.offered(now)
                    jobs.append(job)
            uow.session.flush()
            messages = [job_message(j) for j in jobs]
            uow.commit()
            return messages

    def acknowledge(self, job_id: int, kiosk_id: str | None, outcome: str,
                    error: str | None = None) -> dict:
        with self.uow() as uow:
            job = uow.repo.print_job(job_id)
            if job is None or job.kiosk_id != kiosk_id:
                raise NotFound(f"There is no print job {job_id} for this kiosk.")
            job.acknowledge(outcome, self.clock(), error)
            status = {"job_id": job.id, "status": job.status.value, "error": job.last_error}
            uow.commit()
            return status

    def reprint(self, ticket_id: int, kiosk_id: str | None | object = ORIGINAL_PRINTER) -> dict:
        """Staff print a ticket again (the citizen lost it, or the printer jammed)."""
        with self.uow() as uow:
            ticket = uow.repo.ticket(ticket_id)
            if ticket is None:
                raise NotFound(f"There is no ticket {ticket_id}.")
            if kiosk_id is ORIGINAL_PRINTER:
                kiosk_id = ticket.kiosk_id
            if ticket.status.is_final:
                raise Conflict(f"Ticket {ticket.label} is {ticket.status.value}; nothing to reprint.")
            office = uow.repo.office(ticket.office_id)
            job = queue_print_job(uow, ticket, office, self.ticket_view(uow, ticket), kiosk_id,
                                  self.clock(), reason="reprint")
            body = {"job_id": job.id, "status": job.status.value, "kiosk_id": kiosk_id}
            uow.commit()
            return body

    def report_status(self, state: PrinterState) -> dict:
        """The agent's word on its printer: stored, and shown on the kiosk and to managers."""
        with self.uow() as uow:
            state = replace(state, updated_at=self.clock())
            uow.repo.save_printer_state(state)
            body = state.to_json()
            uow.notify("printer_status", body, f"kiosk:{state.kiosk_id or 'local'}")
            uow.notify("printer_status", body, "managers")
            uow.commit()
            if self.catalog is not None:
                self.catalog.forget_printer()
            return body

    def state(self, kiosk_id: str | None) -> dict:
        with self.uow() as uow:
            return uow.repo.printer_state(kiosk_id).to_json()

    def states(self) -> list[dict]:
        with self.uow() as uow:
            return [s.to_json() for s in uow.repo.printer_states()]
