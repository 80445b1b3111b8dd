"""The real print agent process, a real server process and a printer on a loopback TCP port."""

import os
import subprocess
import sys

import pytest
import requests
import zxingcpp

from printer.escpos_decode import decode
from printer_fixtures import HEALTHY, fake_printer  # noqa: F401 - fixture
from test_processes import token_for

pytestmark = pytest.mark.live_server


def start_agent(server_url, kiosk, printer_url, token, tmp_path):
    log = open(tmp_path / f"agent-{kiosk}.log", "ab")
    return subprocess.Popen(
        [sys.executable, "-m", "queue_server.cli", "print-agent", "--server", server_url,
         "--kiosk", kiosk, "--printer", printer_url, "--token", token, "--status-interval", "0.3",
         "--journal", str(tmp_path / f"journal-{kiosk}.sqlite3")],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ), cwd=tmp_path)


def printer_state(server, kiosk):
    return requests.get(f"{server.url}/api/v1/kiosks/{kiosk}/printer", timeout=5).json()


def wait(predicate, timeout=20.0):
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_agent_prints_each_ticket_once_through_outages_and_restarts(
        tmp_path, server_factory, fake_printer):  # noqa: F811
    db = f"sqlite:///{tmp_path}/agent.sqlite3"
    server = server_factory(db, command="demo")
    device_token = token_for_device("k1", db, tmp_path)
    printer = fake_printer(replies=None)  # switched on but silent: cover open, or jammed
    agent = start_agent(server.url, "k1", printer.url, device_token, tmp_path)
    try:
        assert wait(lambda: printer_state(server, "k1")["updated_at"] is not None)
        assert printer_state(server, "k1")["usable"] is False

        # 1. Printer in trouble: the ticket is issued, the kiosk is told, nothing prints.
        first = requests.post(f"{server.url}/api/v1/tickets",
                              json={"service_id": 1, "kiosk_id": "k1"}, timeout=5).json()
        assert first["number"] == "A001" and first["printer"]["usable"] is False
        assert not printer.wait_for(lambda b: b"\x1dv0" in b, timeout=1.5)

        # 2. The printer comes back: the held job prints, once.
        printer.replies = printer.after_print = HEALTHY
        assert printer.wait_for(lambda b: decode(b, strict=False).cuts >= 1, timeout=20)
        assert wait(lambda: printer_state(server, "k1")["usable"] is True)
        printed = decode(bytes(printer.received), strict=False)
        picture = printed.picture()
        assert picture.width == 576
        [code] = zxingcpp.read_barcodes(picture.convert("L"))
        assert code.text == first["status_url"]

        # 3. The agent is killed and started again: nothing is printed twice.
        agent.kill()
        agent.wait(10)
        agent = start_agent(server.url, "k1", printer.url, device_token, tmp_path)
        # 4. The server is killed and started again: the agent reconnects by itself.
        server.kill()
        server = server_factory(db, command="serve", port=server.port)
        second = requests.post(f"{server.url}/api/v1/tickets",
                               json={"service_id": 1, "kiosk_id": "k1"}, timeout=5).json()
        assert second["number"] == "A002"
        assert printer.wait_for(lambda b: decode(b, strict=False).cuts >= 2, timeout=30)
        assert wait(lambda: False, timeout=1.5) is False  # give a double print the time to show
        assert decode(bytes(printer.received), strict=False).cuts == 2
    finally:
        agent.kill()
        agent.wait(10)


def token_for_device(kiosk, db, cwd) -> str:
    result = subprocess.run([sys.executable, "-m", "queue_server.cli", "token", "create",
                             "--device", kiosk, "--db", db], capture_output=True, text=True,
                            timeout=60, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_staff_token_is_not_a_print_agent_token(tmp_path, server_factory):
    import socketio
    db = f"sqlite:///{tmp_path}/agent.sqlite3"
    server = server_factory(db, command="demo")
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth={"token": token_for("staff1", db, tmp_path)},
                       transports=["websocket"], wait_timeout=5)


def test_printer_render_writes_the_ticket_a_service_would_print(tmp_path):
    from PIL import Image
    db = f"sqlite:///{tmp_path}/render.sqlite3"
    seed = subprocess.run([sys.executable, "-c", (
        "import os; from queue_server.cli import _app; from queue_server.seed import seed_demo_office;"
        f"app = _app({db!r}); seed_demo_office(app.extensions['gecc'])")],
        capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert seed.returncode == 0, seed.stderr
    out = tmp_path / "t.png"
    result = subprocess.run([sys.executable, "-m", "queue_server.cli", "printer", "render",
                             "--service-id", "2", "--out", str(out), "--paper", "58mm", "--db", db],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "B001" in result.stdout
    picture = Image.open(out)
    assert picture.width == 384
    [code] = zxingcpp.read_barcodes(picture.convert("L"))
    assert code.text.endswith("/t/preview")


def test_one_pc_office_the_server_prints_with_gecc_printer(tmp_path, server_factory, fake_printer):  # noqa: F811
    printer = fake_printer()
    server = server_factory(f"sqlite:///{tmp_path}/one.sqlite3", command="demo",
                            env={"GECC_PRINTER": printer.url})
    assert wait(lambda: printer_state(server, "local")["usable"] is True)
    ticket = requests.post(f"{server.url}/api/v1/tickets", json={"service_id": 3}, timeout=5).json()
    assert ticket["printer"]["usable"] is True
    assert printer.wait_for(lambda b: decode(b, strict=False).cuts == 1, timeout=20)
    [code] = zxingcpp.read_barcodes(decode(bytes(printer.received), strict=False).picture().convert("L"))
    assert code.text == ticket["status_url"]
