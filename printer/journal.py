"""The print agent's journal: which jobs it has started and finished, kept on disk.

A job's key is written (and synced) *before* the first byte goes to the printer. So whatever
happens next (the agent killed, the acknowledgement lost, the server restarted), a job the
journal knows is never printed again: at most once. The key is the job id *and* the ticket's
random token, because job ids start again at 1 on a new or restored database, and a journal
that knew only ids would silently skip the new database's first jobs.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

STARTED = "started"
PRINTED = "printed"
UNCERTAIN = "uncertain"


class Journal:
    def __init__(self, path: str | Path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # on disk before the printer moves
        self._db.execute("CREATE TABLE IF NOT EXISTS print_jobs (job_key TEXT PRIMARY KEY,"
                         " state TEXT NOT NULL, at TEXT DEFAULT CURRENT_TIMESTAMP)")

    def state(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT state FROM print_jobs WHERE job_key = ?", (key,)).fetchone()
        return row[0] if row else None

    def start(self, key: str) -> bool:
        """Claim the job for printing; False when it was claimed before (never print twice)."""
        with self._lock:
            try:
                self._db.execute("INSERT INTO print_jobs (job_key, state) VALUES (?, ?)", (key, STARTED))
                return True
            except sqlite3.IntegrityError:
                return False

    def finish(self, key: str, state: str) -> None:
        with self._lock:
            self._db.execute("UPDATE print_jobs SET state = ? WHERE job_key = ?", (state, key))

    def forget(self, key: str) -> None:
        """Nothing reached the printer (it could not even be opened): the job may run again."""
        with self._lock:
            self._db.execute("DELETE FROM print_jobs WHERE job_key = ? AND state = ?", (key, STARTED))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def job_key(job: dict) -> str:
    """The journal's key of a print job: its id and its ticket's random token (a complaint's
    receipt: its tracking code)."""
    if "complaint" in job:
        return f"{int(job['job_id'])}:c:{job['complaint']['code']}"
    return f"{int(job['job_id'])}:{job['ticket']['token']}"
