from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .billing_common import InterventionBillingCommon


@tagged("post_install", "-at_install")
class TestTermsAcceptance(InterventionBillingCommon):
    """Out-of-contract requests: the client accepts the terms (estimate),
    in the portal or recorded by staff, before work starts (H2)."""

    def setUp(self):
        super().setUp()
        self.request = self._create_out_of_contract_request()
        self.request.action_qualify()

    def test_out_of_contract_request_needs_acceptance(self):
        self.assertTrue(self.request.terms_required)
        self.assertFalse(self.request.terms_accepted)
        self.assertFalse(self._create_request().terms_required, "covered")

    def test_work_refused_before_acceptance(self):
        message = "out of contract: the client must accept the terms"
        with self.assertRaisesRegex(UserError, message):
            self.request.action_start()
        self.request.onsite_technician_id = self.technician
        with self.assertRaisesRegex(UserError, message):
            self.request.action_assign_onsite()
        with self.assertRaisesRegex(UserError, message):
            self.request.action_resolve()
        with self.assertRaisesRegex(UserError, message):
            self.request.write({"state": "in_progress"})
        self.assertEqual(self.request.state, "qualified")

    def test_staff_record_the_acceptance(self):
        self.request.terms_estimate = 450.0
        wizard_form = Form(
            self.env["intervention.request.terms.wizard"]
            .with_user(self.user)
            .with_context(
                default_request_id=self.request.id,
                default_accepted_by_id=self.other_contact.id,
            )
        )
        wizard_form.note = "Signed estimate received by e-mail"
        with freeze_time(datetime(2026, 3, 11, 9, 30)):
            wizard_form.save().action_confirm()
        request = self.request
        self.assertTrue(request.terms_accepted)
        self.assertEqual(request.terms_accepted_by_id, self.other_contact)
        self.assertEqual(request.terms_recorded_by_id, self.user)
        self.assertEqual(request.terms_accepted_date, datetime(2026, 3, 11, 9, 30))
        self.assertEqual(request.terms_acceptance_channel, "staff")
        self.assertEqual(
            request.terms_acceptance_note, "Signed estimate received by e-mail"
        )
        self.assertIn(
            "Terms accepted by Coopérative Agricole, Bruno Berger (Recorded by staff), "
            "recorded by Desk User.",
            request.message_ids[0].body,
        )
        request.action_start()
        self.assertEqual(request.state, "in_progress")

    def test_client_accepts_in_the_portal(self):
        self.request.terms_description = "Diagnosis on site, 2 hours at 90.00."
        portal_user = self.env["res.users"].create(
            {
                "name": "Bruno Portal",
                "login": "bruno_portal",
                "partner_id": self.other_contact.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        # What a portal controller does once it checked the access.
        self.request.with_user(portal_user).sudo().action_accept_terms(channel="portal")
        self.assertEqual(self.request.terms_acceptance_channel, "portal")
        self.assertEqual(self.request.terms_accepted_by_id, self.other_contact)
        self.assertEqual(self.request.terms_recorded_by_id, portal_user)
        self.request.action_start()

    def test_acceptance_needs_terms_and_happens_once(self):
        with self.assertRaisesRegex(UserError, "Write the terms or the estimate"):
            self.request.action_accept_terms()
        self._accept_terms(self.request)
        with self.assertRaisesRegex(UserError, "already accepted"):
            self.request.action_accept_terms()
        with self.assertRaisesRegex(UserError, "Unknown acceptance channel"):
            self.request.action_accept_terms(channel="fax")

    def test_rejecting_needs_no_acceptance(self):
        self.request.action_reject("out_of_scope", "Not our equipment.")
        self.assertEqual(self.request.state, "rejected")
        with self.assertRaisesRegex(UserError, "finished"):
            self._accept_terms(self.request)

    def test_goodwill_request_needs_no_acceptance(self):
        self.request.is_billable = False
        self.assertFalse(self.request.terms_required)
        self.request.action_start()
        self.assertEqual(self.request.state, "in_progress")

    def test_covered_requests_start_freely(self):
        request = self._create_started_request(channel="phone")
        self.assertEqual(request.state, "in_progress", "the surcharge needs no terms")
