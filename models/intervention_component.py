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
    owner_id = fields.Many2one(
        "res.users",
        string="Component Owner",
        help="Receives the change requests about this component; the product "
        "owner when empty.",
    )
    active = fields.Boolean(default=True)
