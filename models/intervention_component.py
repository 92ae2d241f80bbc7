from odoo import fields, models


class InterventionComponent(models.Model):
    """A component of a supported product (seed 002: "Devis-fac", "module congés")."""

    _name = "intervention.component"
    _description = "Product Component"
    _order = "product_id, name"

    name = fields.Char(required=True)
    product_id = fields.Many2one(
        "intervention.product", required=True, ondelete="cascade", index=True
    )
    active = fields.Boolean(default=True)
