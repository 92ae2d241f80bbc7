from odoo import api, fields, models

from ..models.intervention_freeze import FREEZE_REASONS
from ..models.request_lifecycle import WAITING_FREEZE_REASONS


class InterventionRequestWaitWizard(models.TransientModel):
    """Put requests on hold waiting on the client, with the freeze reason."""

    _name = "intervention.request.wait.wizard"
    _description = "Wait on Client"

    request_ids = fields.Many2many(
        "intervention.request", string="Requests", required=True
    )
    reason = fields.Selection(
        [item for item in FREEZE_REASONS if item[0] in WAITING_FREEZE_REASONS],
        required=True,
        default="client_info",
    )
    note = fields.Char(help="What the client has to do or send.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "intervention.request":
            values["request_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values

    def action_confirm(self):
        self.request_ids.action_wait(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
