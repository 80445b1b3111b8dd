"""Evidence packs made from the manager's page: a background job writes the pack of a period
(`Evidence.export`: evidence.json, tickets.csv, evidence.xlsx, report.pdf) and zips it; the page
follows its progress and downloads the zip; the office's last packs are kept for download.

Each pack lives in PACKS_DIR/<office>/<id>/ with `pack.json` (who asked, the period, the state)
and, when done, `pack.zip`; the folder is the record, so the list survives a restart."""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import threading
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Callable

from ..domain.errors import Conflict, DomainError, NotFound
from .messages import iso

log = logging.getLogger("gecc.packs")

# What Evidence.export writes, in the order it writes them: the progress a page shows.
PACK_FILES = ("evidence.json", "tickets.csv", "evidence.xlsx", "report.pdf")
MAX_DAYS = 400


def run_in_thread(work: Callable[[], None]) -> None:
    """A real OS thread (the pack's PDF and workbook are CPU work)."""
    threading.Thread(target=work, name="evidence-pack", daemon=True).start()


class Packs:
    def __init__(self, evidence, directory: str | Path, kept: int = 10, clock=None,
                 runner: Callable[[Callable[[], None]], None] = run_in_thread,
                 pdf_beside: bool = True):
        self.evidence = evidence          # service_layer/evidence.py Evidence
        self.pdf_beside = pdf_beside      # the PDF drawn by a process of its own
        self.directory = Path(directory)
        self.kept = kept
        self.clock = clock
        self.runner = runner
        self._lock = threading.Lock()
        self._running: set[str] = set()

    # --- the use cases -----------------------------------------------------------------------

    def start(self, office_id: int, first: date, last: date, by: str) -> dict:
        """Begin making the pack of first..last; its view (state `running`)."""
        if first > last:
            raise DomainError("The period's first day comes after its last.")
        if (last - first).days >= MAX_DAYS:
            raise DomainError(f"A pack covers at most {MAX_DAYS} days.")
        with self._lock:
            if any(p["state"] in ("running", "zipping") for p in self.list(office_id)):
                raise Conflict("A pack is being made already; wait for it to finish.")
            pack_id = time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
            folder = self._folder(office_id, pack_id)
            folder.mkdir(parents=True)
            meta = {"id": pack_id, "from": first.isoformat(), "to": last.isoformat(), "by": by,
                    "state": "running", "started_at": iso(self.clock()), "finished_at": None,
                    "error": None, "size": None}
            self._save(folder, meta)
            self._running.add(pack_id)
        self.runner(lambda: self._make(office_id, folder, meta, first, last))
        return self._view(office_id, folder, meta)

    def list(self, office_id: int) -> list[dict]:
        """The office's packs, newest first."""
        root = self.directory / str(office_id)
        if not root.is_dir():
            return []
        packs = []
        for folder in sorted(root.iterdir(), reverse=True):
            meta = self._load(folder)
            if meta is not None:
                packs.append(self._view(office_id, folder, meta))
        return packs

    def get(self, office_id: int, pack_id: str) -> dict:
        folder = self._existing(office_id, pack_id)
        return self._view(office_id, folder, self._load(folder))

    def zip_path(self, office_id: int, pack_id: str) -> tuple[Path, dict]:
        folder = self._existing(office_id, pack_id)
        meta = self._load(folder)
        if meta["state"] != "done":
            raise Conflict("The pack is not ready yet.")
        return folder / "pack.zip", meta

    # --- the job -------------------------------------------------------------------------

    def _make(self, office_id: int, folder: Path, meta: dict, first: date, last: date) -> None:
        work = folder / "files"
        started = time.perf_counter()
        try:
            written = self.evidence.export(office_id, first, last, work,
                                           pdf_beside=self.pdf_beside)
            self._set(folder, meta, state="zipping")
            partial = folder / "pack.zip.part"
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(written, key=lambda p: p.name):
                    archive.write(path, f"gecc-evidence-{meta['from']}-{meta['to']}/{path.name}")
            partial.rename(folder / "pack.zip")
            shutil.rmtree(work, ignore_errors=True)
            self._set(folder, meta, state="done", finished_at=iso(self.clock()),
                      size=(folder / "pack.zip").stat().st_size,
                      seconds=round(time.perf_counter() - started, 2))
            log.info("evidence pack %s (%s..%s) made in %.1f s", meta["id"], meta["from"],
                     meta["to"], time.perf_counter() - started)
        except Exception as exc:  # the page shows the failure; the server goes on
            log.exception("evidence pack %s failed", meta["id"])
            shutil.rmtree(work, ignore_errors=True)
            self._set(folder, meta, state="failed", finished_at=iso(self.clock()),
                      error=str(exc)[:300] or type(exc).__name__)
        self._running.discard(meta["id"])
        self._prune(office_id)

    def _prune(self, office_id: int) -> None:
        """Keep the office's last `kept` finished packs."""
        finished = [p for p in self.list(office_id) if p["state"] in ("done", "failed")]
        for old in finished[self.kept:]:
            shutil.rmtree(self._folder(office_id, old["id"]), ignore_errors=True)

    # --- the record on disk -----------------------------------------------------------------

    def _folder(self, office_id: int, pack_id: str) -> Path:
        return self.directory / str(office_id) / pack_id

    def _existing(self, office_id: int, pack_id: str) -> Path:
        if not pack_id.replace("-", "").isalnum() or len(pack_id) > 40:
            raise NotFound(f"There is no pack {pack_id[:40]}.")
        folder = self._folder(office_id, pack_id)
        if self._load(folder) is None:
            raise NotFound(f"There is no pack {pack_id}.")
        return folder

    @staticmethod
    def _load(folder: Path) -> dict | None:
        try:
            return json.loads((folder / "pack.json").read_text())
        except (OSError, ValueError):
            return None

    @staticmethod
    def _save(folder: Path, meta: dict) -> None:
        part = folder / "pack.json.part"
        part.write_text(json.dumps(meta, ensure_ascii=False))
        part.replace(folder / "pack.json")

    def _set(self, folder: Path, meta: dict, **changes) -> None:
        meta.update(changes)
        self._save(folder, meta)

    def _view(self, office_id: int, folder: Path, meta: dict) -> dict:
        state = meta["state"]
        if state in ("running", "zipping") and not self._alive(meta):
            state = "failed"   # the server stopped while it was being made
        written = [name for name in PACK_FILES if (folder / "files" / name).exists()]
        steps = len(PACK_FILES) + 1
        done = {"running": len(written), "zipping": len(PACK_FILES), "done": steps,
                "failed": 0}[state]
        return {**meta, "state": state, "files_written": written,
                "progress": round(done / steps, 2),
                "error": meta.get("error") or ("the server stopped while the pack was being "
                                               "made" if state == "failed" and not meta.get("error")
                                               else None),
                "download_url": f"/api/v1/evidence/packs/{meta['id']}/download"
                if state == "done" else None}

    def _alive(self, meta: dict) -> bool:
        """A running pack is one this process is making (a restart leaves none running)."""
        return meta["id"] in self._running
