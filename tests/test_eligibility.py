from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestEligibility(InterventionCommon):
    """Each verdict of the intake check (A4), through the request and through
    the contract's method."""

    def assertVerdict(self, request, reason):
        if reason:
            self.assertEqual(request.coverage_state, "not_covered")
            self.assertEqual(request.coverage_reason, reason)
            self.assertTrue(request.coverage_message)
            self.assertTrue(request.is_billable, "not covered means billable")
        else:
            self.assertEqual(
                request.coverage_state, "covered", request.coverage_message
            )
            self.assertFalse(request.coverage_reason)
            self.assertFalse(request.is_billable)

    def _create_printer_bought_in_february(self):
        """An asset acquired after the contract's start (2026-01-01)."""
        return self.env["intervention.equipment"].create(
            {
                "name": "Laser printer",
                "partner_id": self.client.id,
                "acquisition_date": date(2026, 2, 1),
            }
        )

    def test_covered(self):
        request = self._create_request()
        self.assertVerdict(request, False)
        self.assertIn(self.contract.name, request.coverage_message)

    def test_no_contract(self):
        stranger = self.env["res.partner"].create(
            {"name": "Stranger", "is_company": True}
        )
        contact = self._create_contact(stranger, "Sam Stranger")
        request = self._create_request(
            requester_id=contact.id,
            contract_id=False,
            site_id=False,
            equipment_id=False,
        )
        self.assertFalse(request.contract_id)
        self.assertVerdict(request, "no_contract")
        self.assertEqual(request.billable_cause, "out_of_contract")

    def test_unknown_client(self):
        request = self._create_request(
            requester_id=False, contract_id=False, site_id=False, equipment_id=False
        )
        self.assertVerdict(request, "no_contract")

    @freeze_time("2027-01-04 10:30:00")  # at or after the reception date
    def test_contract_not_active_at_reception(self):
        request = self._create_request(date_received=datetime(2027, 1, 4, 10, 0))
        self.assertVerdict(request, "contract_inactive")
        self.assertIn("not in force", request.coverage_message)

    def test_draft_contract_covers_nothing(self):
        draft = self._create_contract(self.client, activate=False)
        request = self._create_request(contract_id=draft.id)
        self.assertVerdict(request, "contract_inactive")

    def test_terminated_contract_covers_its_past(self):
        contract = self._create_contract(self.client, date_end=False)
        with freeze_time("2026-06-30 12:00:00"):
            contract.action_terminate()
        self.assertEqual(contract.state, "terminated")
        self.assertEqual(contract.date_end, date(2026, 6, 30))
        before = self._create_request(
            contract_id=contract.id, date_received=datetime(2026, 6, 30, 10, 0)
        )
        self.assertVerdict(before, False)
        after = self._create_request(
            contract_id=contract.id, date_received=datetime(2026, 7, 1, 10, 0)
        )
        self.assertVerdict(after, "contract_inactive")

    def test_contact_not_authorised(self):
        self.contract.contact_ids = self.contact
        intern = self._create_contact(self.client, "Ivan Intern")
        request = self._create_request(requester_id=intern.id)
        self.assertVerdict(request, "contact")
        self.assertIn("not an authorised contact", request.coverage_message)
        self.assertVerdict(self._create_request(), False)

    def test_contact_and_service_lists_changed_are_seen_at_once(self):
        """The contract stores whether it lists contacts or excluded services
        (the verdict reads a list only then): each change of a list is seen
        by the next request."""
        intern = self._create_contact(self.client, "Ivan Intern")
        self.assertVerdict(self._create_request(requester_id=intern.id), False)
        self.contract.contact_ids = self.contact
        self.assertVerdict(self._create_request(requester_id=intern.id), "contact")
        self.contract.contact_ids = False
        self.assertVerdict(self._create_request(requester_id=intern.id), False)
        # An archived contact restricts nothing until it is restored.
        self.contact.active = False
        self.contract.contact_ids = self.contact
        self.assertVerdict(self._create_request(requester_id=intern.id), False)
        self.contact.active = True
        self.assertVerdict(self._create_request(requester_id=intern.id), "contact")
        training = {"service_id": self.service_training.id}
        self.assertVerdict(self._create_request(**training), False)
        self.contract.excluded_service_ids = self.service_training
        self.assertVerdict(self._create_request(**training), "excluded_service")
        self.contract.excluded_service_ids = False
        self.assertVerdict(self._create_request(**training), False)

    def test_contact_of_another_client(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        verdict = self.contract._get_coverage_verdict(
            datetime(2026, 3, 10, 10, 0), requester=self._create_contact(other, "Oscar")
        )
        self.assertFalse(verdict["covered"])
        self.assertEqual(verdict["reason"], "contact")

    def test_site_out_of_scope(self):
        other_site = self.env["res.partner"].create(
            {"name": "Horizon Paris", "parent_id": self.client.id, "type": "other"}
        )
        self.contract.site_ids = self.site
        request = self._create_request(site_id=other_site.id, equipment_id=False)
        self.assertVerdict(request, "site")
        self.assertVerdict(self._create_request(), False)

    def test_equipment_not_listed(self):
        self.contract.equipment_scope = "listed"
        listed = self.env["intervention.equipment"].create(
            {"name": "Switch", "partner_id": self.client.id}
        )
        self.contract.equipment_line_ids = [
            (0, 0, {"equipment_id": listed.id, "date_from": date(2026, 1, 1)})
        ]
        request = self._create_request()
        self.assertVerdict(request, "equipment")
        self.assertIn("not listed", request.coverage_message)
        self.assertVerdict(self._create_request(equipment_id=listed.id), False)

    def test_equipment_covered_from_later_date(self):
        self.contract.equipment_line_ids = [
            (0, 0, {"equipment_id": self.equipment.id, "date_from": date(2026, 4, 1)})
        ]
        self.assertVerdict(self._create_request(), "equipment")
        later = self._create_request(date_received=datetime(2026, 4, 1, 8, 0))
        self.assertVerdict(later, False)

    def test_asset_bought_after_contract_not_covered(self):
        """Seed 004 §4.2: a printer bought after the contract was signed and
        not added to it is not covered."""
        printer = self._create_printer_bought_in_february()
        request = self._create_request(equipment_id=printer.id)
        self.assertVerdict(request, "equipment")
        self.assertIn("after contract", request.coverage_message)
        self.assertEqual(request.billable_cause, "out_of_contract")

    def test_owned_scope_covers_assets_owned_at_signature(self):
        self.assertEqual(self.contract.equipment_scope, "owned")
        switch = self.env["intervention.equipment"].create(
            {"name": "Switch", "partner_id": self.client.id}
        )
        self.contract.equipment_line_ids = [(0, 0, {"equipment_id": switch.id})]
        # The file server (acquired before the start) stays covered although
        # another asset is now listed.
        self.assertVerdict(self._create_request(), False)

    def test_adding_the_asset_and_checking_again(self):
        printer = self._create_printer_bought_in_february()
        request = self._create_request(equipment_id=printer.id)
        self.assertVerdict(request, "equipment")
        self.contract.equipment_line_ids = [
            (0, 0, {"equipment_id": printer.id, "date_from": date(2026, 2, 1)})
        ]
        self.assertEqual(
            request.coverage_reason, "equipment", "the intake verdict is kept"
        )
        request.action_check_coverage()
        self.assertVerdict(request, False)

    def test_domain_out_of_scope(self):
        self.contract.domain_ids = self.domain_workstation
        request = self._create_request(domain_id=self.domain_servers.id)
        self.assertVerdict(request, "domain")
        self.assertVerdict(
            self._create_request(domain_id=self.domain_workstation.id), False
        )

    def test_excluded_service(self):
        self.contract.excluded_service_ids = self.service_training
        request = self._create_request(service_id=self.service_training.id)
        self.assertVerdict(request, "excluded_service")
        self.assertEqual(request.billable_cause, "excluded_service")

    def test_after_hours_call_without_subscription(self):
        # Tuesday 23:00 in Paris (22:00 UTC): outside Mon-Fri 9-18.
        night = datetime(2026, 3, 10, 22, 0)
        request = self._create_request(channel="oncall", date_received=night)
        self.assertVerdict(request, "after_hours")
        # Same call during business hours is covered.
        day = self._create_request(
            channel="oncall", date_received=datetime(2026, 3, 10, 9, 0)
        )
        self.assertVerdict(day, False)

    def test_after_hours_portal_request_stays_covered(self):
        """Out of hours through the portal: covered, frozen until the next
        covered period (F4) rather than refused."""
        request = self._create_request(
            channel="portal", date_received=datetime(2026, 3, 15, 9, 0)
        )
        self.assertVerdict(request, False)

    def test_oncall_subscription_covers_its_windows(self):
        self.contract.write(
            {"coverage_type": "oncall", "coverage_calendar_id": self.calendar_oncall.id}
        )
        # Sunday 10:00 Paris (09:00 UTC) is inside 7/7 8-22.
        sunday = self._create_request(
            channel="oncall", date_received=datetime(2026, 3, 15, 9, 0)
        )
        self.assertVerdict(sunday, False)
        # Sunday 23:30 Paris (22:30 UTC) is outside every window.
        late = self._create_request(
            channel="oncall", date_received=datetime(2026, 3, 15, 22, 30)
        )
        self.assertVerdict(late, "after_hours")

    def test_public_holiday_is_after_hours(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Easter Monday",
                "calendar_id": self.calendar_business.id,
                "date_from": datetime(2026, 4, 5, 22, 0),
                "date_to": datetime(2026, 4, 6, 22, 0),
            }
        )
        request = self._create_request(
            channel="oncall", date_received=datetime(2026, 4, 6, 9, 0)
        )
        self.assertVerdict(request, "after_hours")

    @freeze_time("2026-12-25 19:00:00")  # at or after the reception date
    def test_oncall_covers_public_holidays(self):
        """Seed 001: on-call duty runs on weekends and public holidays, so a
        global holiday does not close the on-call windows."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Christmas",
                "calendar_id": False,
                "date_from": datetime(2026, 12, 24, 23, 0),
                "date_to": datetime(2026, 12, 25, 23, 0),
            }
        )
        self.contract.write(
            {"coverage_type": "oncall", "coverage_calendar_id": self.calendar_oncall.id}
        )
        request = self._create_request(
            channel="oncall", date_received=datetime(2026, 12, 25, 18, 30)
        )
        self.assertVerdict(request, False)

    @freeze_time("2027-02-01 09:30:00")  # at or after the reception date
    def test_contract_follows_reception_date(self):
        next_year = self._create_contract(
            self.client, date_start=date(2027, 1, 1), date_end=date(2027, 12, 31)
        )
        request = self._create_request(contract_id=None)
        self.assertEqual(request.contract_id, self.contract)
        request.date_received = datetime(2027, 2, 1, 9, 0)
        self.assertEqual(request.contract_id, next_year)
        self.assertVerdict(request, False)

    @freeze_time("2027-02-01 09:30:00")  # at or after the reception date
    def test_checks_stop_at_first_reason(self):
        self.contract.excluded_service_ids = self.service_training
        request = self._create_request(
            service_id=self.service_training.id,
            date_received=datetime(2027, 2, 1, 9, 0),
        )
        self.assertEqual(request.coverage_reason, "contract_inactive")

    def test_verdict_follows_request_changes(self):
        self.contract.excluded_service_ids = self.service_training
        request = self._create_request(service_id=self.service_training.id)
        self.assertVerdict(request, "excluded_service")
        request.service_id = self.service_curative
        self.assertVerdict(request, False)
        self.assertFalse(request.billable_cause)

    def test_staff_cause_kept_when_verdict_recomputed(self):
        request = self._create_request()
        request.write({"is_billable": True, "billable_cause": "abnormal_use"})
        request.site_id = self.site
        request.domain_id = self.domain_workstation
        self.assertEqual(request.billable_cause, "abnormal_use")
        self.assertTrue(request.is_billable)

    def test_single_contract_chosen_automatically(self):
        request = self._create_request(contract_id=None)
        self.assertEqual(request.contract_id, self.contract)
        self.assertFalse(request.contract_hint)

    @freeze_time("2028-01-03 09:30:00")  # at or after the reception date
    def test_hint_when_desk_cleared_the_contract(self):
        request = self._create_request()
        request.contract_id = False
        self.assertEqual(request.contract_hint, "Choose the client's contract.")
        request.date_received = datetime(2028, 1, 3, 9, 0)
        self.assertIn("no contract in force", request.contract_hint)

    def test_two_contracts_left_for_the_desk(self):
        self._create_contract(self.client)
        request = self._create_request(contract_id=None)
        self.assertFalse(request.contract_id)
        self.assertIn("2 contracts", request.contract_hint)
        self.assertEqual(request.coverage_reason, "no_contract")

    def test_contract_of_other_client_refused(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        other_contract = self._create_contract(other)
        with self.assertRaisesRegex(
            ValidationError, "belongs to Other, not to the client"
        ):
            self._create_request(contract_id=other_contract.id)

    def test_phone_request_pays_the_surcharge_unless_included(self):
        request = self._create_request(channel="phone")
        self.assertEqual(request.coverage_state, "covered")
        self.assertTrue(request.is_billable)
        self.assertEqual(request.billable_cause, "channel_surcharge")
        self.contract.include_phone = True
        self.assertFalse(request.is_billable)
        self.assertFalse(request.billable_cause)

    def test_email_request_pays_the_surcharge_unless_included(self):
        self.contract.include_phone = True
        request = self._create_request(channel="email")
        self.assertEqual(request.billable_cause, "channel_surcharge")
        included = self._create_request(channel="phone")
        self.assertFalse(included.is_billable)
        self.contract.include_email = True
        self.assertFalse(request.billable_cause)

    def test_portal_request_has_no_surcharge(self):
        request = self._create_request(channel="portal")
        self.assertFalse(request.is_billable)

    @freeze_time("2028-01-03 09:30:00")  # at or after the reception date
    def test_out_of_contract_outranks_the_surcharge(self):
        request = self._create_request(
            channel="phone", date_received=datetime(2028, 1, 3, 9, 0)
        )
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertEqual(request.billable_cause, "out_of_contract")
