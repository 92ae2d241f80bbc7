import re
from datetime import date
from urllib.parse import urlsplit

from odoo.http import Request
from odoo.tests import new_test_user

from .common import create_calendar
from .portal_common import InterventionPortalCommon

# Paris is UTC+1 in March 2026 (summer time starts on 29 March).
FRIDAY_1730 = "2026-03-13 16:30:00"
MONDAY_0915 = "2026-03-16 08:15:00"
MONDAY_1000 = "2026-03-16 09:00:00"
MONDAY_1100 = "2026-03-16 10:00:00"
MONDAY_1600 = "2026-03-16 15:00:00"
TUESDAY_0930 = "2026-03-17 08:30:00"
TUESDAY_1000 = "2026-03-17 09:00:00"
TUESDAY_1100 = "2026-03-17 10:00:00"
TUESDAY_1400 = "2026-03-17 13:00:00"
TUESDAY_1500 = "2026-03-17 14:00:00"
TUESDAY_1600 = "2026-03-17 15:00:00"
WEDNESDAY_1000 = "2026-03-18 09:00:00"
THURSDAY_0900 = "2026-03-19 08:00:00"
FRIDAY_1000 = "2026-03-20 09:00:00"
NEXT_WEDNESDAY_1000 = "2026-03-25 09:00:00"


class InterventionPortalProcedureCommon(InterventionPortalCommon):
    """A client on business hours (Mon-Fri 9-18, Paris) whose contract
    started on 1 January 2026 (taken in charge within 2 business hours), a
    covered server and a printer bought after the contract (not covered),
    a portal user, a contact without an account, and what the desk needs to
    invoice. Follows the client's procedures over HTTP at fixed dates.
    Holds no test itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar_office = create_calendar(
            cls.env,
            "Procedure tests Mon-Fri 9-18",
            "01234",
            [(9, 18)],
            day_period="full_day",
        )
        cls.policy_office = cls._create_policy(
            "Procedure tests", take_in_charge_hours=2, resolution_hours=16
        )
        Partner = cls.env["res.partner"]
        cls.client = Partner.create({"name": "Atelier Vendredi", "is_company": True})
        cls.contact = Partner.create(
            {
                "name": "Chloé Vendredi",
                "parent_id": cls.client.id,
                "email": "chloe@vendredi.example.com",
                "tz": "Europe/Paris",
            }
        )
        cls.contact_no_account = Partner.create(
            {
                "name": "Denis Sansportail",
                "parent_id": cls.client.id,
                "email": "denis@vendredi.example.com",
                "tz": "Europe/Paris",
            }
        )
        cls.site = Partner.create(
            {"name": "Vendredi workshop", "parent_id": cls.client.id, "type": "other"}
        )
        Equipment = cls.env["intervention.equipment"]
        cls.server = Equipment.create(
            {
                "name": "Workshop server",
                "partner_id": cls.client.id,
                "site_id": cls.site.id,
                "acquisition_date": date(2025, 6, 1),
            }
        )
        cls.printer = Equipment.create(
            {
                "name": "Label printer bought in February",
                "partner_id": cls.client.id,
                "site_id": cls.site.id,
                "acquisition_date": date(2026, 2, 1),
            }
        )
        cls.contract = cls.env["intervention.contract"].create(
            {
                "partner_id": cls.client.id,
                "date_start": date(2026, 1, 1),
                "resource_calendar_id": cls.calendar_office.id,
                "sla_policy_id": cls.policy_office.id,
            }
        )
        cls.contract.action_activate()
        cls.client_user = new_test_user(
            cls.env,
            login="ir_vendredi",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            name="Chloé Vendredi",
        )
        cls._setup_invoicing()

    @classmethod
    def _setup_invoicing(cls):
        """An income and a receivable account, a sales journal, a finance
        user: no chart of accounts needed."""
        Account = cls.env["account.account"]
        income = Account.create(
            {"name": "Services", "code": "706200", "account_type": "income"}
        )
        receivable = Account.create(
            {
                "name": "Clients",
                "code": "411200",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        cls.client.property_account_receivable_id = receivable
        cls.sale_journal = cls.env["account.journal"].create(
            {
                "name": "Procedure sales",
                "code": "PROC",
                "type": "sale",
                "default_account_id": income.id,
            }
        )
        cls.finance_user = new_test_user(
            cls.env,
            login="ir_proc_finance",
            groups="intervention_request.group_intervention_finance",
            name="Procedure Finance",
        )

    # ------------------------------------------------------------------
    # What the client does
    # ------------------------------------------------------------------
    def _login_client(self):
        self.authenticate("ir_vendredi", "ir_vendredi")

    def _client_form(self, **values):
        return {
            "contract_id": str(self.contract.id),
            "site_id": str(self.site.id),
            "equipment_id": str(self.server.id),
            "kind": "incident",
            "severity": "major",
            "summary": "Workshop server down",
            "description": "The workshop server does not answer since 17:00.",
            "circumstances": "Rebooted once, no change.",
            "phone": "+33 4 73 00 00 09",
            "email": "chloe@vendredi.example.com",
            "single_malfunction": "1",
            **values,
        }

    def _client_submit(self, form):
        """Send the form as the browser does; confirm "send anyway" when the
        page asks. Returns (response, the request created)."""
        Request_ = self.env["intervention.request"]
        before = Request_.search([("partner_id", "=", self.client.id)])
        self.url_open("/my/interventions/new")
        response = self.url_open(
            "/my/interventions/submit",
            data={"csrf_token": Request.csrf_token(self), **form},
        )
        confirm = re.search(r'name="confirmed" value="([^"]+)"', response.text)
        if confirm:
            response = self.url_open(
                "/my/interventions/submit",
                data={
                    "csrf_token": Request.csrf_token(self),
                    **form,
                    "confirmed": confirm.group(1),
                },
            )
        self.env.invalidate_all()
        created = Request_.search([("partner_id", "=", self.client.id)]) - before
        return response, created

    def _client_post(self, url, **data):
        response = self.url_open(
            url, data={"csrf_token": Request.csrf_token(self), **data}
        )
        self.env.invalidate_all()
        return response

    def _terms_key(self, page_text):
        match = re.search(r'name="terms_key" value="([^"]+)"', page_text)
        return match and match.group(1)

    # ------------------------------------------------------------------
    # What the desk and finance do
    # ------------------------------------------------------------------
    def _desk_repairs(self, request, hours, cause, resolution):
        """The desk starts the work, logs ``hours`` on it and resolves it with
        its cause and resolution."""
        desk = request.with_user(self.desk_user)
        desk.action_start()
        self.env["intervention.time.entry"].with_user(self.desk_user).create(
            {"request_id": request.id, "user_id": self.desk_user.id, "duration": hours}
        )
        desk.write({"cause": cause, "resolution": resolution})
        desk.action_resolve()

    def _finance_invoices(self, request):
        """Finance invoices ``request`` from the invoicing wizard in the sales
        journal. Returns the invoice."""
        wizard = (
            self.env["intervention.invoice.wizard"]
            .with_user(self.finance_user)
            .with_context(active_model=request._name, active_ids=request.ids)
            .create({"journal_id": self.sale_journal.id})
        )
        return self.env["account.move"].browse(
            wizard.action_create_invoices()["res_id"]
        )

    # ------------------------------------------------------------------
    # What the client receives
    # ------------------------------------------------------------------
    def _mails(self, request, subject):
        """The e-mails posted on ``request`` whose subject has ``subject``."""
        return request.message_ids.filtered(lambda m: subject in (m.subject or ""))

    def _assert_emailed_to(self, message, partner):
        self.assertIn(partner, message.partner_ids)
        notified = message.notification_ids.filtered(
            lambda n: n.res_partner_id == partner
        )
        self.assertEqual(notified.notification_type, "email")

    @staticmethod
    def _link_in(message):
        """The path and query of the link to the request page in an e-mail."""
        match = re.search(r'href="([^"]*/my/interventions/[^"]+)"', str(message.body))
        url = urlsplit(match.group(1).replace("&amp;", "&"))
        return f"{url.path}?{url.query}"
