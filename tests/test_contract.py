from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.contract_lifecycle import CONTRACT_STATES, CONTRACT_TRANSITIONS
from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestContract(InterventionCommon):
    def test_number_from_sequence(self):
        self.assertTrue(self.contract.name.startswith("CTR/"))
        other = self._create_contract(self.client)
        self.assertNotEqual(other.name, self.contract.name)
        self.assertIn(self.client.name, self.contract.display_name)

    def test_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends"):
            self._create_contract(self.client, date_end=date(2025, 12, 31))

    def test_contract_signed_with_company_not_contact(self):
        with self.assertRaisesRegex(ValidationError, "signed with a company"):
            self._create_contract(self.contact)

    def test_oncall_needs_windows_calendar(self):
        with self.assertRaisesRegex(ValidationError, "windows calendar"):
            self._create_contract(self.client, coverage_type="oncall")
        contract = self._create_contract(
            self.client,
            coverage_type="oncall",
            coverage_calendar_id=self.calendar_oncall.id,
        )
        self.assertEqual(contract.coverage_type, "oncall")

    def test_lifecycle(self):
        contract = self._create_contract(self.client, activate=False)
        self.assertEqual(contract.state, "draft")
        with self.assertRaisesRegex(UserError, "Only active"):
            contract.action_terminate()
        contract.action_activate()
        with self.assertRaisesRegex(UserError, "Only draft"):
            contract.action_activate()
        with freeze_time("2026-05-15"):
            contract.action_terminate()
        self.assertEqual(
            (contract.state, contract.date_end), ("terminated", date(2026, 5, 15))
        )
        contract.action_reset_draft()
        self.assertEqual(contract.state, "draft")

    def _contract_in(self, state):
        """A contract of the main client in ``state``, reached through its
        legal moves on 1 March 2026 (it ended on 28 February when ended)."""
        contract = self._create_contract(
            self.client, activate=False, date_end=date(2026, 2, 28)
        )
        path = {
            "draft": [],
            "active": ["active"],
            "expired": ["active", "expired"],
            "terminated": ["active", "terminated"],
        }[state]
        with freeze_time("2026-03-01"):
            for step in path:
                contract.write({"state": step})
        self.assertEqual(contract.state, state)
        return contract

    def test_every_state_pair_obeys_the_table(self):
        """Every (state, target) pair: the moves of CONTRACT_TRANSITIONS are
        accepted through a plain write(), every other one is refused and
        leaves the contract as it was."""
        states = [state for state, _label in CONTRACT_STATES]
        for source in states:
            for target in states:
                if source == target:
                    continue
                with self.subTest(source=source, target=target):
                    contract = self._contract_in(source)
                    with freeze_time("2026-03-01"):
                        if target in CONTRACT_TRANSITIONS[source]:
                            contract.write({"state": target})
                            self.assertEqual(contract.state, target)
                        else:
                            with self.assertRaisesRegex(UserError, "cannot move"):
                                contract.write({"state": target})
                            self.assertEqual(contract.state, source)

    def test_active_contract_cannot_go_back_to_draft(self):
        """An RPC write of Draft on an active contract is refused: its
        requests stay covered."""
        request = self._create_request()
        self.assertEqual(request.coverage_state, "covered")
        with self.assertRaisesRegex(UserError, "cannot move to Draft"):
            self.contract.with_user(self.manager).write({"state": "draft"})
        self.assertEqual(self.contract.state, "active")
        request.action_check_coverage()
        self.assertEqual(request.coverage_state, "covered")

    def test_created_as_draft_only(self):
        with self.assertRaisesRegex(UserError, "created as Draft"):
            self._create_contract(self.client, activate=False, state="active")
        with self.assertRaisesRegex(UserError, "Unknown contract state"):
            self.contract.write({"state": "paused"})

    def test_expiry_needs_a_passed_end_date(self):
        """Expired only after the end date, whoever writes it (the cron goes
        through the same write())."""
        with freeze_time("2026-06-01"):
            with self.assertRaisesRegex(UserError, "end date has not come"):
                self.contract.write({"state": "expired"})
            with self.assertRaisesRegex(UserError, "end date has not come"):
                self.contract.write({"state": "terminated"})
        cron = self.env.ref("intervention_request.ir_cron_expire_contracts")
        with freeze_time("2027-01-01"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.contract.invalidate_recordset()
        self.assertEqual(self.contract.state, "expired")

    def test_expiry_cron_touches_only_ended_contracts(self):
        running = self._create_contract(self.client, date_end=date(2026, 12, 31))
        ended = self._create_contract(self.client, date_end=date(2026, 2, 28))
        draft = self._create_contract(
            self.client, activate=False, date_end=date(2026, 2, 28)
        )
        cron = self.env.ref("intervention_request.ir_cron_expire_contracts")
        with freeze_time("2026-03-01"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(running.state, "active")
        self.assertEqual(ended.state, "expired")
        self.assertEqual(draft.state, "draft")

    def test_find_for_client_uses_validity(self):
        Contract = self.env["intervention.contract"]
        self.assertEqual(
            Contract._find_for_client(self.contact, date(2026, 6, 1)), self.contract
        )
        self.assertFalse(Contract._find_for_client(self.client, date(2027, 6, 1)))
        self.assertFalse(
            Contract._find_for_client(self.env["res.partner"], date(2026, 6, 1))
        )

    def test_equipment_line_of_other_client_refused(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        foreign = self.env["intervention.equipment"].create(
            {"name": "NAS", "partner_id": other.id}
        )
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self.contract.equipment_line_ids = [(0, 0, {"equipment_id": foreign.id})]

    def test_request_count_and_action(self):
        self._create_request()
        self._create_request()
        self.assertEqual(self.contract.request_count, 2)
        action = self.contract.action_view_requests()
        self.assertEqual(action["domain"], [("contract_id", "=", self.contract.id)])

    def test_equipment_site_must_belong_to_client(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "not an address"):
            self.env["intervention.equipment"].create(
                {"name": "PC", "partner_id": self.client.id, "site_id": other.id}
            )
