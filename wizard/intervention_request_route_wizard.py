from odoo import fields, models

from ..models.intervention_domain import SUPPORT_LEVELS
from ..models.intervention_request_routing import ROUTING_KINDS


class InterventionRequestRouteWizard(models.TransientModel):
    """Escalate a request to a higher level, transfer it to another domain or
    assign it, always with a reason (B5)."""

    _name = "intervention.request.route.wizard"
    _inherit = "intervention.request.wizard.mixin"
    _description = "Escalate / Transfer"

    kind = fields.Selection(ROUTING_KINDS, required=True, default="escalation")
    support_level = fields.Selection(SUPPORT_LEVELS, string="To Level")
    domain_id = fields.Many2one("intervention.domain", string="To Domain")
    user_id = fields.Many2one(
        "res.users", string="Assign To", domain="[('share', '=', False)]"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.request_ids._route(
            self.kind,
            self.reason,
            level=self.support_level if self.kind == "escalation" else None,
            domain=self.domain_id if self.kind == "transfer" else None,
            user=self.user_id or None,
        )
        return {"type": "ir.actions.act_window_close"}
