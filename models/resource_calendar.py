from datetime import UTC, datetime, timedelta
from uuid import uuid4

from pytz import timezone

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime
from odoo.tools.lru import LRU

from ..tools import business_time

# Longest horizon fetched, in calendar days, before a calendar is declared
# without working time: three years, well beyond any SLA, reminder or
# escalation offset (the business days of a year fit in a year and a half
# even with the summer closed).
MAX_HORIZON_DAYS = 3 * 366
# Work intervals are cached by blocks of BLOCK_DAYS calendar days (UTC, counted
# from BLOCK_EPOCH), in this process, for every database: see
# ``_intervention_blocks``.
BLOCK_DAYS = 32
BLOCK_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_BLOCK_CACHE = LRU(4096)


def _block_of(instant):
    """Index of the cache block holding the aware ``instant``."""
    return (instant - BLOCK_EPOCH) // timedelta(days=BLOCK_DAYS)


def _block_start(index):
    return BLOCK_EPOCH + index * timedelta(days=BLOCK_DAYS)


class NoWorkingTimeError(UserError):
    """A calendar has no working time within the longest horizon: no
    deadline, reminder or escalation date can be computed on it."""


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    intervention_intervals_version = fields.Char(
        default=lambda self: uuid4().hex,
        copy=False,
        readonly=True,
        help="Changes whenever the working time of the calendar may change "
        "(its hours, its zone, its public holidays): the work intervals "
        "cached under the previous value are no longer read.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # A value of its own: a calendar copied or created by import never
        # shares cached intervals with another.
        for vals in vals_list:
            vals["intervention_intervals_version"] = uuid4().hex
        return super().create(vals_list)

    def write(self, vals):
        """Any change of the calendar gives it a new intervals version, in the
        same UPDATE: its attendances and zone are read again on next use."""
        if set(vals) - {"intervention_intervals_version"}:
            vals = dict(vals, intervention_intervals_version=uuid4().hex)
        return super().write(vals)

    def _intervention_touch(self):
        """Drop the cached work intervals of these calendars (their hours or
        public holidays changed), everywhere: the new version is in the
        database, each process reads it with the calendar."""
        if self:
            self.sudo().write({"intervention_intervals_version": uuid4().hex})

    @api.model
    def _intervention_touch_all(self):
        """``_intervention_touch`` for every calendar (a public holiday of all
        calendars changed), in one UPDATE."""
        self.env.execute_query(
            SQL(
                "UPDATE resource_calendar SET intervention_intervals_version = %s",
                uuid4().hex,
            )
        )
        self.invalidate_model(["intervention_intervals_version"])

    def _intervention_timeline(self, start, end, public_holidays=True):
        """A :class:`business_time.Timeline` of this calendar's working time
        from ``start`` to ``end`` (naive UTC or aware).

        The work intervals come from a per-process cache of blocks
        (``_intervention_blocks``): a single intake reads no attendance nor
        public holiday once the blocks are warm. ``public_holidays=False``
        ignores time off, for on-call windows that run precisely on public
        holidays.
        """
        self.ensure_one()
        start = business_time.to_aware_utc(start)
        end = business_time.to_aware_utc(end)
        pairs = [
            (max(low, start), min(high, end))
            for low, high in self._intervention_blocks(start, end, public_holidays)
            if low < end and high > start
        ]
        return business_time.Timeline(pairs, tz=self.tz or "UTC", start=start, end=end)

    def _intervention_is_working(self, instant, public_holidays=True):
        """Whether ``instant`` (naive UTC or aware) is working time of this
        calendar, read from the same cached blocks as every timeline."""
        self.ensure_one()
        instant = business_time.to_aware_utc(instant)
        timeline = self._intervention_timeline(
            instant - timedelta(hours=1),
            instant + timedelta(hours=1),
            public_holidays=public_holidays,
        )
        return timeline.is_working(instant)

    def _intervention_blocks(self, start, end, public_holidays):
        """The work intervals (aware UTC pairs) of the cache blocks covering
        ``start`` to ``end``; the missing blocks are fetched in one call of
        ``_work_intervals_batch`` and kept.

        A block is the same whatever the range it was fetched for (attendance
        days and time off are cut at the range's bounds), so a timeline built
        from blocks equals one fetched directly. The key holds the calendar's
        ``intervention_intervals_version``, renewed in the database by every
        change of the calendar, its attendances or the public holidays that
        close it (``_intervention_touch``): a stale block is never read, in
        any process, and a rolled-back change leaves nothing behind (its
        version never comes back). It also holds who reads, as the time off
        found follows the reader's record rules."""
        env = self.env
        reader = "su" if env.su else (env.uid, tuple(sorted(env.companies.ids)))
        key = (
            env.cr.dbname,
            self.id,
            self.intervention_intervals_version,
            bool(public_holidays),
            reader,
        )
        first, last = _block_of(start), _block_of(end)
        blocks = {
            index: _BLOCK_CACHE.get((*key, index)) for index in range(first, last + 1)
        }
        missing = [index for index, block in blocks.items() if block is None]
        if missing:
            low, high = _block_start(missing[0]), _block_start(missing[-1] + 1)
            # The calendar's own zone, explicitly: without it the attendances
            # follow an ``employee_timezone`` in the context, if any.
            intervals = self._work_intervals_batch(
                low, high, tz=timezone(self.tz or "UTC"), compute_leaves=public_holidays
            )[False]
            fetched = [
                (s.astimezone(UTC), e.astimezone(UTC)) for s, e, _meta in intervals
            ]
            for index in range(missing[0], missing[-1] + 1):
                block_low, block_high = _block_start(index), _block_start(index + 1)
                block = tuple(
                    (max(s, block_low), min(e, block_high))
                    for s, e in fetched
                    if s < block_high and e > block_low
                )
                _BLOCK_CACHE[(*key, index)] = blocks[index] = block
        return [pair for index in range(first, last + 1) for pair in blocks[index]]

    def _intervention_compute(
        self, start, compute, public_holidays=True, days=30, timeline=None
    ):
        """``compute(timeline)`` on this calendar's working time from
        ``start``: the one place where a timeline's horizon grows.

        ``timeline`` (e.g. a batch's) is tried first, else one of ``days``
        calendar days is fetched; while ``compute`` raises
        :class:`business_time.HorizonError`, a timeline four times longer is
        fetched, up to ``MAX_HORIZON_DAYS``. Beyond that it raises
        :class:`NoWorkingTimeError`, a clear message naming the calendar.
        :class:`business_time.ClockPaused` (a running freeze) propagates: a
        longer horizon would not help."""
        self.ensure_one()
        start = business_time.to_aware_utc(start)
        span = days
        if timeline is not None:
            try:
                return compute(timeline)
            except business_time.ClockPaused:
                raise
            except business_time.HorizonError:
                span = max(days, (timeline.horizon_end - start).days * 4)
        while True:
            span = min(span, MAX_HORIZON_DAYS)
            timeline = self._intervention_timeline(
                start - timedelta(days=1),
                start + timedelta(days=span),
                public_holidays=public_holidays,
            )
            try:
                return compute(timeline)
            except business_time.ClockPaused:
                raise
            except business_time.HorizonError:
                if span >= MAX_HORIZON_DAYS:
                    raise self._no_working_time_error(start) from None
                span *= 4

    def _no_working_time_error(self, start):
        self.ensure_one()
        return NoWorkingTimeError(
            self.env._(
                "The working calendar %(calendar)s has no working time in the "
                "%(years)s years after %(start)s: no deadline, reminder or "
                "escalation date can be computed on it. Give it working hours, or "
                "shorten its time off.",
                calendar=self.name,
                years=MAX_HORIZON_DAYS // 366,
                start=format_datetime(
                    self.env, business_time.to_naive_utc(start), tz=self.tz
                ),
            )
        )

    @api.constrains("attendance_ids")
    def _check_intervention_working_time(self):
        """A calendar used by a service contract keeps some working time."""
        contracts = self.env["intervention.contract"].sudo()
        for calendar in self:
            if calendar._intervention_has_working_time():
                continue
            used = contracts.search_count(
                [
                    "|",
                    ("resource_calendar_id", "=", calendar.id),
                    ("coverage_calendar_id", "=", calendar.id),
                ],
                limit=1,
            )
            if used:
                raise ValidationError(
                    self.env._(
                        "The working calendar %(calendar)s is used by service "
                        "contracts: it needs working hours.",
                        calendar=calendar.name,
                    )
                )

    def _intervention_has_working_time(self):
        """Some opening hours in its week (or weeks): business time can be
        counted on it."""
        self.ensure_one()
        return bool(
            self.attendance_ids.filtered(
                lambda a: (
                    not a.display_type
                    and a.day_period != "lunch"
                    and a.hour_to > a.hour_from
                )
            )
        )
