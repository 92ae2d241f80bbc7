from odoo import api, fields, models


class InterventionRequestWizardMixin(models.AbstractModel):
    """A wizard opened on the requests selected in the list or on the form:
    they are its ``request_ids``."""

    _name = "intervention.request.wizard.mixin"
    _description = "Wizard on Selected Requests"

    request_ids = fields.Many2many(
        "intervention.request", string="Requests", required=True
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "intervention.request":
            values["request_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values
