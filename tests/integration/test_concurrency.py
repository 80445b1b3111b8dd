"""Many kiosks and counters at once, on a real database: no number twice, no ticket called twice."""

import threading
import time
from collections import Counter, defaultdict

import sqlalchemy as sa

from queue_server.adapters.orm import ticket_events, tickets
from queue_server.app import create_app
from queue_server.domain.errors import QueueEmpty
from queue_server.domain.model import Actor, Channel, Priority
from queue_server.seed import seed_demo_office

ISSUERS = 8
TICKETS_EACH = 30
CALLERS = 6  # counters 1..5 and a second console on counter 1
SERVICES = [1, 2, 3, 4, 5]


def test_concurrent_kiosks_and_counters(db_url):
    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "t", "TESTING": True})
    services = app.extensions["gecc"]
    try:
        run_rush(services)
    finally:
        services.engine.dispose()


def run_rush(services) -> None:
    seed_demo_office(services)
    use_cases = services.tickets
    start = threading.Barrier(ISSUERS + CALLERS)
    issuing_done = threading.Event()
    issued, called, errors = [], [], []
    lock = threading.Lock()

    def issuer(n: int) -> None:
        try:
            start.wait()
            for i in range(TICKETS_EACH):
                service_id = SERVICES[(n + i) % len(SERVICES)]
                priority = Priority.ELDERLY if i % 7 == 0 else Priority.NORMAL
                t = use_cases.issue_ticket(service_id, priority, Channel.KIOSK, Actor("kiosk", str(n)))
                with lock:
                    issued.append(t)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def caller(counter_id: int) -> None:
        try:
            start.wait()
            while True:
                try:
                    t = use_cases.call_next(counter_id, Actor.user(4))
                    with lock:
                        called.append(t)
                except QueueEmpty:
                    if issuing_done.is_set():
                        return
                    time.sleep(0.01)  # a clerk presses again a moment later
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=issuer, args=(n,)) for n in range(ISSUERS)]
    callers = [threading.Thread(target=caller, args=(c,)) for c in [1, 2, 3, 4, 5, 1]]
    for t in threads + callers:
        t.start()
    for t in threads:
        t.join(120)
    issuing_done.set()
    for t in callers:
        t.join(120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads + callers)

    total = ISSUERS * TICKETS_EACH
    assert len(issued) == total
    # Numbers: unique and contiguous per service, 1..n with no gap.
    per_service = defaultdict(list)
    for t in issued:
        per_service[t["service_id"]].append(int(t["number"][1:]))
    for service_id, numbers in per_service.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), service_id

    # Every ticket called exactly once: by the answers, and by the event record.
    assert sorted(t["id"] for t in called) == sorted(t["id"] for t in issued)
    with services.engine.connect() as conn:
        calls = Counter(conn.execute(
            sa.select(ticket_events.c.ticket_id).where(ticket_events.c.kind == "called")).scalars())
        statuses = Counter(s.value for s in conn.execute(sa.select(tickets.c.status)).scalars())
    assert len(calls) == total and set(calls.values()) == {1}
    # Each counter's last ticket is still at its counter; every other one was finished by Next.
    assert statuses["waiting"] == 0
    assert statuses["called"] <= 5 and statuses["called"] + statuses["finished"] == total
