import re
from datetime import datetime, timedelta

from odoo import fields
from odoo.http import Request
from odoo.tests import freeze_time, tagged

from .portal_common import InterventionPortalCommon


@tagged("post_install", "-at_install")
class TestRating(InterventionPortalCommon):
    """B7 through Odoo's rating.mixin: on resolution the requester is e-mailed
    the rating links; the client rates from the link (Odoo's /rate pages)
    or the portal page within the 8-day window of seed 002; the ratings and
    remarks show on the request and average by team, contract and month."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _rating_mail(self, request):
        message = request.message_ids.filtered(
            lambda m: m.subject == f"[{request.name}] How did we do?"
        )
        self.assertEqual(len(message), 1, "one rating request per resolution")
        return self.env["mail.mail"].search([("mail_message_id", "=", message.id)])

    def _link_token(self, mail):
        """The token of the "satisfied" link of the e-mail, as the client
        clicks it."""
        match = re.search(r"/rate/([0-9a-f]+)/5", mail.body_html)
        self.assertTrue(match, "the e-mail holds the rating links")
        return match.group(1)

    def _resolved_days_ago(self, request, days):
        # As an import of history would record it.
        request.with_context(intervention_history_import=True).date_resolved = (
            fields.Datetime.now() - timedelta(days=days)
        )

    # ------------------------------------------------------------------
    # The rating request e-mail
    # ------------------------------------------------------------------
    def test_resolution_emails_the_rating_links_to_the_requester(self):
        self._resolve(self.request_a)
        mail = self._rating_mail(self.request_a)
        self.assertEqual(mail.recipient_ids, self.contact_a)
        token = self._link_token(mail)
        for rate in (5, 3, 1):
            self.assertIn(f"/rate/{token}/{rate}", mail.body_html)
        self.assertIn("You can rate this request until", mail.body_html)
        # Not rated yet: nothing counts until the client answers.
        self.assertEqual(self.request_a.rating_count, 0)
        # Resolving again after a reopening asks again, with the same link
        # while the first one is unused.
        self.request_a.action_reopen()
        self.request_a.action_resolve()
        messages = self.request_a.message_ids.filtered(
            lambda m: m.subject == f"[{self.request_a.name}] How did we do?"
        )
        self.assertEqual(len(messages), 2)
        self.assertIn(f"/rate/{token}/5", messages[0].body)

    def test_rating_request_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["intervention_request"], ["fr_FR"], overwrite=True
        )
        self.contact_a.lang = "fr_FR"
        self._resolve(self.request_a)
        message = self.request_a.message_ids.filtered(
            lambda m: (
                m.subject and m.subject.startswith(f"[{self.request_a.name}] Comment")
            )
        )
        self.assertEqual(
            message.subject, f"[{self.request_a.name}] Comment avons-nous travaillé ?"
        )
        self.assertIn("Vous pouvez évaluer cette demande jusqu", message.body)

    # ------------------------------------------------------------------
    # Rating from the e-mail's link (Odoo's /rate pages)
    # ------------------------------------------------------------------
    def test_rate_from_the_email_link_with_remarks(self):
        self._resolve(self.request_a)
        token = self._link_token(self._rating_mail(self.request_a))
        # The client clicks the face in the e-mail, without signing in.
        self.authenticate(None, None)
        page = self.url_open(f"/rate/{token}/5")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/rate/{token}/submit_feedback", page.text)
        response = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={
                "rate": "5",
                "feedback": "Fixed in an hour, thanks",
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for your feedback!", response.text)
        request = self.request_a
        request.invalidate_recordset()
        self.assertEqual(request.rating_count, 1)
        self.assertEqual(request.rating_last_value, 5.0)
        self.assertEqual(request.rating_last_feedback, "Fixed in an hour, thanks")
        self.assertEqual(request.rating_avg_text, "top")
        self.assertEqual(request.state, "resolved", "a rating does not reopen")
        # In the chatter, as the requester's, under its own subtype.
        posted = request.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("intervention_request.mt_request_rating")
            )
        )
        self.assertEqual(posted.author_id, self.contact_a)
        self.assertIn("Fixed in an hour, thanks", posted.body)
        # The form's smart button opens that rating.
        action = request.action_open_ratings()
        ratings = self.env["rating.rating"].search(action["domain"])
        self.assertEqual(ratings.mapped("feedback"), ["Fixed in an hour, thanks"])
        # The portal page shows it to the client.
        self.authenticate("ir_portal_a", "ir_portal_a")
        self.assertIn(
            "Fixed in an hour, thanks", self.url_open(request.access_url).text
        )

    def test_email_link_within_and_after_the_eight_days(self):
        self._resolve(self.request_a)
        token = self._link_token(self._rating_mail(self.request_a))
        self.authenticate(None, None)
        self._resolved_days_ago(self.request_a, 7.9)
        self.assertIn(
            f"/rate/{token}/submit_feedback", self.url_open(f"/rate/{token}/1").text
        )
        self._resolved_days_ago(self.request_a, 8.1)
        for response in (
            self.url_open(f"/rate/{token}/1"),
            self.url_open(
                f"/rate/{token}/submit_feedback",
                data={"rate": "1", "csrf_token": Request.csrf_token(self)},
            ),
        ):
            self.assertIn("This request can no longer be rated", response.text)
            self.assertIn(
                "was open for 8 days after its resolution and closed on",
                response.text,
            )
            self.assertNotIn("submit_feedback", response.text)
        self.request_a.invalidate_recordset()
        self.assertEqual(self.request_a.rating_count, 0)

    def test_email_link_of_a_reopened_request_is_refused(self):
        self._resolve(self.request_a)
        token = self._link_token(self._rating_mail(self.request_a))
        self.request_a.action_reopen()
        self.authenticate(None, None)
        response = self.url_open(f"/rate/{token}/5")
        self.assertIn("is not resolved: you can rate it once it is", response.text)

    # ------------------------------------------------------------------
    # Rating from the portal page
    # ------------------------------------------------------------------
    def test_rate_from_the_portal_page_opened_from_an_email(self):
        """The portal link of an e-mail (access token, not signed in): the
        rating is the requester's."""
        self._resolve(self.request_a)
        token = self.request_a._portal_ensure_token()
        self.authenticate(None, None)
        url = f"{self.request_a.access_url}?access_token={token}"
        self.assertIn(
            "How satisfied are you with our service?", self.url_open(url).text
        )
        response = self.url_open(
            f"/my/interventions/{self.request_a.id}/feedback?access_token={token}",
            data={
                "rate": "3",
                "remark": "Slow to call back",
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Slow to call back", response.text)
        rating = self.request_a.sudo().rating_ids.filtered("consumed")
        self.assertEqual(rating.partner_id, self.contact_a)
        self.assertEqual((rating.rating, rating.feedback), (3.0, "Slow to call back"))

    def test_portal_page_after_the_window(self):
        self._resolve(self.request_a)
        self._resolved_days_ago(self.request_a, 9)
        self.authenticate("ir_portal_a", "ir_portal_a")
        page = self.url_open(self.request_a.access_url).text
        self.assertNotIn("How satisfied are you with our service?", page)
        self.assertIn("The rating of this request closed on", page)

    # ------------------------------------------------------------------
    # Analysis: averages per team, contract and month
    # ------------------------------------------------------------------
    def _rated(self, contact, user, team, rate, when):
        """A request of ``contact``'s company for ``team``, resolved and
        rated ``rate`` by the client from the portal on ``when``."""
        with freeze_time(when):
            request = self._create_portal_request(
                contact, f"Rated {rate}", team_id=team.id
            )
            self._resolve(request)
        with freeze_time(when + timedelta(hours=2)):
            request.with_user(user).sudo()._portal_rate(rate, f"Rated {rate}")
        return request

    def test_averages_per_team_contract_and_month(self):
        Team = self.env["intervention.team"]
        desk, field = Team.create({"name": "Desk"}), Team.create({"name": "Field"})
        today = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
        # 45 days apart: always two different months.
        earlier, later = today - timedelta(days=75), today - timedelta(days=30)
        portal_a = self.env["res.users"].search([("login", "=", "ir_portal_a")])
        portal_b = self.env["res.users"].search([("login", "=", "ir_portal_b")])
        self._rated(self.contact_a, portal_a, desk, 5, earlier)
        self._rated(self.contact_b, portal_b, desk, 1, earlier)
        self._rated(self.contact_a, portal_a, field, 5, later)
        self._rated(self.contact_a, portal_a, field, 3, later)
        Report = self.env["intervention.rating.report"]
        domain = [("team_id", "in", (desk | field).ids)]
        by_team = dict(Report._read_group(domain, ["team_id"], ["rating:avg"]))
        self.assertEqual(by_team, {desk: 3.0, field: 4.0})
        by_contract = {
            contract: round(avg, 2)
            for contract, avg in Report._read_group(
                domain, ["contract_id"], ["rating:avg"]
            )
        }
        self.assertEqual(by_contract, {self.contract_a: 4.33, self.contract_b: 1.0})
        by_month = {
            month.strftime("%Y-%m"): (avg, count)
            for month, avg, count in Report._read_group(
                domain, ["rated_on:month"], ["rating:avg", "rating_count:sum"]
            )
        }
        self.assertEqual(
            by_month,
            {
                earlier.strftime("%Y-%m"): (3.0, 2),
                later.strftime("%Y-%m"): (4.0, 2),
            },
        )
        satisfied = dict(
            Report._read_group(domain, ["team_id"], ["satisfaction_rate:avg"])
        )
        self.assertEqual(satisfied, {desk: 50.0, field: 50.0})
        # The teams carry their own average (rating.parent.mixin), shown on
        # their form with a button to the analysis of their requests.
        self.assertEqual((desk.rating_avg, desk.rating_count), (3.0, 2))
        self.assertEqual((field.rating_avg, field.rating_count), (4.0, 2))
        field.invalidate_recordset(["rating_ids"])
        given = field.rating_ids.filtered("consumed")
        self.assertEqual(sorted(given.mapped("rating")), [3.0, 5.0])
        action = field.action_open_ratings()
        self.assertEqual(
            sorted(Report.search(action["domain"]).mapped("rating")), [3.0, 5.0]
        )
