from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import InterventionCommon


@freeze_time("2026-03-10 10:00:00")
@tagged("post_install", "-at_install")
class TestContractExtension(InterventionCommon):
    """Seed 004 §3 and §4.2: from a request out of scope, the desk adds the
    asset, site or service to the contract from a date, or starts a new
    contract, and the request's verdict is checked again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.user_id = cls.manager
        # Seed 004 §4.2: a laser printer bought after the contract started.
        cls.printer = cls.env["intervention.equipment"].create(
            {
                "name": "Laser printer",
                "partner_id": cls.client.id,
                "site_id": cls.site.id,
                "acquisition_date": date(2026, 2, 1),
            }
        )

    def _wizard_form(self, request, user):
        action = request.with_user(user).action_open_extend_wizard()
        wizard_model = self.env[action["res_model"]].with_user(user)
        return Form(wizard_model.with_context(**action["context"]))

    def test_add_the_new_asset_from_the_request_date(self):
        request = self._create_request(equipment_id=self.printer.id)
        self.assertEqual(request.coverage_reason, "equipment")
        form = self._wizard_form(request, self.manager)
        self.assertEqual(form.date_from, date(2026, 3, 10))
        self.assertTrue(form.can_change_contract)
        self.assertIn("Laser printer", form.coverage_message)
        form.note = "Added at 12 EUR a month, agreed by phone"
        self.assertTrue(form.save().action_apply())
        line = self.contract.equipment_line_ids.filtered(
            lambda l: l.equipment_id == self.printer
        )
        self.assertEqual(line.date_from, date(2026, 3, 10))
        self.assertEqual(request.coverage_state, "covered")
        self.assertFalse(request.is_billable)
        contract_notes = self.contract.message_ids.mapped("body")
        self.assertTrue(
            any("Scope extended from 03/10/2026" in body for body in contract_notes)
        )
        self.assertTrue(any("12 EUR" in body for body in contract_notes))
        self.assertIn("Coverage checked again: Covered", request.message_ids[0].body)

    def test_asset_added_from_a_later_date_leaves_the_request_out_of_scope(self):
        request = self._create_request(equipment_id=self.printer.id)
        form = self._wizard_form(request, self.manager)
        form.date_from = date(2026, 4, 1)
        form.save().action_apply()
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertIn("only from", request.coverage_message)
        # A request received on 2 April, once that day has come, is covered.
        with freeze_time("2026-04-02 09:30:00"):
            later = self._create_request(
                equipment_id=self.printer.id, date_received=datetime(2026, 4, 2, 9, 0)
            )
        self.assertEqual(later.coverage_state, "covered")

    def test_site_out_of_scope_is_added(self):
        annex = self.env["res.partner"].create(
            {"name": "Horizon Annex", "parent_id": self.client.id, "type": "other"}
        )
        self.contract.site_ids = self.site
        request = self._create_request(site_id=annex.id, equipment_id=None)
        self.assertEqual(request.coverage_reason, "site")
        self._wizard_form(request, self.manager).save().action_apply()
        self.assertIn(annex, self.contract.site_ids)
        self.assertEqual(request.coverage_state, "covered")

    def test_excluded_service_in_a_new_contract(self):
        self.contract.excluded_service_ids = self.service_training
        request = self._create_request(service_id=self.service_training.id)
        self.assertEqual(request.coverage_reason, "excluded_service")
        form = self._wizard_form(request, self.manager)
        form.mode = "new"
        form.date_from = date(2026, 3, 12)
        action = form.save().action_apply()
        new_contract = self.env["intervention.contract"].browse(action["res_id"])
        self.assertNotEqual(new_contract, self.contract)
        self.assertEqual(new_contract.state, "draft")
        self.assertEqual(new_contract.date_start, date(2026, 3, 12))
        self.assertFalse(new_contract.excluded_service_ids)
        self.assertEqual(self.contract.excluded_service_ids, self.service_training)
        self.assertEqual(request.contract_id, new_contract)
        self.assertEqual(request.coverage_reason, "contract_inactive")
        # Signed and activated: the request received later is covered (the
        # desk corrects its reception date once that day has come).
        new_contract.with_user(self.manager).action_activate()
        with freeze_time("2026-03-12 09:30:00"):
            request.date_received = datetime(2026, 3, 12, 9, 0)
            request.action_check_coverage()
        self.assertEqual(request.coverage_state, "covered")

    def test_desk_user_proposes_to_the_account_manager(self):
        request = self._create_request(equipment_id=self.printer.id)
        form = self._wizard_form(request, self.user)
        self.assertFalse(form.can_change_contract)
        form.save().action_apply()
        self.assertFalse(self.contract.equipment_line_ids)
        activity = request.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(activity.summary, "Contract extension to decide")
        self.assertIn("Laser printer", activity.note)

    def test_covered_request_has_nothing_to_extend(self):
        request = self._create_request()
        self.assertEqual(request.coverage_state, "covered")
        wizard = self._wizard_form(request, self.manager).save()
        with self.assertRaisesRegex(UserError, "is not out of the contract's scope"):
            wizard.action_apply()
