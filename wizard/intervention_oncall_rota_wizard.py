from datetime import datetime, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.intervention_agency_window import _float_to_time
from ..models.intervention_oncall_shift import ONCALL_LEVELS
from ..tools import business_time


class InterventionOncallRotaWizard(models.TransientModel):
    """Generate a year (or any span) of shifts for an agency and level from
    a rotation: the listed people take turns, one period each, handing over
    at a fixed local hour (E2)."""

    _name = "intervention.oncall.rota.wizard"
    _description = "Generate On-call Rota"

    agency_id = fields.Many2one("intervention.agency", required=True)
    level = fields.Selection(ONCALL_LEVELS, required=True, default="1")
    user_ids = fields.Many2many(
        "res.users",
        string="Rotation",
        required=True,
        help="People taking turns, in alphabetical order of their names, the "
        "first from the start date.",
    )
    date_from = fields.Date(
        string="From", required=True, default=fields.Date.context_today
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(years=1),
    )
    period = fields.Selection(
        [("day", "One day"), ("week", "One week")], required=True, default="week"
    )
    handover_hour = fields.Float(required=True, default=8.0)
    replace = fields.Boolean(
        string="Replace Existing Shifts",
        default=True,
        help="Delete the agency's shifts of this level that start in the span.",
    )

    def _shift_bounds(self):
        """Local handover instants from ``date_from`` to ``date_to``, as
        aware UTC datetimes (each local handover follows DST)."""
        self.ensure_one()
        if self.date_to <= self.date_from:
            raise UserError(self.env._("The rota must end after it starts."))
        step = timedelta(days=7 if self.period == "week" else 1)
        tz = self.agency_id._tz
        handover = (
            _float_to_time(self.handover_hour) if self.handover_hour >= 0 else None
        )
        if handover is None:
            raise UserError(
                self.env._("The handover hour must be between 00:00 and 23:59.")
            )
        bounds, day = [], self.date_from
        while day <= self.date_to:
            bounds.append(tz.localize(datetime.combine(day, handover)))
            day += step
        return [business_time.to_aware_utc(bound) for bound in bounds]

    def _prepare_shift_values(self):
        self.ensure_one()
        users = self.user_ids.sorted(lambda user: (user.name or "", user.id))
        bounds = self._shift_bounds()
        return [
            {
                "agency_id": self.agency_id.id,
                "level": self.level,
                "user_id": users[index % len(users)].id,
                "date_start": business_time.to_naive_utc(start),
                "date_end": business_time.to_naive_utc(stop),
            }
            for index, (start, stop) in enumerate(pairwise(bounds))
        ]

    def action_generate(self):
        self.ensure_one()
        values = self._prepare_shift_values()
        if not values:
            raise UserError(self.env._("The span is shorter than one period."))
        Shift = self.env["intervention.oncall.shift"]
        if self.replace:
            Shift.search(
                [
                    ("agency_id", "=", self.agency_id.id),
                    ("level", "=", self.level),
                    ("date_start", ">=", values[0]["date_start"]),
                    ("date_start", "<", values[-1]["date_end"]),
                ]
            ).unlink()
        shifts = Shift.create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("On-call Rota"),
            "res_model": "intervention.oncall.shift",
            "view_mode": "calendar,list,form",
            "domain": [("id", "in", shifts.ids)],
        }
