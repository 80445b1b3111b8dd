"""Print jobs end to end with a stand-in printer: never lost, never printed twice."""

import threading
import time

import pytest
import sqlalchemy as sa

from printer.agent import PrintAgent, PrinterNotReached
from printer.journal import Journal
from printer.transports import LocalTransport
from queue_server.adapters.orm import print_jobs


class FakeDevice:
    """A printer that can be switched off, run out of paper, or fail part-way."""

    def __init__(self):
        self.online = True
        self.paper = "ok"
        self.fail_midway = False
        self.printed: list[str] = []

    def status(self) -> dict:
        return {"online": self.online, "paper": self.paper if self.online else "unknown",
                "cover_open": False if self.online else None,
                "detail": "ready" if self.online else "no answer"}

    def print_job(self, job: dict) -> None:
        if not self.online:
            raise PrinterNotReached("connection refused")
        if self.fail_midway:
            raise OSError("connection reset while sending")
        self.printed.append(job["ticket"]["number"])


def job_rows(app):
    with app.extensions["gecc"].engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(print_jobs).order_by(print_jobs.c.id))]


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def device():
    return FakeDevice()


@pytest.fixture
def local_agent(app, device, tmp_path):
    """The server's own agent (GECC_PRINTER set), started as `gecc-queue serve` starts it."""
    transport = LocalTransport(app.extensions["gecc"])
    agent = PrintAgent(device, Journal(tmp_path / "journal.sqlite3"), transport, status_interval=0.05)
    transport.attach(agent)
    agent.start()
    agent.refresh_status()
    yield agent
    agent.stop()


def test_a_kiosk_ticket_prints_once_and_is_acknowledged(api, app, device, local_agent):
    ticket = api.issue(1, channel="kiosk")
    assert ticket["print_job"]["status"] == "pending"
    assert ticket["printer"]["usable"] is True
    assert wait_for(lambda: job_rows(app)[0]["status"].value == "printed")
    assert device.printed == ["A001"]
    [row] = job_rows(app)
    assert row["payload"]["ticket"]["status_url"] == ticket["status_url"]
    assert row["payload"]["office"]["timezone"] == "Asia/Bangkok"


def test_reception_tickets_make_no_job_unless_a_printer_is_named(api, app):
    api.post("/tickets", {"service_id": 1, "channel": "reception"}, as_="reception")
    assert job_rows(app) == []
    desk = api.post("/tickets", {"service_id": 1, "channel": "reception", "kiosk_id": "desk-1"},
                    as_="reception").json
    assert desk["print_job"]["status"] == "pending" and job_rows(app)[0]["kiosk_id"] == "desk-1"


def test_printer_down_keeps_the_job_tells_the_kiosk_then_prints_once_when_back(
        api, app, device, local_agent):
    device.online = False
    assert wait_for(lambda: not api.get("/kiosks/local/printer").json["online"])
    ticket = api.issue(1, channel="kiosk")
    assert ticket["status"] == "waiting"  # the ticket exists whatever the printer does
    assert ticket["printer"]["usable"] is False  # the kiosk shows it on screen instead
    assert wait_for(lambda: job_rows(app)[0]["last_error"] is not None)
    assert job_rows(app)[0]["status"].value == "pending" and device.printed == []

    device.online = True  # paper loaded, cable back in
    assert wait_for(lambda: job_rows(app)[0]["status"].value == "printed")
    time.sleep(0.3)  # a few more status rounds: still printed once
    assert device.printed == ["A001"]
    assert api.get("/kiosks/local/printer").json["usable"] is True


def test_lost_acknowledgement_never_prints_twice(api, app, device, tmp_path):
    """The agent printed, then died before the server heard of it; a new agent takes over."""
    services = app.extensions["gecc"]
    journal_path = tmp_path / "journal.sqlite3"

    class AckLost(LocalTransport):
        def acknowledge(self, *args):
            raise ConnectionError("killed before the acknowledgement left")

    first = PrintAgent(device, Journal(journal_path), AckLost(services))
    api.issue(1, channel="kiosk")
    [job] = services.printing.pending(None)
    first.handle(job)
    assert device.printed == ["A001"] and job_rows(app)[0]["status"].value == "pending"
    first.journal.close()

    second = PrintAgent(device, Journal(journal_path), LocalTransport(services))
    for job in services.printing.pending(None):  # the server offers it again
        assert second.handle(job) == "printed"
    assert device.printed == ["A001"]
    assert job_rows(app)[0]["status"].value == "printed"


def test_a_print_that_fails_part_way_is_not_retried(api, app, device, local_agent):
    device.fail_midway = True
    api.issue(1, channel="kiosk")
    assert wait_for(lambda: job_rows(app)[0]["status"].value == "uncertain")
    device.fail_midway = False
    time.sleep(0.2)
    assert device.printed == []  # staff reprint from the console if the ticket is unreadable


def test_reprint_from_the_counter(api, app, device, local_agent):
    ticket = api.issue(1, channel="kiosk")
    assert wait_for(lambda: len(device.printed) == 1)
    again = api.post(f"/tickets/{ticket['id']}/reprint", {}, as_="staff1")
    assert again.status_code == 201
    assert wait_for(lambda: len(device.printed) == 2)
    assert [r["reason"] for r in job_rows(app)] == ["issued", "reprint"]
    assert api.post(f"/tickets/{ticket['id']}/reprint", {}).status_code == 401


def test_jobs_survive_a_server_restart(db_url, clock, tmp_path, device):
    from conftest import make_app

    first = make_app(db_url, clock)
    from conftest import Api
    Api(first).issue(1, channel="kiosk", kiosk_id="k1")
    first.extensions["gecc"].engine.dispose()

    second = make_app(db_url, clock)  # a new process on the same database
    try:
        pending = second.extensions["gecc"].printing.pending("k1")
        assert [j["ticket"]["number"] for j in pending] == ["A001"]
        assert pending[0]["attempt"] == 2
    finally:
        second.extensions["gecc"].engine.dispose()


def test_stale_jobs_expire_instead_of_printing_late(api, app, clock):
    api.issue(1, channel="kiosk", kiosk_id="k1")
    clock.advance(minutes=11)
    assert app.extensions["gecc"].printing.pending("k1") == []
    assert job_rows(app)[0]["status"].value == "expired"


def test_an_agent_only_answers_for_its_own_kiosk(api, app):
    from queue_server.domain.errors import NotFound
    api.issue(1, channel="kiosk", kiosk_id="k1")
    [job] = app.extensions["gecc"].printing.pending("k1")
    with pytest.raises(NotFound):
        app.extensions["gecc"].printing.acknowledge(job["job_id"], "k2", "printed")
    assert job_rows(app)[0]["status"].value == "pending"


def test_a_new_database_is_not_mistaken_for_the_old_one(sqlite_url, clock, tmp_path, device):
    """Job ids start at 1 again on a new or restored database: the journal must not skip them."""
    from conftest import Api, make_app
    journal = tmp_path / "journal.sqlite3"
    for run in range(2):
        db = tmp_path / f"office-{run}.sqlite3"
        import shutil
        shutil.copy(sqlite_url.removeprefix("sqlite:///"), db)
        app = make_app(f"sqlite:///{db}", clock)
        try:
            Api(app).issue(1, channel="kiosk")
            agent = PrintAgent(device, Journal(journal), LocalTransport(app.extensions["gecc"]))
            [job] = app.extensions["gecc"].printing.pending(None)
            assert job["job_id"] == 1
            assert agent.handle(job) == "printed"
            agent.journal.close()
        finally:
            app.extensions["gecc"].engine.dispose()
    assert device.printed == ["A001", "A001"]


def test_journal_claims_a_job_once_even_from_two_threads(tmp_path):
    journal = Journal(tmp_path / "j.sqlite3")
    wins = []
    barrier = threading.Barrier(8)

    def claim():
        barrier.wait()
        wins.append(journal.start("42:token"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1


def test_reprint_goes_to_the_printer_that_printed_first_unless_told(api, app):
    t = api.issue(1, channel="kiosk", kiosk_id="k7")
    api.post(f"/tickets/{t['id']}/reprint", {}, as_="reception")
    api.post(f"/tickets/{t['id']}/reprint", {"kiosk_id": "desk-2"}, as_="reception")
    assert [r["kiosk_id"] for r in job_rows(app)] == ["k7", "k7", "desk-2"]


def test_kiosk_screen_qr_for_when_the_printer_cannot_print(api, app):
    t = api.issue(1, channel="kiosk")
    assert t["printer"]["usable"] is False  # no agent has reported: show it on screen
    svg = api.client.get(f"/t/{t['token']}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    assert api.client.get("/t/no-such-ticket/qr.svg").status_code == 404


def test_the_print_flag_decides_whether_a_ticket_prints(api, app):
    api.post("/tickets", {"service_id": 1, "channel": "reception", "print": True}, as_="reception")
    api.issue(1, channel="kiosk", print=False)  # a kiosk with no printer at all
    desk = api.post("/tickets", {"service_id": 1, "channel": "reception", "print": True,
                                 "kiosk_id": "desk-1"}, as_="reception").json
    assert [(r["kiosk_id"], r["ticket_id"]) for r in job_rows(app)] == [(None, 1), ("desk-1", desk["id"])]
    assert api.post("/tickets", {"service_id": 1, "print": "yes"}).status_code == 400
