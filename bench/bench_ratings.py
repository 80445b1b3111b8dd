#!/usr/bin/env python
"""Benchmark satisfaction ratings on the real GECC Queue server.

It starts `gecc-queue demo` on a fresh SQLite file (public rate limit lifted for the run: one
address sends everything), finishes a stock of visits through the API (issue, call-next,
finish, as clerks do), and measures:

  baseline     GET /healthz at the same concurrency, and its server CPU per request
  ratings      POST /api/v1/ratings (closed loop, each client rating its own finished visits,
               scores 1-5 so low ones raise alerts) per second, p50/p99, server CPU per rating;
               every answer must be 201 and the server must hold exactly one rating a visit
  phone        finish -> the rating form on the citizen's phone: a Chromium page at 390x844 on
               /t/<token> (live over Socket.IO); from just before POST .../finish until the faces
               (`[data-score]`, the contract) are visible, without a reload. Its baseline, in
               the same run: call-next -> the same page showing the counter that called it.

    python bench/bench_ratings.py                 # about a minute
    python bench/bench_ratings.py --quick         # smoke run
    python bench/bench_ratings.py --no-browser    # ratings/s only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queue import (Phase, Server, create_token, machine_facts, merge_phase,  # noqa: E402
                         phase_part, run_clients)
from common import free_port, now, pct, show_server_log, stop_and_clean  # noqa: E402

def finish_visits(base: str, token: str, count: int) -> list[str]:
    """`count` finished visits (their tokens), each issued, called and finished by the API."""
    headers = {"Authorization": f"Bearer {token}"}
    counters = requests.get(f"{base}/api/v1/counters", headers=headers, timeout=30).json()
    tokens: list[str] = []
    lock = threading.Lock()

    def clerk(counter: dict, share: int) -> None:
        s = requests.Session()
        for _ in range(share):
            ticket = s.post(f"{base}/api/v1/tickets", json={"service_id": counter["service_ids"][0]},
                            timeout=30).json()
            s.post(f"{base}/api/v1/counters/{counter['id']}/call", json={"ticket_id": ticket["id"]},
                   headers=headers, timeout=30).raise_for_status()
            s.post(f"{base}/api/v1/tickets/{ticket['id']}/finish", json={}, headers=headers,
                   timeout=30).raise_for_status()
            with lock:
                tokens.append(ticket["token"])

    shares = [count // len(counters) + (1 if k < count % len(counters) else 0)
              for k in range(len(counters))]
    threads = [threading.Thread(target=clerk, args=(c, n)) for c, n in zip(counters, shares)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return tokens


def closed_loop(name: str, base: str, level: int, per_thread: int, duration: float, request) -> Phase:
    ph = Phase(name, level)
    lock = threading.Lock()

    def work(s, t, i):
        t0 = now()
        try:
            good, why = request(s, t, i)
        except requests.RequestException as exc:
            good, why = False, type(exc).__name__
        ph.count(lock, t0, good, why)

    ph.elapsed = run_clients(level, duration, per_thread, work, lambda t: requests.Session(),
                             lambda: phase_part(ph), lambda part: merge_phase(ph, part))
    return ph


def with_cpu(server: Server, measure) -> Phase:
    before = server.cpu_seconds()
    ph = measure()
    after = server.cpu_seconds()
    if before is not None and after is not None and ph.ok:
        ph.extra["server_cpu_ms_per_request"] = round((after - before) / ph.ok * 1000, 3)
    return ph


def phone_latency(base: str, token: str, visits: int) -> tuple[list[float], list[float]]:
    """(call-next -> page shows the counter, finish -> page shows the faces) in seconds."""
    from playwright.sync_api import sync_playwright

    headers = {"Authorization": f"Bearer {token}"}
    called_s, form_s = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                      locale="th-TH", timezone_id="Asia/Bangkok")
        s = requests.Session()
        for _ in range(visits):
            ticket = s.post(f"{base}/api/v1/tickets", json={"service_id": 1}, timeout=30).json()
            page = context.new_page()
            page.goto(f"{base}/t/{ticket['token']}")
            page.wait_for_load_state("networkidle")
            t0 = now()
            called = s.post(f"{base}/api/v1/counters/1/call-next", json={}, headers=headers,
                            timeout=30).json()
            page.get_by_text(called["counter"]["name"]).first.wait_for(timeout=10_000)
            called_s.append(now() - t0)
            t0 = now()
            s.post(f"{base}/api/v1/tickets/{called['id']}/finish", json={}, headers=headers,
                   timeout=30).raise_for_status()
            page.locator('[data-score="5"]').wait_for(state="visible", timeout=10_000)
            form_s.append(now() - t0)
            page.close()
        browser.close()
    return called_s, form_s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--level", type=int, default=32, help="concurrent clients")
    ap.add_argument("--visits", type=int, default=None, help="finished visits to rate (default 3000)")
    ap.add_argument("--phones", type=int, default=None, help="phone latency samples (default 40)")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--json", default=None)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    visits = args.visits or (300 if args.quick else 3000)
    phones = args.phones or (5 if args.quick else 40)
    duration = 2.0 if args.quick else 8.0

    facts = machine_facts()
    workdir = Path(tempfile.mkdtemp(prefix="gecc-bench-ratings-"))
    db_url = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["GECC_PUBLIC_RATE_LIMIT"] = "1000000 per minute"  # one address sends everything
    server = Server(db_url, free_port(), workdir)
    results: dict[str, object] = {"machine": facts}
    try:
        server.start()
        token = create_token(db_url, workdir)
        t0 = now()
        tokens = finish_visits(server.base, token, visits)
        print(f"{len(tokens)} visits finished in {now() - t0:.1f} s", flush=True)

        level = args.level
        per_thread = len(tokens) // level
        mine = [tokens[t::level][:per_thread] for t in range(level)]

        def healthz(s, t, i):
            r = s.get(server.base + "/healthz", timeout=30)
            return r.status_code == 200, f"HTTP {r.status_code}"

        def rating(s, t, i):
            score = 1 + (t * 7 + i) % 5
            r = s.post(server.base + "/api/v1/ratings", timeout=30, json={
                "token": mine[t][i], "score": score,
                **({"comment": "รอนานเกินไป"} if score <= 2 else {})})
            return r.status_code == 201, f"HTTP {r.status_code} {r.text[:100]}"

        base_ph = with_cpu(server, lambda: closed_loop("healthz", server.base, level, 10**6,
                                                       duration, healthz))
        rate_ph = with_cpu(server, lambda: closed_loop("ratings", server.base, level, per_thread,
                                                       duration * 4, rating))
        results["healthz"], results["ratings"] = base_ph.summary(), rate_ph.summary()
        check = requests.get(f"{server.base}/api/v1/evidence",
                             headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        stored = check["satisfaction"]["ratings"]
        results["stored_ratings"] = stored
        failures = [] if stored == rate_ph.ok and not rate_ph.errors else [
            f"FAIL: {rate_ph.ok} ratings accepted, {rate_ph.errors} refused, {stored} stored"]

        lines = [
            f"machine: {facts['cpu_model']} ({facts['nproc']} cores), load {facts['loadavg_start']}, {facts['date']}",
            f"{'phase':<10} {'clients':>7} {'ok':>6} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms/req':>10}"]
        for ph in (base_ph, rate_ph):
            s = {k: "-" if v is None else v for k, v in ph.summary().items()}
            lines.append(f"{s['name']:<10} {level:>7} {s['ok']:>6} {s['rate_per_s']:>8} "
                         f"{s['p50_ms']:>8} {s['p99_ms']:>8} {s.get('server_cpu_ms_per_request', '-'):>10}")
            if ph.errors:
                lines.append(f"  {ph.errors} errors, e.g. {ph.error_samples[:3]}")
        if base_ph.rate:
            lines.append(f"ratings/s = {rate_ph.rate / base_ph.rate:.2f} x healthz req/s; "
                         f"{stored} ratings stored, one per visit")

        if not args.no_browser:
            called_s, form_s = phone_latency(server.base, token, phones)
            results["phone"] = {
                "samples": len(form_s),
                "call_to_counter_shown_ms": {"p50": round(pct(called_s, 50) * 1000, 1),
                                             "p99": round(pct(called_s, 99) * 1000, 1)},
                "finish_to_form_ms": {"p50": round(pct(form_s, 50) * 1000, 1),
                                      "p99": round(pct(form_s, 99) * 1000, 1)}}
            ph = results["phone"]
            lines.append(f"phone 390x844, {len(form_s)} visits: finish -> faces p50 "
                         f"{ph['finish_to_form_ms']['p50']} / p99 {ph['finish_to_form_ms']['p99']} ms; "
                         f"baseline call -> counter shown p50 {ph['call_to_counter_shown_ms']['p50']} "
                         f"/ p99 {ph['call_to_counter_shown_ms']['p99']} ms")
        lines += failures
        print("\n".join(lines))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
        return 1 if failures else 0
    except Exception:
        show_server_log(server)
        raise
    finally:
        stop_and_clean(server, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())
