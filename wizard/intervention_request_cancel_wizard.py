from odoo import api, fields, models

from ..models.request_lifecycle import CANCEL_REASONS, REJECT_REASONS


class InterventionRequestCancelWizard(models.TransientModel):
    """Cancel or reject requests with a reason. Rejections (not the company's
    responsibility, out of scope) may be billed (H1)."""

    _name = "intervention.request.cancel.wizard"
    _inherit = "intervention.request.wizard.mixin"
    _description = "Cancel / Reject"

    reason = fields.Selection(CANCEL_REASONS, required=True)
    note = fields.Text()
    is_rejection = fields.Boolean(compute="_compute_is_rejection")

    @api.depends("reason")
    def _compute_is_rejection(self):
        for wizard in self:
            wizard.is_rejection = wizard.reason in REJECT_REASONS

    def action_confirm(self):
        if self.is_rejection:
            self.request_ids.action_reject(self.reason, self.note)
        else:
            self.request_ids.action_cancel(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
