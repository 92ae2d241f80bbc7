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
        help="The agency's shifts of this level that overlap the span give way: "
        "those inside it are deleted, those running over its start or end are "
        "cut there. The past is kept: a shift already running ends now and the "
        "new rota starts now.",
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

    def _prepare_shift_values(self, not_before=None):
        """One shift per period of the span; with ``not_before``, the
        periods over by then are left out and the running one starts then
        (the rotation stays the one counted from the span's start)."""
        self.ensure_one()
        users = self.user_ids.sorted(lambda user: (user.name or "", user.id))
        bounds = [business_time.to_naive_utc(b) for b in self._shift_bounds()]
        values = []
        for index, (start, stop) in enumerate(pairwise(bounds)):
            if not_before:
                if stop <= not_before:
                    continue
                start = max(start, not_before)
            values.append(
                {
                    "agency_id": self.agency_id.id,
                    "level": self.level,
                    "user_id": users[index % len(users)].id,
                    "date_start": start,
                    "date_end": stop,
                }
            )
        return values

    def _make_room(self, start, stop):
        """Free [start, stop) for the new shifts of the agency and level:
        shifts inside are deleted, a shift running over a bound is cut there
        (one spanning the whole interval keeps both ends)."""
        self.ensure_one()
        Shift = self.env["intervention.oncall.shift"]
        overlapping = Shift.search(
            [
                ("agency_id", "=", self.agency_id.id),
                ("level", "=", self.level),
                ("date_start", "<", stop),
                ("date_end", ">", start),
            ]
        )
        tails, inside = [], Shift
        for shift in overlapping:
            if shift.date_start < start:
                if shift.date_end > stop:
                    tails.append(
                        shift.copy_data(
                            {"date_start": stop, "date_end": shift.date_end}
                        )[0]
                    )
                shift.date_end = start
            elif shift.date_end > stop:
                shift.date_start = stop
            else:
                inside |= shift
        # One DELETE for the shifts inside (a year of them when a rota is
        # generated again), not one per shift.
        inside.unlink()
        return Shift.create(tails) if tails else Shift

    def action_generate(self):
        """Create the rota; with "replace", the overlapping shifts give way
        from the span's start, or from now when the span started already."""
        self.ensure_one()
        now = fields.Datetime.now()
        values = self._prepare_shift_values(not_before=now if self.replace else None)
        if not values:
            if self._prepare_shift_values():
                raise UserError(
                    self.env._("The span is over: there is no shift left to create.")
                )
            raise UserError(self.env._("The span is shorter than one period."))
        Shift = self.env["intervention.oncall.shift"]
        if self.replace:
            self._make_room(values[0]["date_start"], values[-1]["date_end"])
        shifts = Shift.create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("On-call Rota"),
            "res_model": "intervention.oncall.shift",
            "view_mode": "calendar,list,form",
            "domain": [("id", "in", shifts.ids)],
        }
