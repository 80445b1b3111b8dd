#!/usr/bin/env python
"""Benchmark in a real browser: a clerk's click on Call next -> the number on the lobby TV,
with and without 200 other lobby displays connected.

It starts `gecc-queue demo` as a subprocess on a free port and a fresh SQLite file, opens two
pages in Debian's headless Chromium (driven by Playwright, each page in its own browser
context, as in tests/browser): the lobby display (/display, 1920x1080, sound overlay clicked
away) and the counter console (/counter, 1366x768, logged in as staff1, counter 1). Then, in two
phases of the same run:

  baseline   0 other display clients: only the browser's lobby page is in room `display`
  others     N (default 200) other display clients: python-socketio clients in this process,
             websocket transport, each joined to room `display` with emit("join", ...); each one
             counts the `ticket_called` events it receives, which shows that they are live

each phase clicks the console's Call next button up to --calls times (default 100). The
latency of a call runs from the click to the moment the display's #now-number shows the called
number. Both are timestamped in the pages (performance.timeOrigin + performance.now()): the
console by a capturing click listener, the display by a MutationObserver on #now-number. Both
pages are in the same browser on the same machine; the skew between the two pages' clocks is
measured and printed. The number called is the one the console then shows in #cur-number.

The console holds Call next for 1.5 s after each call (no double calls): the script waits until
the button is enabled again before the next click, so the calls are about 1.6 s apart. After
each call one ticket is issued for counter 1's service with POST /api/v1/tickets, so the queue
never runs dry (and it starts topped up).

Every loop is bounded by count and by time (a run takes about 5.5 minutes); the server and the
browser are always stopped at the end.

    python bench/bench_browser.py
    python bench/bench_browser.py --calls 20 --others 50     # smoke run, about 1.5 minutes
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queue import Server, create_token, machine_facts  # noqa: E402
from common import free_port, loadavg, now, pct, show_server_log, stop_and_clean  # noqa: E402

CHROMIUM = os.environ.get("GECC_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
COUNTER_ID = 1          # staff1's counter in the demo office; it serves service A only
SERVICE_CODE = "A"
PREFILL = 20            # waiting tickets in service A before each phase
CALL_TIMEOUT_MS = 10_000


# --- the pages -------------------------------------------------------------------------------

def new_page(browser, url: str, width: int, height: int, errors: list):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error, page=page: errors.append(f"{page.url}: {error}"))
    page.goto(url)
    return context, page


def open_display(browser, base: str, errors: list):
    """The lobby TV, sound overlay clicked away, connected, first snapshot drawn; records in
    window.shownAt when #now-number first shows each text (page clock, ms since the epoch)."""
    context, page = new_page(browser, f"{base}/display", 1920, 1080, errors)
    if page.locator("#sound-overlay").is_visible():
        page.click("#sound-button")
    page.locator("#sound-overlay").wait_for(state="hidden")
    page.wait_for_function("window.lobbyState && window.lobbyState.office !== null"
                           " && !document.body.classList.contains('is-offline')")
    page.evaluate("""() => {
        window.shownAt = {};
        const el = document.querySelector('#now-number');
        new MutationObserver(() => {
            const t = performance.timeOrigin + performance.now();
            const text = el.textContent;
            if (!(text in window.shownAt)) window.shownAt[text] = t;
        }).observe(el, {childList: true, characterData: true, subtree: true});
    }""")
    return context, page


def open_console(browser, base: str, errors: list):
    """The clerk's console, logged in as staff1, on counter 1, ready to call; records in
    window.clicks the time of every click on Call next and in window.curAt when #cur-number
    first shows each text."""
    context, page = new_page(browser, f"{base}/login", 1366, 768, errors)
    page.fill("#username", "staff1")
    page.fill("#password", "staff1-demo")
    with page.expect_navigation():
        page.click("button[type=submit]")
    if "/login" in page.url:
        raise RuntimeError("login as staff1 failed")
    page.goto(f"{base}/counter")
    page.wait_for_function("document.querySelector('#counter-select').dataset.filled === '1'")
    select = page.locator("#counter-select")
    if select.input_value() != str(COUNTER_ID):
        select.select_option(str(COUNTER_ID))
    page.wait_for_function("!document.querySelector('[data-action=next]').disabled"
                           " && !document.body.classList.contains('is-offline')")
    page.evaluate("""() => {
        window.clicks = [];
        document.addEventListener('click', (e) => {
            if (e.target.closest('[data-action=next]'))
                window.clicks.push(performance.timeOrigin + performance.now());
        }, true);
        window.curAt = {};
        const el = document.querySelector('#cur-number');
        new MutationObserver(() => {
            const t = performance.timeOrigin + performance.now();
            const text = el.textContent;
            if (!(text in window.curAt)) window.curAt[text] = t;
        }).observe(el, {childList: true, characterData: true, subtree: true});
    }""")
    return context, page


CLOCK_JS = """() => {
    const d = [];
    for (let i = 0; i < 200; i++) d.push(performance.timeOrigin + performance.now() - Date.now());
    return d.reduce((a, b) => a + b, 0) / d.length;
}"""


def clock_skew(console, display) -> float:
    """(display page clock - console page clock) in ms, each page against Date.now() (the
    system clock, 1 ms resolution, averaged)."""
    samples = []
    for _ in range(5):
        samples.append(display.evaluate(CLOCK_JS) - console.evaluate(CLOCK_JS))
    return sorted(samples)[len(samples) // 2]


# --- the other display clients ---------------------------------------------------------------

class Others:
    """N python-socketio clients joined to room `display`; per called number, how many of them
    received its `ticket_called` and when the last one did (time.time(), ms)."""

    def __init__(self, base: str, n: int):
        self.base, self.n = base, n
        self.clients: list = []
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.received: dict[str, int] = defaultdict(int)
        self.last_at: dict[str, float] = {}
        self.disconnects = 0

    def _on_called(self, data) -> None:
        t = time.time() * 1000.0
        number = data.get("number") if isinstance(data, dict) else None
        with self.cond:
            self.received[number] += 1
            self.last_at[number] = t
            self.cond.notify_all()

    def _on_disconnect(self, *args) -> None:
        with self.lock:
            self.disconnects += 1

    def _connect_one(self, i: int):
        import socketio
        client = socketio.Client(reconnection=False)
        joined = threading.Event()
        client.on("snapshot", lambda data: joined.set())
        client.on("ticket_called", self._on_called)
        client.on("disconnect", self._on_disconnect)
        client.connect(self.base, transports=["websocket"], wait_timeout=15)
        client.emit("join", {"room": "display"})
        if not joined.wait(20):
            client.disconnect()
            raise RuntimeError(f"client {i}: no snapshot after join")
        return client

    def connect(self, timeout: float = 90.0) -> float:
        started = now()
        with cf.ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(self._connect_one, i) for i in range(self.n)]
            done, pending = cf.wait(futures, timeout=timeout)
            for f in pending:
                f.cancel()
            errors = []
            for f in done:
                try:
                    self.clients.append(f.result())
                except Exception as exc:  # reported below
                    errors.append(f"{type(exc).__name__}: {exc}")
        if len(self.clients) != self.n:
            raise RuntimeError(f"only {len(self.clients)} of {self.n} display clients joined "
                               f"within {timeout:.0f} s: {errors[:3]}")
        return now() - started

    def wait_all(self, number: str, timeout: float) -> int:
        deadline = now() + timeout
        with self.cond:
            while self.received.get(number, 0) < self.n:
                left = deadline - now()
                if left <= 0:
                    break
                self.cond.wait(left)
            return self.received.get(number, 0)

    def connected(self) -> int:
        return sum(1 for c in self.clients if c.connected)

    def close(self) -> None:
        pool = cf.ThreadPoolExecutor(max_workers=16)
        futures = [pool.submit(_quiet, c.disconnect) for c in self.clients]
        cf.wait(futures, timeout=30)
        pool.shutdown(wait=False, cancel_futures=True)
        self.clients = []


def _quiet(fn) -> None:
    try:
        fn()
    except Exception:
        pass


# --- a phase -----------------------------------------------------------------------------------

@dataclass
class Phase:
    others: int
    calls: int = 0
    missing: int = 0             # clicks that gave no number on the display within 10 s
    elapsed: float = 0.0
    lobby_ms: list[float] = field(default_factory=list)      # click -> display shows it
    console_ms: list[float] = field(default_factory=list)    # click -> console shows it
    fanout_ms: list[float] = field(default_factory=list)     # click -> last other client got it
    received: list[int] = field(default_factory=list)        # others that got each call
    cpu_s: float | None = None
    own_cpu_s: float = 0.0       # this process: the other clients, Playwright's driver
    load_end: str = ""
    stopped_by_time: bool = False
    errors: list[str] = field(default_factory=list)


class Bench:
    def __init__(self, base: str, console, display, args, kiosk_token: str):
        self.base, self.console, self.display, self.args = base, console, display, args
        self.http = requests.Session()
        self.kiosk_auth = {"Authorization": f"Bearer {kiosk_token}"}  # issues as a kiosk
        services = self.http.get(f"{base}/api/v1/services", timeout=10).json()
        self.service_id = next(s["id"] for s in services if s.get("code") == SERVICE_CODE)
        self.issued = 0

    def waiting(self) -> int:
        services = self.http.get(f"{self.base}/api/v1/services", timeout=10).json()
        return next(s["waiting"] for s in services if s["id"] == self.service_id)

    def issue(self, count: int = 1) -> None:
        for _ in range(count):
            r = self.http.post(f"{self.base}/api/v1/tickets", headers=self.kiosk_auth,
                               json={"service_id": self.service_id, "channel": "kiosk"}, timeout=30)
            if r.status_code != 201:
                raise RuntimeError(f"POST /api/v1/tickets: HTTP {r.status_code} {r.text[:200]}")
            self.issued += 1

    def top_up(self, target: int = PREFILL) -> None:
        self.issue(max(0, target - self.waiting()))

    def one_call(self, others: Others | None) -> tuple[str | None, float | None, float | None,
                                                        float | None, int | None, str | None]:
        """Click Call next once the console allows it; (number, click->lobby ms,
        click->console ms, click->last other ms, others that got it, error)."""
        console, display = self.console, self.display
        console.wait_for_function("!document.querySelector('[data-action=next]').disabled"
                                  " && !document.body.classList.contains('is-offline')",
                                  polling=10, timeout=CALL_TIMEOUT_MS)
        before = console.evaluate("[window.clicks.length,"
                                  " document.querySelector('#cur-number').textContent]")
        console.click("[data-action=next]")
        try:
            console.wait_for_function(
                "([n, prev]) => window.clicks.length > n"
                " && document.querySelector('#cur-number').textContent !== prev"
                " && document.querySelector('#cur-number').textContent !== ''",
                arg=before, polling=10, timeout=CALL_TIMEOUT_MS)
        except Exception as exc:
            return None, None, None, None, None, f"console showed no new number: {type(exc).__name__}"
        number, clicked, cur_at = console.evaluate(
            "() => { const n = document.querySelector('#cur-number').textContent;"
            " return [n, window.clicks[window.clicks.length - 1], window.curAt[n]]; }")
        try:
            display.wait_for_function("(n) => n in window.shownAt", arg=number,
                                      polling=10, timeout=CALL_TIMEOUT_MS)
        except Exception as exc:
            return number, None, None, None, None, f"{number} not on the display: {type(exc).__name__}"
        shown = display.evaluate("(n) => window.shownAt[n]", number)
        got, fanout = None, None
        if others is not None:
            got = others.wait_all(number, timeout=1.2)
            last = others.last_at.get(number)
            if got == others.n and last is not None:
                fanout = last - clicked
        console_ms = None if cur_at is None else cur_at - clicked
        return number, shown - clicked, console_ms, fanout, got, None

    def phase(self, others: Others | None, calls: int, deadline: float, server: Server) -> Phase:
        ph = Phase(others.n if others else 0)
        self.top_up()
        cpu0, t0, own0 = server.cpu_seconds(), now(), _own_cpu()
        for i in range(calls):
            if now() >= deadline:
                ph.stopped_by_time = True
                break
            number, lobby, cons, fanout, got, error = self.one_call(others)
            ph.calls += 1
            if error:
                ph.missing += 1
                ph.errors.append(error)
            else:
                ph.lobby_ms.append(lobby)
                if cons is not None:
                    ph.console_ms.append(cons)
                if fanout is not None:
                    ph.fanout_ms.append(fanout)
                if got is not None:
                    ph.received.append(got)
            self.issue(1)                     # keep the queue topped up (not timed)
            if (i + 1) % 25 == 0:
                print(f"  {i + 1} calls, last {number}: {lobby if lobby is None else round(lobby, 1)} ms",
                      flush=True)
        ph.elapsed = now() - t0
        ph.own_cpu_s = _own_cpu() - own0
        ph.load_end = loadavg()
        cpu1 = server.cpu_seconds()
        if cpu0 is not None and cpu1 is not None:
            ph.cpu_s = cpu1 - cpu0
        return ph


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system


# --- the report --------------------------------------------------------------------------------

def f1(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("-" * (len(h) + 1) + ":" for h in headers) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def report(facts: dict, command: str, phases: list[Phase], skew: float, connect_s: float | None,
           others_state: str) -> str:
    out = [
        f"date: {facts['date']}",
        f"machine: {facts['nproc']} CPUs ({facts['cpu_model']}), {facts['memory']} RAM, "
        f"{facts['platform']}, Python {facts['python']}",
        f"browser: {facts.get('browser', '?')} (headless, Playwright {facts.get('playwright', '?')})",
        f"code: {facts['code']}",
        f"load average: start {facts['loadavg_start']}, end {facts.get('loadavg_end', '?')}",
        f"command: {command}",
        f"page clock skew (display - console): {skew:+.2f} ms",
    ]
    if connect_s is not None:
        out.append(f"other display clients: joined in {connect_s:.1f} s; {others_state}")
    out.append("")
    rows = []
    for ph in phases:
        recv = (f"{min(ph.received)}-{max(ph.received)} of {ph.others}" if ph.received
                else ("-" if ph.others == 0 else f"0 of {ph.others}"))
        cpu = "-" if ph.cpu_s is None or ph.elapsed <= 0 else f"{100 * ph.cpu_s / ph.elapsed:.0f}"
        rows.append([
            f"{ph.others}", f"{len(ph.lobby_ms)}/{ph.calls}",
            f1(pct(ph.lobby_ms, 50)), f1(pct(ph.lobby_ms, 99)),
            f1(max(ph.lobby_ms) if ph.lobby_ms else None),
            f1(pct(ph.console_ms, 50)), f1(pct(ph.console_ms, 99)),
            recv, f1(pct(ph.fanout_ms, 50)), f1(pct(ph.fanout_ms, 99)),
            f"{ph.missing}", cpu,
            f"{100 * ph.own_cpu_s / ph.elapsed:.0f}" if ph.elapsed > 0 else "-",
            ph.load_end.split()[0] if ph.load_end else "-", f"{ph.elapsed:.0f}"])
    out.append(table(["other displays", "calls", "click→lobby p50 ms", "p99 ms", "max ms",
                      "click→console p50 ms", "p99 ms", "others got each call",
                      "click→last other p50 ms", "p99 ms", "missing", "server CPU %",
                      "bench CPU %", "load 1-min at end", "phase s"], rows))
    for ph in phases:
        if ph.stopped_by_time:
            out.append(f"note: the {ph.others}-others phase stopped at its time limit after {ph.calls} calls")
        for e in ph.errors[:5]:
            out.append(f"error ({ph.others} others): {e}")
    out += ["",
            "click→lobby: console click event -> the display's #now-number shows the number (page clocks).",
            "click→console: click -> the console's #cur-number shows it (after the HTTP answer).",
            "click→last other: click -> the last of the other display clients received ticket_called",
            "  (python time.time() in the bench process against the console page's clock)."]
    return "\n".join(out)


# --- main --------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=100, help="calls per phase (default 100)")
    ap.add_argument("--others", type=int, default=200, help="other display clients (default 200)")
    ap.add_argument("--phase-limit", type=float, default=175.0,
                    help="seconds at most per phase (default 175)")
    ap.add_argument("--time-limit", type=float, default=355.0,
                    help="seconds at most for the whole run (default 355)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (server log, database)")
    args = ap.parse_args(argv)
    command = " ".join(["python", "bench/bench_browser.py"] + (argv if argv is not None else sys.argv[1:]))
    started = now()
    run_deadline = started + args.time_limit

    facts = machine_facts()
    facts["date"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    print(f"date {facts['date']}; {facts['nproc']} CPUs ({facts['cpu_model']}), {facts['memory']}, "
          f"Python {facts['python']}; code {facts['code']}; load {facts['loadavg_start']}", flush=True)
    print(f"command: {command}", flush=True)
    if not os.path.exists(CHROMIUM):
        print(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set GECC_CHROMIUM)",
              file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    from importlib.metadata import version

    workdir = Path(tempfile.mkdtemp(prefix="gecc-bench-browser-"))
    db_url = f"sqlite:///{workdir}/bench.sqlite3"
    server = Server(db_url, free_port(), workdir)
    others: Others | None = None
    errors: list[str] = []
    failures: list[str] = []
    try:
        print(f"starting server on port {server.port} ({db_url}) ...", flush=True)
        server.start()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                facts["browser"] = f"Chromium {browser.version}"
                facts["playwright"] = version("playwright")
                _, display = open_display(browser, server.base, errors)
                _, console = open_console(browser, server.base, errors)
                vis = [pg.evaluate("document.visibilityState") for pg in (display, console)]
                skew = clock_skew(console, display)
                print(f"pages ready (visibility display/console: {vis}); "
                      f"page clock skew {skew:+.2f} ms", flush=True)
                bench = Bench(server.base, console, display, args,
                              kiosk_token=create_token(db_url, workdir, device="bench-kiosk"))

                phases: list[Phase] = []
                bench.top_up()
                bench.one_call(None)            # warm-up, not counted
                print(f"baseline: {args.calls} calls, 0 other display clients ...", flush=True)
                phases.append(bench.phase(None, args.calls,
                                          min(now() + args.phase_limit, run_deadline - 20), server))

                connect_s = None
                others_state = ""
                if args.others > 0 and now() < run_deadline - 30:
                    print(f"connecting {args.others} other display clients ...", flush=True)
                    others = Others(server.base, args.others)
                    connect_s = others.connect(timeout=min(90.0, run_deadline - now() - 20))
                    print(f"  joined in {connect_s:.1f} s", flush=True)
                    print(f"{args.calls} calls, {args.others} other display clients ...", flush=True)
                    phases.append(bench.phase(others, args.calls,
                                              min(now() + args.phase_limit, run_deadline - 10),
                                              server))
                    still = others.connected()
                    others_state = (f"{still} of {others.n} still connected at the end, "
                                    f"{others.disconnects} disconnects during the run")
                    if still != others.n or others.disconnects:
                        failures.append(f"FAIL: other display clients dropped: {others_state}")
                    short = [g for g in phases[-1].received if g != others.n]
                    if short:
                        failures.append(f"FAIL: {len(short)} calls reached fewer than {others.n} "
                                        f"other clients within 1.2 s of the display")
                elif args.others > 0:
                    failures.append("FAIL: no time left for the phase with other display clients")
                if display.evaluate("document.body.classList.contains('is-offline')"):
                    failures.append("FAIL: the lobby page was offline at the end")
                if not server.alive():
                    failures.append("FAIL: the server died during the run")
            finally:
                browser.close()
                # The server goes first: a client's disconnect from a live server waits about
                # 3 s for its goodbye, from a dead one it returns at once.
                server.stop()
                if others is not None:
                    others.close()
        failures += [f"FAIL: missing calls in the {ph.others}-others phase" for ph in phases if ph.missing]
        failures += [f"FAIL: page error: {e}" for e in errors[:5]]
        facts["loadavg_end"] = loadavg()
        print()
        print(report(facts, command, phases, skew, connect_s, others_state))
        print(f"tickets issued {bench.issued}; total run {now() - started:.0f} s")
        for f in failures:
            print(f)
        return 1 if failures else 0
    except Exception:
        show_server_log(server)
        raise
    finally:
        stop_and_clean(server, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())
