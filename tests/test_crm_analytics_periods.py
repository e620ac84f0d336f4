"""The dashboard's periods: local days, and the UTC instants of their local midnights, worked out by hand."""
from datetime import date, datetime

import pytest

import conftest

periods = conftest.load_tool("crm_analytics", "periods")


@pytest.mark.parametrize(("period", "today", "bounds"), [
    ("month", date(2026, 3, 11), (date(2026, 3, 1), date(2026, 4, 1))),
    ("month", date(2026, 12, 31), (date(2026, 12, 1), date(2027, 1, 1))),
    ("quarter", date(2026, 3, 31), (date(2026, 1, 1), date(2026, 4, 1))),
    ("quarter", date(2026, 4, 1), (date(2026, 4, 1), date(2026, 7, 1))),
    ("quarter", date(2026, 12, 1), (date(2026, 10, 1), date(2027, 1, 1))),
    ("year", date(2026, 1, 1), (date(2026, 1, 1), date(2027, 1, 1))),
    ("bogus", date(2026, 2, 28), (date(2026, 2, 1), date(2026, 3, 1))),
])
def test_period_bounds_are_local_days(period, today, bounds):
    assert periods.period_bounds(period, today) == bounds


@pytest.mark.parametrize(("day", "tz_name", "utc"), [
    # Moscow: UTC+3 all year
    (date(2026, 3, 11), "Europe/Moscow", datetime(2026, 3, 10, 21, 0)),
    (date(2026, 7, 1), "Europe/Moscow", datetime(2026, 6, 30, 21, 0)),
    # Kyiv: UTC+2 in winter, UTC+3 in summer (from the last Sunday of March, 2026-03-29)
    (date(2026, 3, 1), "Europe/Kyiv", datetime(2026, 2, 28, 22, 0)),
    (date(2026, 3, 29), "Europe/Kyiv", datetime(2026, 3, 28, 22, 0)),
    (date(2026, 3, 30), "Europe/Kyiv", datetime(2026, 3, 29, 21, 0)),
    (date(2026, 4, 1), "Europe/Kyiv", datetime(2026, 3, 31, 21, 0)),
    (date(2026, 11, 1), "Europe/Kyiv", datetime(2026, 10, 31, 22, 0)),
    # New York: behind UTC, UTC-5 in winter, UTC-4 from 2026-03-08
    (date(2026, 1, 1), "America/New_York", datetime(2026, 1, 1, 5, 0)),
    (date(2026, 4, 1), "America/New_York", datetime(2026, 4, 1, 4, 0)),
    # no zone, or one nobody knows: UTC, as Odoo does
    (date(2026, 3, 11), False, datetime(2026, 3, 11, 0, 0)),
    (date(2026, 3, 11), "Mars/Olympus_Mons", datetime(2026, 3, 11, 0, 0)),
    # Santiago skipped its midnight on 2022-09-11 (00:00 -> 01:00): the day starts at 01:00 local, 04:00 UTC
    (date(2022, 9, 11), "America/Santiago", datetime(2022, 9, 11, 4, 0)),
])
def test_local_midnight_in_utc(day, tz_name, utc):
    assert periods.local_midnight_utc(day, tz_name) == utc


def test_a_quarter_across_the_summer_time_change_in_kyiv():
    """Q1 2026 in Kyiv starts at UTC+2 and Q2 at UTC+3."""
    date_from, date_to = periods.period_bounds("quarter", date(2026, 3, 10))
    assert periods.utc_bounds(date_from, date_to, "Europe/Kyiv") == (datetime(2025, 12, 31, 22, 0),
                                                                      datetime(2026, 3, 31, 21, 0))


@pytest.mark.parametrize(("now_utc", "tz_name", "today"), [
    (datetime(2026, 3, 10, 21, 30), "Europe/Moscow", date(2026, 3, 11)),
    (datetime(2026, 3, 10, 21, 30), "Europe/Kyiv", date(2026, 3, 10)),
    (datetime(2026, 3, 10, 22, 30), "Europe/Kyiv", date(2026, 3, 11)),
    (datetime(2026, 3, 11, 3, 30), "America/New_York", date(2026, 3, 10)),
    (datetime(2026, 3, 11, 4, 30), "America/New_York", date(2026, 3, 11)),
    (datetime(2026, 3, 31, 21, 30), "Europe/Moscow", date(2026, 4, 1)),
])
def test_local_today(now_utc, tz_name, today):
    assert periods.local_today(now_utc, tz_name) == today
