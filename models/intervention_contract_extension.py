from odoo import api, fields, models
from odoo.exceptions import ValidationError

# What an extension adds, and the field of the item for each kind.
EXTENSION_KINDS = [
    ("equipment", "Asset"),
    ("site", "Site"),
    ("domain", "Service domain"),
    ("service", "Excluded service"),
]
KIND_FIELDS = {
    "equipment": "equipment_id",
    "site": "site_id",
    "domain": "domain_id",
    "service": "service_id",
}
# Coverage reasons (A4) an extension answers, and the kind it adds.
REASON_KINDS = {
    "equipment": "equipment",
    "site": "site",
    "domain": "domain",
    "excluded_service": "service",
}


class InterventionContractExtension(models.Model):
    """One item added to a contract's scope after signature, covered from a
    date (A2, seed 004 §3: the desk may propose an extension of the
    contract): an asset, a site, a service domain, or a service no longer
    excluded. The coverage verdict reads these dates: a request received
    before ``date_from`` stays out of scope. The list is the contract's
    scope-extension history: what, from when, by whom, for which request."""

    _name = "intervention.contract.extension"
    _description = "Contract Scope Extension"
    _order = "contract_id, date_from desc, id desc"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "intervention.contract",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    kind = fields.Selection(EXTENSION_KINDS, string="Adds", required=True)
    equipment_id = fields.Many2one(
        "intervention.equipment",
        string="Asset",
        check_company=True,
        ondelete="restrict",
    )
    site_id = fields.Many2one("res.partner", ondelete="restrict")
    domain_id = fields.Many2one(
        "intervention.domain",
        string="Service Domain",
        check_company=True,
        ondelete="restrict",
    )
    service_id = fields.Many2one("intervention.service", ondelete="restrict")
    item_name = fields.Char(string="What", compute="_compute_item_name")
    date_from = fields.Date(
        string="Covered From",
        required=True,
        help="Requests about this item received from this date on are covered; "
        "those received before stay out of scope.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        required=True,
        default=lambda self: self.env.user,
    )
    request_id = fields.Many2one(
        "intervention.request",
        string="Prompted By",
        ondelete="set null",
        index="btree_not_null",
        help="The request found out of scope that led to this extension.",
    )
    note = fields.Text(help="Terms agreed with the client (price, signature...).")
    company_id = fields.Many2one(related="contract_id.company_id", store=True)

    @api.depends("kind", "equipment_id", "site_id", "domain_id", "service_id")
    def _compute_item_name(self):
        for extension in self:
            extension.item_name = extension._get_item().display_name or ""

    def _get_item(self):
        """The asset, site, domain or service this extension adds."""
        self.ensure_one()
        if not self.kind:
            return self.env["res.partner"]
        return self[KIND_FIELDS[self.kind]]

    @api.constrains("kind", "equipment_id", "site_id", "domain_id", "service_id")
    def _check_one_item(self):
        for extension in self:
            filled = [k for k, fname in KIND_FIELDS.items() if extension[fname]]
            if filled != [extension.kind]:
                raise ValidationError(
                    self.env._(
                        "A scope extension adds one item: the asset, site, domain or "
                        "service its kind names, and nothing else."
                    )
                )

    @api.constrains("contract_id", "equipment_id", "site_id")
    def _check_item_of_client(self):
        for extension in self:
            client = extension.contract_id.partner_id
            owner = (
                extension.equipment_id.partner_id or extension.site_id
            ).commercial_partner_id
            if owner and owner != client:
                raise ValidationError(
                    self.env._(
                        "%(item)s belongs to %(owner)s, not to %(client)s, the client "
                        "of contract %(contract)s: it cannot be added to its scope.",
                        item=extension.item_name,
                        owner=owner.display_name,
                        client=client.display_name,
                        contract=extension.contract_id.name,
                    )
                )

    @api.constrains("contract_id", "date_from")
    def _check_date_within_contract(self):
        for extension in self:
            extension.contract_id._check_extension_date(extension.date_from)
