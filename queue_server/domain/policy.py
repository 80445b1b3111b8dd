"""Who is called next: the fair-calling policy.

Every waiting ticket gets a score in minutes:

    score = minutes waited in this queue
            + head start for its class (priority class, appointment, transfer)
            - preference step x the counter's rank for its service

and the highest score is called; ties go to the earlier ticket. Consequences:

- Within one service and class the order is strictly first come, first served.
- A priority ticket goes ahead of ordinary tickets that have waited less than its head start
  longer than it, never further: a head start is a fixed number of minutes, so a ticket that
  waits long enough is called before any newcomer, whatever its class (the ageing rule; nobody
  waits forever).
- A counter serves its main service first; a secondary service's ticket is taken when it has
  waited `preference_step_minutes` per rank longer than the main queue's head.

Every call that skips an earlier ticket of the same service is recorded with its reason
(GECC physical checklist 11: a fair queue, with out-of-order calls explained).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class Candidate(Protocol):
    id: int
    service_id: int
    queued_at: datetime
    is_priority: bool
    appointment_at: datetime | None
    transfer_count: int
    queue_key: datetime


@dataclass(frozen=True)
class CallingPolicy:
    priority_head_start_minutes: float = 15.0
    appointment_head_start_minutes: float = 30.0
    transfer_head_start_minutes: float = 30.0
    preference_step_minutes: float = 10.0

    def head_start(self, ticket: Candidate) -> tuple[float, str | None]:
        """The ticket's head start in minutes and the reason it has one (None: ordinary)."""
        key, reason = self._best_place(ticket)
        return (ticket.queued_at - key).total_seconds() / 60.0, reason

    def queue_key(self, ticket: Candidate) -> datetime:
        """The moment the ticket counts as having joined its queue: the queue is ordered by it.

        It is fixed when the ticket joins (issue, re-queue, transfer), so a later change of
        policy never moves anyone already waiting.
        """
        return self._best_place(ticket)[0]

    def _best_place(self, ticket: Candidate) -> tuple[datetime, str | None]:
        """The earliest of the places the ticket's class gives it, and that class."""
        def ahead(minutes: float, since: datetime | None = None) -> datetime:
            return (since or ticket.queued_at) - timedelta(minutes=minutes)

        options = [(ticket.queued_at, None)]
        if ticket.is_priority:
            options.append((ahead(self.priority_head_start_minutes), "priority"))
        if ticket.appointment_at is not None:
            # Counted from the slot, not from an early arrival: whoever booked 10:00 and came
            # at 9:00 waits as everyone who came at 9:00 does, and goes ahead only near 10:00.
            options.append((ahead(self.appointment_head_start_minutes,
                                  max(ticket.queued_at, ticket.appointment_at)), "appointment"))
        if ticket.transfer_count:
            options.append((ahead(self.transfer_head_start_minutes), "transfer"))
        return min(options, key=lambda option: option[0])

    def choose(self, heads: list[Candidate], now: datetime,
               ranks: dict[int, int]) -> Candidate | None:
        """Of the heads of the counter's queues (one per service), the one to call."""
        if not heads:
            return None

        def merit(t: Candidate) -> tuple:
            waited = (now - t.queue_key).total_seconds() / 60.0
            return (-(waited - self.preference_step_minutes * ranks.get(t.service_id, 0)),
                    t.queued_at, t.id)

        return min(heads, key=merit)
