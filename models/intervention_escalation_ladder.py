from odoo import fields, models

from .request_lifecycle import FINAL_STATES


class InterventionEscalationLadder(models.Model):
    """An escalation ladder (D1): levels fired at offsets from a request's
    SLA deadlines, notifying roles of the contract, users or groups."""

    _name = "intervention.escalation.ladder"
    _description = "Escalation Ladder"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    business_hours_only = fields.Boolean(
        default=True,
        help="Levels fire only during the business hours of the request's "
        "calendar; a level due at night fires at the next opening.",
    )
    level_ids = fields.One2many(
        "intervention.escalation.level", "ladder_id", string="Levels"
    )

    def write(self, vals):
        result = super().write(vals)
        if "business_hours_only" in vals:
            self._open_requests()._sla_sync()
        return result

    def _open_requests(self):
        return self.env["intervention.request"].search(
            [
                ("contract_id.escalation_ladder_id", "in", self.ids),
                ("state", "not in", FINAL_STATES),
            ]
        )
