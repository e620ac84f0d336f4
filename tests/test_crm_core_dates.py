"""Local days as UTC instants: the boundary of "this year" for a user in Moscow or Kyiv."""
from datetime import date, datetime

import pytest

from conftest import load_tool

dates = load_tool("crm_core", "dates")


def test_moscow_new_year_starts_three_hours_earlier_in_utc():
    assert dates.utc_start_of_day(date(2027, 1, 1), "Europe/Moscow") == datetime(2026, 12, 31, 21, 0)


def test_kyiv_follows_summer_time():
    assert dates.utc_start_of_day(date(2027, 7, 1), "Europe/Kyiv") == datetime(2027, 6, 30, 21, 0)
    assert dates.utc_start_of_day(date(2027, 1, 1), "Europe/Kyiv") == datetime(2026, 12, 31, 22, 0)


def test_day_of_the_dst_change_starts_before_it():
    # Europe/Berlin moves to summer time at 02:00 on 28 March 2027: the day still starts at 00:00 CET
    assert dates.utc_start_of_day(date(2027, 3, 28), "Europe/Berlin") == datetime(2027, 3, 27, 23, 0)


@pytest.mark.parametrize("tz_name", [None, "", "Not/AZone", "UTC"])
def test_unknown_or_missing_zone_is_utc(tz_name):
    assert dates.utc_start_of_day(date(2028, 2, 29), tz_name) == datetime(2028, 2, 29, 0, 0)


def test_a_datetime_is_refused():
    with pytest.raises(TypeError):
        dates.utc_start_of_day(datetime(2027, 1, 1, 12, 0), "UTC")
