"""Business-time arithmetic over working intervals.

Pure functions and one class, no ORM: callers fetch a calendar's work
intervals once for a horizon (``resource.calendar._work_intervals_batch`` with
time-zone aware bounds and public holidays; see
``resource.calendar._intervention_timeline``) and build a :class:`Timeline`
that serves a whole batch of requests. Every SLA clock, reminder and
escalation offset of the addon goes through this module.

Conventions:
- instants are aware datetimes (any zone) or naive UTC datetimes, as Odoo
  stores them; results are aware UTC datetimes;
- durations are ``timedelta`` or seconds;
- freezes are ``(start, stop)`` pairs, ``stop`` ``None`` for a freeze still
  running; business time inside a freeze does not count, overlapping
  freezes count once; a running freeze pauses the clock indefinitely, so a
  deadline it reaches does not exist yet (:class:`ClockPaused`);
- an instant outside working time starts counting at the next opening;
- a result beyond the timeline's horizon raises :class:`HorizonError`
  rather than returning a wrong or empty value.
"""

from bisect import bisect_left, bisect_right
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


class HorizonError(ValueError):
    """The timeline ends before the requested instant: fetch a longer one."""


class ClockPaused(HorizonError):
    """A running freeze (no end yet) stops the clock before the deadline:
    there is no deadline until the freeze ends; a longer timeline won't help."""


_FAR = datetime.max.replace(tzinfo=UTC)


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


def merge(pairs, horizon_end=None):
    """Sort and merge ``(start, stop)`` pairs into disjoint aware UTC pairs.

    A ``stop`` of ``None`` (running freeze) becomes ``horizon_end`` or, when
    that is not given, the far future.
    """
    far = horizon_end or _FAR
    normalised = sorted(
        (to_aware_utc(start), to_aware_utc(stop) if stop else far)
        for start, stop, *_rest in pairs
    )
    merged = []
    for start, stop in normalised:
        if stop <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


class Timeline:
    """The working time of one calendar between two instants.

    Built from disjoint work intervals; keeps their cumulative business
    seconds so that positions, elapsed time and "add N hours" are binary
    searches. ``tz`` is the calendar's time zone, used for business days.
    """

    def __init__(self, intervals, tz="UTC", start=None, end=None):
        pairs = merge(intervals)
        if isinstance(tz, str):
            tz = ZoneInfo(tz)
        elif getattr(tz, "zone", None):
            # A pytz zone: its ``replace(tzinfo=...)`` would use the zone's
            # first historical offset (LMT), so use the zoneinfo equivalent.
            tz = ZoneInfo(tz.zone)
        self.tz = tz
        self.starts = [start_ for start_, _stop in pairs]
        self.stops = [stop for _start, stop in pairs]
        self.cumulative = []  # business seconds before interval i
        self.cumulative_ends = []  # business seconds at the end of interval i
        total = 0.0
        for start_, stop in pairs:
            self.cumulative.append(total)
            total += (stop - start_).total_seconds()
            self.cumulative_ends.append(total)
        self.total = total
        self.horizon_start = (
            to_aware_utc(start) if start else (pairs[0][0] if pairs else None)
        )
        self.horizon_end = (
            to_aware_utc(end) if end else (pairs[-1][1] if pairs else None)
        )
        self._working_days = None

    # -- positions ------------------------------------------------------------
    def _check_horizon(self, instant):
        if self.horizon_end is None or instant > self.horizon_end:
            raise HorizonError(
                f"{instant} is beyond the timeline's end {self.horizon_end}"
            )
        if self.horizon_start and instant < self.horizon_start:
            raise HorizonError(
                f"{instant} is before the timeline's start {self.horizon_start}"
            )

    def position(self, instant):
        """Business seconds from the timeline's start up to ``instant``."""
        instant = to_aware_utc(instant)
        self._check_horizon(instant)
        index = bisect_right(self.starts, instant) - 1
        if index < 0:
            return 0.0
        inside = (min(instant, self.stops[index]) - self.starts[index]).total_seconds()
        return self.cumulative[index] + inside

    def instant_at(self, position):
        """The first instant at which ``position`` business seconds have
        elapsed since the timeline's start."""
        if position > self.total or not self.starts:
            raise HorizonError("the timeline ends before that much business time")
        index = bisect_left(self.cumulative_ends, position)
        return self.starts[index] + timedelta(seconds=position - self.cumulative[index])

    def is_working(self, instant):
        instant = to_aware_utc(instant)
        index = bisect_right(self.starts, instant) - 1
        return index >= 0 and instant < self.stops[index]

    def next_opening(self, instant):
        """``instant`` itself when it is working time, else the next opening."""
        instant = to_aware_utc(instant)
        self._check_horizon(instant)
        index = bisect_right(self.starts, instant) - 1
        if index >= 0 and instant < self.stops[index]:
            return instant
        if index + 1 >= len(self.starts):
            raise HorizonError(f"no working time after {instant} within the timeline")
        return self.starts[index + 1]

    # -- durations -------------------------------------------------------------
    def elapsed(self, start, end, freezes=()):
        """Business time between ``start`` and ``end`` minus ``freezes``, as a
        timedelta (zero when ``end`` is before ``start``)."""
        start, end = to_aware_utc(start), to_aware_utc(end)
        if end <= start:
            return timedelta(0)
        seconds = self.position(end) - self.position(start)
        seconds -= self._frozen_seconds(start, end, freezes)
        return timedelta(seconds=max(seconds, 0.0))

    def _frozen_seconds(self, start, end, freezes):
        frozen = 0.0
        for freeze_start, freeze_stop in merge(freezes, horizon_end=self.horizon_end):
            low, high = max(start, freeze_start), min(end, freeze_stop)
            if low < high:
                frozen += self.position(high) - self.position(low)
        return frozen

    def add(self, start, duration, freezes=()):
        """The instant when ``duration`` of business time, not counting
        ``freezes``, has elapsed from ``start``.

        A start outside working time counts from the next opening (so a zero
        duration gives that opening). A deadline reached at a closing is that
        closing, not the next opening. A running freeze (``stop`` ``None``)
        reached before the deadline pauses the clock indefinitely: no
        deadline exists yet and :class:`ClockPaused` is raised.
        """
        seconds = (
            duration.total_seconds()
            if isinstance(duration, timedelta)
            else float(duration)
        )
        if seconds < 0:
            raise ValueError("a business duration cannot be negative")
        start = self.next_opening(start)
        cursor = self.position(start)
        remaining = seconds
        # Walk the disjoint freezes in order: the business time before each
        # one is consumed, the time inside it is skipped.
        for freeze_start, freeze_stop in merge(freezes):
            if freeze_stop <= start:
                continue
            if freeze_start >= self.horizon_end:
                break
            low = self.position(max(freeze_start, start))
            if cursor + remaining <= low:
                break
            remaining -= low - cursor
            if freeze_stop == _FAR:
                raise ClockPaused(
                    f"the clock is paused by a running freeze since {freeze_start}"
                )
            cursor = self.position(min(freeze_stop, self.horizon_end))
        return max(self.instant_at(cursor + remaining), start)

    # -- business days ----------------------------------------------------------
    @property
    def working_days(self):
        """Sorted local dates (calendar time zone) that have working time."""
        if self._working_days is None:
            days = set()
            for start, stop in zip(self.starts, self.stops, strict=True):
                local_start = start.astimezone(self.tz).date()
                local_end = (
                    (stop - timedelta(microseconds=1)).astimezone(self.tz).date()
                )
                day = local_start
                while day <= local_end:
                    days.add(day)
                    day += timedelta(days=1)
            self._working_days = sorted(days)
        return self._working_days

    def add_days(self, start, days, freezes=()):
        """The same business instant ``days`` working days later.

        Thu 15:00 + 1 business day is Mon 15:00 when Friday is a public
        holiday, + 2 is Tue 15:00 (Mon 15:00 in a week without a holiday):
        as many business hours as that many full working days. A start
        outside working time counts from the next opening;
        a result falling outside working time (a shorter day) moves to the
        next opening. Freezes push the result by the business time they
        cover (C1: not ``resource.calendar.plan_days``).
        """
        freezes = list(freezes)
        opening = self.next_opening(start)
        local = opening.astimezone(self.tz)
        index = bisect_left(self.working_days, local.date())
        target_index = index + int(days)
        if not 0 <= target_index < len(self.working_days):
            raise HorizonError(
                f"fewer than {days} working days after {opening} in the timeline"
            )
        target_day = self.working_days[target_index]
        naive = datetime.combine(target_day, local.time().replace(tzinfo=None))
        target = self.next_opening(naive.replace(tzinfo=self.tz).astimezone(UTC))
        frozen = self._frozen_seconds(opening, target, freezes)
        if not frozen:
            return target
        # The freezes before the target push it by the business time they
        # cover; ``add`` skips the freezes (or their parts) after it.
        return self.add(target, frozen, freezes)
