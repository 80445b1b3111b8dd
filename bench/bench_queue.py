#!/usr/bin/env python
"""Benchmark the real GECC Queue server: ticket issue rate and call-next -> `ticket_called` latency.

It starts `gecc-queue demo` as a subprocess on a free port and a fresh SQLite file (or the
database given with --db), creates a manager bearer token with `gecc-queue token create`, and
measures at each concurrency level (default 1, 8, 32):

  baseline   GET /healthz requests/s (one trivial database round trip per request), and a raw
             Socket.IO round trip (an acknowledged `leave`, which touches no database)
  tickets    POST /api/v1/tickets (channel kiosk, spread over the services) per second, with
             p50/p99 request latency; every returned number must be unique per service
  call-next  POST /api/v1/counters/<id>/call-next by K threads over the open counters; the
             latency of each 200 answer runs from just before the POST is sent to the moment a
             Socket.IO client joined to room `display` receives the matching `ticket_called`
             (same `number` and `counter_id`)

The display listener runs in its own process, so its receive timestamps are not delayed by the
client threads' GIL; both processes read the same system-wide monotonic clock.

Every loop is bounded by count and by time; the server is always killed at the end. The machine
is shared, so read tickets/s against the baseline req/s measured in the same run.

    python bench/bench_queue.py                   # full run, about 1.5 minutes
    python bench/bench_queue.py --quick           # smoke run, about 20 seconds
    python bench/bench_queue.py --levels 1,8,32 --duration 6 --json out.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import queue as queue_mod
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (cpu_model, free_port, loadavg, now, pct, show_server_log,  # noqa: E402
                    stop_and_clean)

# Targets from the issue, single server process, at the highest concurrency level.
TARGET_TICKETS_PER_S = 300.0
TARGET_CALL_P99_MS = 50.0

EVENT_WAIT_S = 5.0  # how long a caller waits for its ticket_called before counting it missing


# --- small helpers ---------------------------------------------------------------------------

def ms(x: float | None) -> str:
    return "-" if x is None else f"{x * 1000:.1f}"


def gecc_command(code_dir: Path | None = None) -> list[str]:
    if code_dir is not None:  # a snapshot of a revision: import it before the installed tree
        return [sys.executable, "-m", "queue_server.cli"]
    exe = Path(sys.executable).parent / "gecc-queue"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("gecc-queue")
    return [found] if found else [sys.executable, "-m", "queue_server.cli"]


def machine_facts() -> dict:
    model = cpu_model()
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        nproc = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    try:
        mem_kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines()
                          if l.startswith("MemTotal")).split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "unknown"
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "nproc": nproc, "cpu_model": model, "memory": mem,
            "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_start": loadavg(), "code": code_state()}


def export_revision(rev: str, dest: Path) -> str:
    """`git archive` of `rev` unpacked into `dest` (the repository is only read); its short hash."""
    repo = Path(__file__).resolve().parent.parent
    short = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "--verify", rev + "^{commit}"],
                           capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    dest.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(repo), "archive", "--format=tar", short],
                               stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True, timeout=120)
    archive.stdout.close()
    if archive.wait(timeout=60) != 0:
        raise RuntimeError(f"git archive {rev} failed")
    return short


def code_state() -> str:
    """The commit the server runs, and whether the working tree differs from it."""
    try:
        repo = Path(__file__).resolve().parent.parent
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", "queue_server"],
                               capture_output=True, text=True, timeout=10).stdout.splitlines()
        return f"{head or 'unknown'}" + (f" + {len(dirty)} uncommitted paths under queue_server/"
                                         if dirty else " (clean)")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


# --- the server --------------------------------------------------------------------------------

class Server:
    """`gecc-queue demo` in a subprocess; `stop()` always kills it."""

    def __init__(self, db_url: str, port: int, workdir: Path, code_dir: Path | None = None):
        self.db_url, self.port, self.workdir, self.code_dir = db_url, port, workdir, code_dir
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / "server.log"

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("GECC_REDIS_URL", None)  # single process, no message queue
        env.setdefault("GECC_PRINTER", "none")
        if self.code_dir is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(self.code_dir)] + (
                [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            gecc_command(self.code_dir) + ["demo", "--host", "127.0.0.1", "--port", str(self.port),
                              "--db", self.db_url],
            cwd=str(self.workdir), env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = now() + timeout
        while now() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                r = requests.get(self.base + "/healthz", timeout=1)
                if r.status_code == 200 and r.json().get("status") == "ok":
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer /healthz within {timeout}s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server process has used so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError, AttributeError):
            return None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: only our server
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        self._log.close()


def create_token(db_url: str, workdir: Path, code_dir: Path | None = None,
                 device: str | None = None) -> str:
    """A bearer token of the demo manager, or (`device`) of a kiosk as its print agent and
    its page have one: kiosks issue with it, so the public rate limit does not apply."""
    env = dict(os.environ)
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir)
    who = ["--device", device] if device else ["--user", "manager"]
    out = subprocess.run(gecc_command(code_dir) + ["token", "create", *who, "--db", db_url],
                         cwd=str(workdir), capture_output=True, text=True, timeout=60, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"token create failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    lines = [l.strip() for l in out.stdout.splitlines() if l.strip()]
    if not lines:
        raise RuntimeError("token create printed nothing")
    return lines[-1]


# --- running N client threads ----------------------------------------------------------------

@dataclass
class Phase:
    """What one phase at one concurrency level measured."""

    name: str
    level: int
    ok: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0

    def count(self, lock: threading.Lock, started: float, good: bool, why: str) -> None:
        """One request's outcome; its latency runs from `started` to now. Under `lock`: the
        clients are threads."""
        took = now() - started
        with lock:
            if good:
                self.ok += 1
                self.latencies.append(took)
            else:
                self.errors += 1
                self.error_samples.append(why)

    def summary(self) -> dict:
        return {"name": self.name, "level": self.level, "ok": self.ok, "errors": self.errors,
                "elapsed_s": round(self.elapsed, 3), "rate_per_s": round(self.rate, 1),
                "p50_ms": _r(pct(self.latencies, 50)), "p99_ms": _r(pct(self.latencies, 99)),
                "max_ms": _r(max(self.latencies) if self.latencies else None),
                "error_samples": self.error_samples[:5], **self.extra}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x * 1000, 2)


def run_threads(level: int, duration: float, max_per_thread: int, work, setup=None) -> tuple[float, list]:
    """Run `work(state, i)` in `level` threads, each until `duration` has passed or it has done
    `max_per_thread` iterations. `setup(thread_index)` gives each thread its state (a Session).
    Returns (elapsed wall seconds from the common start to the last thread's end, states)."""
    states = [setup(t) if setup else None for t in range(level)]
    start_gate = threading.Barrier(level + 1)
    box = {}

    def body(t: int) -> None:
        start_gate.wait()
        deadline = box["start"] + duration
        for i in range(max_per_thread):
            if now() >= deadline:
                break
            work(states[t], t, i)

    threads = [threading.Thread(target=body, args=(t,), daemon=True) for t in range(level)]
    for th in threads:
        th.start()
    box["start"] = now()
    start_gate.wait()
    for th in threads:
        th.join(timeout=duration + 60)
    elapsed = now() - box["start"]
    for s in states:
        close = getattr(s, "close", None)
        if close:
            close()
    return elapsed, states


CLIENT_PROCESSES = 4


def run_clients(level: int, duration: float, max_per_thread: int, work, setup, child_result,
                merge) -> float:
    """`run_threads` with the `level` client threads spread over up to CLIENT_PROCESSES forked
    processes. In one process, 32 client threads queue for one GIL, and the client rather than
    the server sets the pace (a kiosk is its own machine). Each child starts from the parent's
    state as of the fork, runs its share of threads, and sends `child_result()` back; the
    parent hands each to `merge`. Returns the elapsed wall seconds, from the first child's
    start to the last one's end (the monotonic clock is system-wide)."""
    ctx = mp.get_context("fork")
    procs = max(1, min(CLIENT_PROCESSES, level))
    shares = [level // procs + (1 if k < level % procs else 0) for k in range(procs)]
    out = ctx.Queue()
    gate = ctx.Barrier(procs)

    def child(k: int, share: int) -> None:
        gate.wait()
        start = now()
        run_threads(share, duration, max_per_thread,
                    lambda st, t, i: work(st, t * procs + k, i), setup)
        out.put((start, now(), child_result()))

    children = [ctx.Process(target=child, args=(k, share), daemon=True)
                for k, share in enumerate(shares)]
    for c in children:
        c.start()
    starts, ends = [], []
    try:
        for _ in children:
            start, end, result = out.get(timeout=duration + 120)
            starts.append(start)
            ends.append(end)
            merge(result)
    finally:
        for c in children:
            c.join(timeout=10)
            if c.is_alive():
                c.kill()
    return max(ends) - min(starts)


def merge_phase(ph: "Phase", part: dict) -> None:
    ph.ok += part["ok"]
    ph.errors += part["errors"]
    ph.latencies += part["latencies"]
    ph.error_samples += part["error_samples"]


def phase_part(ph: "Phase") -> dict:
    return {"ok": ph.ok, "errors": ph.errors, "latencies": ph.latencies,
            "error_samples": ph.error_samples[:5]}


# --- the display listener (own process) ------------------------------------------------------

def display_listener(base: str, out: "mp.Queue", stop: "mp.Event") -> None:
    """Join room `display`; put ('ready',), ('called', number, counter_id, recall, t),
    ('rtt', seconds) and ('error', text) on `out` until `stop` is set."""
    try:
        import socketio
        client = socketio.Client(reconnection=False)
        joined = threading.Event()

        @client.on("snapshot")
        def _snapshot(data):
            joined.set()

        @client.on("ticket_called")
        def _called(data):
            t = now()
            out.put(("called", data.get("number"), data.get("counter_id"), bool(data.get("recall")), t))

        client.connect(base, transports=["websocket"], wait_timeout=10)
        client.emit("join", {"room": "display"})
        if not joined.wait(10):
            out.put(("error", "no snapshot after join"))
            return
        out.put(("ready",))
        while not stop.wait(0.2):
            pass
        client.disconnect()
    except Exception as exc:  # reported to the parent, which fails the phase
        out.put(("error", f"{type(exc).__name__}: {exc}"))


class DisplayEvents:
    """The parent's side of the listener: arrival times of `ticket_called` keyed by
    (number, counter_id)."""

    def __init__(self, base: str):
        ctx = mp.get_context("spawn")
        self.q = ctx.Queue()
        self.stop_flag = ctx.Event()
        self.proc = ctx.Process(target=display_listener, args=(base, self.q, self.stop_flag),
                                daemon=True)
        self.arrived: dict[tuple[str, int], float] = {}
        self.duplicates = 0
        self.cond = threading.Condition()
        self.error: str | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._ready = threading.Event()
        self._done = False

    def start(self, timeout: float = 20.0) -> None:
        self.proc.start()
        self._reader.start()
        if not self._ready.wait(timeout):
            raise RuntimeError(f"display listener not ready: {self.error or 'timeout'}")

    def _read(self) -> None:
        while not self._done:
            try:
                msg = self.q.get(timeout=0.2)
            except queue_mod.Empty:
                continue
            except (EOFError, OSError):
                return
            if msg[0] == "ready":
                self._ready.set()
            elif msg[0] == "called":
                _, number, counter_id, recall, t = msg
                with self.cond:
                    key = (number, counter_id)
                    if key in self.arrived:
                        self.duplicates += 1
                    else:
                        self.arrived[key] = t
                    self.cond.notify_all()
            elif msg[0] == "error":
                self.error = msg[1]
                self._ready.set()

    def wait_for(self, number: str, counter_id: int, timeout: float) -> float | None:
        key = (number, counter_id)
        deadline = now() + timeout
        with self.cond:
            while key not in self.arrived:
                left = deadline - now()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.arrived[key]

    def stop(self) -> None:
        self.stop_flag.set()
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=5)
        self._done = True
        self._reader.join(timeout=2)


# --- the benchmark -----------------------------------------------------------------------------

class Bench:
    def __init__(self, base: str, token: str, args, kiosk_token: str):
        self.base, self.token, self.args = base, token, args
        self.auth = {"Authorization": f"Bearer {token}"}
        self.kiosk_auth = {"Authorization": f"Bearer {kiosk_token}"}  # issues as a kiosk
        self.issued: dict[int, list[str]] = defaultdict(list)  # service_id -> numbers, whole run
        self.issued_lock = threading.Lock()
        self.called_ids: list[int] = []
        self.failures: list[str] = []
        s = requests.Session()
        self.services = [x["id"] for x in s.get(base + "/api/v1/services", timeout=10).json()]
        counters = s.get(base + "/api/v1/counters", headers=self.auth, timeout=10)
        counters.raise_for_status()
        self.counters = {c["id"]: c["service_ids"] for c in counters.json() if c.get("is_open")}
        s.close()
        if not self.services or not self.counters:
            raise RuntimeError(f"need services and open counters: {self.services} {self.counters}")

    def _record_ticket(self, body: dict) -> None:
        with self.issued_lock:
            self.issued[body["service_id"]].append(body["number"])

    def issue(self, session: requests.Session, service_id: int) -> requests.Response:
        r = session.post(self.base + "/api/v1/tickets", headers=self.kiosk_auth,
                         json={"service_id": service_id, "channel": "kiosk"}, timeout=30)
        if r.status_code == 201:
            self._record_ticket(r.json())
        return r

    # baseline: GET /healthz
    def baseline(self, level: int) -> Phase:
        ph = Phase("healthz", level)
        lock = threading.Lock()

        def work(s, t, i):
            t0 = now()
            try:
                r = s.get(self.base + "/healthz", timeout=30)
                good = r.status_code == 200
                why = f"HTTP {r.status_code}"
            except requests.RequestException as exc:
                good, why = False, type(exc).__name__
            ph.count(lock, t0, good, why)

        ph.elapsed = run_clients(level, self.args.duration, self.args.max_requests, work,
                                 lambda t: requests.Session(), lambda: phase_part(ph),
                                 lambda part: merge_phase(ph, part))
        return ph

    # tickets/s
    def tickets(self, level: int) -> Phase:
        ph = Phase("tickets", level)
        lock = threading.Lock()
        n = len(self.services)

        def work(s, t, i):
            service_id = self.services[(t + i * level) % n]
            t0 = now()
            try:
                r = self.issue(s, service_id)
                good = r.status_code == 201
                why = f"HTTP {r.status_code} {r.text[:120]}"
            except requests.RequestException as exc:
                good, why = False, type(exc).__name__
            ph.count(lock, t0, good, why)

        def child_result() -> dict:
            return {**phase_part(ph), "issued": dict(self.issued)}

        def merge(part: dict) -> None:
            merge_phase(ph, part)
            for service_id, numbers in part["issued"].items():
                self.issued[service_id].extend(numbers[len(before.get(service_id, [])):])

        before = {sid: list(numbers) for sid, numbers in self.issued.items()}
        ph.elapsed = run_clients(level, self.args.duration, self.args.max_requests, work,
                                 lambda t: requests.Session(), child_result, merge)
        return ph

    def waiting(self) -> dict[int, int]:
        r = requests.get(self.base + "/api/v1/services", timeout=30)
        return {x["id"]: x["waiting"] for x in r.json()}

    def top_up(self, per_service: int) -> int:
        """Issue tickets (8 threads) until each service has `per_service` waiting; bounded."""
        need = [sid for sid, w in self.waiting().items() for _ in range(max(0, per_service - w))]
        if not need:
            return 0
        lock = threading.Lock()
        it = iter(need)
        issued = [0]

        def work(s, t, i):
            with lock:
                sid = next(it, None)
            if sid is None:
                return
            if self.issue(s, sid).status_code == 201:
                with lock:
                    issued[0] += 1

        run_threads(min(8, len(need)), 120.0, len(need), work, lambda t: requests.Session())
        return issued[0]

    # call-next -> ticket_called
    def call_next(self, level: int, events: DisplayEvents, interval: float | None = None) -> Phase:
        """Closed loop (interval None): every caller presses again as soon as it has its
        answer, so the latency measured is mostly queueing behind the other callers. Paced
        (interval s): each caller is one counter console pressing Next every `interval`
        seconds, the way clerks do, spread evenly; the latency is what a clerk sees."""
        ph = Phase("call-next" if interval is None else "call-next-paced", level)
        bases: dict[int, float] = {}
        lock = threading.Lock()
        counter_ids = sorted(self.counters)
        missing = [0]
        refills = [0]
        http_lat: list[float] = []

        def setup(t):
            s = requests.Session()
            s.headers.update(self.auth)
            return s

        def work(s, t, i):
            counter_id = counter_ids[(t + i) % len(counter_ids)]
            if interval is not None:
                base = bases.setdefault(t, now() + interval * t / level)
                delay = base + i * interval - now()
                if delay > 0:
                    time.sleep(delay)
            t0 = now()
            try:
                r = s.post(f"{self.base}/api/v1/counters/{counter_id}/call-next", json={}, timeout=30)
            except requests.RequestException as exc:
                with lock:
                    ph.errors += 1
                    ph.error_samples.append(type(exc).__name__)
                return
            t_http = now() - t0
            if r.status_code == 404 and _code(r) == "queue_empty":
                # Refill (not timed): issue tickets for this counter's services, then go on.
                for k in range(10):
                    sids = self.counters[counter_id]
                    self.issue(s, sids[k % len(sids)])
                with lock:
                    refills[0] += 1
                return
            if r.status_code != 200:
                with lock:
                    ph.errors += 1
                    ph.error_samples.append(f"HTTP {r.status_code} {r.text[:120]}")
                return
            body = r.json()
            t_event = events.wait_for(body["number"], counter_id, EVENT_WAIT_S)
            with lock:
                self.called_ids.append(body["id"])
                http_lat.append(t_http)
                if t_event is None:
                    missing[0] += 1
                else:
                    ph.ok += 1
                    ph.latencies.append(t_event - t0)

        ph.elapsed, _ = run_threads(level, self.args.duration, self.args.max_requests, work, setup)
        ph.extra.update({"missing_events": missing[0], "refills": refills[0],
                         "http_p50_ms": _r(pct(http_lat, 50)), "http_p99_ms": _r(pct(http_lat, 99)),
                         "calls_per_s": round(len(http_lat) / ph.elapsed, 1) if ph.elapsed else 0})
        return ph

    # raw Socket.IO round trip: an acknowledged `leave` (no database)
    def socket_rtt(self, count: int) -> Phase:
        import socketio
        ph = Phase("socketio-rtt", 1)
        client = socketio.Client(reconnection=False)
        client.connect(self.base, transports=["websocket"], wait_timeout=10)
        try:
            start = now()
            for _ in range(count):
                if now() - start > self.args.duration:
                    break
                t0 = now()
                try:
                    client.call("leave", {"room": "bench-none"}, timeout=5)
                    ph.latencies.append(now() - t0)
                    ph.ok += 1
                except Exception as exc:  # socketio.exceptions.TimeoutError and friends
                    ph.errors += 1
                    ph.error_samples.append(type(exc).__name__)
            ph.elapsed = now() - start
        finally:
            client.disconnect()
        return ph

    def check_unique(self) -> None:
        total = 0
        for sid, numbers in self.issued.items():
            total += len(numbers)
            if len(set(numbers)) != len(numbers):
                dup = len(numbers) - len(set(numbers))
                self.failures.append(f"FAIL: service {sid}: {dup} ticket numbers given twice")
        if len(set(self.called_ids)) != len(self.called_ids):
            self.failures.append(f"FAIL: {len(self.called_ids) - len(set(self.called_ids))} "
                                 "tickets were called twice")
        self.total_issued = total


def _code(r: requests.Response) -> str | None:
    try:
        return r.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def measured(server: Server, run) -> Phase:
    """Run a phase and note the CPU the server and this client process used during it."""
    s0, c0 = server.cpu_seconds(), _own_cpu()
    ph = run()
    s1, c1 = server.cpu_seconds(), _own_cpu()
    if s0 is not None and s1 is not None and ph.elapsed > 0:
        ph.extra["server_cpu_pct"] = round((s1 - s0) / ph.elapsed * 100)
        ph.extra["server_cpu_ms_per_req"] = round((s1 - s0) / max(1, ph.ok) * 1000, 2)
    if ph.elapsed > 0:
        ph.extra["client_cpu_pct"] = round((c1 - c0) / ph.elapsed * 100)
    return ph


def _own_cpu() -> float:
    """CPU seconds of the bench and of its client processes that have ended (run_clients)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# --- output --------------------------------------------------------------------------------------

def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (readable as plain text too)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def report(facts: dict, command: str, db_url: str, levels: list[int], results: dict,
           rtt: Phase | None, bench: Bench, args) -> str:
    out = []
    out.append("## Machine")
    out.append(f"- date: {facts['date']}")
    out.append(f"- nproc: {facts['nproc']}; CPU: {facts['cpu_model']}; memory: {facts['memory']}")
    out.append(f"- python {facts['python']} on {facts['platform']}")
    out.append(f"- load average at start: {facts['loadavg_start']}; at end: {facts['loadavg_end']}")
    out.append(f"- code: {facts['code']}")
    out.append(f"- database: {db_url}")
    out.append(f"- command: `{command}`")
    out.append(f"- per phase and level: {args.duration:g} s or {args.max_requests} requests per "
               "thread, whichever comes first; one server process (`gecc-queue demo`, "
               f"server {os.environ.get('GECC_SERVER', 'gevent')}); the healthz and ticket "
               f"clients spread over up to {CLIENT_PROCESSES} processes on the same machine")
    out.append("")
    out.append("## Results")
    rows = []
    for lv in levels:
        b, t, c = results[lv]["healthz"], results[lv]["tickets"], results[lv]["call-next"]
        ratio = f"{t.rate / b.rate:.2f}" if b.rate else "-"
        rows.append([str(lv), f"{b.rate:.0f}", ms(pct(b.latencies, 50)), ms(pct(b.latencies, 99)),
                     f"{t.rate:.0f}", ms(pct(t.latencies, 50)), ms(pct(t.latencies, 99)), ratio,
                     f"{c.extra['calls_per_s']:.0f}", str(c.ok), ms(pct(c.latencies, 50)),
                     ms(pct(c.latencies, 99)), ms(max(c.latencies) if c.latencies else None)])
    out.append(table(["clients", "healthz req/s", "p50 ms", "p99 ms", "tickets/s", "p50 ms",
                      "p99 ms", "tickets/healthz", "calls/s", "calls", "call→event p50 ms",
                      "p99 ms", "max ms"], rows))
    out.append("")
    out.append(f"Paced call-next (each client a console pressing Next every {args.pace:g} s, "
               "spread evenly; the latency a clerk sees):")
    out.append("")
    prow = []
    for lv in levels:
        c = results[lv]["call-next-paced"]
        prow.append([str(lv), f"{c.extra['calls_per_s']:.0f}", str(c.ok), ms(pct(c.latencies, 50)),
                     ms(pct(c.latencies, 99)), ms(max(c.latencies) if c.latencies else None),
                     str(c.extra["missing_events"]), str(c.errors)])
    out.append(table(["consoles", "calls/s", "calls", "call→event p50 ms", "p99 ms", "max ms",
                      "missing events", "errors"], prow))
    out.append("")
    out.append("Server process CPU during each phase (% of one core; CPU ms per successful request; "
               "the client's own CPU in %):")
    out.append("")
    crow = []
    for lv in levels:
        cells = [str(lv)]
        for name in ("healthz", "tickets", "call-next"):
            x = results[lv][name].extra
            cells += [f"{x.get('server_cpu_pct', '-')}", f"{x.get('server_cpu_ms_per_req', '-')}",
                      f"{x.get('client_cpu_pct', '-')}"]
        crow.append(cells)
    out.append(table(["clients", "healthz srv %", "ms/req", "client %", "tickets srv %", "ms/req",
                      "client %", "call-next srv %", "ms/req", "client %"], crow))
    out.append("")
    out.append("Errors and checks:")
    for lv in levels:
        b, t, c = results[lv]["healthz"], results[lv]["tickets"], results[lv]["call-next"]
        out.append(f"- {lv} clients: healthz errors {b.errors}, ticket errors {t.errors}, "
                   f"call-next errors {c.errors}, missing ticket_called {c.extra['missing_events']}, "
                   f"queue refills {c.extra['refills']}, call-next HTTP p50/p99 "
                   f"{c.extra['http_p50_ms']}/{c.extra['http_p99_ms']} ms, waiting before the "
                   f"ticket phase {t.extra.get('waiting_before')}, before call-next "
                   f"{c.extra.get('waiting_before')}")
        for p in (b, t, c):
            for e in p.error_samples[:3]:
                out.append(f"  - {p.name}: {e}")
    if rtt is not None:
        out.append(f"- raw Socket.IO round trip (acknowledged `leave`, 1 client, idle server): "
                   f"n={rtt.ok}, p50 {ms(pct(rtt.latencies, 50))} ms, p99 "
                   f"{ms(pct(rtt.latencies, 99))} ms, errors {rtt.errors}")
    out.append(f"- ticket numbers unique per service over all {bench.total_issued} tickets issued, "
               f"and no ticket called twice ({len(bench.called_ids)} calls): "
               + ("yes" if not bench.failures else "NO"))
    out.extend(bench.failures)
    top = max(levels)
    t, c = results[top]["tickets"], results[top]["call-next-paced"]
    p99 = pct(c.latencies, 99)
    met_t = t.rate >= TARGET_TICKETS_PER_S
    met_c = p99 is not None and p99 * 1000 < TARGET_CALL_P99_MS and c.extra["missing_events"] == 0
    out.append("")
    if top != 32:
        out.append("(The issue sets the targets for 32 clients; this run's highest level is shown.)")
    out.append(f"Targets at {top} clients: tickets/s >= {TARGET_TICKETS_PER_S:.0f}: "
               f"{'MET' if met_t else 'NOT MET'} ({t.rate:.0f}); paced call→event p99 < "
               f"{TARGET_CALL_P99_MS:.0f} ms: {'MET' if met_c else 'NOT MET'} ({ms(p99)} ms)")
    return "\n".join(out)


# --- main ----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    ap.add_argument("--levels", default="1,8,32", help="concurrency levels, comma separated")
    ap.add_argument("--db", default=None,
                    help="database URL (default: a new SQLite file in a temp dir). A PostgreSQL "
                         "URL works too; the demo office is seeded only when it is empty, and "
                         "the run adds its tickets to that database")
    ap.add_argument("--duration", type=float, default=None,
                    help="seconds per phase and level (default 6, quick 1)")
    ap.add_argument("--max-requests", type=int, default=None,
                    help="cap of requests per thread per phase (default 5000, quick 200)")
    ap.add_argument("--prefill", type=int, default=None,
                    help="tickets waiting per service before each call-next phase (default 200, quick 30)")
    ap.add_argument("--rev", default=None,
                    help="run the server from this git revision (exported with git archive into "
                         "the temp dir) instead of the working tree, e.g. HEAD or a commit")
    ap.add_argument("--pace", type=float, default=1.0,
                    help="seconds between presses of each console in the paced call-next phase")
    ap.add_argument("--json", default=None, help="also write the results as JSON to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (server log, database)")
    args = ap.parse_args(argv)
    args.duration = args.duration or (1.0 if args.quick else 6.0)
    args.max_requests = args.max_requests or (200 if args.quick else 5000)
    args.prefill = args.prefill if args.prefill is not None else (30 if args.quick else 200)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    if not levels or any(lv < 1 or lv > 256 for lv in levels):
        ap.error("--levels takes numbers between 1 and 256")

    facts = machine_facts()
    workdir = Path(tempfile.mkdtemp(prefix="gecc-bench-"))
    db_url = args.db or f"sqlite:///{workdir}/bench.sqlite3"
    port = free_port()
    command = " ".join(["python", "bench/bench_queue.py"] + (argv if argv is not None else sys.argv[1:]))
    code_dir = workdir / "code" if args.rev else None
    server = Server(db_url, port, workdir, code_dir)
    events: DisplayEvents | None = None
    started = now()
    try:
        if args.rev:
            facts["code"] = f"{export_revision(args.rev, code_dir)} (exported with --rev {args.rev})"
        print(f"starting server on port {port} ({db_url}) ...", flush=True)
        server.start()
        token = create_token(db_url, workdir, code_dir)
        bench = Bench(server.base, token, args,
                      kiosk_token=create_token(db_url, workdir, code_dir, device="bench-kiosk"))
        print(f"services {bench.services}, open counters {sorted(bench.counters)}", flush=True)

        results: dict[int, dict[str, Phase]] = {lv: {} for lv in levels}
        for lv in levels:
            print(f"baseline GET /healthz, {lv} clients ...", flush=True)
            results[lv]["healthz"] = measured(server, lambda: bench.baseline(lv))
        rtt = bench.socket_rtt(50 if args.quick else 500)
        for lv in levels:
            print(f"POST /api/v1/tickets, {lv} clients ...", flush=True)
            before = sum(bench.waiting().values())
            results[lv]["tickets"] = measured(server, lambda: bench.tickets(lv))
            results[lv]["tickets"].extra["waiting_before"] = before

        events = DisplayEvents(server.base)
        events.start()
        for lv in levels:
            topped = bench.top_up(args.prefill)
            before = sum(bench.waiting().values())
            print(f"call-next -> ticket_called, {lv} callers ({topped} tickets topped up, "
                  f"{before} waiting) ...", flush=True)
            results[lv]["call-next"] = measured(server, lambda: bench.call_next(lv, events))
            results[lv]["call-next"].extra["waiting_before"] = before
            bench.top_up(args.prefill)
            print(f"paced call-next, {lv} consoles each every {args.pace:g} s ...", flush=True)
            results[lv]["call-next-paced"] = measured(
                server, lambda: bench.call_next(lv, events, interval=args.pace))
            if events.error:
                bench.failures.append(f"FAIL: display listener: {events.error}")
        if events.duplicates:
            bench.failures.append(f"FAIL: {events.duplicates} ticket_called events arrived twice")
        if not server.alive():
            bench.failures.append("FAIL: the server died during the run")
        bench.check_unique()
        facts["loadavg_end"] = loadavg()

        text = report(facts, command, db_url, levels, results, rtt, bench, args)
        print()
        print(text)
        print(f"\n(total run {now() - started:.0f} s)")
        if args.json:
            Path(args.json).write_text(json.dumps({
                "machine": facts, "command": command, "db": db_url,
                "results": {str(lv): {k: p.summary() for k, p in r.items()} for lv, r in results.items()},
                "socketio_rtt": rtt.summary(), "failures": bench.failures,
                "tickets_issued": bench.total_issued}, indent=2, ensure_ascii=False))
        return 1 if bench.failures else 0
    except Exception:
        show_server_log(server)
        raise
    finally:
        if events is not None:
            events.stop()
        stop_and_clean(server, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())
