"""Opening hours: the regular day plus the extra windows GECC counts (lunch, evening, weekend)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Window:
    """Open from `start` to `end` (local time) on the given weekdays (0 = Monday).

    `kind` is `regular`, or one of the extended windows GECC checklist item 1 asks for:
    `lunch`, `evening`, `weekend`.
    """

    days: tuple[int, ...]
    start: time
    end: time
    kind: str = "regular"

    def covers(self, local: datetime) -> bool:
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def to_json(self) -> dict:
        return {"days": [DAY_NAMES[d] for d in self.days], "start": self.start.strftime("%H:%M"),
                "end": self.end.strftime("%H:%M"), "kind": self.kind}

    @classmethod
    def from_json(cls, data: dict) -> Window:
        return cls(days=tuple(DAY_NAMES.index(d) for d in data["days"]),
                   start=time.fromisoformat(data["start"]), end=time.fromisoformat(data["end"]),
                   kind=data.get("kind", "regular"))


@dataclass(frozen=True)
class OpeningHours:
    windows: tuple[Window, ...]

    @classmethod
    def default(cls) -> OpeningHours:
        """A GECC-style district office: weekdays 08:30-16:30 with no lunch closure, evening
        service to 19:00, and Saturday morning."""
        weekdays = (0, 1, 2, 3, 4)
        return cls((
            Window(weekdays, time(8, 30), time(12, 0)),
            Window(weekdays, time(12, 0), time(13, 0), "lunch"),
            Window(weekdays, time(13, 0), time(16, 30)),
            Window(weekdays, time(16, 30), time(19, 0), "evening"),
            Window((5,), time(9, 0), time(12, 0), "weekend"),
        ))

    def window_at(self, local: datetime) -> Window | None:
        return next((w for w in self.windows if w.covers(local)), None)

    def is_open(self, local: datetime) -> bool:
        return self.window_at(local) is not None

    def to_json(self) -> list[dict]:
        return [w.to_json() for w in self.windows]

    @classmethod
    def from_json(cls, data: list[dict]) -> OpeningHours:
        return cls(tuple(Window.from_json(w) for w in data))
