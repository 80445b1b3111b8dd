"""Erlang C staffing (rubric/staffing.py) against values worked out independently: the
textbook factorial formula, exact integer arithmetic for large systems, and a discrete-event
simulation of the same M/M/c queue."""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from fractions import Fraction

import pytest

from rubric.staffing import (
    LUNCH_HOUR,
    StaffingHour,
    erlang_b,
    erlang_c,
    mean_wait_minutes,
    offered_load,
    servers_needed,
    service_level,
    staffing_plan,
)


def direct_erlang_c(load: float, servers: int) -> float:
    """The textbook formula, with factorials (fine for small c):
    P_w = (A^c/c! . c/(c-A)) / (sum_{k<c} A^k/k! + A^c/c! . c/(c-A))."""
    top = load ** servers / math.factorial(servers) * servers / (servers - load)
    return top / (sum(load ** k / math.factorial(k) for k in range(servers)) + top)


def exact_erlang_c(load: int, servers: int) -> Fraction:
    """The same formula in exact integer arithmetic (everything times c!), for any c."""
    c_factorial = math.factorial(servers)
    below = sum(load ** k * (c_factorial // math.factorial(k)) for k in range(servers))
    top = Fraction(load ** servers * servers, servers - load)
    return top / (below + top)


def log_gamma_erlang_c(load: float, servers: int) -> float:
    """The same formula in log space (log-gamma, log-sum-exp), for a load that is not whole."""
    logs = [k * math.log(load) - math.lgamma(k + 1) for k in range(servers)]
    log_top = (servers * math.log(load) - math.lgamma(servers + 1)
               + math.log(servers / (servers - load)))
    peak = max(*logs, log_top)
    below = sum(math.exp(x - peak) for x in logs)
    top = math.exp(log_top - peak)
    return top / (below + top)


# -- (1) table values ----------------------------------------------------------------------

def test_two_erlangs_on_three_counters_wait_four_ninths_of_the_time():
    # A = 60/h x 2 min = 2 Erlangs, c = 3: (8/6 . 3) / (1 + 2 + 2 + 4) = 4/9 exactly.
    assert offered_load(60, 2) == pytest.approx(2.0)
    assert erlang_c(60, 2, 3) == pytest.approx(4 / 9, abs=1e-12)
    assert direct_erlang_c(2, 3) == pytest.approx(4 / 9, abs=1e-12)
    # mean wait = C s / (c - A) = 4/9 x 2 / 1 minutes
    assert mean_wait_minutes(60, 2, 3) == pytest.approx(8 / 9, abs=1e-12)


@pytest.mark.parametrize(("per_hour", "minutes", "servers", "table"), [
    (300, 2, 12, 0.4494),  # A = 10, c = 12
    (100, 3, 6, 0.5875),   # A = 5, c = 6 (see the next test for 0.2849)
    (100, 3, 7, 0.3241),   # A = 5, c = 7
    (200, 3, 11, 0.6821),  # A = 10, c = 11: the call-centre example below
])
def test_erlang_c_matches_the_table_to_four_places(per_hour, minutes, servers, table):
    load = per_hour / 60 * minutes
    assert erlang_c(per_hour, minutes, servers) == pytest.approx(table, abs=5e-5)
    assert erlang_c(per_hour, minutes, servers) == pytest.approx(
        direct_erlang_c(load, servers), abs=1e-12)


def test_0_2849_is_erlang_b_for_five_erlangs_on_five_lines_not_erlang_c_on_six():
    # The figure 0.2849 quoted for A = 5 is the Erlang B (blocking) table value for 5 lines.
    # Erlang C for 5 Erlangs on 6 counters is 0.5875 (direct formula above).
    assert erlang_b(5, 5) == pytest.approx(0.2849, abs=5e-5)
    assert erlang_c(100, 3, 6) == pytest.approx(0.5875, abs=5e-5)


def test_the_call_centre_worked_example():
    # The widely reproduced worked example (e.g. Call Centre Helper, "Erlang C formula - made
    # simple"): 100 calls per 30 minutes (200/h), 180 s handling (3 min), 80 % answered within
    # 20 s. 11 agents: P_w 68.21 %, 39.0 % within 20 s; 14 agents are needed (88.8 %).
    target = 20 / 60
    assert erlang_c(200, 3, 11) == pytest.approx(0.6821, abs=5e-5)
    assert service_level(200, 3, 11, target) == pytest.approx(0.390, abs=5e-4)
    assert service_level(200, 3, 13, target) == pytest.approx(0.7956, abs=5e-5)
    assert service_level(200, 3, 14, target) == pytest.approx(0.8884, abs=5e-5)
    assert servers_needed(200, 3, target, 0.80) == 14
    # each again from the direct formula: 1 - C exp(-(c - A) t / s)
    for servers in (11, 13, 14):
        expected = 1 - direct_erlang_c(10, servers) * math.exp(-(servers - 10) * target / 3)
        assert service_level(200, 3, servers, target) == pytest.approx(expected, abs=1e-12)


def test_a_larger_half_hour_example():
    # 360 calls per half hour (720/h), 4 min each: A = 48 Erlangs on 55 agents, target 15 s.
    assert erlang_c(720, 4, 55) == pytest.approx(direct_erlang_c(48, 55), abs=1e-12)
    assert erlang_c(720, 4, 55) == pytest.approx(0.2387, abs=5e-5)
    assert service_level(720, 4, 55, 0.25) == pytest.approx(0.8459, abs=5e-5)
    assert mean_wait_minutes(720, 4, 55) * 60 == pytest.approx(8.18, abs=5e-3)  # seconds


def test_no_arrivals_overload_and_bad_input():
    assert erlang_c(0, 5, 3) == 0.0
    assert erlang_c(0, 5, 0) == 0.0
    assert service_level(0, 5, 1, 0) == 1.0
    assert mean_wait_minutes(0, 5, 1) == 0.0
    # A >= c: the queue grows without bound
    assert erlang_c(60, 3, 3) == 1.0          # A = 3 = c
    assert erlang_c(61, 3, 3) == 1.0
    assert erlang_c(10, 6, 0) == 1.0
    assert service_level(60, 3, 3, 60) == 0.0
    assert mean_wait_minutes(60, 3, 3) == math.inf
    for bad in [(-1, 5, 3), (10, -5, 3), (10, 0, 3), (10, 5, -1), (10, 5, 2.5),
                (math.nan, 5, 3), (math.inf, 5, 3), (10, 5, True)]:
        with pytest.raises(ValueError):
            erlang_c(*bad)
    with pytest.raises(ValueError):
        service_level(10, 5, 3, -1)
    with pytest.raises(ValueError):
        servers_needed(-10, 5, 3, 0.8)


# -- (2) large systems ---------------------------------------------------------------------

def test_150_counters_are_stable_and_exact():
    # 140 Erlangs: 2100/h x 4 min. In floats 140^150 overflows; the recursion does not.
    with pytest.raises(OverflowError):
        direct_erlang_c(140.0, 150)
    value = erlang_c(2100, 4, 150)
    assert 0 < value < 1
    assert value == pytest.approx(float(exact_erlang_c(140, 150)), abs=1e-9)
    assert value == pytest.approx(log_gamma_erlang_c(140, 150), abs=1e-9)


def test_500_counters_work():
    value = erlang_c(480 * 60 / 4, 4, 500)  # A = 480
    assert 0 < value < 1
    assert value == pytest.approx(float(exact_erlang_c(480, 500)), abs=1e-9)
    odd = erlang_c(7215, 4, 500)  # A = 481 (7215/h x 4 min)
    assert odd == pytest.approx(log_gamma_erlang_c(481, 500), abs=1e-9)
    assert 0 < service_level(7215, 4, 500, 0.5) < 1
    assert servers_needed(7215, 4, 0.5, 0.9) <= 500


# -- (3) servers_needed is minimal ---------------------------------------------------------

@pytest.mark.parametrize(("per_hour", "minutes", "wait", "share"), [
    (200, 3, 20 / 60, 0.80),
    (60, 2, 1, 0.90),
    (30, 12, 10, 0.80),
    (45, 7.5, 5, 0.95),
    (2100, 4, 0.5, 0.80),   # 140 Erlangs
    (1, 20, 15, 0.80),
    (100, 3, 0, 0.50),      # target 0: served at once (1 - C >= 0.5)
])
def test_servers_needed_is_the_smallest_that_meets_the_target(per_hour, minutes, wait, share):
    needed = servers_needed(per_hour, minutes, wait, share)
    assert service_level(per_hour, minutes, needed, wait) >= share
    assert service_level(per_hour, minutes, needed - 1, wait) < share
    assert offered_load(per_hour, minutes) < needed


def test_servers_needed_edges():
    assert servers_needed(0, 5, 10, 0.8) == 0
    assert servers_needed(60, 3, 10, 0.0) == 4   # A = 3: the smallest stable number
    with pytest.raises(ValueError):
        servers_needed(60, 3, 10, 1.0)           # nobody can promise everyone
    with pytest.raises(ValueError):
        servers_needed(6000, 6, 1, 0.8, max_servers=500)  # A = 600


# -- (4) a discrete-event simulation of the same queue ---------------------------------------

def simulate_mmc(per_hour: float, minutes: float, servers: int, arrivals: int, seed: int,
                 warm_up: int = 5000) -> list[float]:
    """Event-driven M/M/c, FIFO, no abandonment: the waits (minutes) of every citizen after
    the first `warm_up`, who start an empty office."""
    rng = random.Random(seed)
    rate = per_hour / 60
    arrive, depart = 0, 1
    events = [(rng.expovariate(rate), arrive)]
    queue: deque[float] = deque()
    busy = arrived = 0
    waits: list[float] = []
    while events:
        now, kind = heapq.heappop(events)
        if kind == arrive:
            arrived += 1
            if arrived < arrivals:
                heapq.heappush(events, (now + rng.expovariate(rate), arrive))
            if busy < servers:
                busy += 1
                waits.append(0.0)
                heapq.heappush(events, (now + rng.expovariate(1 / minutes), depart))
            else:
                queue.append(now)
        elif queue:  # the counter calls the next in line
            waits.append(now - queue.popleft())
            heapq.heappush(events, (now + rng.expovariate(1 / minutes), depart))
        else:
            busy -= 1
    return waits[warm_up:]


def test_a_simulated_office_agrees_with_erlang_c():
    # 90 citizens/h, 2 min each (A = 3) at 5 counters: C = 0.2362. Over 40 seeds the simulated
    # shares (200,000 arrivals) have a standard deviation of about 0.003, so +-0.01 is over 3
    # sigma; the mean wait (sd about 0.006 min on 0.236) within 10 %.
    per_hour, minutes, servers = 90, 2, 5
    waits = simulate_mmc(per_hour, minutes, servers, arrivals=200_000, seed=11)
    n = len(waits)

    share_waiting = sum(w > 0 for w in waits) / n
    assert share_waiting == pytest.approx(erlang_c(per_hour, minutes, servers), abs=0.01)
    for target in (0.5, 2.0):
        within = sum(w <= target for w in waits) / n
        assert within == pytest.approx(service_level(per_hour, minutes, servers, target),
                                       abs=0.01)
    assert sum(waits) / n == pytest.approx(mean_wait_minutes(per_hour, minutes, servers),
                                           rel=0.10)


# -- (5) the plan of a day -----------------------------------------------------------------

def test_the_plan_flags_the_lunch_hour_short_of_counters():
    # A made-up day: 6-minute visits, 8-minute ones at lunch; 80 % within 10 minutes.
    # Enough counters for the need (A + 1) all day, except 10:00 and lunch, where one is
    # missing. Only the lunch hour is flagged.
    arrivals = {8: 40, 9: 60, 10: 70, 11: 60, 12: 50, 13: 60, 14: 50, 15: 30, 16: 10}
    service = {hour: 6.0 for hour in arrivals} | {12: 8.0}
    open_counters = {8: 5, 9: 7, 10: 7, 11: 7, 12: 7, 13: 7, 14: 6, 15: 4, 16: 2, 17: 1}

    plan = staffing_plan(arrivals, service, 10, 0.80, open_counters)

    assert [row.hour for row in plan] == [8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
    assert [row.counters_needed for row in plan] == [5, 7, 8, 7, 8, 7, 6, 4, 2, 0]
    assert [row.shortfall for row in plan] == [0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    assert [row.hour for row in plan if row.lunch_shortfall] == [LUNCH_HOUR] == [12]

    lunch = plan[4]
    assert lunch.is_lunch and lunch.arrivals == 50 and lunch.mean_service_minutes == 8.0
    assert lunch.offered_load == pytest.approx(20 / 3)
    # 7 counters for 20/3 Erlangs: 1 - C exp(-(7 - 20/3) 10 / 8) = 0.4323
    expected = 1 - direct_erlang_c(20 / 3, 7) * math.exp(-(7 - 20 / 3) * 10 / 8)
    assert lunch.service_level == pytest.approx(expected, abs=1e-12)
    assert lunch.service_level == pytest.approx(0.4323, abs=5e-5)
    assert plan[2].service_level == 0.0          # 10:00: 7 counters for 7 Erlangs
    assert plan[0].service_level == pytest.approx(0.8953, abs=5e-5)
    assert plan[-1] == StaffingHour(hour=17, arrivals=0.0, mean_service_minutes=None,
                                    offered_load=0.0, counters_needed=0, counters_open=1,
                                    shortfall=0.0, service_level=None, lunch_shortfall=False)
    assert lunch.to_json()["lunch_shortfall"] is True


def test_half_a_counter_counts_half_and_a_covered_lunch_is_not_flagged():
    plan = staffing_plan({12: 50}, {12: 8.0}, 10, 0.80, {12: 7.5})
    (lunch,) = plan
    assert lunch.counters_needed == 8
    assert lunch.shortfall == 0.5 and lunch.lunch_shortfall
    # half the hour with 7 counters, half with 8
    assert lunch.service_level == pytest.approx(
        (service_level(50, 8, 7, 10) + service_level(50, 8, 8, 10)) / 2)

    (covered,) = staffing_plan({12: 50}, {12: 8.0}, 10, 0.80, {12: 8})
    assert covered.shortfall == 0 and not covered.lunch_shortfall
    assert covered.service_level == pytest.approx(0.8994, abs=5e-5)


def test_the_plan_needs_a_service_time_where_citizens_arrive():
    with pytest.raises(ValueError):
        staffing_plan({9: 10}, {}, 10, 0.8, {9: 2})
    with pytest.raises(ValueError):
        staffing_plan({24: 10}, {24: 5}, 10, 0.8, {})
    with pytest.raises(ValueError):
        staffing_plan({9: 10}, {9: 5}, 10, 0.8, {9: -1})
