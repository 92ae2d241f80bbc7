from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    intervention_reopen_days = fields.Integer(
        string="Reopen Window (days)",
        default=5,
        help="Days after resolution during which the client may reopen a request.",
    )

    intervention_sla_policy_id = fields.Many2one(
        "intervention.sla.policy",
        string="Default SLA Policy",
        domain="[('company_id', 'in', [id, False])]",
        help="Applies to requests whose contract names no policy.",
    )

    _intervention_reopen_days_positive = models.Constraint(
        "CHECK(intervention_reopen_days >= 0)",
        "The reopen window cannot be negative.",
    )
