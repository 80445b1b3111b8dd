"""Printers through python-escpos, chosen by one URL-like setting (``GECC_PRINTER``).

================================  ==================================================
``network://HOST[:PORT]``         raw TCP (JetDirect), port 9100 by default
``usb://VID:PID``                 hex ids, e.g. ``usb://04b8:0e15`` (needs pyusb + libusb)
``serial:///dev/ttyUSB0``         ``?baudrate=9600`` (needs pyserial)
``cups://QUEUE``                  a raw CUPS queue (needs pycups: the ``cups`` extra)
``file:///path``                  a device file such as ``/dev/usb/lp0``, or a plain file
``dummy``                         kept in memory (``printer.output``), for tests and demos
``none`` (or empty)               no printer: :func:`open_printer` returns ``None``
================================  ==================================================

Query parameters common to all: ``paper=58mm|80mm|<dots>`` (default 80mm),
``profile=<python-escpos profile name>``, ``timeout=<seconds>``.

Known traps of python-escpos 3.1 worked around here:

* ``paper_status()`` answers 2 ("paper adequate") when the printer says nothing, and
  ``is_online()`` cannot tell silence from an error. :func:`read_status` sends the same
  DLE EOT real-time queries (``RT_STATUS_ONLINE``, ``RT_STATUS_PAPER``, and n=2 for the
  offline cause) but reads and parses the replies itself: no reply is "offline, paper
  unknown", never "paper OK". A printer with its cover open often does not answer at all.
* ``Network`` waits 60 s by default on a silent printer; here the socket timeout is short
  (3 s by default, ``timeout=`` in the URL or the argument), and status reads use their own
  shorter timeout.
* ``Network.open()`` leaves the socket of a failed connect open; :class:`GeccNetwork` opens
  with ``socket.create_connection`` (and TCP_NODELAY, keep-alive).
* ``Serial`` has no write timeout: a write to a printer that is off blocks for ever with
  hardware flow control; one is set from the line speed.
* ``image()`` prints a warning to stdout when the profile has no paper width; the width is
  set on the printer's own copy of its profile. It also converts a tall picture twice; the
  bands are cut here and sent one ``image()`` call each (GS v 0, 256 rows).

For a print agent, :func:`print_and_confirm` checks the printer, prints, and confirms that the
printer took the whole ticket (a status reply after the ticket's bytes), and says whether the
job may be retried (``not_sent``), is done (``printed``) or needs a person (``uncertain``).
"""

from __future__ import annotations

import copy
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from escpos.constants import QR_ECLEVEL_M, RT_STATUS, RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError, Error as EscposError
from escpos.magicencode import Encoder
from escpos.printer import CupsPrinter, Dummy, File, Network, Serial, Usb
from PIL import Image

from .errors import PrinterError
from .render import PAPER_80MM, paper_dots as parse_paper_dots
from .ticket import TicketPrint

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0
DEFAULT_STATUS_TIMEOUT = 1.0
NETWORK_PORT = 9100
RASTER_IMPL = "bitImageRaster"  # GS v 0: the raster command every ESC/POS clone knows
FRAGMENT_HEIGHT = 256  # rows per GS v 0 command: small bands keep cheap printers' buffers sane

# DLE EOT n: python-escpos has n=1 and n=4 as constants; n=2 (offline cause) is built on its
# RT_STATUS prefix.
RT_STATUS_OFFLINE_CAUSE = RT_STATUS + b"\x02"

# Every DLE EOT reply byte has bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0.
_REPLY_MASK, _REPLY_BITS = 0x93, 0x12
_OFFLINE = 0x08  # n=1
_COVER_OPEN, _FEED_BUTTON, _PAPER_END_STOP, _ERROR = 0x04, 0x08, 0x20, 0x40  # n=2
_NEAR_END, _PAPER_END = 0x0C, 0x60  # n=4 (two bits each; either set counts)


@dataclass(frozen=True)
class PrinterURL:
    """A parsed ``GECC_PRINTER`` setting."""

    kind: str
    target: str = ""
    port: int | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def paper_dots(self) -> int:
        return parse_paper_dots(self.params.get("paper"), PAPER_80MM)

    @property
    def timeout(self) -> float | None:
        value = self.params.get("timeout")
        return float(value) if value else None


def parse_printer_url(url: str | None) -> PrinterURL:
    """Parse ``network://HOST:PORT``, ``usb://VID:PID``, ``serial:///dev/..``, ``cups://QUEUE``,
    ``file:///path``, ``dummy`` or ``none``; ValueError with the accepted forms otherwise."""
    text = (url or "").strip()
    if text.lower() in ("", "none", "off", "false", "0"):
        return PrinterURL("none")
    if "://" not in text:
        kind, _, query = text.partition("?")
        if kind.lower() == "dummy":
            return PrinterURL("dummy", params=dict(parse_qsl(query)))
        raise ValueError(_bad_url(url))
    parts = urlsplit(text)
    kind = parts.scheme.lower()
    params = dict(parse_qsl(parts.query))
    if kind == "network" or kind == "tcp":
        if not parts.hostname:
            raise ValueError(_bad_url(url))
        return PrinterURL("network", parts.hostname, parts.port or NETWORK_PORT, params)
    if kind == "usb":
        vid, sep, pid = parts.netloc.partition(":")
        try:
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise ValueError(_bad_url(url)) from None
        if not sep:
            raise ValueError(_bad_url(url))
        return PrinterURL("usb", f"{vid}:{pid}", None, params)
    if kind in ("serial", "file"):
        path = unquote(parts.netloc + parts.path)
        if not path:
            raise ValueError(_bad_url(url))
        return PrinterURL(kind, path, None, params)
    if kind == "cups":
        queue = unquote(parts.netloc or parts.path.lstrip("/"))
        return PrinterURL("cups", queue, None, params)
    if kind == "dummy":
        return PrinterURL("dummy", params=params)
    raise ValueError(_bad_url(url))


def _bad_url(url: str | None) -> str:
    return (f"GECC_PRINTER={url!r} is not understood; use network://HOST:9100, usb://VID:PID, "
            "serial:///dev/ttyUSB0, cups://QUEUE, file:///path, dummy or none")


def _set_paper_width(printer: Escpos, dots: int) -> None:
    """Give the printer its own profile copy with the paper width in dots (python-escpos shares
    one profile dict between all printers of a profile)."""
    profile = printer.profile
    if isinstance(profile.profile_data.get("media", {}).get("width", {}).get("pixels"), int):
        return  # the profile knows its paper; python-escpos refuses wider images
    data = copy.deepcopy(profile.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = dots
    profile.profile_data = data


def open_printer(url: str | None, timeout: float = DEFAULT_TIMEOUT) -> Escpos | None:
    """A python-escpos printer for ``url`` (``GECC_PRINTER``), opened, with short timeouts;
    ``None`` for ``none``. Raises :class:`PrinterError` when it cannot be opened and
    ValueError for a malformed setting. The chosen paper width is ``printer.gecc_paper_dots``."""
    spec = parse_printer_url(url)
    if spec.kind == "none":
        return None
    timeout = spec.timeout or timeout
    profile = spec.params.get("profile") or None
    if profile is not None:
        from escpos.capabilities import CAPABILITIES

        if profile not in CAPABILITIES["profiles"]:
            raise ValueError(f"GECC_PRINTER profile={profile!r} is not a python-escpos printer "
                             "profile (see `python-escpos` capabilities, e.g. TM-T88V, TM-T20II)")
    try:
        printer = _construct(spec, timeout, profile)
        _set_paper_width(printer, spec.paper_dots)
        printer.gecc_url = spec  # type: ignore[attr-defined]
        printer.gecc_paper_dots = spec.paper_dots  # type: ignore[attr-defined]
        printer.gecc_timeout = timeout  # type: ignore[attr-defined]
        if spec.kind != "dummy":
            printer.open()
        if isinstance(printer, Serial) and printer.device is not None:
            # Without a write timeout a write blocks for ever on a printer that is off (flow
            # control); a band of raster data must fit in it at the line's speed.
            band_bytes = FRAGMENT_HEIGHT * spec.paper_dots // 8
            printer.device.write_timeout = timeout + 2 * band_bytes / (printer.baudrate / 10)
    except Exception as exc:  # python-escpos, socket, pyusb (no libusb), pyserial errors
        raise PrinterError(f"cannot open printer {url}: {exc}") from exc
    return printer


class GeccNetwork(Network):
    """python-escpos' Network, opened with ``socket.create_connection``: the socket of a failed
    connect is closed (3.1 leaves it open), and short writes such as status queries go out at
    once (TCP_NODELAY)."""

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            self.device = None
            if raise_not_found:
                raise DeviceNotFoundError(
                    f"Could not open socket for {self.host}:{self.port}: {exc}") from exc
            log.error("network printer %s:%s not reachable: %s", self.host, self.port, exc)
            return
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self.device = sock


def _construct(spec: PrinterURL, timeout: float, profile: str | None) -> Escpos:
    if spec.kind == "network":
        return GeccNetwork(spec.target, spec.port or NETWORK_PORT, timeout=timeout,
                           profile=profile)
    if spec.kind == "usb":
        vid, pid = (int(part, 16) for part in spec.target.split(":"))
        kwargs: dict[str, Any] = {}
        for key in ("in_ep", "out_ep"):
            if key in spec.params:
                kwargs[key] = int(spec.params[key], 0)
        # pyusb timeouts are in milliseconds.
        return Usb(vid, pid, timeout=int(timeout * 1000), profile=profile, **kwargs)
    if spec.kind == "serial":
        return Serial(spec.target, baudrate=int(spec.params.get("baudrate", 9600)),
                      timeout=timeout, profile=profile)
    if spec.kind == "cups":
        if not CupsPrinter.is_usable():
            raise PrinterError("cups:// needs pycups: pip install 'gecc-queue[cups]' "
                               "(builds against libcups2-dev)")
        return CupsPrinter(spec.target, profile=profile)
    if spec.kind == "file":
        return File(spec.target, profile=profile)
    if spec.kind == "dummy":
        return Dummy(profile=profile)
    raise ValueError(spec.kind)


# --------------------------------------------------------------------------------------------
# Status


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself; ``paper`` is "ok" only when the printer said so."""

    online: bool
    paper: Literal["ok", "low", "out", "unknown"]
    cover_open: bool | None
    detail: str

    @property
    def ready(self) -> bool:
        """Online with paper reported present (low paper still prints)."""
        return self.online and self.paper in ("ok", "low") and not self.cover_open

    def as_dict(self) -> dict:
        return {"online": self.online, "paper": self.paper, "cover_open": self.cover_open,
                "detail": self.detail, "ready": self.ready}


def _drain(printer: Escpos) -> None:
    """Drop bytes the printer sent earlier (late replies, automatic status) so that replies
    pair with queries."""
    device = printer.device
    if isinstance(printer, Network):
        try:
            device.setblocking(False)
            while device.recv(256):
                pass
        except OSError:  # BlockingIOError: nothing (more) waiting
            pass
        finally:
            device.settimeout(printer.timeout)
    elif isinstance(printer, Serial):
        device.reset_input_buffer()


def _read_some(printer: Escpos, timeout: float) -> bytes | None:
    """Whatever the printer sends within ``timeout`` (b"" for nothing yet on USB/serial; None
    when the connection is gone). python-escpos' own ``_read`` waits for 16 bytes on serial
    and uses the print timeout on the network, so the read is done here per transport."""
    device = printer.device
    if isinstance(printer, Network):
        device.settimeout(timeout)
        try:
            data = device.recv(16)
        finally:
            device.settimeout(printer.timeout)
        return data or None  # b"": the printer closed the connection
    if isinstance(printer, Serial):
        previous = device.timeout
        device.timeout = timeout
        try:
            return device.read(1)
        finally:
            device.timeout = previous
    if isinstance(printer, Usb):
        return bytes(device.read(printer.in_ep, 16, max(1, int(timeout * 1000))))
    return bytes(printer._read())


def _read_reply(printer: Escpos, timeout: float) -> int | None:
    """One DLE EOT reply byte, or None if the printer said nothing usable within ``timeout``."""
    deadline = time.monotonic() + timeout
    data = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        try:
            chunk = _read_some(printer, remaining)
        except (socket.timeout, TimeoutError, NotImplementedError):
            return None
        except Exception as exc:  # pyusb's USBTimeoutError, serial errors, a reset connection
            log.debug("status read failed: %s", exc)
            return None
        if chunk is None:
            return None
        data += chunk
        # The last byte that looks like a status reply answers our query.
        for byte in reversed(data):
            if byte & _REPLY_MASK == _REPLY_BITS:
                return byte


def _query(printer: Escpos, request: bytes, timeout: float) -> int | None:
    printer._raw(request)
    return _read_reply(printer, timeout)


def read_status(printer: Escpos | None, timeout: float = DEFAULT_STATUS_TIMEOUT, *,
                first_timeout: float | None = None) -> PrinterStatus:
    """Ask the printer (DLE EOT 1, 2, 4) and parse the replies. No reply means offline with
    paper unknown (a printer with its cover open often answers nothing). Never raises for a
    printer that is off or unplugged; returns within about 3 x ``timeout`` at worst, and within
    ``timeout`` for a silent printer. ``first_timeout`` (default ``timeout``) is the wait for
    the first reply, which a printer still taking in a ticket gives only when it gets to it."""
    first_timeout = timeout if first_timeout is None else first_timeout
    if printer is None:
        return PrinterStatus(False, "unknown", None, "no printer configured (GECC_PRINTER=none)")
    if isinstance(printer, Dummy):
        return PrinterStatus(True, "unknown", None, "dummy printer: output kept in memory")
    if isinstance(printer, File):
        try:
            ok = printer.device is not None
        except Exception as exc:
            return PrinterStatus(False, "unknown", None, f"cannot open the device file: {exc}")
        return PrinterStatus(ok, "unknown", None,
                             "file output: the printer cannot report its status this way")
    if isinstance(printer, CupsPrinter):
        return _cups_status(printer)

    try:
        if printer.device is None:
            return PrinterStatus(False, "unknown", None, "not connected")
        _drain(printer)
        online_byte = _query(printer, RT_STATUS_ONLINE, first_timeout)
    except Exception as exc:  # broken pipe, reset, USB/serial gone
        return PrinterStatus(False, "unknown", None, f"cannot talk to the printer: {exc}")
    if online_byte is None:
        return PrinterStatus(False, "unknown", None,
                             f"no answer to the status query within {first_timeout:g} s "
                             "(printer off, unplugged, busy, or its cover is open)")
    online = not online_byte & _OFFLINE
    problems: list[str] = []
    cover_open: bool | None = None
    paper = "unknown"
    try:
        cause = _query(printer, RT_STATUS_OFFLINE_CAUSE, timeout)
        if cause is not None:
            cover_open = bool(cause & _COVER_OPEN)
            if cover_open:
                problems.append("cover open")
            if cause & _PAPER_END_STOP:
                paper = "out"
                problems.append("stopped at paper end")
            if cause & _ERROR:
                problems.append("printer error")
            if cause & _FEED_BUTTON:
                problems.append("feed button held")
        roll = _query(printer, RT_STATUS_PAPER, timeout)
        if roll is not None:
            if roll & _PAPER_END:
                paper = "out"
            elif roll & _NEAR_END:
                paper = "low" if paper != "out" else paper
            elif paper != "out":
                paper = "ok"
    except Exception as exc:
        problems.append(f"status read broke off: {exc}")
    if paper == "out" and "paper out" not in problems:
        problems.insert(0, "paper out")
    elif paper == "low":
        problems.append("paper low")
    state = "online" if online else "offline"
    return PrinterStatus(online, paper, cover_open,
                         state + (": " + ", ".join(problems) if problems else ""))


def _cups_status(printer: Escpos) -> PrinterStatus:
    """CUPS keeps the printer's state; python-escpos would write the queries into the job."""
    try:
        info = printer.printers.get(printer.printer_name, {})
    except Exception as exc:
        return PrinterStatus(False, "unknown", None, f"CUPS not reachable: {exc}")
    if not info:
        return PrinterStatus(False, "unknown", None, f"CUPS has no queue {printer.printer_name!r}")
    state = info.get("printer-state")
    reasons = info.get("printer-state-reasons") or []
    if isinstance(reasons, str):
        reasons = [reasons]
    text = " ".join(reasons)
    paper = "out" if "media-empty" in text or "media-needed" in text else (
        "low" if "media-low" in text else "unknown")
    cover = True if ("cover-open" in text or "door-open" in text) else None
    online = state in (3, 4) and paper != "out" and not cover
    return PrinterStatus(online, paper, cover,
                         f"CUPS state {state}, reasons: {', '.join(reasons) or 'none'}")


# --------------------------------------------------------------------------------------------
# Printing


def print_ticket(printer: Escpos | None, image: Image.Image, cut: bool = True,
                 fragment_height: int = FRAGMENT_HEIGHT) -> None:
    """Print a rendered ticket as GS v 0 raster bands with python-escpos, then feed and cut.

    Raises :class:`PrinterError` when the printer does not take the bytes; the ticket may then
    be partly printed, so the caller decides whether to print it again (the print job stays
    unacknowledged)."""
    if printer is None:
        raise PrinterError("no printer configured (GECC_PRINTER=none)")
    _set_paper_width(printer, image.width)
    try:
        printer.hw("INIT")  # a clean state even after a job that broke off
        # Band by band: python-escpos would convert the whole picture, then each band again.
        for top in range(0, image.height, fragment_height):
            band = image.crop((0, top, image.width, min(image.height, top + fragment_height)))
            printer.image(band, impl=RASTER_IMPL, fragment_height=fragment_height,
                          high_density_horizontal=True, high_density_vertical=True)
        if cut:
            printer.cut()
        _flush(printer)
    except (EscposError, OSError) as exc:
        raise PrinterError(f"printing failed: {exc}") from exc


@dataclass(frozen=True)
class PrintOutcome:
    """How a print job ended, for the print agent's acknowledgement.

    ``printed``: the printer took every byte (it answered a status query sent after the
    ticket, which it reads only after the ticket's bytes) and reported no paper end, cover or
    error; for transports without a status channel (dummy, file, CUPS) the bytes were handed
    over. ``not_sent``: nothing was sent (printer offline, silent, out of paper, cover open,
    unreachable): safe to print again later. ``uncertain``: bytes were sent but the printer did
    not confirm, or reported a problem after the ticket: the ticket may be missing or partial,
    and printing it again may print it twice; a person should look."""

    state: Literal["printed", "not_sent", "uncertain"]
    before: PrinterStatus
    after: PrinterStatus | None
    detail: str


def _has_status_channel(printer: Escpos) -> bool:
    return isinstance(printer, (Network, Serial, Usb))


def print_and_confirm(printer: Escpos | None, image: Image.Image, cut: bool = True,
                      status_timeout: float = DEFAULT_STATUS_TIMEOUT) -> PrintOutcome:
    """Check the printer, print the ticket, and confirm: the safe way for a print agent.

    A network printer gets a fresh connection for each job, so bytes are never written into a
    connection the printer dropped long ago. Never raises for printer trouble; see
    :class:`PrintOutcome`."""
    if printer is None:
        none = read_status(None)
        return PrintOutcome("not_sent", none, None, none.detail)
    if isinstance(printer, Network):
        try:
            printer.open()
        except (EscposError, OSError) as exc:
            down = PrinterStatus(False, "unknown", None, f"cannot connect: {exc}")
            return PrintOutcome("not_sent", down, None, down.detail)
    before = read_status(printer, status_timeout)
    channel = _has_status_channel(printer)
    # Online is what counts: a printer that answers "online" but not the paper query (some
    # clones) still prints; one that reports paper out or its cover open does not.
    if not before.online or before.paper == "out" or before.cover_open:
        return PrintOutcome("not_sent", before, None, f"not printed: {before.detail}")
    try:
        print_ticket(printer, image, cut=cut)
    except PrinterError as exc:
        return PrintOutcome("uncertain", before, None, str(exc))
    if not channel:
        return PrintOutcome("printed", before, None,
                            "handed over; this transport cannot confirm the print")
    # The printer answers a real-time query when it reads it, i.e. after every byte of the
    # ticket; give it the time to take the bands it had to buffer.
    after = read_status(printer, status_timeout, first_timeout=max(status_timeout, 2.0))
    if after.online and after.paper != "out" and not after.cover_open:
        return PrintOutcome("printed", before, after, after.detail)
    return PrintOutcome("uncertain", before, after, f"sent, then: {after.detail}")


def _flush(printer: Escpos) -> None:
    if isinstance(printer, CupsPrinter):
        printer.send()  # submit the job; the next print opens a new one
        printer.open()
    elif isinstance(printer, File):
        printer.flush()


def print_ticket_text(printer: Escpos | None, ticket: TicketPrint, codepage: str = "CP874",
                      codepage_number: int | None = None, cut: bool = True) -> None:
    """Text-mode ticket for printers with a Thai code page (faster, smaller, but how Thai comes
    out depends on the model). ``codepage`` is a python-escpos encoding name (``CP874`` is
    TIS-620 + Windows extras); ``codepage_number`` overrides the ESC t number from the
    printer's profile when the model uses another slot for it."""
    if printer is None:
        raise PrinterError("no printer configured (GECC_PRINTER=none)")
    if codepage_number is not None:
        profile = printer.profile
        data = copy.deepcopy(profile.profile_data)
        data["codePages"] = {**{k: v for k, v in data.get("codePages", {}).items()
                                if v != codepage}, str(codepage_number): codepage}
        profile.profile_data = data
        printer.magic.encoder = Encoder(profile.get_code_pages())
        printer.magic.encoding = None
    try:
        printer.hw("INIT")
        printer.magic.encoding = None  # ESC @ reset the code page: always select it again
        printer.charcode(codepage)
        printer.set(align="center", bold=True)
        printer.textln(ticket.office_name)
        printer.set(align="center", bold=False)
        if ticket.office_name_en:
            printer.textln(ticket.office_name_en)
        printer.textln("-" * 32)
        printer.set(align="center", bold=True)
        printer.textln(ticket.service_name_th)
        printer.set(align="center", bold=False)
        if ticket.service_name_en:
            printer.textln(ticket.service_name_en)
        printer.set(align="center", bold=True, double_width=True, double_height=True,
                    custom_size=False)
        printer.textln(ticket.number)
        printer.set(align="center", bold=False, normal_textsize=True)
        if ticket.is_priority:
            printer.textln(f"{ticket.priority_th} / {ticket.priority_en}")
        for th, en in ((ticket.ahead_th, ticket.ahead_en), (ticket.eta_th, ticket.eta_en)):
            if th:
                printer.textln(th)
                printer.textln(en)
        printer.textln(ticket.date_th)
        printer.qr(ticket.status_url, ec=QR_ECLEVEL_M, size=6, native=False,
                   image_arguments={"impl": RASTER_IMPL, "center": True})
        printer.textln("Scan to follow your queue")
        if cut:
            printer.cut()
        _flush(printer)
    except (EscposError, OSError) as exc:
        raise PrinterError(f"printing failed: {exc}") from exc
