from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays (time off without a resource) change the working time
    of the calendars they close (a global holiday: every calendar): an edit
    drops those calendars' cached work intervals at once and queues the
    recomputation of the deadlines they can move, done in the background by
    a scheduled action (``intervention.holiday.change``)."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._intervention_holiday_changed(leaves._intervention_periods())
        return leaves

    def write(self, vals):
        fields = {"date_from", "date_to", "calendar_id", "resource_id", "time_type"}
        if not fields.intersection(vals):
            return super().write(vals)
        before = self._intervention_periods()
        result = super().write(vals)
        self._intervention_holiday_changed(before + self._intervention_periods())
        return result

    def unlink(self):
        before = self._intervention_periods()
        result = super().unlink()
        self._intervention_holiday_changed(before)
        return result

    def _intervention_periods(self):
        """(calendars or None for all, date_from, date_to) of each public
        holiday among these leaves."""
        return [
            (leave.calendar_id or None, leave.date_from, leave.date_to)
            for leave in self
            if not leave.resource_id
        ]

    @api.model
    def _intervention_holiday_changed(self, periods):
        if not periods:
            return
        Calendar = self.env["resource.calendar"].sudo()
        if any(calendars is None for calendars, _start, _stop in periods):
            Calendar._intervention_touch_all()
        else:
            Calendar.concat(*(c for c, _start, _stop in periods))._intervention_touch()
        self.env["intervention.holiday.change"]._queue(periods)
