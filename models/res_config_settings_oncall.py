from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    intervention_oncall_direction_id = fields.Many2one(
        related="company_id.intervention_oncall_direction_id", readonly=False
    )
    intervention_oncall_export_email = fields.Char(
        related="company_id.intervention_oncall_export_email", readonly=False
    )
