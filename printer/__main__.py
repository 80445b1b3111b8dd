"""Installer's tools: ``python -m printer check | sample | status URL | test-print URL``.

    python -m printer check                       # raqm and the Thai font, or the fix
    python -m printer sample --out docs/tickets   # the sample tickets as PNG (58 and 80 mm)
    python -m printer status network://192.168.1.50:9100
    python -m printer test-print network://192.168.1.50:9100?paper=58mm
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from .drivers import open_printer, print_ticket, read_status
from .errors import PrinterError, PrinterSetupError
from .fonts import check_printing_setup
from .render import PAPER_58MM, PAPER_80MM, render_ticket
from .ticket import TicketPrint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m printer", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check raqm and the Thai font")
    sample = sub.add_parser("sample", help="write the sample tickets as PNG")
    sample.add_argument("--out", type=Path, default=Path("docs/tickets"))
    status = sub.add_parser("status", help="ask a printer for its status")
    status.add_argument("url")
    test = sub.add_parser("test-print", help="print the sample ticket")
    test.add_argument("url")
    args = parser.parse_args(argv)

    try:
        fonts = check_printing_setup()
    except PrinterSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        print(f"raqm: ok; Thai font: {fonts.family} ({fonts.source}) {fonts.regular}, {fonts.bold}")
        return 0
    if args.command == "sample":
        args.out.mkdir(parents=True, exist_ok=True)
        for dots, name in ((PAPER_58MM, "ticket-58mm.png"), (PAPER_80MM, "ticket-80mm.png")):
            path = args.out / name
            render_ticket(TicketPrint.sample(), dots).save(path, optimize=True)
            print(path)
        return 0
    try:
        printer = open_printer(args.url)
    except (PrinterError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    state = read_status(printer)
    print(f"status: {state.as_dict()}")
    if args.command == "test-print":
        dots = getattr(printer, "gecc_paper_dots", PAPER_80MM)
        try:
            print_ticket(printer, render_ticket(TicketPrint.sample(datetime.now(timezone.utc)), dots))
        except PrinterError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"printed a {dots}-dot sample ticket")
    if printer is not None:
        printer.close()
    return 0 if state.online or args.command == "test-print" else 1


if __name__ == "__main__":
    sys.exit(main())
