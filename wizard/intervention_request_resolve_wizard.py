from odoo import api, fields, models


class InterventionRequestResolveWizard(models.TransientModel):
    """Resolve a request with its cause and resolution scenario (B6)."""

    _name = "intervention.request.resolve.wizard"
    _description = "Resolve Request"

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade"
    )
    kind = fields.Selection(related="request_id.kind")
    cause = fields.Text(help="Root cause of the malfunction, found at diagnosis.")
    resolution = fields.Html(
        string="Resolution Scenario",
        help="The steps that fixed the malfunction, reusable for similar requests.",
    )
    similar_count = fields.Integer(related="request_id.similar_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "intervention.request" and context.get(
            "active_ids"
        ):
            request = self.env["intervention.request"].browse(context["active_ids"][0])
            values.update(
                request_id=request.id,
                cause=request.cause,
                resolution=request.resolution,
            )
        return values

    def action_confirm(self):
        self.ensure_one()
        self.request_id.write({"cause": self.cause, "resolution": self.resolution})
        self.request_id.action_resolve()
        return {"type": "ir.actions.act_window_close"}
