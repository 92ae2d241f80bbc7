from odoo import api, fields, models

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

    @api.model
    def _ir_demo_ensure_sale_tax(self):
        """Demo data: the service products of the time entries carry the
        company's sales tax from its localisation, else a 20% VAT made for
        the demo, so that the demo invoices carry a sensible tax. The demo
        clients are the company's home market: when that tax belongs to a
        fiscal position (the localisation's *Domestic* one), the clients with
        something to invoice get it, so that their addresses abroad (French
        clients of Odoo's demo company in the United States) do not map the
        tax to a 0% export tax."""
        company = self.env.company
        Tax = self.env["account.tax"]
        tax = company.account_sale_tax_id or Tax.search(
            [
                *Tax._check_company_domain(company),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", 20.0),
            ],
            limit=1,
        )
        if not tax:
            tax = Tax.create(
                {
                    "name": self.env._("VAT 20% (demo)"),
                    "amount": 20.0,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "company_id": company.id,
                }
            )
        products = self.env["intervention.time.entry"]._get_default_products()
        for product in products.values():
            if product and not product.taxes_id.filtered(
                lambda t: t.company_id == company
            ):
                product.taxes_id |= tax
        self._ir_demo_domestic_clients(tax)
        return tax.id

    @api.model
    def _ir_demo_domestic_clients(self, tax):
        """Give the demo clients with something to invoice the fiscal
        position that ``tax`` belongs to (see ``_ir_demo_ensure_sale_tax``)."""
        company = self.env.company
        fiscal_position = tax.fiscal_position_ids.filtered(
            lambda position: position.company_id == company
        )[:1]
        if not fiscal_position:
            return
        requests = self.env["intervention.request"].search(
            [("company_id", "=", company.id), ("invoice_status", "=", "to_invoice")]
        )
        clients = requests.partner_id.commercial_partner_id
        clients.with_company(company).property_account_position_id = fiscal_position
