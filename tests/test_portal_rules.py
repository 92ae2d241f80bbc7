from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..tools import spreadsheet
from .common import InterventionCommon

# 2026-03-14 is a Saturday; the business calendar is Mon-Fri 9-18 Paris.
SATURDAY_NOON = "2026-03-14 11:00:00"
TUESDAY_11H = "2026-03-10 10:00:00"


@tagged("post_install", "-at_install")
class TestPortalRules(InterventionCommon):
    """The portal's business rules on the model, with fixed clocks: coverage
    notice before sending (out of hours, out of contract), escalation,
    reopen and feedback windows, the follow-up hook for portal authors,
    the export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="ir_rules_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            tz="Europe/Paris",
        )
        cls.policy = cls._create_policy("Portal rules", ("take_in_charge", 2))
        cls.contract.sla_policy_id = cls.policy

    def _portal_env(self):
        return self.env(user=self.portal_user, context={})

    def _form(self, **values):
        return {
            "contract_id": str(self.contract.id),
            "site_id": str(self.site.id),
            "equipment_id": str(self.equipment.id),
            "kind": "incident",
            "severity": "major",
            "summary": "Server down",
            "description": "The file server stops at the BIOS screen.",
            "phone": "+33 4 73 00 00 02",
            "single_malfunction": "1",
            **values,
        }

    def _submit(self, confirmed=False, **values):
        Request = self._portal_env()["intervention.request"]
        return Request._portal_submit(self._form(**values), [], confirmed=confirmed)

    # ------------------------------------------------------------------
    # Notice before sending (G2, F4, A4/H1)
    # ------------------------------------------------------------------
    def test_out_of_hours_told_then_frozen_until_opening(self):
        with freeze_time(SATURDAY_NOON):
            result = self._submit()
            self.assertFalse(result["request"], "asks for confirmation first")
            preview = result["preview"]
            self.assertTrue(preview["covered"])
            self.assertTrue(preview["out_of_hours"])
            self.assertIn("03/16/2026 09:00:00", preview["next_opening"])
            result = self._submit(confirmed=True)
        request = result["request"]
        self.assertEqual(request.channel, "portal")
        freeze = request.freeze_ids.filtered(lambda f: f.reason == "out_of_hours")
        self.assertEqual(freeze.date_end, datetime(2026, 3, 16, 8, 0))
        self.assertTrue(
            request.message_ids.filtered(lambda m: "on hold until" in str(m.body))
        )
        # Acknowledged at once all the same (B3): the client hears from us on
        # Saturday; only the clocks wait for Monday.
        self.assertEqual(request.state, "received")
        self.assertEqual(request.date_acknowledged, datetime(2026, 3, 14, 11, 0))
        self.assertIn("We have received your request", request.message_ids[0].subject)

    def test_in_hours_and_covered_sends_at_once(self):
        with freeze_time(TUESDAY_11H):
            result = self._submit()
        self.assertTrue(result["request"])
        self.assertFalse(result["preview"]["needs_confirmation"])
        self.assertFalse(result["request"].freeze_ids)

    def test_excluded_service_is_billable_with_its_cause(self):
        self.contract.excluded_service_ids = self.service_curative
        with freeze_time(TUESDAY_11H):
            result = self._submit()
            self.assertFalse(result["request"])
            self.assertFalse(result["preview"]["covered"])
            self.assertEqual(result["preview"]["billable_cause"], "Excluded service")
            request = self._submit(confirmed=True)["request"]
        self.assertEqual(request.billable_cause, "excluded_service")

    def test_no_contract_in_force_is_not_offered(self):
        with freeze_time("2027-02-01 10:00:00"):
            Request = self._portal_env()["intervention.request"]
            self.assertFalse(Request._portal_form_choices()["contracts"])
            result = self._submit()
        self.assertIn("contract_id", result["errors"])
        self.assertFalse(result["request"])

    def test_equipment_of_another_site_is_refused(self):
        other_site = self.env["res.partner"].create(
            {"name": "Horizon Paris", "parent_id": self.client.id, "type": "other"}
        )
        with freeze_time(TUESDAY_11H):
            result = self._submit(site_id=str(other_site.id))
        self.assertIn("is installed at", result["errors"]["equipment_id"])

    def test_emails_link_to_the_portal_with_a_token(self):
        with freeze_time(TUESDAY_11H):
            request = self._create_request()
        groups = request._notify_get_recipients_groups(
            self.env["mail.message"], "Request"
        )
        customer = next(group for group in groups if group[0] == "portal_customer")
        self.assertTrue(customer[1]({"id": self.contact.id}))
        url = customer[2]["button_access"]["url"]
        self.assertIn(f"access_token={request.access_token}", url)
        self.assertTrue(request.access_token)
        self.assertEqual(request.access_url, f"/my/interventions/{request.id}")

    # ------------------------------------------------------------------
    # Escalation (D2)
    # ------------------------------------------------------------------
    def test_escalation_only_once_overdue_and_once_a_day(self):
        self.contract.support_manager_id = self.manager
        with freeze_time(TUESDAY_11H):
            request = self._create_request(date_received=datetime(2026, 3, 10, 10))
        portal_request = request.with_user(self.portal_user)
        with freeze_time("2026-03-10 11:30:00"):  # deadline 12:00 UTC
            self.assertFalse(portal_request._portal_can_escalate())
            with self.assertRaises(UserError):
                portal_request.sudo()._portal_escalate()
        with freeze_time("2026-03-10 12:30:00"):
            self.assertTrue(portal_request._portal_can_escalate())
            portal_request.sudo()._portal_escalate("Still nobody")
        self.assertEqual(request.portal_escalation_count, 1)
        self.assertEqual(request.activity_ids.user_id, self.manager)
        with freeze_time("2026-03-11 10:00:00"):
            self.assertFalse(portal_request._portal_can_escalate())
        with freeze_time("2026-03-11 12:31:00"):
            self.assertTrue(portal_request._portal_can_escalate())
            request.action_receive()
            request.action_qualify()
            self.assertFalse(
                portal_request._portal_can_escalate(), "target reached, late or not"
            )

    def test_no_escalation_while_waiting_on_the_client(self):
        with freeze_time(TUESDAY_11H):
            request = self._create_request()
            request.action_receive()
            request.action_wait("client_info")
        with freeze_time("2026-03-12 10:00:00"):
            self.assertFalse(request._portal_can_escalate())

    # ------------------------------------------------------------------
    # Reopen (F2) and feedback (B7) windows; the follow-up hook
    # ------------------------------------------------------------------
    def _client_writes(self, request, body, when):
        """The portal user posts ``body`` in the request's chatter at
        ``when``."""
        with freeze_time(when):
            request.with_user(self.portal_user).message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _resolved_request(self):
        with freeze_time(TUESDAY_11H):
            request = self._create_request()
            request.action_receive()
            request.action_qualify()
            request.action_resolve()
        return request

    def test_portal_message_reopens_within_window(self):
        request = self._resolved_request()
        self._client_writes(request, "It broke again", "2026-03-12 10:00:00")
        self.assertEqual(request.state, "reopened")
        self.assertEqual(request.date_last_client_message, datetime(2026, 3, 12, 10))

    def test_portal_message_resumes_waiting_request(self):
        with freeze_time(TUESDAY_11H):
            request = self._create_request()
            request.action_receive()
            request.action_wait("client_info")
        self._client_writes(request, "Here is the log", "2026-03-11 10:00:00")
        self.assertEqual(request.state, "received")
        self.assertEqual(request.followup_cycle_start, datetime(2026, 3, 11, 10))

    def test_reopen_action_window(self):
        request = self._resolved_request()
        with freeze_time("2026-03-16 10:00:00"), self.assertRaises(UserError):
            request.with_user(self.portal_user).sudo()._portal_reopen("Back")
        self.assertEqual(request.state, "resolved")
        with freeze_time("2026-03-15 09:00:00"):
            request.with_user(self.portal_user).sudo()._portal_reopen("Back")
        self.assertEqual(request.state, "reopened")
        body = request.message_ids[0].body
        self.assertIn("Back", body)
        self.assertEqual(request.message_ids[0].author_id, self.contact)

    def test_feedback_window_is_eight_days(self):
        request = self._resolved_request()
        acting = request.with_user(self.portal_user).sudo()
        with freeze_time("2026-03-18 09:59:00"):
            acting._portal_rate("5", "Great")
        rating = request.sudo().rating_ids.filtered("consumed")
        self.assertEqual((rating.rating, rating.feedback), (5.0, "Great"))
        self.assertEqual(request.state, "resolved")
        with freeze_time("2026-03-18 10:01:00"), self.assertRaises(UserError):
            acting._portal_rate("1")
        self.company.intervention_feedback_days = 10
        with freeze_time("2026-03-18 10:01:00"):
            acting._portal_rate("3", "x" * 2000)
        with freeze_time("2026-03-18 10:02:00"), self.assertRaises(UserError):
            acting._portal_rate("3", "x" * 2001)
        # Rating again changes the client's rating: still one rating.
        rating = request.sudo().rating_ids.filtered("consumed")
        self.assertEqual(rating.mapped("rating"), [3.0])

    def test_deadlines_in_client_terms(self):
        with freeze_time(TUESDAY_11H):
            request = self._create_request()
            rows = request._portal_deadlines()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["label"], "Taken in charge")
        self.assertEqual(rows[0]["status"], "On schedule")
        self.assertEqual(rows[0]["deadline"], datetime(2026, 3, 10, 12, 0))
        with freeze_time("2026-03-10 13:00:00"):
            request._sla_sync()
            self.assertEqual(request._portal_deadlines()[0]["status"], "Overdue")
            request.action_receive()
            request.action_qualify()
            self.assertEqual(request._portal_deadlines()[0]["status"], "Done late")
        labels = [label for _when, label in request._portal_timeline()]
        self.assertEqual(labels, ["Received", "Acknowledged", "Taken in charge"])

    # ------------------------------------------------------------------
    # Export (G4)
    # ------------------------------------------------------------------
    def test_export_period_and_time_spent(self):
        with freeze_time(TUESDAY_11H):
            inside = self._create_request(summary='=HYPERLINK("x")')
            inside.action_receive()
        with freeze_time("2026-03-10 12:30:00"):
            inside.action_qualify()
            inside.action_resolve()
        with freeze_time("2026-04-02 10:00:00"):
            self._create_request(date_received=datetime(2026, 4, 2, 10))
        Request = self._portal_env()["intervention.request"]
        header, rows = Request._portal_export_rows(date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual([row[0] for row in rows], [inside.name])
        self.assertEqual(rows[0][1], "2026-03-10 11:00", "client's time zone")
        self.assertEqual(rows[0][-1], 0.0, "no resolution target in this policy")
        self.assertEqual(header[-1], "Time Spent (hours)")
        content = spreadsheet.to_csv(header, rows).decode("utf-8-sig")
        self.assertIn("'=HYPERLINK", content, "formulas are quoted")
        with self.assertRaises(UserError):
            Request._portal_export_rows(date(2026, 3, 31), date(2026, 3, 1))
        with self.assertRaises(UserError):
            Request._portal_export_rows(date(2025, 1, 1), date(2026, 3, 1))

    def test_time_spent_from_the_time_entries(self):
        request = self._create_request()
        other = self._create_request()
        request.action_receive()
        for duration, kind in ((1.5, "remote"), (2.25, "onsite")):
            self.env["intervention.time.entry"].create(
                {
                    "request_id": request.id,
                    "user_id": self.env.user.id,
                    "date": date(2026, 3, 10),
                    "duration": duration,
                    "kind": kind,
                }
            )
        self.assertEqual(
            (request | other)._portal_time_spent(),
            {request.id: 3.75, other.id: 0.0},
        )

    def test_user_without_contact_rights_cannot_see_other_clients(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        other_contract = self._create_contract(other)
        Request = self._portal_env()["intervention.request"]
        choices = Request._portal_form_choices()
        self.assertNotIn(other_contract, choices["contracts"])
        self.assertEqual(choices["sites"], self.client | self.site)
        self.assertEqual(choices["equipment"], self.equipment)
        with freeze_time(TUESDAY_11H):
            result = self._submit(contract_id=str(other_contract.id))
        self.assertIn("contract_id", result["errors"])
