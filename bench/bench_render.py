#!/usr/bin/env python
"""Benchmark ticket rendering and ESC/POS encoding: ms per ticket and bytes per ticket.

For 58 mm (384 dots) and 80 mm (576 dots) paper it renders N different realistic Thai tickets
(each with its own number and status URL, so each QR code differs) and measures:

  render     printer.render.render_ticket (Pillow + raqm + Sarabun, QR code): ms per ticket
  encode     python-escpos image() as GS v 0 bands + cut into a Dummy printer: ms per ticket
  total      render + encode, and the bytes per ticket that go to the printer

and, in the same run, baselines that show what the machine does right now:

  qr only    qrcode building the QR matrix of one status URL (pure Python, part of render)
  ascii      Pillow drawing one plain ASCII line ("A023 ID card 11:05") in the same font
             without raqm shaping work, on a paper-wide canvas

Also: the first ticket of the process (font loading and the raqm check included), and how
long the bytes take on the wire at common link speeds. Target from the issue: render under
50 ms per ticket (p99 is shown against it).

    python bench/bench_render.py                # 300 tickets per width
    python bench/bench_render.py --n 1000 --json out.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import cpu_model, loadavg, pct  # noqa: E402

TARGET_RENDER_MS = 50.0
LINKS = {"serial 9600 baud": 960, "serial 115200 baud": 11_520, "USB full speed ~1 MB/s": 1_000_000,
         "100 Mbit/s Ethernet": 12_500_000}


def machine_facts() -> dict:
    model = cpu_model()
    load = loadavg()
    try:
        head = subprocess.run(["git", "-C", str(Path(__file__).resolve().parent.parent), "rev-parse",
                               "--short", "HEAD"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        head = "unknown"
    from PIL import __version__ as pillow_version, features

    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "cpu_model": model,
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "loadavg_start": load,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pillow": pillow_version,
        "raqm": features.version("raqm"),
        "harfbuzz": features.version("harfbuzz"),
        "fribidi": features.version("fribidi"),
        "head": head,
    }


def tickets(n: int):
    from printer.ticket import TicketPrint

    base = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)
    services = [("บัตรประจำตัวประชาชน", "ID card", "A"), ("ทะเบียนบ้าน", "House registration", "B"),
                ("ยื่นคำร้องทั่วไป", "General petitions", "C"), ("ชำระภาษี", "Tax payment", "D")]
    priorities = ["normal", "normal", "elderly", "normal", "disabled", "pregnant", "monk"]
    for i in range(n):
        th, en, letter = services[i % len(services)]
        yield TicketPrint(
            office_name="ที่ว่าการอำเภอบางบัวทอง", office_name_en="Bang Bua Thong District Office",
            service_name_th=th, service_name_en=en, number=f"{letter}{i % 1000:03d}",
            issued_at=base + timedelta(seconds=37 * i), timezone="Asia/Bangkok",
            ahead=i % 23, eta_minutes=(i % 23) * 3, priority=priorities[i % len(priorities)],
            status_url=f"http://192.168.1.10:5000/t/{i:08x}{(i * 7919) % 65536:04x}Qz",
        )


def bench_width(dots: int, n: int) -> dict:
    from escpos.printer import Dummy

    from printer.drivers import print_ticket
    from printer.render import render_ticket

    render_ms, encode_ms, sizes, heights = [], [], [], []
    for ticket in tickets(n):
        t0 = time.perf_counter()
        image = render_ticket(ticket, dots)
        t1 = time.perf_counter()
        printer = Dummy()
        print_ticket(printer, image)
        data = printer.output
        t2 = time.perf_counter()
        render_ms.append((t1 - t0) * 1000)
        encode_ms.append((t2 - t1) * 1000)
        sizes.append(len(data))
        heights.append(image.height)
    total = [r + e for r, e in zip(render_ms, encode_ms)]
    return {
        "dots": dots, "n": n,
        "render_ms": {"p50": pct(render_ms, 50), "p99": pct(render_ms, 99), "mean": sum(render_ms) / n},
        "encode_ms": {"p50": pct(encode_ms, 50), "p99": pct(encode_ms, 99), "mean": sum(encode_ms) / n},
        "total_ms": {"p50": pct(total, 50), "p99": pct(total, 99)},
        "bytes": {"min": min(sizes), "mean": sum(sizes) / n, "max": max(sizes)},
        "height_dots": {"min": min(heights), "max": max(heights)},
    }


def baselines(n: int) -> dict:
    from PIL import Image, ImageDraw, ImageFont

    from printer.fonts import find_thai_fonts
    from printer.render import qr_matrix

    qr_ms = []
    for i, ticket in enumerate(tickets(n)):
        t0 = time.perf_counter()
        qr_matrix(ticket.status_url)
        qr_ms.append((time.perf_counter() - t0) * 1000)
    font = ImageFont.truetype(str(find_thai_fonts().regular), 28, layout_engine=ImageFont.Layout.BASIC)
    ascii_ms = []
    for i in range(n):
        t0 = time.perf_counter()
        image = Image.new("L", (576, 60), 255)
        ImageDraw.Draw(image).text((10, 10), f"A{i % 1000:03d} ID card 11:05", font=font, fill=0)
        ascii_ms.append((time.perf_counter() - t0) * 1000)
    return {"qr_only_ms": {"p50": pct(qr_ms, 50), "p99": pct(qr_ms, 99)},
            "ascii_line_ms": {"p50": pct(ascii_ms, 50), "p99": pct(ascii_ms, 99)}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300, help="tickets per paper width")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    facts = machine_facts()
    from printer.render import render_ticket

    first = next(tickets(1))
    t0 = time.perf_counter()
    render_ticket(first, 576)
    first_ms = (time.perf_counter() - t0) * 1000

    base = baselines(args.n)
    widths = [bench_width(384, args.n), bench_width(576, args.n)]
    facts["loadavg_end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3]) \
        if Path("/proc/loadavg").exists() else "unknown"

    print("# Ticket rendering benchmark")
    print(f"- date: {facts['date']}; commit {facts['head']} (printer/ may be uncommitted)")
    print(f"- CPU: {facts['cpu_model']}; {facts['nproc']} cores usable; "
          f"load average {facts['loadavg_start']} -> {facts['loadavg_end']}")
    print(f"- Python {facts['python']} on {facts['platform']}")
    print(f"- Pillow {facts['pillow']}, raqm {facts['raqm']}, HarfBuzz {facts['harfbuzz']}, "
          f"FriBiDi {facts['fribidi']}")
    print(f"- {args.n} different tickets per width; first ticket of the process "
          f"(fonts loaded, raqm checked): {first_ms:.1f} ms")
    print()
    print("| paper | render p50 | render p99 | encode p50 | encode p99 | total p50 | total p99 "
          "| bytes/ticket (mean, max) | height (dots) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for w in widths:
        name = "58 mm (384)" if w["dots"] == 384 else "80 mm (576)"
        print(f"| {name} | {w['render_ms']['p50']:.1f} ms | {w['render_ms']['p99']:.1f} ms "
              f"| {w['encode_ms']['p50']:.1f} ms | {w['encode_ms']['p99']:.1f} ms "
              f"| {w['total_ms']['p50']:.1f} ms | {w['total_ms']['p99']:.1f} ms "
              f"| {w['bytes']['mean']:.0f}, {w['bytes']['max']} "
              f"| {w['height_dots']['min']}-{w['height_dots']['max']} |")
    print()
    print(f"Baselines (same run): QR matrix only p50 {base['qr_only_ms']['p50']:.2f} ms "
          f"(p99 {base['qr_only_ms']['p99']:.2f}); one ASCII line drawn by Pillow p50 "
          f"{base['ascii_line_ms']['p50']:.3f} ms (p99 {base['ascii_line_ms']['p99']:.3f}).")
    print()
    print("Bytes on the wire per ticket (mean), transfer time only:")
    for w in widths:
        times = ", ".join(f"{name} {w['bytes']['mean'] / rate:.2f} s" if w['bytes']['mean'] / rate >= 0.1
                          else f"{name} {w['bytes']['mean'] / rate * 1000:.1f} ms"
                          for name, rate in LINKS.items())
        print(f"- {w['dots']} dots: {times}")
    print()
    worst = max(w["render_ms"]["p99"] for w in widths)
    verdict = "meets" if worst < TARGET_RENDER_MS else "MISSES"
    print(f"Render p99 {worst:.1f} ms {verdict} the {TARGET_RENDER_MS:.0f} ms per ticket target.")
    if args.json:
        args.json.write_text(json.dumps({"facts": facts, "first_ticket_ms": first_ms,
                                         "baselines": base, "widths": widths}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
