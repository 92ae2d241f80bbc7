from odoo import fields, models

from ..models.request_lifecycle import BILLABLE_CAUSES

# Causes staff declare by hand (H1); the others come from the intake checks.
STAFF_CAUSES = [
    (cause, label)
    for cause, label in BILLABLE_CAUSES
    if cause in {"abnormal_use", "not_responsible", "excluded_service", "traceability"}
]


class InterventionRequestChargeWizard(models.TransientModel):
    """Declare a request billable, saying why (H1)."""

    _name = "intervention.request.charge.wizard"
    _description = "Declare a Billable Cause"

    request_id = fields.Many2one("intervention.request", required=True)
    cause = fields.Selection(STAFF_CAUSES, required=True)
    reason = fields.Text(required=True)
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        domain="[('type', '=', 'service')]",
        help="Optional: a service billed for this cause itself. The time spent is "
        "billed through the time entries.",
    )
    quantity = fields.Float(digits="Product Unit")

    def action_confirm(self):
        self.ensure_one()
        self.request_id._add_billable_cause(
            self.cause, self.reason, self.product_id, self.quantity
        )
        return {"type": "ir.actions.act_window_close"}
