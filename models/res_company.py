from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    intervention_reopen_days = fields.Integer(
        string="Reopen Window (days)",
        default=5,
        help="Days after resolution during which the client may reopen a request.",
    )

    _intervention_reopen_days_positive = models.Constraint(
        "CHECK(intervention_reopen_days >= 0)",
        "The reopen window cannot be negative.",
    )
