from odoo import fields, models


class InterventionService(models.Model):
    """A kind of service a client may ask for.

    Curative support is what contracts cover; installation, configuration,
    training, specific development, data reconstruction or on-site travel are
    typical exclusions (A2) and make a request "not covered".
    """

    _name = "intervention.service"
    _description = "Requested Service"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _code_uniq = models.UniqueIndex(
        "(code) WHERE code IS NOT NULL",
        "A service code must be unique.",
    )
