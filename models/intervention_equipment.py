from odoo import api, fields, models
from odoo.exceptions import ValidationError


class InterventionEquipment(models.Model):
    """An asset of a client: hardware or software the company may maintain.

    Coverage is decided by the contract's equipment lines (with the date from
    which each asset is covered), see ``intervention.contract``.
    """

    _name = "intervention.equipment"
    _description = "Client Equipment / Software"
    _inherit = ["mail.thread"]
    _order = "partner_id, name"

    name = fields.Char(required=True, tracking=True)
    equipment_type = fields.Selection(
        [("hardware", "Hardware"), ("software", "Software")],
        string="Type",
        default="hardware",
        required=True,
    )
    category = fields.Char(
        help="Equipment type shown to the answering service, e.g. gas boiler, boiler "
        "room, server."
    )
    serial_number = fields.Char(tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    site_id = fields.Many2one(
        "res.partner",
        domain="[('id', 'child_of', partner_id)]",
        help="Address of the client where the asset is installed.",
    )
    product_id = fields.Many2one("intervention.product")
    domain_id = fields.Many2one("intervention.domain", string="Service Domain")
    acquisition_date = fields.Date(
        tracking=True, help="Date the client acquired or installed the asset."
    )
    note = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    @api.constrains("partner_id", "site_id")
    def _check_site_belongs_to_client(self):
        for equipment in self:
            site = equipment.site_id
            if (
                site
                and site.commercial_partner_id
                != equipment.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The site %(site)s of %(equipment)s is not an address of "
                        "%(client)s.",
                        site=site.display_name,
                        equipment=equipment.display_name,
                        client=equipment.partner_id.display_name,
                    )
                )

    @api.depends("name", "serial_number")
    def _compute_display_name(self):
        for equipment in self:
            serial = equipment.serial_number
            equipment.display_name = (
                f"{equipment.name} ({serial})" if serial else equipment.name
            )
