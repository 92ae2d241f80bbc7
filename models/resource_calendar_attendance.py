from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """A change of opening hours drops the cached work intervals of its
    calendar (``resource.calendar._intervention_touch``)."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._intervention_touch()
        return attendances

    def write(self, vals):
        before = self.calendar_id
        result = super().write(vals)
        (before | self.calendar_id)._intervention_touch()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars.exists()._intervention_touch()
        return result
