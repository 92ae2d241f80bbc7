from odoo import api, fields, models

from ..models.request_lifecycle import CANCEL_REASONS, REJECT_REASONS


class InterventionRequestCancelWizard(models.TransientModel):
    """Cancel or reject requests with a reason. Rejections (not the company's
    responsibility, out of scope) may be billed (H1)."""

    _name = "intervention.request.cancel.wizard"
    _description = "Cancel / Reject"

    request_ids = fields.Many2many(
        "intervention.request", string="Requests", required=True
    )
    reason = fields.Selection(CANCEL_REASONS, required=True)
    note = fields.Text()
    is_rejection = fields.Boolean(compute="_compute_is_rejection")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "intervention.request":
            values["request_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values

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
