"""Working-time clock for SLA targets.

Pure Python (no Odoo import) so it can be unit-tested without a database and
reused for 100,000 tickets: a :class:`WorkClock` is built once per working
calendar, time zone and time window, then every question ("when is the
deadline", "how much working time elapsed") is a binary search on prefix sums.

All datetimes must be timezone-aware; intervals are ``(start, end)`` pairs.
"""
from bisect import bisect_left, bisect_right
from datetime import timedelta


def merge_intervals(intervals):
    """Sort and merge overlapping or touching intervals."""
    merged = []
    for start, end in sorted(intervals):
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
        index = bisect_right(self.starts, moment) - 1
        if index < 0:
            return 0.0
        start, end = self.intervals[index]
        return self.cumulative[index] + (min(moment, end) - start).total_seconds()

    def elapsed(self, start, end, pauses=()):
        """Working seconds between two instants, minus the working time of pauses."""
        if end <= start:
            return 0.0
        seconds = self.worked_until(end) - self.worked_until(start)
        return max(0.0, seconds - self.paused(pauses, start, end))

    def paused(self, pauses, lower=None, upper=None):
        """Working seconds covered by pause intervals (open pauses end at ``upper``)."""
        spans = []
        for pause_start, pause_end in pauses:
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
        Returns ``None`` when the horizon of the clock is too short.
        """
        target = (self.worked_until(start) if worked_start is None else worked_start) + seconds
        if target > self.total_seconds:
            return None
        if seconds <= 0:
            return start
        # first interval whose cumulative end reaches the target
        index = bisect_left(self.cumulative, target, lo=1) - 1
        interval_start, _interval_end = self.intervals[index]
        return interval_start + timedelta(seconds=target - self.cumulative[index])


def deadline(intervals, start, hours, pauses=()):
    """Deadline = ``start`` + ``hours`` working hours, extended by the paused working time.

    A pause (``(start, end)``, ``end`` may be ``None`` for a pause still running
    which then extends to the horizon) pushes the deadline by exactly the working
    time it covers.
    """
    clock = WorkClock(intervals)
    paused = clock.paused(pauses, lower=start, upper=clock.ends[-1] if clock.ends else None)
    return clock.add(start, hours * 3600.0 + paused)


def working_hours_between(intervals, start, end, pauses=()):
    """Working hours elapsed between ``start`` and ``end``, pauses excluded."""
    return WorkClock(intervals).elapsed(start, end, pauses) / 3600.0


def sla_status(elapsed_seconds, target_seconds, at_risk_share=0.8, done=False):
    """``in_time`` / ``at_risk`` / ``breached`` for an elapsed working time against a target.

    A finished target (``done``) is never "at risk": it was met or breached.
    """
    if target_seconds <= 0:
        return "in_time"
    if elapsed_seconds > target_seconds:
        return "breached"
    if not done and elapsed_seconds >= target_seconds * at_risk_share:
        return "at_risk"
    return "in_time"
