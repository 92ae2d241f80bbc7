from datetime import timedelta

from pytz import timezone

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from ..tools import business_time

# Longest horizon fetched, in calendar days, before a calendar is declared
# without working time: three years, well beyond any SLA, reminder or
# escalation offset (the business days of a year fit in a year and a half
# even with the summer closed).
MAX_HORIZON_DAYS = 3 * 366


class NoWorkingTimeError(UserError):
    """A calendar has no working time within the longest horizon: no
    deadline, reminder or escalation date can be computed on it."""


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _intervention_timeline(self, start, end, public_holidays=True):
        """A :class:`business_time.Timeline` of this calendar's working time
        from ``start`` to ``end`` (naive UTC or aware), in one query batch.

        ``public_holidays=False`` ignores time off, for on-call windows that
        run precisely on public holidays.
        """
        self.ensure_one()
        start = business_time.to_aware_utc(start)
        end = business_time.to_aware_utc(end)
        tz_name = self.tz or "UTC"
        # The calendar's own zone, explicitly: without it the attendances
        # follow an ``employee_timezone`` in the context, if any.
        intervals = self._work_intervals_batch(
            start, end, tz=timezone(tz_name), compute_leaves=public_holidays
        )[False]
        return business_time.Timeline(
            [(s, e) for s, e, _meta in intervals],
            tz=tz_name,
            start=start,
            end=end,
        )

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
