#!/usr/bin/env python
"""Where the time of one request goes: the app in-process (Flask test client, one thread) on a
fresh SQLite file, with every SQL statement counted and timed, and cProfile around a batch of

  POST /api/v1/tickets                        (kiosk, anonymous)
  POST /api/v1/counters/<id>/call-next        (bearer token)

first on an almost empty day, then again with a backlog of waiting tickets and finished services.

and finally, with the app behind its real threaded Werkzeug server in this process and the load
from a child process, the SQLite write lock: how long each BEGIN IMMEDIATE waited and how long
the lock was then held, at each concurrency level.

    python bench/profile_queue.py [--n 200] [--backlog 1500] [--top 25] [--levels 1,8,32]
    python bench/profile_queue.py --only-lock --levels 1,8,32 --duration 5
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_queue, for --rev


def _call_site() -> str:
    """The use-case function and the repository function that issued the current statement."""
    f = sys._getframe(2)
    repo = use = None
    while f is not None:
        name = f.f_code.co_filename
        if "queue_server" in name and "adapters/db.py" not in name:
            where = f"{os.path.basename(name)}:{f.f_code.co_name}"
            if repo is None:
                repo = where
            elif "service_layer" in name or "web" in name:
                use = where
                break
        f = f.f_back
    return f"{use or '-'} -> {repo or '(engine: begin/commit)'}"


class SqlMeter:
    """Counts and times each SQL statement shape (literals folded) on an engine, and counts
    statements by call site."""

    def __init__(self, engine):
        import sqlalchemy as sa
        self.stats = defaultdict(lambda: [0, 0.0])
        self.sites = defaultdict(int)
        self.enabled = False
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, params, context, executemany):
        conn.info.setdefault("_t0", []).append(time.perf_counter())

    def _after(self, conn, cursor, statement, params, context, executemany):
        t = time.perf_counter() - conn.info["_t0"].pop()
        if self.enabled:
            key = re.sub(r"\s+", " ", statement).strip()
            s = self.stats[key]
            s[0] += 1
            s[1] += t
            self.sites[_call_site()] += 1

    def reset(self):
        self.stats.clear()
        self.sites.clear()

    def report(self, requests_: int, wall: float, top: int = 12) -> str:
        n = sum(c for c, _ in self.stats.values())
        t = sum(x for _, x in self.stats.values())
        out = [f"  {requests_} requests, {wall / requests_ * 1000:.2f} ms each; "
               f"{n / requests_:.1f} SQL statements per request taking {t / requests_ * 1000:.2f} ms "
               f"({t / wall * 100:.0f}% of the wall time)"]
        for stmt, (c, x) in sorted(self.stats.items(), key=lambda kv: -kv[1][1])[:top]:
            out.append(f"    {x / requests_ * 1000:7.3f} ms/req  {c / requests_:5.1f}x  {stmt[:150]}")
        out.append("  statements per request by call site (use case -> repository):")
        for site, c in sorted(self.sites.items(), key=lambda kv: -kv[1])[:top + 4]:
            out.append(f"    {c / requests_:5.2f}  {site}")
        return "\n".join(out)


CALLEES = [r"queue.py:\d+\(run\)", r"queue.py:\d+\(_call\)", r"_after_ticket_change",
           r"_ticket_view", r"_notify_queue", r"queue_stats", r"auth.py:\d+\(wrapped\)"]


def profile_batch(label: str, fn, n: int, meter: SqlMeter, top: int, start: int = 0) -> None:
    """Time `n` calls plainly, then `n` more with the SQL meter and cProfile."""
    t0 = time.perf_counter()
    for i in range(start, start + n):
        fn(i)
    plain = time.perf_counter() - t0
    meter.reset()
    meter.enabled = True
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for i in range(start + n, start + 2 * n):
        fn(i)
    prof.disable()
    wall = time.perf_counter() - t0
    meter.enabled = False
    print(f"\n=== {label}")
    print(f"  without the profiler: {plain / n * 1000:.2f} ms per request (one thread, in-process)")
    print(meter.report(n, wall))
    for sort in ("tottime", "cumulative"):
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(sort)
        st.print_stats(top)
        lines = [l for l in buf.getvalue().splitlines() if l.strip()]
        first = next(i for i, l in enumerate(lines) if "ncalls" in l)
        print(f"  --- cProfile by {sort} (for {n} requests)")
        for l in lines[first:first + top + 1]:
            print("  " + l)
    stats = pstats.Stats(prof).strip_dirs()
    total = sum(v[3] for k, v in stats.stats.items() if k[2] == fn.__name__)
    print(f"  --- where the time of the use case goes (cumulative ms per request; "
          f"{total / n * 1000:.2f} ms per request under the profiler)")
    for pattern in CALLEES:
        for func, (cc, nc, tt, ct, callers) in stats.stats.items():
            name = f"{func[0]}:{func[1]}({func[2]})"
            if not re.search(pattern, name) or "site-packages" in func[0]:
                continue
            children = []
            for child, (ccc, cnc, ctt, cct, ccallers) in stats.stats.items():
                if func in ccallers:
                    c = ccallers[func]  # (cc, nc, tt, ct) of child as called from func
                    children.append((c[3], c[1], f"{Path(child[0]).name}:{child[2]}"))
            if not children:
                continue
            print(f"    {name}  {ct / n * 1000:.2f} ms/req, {nc / n:.1f} calls/req")
            for ct_, nc_, cname in sorted(children, reverse=True)[:8]:
                if ct_ / n * 1000 >= 0.05:
                    print(f"        {ct_ / n * 1000:6.2f} ms/req {nc_ / n:5.1f}x  {cname}")


class LockMeter:
    """SQLite write lock: how long each BEGIN IMMEDIATE waited, how long the lock was held."""

    def __init__(self, engine):
        import sqlalchemy as sa
        self.waits: list[float] = []
        self.holds: list[float] = []
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)
        sa.event.listen(engine, "commit", self._end)
        sa.event.listen(engine, "rollback", self._end)

    def _before(self, conn, cursor, statement, *a):
        if statement.startswith("BEGIN IMMEDIATE"):
            conn.info["_lock_t0"] = time.perf_counter()

    def _after(self, conn, cursor, statement, *a):
        if statement.startswith("BEGIN IMMEDIATE"):
            t = time.perf_counter()
            self.waits.append(t - conn.info.pop("_lock_t0", t))
            conn.info["_held_since"] = t

    def _end(self, conn):
        t0 = conn.info.pop("_held_since", None)
        if t0 is not None:
            self.holds.append(time.perf_counter() - t0)

    def reset(self):
        self.waits, self.holds = [], []


def _load(port: int, mode: str, n: int, duration: float, token: str, out) -> None:
    """Child process: n threads with their own Session, each POSTing for `duration` seconds."""
    import threading
    import requests
    base = f"http://127.0.0.1:{port}"
    lat: list[float] = []
    lock = threading.Lock()

    def worker(t):
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        end = time.monotonic() + duration
        i = 0
        while time.monotonic() < end and i < 100000:
            t0 = time.monotonic()
            if mode == "tickets":
                r = s.post(base + "/api/v1/tickets", json={"service_id": (t + i) % 5 + 1, "channel": "kiosk"})
            else:
                r = s.post(base + f"/api/v1/counters/{(t + i) % 5 + 1}/call-next", json={})
            with lock:
                lat.append(time.monotonic() - t0)
            i += 1

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.put(lat)


def contention(app, engine, token: str, levels: list[int], duration: float) -> None:
    """The real threaded Werkzeug server in this process, load from a child process; the
    write lock's wait and hold times per transaction, and this process's CPU."""
    import multiprocessing as mp
    import socket
    import threading
    from werkzeug.serving import make_server

    meter = LockMeter(engine)
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    th = threading.Thread(target=server.serve_forever, daemon=True)
    th.start()
    ctx = mp.get_context("spawn")
    pctl = lambda xs, p: (sorted(xs)[min(len(xs) - 1, int(len(xs) * p / 100))] * 1000) if xs else float("nan")
    print("\n=== write lock under concurrency (server threads in-process, load from a child process)")
    print("  mode       clients  req/s  req p50/p99 ms   lock wait p50/p99/max ms   lock held p50/p99 ms  "
          "write txns/req  server CPU %")
    try:
        for mode in ("tickets", "call-next"):
            for n in levels:
                meter.reset()
                q = ctx.Queue()
                proc = ctx.Process(target=_load, args=(port, mode, n, duration, token, q))
                c0 = sum(os.times()[:2])
                t0 = time.perf_counter()
                proc.start()
                lat = q.get(timeout=duration + 120)
                proc.join(timeout=30)
                wall = time.perf_counter() - t0
                cpu = sum(os.times()[:2]) - c0
                print(f"  {mode:<10} {n:7d} {len(lat) / duration:6.0f}  {pctl(lat, 50):6.1f}/{pctl(lat, 99):7.1f}"
                      f"   {pctl(meter.waits, 50):6.1f}/{pctl(meter.waits, 99):7.1f}/"
                      f"{max(meter.waits, default=0) * 1000:7.1f}      {pctl(meter.holds, 50):5.1f}/"
                      f"{pctl(meter.holds, 99):6.1f}         {len(meter.waits) / max(1, len(lat)):4.1f}"
                      f"           {cpu / wall * 100:4.0f}")
    finally:
        server.shutdown()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--backlog", type=int, default=1500)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--db", default=None)
    ap.add_argument("--levels", default="1,8,32", help="client threads for the write-lock section")
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per write-lock run")
    ap.add_argument("--rev", default=None,
                    help="profile this git revision (exported with git archive) instead of the working tree")
    ap.add_argument("--only-lock", action="store_true", help="only the write-lock section")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="gecc-prof-"))
    url = args.db or f"sqlite:///{tmp}/prof.sqlite3"
    os.environ["GECC_SECRET_KEY"] = "bench"
    try:
        if args.rev:
            from bench_queue import export_revision
            print(f"code: {export_revision(args.rev, tmp / 'code')} (--rev {args.rev})")
            sys.path.insert(0, str(tmp / "code"))
        from queue_server.adapters.migrate import upgrade
        from queue_server.app import create_app
        from queue_server.seed import seed_demo_office
        import logging

        upgrade(url)
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        logging.getLogger().setLevel(logging.WARNING)
        services = app.extensions["gecc"]
        seed_demo_office(services, app.config["TIMEZONE"])
        token = services.accounts.create_token("manager", "profile")
        from queue_server.domain.model import device_username
        services.accounts.ensure_device(services.queries.office()["id"], "profile-kiosk")
        kiosk_auth = {"Authorization": "Bearer "
                      + services.accounts.create_token(device_username("profile-kiosk"), "profile")}
        import queue_server.app
        print(f"queue_server from {Path(queue_server.app.__file__).parent}")
        meter = SqlMeter(services.engine)
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        sids = [s["id"] for s in client.get("/api/v1/services").get_json()]

        def issue(i):
            r = client.post("/api/v1/tickets", headers=kiosk_auth,
                            json={"service_id": sids[i % len(sids)], "channel": "kiosk"})
            assert r.status_code == 201, r.get_data(as_text=True)

        def call(i):
            r = client.post(f"/api/v1/counters/{i % 5 + 1}/call-next", json={}, headers=auth)
            assert r.status_code in (200, 404), r.get_data(as_text=True)

        def health(i):
            assert client.get("/healthz").status_code == 200

        for i in range(20):  # warm up
            issue(i)
            health(i)
        if args.only_lock:
            contention(app, services.engine, token, [int(x) for x in args.levels.split(",")],
                       args.duration)
            return 0
        profile_batch("GET /healthz (baseline)", health, args.n, meter, 8)
        profile_batch("POST /api/v1/tickets, small queue", issue, args.n, meter, args.top)
        profile_batch("POST call-next, small queue", call, args.n, meter, args.top, 2 * args.n)

        t0 = time.perf_counter()
        for i in range(args.backlog):
            issue(i)
        for i in range(args.backlog // 3):
            call(i)
        print(f"\n(backlog: {args.backlog} issued, {args.backlog // 3} called, "
              f"{time.perf_counter() - t0:.1f} s)")
        profile_batch("POST /api/v1/tickets, backlog", issue, args.n, meter, args.top)
        profile_batch("POST call-next, backlog", call, args.n, meter, args.top, 4 * args.n)
        meter.enabled = False
        contention(app, services.engine, token, [int(x) for x in args.levels.split(",")],
                   args.duration)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
