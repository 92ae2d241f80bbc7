from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    intervention_feedback_days = fields.Integer(
        string="Feedback Window (days)",
        default=8,
        help="Days after resolution during which the client may rate a request and "
        "leave remarks, from the rating e-mail or the portal (seed 002: 8 days).",
    )

    _intervention_feedback_days_positive = models.Constraint(
        "CHECK(intervention_feedback_days >= 0)",
        "The feedback window cannot be negative.",
    )
