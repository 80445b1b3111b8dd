"""Fixtures for the printing tests: a realistic Thai ticket, a font without Thai, and a fake
network printer on a loopback TCP port that records what it receives and answers (or not)
the DLE EOT status queries.

Each test module imports the fixtures it uses from here. This is not a conftest.py: the
tests directories have no __init__.py, so a second conftest.py would take the module name
`conftest` from tests/conftest.py, which other tests import by that name."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from PIL import ImageFont

from printer.fonts import ThaiFonts
from printer.ticket import TicketPrint

# DLE EOT replies of a healthy printer: n=1 online, n=2 no offline cause, n=4 paper present.
HEALTHY = {1: 0x12, 2: 0x12, 4: 0x12}


@pytest.fixture
def ticket() -> TicketPrint:
    return TicketPrint.sample()


@pytest.fixture(scope="session")
def no_thai_fonts(tmp_path_factory) -> ThaiFonts:
    """Pillow's own default font (Aileron), which has no Thai letters, as a font file."""
    default = ImageFont.load_default(20)
    path = Path(tmp_path_factory.mktemp("fonts")) / "aileron-no-thai.otf"
    path.write_bytes(default.path.getvalue())
    return ThaiFonts(path, path, "test", "Aileron")


SAME = object()


class FakeNetworkPrinter:
    """A raw-TCP (port 9100 style) printer on 127.0.0.1: records every byte; answers DLE EOT n
    with ``replies[n]`` when the bytes received so far end with that query; says nothing for
    an n missing from ``replies`` (``replies=None``: a silent printer). Once it has received a
    raster image it answers from ``after_print`` instead (paper ran out while printing...)."""

    def __init__(self, replies: dict[int, int] | None = None, after_print=SAME):
        self.replies = replies
        self.after_print = replies if after_print is SAME else after_print
        self.printed = False
        self.received = bytearray()
        self.connections = 0
        self.queries: list[int] = []
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="fake-printer", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"network://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                with self._lock:
                    self.received += chunk
                    tail = bytes(self.received[-3:])
                    self.printed = self.printed or b"\x1dv0" in self.received[-len(chunk) - 2:]
                replies = self.after_print if self.printed else self.replies
                if len(tail) == 3 and tail[:2] == b"\x10\x04":
                    n = tail[2]
                    self.queries.append(n)
                    if replies is not None and n in replies:
                        try:
                            conn.sendall(bytes([replies[n]]))
                        except OSError:
                            return

    def wait_for(self, predicate, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(bytes(self.received)):
                    return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        self._thread.join(timeout=2)


@pytest.fixture
def fake_printer():
    """Factory: ``fake_printer(replies)``; every fake is closed after the test."""
    made: list[FakeNetworkPrinter] = []

    def make(replies: dict[int, int] | None = HEALTHY, after_print=SAME) -> FakeNetworkPrinter:
        fake = FakeNetworkPrinter(replies, after_print)
        made.append(fake)
        return fake

    yield make
    for fake in made:
        fake.close()
