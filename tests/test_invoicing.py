from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .billing_common import InterventionBillingCommon


@tagged("post_install", "-at_install")
class TestInvoicing(InterventionBillingCommon):
    """Finance invoices billable requests (H4): per client, one line per
    billable item, never twice; credit notes make the credited part
    invoiceable again. Invoiced items are locked for technicians."""

    def setUp(self):
        super().setUp()
        # Client 1: a phone request (1 UT surcharge, covered work) and an
        # abnormal-use request (time billed).
        self.phone_request = self._create_started_request(channel="phone")
        self.phone_time = self._add_time(self.phone_request, 1.0)
        self.abuse_request = self._create_started_request()
        self.abuse_request._add_billable_cause("abnormal_use", "Deliberate damage.")
        self.abuse_remote = self._add_time(self.abuse_request, 1.0)
        self.abuse_onsite = self._add_time(self.abuse_request, 2.0, kind="onsite")
        # Client 2: out of contract, terms accepted, on-site work and travel.
        self.ooc_request = self._create_out_of_contract_request()
        self._accept_terms(self.ooc_request)
        self.ooc_request.action_qualify()
        self.ooc_request.action_start()
        self.ooc_work = self._add_time(self.ooc_request, 1.5, kind="onsite")
        self.ooc_travel = self._add_time(self.ooc_request, 0.5, kind="travel")
        self.requests = self.phone_request | self.abuse_request | self.ooc_request

    def _line_of(self, invoice, item):
        return invoice.invoice_line_ids.filtered(
            lambda line: (
                line.intervention_time_entry_id == item
                or line.intervention_charge_id == item
            )
        )

    def test_to_invoice_list_and_status(self):
        self.assertEqual(set(self.requests.mapped("invoice_status")), {"to_invoice"})
        covered = self._create_started_request()
        self._add_time(covered, 1.0)
        self.assertEqual(covered.invoice_status, "no")
        action = self.env.ref(
            "intervention_request.intervention_request_to_invoice_action"
        )
        self.assertIn("search_default_to_invoice", action.context)
        to_invoice = self.env["intervention.request"].search(
            [("invoice_status", "=", "to_invoice")]
        )
        self.assertEqual(to_invoice, self.requests)

    def test_invoices_grouped_per_client(self):
        invoices = self._invoice(self.requests)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(set(invoices.mapped("state")), {"draft"})
        first = invoices.filtered(lambda m: m.partner_id == self.client)
        second = invoices.filtered(lambda m: m.partner_id == self.other_client)
        self.assertEqual(first.journal_id, self.sale_journal)
        self.assertIn(self.phone_request.name, first.invoice_origin)
        self.assertIn(self.abuse_request.name, first.invoice_origin)
        self.assertEqual(
            first.intervention_request_ids, self.phone_request | self.abuse_request
        )
        self.assertEqual(second.intervention_request_ids, self.ooc_request)

        surcharge = self.phone_request.charge_ids
        expected_first = {
            surcharge: (self.product_ut, 1.0, 47.5),
            self.abuse_remote: (self.product_ut, 2.0, 47.5),
            self.abuse_onsite: (self.product_hour, 2.0, 95.0),
        }
        product_lines = first.invoice_line_ids.filtered(
            lambda l: l.display_type == "product"
        )
        self.assertEqual(len(product_lines), 3, "one line per billable item")
        for item, (product, quantity, price) in expected_first.items():
            line = self._line_of(first, item)
            self.assertEqual(line.product_id, product)
            self.assertEqual(line.quantity, quantity)
            self.assertEqual(line.price_unit, price)
        self.assertFalse(
            self._line_of(first, self.phone_time), "covered time is not billed"
        )
        self.assertEqual(first.amount_untaxed, 47.5 + 95.0 + 190.0)
        # Out of contract, no contract rates: the products' prices.
        self.assertEqual(
            second.amount_untaxed,
            1.5 * self.product_hour.lst_price + 0.5 * self.product_travel.lst_price,
        )
        self.assertEqual(set(self.requests.mapped("invoice_status")), {"invoiced"})
        request_form = Form(self.abuse_request.with_user(self.finance))
        self.assertEqual(request_form.invoice_count, 1)
        self.assertEqual(request_form.invoice_status, "invoiced")
        action = second.action_view_intervention_requests()
        self.assertEqual(action["domain"], [("id", "in", self.ooc_request.ids)])
        self.assertEqual(self.abuse_request.with_user(self.finance).invoice_ids, first)
        self.assertTrue(self.abuse_onsite.is_invoiced)

    def test_nothing_invoiced_twice(self):
        self._invoice(self.requests)
        with self.assertRaisesRegex(UserError, "Nothing is left to invoice"):
            self._invoice(self.requests)
        extra = self._add_time(self.abuse_request, 0.5, kind="onsite")
        self.assertEqual(self.abuse_request.invoice_status, "to_invoice")
        second = self._invoice(self.requests)
        self.assertEqual(len(second), 1)
        product_lines = second.invoice_line_ids.filtered(
            lambda l: l.display_type == "product"
        )
        self.assertEqual(product_lines.intervention_time_entry_id, extra)
        self.assertFalse(product_lines.intervention_charge_id)

    def test_full_credit_note_makes_the_items_invoiceable_again(self):
        invoice = self._invoice(self.ooc_request)
        self._credit(invoice)
        self.assertEqual(self.ooc_work.qty_invoiced, 0.0)
        self.assertEqual(self.ooc_work.qty_to_invoice, 1.5)
        self.assertEqual(self.ooc_request.invoice_status, "to_invoice")
        again = self._invoice(self.ooc_request)
        self.assertEqual(again.amount_untaxed, invoice.amount_untaxed)

    def test_partial_credit_note_makes_only_the_credited_part_invoiceable(self):
        invoice = self._invoice(self.abuse_request)
        self._credit(invoice, {self.abuse_onsite: 0.5, self.abuse_remote: 0.0})
        self.assertEqual(self.abuse_onsite.qty_invoiced, 1.5)
        self.assertEqual(self.abuse_onsite.qty_to_invoice, 0.5)
        self.assertEqual(self.abuse_remote.qty_to_invoice, 0.0)
        again = self._invoice(self.abuse_request)
        lines = again.invoice_line_ids.filtered(lambda l: l.display_type == "product")
        self.assertEqual(lines.intervention_time_entry_id, self.abuse_onsite)
        self.assertEqual(lines.quantity, 0.5)
        self.assertEqual(self.abuse_request.invoice_status, "invoiced")

    def test_cancelled_invoice_frees_the_items(self):
        invoice = self._invoice(self.ooc_request)
        invoice.button_cancel()
        self.assertEqual(self.ooc_request.invoice_status, "to_invoice")
        self.assertFalse(self.ooc_work.is_invoiced)

    def test_request_without_billable_item_cannot_be_invoiced(self):
        covered = self._create_started_request()
        self._add_time(covered, 1.0)
        with self.assertRaisesRegex(UserError, "Nothing is left to invoice"):
            self._invoice(covered)

    def test_only_finance_invoices(self):
        with self.assertRaises(AccessError):
            self._invoice(self.requests, user=self.user)

    def test_technician_cannot_change_invoiced_time(self):
        entry = self.abuse_onsite.with_user(self.technician)
        entry.duration = 2.5  # not invoiced yet: free to fix
        self._invoice(self.abuse_request)
        with self.assertRaisesRegex(UserError, "only finance can change them"):
            entry.duration = 3.0
        with self.assertRaisesRegex(UserError, "only finance can change them"):
            entry.unlink()
        surcharge = self.phone_request.charge_ids.with_user(self.technician)
        self._invoice(self.phone_request)
        with self.assertRaisesRegex(UserError, "only finance can change them"):
            surcharge.quantity = 2.0
        with self.assertRaisesRegex(UserError, "only finance can change them"):
            self.abuse_onsite.with_user(self.manager).kind = "remote"
        # The record rule backs the check up: technicians cannot write them.
        with self.assertRaises(AccessError):
            entry.check_access("write")
        entry.with_user(self.finance).description = "Checked by finance"
        self.abuse_onsite.with_user(self.finance).duration = 2.5
        self.assertEqual(self.abuse_onsite.description, "Checked by finance")

    def test_technician_adds_time_on_an_invoiced_request(self):
        self._invoice(self.abuse_request)
        extra = (
            self.env["intervention.time.entry"]
            .with_user(self.technician)
            .create(
                {
                    "request_id": self.abuse_request.id,
                    "duration": 0.25,
                    "kind": "onsite",
                }
            )
        )
        self.assertEqual(extra.user_id, self.technician)
        self.assertEqual(self.abuse_request.invoice_status, "to_invoice")
