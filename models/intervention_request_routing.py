from odoo import fields, models

from .intervention_domain import SUPPORT_LEVELS

ROUTING_KINDS = [
    ("assignment", "Assignment"),
    ("escalation", "Escalation to a higher level"),
    ("transfer", "Transfer to another domain"),
]


class InterventionRequestRouting(models.Model):
    """One step of a request's routing between support levels and domains
    (B5): who moved it, from where to where, and why."""

    _name = "intervention.request.routing"
    _description = "Request Routing Step"
    _order = "date desc, id desc"

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade", index=True
    )
    # Precomputed: given in the INSERT, not by an UPDATE after it.
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    kind = fields.Selection(ROUTING_KINDS, required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user
    )
    from_level = fields.Selection(SUPPORT_LEVELS)
    to_level = fields.Selection(SUPPORT_LEVELS)
    from_domain_id = fields.Many2one("intervention.domain")
    to_domain_id = fields.Many2one("intervention.domain")
    from_user_id = fields.Many2one("res.users", string="From Assignee")
    to_user_id = fields.Many2one("res.users", string="To Assignee")
    reason = fields.Text(required=True)
