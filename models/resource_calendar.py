from pytz import timezone

from odoo import models

from ..tools import business_time


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
