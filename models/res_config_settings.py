from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    intervention_reopen_days = fields.Integer(
        related="company_id.intervention_reopen_days",
        readonly=False,
    )
    intervention_sla_policy_id = fields.Many2one(
        related="company_id.intervention_sla_policy_id",
        readonly=False,
    )
    intervention_duty_desk_email = fields.Char(
        related="company_id.intervention_duty_desk_email",
        readonly=False,
    )

    intervention_feedback_days = fields.Integer(
        related="company_id.intervention_feedback_days",
        readonly=False,
    )

    intervention_oncall_direction_id = fields.Many2one(
        related="company_id.intervention_oncall_direction_id", readonly=False
    )
    intervention_oncall_export_email = fields.Char(
        related="company_id.intervention_oncall_export_email", readonly=False
    )
    intervention_oncall_individual_cutoff = fields.Float(
        related="company_id.intervention_oncall_individual_cutoff", readonly=False
    )
    intervention_oncall_morning_end = fields.Float(
        related="company_id.intervention_oncall_morning_end", readonly=False
    )
    intervention_portal_max_attachment_mb = fields.Integer(
        related="company_id.intervention_portal_max_attachment_mb", readonly=False
    )
