"""What reaches the printer: the GS v 0 raster bytes parsed back into the picture, its width
for 58 and 80 mm paper, and the QR code read from that picture by a real decoder, through a
python-escpos Dummy, a file, and a fake network printer on a loopback TCP port."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import ImageChops

from printer import open_printer, print_ticket, print_ticket_text, render_ticket
from printer.drivers import FRAGMENT_HEIGHT
from printer.escpos_decode import decode
from printer_fixtures import fake_printer, ticket  # noqa: F401 (fixtures)

CUT_TAIL = b"\x1bd\x06\x1dV\x00"  # feed 6 lines, full cut (python-escpos cut())


def qr_texts(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def check_printed(data: bytes, ticket, dots: int) -> None:
    decoded = decode(data)  # strict: any byte it cannot account for fails the test
    assert data.startswith(b"\x1b@")  # ESC @: a clean state first
    assert data.endswith(CUT_TAIL) and decoded.cuts == 1
    assert decoded.images, "no GS v 0 raster image was sent"
    assert all(im.width == dots for im in decoded.images)
    assert all(im.height <= FRAGMENT_HEIGHT for im in decoded.images)
    picture = decoded.picture()
    assert picture.width == dots
    assert qr_texts(picture) == [ticket.status_url]
    assert not decoded.text.strip(), "text bytes outside the raster image"
    # The printed dots are the rendered ticket, dot for dot.
    expected = render_ticket(ticket, dots)
    assert picture.size == expected.size
    assert ImageChops.difference(picture.convert("L"), expected.convert("L")).getbbox() is None


@pytest.mark.parametrize("dots", [384, 576])
def test_dummy_printer_receives_the_ticket_as_raster(ticket, dots):
    printer = open_printer("dummy")
    print_ticket(printer, render_ticket(ticket, dots))
    check_printed(printer.output, ticket, dots)


@pytest.mark.parametrize("paper,dots", [("58mm", 384), ("80mm", 576)])
def test_paper_width_from_the_setting(ticket, paper, dots):
    printer = open_printer(f"dummy?paper={paper}")
    assert printer.gecc_paper_dots == dots
    print_ticket(printer, render_ticket(ticket, printer.gecc_paper_dots))
    check_printed(printer.output, ticket, dots)


def test_printer_profile_width_guards_against_a_too_wide_image(ticket):
    """A printer whose python-escpos profile gives its width (TM-T88V: 512 dots) refuses a
    wider image instead of printing garbage, and prints one of its own width."""
    from printer.errors import PrinterError

    printer = open_printer("dummy?profile=TM-T88V")
    with pytest.raises(PrinterError):
        print_ticket(printer, render_ticket(ticket, 576))
    printer.clear()
    print_ticket(printer, render_ticket(ticket, 512))
    check_printed(printer.output, ticket, 512)


def test_printer_without_a_cutter_only_feeds(ticket):
    printer = open_printer("dummy?profile=POS-5890&paper=58mm")
    print_ticket(printer, render_ticket(ticket, 384))
    assert printer.output.endswith(b"\x1bd\x06") and decode(printer.output).cuts == 0


def test_file_printer(ticket, tmp_path):
    path = tmp_path / "lp0"
    printer = open_printer(f"file://{path}")
    print_ticket(printer, render_ticket(ticket, 576))
    printer.close()
    check_printed(path.read_bytes(), ticket, 576)


@pytest.mark.parametrize("dots", [384, 576])
def test_network_printer_receives_the_ticket(ticket, fake_printer, dots):
    fake = fake_printer()
    printer = open_printer(fake.url)
    try:
        print_ticket(printer, render_ticket(ticket, dots))
    finally:
        printer.close()
    assert fake.wait_for(lambda data: data.endswith(CUT_TAIL))
    check_printed(bytes(fake.received), ticket, dots)


def test_no_printer_configured():
    from printer.errors import PrinterError

    assert open_printer("none") is None and open_printer("") is None
    with pytest.raises(PrinterError):
        print_ticket(None, None)


def test_text_mode_for_thai_code_page_printers(ticket):
    printer = open_printer("dummy")
    print_ticket_text(printer, ticket, codepage="CP874")
    data = printer.output
    decoded = decode(data)
    assert b"\x1bt\x15" in data  # ESC t 21: CP874 in python-escpos' default profile
    text = decoded.text.decode("cp874")
    for line in (ticket.office_name, ticket.service_name_th, ticket.number, ticket.date_th,
                 "ผู้สูงอายุ"):
        assert line in text
    assert qr_texts(decoded.picture()) == [ticket.status_url]
    assert decoded.cuts == 1


def test_text_mode_code_page_number_override(ticket):
    printer = open_printer("dummy")
    print_ticket_text(printer, ticket, codepage="CP874", codepage_number=26)
    assert b"\x1bt\x1a" in printer.output and b"\x1bt\x15" not in printer.output
    # The override stays on that printer: another printer keeps the shared profile's number.
    other = open_printer("dummy")
    print_ticket_text(other, ticket)
    assert b"\x1bt\x15" in other.output
