from odoo import models


class InterventionRequestScopeMixin(models.AbstractModel):
    """A way forward for a request out of the contract's scope (seed 004
    §3): open the contract extension wizard."""

    _name = "intervention.request.scope.mixin"
    _description = "Request Scope Change"

    def action_open_extend_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Extend Contract"),
            "res_model": "intervention.contract.extend.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_id": self.id},
        }
