"""Working-time clock for SLA targets.

Pure Python (no Odoo import) so it can be unit-tested without a database and
reused for 100,000 tickets: a :class:`WorkClock` is built once per working
calendar, time zone and time window, then every question ("when is the
deadline", "how much working time elapsed") is a binary search on prefix sums.

All datetimes must be timezone-aware; intervals are ``(start, end)`` pairs.
Anything else (naive datetimes, NaN or infinite hours, values that are not
numbers) raises :class:`SlaClockError`, never a stray ``TypeError``.
"""
import math
from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta
from numbers import Real


class SlaClockError(ValueError):
    """Invalid input for the SLA clock."""


def _moment(value, what="moment"):
    """``value`` if it is a timezone-aware datetime, else SlaClockError."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise SlaClockError(f"{what} must be a timezone-aware datetime, not {value!r}")
    return value


def _number(value, what="value"):
    """``value`` as a float if it is a finite real number, else SlaClockError."""
    if not isinstance(value, Real):
        raise SlaClockError(f"{what} must be a number, not {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        raise SlaClockError(f"{what} is out of range: {value!r}") from None
    if not math.isfinite(number):
        raise SlaClockError(f"{what} must be finite, not {value!r}")
    return number


def _intervals(intervals, what="interval", open_end=False):
    """A list of ``(start, end)`` pairs of aware datetimes (``end`` may be None if ``open_end``)."""
    checked = []
    try:
        for pair in intervals:
            start, end = pair
            _moment(start, what)
            if not (open_end and end is None):
                _moment(end, what)
            checked.append((start, end))
    except (TypeError, ValueError) as error:
        if isinstance(error, SlaClockError):
            raise
        raise SlaClockError(f"{what}s must be (start, end) pairs of datetimes: {error}") from None
    return checked


def merge_intervals(intervals):
    """Sort and merge overlapping or touching intervals."""
    merged = []
    for start, end in sorted(_intervals(intervals), key=lambda pair: (pair[0], pair[1])):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class WorkClock:
    """Working intervals with cumulative working seconds, for fast lookups."""

    def __init__(self, intervals):
        self.intervals = merge_intervals(intervals)
        self.starts = [start for start, _end in self.intervals]
        self.ends = [end for _start, end in self.intervals]
        self.cumulative = [0.0]  # working seconds before interval i
        for start, end in self.intervals:
            self.cumulative.append(self.cumulative[-1] + (end - start).total_seconds())

    @property
    def total_seconds(self):
        return self.cumulative[-1]

    def worked_until(self, moment):
        """Working seconds from the beginning of the horizon until ``moment``."""
        _moment(moment)
        index = bisect_right(self.starts, moment) - 1
        if index < 0:
            return 0.0
        start, end = self.intervals[index]
        return self.cumulative[index] + (min(moment, end) - start).total_seconds()

    def elapsed(self, start, end, pauses=()):
        """Working seconds between two instants, minus the working time of pauses."""
        if _moment(end, "end") <= _moment(start, "start"):
            return 0.0
        seconds = self.worked_until(end) - self.worked_until(start)
        return max(0.0, seconds - self.paused(pauses, start, end))

    def paused(self, pauses, lower=None, upper=None):
        """Working seconds covered by pause intervals (open pauses end at ``upper``)."""
        spans = []
        lower = lower if lower is None else _moment(lower, "lower bound")
        upper = upper if upper is None else _moment(upper, "upper bound")
        for pause_start, pause_end in _intervals(pauses, "pause", open_end=True):
            pause_end = pause_end or upper
            if pause_end is None:
                continue
            if lower is not None:
                pause_start = max(pause_start, lower)
            if upper is not None:
                pause_end = min(pause_end, upper)
            if pause_end > pause_start:
                spans.append((pause_start, pause_end))
        return sum(
            self.worked_until(end) - self.worked_until(start) for start, end in merge_intervals(spans)
        )

    def add(self, start, seconds, worked_start=None):
        """The instant at which ``seconds`` of working time after ``start`` are done.

        ``worked_start`` may pass ``worked_until(start)`` when the caller has it already.
        Returns ``None`` when the horizon of the clock is too short. Never earlier than ``start``.
        """
        _moment(start, "start")
        if isinstance(seconds, Real) and seconds == math.inf:  # e.g. 1e306 hours: beyond any horizon
            return None
        seconds = _number(seconds, "seconds")
        worked = self.worked_until(start) if worked_start is None else _number(worked_start, "worked_start")
        target = worked + seconds
        if target > self.total_seconds:
            return None
        if seconds <= 0:
            return start
        # first interval whose cumulative end reaches the target
        index = bisect_left(self.cumulative, target, lo=1) - 1
        interval_start, interval_end = self.intervals[index]
        offset = min(target - self.cumulative[index], (interval_end - interval_start).total_seconds())
        try:
            moment = interval_start + timedelta(seconds=offset)
        except OverflowError:  # float rounding past datetime.max
            moment = interval_end
        # float rounding must not move the deadline before the start or past the interval
        return max(start, min(moment, interval_end))


def deadline(intervals, start, hours, pauses=()):
    """Deadline = ``start`` + ``hours`` working hours, extended by the paused working time.

    A pause (``(start, end)``, ``end`` may be ``None`` for a pause still running
    which then extends to the horizon) pushes the deadline by exactly the working
    time it covers.
    """
    clock = WorkClock(intervals)
    _moment(start, "start")
    seconds = _number(hours, "hours") * 3600.0
    paused = clock.paused(pauses, lower=start, upper=clock.ends[-1] if clock.ends else None)
    return clock.add(start, seconds + paused)


def working_hours_between(intervals, start, end, pauses=()):
    """Working hours elapsed between ``start`` and ``end``, pauses excluded."""
    return WorkClock(intervals).elapsed(start, end, pauses) / 3600.0


def sla_status(elapsed_seconds, target_seconds, at_risk_share=0.8, done=False):
    """``in_time`` / ``at_risk`` / ``breached`` for an elapsed working time against a target.

    A finished target (``done``) is never "at risk": it was met or breached.
    """
    elapsed_seconds = _number(elapsed_seconds, "elapsed_seconds")
    target_seconds = _number(target_seconds, "target_seconds")
    at_risk_share = _number(at_risk_share, "at_risk_share")
    if target_seconds <= 0:
        return "in_time"
    if elapsed_seconds > target_seconds:
        return "breached"
    if not done and elapsed_seconds >= target_seconds * at_risk_share:
        return "at_risk"
    return "in_time"
