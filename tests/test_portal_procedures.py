from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .portal_procedure_common import (
    FRIDAY_1730,
    MONDAY_0915,
    MONDAY_1000,
    MONDAY_1600,
    TUESDAY_0930,
    TUESDAY_1000,
    TUESDAY_1100,
    TUESDAY_1400,
    InterventionPortalProcedureCommon,
)


@tagged("post_install", "-at_install")
class TestPortalProcedure(InterventionPortalProcedureCommon):
    """Seed 000 Sect. 3.01 followed from the portal, step by step: a request
    sent on a Friday at 17:30 is acknowledged at once (B3), taken in charge
    on Monday morning, resolved with its cause and resolution scenario shown
    to the client (B6), and closed when the client confirms the fix."""

    def _resolve_through_wizard(self, request, cause, resolution):
        wizard = Form(
            self.env["intervention.request.resolve.wizard"]
            .with_user(self.desk_user)
            .with_context(active_model=request._name, active_ids=request.ids)
        )
        wizard.cause = cause
        wizard.resolution = resolution
        wizard.save().action_confirm()

    def test_friday_evening_request_to_closure(self):
        # Friday 17:30 (Paris): the client sends the request from the portal.
        with freeze_time(FRIDAY_1730):
            self._login_client()
            response, request = self._client_submit(self._client_form())
            self.assertEqual(len(request), 1)
            # Acknowledged at once, not on Monday: received, the clocks run
            # from the reception.
            self.assertEqual(request.state, "received")
            self.assertEqual(request.date_received, datetime(2026, 3, 13, 16, 30))
            self.assertEqual(request.date_acknowledged, datetime(2026, 3, 13, 16, 30))
            self.assertIn("Received", response.text)
            self.assertIn("Acknowledged", response.text)
            ack = self._mails(request, "We have received your request")
            self.assertEqual(len(ack), 1)
            self._assert_emailed_to(ack, self.contact)
            self.assertNotEqual(ack.author_id, self.contact, "written by the company")
            body = str(ack.body)
            self.assertIn("Hello Chloé Vendredi", body)
            self.assertIn(request.name, body)
            self.assertIn("03/13/2026 05:30:00 PM", body, "reception time, Paris")
            self.assertIn("Estimated qualification: Incident", body)
            self.assertNotIn("will be billed", body, "covered: no terms")
            # 2 business hours: 30 minutes on Friday, 90 on Monday morning.
            take = request.sla_ids.filtered(lambda t: t.target_type == "take_in_charge")
            self.assertEqual(take.deadline, datetime(2026, 3, 16, 9, 30))
        # Monday 9:15: the desk calls back and takes it in charge, on time.
        with freeze_time(MONDAY_0915):
            request.with_user(self.desk_user).action_qualify()
            self.assertEqual(request.state, "qualified")
            self.assertEqual(take.status, "met")
            self._login_client()
            page = self.url_open(request.access_url).text
            self.assertIn("Qualified", page)
            self.assertIn("Done on time", page)
            self.assertNotIn("o_intervention_resolution", page)
        with freeze_time(MONDAY_1000):
            request.with_user(self.desk_user).action_start()
        # Monday 16:00: resolved with the cause and the resolution scenario.
        with freeze_time(MONDAY_1600):
            self._resolve_through_wizard(
                request,
                "The power supply of the server failed.",
                "<p>Replaced the power supply and checked last night's backup.</p>",
            )
            self.assertEqual(request.state, "resolved")
            notice = self._mails(request, "Your request is resolved")
            self.assertEqual(len(notice), 1)
            self._assert_emailed_to(notice, self.contact)
            self.assertIn("The power supply of the server failed.", str(notice.body))
            self.assertIn("Replaced the power supply", str(notice.body))
            self._login_client()
            page = self.url_open(request.access_url).text
            self.assertIn("Resolved", page)
            self.assertIn("The power supply of the server failed.", page)
            self.assertIn("Replaced the power supply", page)
            self.assertIn("Confirm the fix", page)
        # Tuesday 10:00: the client confirms the fix: closed.
        with freeze_time(TUESDAY_1000):
            self._login_client()
            response = self._client_post(f"/my/interventions/{request.id}/confirm")
            self.assertEqual(request.state, "closed")
            self.assertIn("Closed", response.text)
            self.assertIn("The power supply of the server failed.", response.text)
            self.assertNotIn("Confirm the fix", response.text)


@tagged("post_install", "-at_install")
class TestPortalTermsProcedure(InterventionPortalProcedureCommon):
    """Seed 000 Sect. 3.02, seed 003 1.3 (H2): a request not covered by the
    contract is billed on terms the client accepts before the work, online
    (portal or the e-mail's link) or declines (the request ends)."""

    def _submit_printer_request(self):
        """The client reports the printer bought after the contract: told
        it is not covered, sends anyway."""
        self._login_client()
        response, request = self._client_submit(
            self._client_form(
                equipment_id=str(self.printer.id), summary="Label printer jams"
            )
        )
        self.assertEqual(len(request), 1)
        return response, request

    def _accept_url(self, request, token=None):
        url = f"/my/interventions/{request.id}/terms/accept"
        return f"{url}?access_token={token}" if token else url

    def test_portal_client_accepts_then_desk_works_and_invoices(self):
        # Tuesday 9:30: the request is sent and acknowledged with the terms.
        with freeze_time(TUESDAY_0930):
            response, request = self._submit_printer_request()
            self.assertEqual(request.state, "received")
            self.assertTrue(request.terms_required)
            ack = self._mails(request, "We have received your request")
            self._assert_emailed_to(ack, self.contact)
            self.assertIn("it will be billed", str(ack.body))
            self.assertIn("Billed because: Out of contract", str(ack.body))
            self.assertIn(
                f"/my/interventions/{request.id}?access_token=", self._link_in(ack)
            )
            page = response.text
            self.assertIn("This request is not covered by your contract", page)
            self.assertIn("Billed because: Out of contract", page)
            self.assertIn("Label printer bought in February", page)
            self.assertIn("Hourly labour: $\xa090.00 per hour", page)
            self.assertIn(
                "Time unit (UT): $\xa045.00 per time unit of 30 minutes", page
            )
            self.assertIn("Travel: $\xa060.00 per hour of travel", page)
            self.assertIn("Accept the terms", page)
            self.assertIn("Decline", page)
        # Tuesday 10:00: the desk qualifies, may not start, writes an estimate
        # in the form and sends the terms.
        with freeze_time(TUESDAY_1000):
            desk_request = request.with_user(self.desk_user)
            desk_request.action_qualify()
            with self.assertRaisesRegex(UserError, "must accept the terms"):
                desk_request.action_start()
            with Form(desk_request) as form:
                form.terms_estimate = 450.0
                form.terms_description = "Diagnosis on site, 2 hours."
            self.assertIn("Estimate of the help desk: $\xa0450.00", form.terms_summary)
            desk_request.action_send_terms()
            sent = self._mails(request, "Terms to accept before we start")
            self._assert_emailed_to(sent, self.contact)
            self.assertIn("Estimate of the help desk: $&nbsp;450.00", str(sent.body))
            self.assertIn("access_token=", self._link_in(sent))
        # Tuesday 11:00: the client reads the terms and accepts them.
        with freeze_time(TUESDAY_1100):
            self._login_client()
            page = self.url_open(request.access_url).text
            self.assertIn("Estimate of the help desk: $\xa0450.00", page)
            self.assertIn("Conditions: Diagnosis on site, 2 hours.", page)
            response = self._client_post(
                self._accept_url(request), terms_key=self._terms_key(page)
            )
            self.assertTrue(request.terms_accepted)
            self.assertEqual(request.terms_acceptance_channel, "portal")
            self.assertEqual(request.terms_accepted_by_id, self.contact)
            self.assertEqual(request.terms_accepted_date, datetime(2026, 3, 17, 10, 0))
            self.assertIn(
                "Billed because: Out of contract", request.terms_accepted_text
            )
            self.assertIn("$\xa0450.00", request.terms_accepted_text)
            activity = request.activity_ids
            self.assertEqual(activity.user_id, self.desk_user)
            self.assertIn("accepted the terms", activity.summary)
            self.assertIn("Terms accepted", response.text)
            self.assertNotIn("Accept the terms", response.text)
        # Tuesday 14:00: the desk works, resolves; finance invoices.
        with freeze_time(TUESDAY_1400):
            self._desk_repairs(request, 2, "Worn roller.", "Replaced.")
            self.assertEqual(request.invoice_status, "to_invoice")
            invoice = self._finance_invoices(request)
            self.assertEqual(invoice.partner_id, self.client)
            self.assertEqual(invoice.amount_untaxed, 180.0, "2 hours at 90.00")
            self.assertEqual(request.invoice_status, "invoiced")

    def test_requester_without_account_accepts_from_the_email_link(self):
        # Denis has no portal account: he phones, the desk opens the request.
        with freeze_time(TUESDAY_0930):
            request = (
                self.env["intervention.request"]
                .with_user(self.desk_user)
                .create(
                    {
                        "requester_id": self.contact_no_account.id,
                        "contract_id": self.contract.id,
                        "site_id": self.site.id,
                        "equipment_id": self.printer.id,
                        "summary": "Label printer jams",
                        "description": "<p>Jams every ten labels.</p>",
                        "channel": "phone",
                        "user_id": self.desk_user.id,
                    }
                )
            )
            request.with_user(self.desk_user).action_receive()
            ack = self._mails(request, "We have received your request")
            self._assert_emailed_to(ack, self.contact_no_account)
            link = self._link_in(ack)
        with freeze_time(TUESDAY_1000):
            self.authenticate(None, None)
            # Without the link's token: nothing to see, nothing to accept.
            self.assertEqual(self.url_open(request.access_url).status_code, 404)
            page = self.url_open(link).text
            self.assertIn("Billed because: Out of contract", page)
            key = self._terms_key(page)
            response = self._client_post(self._accept_url(request), terms_key=key)
            self.assertEqual(response.status_code, 404)
            response = self._client_post(
                self._accept_url(request, "wrong-token"), terms_key=key
            )
            self.assertEqual(response.status_code, 404)
            self.assertFalse(request.terms_accepted)
            response = self._client_post(
                self._accept_url(request, request.access_token), terms_key=key
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("Terms accepted", response.text)
            self.assertTrue(request.terms_accepted)
            self.assertEqual(request.terms_acceptance_channel, "link")
            self.assertEqual(request.terms_accepted_by_id, self.contact_no_account)
            self.assertEqual(request.terms_accepted_date, datetime(2026, 3, 17, 9, 0))
            self.assertIn("Hourly labour", request.terms_accepted_text)
            self.assertEqual(request.activity_ids.user_id, self.desk_user)
        with freeze_time(TUESDAY_1100):
            request.with_user(self.desk_user).action_qualify()
            request.with_user(self.desk_user).action_start()
            self.assertEqual(request.state, "in_progress")

    def test_client_declines_and_the_request_ends(self):
        with freeze_time(TUESDAY_0930):
            response, request = self._submit_printer_request()
            self.assertTrue(request.charge_ids)
        with freeze_time(TUESDAY_1000):
            self._login_client()
            key = self._terms_key(self.url_open(request.access_url).text)
            response = self._client_post(
                f"/my/interventions/{request.id}/terms/decline",
                terms_key=key,
                reason="Too expensive: we replace the printer.",
            )
            self.assertEqual(request.state, "cancelled")
            self.assertEqual(request.cancel_reason, "terms_declined")
            self.assertEqual(request.date_closed, datetime(2026, 3, 17, 9, 0))
            self.assertFalse(request.charge_ids, "nothing billed")
            self.assertEqual(request.invoice_status, "no")
            self.assertFalse(request.terms_accepted)
            notice = self._mails(request, "Request closed: terms declined")
            self._assert_emailed_to(notice, self.contact)
            self.assertIn("nothing will be billed", str(notice.body))
            self.assertTrue(
                request.message_ids.filtered(
                    lambda m: (
                        "Too expensive" in str(m.body) and m.author_id == self.contact
                    )
                )
            )
            self.assertIn("Cancelled", response.text)
            self.assertNotIn("Accept the terms", response.text)
            # Too late to change one's mind on this request.
            response = self._client_post(self._accept_url(request), terms_key=key)
            self.assertIn("has no terms waiting for your answer", response.text)
            self.assertFalse(request.terms_accepted)

    def test_acceptance_covers_the_terms_shown_only(self):
        with freeze_time(TUESDAY_0930):
            response, request = self._submit_printer_request()
            key_shown = self._terms_key(response.text)
            # The desk changes the estimate while the page is open.
            request.with_user(self.desk_user).terms_estimate = 900.0
            response = self._client_post(self._accept_url(request), terms_key=key_shown)
            self.assertIn("changed since you opened the page", response.text)
            self.assertIn("Estimate of the help desk: $\xa0900.00", response.text)
            self.assertFalse(request.terms_accepted)
            # Another client cannot answer for this one.
            self.authenticate("ir_portal_a", "ir_portal_a")
            response = self._client_post(
                self._accept_url(request), terms_key=request._terms_key()
            )
            self.assertEqual(response.status_code, 404)
            self.assertFalse(request.terms_accepted)
            self._login_client()
            page = self.url_open(request.access_url).text
            self._client_post(
                self._accept_url(request), terms_key=self._terms_key(page)
            )
            self.assertTrue(request.terms_accepted)
            self.assertIn("$\xa0900.00", request.terms_accepted_text)

    def test_covered_request_shows_no_terms(self):
        with freeze_time(TUESDAY_0930):
            self._login_client()
            response, request = self._client_submit(self._client_form())
            self.assertFalse(request.terms_required)
            self.assertNotIn("o_intervention_terms", response.text)
            response = self._client_post(
                self._accept_url(request), terms_key=request._terms_key()
            )
            self.assertIn("has no terms waiting for your answer", response.text)
