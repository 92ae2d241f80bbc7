from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .oncall_common import OncallCommon


@tagged("post_install", "-at_install")
class TestOncallWizardForm(OncallCommon):
    """The call wizard as the answering service fills it in the browser:
    every keystroke is an onchange on a new (NewId) record."""

    def _wizard_form(self, user=None):
        Wizard = self.env["intervention.oncall.call.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        return Form(Wizard)

    def _route(self, form):
        action = form.save().action_route()
        return self.env["intervention.oncall.call"].browse(action["res_id"])

    # ------------------------------------------------------------------
    # Typing the client's name (point 6)
    # ------------------------------------------------------------------
    @freeze_time("2026-03-14 09:00:00")  # Saturday 10:00 Paris, day duty
    def test_typing_the_name_fills_the_contract_and_calls_the_technician(self):
        form = self._wizard_form(self.user)
        form.search_term = "Dupont"
        self.assertEqual(form.partner_id, self.dupont)
        self.assertEqual(form.contract_id, self.contract_individual)
        self.assertEqual(form.agency_id, self.agency)
        self.assertEqual(form.oncall_delay, "7/7 individual")
        form.requester_id = self.dupont_contact
        form.equipment_id = self.gas_boiler
        form.description = "No hot water"
        self.assertIn("Covered", form.coverage_message)
        self.assertIn("Call the technician on duty now", form.outcome_preview)
        self.assertIn(self.technician.name, form.outcome_preview)
        call = self._route(form)
        self.assertEqual(call.contract_id, self.contract_individual)
        self.assertEqual(call.outcome, "call_technician")
        self.assertEqual(call.callee_id, self.technician)
        self.assertEqual(call.request_id.contract_id, self.contract_individual)
        self.assertEqual(call.request_id.coverage_state, "covered")

    @freeze_time("2026-03-14 09:00:00")
    def test_typing_a_name_shared_by_two_clients_lets_the_operator_choose(self):
        self.env["res.partner"].create({"name": "Dupont Frères", "is_company": True})
        form = self._wizard_form(self.user)
        form.search_term = "Dupont"
        self.assertEqual(len(form.candidate_ids), 2)
        self.assertFalse(form.partner_id)
        self.assertFalse(form.contract_id)
        form.partner_id = self.dupont
        self.assertEqual(form.contract_id, self.contract_individual)

    # ------------------------------------------------------------------
    # Safety emergencies of any client (point 5)
    # ------------------------------------------------------------------
    @freeze_time("2026-03-10 22:30:00")  # Tuesday 23:30 Paris, out of windows
    def test_safety_call_without_subscription_finds_agency_from_address(self):
        self.agency.zip_prefixes = "73, 74"
        self.client.write({"zip": "74000", "city": "Annecy"})
        self.assertFalse(self.contract.agency_id)
        form = self._wizard_form(self.user)
        form.search_term = "Horizon"
        self.assertEqual(form.contract_id, self.contract)
        form.is_safety = True
        form.description = "Smell of gas in the boiler room"
        self.assertEqual(form.agency_id, self.agency)
        self.assertIn("Safety emergency", form.outcome_preview)
        self.assertIn(self.regional.name, form.outcome_preview)
        call = self._route(form)
        self.assertEqual(call.outcome, "safety")
        self.assertEqual(call.agency_id, self.agency)
        self.assertEqual(call.callee_id, self.regional)
        self.assertEqual(call.request_id.severity, "blocking")
        mail = self._summary_mails(call)
        self.assertEqual(mail.email_to, "agence.annecy@example.com,dr@example.com")

    @freeze_time("2026-03-10 22:30:00")
    def test_safety_call_site_address_wins_over_client_address(self):
        chambery = self.env["intervention.agency"].create(
            {
                "name": "Agence Chambéry",
                "email": "agence.chambery@example.com",
                "zip_prefixes": "73",
                "resource_calendar_id": self.calendar_business.id,
            }
        )
        self.agency.zip_prefixes = "74"
        self.client.zip = "74000"
        self.site.zip = "73000"
        form = self._wizard_form(self.user)
        form.search_term = "Horizon Logistique"
        self.assertEqual(form.agency_id, self.agency)
        form.site_id = self.site
        form.is_safety = True
        self.assertEqual(form.agency_id, chambery)

    @freeze_time("2026-03-10 22:30:00")
    def test_safety_call_with_unknown_agency_asks_the_operator(self):
        form = self._wizard_form(self.user)
        form.search_term = "Horizon"
        form.is_safety = True
        self.assertFalse(form.agency_id)
        self.assertIn("Choose the agency", form.outcome_preview)
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "no agency is known for Horizon"):
            wizard.action_route()
        self.assertFalse(
            self.env["intervention.oncall.call"].search(
                [("partner_id", "=", self.client.id)]
            )
        )
        form = Form(wizard)
        form.agency_id = self.agency
        call = self._route(form)
        self.assertEqual(call.outcome, "safety")
        self.assertEqual(call.callee_id, self.regional)

    @freeze_time("2026-03-10 18:00:00")
    def test_non_safety_call_without_subscription_stays_not_eligible(self):
        form = self._wizard_form(self.user)
        form.search_term = "Horizon"
        call = self._route(form)
        self.assertEqual(call.outcome, "not_eligible")
        self.assertFalse(call.request_id)
