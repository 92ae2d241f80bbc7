from odoo import fields, models

from ..models.intervention_freeze import FREEZE_REASONS
from ..models.request_lifecycle import WAITING_FREEZE_REASONS


class InterventionRequestWaitWizard(models.TransientModel):
    """Put requests on hold waiting on the client, with the freeze reason."""

    _name = "intervention.request.wait.wizard"
    _inherit = "intervention.request.wizard.mixin"
    _description = "Wait on Client"

    reason = fields.Selection(
        [item for item in FREEZE_REASONS if item[0] in WAITING_FREEZE_REASONS],
        required=True,
        default="client_info",
    )
    note = fields.Char(help="What the client has to do or send.")

    def action_confirm(self):
        self.request_ids.action_wait(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
