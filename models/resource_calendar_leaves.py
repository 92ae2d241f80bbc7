from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays move the SLA deadlines of the open requests counted on
    the calendars they close (a global holiday: every calendar)."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._intervention_sla_resync()
        return leaves

    def write(self, vals):
        before = self._intervention_holiday_calendars()
        result = super().write(vals)
        if {
            "date_from",
            "date_to",
            "calendar_id",
            "resource_id",
            "time_type",
        }.intersection(vals):
            self._intervention_sla_resync(before)
        return result

    def unlink(self):
        calendars = self._intervention_holiday_calendars()
        result = super().unlink()
        self.env["intervention.request"]._sla_requests_on_calendars(
            calendars
        )._sla_sync()
        return result

    def _intervention_holiday_calendars(self):
        """The calendars these public holidays close: None means all."""
        holidays = self.filtered(lambda leave: not leave.resource_id)
        if any(not leave.calendar_id for leave in holidays):
            return None
        return holidays.calendar_id

    def _intervention_sla_resync(self, before=False):
        calendars = self._intervention_holiday_calendars()
        if before is None or calendars is None:
            calendars = None
        elif before:
            calendars |= before
        if calendars is not None and not calendars:
            return
        self.env["intervention.request"]._sla_requests_on_calendars(
            calendars
        )._sla_sync()
