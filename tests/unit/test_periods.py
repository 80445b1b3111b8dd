"""The periods a manager chooses: named ones from the office's today, or a range; bad input
refused with the reason."""

from datetime import date

import pytest

from queue_server.domain.periods import BadPeriod, choose_period

WEDNESDAY = date(2026, 12, 2)


@pytest.mark.parametrize("name, first, last", [
    ("today", date(2026, 12, 2), date(2026, 12, 2)),
    ("yesterday", date(2026, 12, 1), date(2026, 12, 1)),
    ("this_week", date(2026, 11, 30), date(2026, 12, 2)),        # from Monday
    ("last_week", date(2026, 11, 23), date(2026, 11, 29)),
    ("this_month", date(2026, 12, 1), date(2026, 12, 2)),
    ("last_month", date(2026, 11, 1), date(2026, 11, 30)),
])
def test_named_periods(name, first, last):
    chosen = choose_period(name, WEDNESDAY)
    assert (chosen.first, chosen.last) == (first, last)


def test_last_month_in_january_is_december_of_the_year_before():
    chosen = choose_period("last_month", date(2027, 1, 15))
    assert (chosen.first, chosen.last) == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_range_and_its_refusals():
    chosen = choose_period("range", WEDNESDAY, "2026-02-01", "2026-02-28")
    assert (chosen.first, chosen.last, chosen.days) == (date(2026, 2, 1), date(2026, 2, 28), 28)
    assert choose_period(None, WEDNESDAY, "2026-02-01").last == date(2026, 2, 1)
    assert choose_period(None, WEDNESDAY).name == "today"
    for args, words in ((("range", "2026-02-28", "2026-02-01"), "after its last"),
                        (("range", "2026-02-30", "2026-03-01"), "YYYY-MM-DD"),
                        (("range", "2024-01-01", "2026-01-01"), "at most 400"),
                        (("fortnight", None, None), "Unknown period")):
        with pytest.raises(BadPeriod, match=words):
            choose_period(args[0], WEDNESDAY, args[1], args[2])
