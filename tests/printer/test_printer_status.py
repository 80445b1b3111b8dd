"""Printer status over a real TCP connection to a fake printer: the DLE EOT replies parsed,
and silence read as offline / unknown within the short timeout, never as "paper OK"."""

from __future__ import annotations

import socket
import time

import pytest

from printer import (open_printer, parse_printer_url, print_and_confirm, print_ticket,
                     read_status, render_ticket)
from printer.escpos_decode import decode
from printer.errors import PrinterError
from printer_fixtures import fake_printer, ticket  # noqa: F401 (fixtures)

# DLE EOT replies of a healthy printer: n=1 online, n=2 no offline cause, n=4 paper present.
HEALTHY = {1: 0x12, 2: 0x12, 4: 0x12}


def status_of(fake_printer, replies, timeout=1.0):
    fake = fake_printer(replies)
    printer = open_printer(fake.url)
    try:
        started = time.monotonic()
        status = read_status(printer, timeout=timeout)
        return status, time.monotonic() - started, fake
    finally:
        printer.close()


def test_online_with_paper(fake_printer):
    status, _, fake = status_of(fake_printer, HEALTHY)
    assert (status.online, status.paper, status.cover_open) == (True, "ok", False)
    assert status.ready and status.detail == "online"
    assert fake.queries == [1, 2, 4]


def test_paper_low(fake_printer):
    status, _, _ = status_of(fake_printer, {1: 0x12, 2: 0x12, 4: 0x1E})
    assert (status.online, status.paper) == (True, "low")
    assert status.ready and "paper low" in status.detail


def test_paper_out(fake_printer):
    # n=1 offline; n=2 stopped at paper end; n=4 near end and end sensors both set.
    status, _, _ = status_of(fake_printer, {1: 0x1A, 2: 0x32, 4: 0x7E})
    assert (status.online, status.paper, status.cover_open) == (False, "out", False)
    assert not status.ready and "paper out" in status.detail


def test_cover_open(fake_printer):
    status, _, _ = status_of(fake_printer, {1: 0x1A, 2: 0x16, 4: 0x12})
    assert (status.online, status.cover_open) == (False, True)
    assert not status.ready and "cover open" in status.detail


def test_cover_open_printer_that_answers_only_the_first_query(fake_printer):
    status, elapsed, _ = status_of(fake_printer, {1: 0x1A}, timeout=0.5)
    assert (status.online, status.paper, status.cover_open) == (False, "unknown", None)
    assert elapsed < 5


def test_silent_printer_is_offline_not_paper_ok(fake_printer):
    """python-escpos' paper_status() would say 2 ("paper adequate") to an empty reply; a
    silent printer must come out offline with the paper unknown, quickly."""
    status, elapsed, fake = status_of(fake_printer, None, timeout=1.0)
    assert status.online is False
    assert status.paper == "unknown" and status.cover_open is None
    assert not status.ready and "no answer" in status.detail
    assert elapsed < 5
    assert fake.queries == [1]  # gave up after the first unanswered query


def test_silent_printer_with_the_default_timeouts(fake_printer):
    fake = fake_printer(None)
    started = time.monotonic()
    printer = open_printer(fake.url)
    try:
        assert printer.timeout == 3.0  # python-escpos' own default is 60 s
        status = read_status(printer)
    finally:
        printer.close()
    assert status.online is False and status.paper == "unknown"
    assert time.monotonic() - started < 5


def test_garbage_reply_is_not_a_status(fake_printer):
    status, _, _ = status_of(fake_printer, {1: 0xFF}, timeout=0.5)
    assert status.online is False and status.paper == "unknown"


def test_status_after_printing_pairs_replies_with_queries(fake_printer, ticket):
    fake = fake_printer(HEALTHY)
    printer = open_printer(fake.url + "?paper=58mm")
    try:
        print_ticket(printer, render_ticket(ticket, printer.gecc_paper_dots))
        assert read_status(printer).ready
        assert read_status(printer).paper == "ok"
    finally:
        printer.close()


def test_printer_that_hangs_up_is_offline(fake_printer):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        printer = open_printer(f"network://127.0.0.1:{port}")
        conn, _ = server.accept()
        conn.close()
        started = time.monotonic()
        status = read_status(printer)
        assert status.online is False and status.paper == "unknown"
        assert time.monotonic() - started < 5
        printer.close()
    finally:
        server.close()


def test_unreachable_printer_fails_fast():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    started = time.monotonic()
    with pytest.raises(PrinterError, match="cannot open printer"):
        open_printer(f"network://127.0.0.1:{port}")
    assert time.monotonic() - started < 5


def test_status_without_a_status_channel():
    assert read_status(None).online is False
    dummy = read_status(open_printer("dummy"))
    assert dummy.online is True and dummy.paper == "unknown"


@pytest.mark.parametrize("url,kind,target,port", [
    ("network://192.168.1.50:9100", "network", "192.168.1.50", 9100),
    ("network://printer.local", "network", "printer.local", 9100),
    ("usb://04b8:0e15", "usb", "04b8:0e15", None),
    ("serial:///dev/ttyUSB0", "serial", "/dev/ttyUSB0", None),
    ("cups://TM-T20", "cups", "TM-T20", None),
    ("file:///dev/usb/lp0", "file", "/dev/usb/lp0", None),
    ("dummy", "dummy", "", None),
    ("none", "none", "", None),
    ("", "none", "", None),
])
def test_printer_urls(url, kind, target, port):
    spec = parse_printer_url(url)
    assert (spec.kind, spec.target, spec.port) == (kind, target, port)


def test_printer_url_parameters():
    spec = parse_printer_url("network://10.0.0.5:9100?paper=58mm&timeout=1.5")
    assert spec.paper_dots == 384 and spec.timeout == 1.5
    assert parse_printer_url("serial:///dev/ttyS0?baudrate=115200").params["baudrate"] == "115200"
    assert parse_printer_url("dummy").paper_dots == 576


@pytest.mark.parametrize("url", ["lpt1", "usb://zz:12", "usb://04b8", "network://", "ftp://x"])
def test_bad_printer_urls(url):
    with pytest.raises(ValueError, match="GECC_PRINTER"):
        parse_printer_url(url)


# --- print_and_confirm: the print agent's way to print -----------------------------------------


def test_confirmed_print(fake_printer, ticket):
    fake = fake_printer(HEALTHY)
    printer = open_printer(fake.url)
    try:
        outcome = print_and_confirm(printer, render_ticket(ticket, 576))
    finally:
        printer.close()
    assert outcome.state == "printed", outcome
    assert outcome.before.ready and outcome.after.ready
    assert fake.queries == [1, 2, 4, 1, 2, 4]  # checked before, confirmed after
    assert fake.connections == 2  # a fresh connection for the job
    decoded = decode(bytes(fake.received))
    assert decoded.picture().width == 576 and decoded.cuts == 1


@pytest.mark.parametrize("replies,why", [
    ({1: 0x1A, 2: 0x32, 4: 0x72}, "paper out"),
    ({1: 0x1A, 2: 0x16, 4: 0x12}, "cover open"),
    (None, "no answer"),
])
def test_not_sent_when_the_printer_is_not_ready(fake_printer, ticket, replies, why):
    fake = fake_printer(replies)
    printer = open_printer(fake.url)
    started = time.monotonic()
    try:
        outcome = print_and_confirm(printer, render_ticket(ticket, 384))
    finally:
        printer.close()
    assert outcome.state == "not_sent" and why in outcome.detail
    assert time.monotonic() - started < 5
    assert not decode(bytes(fake.received)).images  # not one dot was sent


def test_uncertain_when_paper_runs_out_during_the_ticket(fake_printer, ticket):
    fake = fake_printer(HEALTHY, after_print={1: 0x1A, 2: 0x32, 4: 0x72})
    printer = open_printer(fake.url)
    try:
        outcome = print_and_confirm(printer, render_ticket(ticket, 576))
    finally:
        printer.close()
    assert outcome.state == "uncertain" and "paper out" in outcome.detail


def test_uncertain_when_the_printer_goes_silent_after_the_ticket(fake_printer, ticket):
    fake = fake_printer(HEALTHY, after_print=None)
    printer = open_printer(fake.url)
    started = time.monotonic()
    try:
        outcome = print_and_confirm(printer, render_ticket(ticket, 576), status_timeout=0.5)
    finally:
        printer.close()
    assert outcome.state == "uncertain" and outcome.after.online is False
    assert time.monotonic() - started < 5


def test_not_sent_when_the_printer_went_away(fake_printer, ticket):
    fake = fake_printer(HEALTHY)
    printer = open_printer(fake.url)
    fake.close()
    try:
        outcome = print_and_confirm(printer, render_ticket(ticket, 576))
    finally:
        printer.close()
    assert outcome.state == "not_sent" and "cannot connect" in outcome.detail


def test_transports_without_status_and_no_printer(ticket):
    printer = open_printer("dummy")
    outcome = print_and_confirm(printer, render_ticket(ticket, 576))
    assert outcome.state == "printed" and "cannot confirm" in outcome.detail
    assert decode(printer.output).picture().width == 576
    assert print_and_confirm(None, render_ticket(ticket, 576)).state == "not_sent"


def test_printer_that_only_answers_online_still_prints(fake_printer, ticket):
    fake = fake_printer({1: 0x12})
    printer = open_printer(fake.url)
    try:
        outcome = print_and_confirm(printer, render_ticket(ticket, 384), status_timeout=0.3)
    finally:
        printer.close()
    assert outcome.before.online and outcome.before.paper == "unknown"
    assert outcome.state == "printed"


def test_unknown_profile_is_a_setting_error():
    with pytest.raises(ValueError, match="profile"):
        open_printer("dummy?profile=NoSuchPrinter")


@pytest.mark.parametrize("url", ["usb://04b8:0e15", "serial:///dev/gecc-no-such-tty",
                                 "file:///gecc-no-such-dir/lp0"])
def test_missing_devices_are_printer_errors(url):
    started = time.monotonic()
    with pytest.raises(PrinterError, match="cannot open printer"):
        open_printer(url)
    assert time.monotonic() - started < 5
