from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime

ONCALL_LEVELS = [
    ("1", "Level 1 - Technician"),
    ("2", "Level 2 - Regional manager"),
]


class InterventionOncallShift(models.Model):
    """One period of the on-call rota: who is on duty for an agency at a
    level, from a start (included) to an end (excluded) (E2)."""

    _name = "intervention.oncall.shift"
    _description = "On-call Shift"
    _order = "date_start, level"
    _check_company_auto = True

    agency_id = fields.Many2one(
        "intervention.agency",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="agency_id.company_id", store=True, index=True, precompute=True
    )
    level = fields.Selection(ONCALL_LEVELS, required=True, default="1", index=True)
    user_id = fields.Many2one(
        "res.users", string="On Duty", required=True, index=True, check_company=True
    )
    phone = fields.Char(
        compute="_compute_phone",
        store=True,
        readonly=False,
        help="Number the answering service dials; the person's phone by default.",
    )
    date_start = fields.Datetime(string="Start", required=True, index=True)
    date_end = fields.Datetime(string="End", required=True, index=True)
    note = fields.Char()

    _dates_ordered = models.Constraint(
        "CHECK(date_end > date_start)",
        "An on-call shift must end after it starts.",
    )
    _agency_level_start_idx = models.Index("(agency_id, level, date_start, date_end)")

    @api.depends("user_id")
    def _compute_phone(self):
        for shift in self:
            shift.phone = shift.user_id.partner_id.phone or shift.phone

    @api.depends("user_id", "level", "agency_id")
    def _compute_display_name(self):
        for shift in self:
            level = "N1" if shift.level == "1" else "N2"
            shift.display_name = (
                f"{level} {shift.user_id.name or ''} ({shift.agency_id.name or ''})"
            )

    @api.constrains("agency_id", "level", "date_start", "date_end")
    def _check_overlap(self):
        """Two shifts of one agency and level never overlap: at any instant
        exactly one person answers at each level."""
        for shift in self:
            clash = self.search(
                [
                    ("id", "!=", shift.id),
                    ("agency_id", "=", shift.agency_id.id),
                    ("level", "=", shift.level),
                    ("date_start", "<", shift.date_end),
                    ("date_end", ">", shift.date_start),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "The shift of %(user)s from %(start)s overlaps the shift "
                        "of %(other)s from %(other_start)s (%(agency)s, same level).",
                        user=shift.user_id.name,
                        start=format_datetime(self.env, shift.date_start),
                        other=clash.user_id.name,
                        other_start=format_datetime(self.env, clash.date_start),
                        agency=shift.agency_id.name,
                    )
                )
