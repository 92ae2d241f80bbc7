"""Business-time arithmetic over working intervals.

Pure functions, no ORM: callers fetch a calendar's work intervals once
(``resource.calendar._work_intervals_batch`` with time-zone aware bounds and
public holidays) and pass them here. Every SLA clock, reminder and escalation
offset of the addon goes through this module.
"""

from datetime import UTC


def to_aware_utc(value):
    """Return ``value`` (a naive UTC datetime as stored by Odoo, or an aware
    one) as an aware UTC datetime."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_naive_utc(value):
    """Return an aware datetime as the naive UTC value Odoo stores."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def is_within(intervals, instant):
    """Tell whether ``instant`` falls inside one of ``intervals``.

    ``intervals`` is an iterable of ``(start, stop, ...)`` tuples of aware
    datetimes (an ``odoo.tools.intervals.Intervals`` qualifies); a start is
    inside, a stop is not.
    """
    instant = to_aware_utc(instant)
    return any(start <= instant < stop for start, stop, *_rest in intervals)


def next_opening(intervals, instant):
    """Return the first instant at or after ``instant`` that is inside
    ``intervals``, or ``None`` when the intervals end before it."""
    instant = to_aware_utc(instant)
    for start, stop, *_rest in sorted(intervals, key=lambda interval: interval[0]):
        if stop <= instant:
            continue
        return max(start, instant)
    return None


__all__ = ["is_within", "next_opening", "to_aware_utc", "to_naive_utc"]
