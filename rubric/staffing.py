"""How many counters an office needs, hour by hour: Erlang C (the M/M/c queue) over the
arrivals and service times the queue records (issue 11).

The model: citizens arrive at random, independently of one another (Poisson arrivals at a
constant rate within the hour); service times are exponentially distributed with the
recorded mean; one queue feeds every open counter and is served first come, first served
(FIFO); nobody gives up and leaves (no abandonment), and every counter serves every
service. Each hour is taken as if it were in steady state on its own. Real offices depart
from all of this (appointments, batches of walk-ins, citizens who leave), so the figures
are a planning guide, not a promise.

Units: arrival rates are per hour, times are in minutes, the offered load A = lambda x s is
in Erlangs (how many counters would be busy on average). Plain Python, no numpy: the Erlang
B recursion keeps it stable for hundreds of counters (no factorials).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

LUNCH_HOUR = 12  # 12:00-13:00 local: offices keep serving at lunch (GECC 3.1, physical 1)


def offered_load(arrival_rate_per_hour: float, mean_service_minutes: float) -> float:
    """The offered load in Erlangs: arrivals per minute x mean service minutes."""
    _check_rate_and_service(arrival_rate_per_hour, mean_service_minutes)
    return arrival_rate_per_hour / 60.0 * mean_service_minutes


def erlang_b(load_erlangs: float, servers: int) -> float:
    """The Erlang B blocking probability, by the recursion B(0) = 1,
    B(k) = A B(k-1) / (k + A B(k-1)): every term is in [0, 1], so nothing overflows."""
    _check_servers(servers)
    if not (math.isfinite(load_erlangs) and load_erlangs >= 0):
        raise ValueError(f"the offered load must be a finite number >= 0, not {load_erlangs!r}")
    b = 1.0
    for k in range(1, servers + 1):
        b = load_erlangs * b / (k + load_erlangs * b)
    return b


def _erlang_c_from_b(load: float, servers: int, b: float) -> float:
    """Erlang C from Erlang B for the same load and servers: C = c B / (c - A (1 - B))."""
    if load == 0:
        return 0.0
    if load >= servers:
        return 1.0
    return min(1.0, servers * b / (servers - load * (1.0 - b)))


def erlang_c(arrival_rate_per_hour: float, mean_service_minutes: float, servers: int) -> float:
    """The probability that a citizen has to wait (all `servers` counters busy on arrival) in
    the M/M/c queue (Poisson arrivals, exponential service, FIFO, no abandonment).

    No arrivals: 0.0. An overloaded queue (load A >= servers) grows without bound: 1.0.
    Negative inputs, a service time that is not > 0, or a non-integer number of servers:
    ValueError."""
    load = offered_load(arrival_rate_per_hour, mean_service_minutes)
    _check_servers(servers)
    if load == 0:
        return 0.0
    if load >= servers:
        return 1.0
    return _erlang_c_from_b(load, servers, erlang_b(load, servers))


def _service_level_from_c(load: float, servers: int, c: float, mean_service_minutes: float,
                          target_wait_minutes: float) -> float:
    if load == 0:
        return 1.0
    if load >= servers:
        return 0.0
    return max(0.0, 1.0 - c * math.exp(-(servers - load) * target_wait_minutes
                                       / mean_service_minutes))


def service_level(arrival_rate_per_hour: float, mean_service_minutes: float, servers: int,
                  target_wait_minutes: float) -> float:
    """The share of citizens who wait at most `target_wait_minutes`:
    1 - C exp(-(c - A) t / s). Overloaded (A >= c): 0.0. No arrivals: 1.0 (nobody waits)."""
    _check_target_wait(target_wait_minutes)
    load = offered_load(arrival_rate_per_hour, mean_service_minutes)
    c = erlang_c(arrival_rate_per_hour, mean_service_minutes, servers)
    return _service_level_from_c(load, servers, c, mean_service_minutes, target_wait_minutes)


def mean_wait_minutes(arrival_rate_per_hour: float, mean_service_minutes: float,
                      servers: int) -> float:
    """The mean wait in the queue over all citizens, those who wait and those who do not
    (the ASA): C s / (c - A). Overloaded (A >= c): math.inf. No arrivals: 0.0."""
    load = offered_load(arrival_rate_per_hour, mean_service_minutes)
    c = erlang_c(arrival_rate_per_hour, mean_service_minutes, servers)
    if load == 0:
        return 0.0
    if load >= servers:
        return math.inf
    return c * mean_service_minutes / (servers - load)


def servers_needed(arrival_rate_per_hour: float, mean_service_minutes: float,
                   target_wait_minutes: float, target_share: float,
                   max_servers: int = 500) -> int:
    """The smallest number of counters that keeps the queue stable (A < c) and serves at
    least `target_share` of citizens within `target_wait_minutes`. 0 when nobody arrives.

    `target_share` must be in [0, 1): no finite number of counters guarantees every citizen.
    ValueError when more than `max_servers` counters would be needed."""
    _check_target_wait(target_wait_minutes)
    if not (isinstance(target_share, (int, float)) and 0 <= target_share < 1):
        raise ValueError(f"the target share must be in [0, 1), not {target_share!r}")
    _check_servers(max_servers)
    load = offered_load(arrival_rate_per_hour, mean_service_minutes)
    if load == 0:
        return 0
    b = 1.0  # Erlang B, carried up one counter at a time
    for servers in range(1, max_servers + 1):
        b = load * b / (servers + load * b)
        if load >= servers:
            continue
        c = _erlang_c_from_b(load, servers, b)
        level = _service_level_from_c(load, servers, c, mean_service_minutes,
                                      target_wait_minutes)
        if level >= target_share:
            return servers
    raise ValueError(f"more than {max_servers} counters needed for {arrival_rate_per_hour}"
                     f" arrivals/hour at {mean_service_minutes} min each")


@dataclass(frozen=True)
class StaffingHour:
    """One hour of the plan (hour 9 = 09:00-10:00 local). `service_level` is the predicted
    share served within the target with the counters open (None when nobody arrives);
    `lunch_shortfall` is set on the lunch hour (12:00-13:00) when the counters open fall
    short of those needed (GECC 3.1 / physical 1: the office keeps serving at lunch)."""

    hour: int
    arrivals: float
    mean_service_minutes: float | None
    offered_load: float
    counters_needed: int
    counters_open: float
    shortfall: float
    service_level: float | None
    lunch_shortfall: bool

    @property
    def is_lunch(self) -> bool:
        return self.hour == LUNCH_HOUR

    def to_json(self) -> dict:
        return asdict(self)


def staffing_plan(arrivals_by_hour: dict[int, float],
                  service_minutes_by_hour: dict[int, float],
                  target_wait_minutes: float, target_share: float,
                  open_counters_by_hour: dict[int, float]) -> list[StaffingHour]:
    """Per hour (0-23, local; every hour that has arrivals or open counters, in order): the
    arrivals, the mean service minutes, the counters needed for the target (servers_needed),
    the counters open, the shortfall (needed - open, never below 0), the predicted service
    level with the counters open, and the lunch flag. Same model as erlang_c: Poisson
    arrivals, exponential service, FIFO, no abandonment, each hour in steady state.

    An hour missing from `arrivals_by_hour` has no arrivals; one missing from
    `open_counters_by_hour` has no counter open. Counters open may be fractional (a counter
    open 30 minutes of the hour counts 0.5): the service level is then interpolated between
    the whole numbers below and above, i.e. averaged over the parts of the hour (the
    pointwise stationary approximation). An hour with arrivals needs a mean service time
    (ValueError otherwise)."""
    hours = sorted(set(arrivals_by_hour) | set(open_counters_by_hour))
    plan = []
    for hour in hours:
        if not (isinstance(hour, int) and 0 <= hour <= 23):
            raise ValueError(f"hours are 0-23, not {hour!r}")
        arrivals = arrivals_by_hour.get(hour, 0.0)
        service = service_minutes_by_hour.get(hour)
        open_counters = open_counters_by_hour.get(hour, 0.0)
        if not (isinstance(open_counters, (int, float)) and math.isfinite(open_counters)
                and open_counters >= 0):
            raise ValueError(f"counters open at {hour}:00 must be >= 0, not {open_counters!r}")
        if service is None:
            _check_rate_and_service(arrivals, 1.0)
            if arrivals:
                raise ValueError(f"arrivals at {hour}:00 but no mean service time")
            load, needed, level = 0.0, 0, None
        else:
            load = offered_load(arrivals, service)
            needed = servers_needed(arrivals, service, target_wait_minutes, target_share)
            level = (None if load == 0 else
                     _level_with_open(arrivals, service, open_counters, target_wait_minutes))
        shortfall = max(0.0, float(needed - open_counters))
        plan.append(StaffingHour(
            hour=hour, arrivals=arrivals, mean_service_minutes=service, offered_load=load,
            counters_needed=needed, counters_open=open_counters, shortfall=shortfall,
            service_level=level, lunch_shortfall=hour == LUNCH_HOUR and shortfall > 0))
    return plan


def _level_with_open(arrivals: float, service: float, open_counters: float,
                     target_wait_minutes: float) -> float:
    whole = math.floor(open_counters)
    part = open_counters - whole
    level = service_level(arrivals, service, whole, target_wait_minutes)
    if part:
        level = ((1 - part) * level
                 + part * service_level(arrivals, service, whole + 1, target_wait_minutes))
    return level


def _check_rate_and_service(arrival_rate_per_hour: float, mean_service_minutes: float) -> None:
    if not (_is_number(arrival_rate_per_hour) and math.isfinite(arrival_rate_per_hour)
            and arrival_rate_per_hour >= 0):
        raise ValueError(f"the arrival rate must be a finite number >= 0,"
                         f" not {arrival_rate_per_hour!r}")
    if not (_is_number(mean_service_minutes) and math.isfinite(mean_service_minutes)
            and mean_service_minutes > 0):
        raise ValueError(f"the mean service time must be a finite number > 0,"
                         f" not {mean_service_minutes!r}")


def _check_servers(servers: int) -> None:
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 0:
        raise ValueError(f"the number of counters must be a whole number >= 0, not {servers!r}")


def _check_target_wait(target_wait_minutes: float) -> None:
    if not (_is_number(target_wait_minutes) and target_wait_minutes >= 0):
        raise ValueError(f"the target wait must be a number >= 0, not {target_wait_minutes!r}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
