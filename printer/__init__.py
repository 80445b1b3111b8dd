"""Ticket printing: render a ticket as a Thai raster image and send it with python-escpos.

    from printer import TicketPrint, render_ticket, open_printer, print_ticket, read_status

    ticket = TicketPrint.from_ticket_view(view, office)
    image = render_ticket(ticket, paper_dots=576)        # 384 for 58 mm paper
    p = open_printer("network://192.168.1.50:9100")      # GECC_PRINTER
    status = read_status(p)                              # never "paper OK" on silence
    print_ticket(p, image)                               # or, for a print agent:
    outcome = print_and_confirm(p, image)                # printed / not_sent / uncertain
"""

from .drivers import (
    PrintOutcome,
    PrinterStatus,
    PrinterURL,
    open_printer,
    parse_printer_url,
    print_and_confirm,
    print_ticket,
    print_ticket_text,
    read_status,
)
from .errors import PrinterError, PrinterSetupError
from .fonts import ThaiFonts, check_printing_setup, check_raqm, find_thai_fonts
from .render import PAPER_58MM, PAPER_80MM, paper_dots, render_ticket
from .ticket import TicketPrint, thai_date, thai_datetime

__all__ = [
    "PAPER_58MM",
    "PAPER_80MM",
    "PrinterError",
    "PrinterSetupError",
    "PrintOutcome",
    "PrinterStatus",
    "PrinterURL",
    "ThaiFonts",
    "TicketPrint",
    "check_printing_setup",
    "check_raqm",
    "find_thai_fonts",
    "open_printer",
    "paper_dots",
    "parse_printer_url",
    "print_and_confirm",
    "print_ticket",
    "print_ticket_text",
    "read_status",
    "render_ticket",
    "thai_date",
    "thai_datetime",
]
