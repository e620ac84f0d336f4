"""SLA clock in working time: the examples of issue 7, without a database."""
from datetime import datetime, timedelta, timezone

import conftest

sla_clock = conftest.load_tool("crm_service", "sla_clock")

MSK = timezone(timedelta(hours=3))


def office_hours(first_day, days, tz=MSK, holidays=()):
    """09:00-18:00 Monday-Friday intervals for ``days`` days from ``first_day``."""
    intervals = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= 5 or day in holidays:
            continue
        intervals.append((
            datetime(day.year, day.month, day.day, 9, tzinfo=tz),
            datetime(day.year, day.month, day.day, 18, tzinfo=tz),
        ))
    return intervals


FRIDAY = datetime(2026, 3, 13, tzinfo=MSK).date()  # 13 March 2026 is a Friday


def test_four_hours_from_friday_16h_fall_due_monday_11h():
    intervals = office_hours(FRIDAY, 10)
    start = datetime(2026, 3, 13, 16, tzinfo=MSK)
    assert sla_clock.deadline(intervals, start, 4) == datetime(2026, 3, 16, 11, tzinfo=MSK)


def test_start_outside_hours_counts_from_next_opening():
    intervals = office_hours(FRIDAY, 10)
    saturday = datetime(2026, 3, 14, 12, tzinfo=MSK)
    assert sla_clock.deadline(intervals, saturday, 4) == datetime(2026, 3, 16, 13, tzinfo=MSK)


def test_pause_extends_by_exactly_the_paused_working_time():
    intervals = office_hours(FRIDAY, 10)
    start = datetime(2026, 3, 13, 16, tzinfo=MSK)
    # waiting for the customer from Friday 17:00 to Monday 10:00: 2 working hours
    pause = (datetime(2026, 3, 13, 17, tzinfo=MSK), datetime(2026, 3, 16, 10, tzinfo=MSK))
    assert sla_clock.deadline(intervals, start, 4, pauses=[pause]) == datetime(2026, 3, 16, 13, tzinfo=MSK)
    # the weekend part of the pause costs nothing
    weekend = (datetime(2026, 3, 14, 10, tzinfo=MSK), datetime(2026, 3, 15, 20, tzinfo=MSK))
    assert sla_clock.deadline(intervals, start, 4, pauses=[weekend]) == datetime(2026, 3, 16, 11, tzinfo=MSK)


def test_holidays_are_skipped():
    monday = FRIDAY + timedelta(days=3)
    intervals = office_hours(FRIDAY, 10, holidays={monday})
    start = datetime(2026, 3, 13, 16, tzinfo=MSK)
    assert sla_clock.deadline(intervals, start, 4) == datetime(2026, 3, 17, 11, tzinfo=MSK)


def test_time_zones_are_honoured():
    """The same UTC instant is Friday 16:00 in Moscow but Friday 13:00 in London."""
    london = timezone(timedelta(0))
    start = datetime(2026, 3, 13, 13, tzinfo=timezone.utc)
    moscow_due = sla_clock.deadline(office_hours(FRIDAY, 10, MSK), start, 4)
    london_due = sla_clock.deadline(office_hours(FRIDAY, 10, london), start, 4)
    assert moscow_due == datetime(2026, 3, 16, 11, tzinfo=MSK)
    assert london_due == datetime(2026, 3, 13, 17, tzinfo=london)


def test_working_hours_between_and_pauses():
    intervals = office_hours(FRIDAY, 10)
    start = datetime(2026, 3, 13, 16, tzinfo=MSK)
    end = datetime(2026, 3, 16, 12, tzinfo=MSK)
    assert sla_clock.working_hours_between(intervals, start, end) == 5
    pause = (datetime(2026, 3, 16, 9, tzinfo=MSK), datetime(2026, 3, 16, 10, 30, tzinfo=MSK))
    assert sla_clock.working_hours_between(intervals, start, end, [pause]) == 3.5


def test_open_pause_runs_until_the_upper_bound():
    clock = sla_clock.WorkClock(office_hours(FRIDAY, 10))
    pause = (datetime(2026, 3, 16, 9, tzinfo=MSK), None)
    upper = datetime(2026, 3, 16, 11, tzinfo=MSK)
    assert clock.paused([pause], upper=upper) == 7200


def test_short_horizon_returns_none():
    intervals = office_hours(FRIDAY, 1)
    assert sla_clock.deadline(intervals, datetime(2026, 3, 13, 16, tzinfo=MSK), 4) is None


def test_merge_intervals():
    a = datetime(2026, 3, 16, 9, tzinfo=MSK)
    merged = sla_clock.merge_intervals([
        (a + timedelta(hours=2), a + timedelta(hours=4)),
        (a, a + timedelta(hours=2)),
        (a + timedelta(hours=5), a + timedelta(hours=5)),
    ])
    assert merged == [(a, a + timedelta(hours=4))]


def test_status_thresholds():
    assert sla_clock.sla_status(1, 10) == "in_time"
    assert sla_clock.sla_status(8, 10) == "at_risk"
    assert sla_clock.sla_status(8, 10, done=True) == "in_time"
    assert sla_clock.sla_status(11, 10) == "breached"
