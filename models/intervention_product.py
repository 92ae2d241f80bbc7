from odoo import fields, models


class InterventionProduct(models.Model):
    """A supported product (software suite, hardware range) requests are
    grouped by (seed 002: "CERFRANCE Connect", "GRC", "Intranet")."""

    _name = "intervention.product"
    _description = "Supported Product"
    _order = "name"

    name = fields.Char(required=True)
    code = fields.Char()
    owner_id = fields.Many2one(
        "res.users",
        string="Product Owner",
        help="Receives the change requests (evolutions) about this product.",
    )
    component_ids = fields.One2many(
        "intervention.component", "product_id", string="Components"
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
