from odoo import fields, models

RATE_TYPES = [
    ("hourly", "Contract hourly rate"),
    ("time_unit", "Contract time unit (UT) rate"),
    ("oncall", "Contract on-call hourly rate"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    intervention_rate_type = fields.Selection(
        RATE_TYPES,
        string="Intervention Rate",
        help="Which rate of the client's service contract prices this service on "
        "intervention time entries and billable causes. Empty, or when the contract "
        "has no such rate: the product's sales price.",
    )
