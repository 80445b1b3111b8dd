"""Many check-ins of the same bookings at once (a citizen scanning twice, two kiosks), among
ordinary kiosk tickets, on a real database: one ticket per booking, whatever the race."""

import threading
from collections import Counter, defaultdict
from datetime import timedelta

import sqlalchemy as sa

from conftest import FakeClock, make_app
from queue_server.adapters.orm import booking_events, bookings, ticket_events, tickets
from queue_server.domain.model import Actor, Channel, Priority

BOOKINGS = 6
SCANS_EACH = 5          # threads checking in the same booking at the same moment
WALK_INS = 4            # kiosks issuing ordinary tickets meanwhile
TICKETS_EACH = 10


def test_concurrent_check_ins_never_make_two_tickets(db_url):
    clock = FakeClock()
    app = make_app(db_url, clock)
    services = app.extensions["gecc"]
    try:
        codes = [services.bookings.create(1 + i % 2, clock.now + timedelta(minutes=10 + i),
                                          Actor.system())["code"] for i in range(BOOKINGS)]
        answers, errors = defaultdict(list), []
        lock = threading.Lock()
        start = threading.Barrier(BOOKINGS * SCANS_EACH + WALK_INS)

        def scan(code: str, kiosk: int) -> None:
            try:
                start.wait()
                view, issued = services.bookings.check_in(code, Actor("kiosk", f"k{kiosk}"),
                                                          kiosk_id=f"k{kiosk}")
                with lock:
                    answers[code].append((view["id"], view["number"], issued))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        def walk_in(n: int) -> None:
            try:
                start.wait()
                for i in range(TICKETS_EACH):
                    services.tickets.issue_ticket(1 + (n + i) % 2, Priority.NORMAL, Channel.KIOSK,
                                                Actor("kiosk", str(n)))
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=scan, args=(code, k))
                   for code in codes for k in range(SCANS_EACH)]
        threads += [threading.Thread(target=walk_in, args=(n,)) for n in range(WALK_INS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        assert not any(t.is_alive() for t in threads)

        # Every scan of a booking answered the same ticket; exactly one of them issued it.
        for code in codes:
            got = answers[code]
            assert len(got) == SCANS_EACH
            assert len({(ticket_id, number) for ticket_id, number, _ in got}) == 1, got
            assert sum(issued for *_, issued in got) == 1, got

        with services.engine.connect() as conn:
            online = conn.execute(sa.select(tickets.c.id).where(tickets.c.channel == "online")).scalars().all()
            linked = conn.execute(sa.select(bookings.c.ticket_id)).scalars().all()
            checked_in = Counter(conn.execute(
                sa.select(booking_events.c.booking_id)
                .where(booking_events.c.kind == "checked_in")).scalars())
            issued = conn.execute(sa.select(sa.func.count()).select_from(ticket_events)
                                  .where(ticket_events.c.kind == "issued")).scalar()
            numbers = conn.execute(sa.select(tickets.c.issued_service_id, tickets.c.number)).all()
        assert sorted(online) == sorted(linked) and len(online) == BOOKINGS
        assert len(checked_in) == BOOKINGS and set(checked_in.values()) == {1}
        assert issued == BOOKINGS + WALK_INS * TICKETS_EACH
        # Booked and walk-in tickets share each service's one sequence: no number twice, no gap.
        per_service = defaultdict(list)
        for service_id, number in numbers:
            per_service[service_id].append(number)
        for service_id, got in per_service.items():
            assert sorted(got) == list(range(1, len(got) + 1)), service_id
    finally:
        services.engine.dispose()
