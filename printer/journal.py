"""The print agent's journal: which jobs it has started and finished, kept on disk.

A job id is written (and synced) *before* the first byte goes to the printer. So whatever
happens next (the agent killed, the acknowledgement lost, the server restarted), a job the
journal knows is never printed again: at most once.
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
        self._db.execute("CREATE TABLE IF NOT EXISTS jobs (job_id INTEGER PRIMARY KEY,"
                         " state TEXT NOT NULL, at TEXT DEFAULT CURRENT_TIMESTAMP)")

    def state(self, job_id: int) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT state FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return row[0] if row else None

    def start(self, job_id: int) -> bool:
        """Claim the job for printing; False when it was claimed before (never print twice)."""
        with self._lock:
            try:
                self._db.execute("INSERT INTO jobs (job_id, state) VALUES (?, ?)", (job_id, STARTED))
                return True
            except sqlite3.IntegrityError:
                return False

    def finish(self, job_id: int, state: str) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET state = ? WHERE job_id = ?", (state, job_id))

    def forget(self, job_id: int) -> None:
        """Nothing reached the printer (it could not even be opened): the job may run again."""
        with self._lock:
            self._db.execute("DELETE FROM jobs WHERE job_id = ? AND state = ?", (job_id, STARTED))

    def close(self) -> None:
        with self._lock:
            self._db.close()
