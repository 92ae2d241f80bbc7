from odoo import fields, models

SUPPORT_LEVELS = [("n1", "N1"), ("n2", "N2"), ("n3", "N3")]


class InterventionDomain(models.Model):
    """A service domain (workstations, servers, network, business apps...).

    Contracts list the domains they cover; a request belongs to one domain and
    may be transferred to another one (B5).
    """

    _name = "intervention.domain"
    _description = "Service Domain"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    support_level = fields.Selection(
        SUPPORT_LEVELS,
        string="Default Level",
        default="n1",
        required=True,
        help="Support level that handles requests of this domain first.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")

    _code_uniq = models.UniqueIndex(
        "(code, company_id) WHERE code IS NOT NULL",
        "A domain code must be unique per company.",
    )
