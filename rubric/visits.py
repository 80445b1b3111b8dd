"""The visits of a period as columns: one numpy array per field, one entry per ticket.

A year of a busy office is a quarter of a million tickets; a Python object per ticket and a
pass per figure took 15 s, the same figures over columns take a fraction of a second. Times
are whole microseconds since the Unix epoch (UTC) in int64, so differences are exact and a
wait of 20 minutes is exactly 20.0 against a 20-minute target; a missing time is `NO_TIME`.
`Visit` is one row, for tests and small hand-made periods (`Visits.of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np

NO_TIME = np.iinfo(np.int64).min
MICROS_PER_MINUTE = 60_000_000
MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE
MICROS_PER_DAY = 24 * MICROS_PER_HOUR
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
EPOCH_WEEKDAY = 3  # 1 January 1970 was a Thursday (Monday = 0)


def to_micros(when: datetime | None) -> int:
    """An aware datetime as microseconds since the epoch; NO_TIME for None."""
    if when is None:
        return int(NO_TIME)
    delta = when - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass(slots=True)  # one ticket, as tickets.csv lists it (tests, small periods)
class Visit:
    id: int
    number: str
    service_id: int            # the service it was issued for (a transfer keeps it)
    final_service_id: int      # where it ended
    counter_id: int | None     # the counter that served it last
    clerk_id: int | None
    status: str
    priority: str
    channel: str
    day: date
    issued_at: datetime
    first_called_at: datetime | None
    finished_at: datetime | None
    service_minutes: float | None
    triaged: bool = False
    out_of_order: tuple[str, ...] = ()  # the reasons of its calls that passed over others
    transferred: bool = False
    no_shows: int = 0
    # finished by Next (or another call) without a start: a call never served; its service
    # time is left out of every figure (service_minutes is taken as None)
    unstarted: bool = False


# The record of one ticket as the evidence reads it from the database (Visits.from_rows):
# kinds as text, ids of the counter and clerk as floats (NaN: none), instants parsed from text.
RECORD = np.dtype([
    ("id", "i8"), ("number", "O"), ("service_id", "i8"), ("final_service_id", "i8"),
    ("counter_id", "f8"), ("clerk_id", "f8"), ("status", "O"), ("priority", "O"),
    ("channel", "O"), ("day", "M8[D]"), ("issued", "M8[us]"), ("service_began", "M8[us]"),
    ("finished", "M8[us]"), ("triaged", "?"), ("transfers", "i8"), ("no_shows", "i8"),
    ("first_called", "M8[us]"), ("unstarted", "?")])


@dataclass
class Visits:
    """The period's tickets, ordered by id. Ids of counters and clerks are 0 where none."""

    id: np.ndarray                 # int64
    number: list[str]
    service_id: np.ndarray         # int64, the service issued for
    final_service_id: np.ndarray   # int64, where it ended
    counter_id: np.ndarray         # int64, 0: none
    clerk_id: np.ndarray           # int64, 0: none
    status: np.ndarray             # str (object array)
    priority: np.ndarray           # str (object array)
    channel: np.ndarray            # str (object array)
    day: np.ndarray                # datetime64[D], the office's local service day
    issued: np.ndarray             # int64 microseconds, UTC
    first_called: np.ndarray       # int64 microseconds, NO_TIME if never called
    finished: np.ndarray           # int64 microseconds, NO_TIME if not finished
    service_minutes: np.ndarray    # float64, NaN unless finished
    triaged: np.ndarray            # bool
    transferred: np.ndarray        # bool
    no_shows: np.ndarray           # int64
    unstarted: np.ndarray          # bool, finished by Next without a start (no service time)
    out_of_order: dict[int, tuple[str, ...]] = field(default_factory=dict)  # id -> reasons

    def __len__(self) -> int:
        return len(self.id)

    @property
    def called(self) -> np.ndarray:
        return self.first_called != NO_TIME

    @property
    def wait_minutes(self) -> np.ndarray:
        """Issue to first call in minutes; NaN where never called. Computed as
        timedelta.total_seconds() / 60 is, so it is the same float."""
        called = self.called
        waits = np.full(len(self.id), np.nan)
        waits[called] = (self.first_called[called] - self.issued[called]) / 1e6 / 60
        return waits

    @classmethod
    def of(cls, visits: list[Visit]) -> Visits:
        return cls.from_columns(
            id=[v.id for v in visits], number=[v.number for v in visits],
            service_id=[v.service_id for v in visits],
            final_service_id=[v.final_service_id for v in visits],
            counter_id=[v.counter_id or 0 for v in visits],
            clerk_id=[v.clerk_id or 0 for v in visits],
            status=[v.status for v in visits], priority=[v.priority for v in visits],
            channel=[v.channel for v in visits], day=[v.day for v in visits],
            issued=[to_micros(v.issued_at) for v in visits],
            first_called=[to_micros(v.first_called_at) for v in visits],
            finished=[to_micros(v.finished_at) for v in visits],
            service_minutes=[np.nan if v.service_minutes is None or v.unstarted
                             else v.service_minutes for v in visits],
            triaged=[v.triaged for v in visits], transferred=[v.transferred for v in visits],
            no_shows=[v.no_shows for v in visits], unstarted=[v.unstarted for v in visits],
            out_of_order={v.id: v.out_of_order for v in visits if v.out_of_order})

    @classmethod
    def from_rows(cls, rows: list[tuple],
                  out_of_order: dict[int, list[str]] | None = None) -> Visits:
        """From the record's rows: tuples in the order of RECORD's fields (times as ISO 8601
        text, 'YYYY-MM-DD HH:MM:SS.ffffff', UTC; None where there is none; ids of counters
        and clerks None where there is none). numpy converts the whole list at once, text
        to instants included."""
        table = np.array(rows, dtype=RECORD) if rows else np.zeros(0, dtype=RECORD)

        def column(name: str) -> np.ndarray:
            return np.ascontiguousarray(table[name])

        def instants(name: str) -> np.ndarray:
            return column(name).view(np.int64)  # NaT is NO_TIME

        status, finished, began = column("status"), instants("finished"), instants("service_began")
        # Service runs from its start (or its latest call when never started) to the finish;
        # only finished tickets have one, and not those Next closed before a start.
        unstarted = column("unstarted")
        done = (status == "finished") & (finished != NO_TIME) & (began != NO_TIME) & ~unstarted
        service_minutes = np.full(len(table), np.nan)
        service_minutes[done] = (finished[done] - began[done]) / 1e6 / 60
        return cls(
            id=column("id"), number=table["number"].tolist(), service_id=column("service_id"),
            final_service_id=column("final_service_id"),
            counter_id=np.nan_to_num(column("counter_id")).astype(np.int64),
            clerk_id=np.nan_to_num(column("clerk_id")).astype(np.int64),
            status=status, priority=column("priority"), channel=column("channel"),
            day=column("day"), issued=instants("issued"), first_called=instants("first_called"),
            finished=finished, service_minutes=service_minutes, triaged=column("triaged"),
            transferred=column("transfers") > 0, no_shows=column("no_shows"),
            unstarted=unstarted,
            out_of_order={i: tuple(r) for i, r in (out_of_order or {}).items()})

    @classmethod
    def from_columns(cls, *, id, number, service_id, final_service_id, counter_id, clerk_id,
                     status, priority, channel, day, issued, first_called, finished,
                     service_minutes, triaged, transferred, no_shows, unstarted=None,
                     out_of_order=None) -> Visits:
        def ints(values):
            if isinstance(values, np.ndarray):
                return values.astype(np.int64, copy=False)
            return np.fromiter(values, dtype=np.int64, count=len(values))

        def texts(values):
            # object arrays of the row's own str objects: no copy into fixed-width text
            return values if isinstance(values, np.ndarray) else np.array(values, dtype=object)

        return cls(id=ints(id), number=list(number), service_id=ints(service_id),
                   final_service_id=ints(final_service_id), counter_id=ints(counter_id),
                   clerk_id=ints(clerk_id), status=texts(status), priority=texts(priority),
                   channel=texts(channel), day=np.asarray(day, dtype="datetime64[D]"),
                   issued=ints(issued), first_called=ints(first_called),
                   finished=ints(finished),
                   service_minutes=np.asarray(service_minutes, dtype=np.float64),
                   triaged=np.asarray(triaged, dtype=bool),
                   transferred=np.asarray(transferred, dtype=bool), no_shows=ints(no_shows),
                   unstarted=np.zeros(len(id), dtype=bool) if unstarted is None
                   else np.asarray(unstarted, dtype=bool),
                   out_of_order=dict(out_of_order or {}))


class LocalTimes:
    """Instants (int64 microseconds, UTC) seen on the office's wall clock: hour of day,
    weekday and time of day. The zone's offset is looked up once per day of the span (a
    zone without a change in the span, as Thailand's, has one offset), or once per quarter
    hour of it where the offset changes (offsets change on quarter hours at the finest)."""

    def __init__(self, instants: np.ndarray, zone: ZoneInfo):
        present = instants != NO_TIME
        self.present = present
        self.local = np.full(len(instants), NO_TIME, dtype=np.int64)
        times = instants[present]
        if not len(times):
            return
        first, last = int(times.min()), int(times.max())
        days = range(first // MICROS_PER_DAY, last // MICROS_PER_DAY + 2)
        offsets = {_offset(zone, day * MICROS_PER_DAY) for day in days}
        if len(offsets) == 1:
            self.local[present] = times + offsets.pop()
            return
        quarter = 15 * MICROS_PER_MINUTE
        start = first // quarter
        table = np.array([_offset(zone, q * quarter) for q in range(start, last // quarter + 1)],
                         dtype=np.int64)
        self.local[present] = times + table[times // quarter - start]

    @property
    def hour(self) -> np.ndarray:
        """Local hour of day, -1 where there is no time."""
        return np.where(self.present, (self.local // MICROS_PER_HOUR) % 24, -1)

    @property
    def weekday(self) -> np.ndarray:
        """Local weekday (Monday 0), -1 where there is no time."""
        return np.where(self.present, (self.local // MICROS_PER_DAY + EPOCH_WEEKDAY) % 7, -1)

    @property
    def time_of_day(self) -> np.ndarray:
        """Microseconds since local midnight, -1 where there is no time."""
        return np.where(self.present, self.local % MICROS_PER_DAY, -1)


def _offset(zone: ZoneInfo, micros: int) -> int:
    """The zone's UTC offset at an instant, in microseconds."""
    when = datetime.fromtimestamp(micros // 1_000_000, tz=zone)
    return when.utcoffset() // datetime.resolution  # resolution: one microsecond
