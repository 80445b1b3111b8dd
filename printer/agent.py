"""The print agent: takes print jobs for one kiosk, prints each at most once, acknowledges.

It talks to the server through a transport: Socket.IO for an agent on a kiosk PC
(`gecc-queue print-agent`), or direct calls for the server's own in-process agent. Either way:

- a job whose id the journal knows is never printed again (acknowledged from the journal);
- a printer that is offline, out of paper or open is reported, the job is answered
  `not_printed` and stays with the server, and the agent asks for what is pending as soon as
  the printer is usable again;
- every change of the printer's state is reported, so the kiosk can show the ticket on screen.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Protocol

from .journal import PRINTED, STARTED, UNCERTAIN, Journal, job_key

log = logging.getLogger(__name__)


class PrinterNotReached(Exception):
    """The printer could not be opened: no byte was sent, so the job may be tried again."""


class Device(Protocol):
    def status(self) -> dict: ...  # online, paper, cover_open, detail

    def print_job(self, job: dict) -> None: ...  # raises PrinterNotReached before any byte


class Transport(Protocol):
    def fetch_pending(self) -> list[dict]: ...

    def acknowledge(self, job_id: int, outcome: str, error: str | None) -> None: ...

    def report_status(self, status: dict) -> None: ...


def usable(status: dict) -> bool:
    return bool(status.get("online")) and status.get("paper") in ("ok", "low") \
        and not status.get("cover_open")


class PrintAgent:
    def __init__(self, device: Device, journal: Journal, transport: Transport,
                 status_interval: float = 5.0):
        self.device = device
        self.journal = journal
        self.transport = transport
        self.status_interval = status_interval
        self.jobs: queue.Queue[dict | None] = queue.Queue()
        self.last_status: dict | None = None
        self.held_back = threading.Event()  # jobs wait at the server for a usable printer
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- running ------------------------------------------------------------------------

    def start(self) -> PrintAgent:
        for target, name in ((self._work, "print-agent-worker"), (self._watch, "print-agent-watch")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.jobs.put(None)
        for thread in self._threads:
            thread.join(10)

    def submit(self, job: dict) -> None:
        """A job from the server (live event, or the pending list after a (re)connect)."""
        self.jobs.put(job)

    def catch_up(self) -> None:
        """Ask the server for every job still pending for this kiosk."""
        for job in self.transport.fetch_pending():
            self.submit(job)

    # --- the work -----------------------------------------------------------------------

    def handle(self, job: dict) -> str:
        """Print one job at most once and acknowledge it; returns the outcome sent."""
        job_id = int(job["job_id"])
        key = job_key(job)
        known = self.journal.state(key)
        if known is not None:
            # Printed (or begun) before: the acknowledgement was lost. Never print twice.
            outcome = PRINTED if known == PRINTED else UNCERTAIN
            return self._ack(job_id, outcome, None if known == PRINTED else "interrupted earlier")
        status = self.refresh_status()
        if not usable(status):
            self.held_back.set()
            return self._ack(job_id, "not_printed", status.get("detail") or "printer not ready")
        if not self.journal.start(key):
            return self._ack(job_id, UNCERTAIN, "claimed twice")
        try:
            self.device.print_job(job)
        except PrinterNotReached as exc:
            self.journal.forget(key)
            self.held_back.set()
            self.refresh_status()
            return self._ack(job_id, "not_printed", str(exc))
        except Exception as exc:  # bytes may have reached the paper: do not risk a second copy
            log.exception("print job %s failed part-way", job_id)
            self.journal.finish(key, UNCERTAIN)
            self.refresh_status()
            return self._ack(job_id, UNCERTAIN, f"failed part-way: {exc}")
        self.journal.finish(key, PRINTED)
        return self._ack(job_id, PRINTED, None)

    def refresh_status(self) -> dict:
        """Ask the printer, and report to the server when the answer changed."""
        try:
            status = self.device.status()
        except Exception as exc:  # noqa: BLE001 - any failure to ask is "offline"
            status = {"online": False, "paper": "unknown", "cover_open": None, "detail": str(exc)}
        if status != self.last_status:
            self.last_status = status
            try:
                self.transport.report_status(status)
            except Exception:  # noqa: BLE001 - the server is away; it asks again on reconnect
                log.warning("could not report printer status", exc_info=True)
        return status

    def _ack(self, job_id: int, outcome: str, error: str | None) -> str:
        try:
            self.transport.acknowledge(job_id, outcome, error)
        except Exception:  # noqa: BLE001 - the server offers the job again; the journal answers
            log.warning("could not acknowledge job %s", job_id, exc_info=True)
        return outcome

    def _work(self) -> None:
        while not self.stopping.is_set():
            job = self.jobs.get()
            if job is None:
                return
            try:
                self.handle(job)
            except Exception:  # noqa: BLE001 - one bad job must not stop the agent
                log.exception("print job failed")

    def _watch(self) -> None:
        """Poll the printer; when it becomes usable again, fetch what was held back."""
        while not self.stopping.wait(self.status_interval):
            status = self.refresh_status()
            if usable(status) and self.held_back.is_set():
                self.held_back.clear()
                try:
                    self.catch_up()
                except Exception:  # noqa: BLE001
                    self.held_back.set()
                    log.warning("could not fetch pending jobs", exc_info=True)


__all__ = ["PrintAgent", "PrinterNotReached", "STARTED"]
