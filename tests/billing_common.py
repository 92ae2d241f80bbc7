from datetime import date, datetime

from odoo.tests import new_test_user

from .common import InterventionCommon


class InterventionBillingCommon(InterventionCommon):
    """Contract rates, a minimal accounting set-up (no chart of accounts
    needed: an income account, a receivable account and a sales journal),
    a finance user and factories for billable requests and time entries.
    Holds no test itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.write(
            {
                "hourly_rate": 95.0,
                "time_unit_rate": 47.5,
                "time_unit_minutes": 30,
                "oncall_hourly_rate": 140.0,
            }
        )
        cls.product_hour = cls.env.ref("intervention_request.product_hourly_labour")
        cls.product_ut = cls.env.ref("intervention_request.product_time_unit")
        cls.product_oncall = cls.env.ref("intervention_request.product_oncall_hour")
        cls.product_travel = cls.env.ref("intervention_request.product_travel")
        cls.income_account = cls.env["account.account"].create(
            {
                "name": "Intervention services",
                "code": "706100",
                "account_type": "income",
            }
        )
        cls.receivable_account = cls.env["account.account"].create(
            {
                "name": "Clients",
                "code": "411100",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        cls.sale_journal = cls.env["account.journal"].create(
            {
                "name": "Intervention sales",
                "code": "INTS",
                "type": "sale",
                "default_account_id": cls.income_account.id,
            }
        )
        cls.other_client = cls.env["res.partner"].create(
            {"name": "Coopérative Agricole", "is_company": True}
        )
        cls.other_contact = cls._create_contact(cls.other_client, "Bruno Berger")
        cls.other_site = cls.env["res.partner"].create(
            {"name": "Coop silo", "parent_id": cls.other_client.id, "type": "other"}
        )
        for partner in (cls.client, cls.other_client):
            partner.property_account_receivable_id = cls.receivable_account
        cls.finance = new_test_user(
            cls.env,
            login="ir_finance",
            groups="intervention_request.group_intervention_finance",
            name="Finance Officer",
        )

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    def _create_out_of_contract_request(self, **values):
        """A request of the other client, who has no contract: out of
        contract (A4), acknowledged."""
        request = self._create_request(
            requester_id=self.other_contact.id,
            contract_id=False,
            site_id=self.other_site.id,
            equipment_id=False,
            **values,
        )
        request.action_receive()
        return request

    def _create_started_request(self, **values):
        """A covered portal request, acknowledged, qualified and started."""
        request = self._create_request(**values)
        request.action_receive()
        request.action_qualify()
        request.action_start()
        return request

    def _accept_terms(self, request):
        request.terms_estimate = 300.0
        request.action_accept_terms(
            channel="staff", accepted_by=request.requester_id, note="Signed estimate"
        )

    def _add_time(self, request, duration=1.0, **values):
        return self.env["intervention.time.entry"].create(
            {
                "request_id": request.id,
                "user_id": self.technician.id,
                "date": date(2026, 3, 10),
                "duration": duration,
                **values,
            }
        )

    def _invoice(self, requests, user=None):
        """Run the invoicing wizard on ``requests`` as ``user`` (finance by
        default); return the invoices it created."""
        user = user or self.finance
        Move = self.env["account.move"]
        before = Move.search([("move_type", "=", "out_invoice")])
        wizard = (
            self.env["intervention.invoice.wizard"]
            .with_user(user)
            .with_context(active_model="intervention.request", active_ids=requests.ids)
            .create({"journal_id": self.sale_journal.id})
        )
        wizard.action_create_invoices()
        return Move.search([("move_type", "=", "out_invoice")]) - before

    def _credit(self, invoice, quantities=None):
        """Post ``invoice``, then post a credit note for it; ``quantities``
        maps an invoice line's linked item to the quantity credited (all of
        it by default)."""
        if invoice.state == "draft":
            invoice.action_post()
        refund = invoice._reverse_moves(
            [{"invoice_date": datetime(2026, 3, 20).date()}]
        )
        for line in refund.invoice_line_ids:
            item = line.intervention_time_entry_id or line.intervention_charge_id
            if quantities and item in quantities:
                line.quantity = quantities[item]
        refund.action_post()
        return refund
