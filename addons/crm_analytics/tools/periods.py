"""The dashboard's periods in the user's time zone (pure Python, no Odoo import).

A period is a range of local days [first day, first day after). Date columns are
compared with those days; datetime columns, stored in UTC without time zone as
Odoo does, with the UTC instants of the local midnights that start those days.
"""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta

PERIODS = ("month", "quarter", "year")


def period_bounds(period, today):
    """First day of the ``period`` (month, quarter or year) holding the local day ``today``, and the first
    day after it; any other period is the month."""
    if period == "year":
        start = date(today.year, 1, 1)
        return start, start + relativedelta(years=1)
    if period == "quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return start, start + relativedelta(months=3)
    start = date(today.year, today.month, 1)
    return start, start + relativedelta(months=1)


def time_zone(tz_name):
    """The zone named ``tz_name``; UTC when it is empty or unknown (as Odoo does for a user without one)."""
    try:
        return ZoneInfo(tz_name) if tz_name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_midnight_utc(day, tz_name):
    """The UTC instant (naive, as Odoo stores datetimes) at which the local ``day`` starts in ``tz_name``.

    The offset is the one in force that day (summer time included); were midnight skipped by a
    change of offset, the day starts at its first local instant."""
    return datetime.combine(day, time.min, tzinfo=time_zone(tz_name)).astimezone(UTC).replace(tzinfo=None)


def utc_bounds(date_from, date_to, tz_name):
    """The UTC instants at which the local days ``date_from`` and ``date_to`` start: [from, to) for a
    datetime column covering the days from ``date_from`` to the day before ``date_to``."""
    return local_midnight_utc(date_from, tz_name), local_midnight_utc(date_to, tz_name)


def local_today(now_utc, tz_name):
    """The local day in ``tz_name`` at the naive UTC instant ``now_utc``."""
    return now_utc.replace(tzinfo=UTC).astimezone(time_zone(tz_name)).date()
