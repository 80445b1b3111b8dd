"""Short-lived, in-process copies of what changes rarely (offices, services, counter links,
typical service times), so the hot paths (issue, call) do not read them on every request.

Every entry expires after a few seconds, so a change made by another server process shows
within that time; changes made through this process drop the entries at once. Nothing here
decides who is called or which number is given: those always read the database.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from ..domain.eta import typical_service_minutes
from ..domain.model import Office, Service, recent_window


class TtlCache:
    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key, compute):
        now = self.clock()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = compute()
        with self._lock:
            self._items[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class Catalog:
    def __init__(self, clock, seconds: float = 5.0, service_time_seconds: float = 30.0):
        # The use cases' own clock, so a test that moves time moves the cache with it.
        def seconds_now() -> float:
            return clock().timestamp()

        self.reference = TtlCache(seconds, seconds_now)  # offices, services, links, open counters
        self.service_times = TtlCache(service_time_seconds, seconds_now)
        self.printers = TtlCache(2.0, seconds_now)

    # `offices`: the unit of work's office repository; `tickets`: its ticket repository.

    def office(self, offices, office_id: int | None) -> Office | None:
        return self.reference.get(("office", office_id),
                                  lambda: offices.detach(offices.office(office_id)))

    def service(self, offices, service_id: int) -> Service | None:
        return self.reference.get(("service", service_id),
                                  lambda: offices.detach(offices.service(service_id)))

    def counter_ids_serving(self, offices, service_id: int) -> list[int]:
        return self.reference.get(("links", service_id), lambda: [
            link.counter_id for link in offices.counter_links(service_id)])

    def open_counter_counts(self, offices, service_ids: list[int]) -> dict[int, int]:
        key = ("open", tuple(sorted(service_ids)))
        return self.reference.get(key, lambda: offices.open_counter_counts(service_ids))

    def service_minutes(self, tickets, service: Service, now: datetime) -> float:
        return self.service_times.get(service.id, lambda: typical_service_minutes(
            tickets.recent_service_seconds(service.id, recent_window(now)), service.standard_minutes))

    def printer_state(self, print_jobs, kiosk_id: str | None):
        """What the kiosk's agent last said; reports through this process replace it at once."""
        return self.printers.get(kiosk_id, lambda: print_jobs.printer_state(kiosk_id))

    def forget_printer(self) -> None:
        self.printers.clear()

    def forget_reference(self) -> None:
        """An office, service or counter changed here: read them afresh."""
        self.reference.clear()

