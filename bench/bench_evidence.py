#!/usr/bin/env python
"""Benchmark the GECC evidence over a simulated office's history: `GET /api/v1/evidence`'s
body (Evidence.report, in-process) and the whole evidence pack (Evidence.export: JSON, CSV,
workbook, PDF), for periods of one month, six months and one year ending on the database's
last day, with the peak memory of each.

The database comes from the simulator, e.g. a busy office's year (~270,000 tickets):

    gecc-queue simulate --days 365 --scale 2 --seed 2566 --db sqlite:////tmp/year.db
    python bench/bench_evidence.py --db sqlite:////tmp/year.db --rev 4f0fe61

`--rev` runs the same measurements with the code of an earlier commit (exported with git
archive) as the baseline of the same run: the machine is shared, so compare the two columns,
not a figure with last week's. Each measurement is a process of its own (its peak memory is
its own); the report is computed `--repeat` times after one warm-up run (Evidence.data: never
a report kept from before) and the best is kept; "asked again" is the same period served
from what Evidence.report keeps while nothing changed.
Targets (issue 11): the report of a year under 2 s, the whole pack under 15 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queue import export_revision, machine_facts  # noqa: E402
from common import loadavg  # noqa: E402

PERIODS = {"1 month": 30, "6 months": 182, "1 year": 365}
TARGET_REPORT_S, TARGET_PACK_S = 2.0, 15.0


def _peak_mib() -> float:
    """Peak resident memory of this process and of the children it waited for (the pack's
    PDF is drawn by a child), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def worker(args) -> None:
    """One measurement in this process; prints one JSON line."""
    if args.code:
        sys.path.insert(0, args.code)  # the baseline's code before the installed tree
    from queue_server.app import create_app

    app = create_app({"DATABASE_URL": args.db})
    evidence = app.extensions["gecc"].evidence
    first, last = date.fromisoformat(args.first), date.fromisoformat(args.last)
    result = {}
    if args.worker == "report":
        times = []
        for _ in range(args.repeat + 1):  # the first warms the database's pages
            wall, cpu = time.perf_counter(), time.process_time()
            # computed each time (Evidence.data), never a report kept from the run before
            report = evidence.data(None, first, last).report
            times.append((time.perf_counter() - wall, time.process_time() - cpu))
        best = min(times[1:]) if len(times) > 1 else times[0]
        result = {"tickets": report["tickets"]["issued"], "first_s": round(times[0][0], 2),
                  "wall_s": round(best[0], 2), "cpu_s": round(best[1], 2)}
        if hasattr(evidence, "KEPT"):  # the same period asked again, nothing changed
            evidence.report(None, first, last)
            wall = time.perf_counter()
            evidence.report(None, first, last)
            result["again_s"] = round(time.perf_counter() - wall, 3)
    else:
        with tempfile.TemporaryDirectory(prefix="gecc-pack-") as out:
            wall, cpu = time.perf_counter(), time.process_time()
            written = evidence.export(None, first, last, Path(out))
            result = {"wall_s": round(time.perf_counter() - wall, 2),
                      "cpu_s": round(time.process_time() - cpu, 2),
                      "files_mib": {p.name: round(p.stat().st_size / 2**20, 1) for p in written}}
    result["peak_mib"] = round(_peak_mib())
    print(json.dumps(result))


def measure(kind: str, db: str, first: date, last: date, code: Path | None, repeat: int) -> dict:
    command = [sys.executable, __file__, "--worker", kind, "--db", db, "--first", first.isoformat(),
               "--last", last.isoformat(), "--repeat", str(repeat)]
    if code:
        command += ["--code", str(code)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} {first}..{last} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = round(time.perf_counter() - started, 2)  # start-up included
    return result


def last_day(db: str) -> date:
    import sqlalchemy as sa
    engine = sa.create_engine(db)
    with engine.connect() as conn:
        day = conn.execute(sa.text("SELECT max(service_day) FROM tickets")).scalar()
    engine.dispose()
    if day is None:
        raise SystemExit(f"no tickets in {db}: fill it with `gecc-queue simulate` first")
    return day if isinstance(day, date) else date.fromisoformat(str(day))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="a database filled by `gecc-queue simulate`")
    ap.add_argument("--rev", help="also measure this git revision's code (the baseline)")
    ap.add_argument("--periods", default=",".join(PERIODS),
                    help=f"comma-separated, of: {', '.join(PERIODS)}")
    ap.add_argument("--repeat", type=int, default=3, help="report runs after the warm-up")
    ap.add_argument("--no-pack", action="store_true", help="measure the report only")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--worker", choices=["report", "pack"], help=argparse.SUPPRESS)
    ap.add_argument("--code", help=argparse.SUPPRESS)
    ap.add_argument("--first", help=argparse.SUPPRESS)
    ap.add_argument("--last", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return

    # The current code migrates the database first (the baseline reads the same tables).
    subprocess.run([sys.executable, "-m", "queue_server.cli", "db", "upgrade", "--db", args.db],
                   check=True, capture_output=True, timeout=600)
    facts = machine_facts()
    end = last_day(args.db)
    codes: dict[str, Path | None] = {"current": None}
    tmp = Path(tempfile.mkdtemp(prefix="gecc-bench-evidence-"))
    if args.rev:
        short = export_revision(args.rev, tmp / "baseline")
        codes = {f"baseline {short}": tmp / "baseline", "current": None}
    print(f"# evidence benchmark {facts['date']}: {facts['cpu_model']} x{facts['nproc']}, "
          f"{facts['memory']}, Python {facts['python']}, code {facts['code']}, load "
          f"{facts['loadavg_start']}; database {args.db}, last day {end}")
    results = []
    for period in [p.strip() for p in args.periods.split(",")]:
        first = end - timedelta(days=PERIODS[period] - 1)
        for name, code in codes.items():
            row = {"period": period, "from": first.isoformat(), "to": end.isoformat(),
                   "code": name, "report": measure("report", args.db, first, end, code,
                                                   args.repeat)}
            if not args.no_pack:
                row["pack"] = measure("pack", args.db, first, end, code, 0)
            results.append(row)
            report, pack = row["report"], row.get("pack")
            print(f"{period:9s} {name:18s} tickets {report['tickets']:>7,}  report "
                  f"{report['wall_s']:6.2f} s wall {report['cpu_s']:6.2f} s CPU (first "
                  f"{report['first_s']:.2f} s"
                  + (f", asked again {report['again_s']} s" if "again_s" in report else "")
                  + f"), peak {report['peak_mib']} MiB"
                  + (f"  | pack {pack['wall_s']:6.2f} s in-process, {pack['process_s']:6.2f} s "
                     f"with start-up, peak {pack['peak_mib']} MiB" if pack else ""), flush=True)
    year = [r for r in results if r["period"] == "1 year" and r["code"] == "current"]
    if year:
        report_s, pack = year[0]["report"]["wall_s"], year[0].get("pack")
        print(f"targets, a year: report {report_s} s (< {TARGET_REPORT_S}: "
              f"{'met' if report_s < TARGET_REPORT_S else 'NOT met'})"
              + (f", pack {pack['process_s']} s with start-up (< {TARGET_PACK_S}: "
                 f"{'met' if pack['process_s'] < TARGET_PACK_S else 'NOT met'})" if pack else ""))
    print(f"# load at the end {loadavg()}")
    if args.json:
        Path(args.json).write_text(json.dumps({"facts": facts, "results": results}, indent=2))


if __name__ == "__main__":
    main()
