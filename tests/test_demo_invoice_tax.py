from odoo.fields import Command
from odoo.tests import tagged

from .billing_common import InterventionBillingCommon


@tagged("post_install", "-at_install")
class TestDemoInvoiceTax(InterventionBillingCommon):
    """The demo invoices carry a sensible tax: the service products get the
    company's sales tax from its localisation, else a 20% VAT made for the
    demo; the invoice of billable work then shows that tax."""

    def setUp(self):
        super().setUp()
        self.products = (
            self.product_hour
            | self.product_ut
            | self.product_oncall
            | self.product_travel
        )
        self.products.taxes_id = [Command.clear()]
        self.request = self._create_started_request()
        self.request._add_billable_cause("abnormal_use", "Deliberate damage.")
        self._add_time(self.request, 2.0, kind="onsite")

    def _demo_taxes(self):
        self.env["product.template"]._ir_demo_ensure_sale_tax()
        invoice = self._invoice(self.request)
        return invoice, invoice.invoice_line_ids.filtered("product_id").tax_ids

    def test_localisation_sales_tax(self):
        sales_tax = self.env["account.tax"].create(
            {"name": "Sales tax 8.5%", "amount": 8.5, "type_tax_use": "sale"}
        )
        self.env.company.account_sale_tax_id = sales_tax
        invoice, taxes = self._demo_taxes()
        self.assertEqual(taxes, sales_tax)
        self.assertEqual(invoice.currency_id, self.env.company.currency_id)
        # 2 h at the contract's 95.00 hourly rate, 8.5% on top.
        self.assertAlmostEqual(invoice.amount_untaxed, 190.0)
        self.assertAlmostEqual(invoice.amount_tax, 16.15)

    def test_demo_vat_without_localisation(self):
        self.env.company.account_sale_tax_id = False
        self.env["account.tax"].search(
            [("type_tax_use", "=", "sale"), ("amount", "=", 20.0)]
        ).active = False
        invoice, taxes = self._demo_taxes()
        self.assertEqual(taxes.name, "VAT 20% (demo)")
        self.assertAlmostEqual(invoice.amount_tax, 38.0)
        # Run again (demo data loaded twice): no second tax.
        self.env["product.template"]._ir_demo_ensure_sale_tax()
        self.assertEqual(self.products.taxes_id, taxes)

    def test_clients_abroad_keep_the_domestic_tax(self):
        """Odoo's demo company is in the United States and the demo clients
        in France: without the helper, *Foreign Trade* maps the sales tax
        to a 0% export tax."""
        company = self.env.company
        company.country_id = self.env.ref("base.us")
        Position = self.env["account.fiscal.position"]
        domestic = Position.create(
            {
                "name": "Domestic",
                "auto_apply": True,
                "country_id": self.env.ref("base.us").id,
                "sequence": 1,
            }
        )
        # Before any fiscal position of the localisation installed here.
        foreign = Position.create(
            {"name": "Foreign Trade", "auto_apply": True, "sequence": 2}
        )
        sales_tax = self.env["account.tax"].create(
            {
                "name": "Sales tax 15% (test)",
                "amount": 15.0,
                "type_tax_use": "sale",
                "fiscal_position_ids": [Command.set(domestic.ids)],
            }
        )
        self.env["account.tax"].create(
            {
                "name": "Exports 0% (test)",
                "amount": 0.0,
                "type_tax_use": "sale",
                "fiscal_position_ids": [Command.set(foreign.ids)],
                "original_tax_ids": [Command.set(sales_tax.ids)],
            }
        )
        company.account_sale_tax_id = sales_tax
        self.client.country_id = self.env.ref("base.fr")
        self.assertEqual(
            Position._get_fiscal_position(self.client), foreign, "the demo's trap"
        )
        invoice, taxes = self._demo_taxes()
        self.assertEqual(invoice.fiscal_position_id, domestic)
        self.assertEqual(taxes, sales_tax)
        self.assertEqual(invoice.currency_id, company.currency_id)
        # 2 h at the contract's 95.00 hourly rate, 15% on top.
        self.assertAlmostEqual(invoice.amount_tax, 28.5)
