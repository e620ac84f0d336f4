"""Local calendar days as UTC instants (no odoo import).

Odoo stores datetimes as naive UTC; "this year" or "today" is a local notion.
Comparing a datetime field with a local date turned into midnight UTC moves
the boundary by the user's UTC offset: a deal won at 02:00 on 1 January in
Moscow (23:00 UTC the day before) would count for the old year.
"""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utc_start_of_day(day, tz_name):
    """The naive UTC datetime at which ``day`` begins in the time zone ``tz_name`` (UTC if unknown)."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise TypeError(f"a date is expected, not {day!r}")
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)
