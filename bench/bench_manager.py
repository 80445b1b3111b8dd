"""The manager's pages on a big database: the server time of the period page for the whole
span of its tickets (a busy office's year: ~250,000 tickets; issue 12's target is under 2 s),
of the month on one screen and of the self-assessment, with the parts of each (the evidence,
the alerts read beside it, the charts and the HTML).

    python bench/bench_manager.py --db sqlite:////work/year.db [--repeat 3] [--from D --to D]

A SQLite database is never written: it is first copied (SQLite's backup, the source opened
immutable) into a temporary folder, and the pages read the copy. A PostgreSQL URL is read in
place (only reads are made). Each page is rendered by its Flask route in the process, as the
server does for a logged-in manager, with nothing of the network in the figures."""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import cpu_model  # noqa: E402


def copy_sqlite(url: str, folder: Path) -> str:
    source = url.removeprefix("sqlite:///")
    target = folder / "copy.sqlite3"
    started = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?immutable=1", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    print(f"copied {source} ({Path(source).stat().st_size / 1e6:.0f} MB) in "
          f"{time.perf_counter() - started:.1f} s")
    return f"sqlite:///{target}"


def timed_page(app, member, path: str, view) -> tuple[float, dict, int, int]:
    """(seconds, Server-Timing parts in ms, status, bytes) of one render of the route."""
    from flask_login import login_user

    from queue_server.web.auth import SessionUser

    with app.test_request_context(path):
        login_user(SessionUser(member))
        started = time.perf_counter()
        response = app.make_response(view())
        seconds = time.perf_counter() - started
    parts = {k: float(v) for k, v in re.findall(r"(\w+);dur=([\d.]+)",
                                                  response.headers.get("Server-Timing", ""))}
    return seconds, parts, response.status_code, len(response.get_data())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:////work/year.db")
    parser.add_argument("--from", dest="first", help="first day (default: the first ticket's)")
    parser.add_argument("--to", dest="last", help="last day (default: the last ticket's)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import sqlalchemy as sa

    from queue_server.app import create_app
    from queue_server.web import manager_pages as pages

    with tempfile.TemporaryDirectory(prefix="bench-manager-") as folder:
        url = copy_sqlite(args.db, Path(folder)) if args.db.startswith("sqlite") else args.db
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True,
                          "PACKS_DIR": str(Path(folder) / "packs")})
        services = app.extensions["gecc"]
        engine = services.engine
        with engine.connect() as conn:
            first_day, last_day, tickets = conn.execute(sa.text(
                "SELECT min(service_day), max(service_day), count(*) FROM tickets")).one()
            manager_id = conn.execute(sa.text(
                "SELECT id FROM users WHERE role IN ('manager', 'MANAGER') ORDER BY id")).scalar()
        first = args.first or str(first_day)[:10]
        last = args.last or str(last_day)[:10]
        span = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
        member = services.accounts.get(manager_id)
        print(f"database: {tickets:,} tickets, {first_day} .. {last_day}; CPU: {cpu_model()}")
        month = last[:7]
        cases = [
            (f"period page, {first}..{last} ({span} days)",
             f"/manager/period?period=range&from={first}&to={last}", pages.manager_period),
            (f"the month {month}", f"/manager/month?month={month}", pages.manager_month),
            (f"self-assessment, {first}..{last}",
             f"/manager/assessment?period=range&from={first}&to={last}", pages.manager_assessment),
        ]
        print(f"\n{'page':<52} {'run':>5} {'server s':>9} {'status':>6} {'KB':>7}  parts (ms)")
        summary = []
        evidence = services.evidence
        for name, path, view in cases:
            runs = []
            for run in range(1, args.repeat + 2):
                # every run but the last computes its evidence; the last is the page shown
                # again with nothing changed (the evidence kept: Evidence.report)
                again = run == args.repeat + 1
                if not again and hasattr(evidence, "forget"):
                    evidence.forget()
                seconds, parts, status, size = timed_page(app, member, path, view)
                if not again:
                    runs.append(seconds)
                detail = ", ".join(f"{k} {v:.0f}" for k, v in parts.items())
                label = "again" if again else str(run)
                print(f"{name:<52} {label:>5} {seconds:>9.3f} {status:>6} {size / 1024:>7.0f}  {detail}")
            summary.append((name, min(runs), statistics.median(runs), seconds))
        print("\nserver time computed (best, median) and shown again; the period page's target "
              "(issue 12) is under 2 s, computed:")
        for name, best, middle, again in summary:
            verdict = "" if not name.startswith("period") else (
                "  MEETS the 2 s target" if middle < 2 else "  OVER the 2 s target")
            print(f"  {name:<52} best {best:.3f} s, median {middle:.3f} s, again {again:.3f} s"
                  f"{verdict}")
        engine.dispose()


if __name__ == "__main__":
    main()
