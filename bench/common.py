"""Helpers shared by the benchmark scripts (run as `python bench/xxx.py`, which puts this
directory first on sys.path, so they `from common import ...`)."""

from __future__ import annotations

import math
import shutil
import socket
import sys
import time
from pathlib import Path


def now() -> float:
    # CLOCK_MONOTONIC on Linux: system-wide, so comparable between processes.
    return time.monotonic()


def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of `values` (p in 0..100); None when there are none."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100.0 * len(s)) - 1))
    return s[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def show_server_log(server) -> None:
    """After a crash of the run: the end of the server's log, to stderr."""
    print("server log tail:\n" + server.tail(), file=sys.stderr)


def stop_and_clean(server, workdir: Path, keep: bool) -> None:
    """At the end of a run: the server stopped, its work directory removed (or kept, --keep)."""
    server.stop()
    if keep:
        print(f"kept {workdir}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
