"""Properties of the SLA clock (crm_service/tools/sla_clock.py), checked with Hypothesis.

Arbitrary inputs never raise anything but ``SlaClockError``; on valid inputs a
deadline never precedes its start, adding no time changes nothing, more hours
never give an earlier deadline and pauses never shorten a target.
"""
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

import conftest

sla_clock = conftest.load_tool("crm_service", "sla_clock")

# deterministic runs (CI, no example database in the checkout), no timing deadline on a busy machine
settings.register_profile("crm_sla_clock", derandomize=True, database=None, deadline=None, max_examples=150)
settings.load_profile("crm_sla_clock")

ZONES = st.sampled_from([
    timezone.utc, timezone(timedelta(hours=3)), timezone(timedelta(hours=-8)),
    timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=14)),
])
# valid inputs: aware datetimes over two centuries (wide enough for float precision to matter)
MOMENTS = st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 1, 1), timezones=ZONES)
SPANS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30))
INTERVALS = st.lists(st.tuples(MOMENTS, SPANS).map(lambda pair: (pair[0], pair[0] + pair[1])), max_size=25)
PAUSES = st.lists(
    st.tuples(MOMENTS, st.none() | SPANS).map(lambda p: (p[0], None if p[1] is None else p[0] + p[1])),
    max_size=6)
HOURS = st.floats(min_value=0, max_value=1e6, allow_nan=False) | st.integers(min_value=0, max_value=10**6)

# hostile inputs: anything at all, including naive datetimes, NaN, infinities and huge numbers
ANY_MOMENT = (st.datetimes(timezones=st.none() | ZONES) | st.none() | st.integers() | st.text(max_size=5)
              | st.dates())
ANY_NUMBER = (st.floats(allow_nan=True, allow_infinity=True) | st.integers(min_value=-(10**400), max_value=10**400)
              | st.none() | st.text(max_size=5) | st.booleans() | st.just(1e300) | st.just(float("nan")))
ANY_PAIR = st.tuples(ANY_MOMENT, ANY_MOMENT) | st.lists(ANY_MOMENT, max_size=3) | ANY_MOMENT
ANY_INTERVALS = st.lists(ANY_PAIR, max_size=6) | st.none() | st.integers() | INTERVALS


def later_or_equal(first, second):
    """``first >= second`` where None means "beyond the horizon" (later than any instant)."""
    if first is None:
        return True
    if second is None:
        return False
    return first >= second


def expect_result_or_own_error(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except sla_clock.SlaClockError:
        return None


@given(ANY_INTERVALS, ANY_MOMENT, ANY_NUMBER, st.lists(ANY_PAIR, max_size=4) | st.none())
def test_deadline_raises_only_its_own_error(intervals, start, hours, pauses):
    expect_result_or_own_error(sla_clock.deadline, intervals, start, hours, pauses=pauses or ())


@given(ANY_INTERVALS, ANY_MOMENT, ANY_MOMENT, st.lists(ANY_PAIR, max_size=4))
def test_working_hours_between_raises_only_its_own_error(intervals, start, end, pauses):
    expect_result_or_own_error(sla_clock.working_hours_between, intervals, start, end, pauses)


@given(INTERVALS, ANY_MOMENT, ANY_NUMBER, ANY_NUMBER)
def test_clock_methods_raise_only_their_own_error(intervals, moment, seconds, worked):
    clock = sla_clock.WorkClock(intervals)
    expect_result_or_own_error(clock.worked_until, moment)
    expect_result_or_own_error(clock.add, moment, seconds)
    expect_result_or_own_error(clock.add, moment, seconds, worked_start=worked)
    expect_result_or_own_error(clock.paused, [(moment, None)], lower=moment, upper=moment)


@given(ANY_NUMBER, ANY_NUMBER, ANY_NUMBER, st.booleans())
def test_status_raises_only_its_own_error(elapsed, target, share, done):
    status = expect_result_or_own_error(sla_clock.sla_status, elapsed, target, share, done=done)
    assert status in (None, "in_time", "at_risk", "breached")


@given(INTERVALS, MOMENTS, HOURS, PAUSES)
def test_deadline_never_precedes_the_start(intervals, start, hours, pauses):
    due = sla_clock.deadline(intervals, start, hours, pauses=pauses)
    assert due is None or due >= start


@given(INTERVALS, MOMENTS)
def test_adding_zero_hours_is_the_identity(intervals, start):
    assert sla_clock.deadline(intervals, start, 0) == start
    assert sla_clock.WorkClock(intervals).add(start, 0) == start


@given(INTERVALS, MOMENTS, HOURS, HOURS)
def test_deadline_is_monotonic_in_hours(intervals, start, hours_a, hours_b):
    fewer, more = sorted((hours_a, hours_b))
    assert later_or_equal(sla_clock.deadline(intervals, start, more), sla_clock.deadline(intervals, start, fewer))


@given(INTERVALS, MOMENTS, HOURS, PAUSES)
def test_pauses_never_shorten_a_target(intervals, start, hours, pauses):
    paused_due = sla_clock.deadline(intervals, start, hours, pauses=pauses)
    assert later_or_equal(paused_due, sla_clock.deadline(intervals, start, hours))


@given(INTERVALS, MOMENTS, MOMENTS, PAUSES)
def test_elapsed_time_is_never_negative_and_pauses_only_remove_time(intervals, start, end, pauses):
    plain = sla_clock.working_hours_between(intervals, start, end)
    paused = sla_clock.working_hours_between(intervals, start, end, pauses)
    assert plain >= 0
    assert 0 <= paused <= plain + 1e-9


@given(INTERVALS)
def test_merged_intervals_are_sorted_and_disjoint(intervals):
    merged = sla_clock.merge_intervals(intervals)
    assert all(start < end for start, end in merged)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))
