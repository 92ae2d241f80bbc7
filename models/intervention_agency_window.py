from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import business_time

ONCALL_TYPES = [
    ("evening", "Weekday evenings"),
    ("day_duty", "Weekends and public holidays (day duty)"),
]


def _float_to_time(hours):
    """9.5 -> 09:30; 24 -> None (midnight at the end of the day)."""
    if hours >= 24:
        return None
    minutes = round(hours * 60)
    return time(minutes // 60, minutes % 60)


class InterventionAgencyWindow(models.Model):
    """One on-call window of an agency: the hours during which its on-call
    duty answers, for one type of day (E1)."""

    _name = "intervention.agency.window"
    _description = "Agency On-call Window"
    _order = "agency_id, oncall_type, hour_from"

    agency_id = fields.Many2one(
        "intervention.agency", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="agency_id.company_id", store=True)
    oncall_type = fields.Selection(
        ONCALL_TYPES,
        string="Type",
        required=True,
        default="evening",
        help="Weekday evenings apply on business days; day duty on weekends and "
        "public holidays.",
    )
    hour_from = fields.Float(string="From", required=True, default=18.0)
    hour_to = fields.Float(
        string="To",
        required=True,
        default=22.0,
        help="An end not after the start runs past midnight (e.g. 18:00 to 08:00).",
    )

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for window in self:
            if not (0 <= window.hour_from < 24 and 0 < window.hour_to <= 24):
                raise ValidationError(
                    self.env._("On-call window hours must lie between 00:00 and 24:00.")
                )
            if window.hour_from == window.hour_to:
                raise ValidationError(
                    self.env._("An on-call window cannot start and end at once.")
                )

    @api.depends("oncall_type", "hour_from", "hour_to")
    def _compute_display_name(self):
        labels = dict(self._fields["oncall_type"]._description_selection(self.env))
        for window in self:
            window.display_name = "%s %02d:%02d-%02d:%02d" % (
                labels.get(window.oncall_type, ""),
                *divmod(round(window.hour_from * 60), 60),
                *divmod(round(window.hour_to * 60), 60),
            )

    def _bounds(self, day, tz):
        """Aware UTC ``(start, stop)`` of this window on local date ``day``."""
        self.ensure_one()
        start = tz.localize(datetime.combine(day, _float_to_time(self.hour_from)))
        end_day = day if self.hour_to > self.hour_from else day + timedelta(days=1)
        end_time = _float_to_time(self.hour_to)
        if end_time is None:
            end_day, end_time = end_day + timedelta(days=1), time.min
        stop = tz.localize(datetime.combine(end_day, end_time))
        return business_time.to_aware_utc(start), business_time.to_aware_utc(stop)
