from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    intervention_feedback_days = fields.Integer(
        related="company_id.intervention_feedback_days",
        readonly=False,
    )
