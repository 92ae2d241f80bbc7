from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import InterventionCommon


@freeze_time("2026-03-10 10:00:00")
@tagged("post_install", "-at_install")
class TestContractExtension(InterventionCommon):
    """Seed 004 §3 and §4.2: from a request out of scope, the desk adds the
    asset, site, domain or service to the contract from a date, or starts a
    new contract, and the request's verdict is checked again. Each item
    added is covered from its own date, listed on the contract."""

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
        cls.annex = cls.env["res.partner"].create(
            {"name": "Horizon Annex", "parent_id": cls.client.id, "type": "other"}
        )

    def _wizard_form(self, request, user=None):
        user = user or self.manager
        action = request.with_user(user).action_open_extend_wizard()
        wizard_model = self.env[action["res_model"]].with_user(user)
        return Form(wizard_model.with_context(**action["context"]))

    def _extend(self, request, date_from=None, **values):
        form = self._wizard_form(request)
        if date_from:
            form.date_from = date_from
        for fname, value in values.items():
            setattr(form, fname, value)
        return form.save().action_apply()

    def _create_request(self, **values):
        """A request received later than today (10 March) is recorded on the
        day it arrives: the clock moves to its reception (a request cannot be
        received in the future)."""
        received = values.get("date_received")
        if received and received > datetime(2026, 3, 10, 10, 0):
            with freeze_time(received + timedelta(minutes=5)):
                return super()._create_request(**values)
        return super()._create_request(**values)

    def _printer_request(self, when=datetime(2026, 3, 10, 9, 0)):
        return self._create_request(equipment_id=self.printer.id, date_received=when)

    # ------------------------------------------------------------------
    # Adding to the current contract, from a date
    # ------------------------------------------------------------------
    def test_add_the_new_asset_from_the_request_date(self):
        request = self._printer_request()
        self.assertEqual(request.coverage_reason, "equipment")
        form = self._wizard_form(request)
        self.assertEqual(form.date_from, date(2026, 3, 10))
        self.assertTrue(form.can_change_contract)
        self.assertIn("Laser printer", form.coverage_message)
        self.assertEqual(form.item_name, "asset Laser printer")
        form.note = "Added at 12 EUR a month, agreed by phone"
        self.assertTrue(form.save().action_apply())
        line = self.contract.equipment_line_ids.filtered(
            lambda l: l.equipment_id == self.printer
        )
        self.assertEqual(line.date_from, date(2026, 3, 10))
        self.assertEqual(request.coverage_state, "covered")
        self.assertFalse(request.is_billable)
        # The contract lists what was added, from when, by whom, for which
        # request.
        extension = self.contract.extension_ids
        self.assertEqual(len(extension), 1)
        self.assertEqual(extension.kind, "equipment")
        self.assertEqual(extension.item_name, "Laser printer")
        self.assertEqual(extension.date_from, date(2026, 3, 10))
        self.assertEqual(extension.user_id, self.manager)
        self.assertEqual(extension.request_id, request)
        self.assertEqual(extension.note, "Added at 12 EUR a month, agreed by phone")
        contract_notes = self.contract.message_ids.mapped("body")
        self.assertTrue(
            any("Scope extended from 03/10/2026" in body for body in contract_notes)
        )
        self.assertTrue(any("12 EUR" in body for body in contract_notes))
        self.assertIn("Coverage checked again: Covered", request.message_ids[0].body)

    def test_asset_added_from_a_later_date_covers_requests_from_that_date(self):
        request = self._printer_request()
        self._extend(request, date(2026, 4, 1))
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertEqual(
            request.coverage_message,
            f"Laser printer is covered by contract {self.contract.name} only from "
            "04/01/2026.",
        )
        self.assertIn("only from 04/01/2026", request.message_ids[0].body)
        self.assertTrue(request.is_billable, "the request before the date is billed")
        eve = self._printer_request(datetime(2026, 3, 31, 15, 0))
        self.assertEqual(eve.coverage_state, "not_covered")
        later = self._printer_request(datetime(2026, 4, 1, 7, 30))
        self.assertEqual(later.coverage_state, "covered")

    def test_site_added_from_a_date(self):
        self.contract.site_ids = self.site
        request = self._create_request(
            site_id=self.annex.id,
            equipment_id=None,
            date_received=datetime(2026, 3, 10, 9, 0),
        )
        self.assertEqual(request.coverage_reason, "site")
        self.assertEqual(
            self._wizard_form(request).item_name,
            "site Horizon Logistique, Horizon Annex",
        )
        self._extend(request, date(2026, 3, 16))
        # Dated: the signed list is unchanged, the extension covers from the
        # 16th.
        self.assertEqual(self.contract.site_ids, self.site)
        self.assertEqual(self.contract.extension_ids.site_id, self.annex)
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertIn("only from 03/16/2026", request.coverage_message)
        monday = self._create_request(
            site_id=self.annex.id,
            equipment_id=None,
            date_received=datetime(2026, 3, 16, 8, 0),
        )
        self.assertEqual(monday.coverage_state, "covered")

    def test_domain_added_from_a_date(self):
        self.contract.domain_ids = self.domain_workstation
        request = self._create_request(
            domain_id=self.domain_servers.id,
            date_received=datetime(2026, 3, 10, 9, 0),
        )
        self.assertEqual(request.coverage_reason, "domain")
        self._extend(request, date(2026, 3, 10))
        self.assertEqual(request.coverage_state, "covered")
        self.assertEqual(self.contract.domain_ids, self.domain_workstation)
        self.assertEqual(self.contract.extension_ids.kind, "domain")
        before = self._create_request(
            domain_id=self.domain_servers.id,
            date_received=datetime(2026, 3, 9, 9, 0),
        )
        self.assertEqual(before.coverage_reason, "domain")

    def test_excluded_service_covered_from_a_date(self):
        self.contract.excluded_service_ids = self.service_training
        request = self._create_request(
            service_id=self.service_training.id,
            date_received=datetime(2026, 3, 10, 9, 0),
        )
        self.assertEqual(request.coverage_reason, "excluded_service")
        self.assertEqual(request.billable_cause, "excluded_service")
        self._extend(request, date(2026, 3, 11))
        self.assertEqual(request.coverage_reason, "excluded_service")
        self.assertIn("only from 03/11/2026", request.coverage_message)
        self.assertEqual(self.contract.excluded_service_ids, self.service_training)
        next_day = self._create_request(
            service_id=self.service_training.id,
            date_received=datetime(2026, 3, 11, 9, 0),
        )
        self.assertEqual(next_day.coverage_state, "covered")
        self.assertFalse(next_day.is_billable)

    def test_an_earlier_date_moves_the_coverage_earlier(self):
        april = self._printer_request()
        self._extend(april, date(2026, 4, 1))
        second = self._printer_request(datetime(2026, 3, 20, 9, 0))
        self.assertEqual(second.coverage_state, "not_covered")
        self._extend(second, date(2026, 3, 20))
        self.assertEqual(second.coverage_state, "covered")
        self.assertEqual(len(self.contract.extension_ids), 2)
        self.assertEqual(
            self.contract.equipment_line_ids.filtered(
                lambda l: l.equipment_id == self.printer
            ).date_from,
            date(2026, 3, 20),
        )

    # ------------------------------------------------------------------
    # A new contract
    # ------------------------------------------------------------------
    def test_excluded_service_in_a_new_contract(self):
        self.contract.excluded_service_ids = self.service_training
        self.contract.site_ids = self.site
        request = self._create_request(service_id=self.service_training.id)
        self.assertEqual(request.coverage_reason, "excluded_service")
        # The annex was added to the old contract from April: the new
        # contract keeps it dated.
        annex_request = self._create_request(site_id=self.annex.id, equipment_id=None)
        self._extend(annex_request, date(2026, 4, 1))
        action = self._extend(request, date(2026, 3, 12), mode="new")
        new_contract = self.env["intervention.contract"].browse(action["res_id"])
        self.assertNotEqual(new_contract, self.contract)
        self.assertEqual(new_contract.state, "draft")
        self.assertEqual(new_contract.date_start, date(2026, 3, 12))
        self.assertEqual(new_contract.site_ids, self.site)
        self.assertEqual(
            {(e.item_name, e.date_from) for e in new_contract.extension_ids},
            {
                ("Training", date(2026, 3, 12)),
                ("Horizon Logistique, Horizon Annex", date(2026, 4, 1)),
            },
        )
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

    # ------------------------------------------------------------------
    # Proposals and bad input
    # ------------------------------------------------------------------
    def test_desk_user_proposes_to_the_account_manager(self):
        request = self._printer_request()
        form = self._wizard_form(request, self.user)
        self.assertFalse(form.can_change_contract)
        form.save().action_apply()
        self.assertFalse(self.contract.equipment_line_ids)
        self.assertFalse(self.contract.extension_ids)
        activity = request.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(activity.summary, "Contract extension to decide")
        self.assertIn("Laser printer", activity.note)

    def test_covered_request_has_nothing_to_extend(self):
        request = self._create_request()
        self.assertEqual(request.coverage_state, "covered")
        wizard = self._wizard_form(request).save()
        with self.assertRaisesRegex(UserError, "is not out of the contract's scope"):
            wizard.action_apply()

    def test_date_outside_the_contract_is_refused(self):
        request = self._printer_request()
        with self.assertRaisesRegex(
            ValidationError,
            r"starts on 01/01/2026: it cannot cover anything from 12/15/2025",
        ):
            self._extend(request, date(2025, 12, 15))
        with self.assertRaisesRegex(
            ValidationError,
            r"ends on 12/31/2026: it cannot cover anything from 01/04/2027\. "
            "Start a new contract instead.",
        ):
            self._extend(request, date(2027, 1, 4))
        self.assertFalse(self.contract.extension_ids)
        self.assertEqual(request.coverage_state, "not_covered")

    def test_item_already_covered_is_refused(self):
        first = self._printer_request()
        second = self._printer_request(datetime(2026, 3, 10, 9, 30))
        self._extend(first, date(2026, 3, 10))
        # The second request's verdict was given before the extension.
        self.assertEqual(second.coverage_state, "not_covered")
        with self.assertRaisesRegex(
            UserError, "Laser printer is already covered by contract .* from 03/10/2026"
        ):
            self._extend(second, date(2026, 3, 10))
        second.action_check_coverage()
        self.assertEqual(second.coverage_state, "covered")

    def test_site_of_another_client_is_refused(self):
        # A request cannot name another client's site; a manager could still
        # try to record one on the contract (import, RPC).
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        other_site = self.env["res.partner"].create(
            {"name": "Depot", "parent_id": other.id, "type": "other"}
        )
        # assertRaises (not ...Regex) rolls the failed creation back.
        with self.assertRaises(ValidationError) as caught:
            self.env["intervention.contract.extension"].with_user(self.manager).create(
                {
                    "contract_id": self.contract.id,
                    "kind": "site",
                    "site_id": other_site.id,
                    "date_from": date(2026, 3, 10),
                }
            )
        self.assertIn(
            "Other Co, Depot belongs to Other Co, not to Horizon Logistique, the "
            f"client of contract {self.contract.name}: it cannot be added to its "
            "scope.",
            str(caught.exception),
        )
        self.contract.invalidate_recordset()
        self.assertFalse(self.contract.extension_ids)

    def test_extension_names_one_item_of_its_kind(self):
        with self.assertRaisesRegex(ValidationError, "adds one item"):
            self.env["intervention.contract.extension"].create(
                {
                    "contract_id": self.contract.id,
                    "kind": "site",
                    "equipment_id": self.printer.id,
                    "date_from": date(2026, 3, 10),
                }
            )
