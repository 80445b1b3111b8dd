"""The agent's printer: render the job's ticket, send it, confirm it; say how the printer is."""

from __future__ import annotations

from .agent import PrinterNotReached


class PrintUncertain(Exception):
    """Bytes went to the printer but it did not confirm the ticket: never print it again."""


class EscposDevice:
    """A printer reached through python-escpos (`GECC_PRINTER`), opened afresh for each job and
    each status check, so a printer switched off and on again needs no restart of the agent.
    The paper width comes from the URL: `network://10.0.0.5:9100?paper=58mm` (80 mm default)."""

    def __init__(self, url: str, timeout: float = 3.0):
        self.url = url
        self.timeout = timeout

    @classmethod
    def from_url(cls, url: str) -> EscposDevice:
        from .drivers import parse_printer_url
        from .fonts import check_printing_setup

        check_printing_setup()  # refuse to start rather than print broken Thai
        parse_printer_url(url)  # a malformed setting stops the start, with its message
        return cls(url)

    def _open(self):
        from .drivers import open_printer

        try:
            printer = open_printer(self.url, timeout=self.timeout)
        except Exception as exc:  # noqa: BLE001 - failing to open means nothing was sent
            raise PrinterNotReached(f"cannot open printer {self.url}: {exc}") from exc
        if printer is None:
            raise PrinterNotReached("no printer is configured (none)")
        return printer

    def status(self) -> dict:
        from .drivers import read_status

        try:
            printer = self._open()
        except PrinterNotReached as exc:
            return {"online": False, "paper": "unknown", "cover_open": None, "detail": str(exc)}
        try:
            state = read_status(printer)
        finally:
            _close(printer)
        return {"online": state.online, "paper": state.paper, "cover_open": state.cover_open,
                "detail": state.detail}

    def print_job(self, job: dict) -> None:
        from .drivers import print_and_confirm
        from .render import render_complaint_receipt, render_ticket
        from .receipt import ComplaintReceiptPrint
        from .ticket import TicketPrint

        printer = self._open()
        try:
            dots = getattr(printer, "gecc_paper_dots", 576)
            if "complaint" in job:  # a complaint's receipt (the reception desk)
                image = render_complaint_receipt(
                    ComplaintReceiptPrint.from_view(job["complaint"], job["office"]), dots)
            else:
                image = render_ticket(TicketPrint.from_ticket_view(job["ticket"], job["office"]),
                                      dots)
            outcome = print_and_confirm(printer, image)
        finally:
            _close(printer)
        if outcome.state == "not_sent":
            raise PrinterNotReached(outcome.detail)
        if outcome.state == "uncertain":
            raise PrintUncertain(outcome.detail)


def _close(printer) -> None:
    try:
        printer.close()
    except Exception:  # noqa: BLE001 - closing a dead connection may fail; nothing to do
        pass
