import csv
import io
import re
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import mute_logger

from .portal_common import InterventionPortalCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(InterventionPortalCommon):
    """G5: a portal user sees and acts only on their own company's requests,
    contracts, sites and equipment; every route answers 404 on another
    company's request and changes nothing."""

    def setUp(self):
        super().setUp()
        self.authenticate("ir_portal_a", "ir_portal_a")

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": Request.csrf_token(self), **data})

    def _snapshot(self, request):
        # Tracking messages are written when the transaction ends.
        self.env.cr.precommit.run()
        request.invalidate_recordset()
        return (
            request.state,
            request.portal_escalation_count,
            len(request.sudo().rating_ids.filtered("consumed")),
            len(request.message_ids),
            len(request.activity_ids),
        )

    def test_home_counter(self):
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["intervention_count"]}
        )
        self.assertEqual(response["intervention_count"], 1)

    def test_list_shows_own_requests_only(self):
        response = self.url_open("/my/interventions")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.request_a.name, response.text)
        self.assertNotIn(self.request_b.name, response.text)
        self.assertNotIn("Rival server down", response.text)

    def test_list_filters_search_sort_pager(self):
        other = self._create_portal_request(
            self.contact_a, "Blocking outage", severity="blocking"
        )
        cases = [
            ({"severity": "blocking"}, [other], [self.request_a]),
            ({"severity": "major"}, [self.request_a], [other]),
            ({"search": "Blocking", "search_in": "summary"}, [other], [self.request_a]),
            ({"filterby": "closed"}, [], [self.request_a, other]),
            ({"filterby": "open", "sortby": "severity"}, [self.request_a, other], []),
            ({"site": str(self.site_a.id)}, [self.request_a, other], []),
        ]
        for params, shown, hidden in cases:
            with self.subTest(params=params):
                text = self.url_open("/my/interventions", params=params).text
                for request in shown:
                    self.assertIn(request.name, text)
                for request in hidden:
                    self.assertNotIn(request.name, text)
        # Another company's site or junk values are ignored, never an error.
        for params in (
            {"site": str(self.site_b.id)},
            {"site": "abc", "severity": "'; drop", "sortby": "x", "filterby": "y"},
        ):
            response = self.url_open("/my/interventions", params=params)
            self.assertEqual(response.status_code, 200)
            self.assertIn(self.request_a.name, response.text)
            self.assertNotIn(self.request_b.name, response.text)
        self.assertEqual(
            self.url_open("/my/interventions/page/2").status_code, 200, "pager"
        )

    def test_request_page_own_and_foreign(self):
        response = self.url_open(f"/my/interventions/{self.request_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Our commitments", response.text)
        self.assertIn("Taken in charge", response.text)
        for url in (
            f"/my/interventions/{self.request_b.id}",
            f"/my/interventions/{self.request_b.id}?access_token=wrong",
            "/my/interventions/999999999",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Rival server down", response.text)

    def test_access_token_link_for_emails(self):
        token = self.request_b._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/interventions/{self.request_b.id}?access_token={token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Rival server down", response.text)
        self.assertIn(f"access_token={token}", self.request_b._get_share_url())

    def test_every_action_route_refuses_foreign_request(self):
        self._resolve(self.request_b)
        before = self._snapshot(self.request_b)
        routes = {
            "escalate": {"note": "hurry"},
            "confirm": {},
            "reopen": {"reason": "still broken"},
            "feedback": {"rate": "1", "remark": "bad"},
        }
        for route, data in routes.items():
            with self.subTest(route=route):
                response = self._post(
                    f"/my/interventions/{self.request_b.id}/{route}", **data
                )
                self.assertEqual(response.status_code, 404)
                self.assertEqual(self._snapshot(self.request_b), before)

    @mute_logger("odoo.http")
    def test_chatter_and_attachments_of_foreign_request(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "rival.txt",
                "raw": b"secret",
                "res_model": "intervention.request",
                "res_id": self.request_b.id,
            }
        )
        before = self._snapshot(self.request_b)
        response = self._chatter_post(self.request_b, "intrusion", subtype_xmlid=None)
        self.assertIn(response.status_code, (200, 403, 404))
        self.assertIn("error", response.json())
        self.assertEqual(self._snapshot(self.request_b), before)
        response = self.url_open(f"/web/content/{attachment.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(b"secret", response.content)
        # Posting on one's own request works and counts as the client's answer.
        response = self._chatter_post(self.request_a, "Any news?")
        self.assertNotIn("error", response.json())
        self.request_a.invalidate_recordset()
        self.assertTrue(self.request_a.date_last_client_message)

    def test_coverage_preview_refuses_foreign_ids(self):
        result = self.make_jsonrpc_request(
            "/my/interventions/coverage",
            {
                "contract_id": self.contract_b.id,
                "site_id": self.site_b.id,
                "equipment_id": self.equipment_b.id,
            },
        )
        # No verdict, and the errors say nothing of the other company's records.
        self.assertFalse(result["ready"])
        self.assertNotIn("covered", result)
        for record in (self.contract_b, self.site_b, self.equipment_b):
            self.assertNotIn(record.display_name, str(result))
        result = self.make_jsonrpc_request(
            "/my/interventions/coverage",
            {
                "contract_id": self.contract_a.id,
                "site_id": self.site_a.id,
                "equipment_id": self.equipment_a.id,
                "kind": "incident",
                "severity": "major",
            },
        )
        self.assertTrue(result["ready"])
        self.assertTrue(result["covered"])
        self.assertFalse(result["out_of_hours"])

    def test_export_own_requests_only(self):
        today = date.today()
        params = {
            "date_from": str(today - timedelta(days=7)),
            "date_to": str(today),
            "file_format": "csv",
        }
        response = self.url_open("/my/interventions/export", params=params)
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][0], "Reference")
        self.assertEqual([row[0] for row in rows[1:]], [self.request_a.name])
        self.assertIn("Time Spent (hours)", rows[0])
        params["file_format"] = "xlsx"
        response = self.url_open("/my/interventions/export", params=params)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        bad = self.url_open(
            "/my/interventions/export",
            params={"date_from": "2026-05-01", "date_to": "2026-04-01"},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("start before its end", bad.text)
        bad = self.url_open(
            "/my/interventions/export",
            params={"date_from": "yesterday", "date_to": "2026-04-01"},
        )
        self.assertEqual(bad.status_code, 400)

    def test_record_rules(self):
        env = self.env(user=self.portal_a)
        self.assertEqual(env["intervention.request"].search([]), self.request_a)
        self.assertEqual(env["intervention.contract"].search([]), self.contract_a)
        self.assertEqual(env["intervention.equipment"].search([]), self.equipment_a)
        sites = env["res.partner"].search([("type", "=", "other")])
        self.assertEqual(sites, self.site_a)
        for record in (self.request_b, self.contract_b, self.equipment_b):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.portal_a).check_access("read")
        with self.assertRaises(AccessError):
            self.request_a.with_user(self.portal_a).write({"summary": "changed"})
        with self.assertRaises(AccessError):
            env["intervention.request"].create({"summary": "direct"})

    def test_portal_user_not_logged_in_is_sent_to_login(self):
        self.authenticate(None, None)
        response = self.url_open("/my/interventions", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])


@tagged("post_install", "-at_install")
class TestPortalForm(InterventionPortalCommon):
    """G2: the creation form, validated on the server."""

    def setUp(self):
        super().setUp()
        self.authenticate("ir_portal_a", "ir_portal_a")

    def _submit(self, form, files=None):
        data = {"csrf_token": Request.csrf_token(self), **form}
        return self.url_open("/my/interventions/submit", data=data, files=files)

    def _requests_of(self, client):
        return self.env["intervention.request"].search([("partner_id", "=", client.id)])

    def test_form_offers_own_choices_only(self):
        text = self.url_open("/my/interventions/new").text
        self.assertIn(self.contract_a.name, text)
        self.assertIn(self.equipment_a.name, text)
        self.assertNotIn(self.contract_b.name, text)
        self.assertNotIn(self.equipment_b.name, text)
        self.assertNotIn(self.site_b.name, text)

    def test_create_request_with_attachment(self):
        before = self._requests_of(self.client_a)
        response = self._submit(
            self._form(),
            files=[("attachments", ("error.txt", b"E42 at 08:00", "text/plain"))],
        )
        self.assertEqual(response.status_code, 200)
        created = self._requests_of(self.client_a) - before
        self.assertEqual(len(created), 1)
        self.assertIn(created.name, response.text)
        self.assertEqual(created.channel, "portal")
        self.assertEqual(created.requester_id, self.contact_a)
        self.assertEqual(created.contract_id, self.contract_a)
        self.assertEqual(created.requester_phone, "+33 4 73 00 00 01")
        self.assertTrue(created.is_complete, created.missing_info)
        self.assertEqual(created.coverage_state, "covered")
        self.assertIn(self.contact_a, created.message_partner_ids)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", created._name), ("res_id", "=", created.id)]
        )
        self.assertEqual(created.message_ids.attachment_ids, attachment)
        self.assertEqual(attachment.name, "error.txt")
        self.assertEqual(attachment.raw, b"E42 at 08:00")

    def test_tampered_forms_create_nothing(self):
        cases = {
            "foreign contract": (
                {"contract_id": str(self.contract_b.id)},
                "Choose one of your contracts in force.",
            ),
            "foreign site": (
                {"site_id": str(self.site_b.id)},
                "Choose one of your sites.",
            ),
            "foreign equipment": (
                {"equipment_id": str(self.equipment_b.id)},
                "Choose the equipment or software affected.",
            ),
            "not an id": ({"contract_id": "1 OR 1=1"}, "contracts in force"),
            "missing subject": ({"summary": "  "}, "Give your request a subject."),
            "missing description": ({"description": ""}, "at least 10 characters"),
            "missing contact": (
                {"phone": "", "email": ""},
                "Give a phone number or an e-mail address",
            ),
            "bad e-mail": ({"email": "alice@"}, "Enter a valid e-mail address."),
            "bad phone": ({"phone": "<b>call</b>"}, "Enter a phone number"),
            "oversized subject": ({"summary": "x" * 201}, "200 characters at most"),
            "oversized description": (
                {"description": "x" * 10001},
                "10000 characters at most",
            ),
            "unknown kind": ({"kind": "hack"}, "Choose an incident or a change"),
            "unknown severity": ({"severity": "apocalyptic"}, "Choose a severity."),
            "several malfunctions": (
                {"single_malfunction": ""},
                "one request per malfunction",
            ),
        }
        before = self.env["intervention.request"].search_count([])
        for name, (values, message) in cases.items():
            with self.subTest(case=name):
                response = self._submit(self._form(**values))
                self.assertEqual(response.status_code, 200)
                self.assertIn("Your request was not sent", response.text)
                self.assertIn(message, response.text)
                # The other values are kept on the re-rendered form.
                kept = "Scanner offline" if "description" in name else "dock 3"
                self.assertIn(kept, response.text)
        self.assertEqual(self.env["intervention.request"].search_count([]), before)

    def test_too_many_attachments(self):
        files = [
            ("attachments", (f"f{index}.txt", b"x", "text/plain"))
            for index in range(11)
        ]
        before = self._requests_of(self.client_a)
        response = self._submit(self._form(), files=files)
        self.assertIn("Attach 10 files at most.", response.text)
        self.assertIn("attach your 11 file(s) again", response.text)
        self.assertEqual(self._requests_of(self.client_a), before)

    def test_attachment_limit_is_a_company_setting(self):
        """10 MB by default (seed); at 1 MB a 2 MB file is refused, saying
        the limit."""
        self.assertEqual(self.env.company.intervention_portal_max_attachment_mb, 10)
        self.env.company.intervention_portal_max_attachment_mb = 1
        files = [("attachments", ("scan.pdf", b"x" * 2 * 1024 * 1024, "text/plain"))]
        before = self._requests_of(self.client_a)
        response = self._submit(self._form(), files=files)
        self.assertIn("weigh 1 MB at most: scan.pdf", response.text)
        self.assertEqual(self._requests_of(self.client_a), before)

    def test_script_tags_are_stored_and_shown_as_text(self):
        payload = "<script>alert('x')</script> scanner broken"
        before = self._requests_of(self.client_a)
        self._submit(
            self._form(
                summary="<script>alert('s')</script>",
                description=payload,
                circumstances="<img src=x onerror=alert(1)>",
            )
        )
        created = self._requests_of(self.client_a) - before
        self.assertEqual(len(created), 1)
        self.assertNotIn("<script", str(created.description))
        self.assertIn("&lt;script&gt;", str(created.description))
        page = self.url_open(created.access_url).text
        self.assertNotIn("<script>alert(", page)
        self.assertNotIn("<img src=x", page)
        self.assertIn("&lt;script&gt;alert(", page)

    def test_not_covered_is_told_before_sending(self):
        new_printer = self.env["intervention.equipment"].create(
            {
                "name": "Printer bought yesterday",
                "partner_id": self.client_a.id,
                "site_id": self.site_a.id,
                "acquisition_date": date.today() - timedelta(days=1),
            }
        )
        before = self._requests_of(self.client_a)
        form = self._form(equipment_id=str(new_printer.id))
        response = self._submit(form)
        self.assertIn("Not covered by your contract", response.text)
        self.assertIn("Out of contract", response.text)
        self.assertIn("Send anyway", response.text)
        self.assertEqual(self._requests_of(self.client_a), before, "not sent yet")
        key = re.search(r'name="confirmed" value="([^"]+)"', response.text).group(1)
        # A confirmation given for other choices does not count.
        self._submit({**form, "confirmed": "1"})
        self._submit({**self._form(), "confirmed": key})
        self.assertEqual(len(self._requests_of(self.client_a) - before), 1)
        before = self._requests_of(self.client_a)
        self._submit({**form, "confirmed": key})
        created = self._requests_of(self.client_a) - before
        self.assertEqual(len(created), 1)
        self.assertEqual(created.coverage_state, "not_covered")
        self.assertTrue(created.is_billable)
        self.assertEqual(created.billable_cause, "out_of_contract")


@tagged("post_install", "-at_install")
class TestPortalActions(InterventionPortalCommon):
    """G3, D2, B7, F2: the client's actions through the routes."""

    def setUp(self):
        super().setUp()
        self.authenticate("ir_portal_a", "ir_portal_a")

    def _post(self, route, **data):
        return self.url_open(
            f"/my/interventions/{self.request_a.id}/{route}",
            data={"csrf_token": Request.csrf_token(self), **data},
        )

    def test_escalate_when_overdue(self):
        self.contract_a.support_manager_id = self.desk_user
        self.assertEqual(self.request_a.sla_status, "breached")
        page = self.url_open(self.request_a.access_url).text
        self.assertIn("Overdue", page)
        self.assertIn("Escalate", page)
        response = self._post("escalate", note="Dock 3 is stopped")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.request_a.portal_escalation_count, 1)
        activity = self.request_a.activity_ids
        self.assertEqual(activity.user_id, self.desk_user)
        message = self.request_a.message_ids[0]
        self.assertEqual(message.author_id, self.contact_a)
        self.assertIn("Dock 3 is stopped", message.body)
        self.assertTrue(self.request_a.awaiting_answer)
        # Twice the same day: refused, shown on the page, nothing logged.
        response = self._post("escalate", note="again")
        self.assertIn("at most once a day", response.text)
        self.assertEqual(self.request_a.portal_escalation_count, 1)

    def test_no_escalation_before_a_deadline_passes(self):
        self.request_a.action_receive()
        self.request_a.action_qualify()
        self.assertNotIn("Escalate", self.url_open(self.request_a.access_url).text)
        response = self._post("escalate")
        self.assertIn("once one of its deadlines has passed", response.text)
        self.assertEqual(self.request_a.portal_escalation_count, 0)

    def test_confirm_fix(self):
        self._resolve(self.request_a)
        self._post("confirm")
        self.assertEqual(self.request_a.state, "closed")
        self.assertEqual(self.request_a.message_ids[0].author_id, self.contact_a)
        response = self._post("confirm")
        self.assertIn("there is no fix to confirm", response.text)

    def test_reopen_within_window_only(self):
        self._resolve(self.request_a)
        response = self._post("reopen", reason="   ")
        self.assertIn("Tell us why", response.text)
        self.assertEqual(self.request_a.state, "resolved")
        self._post("reopen", reason="Jams again after 10 labels")
        self.assertEqual(self.request_a.state, "reopened")
        self.assertTrue(
            self.request_a.message_ids.filtered(
                lambda m: "Jams again" in m.body and m.author_id == self.contact_a
            )
        )

    def test_reopen_refused_after_window(self):
        self._resolve(self.request_a)
        # Resolved 6 days ago (as an import of history would record it).
        self.request_a.with_context(intervention_history_import=True).date_resolved = (
            fields.Datetime.now() - timedelta(days=6)
        )
        self.assertNotIn(
            "o_intervention_reopen", self.url_open(self.request_a.access_url).text
        )
        response = self._post("reopen", reason="Back again")
        self.assertIn("reopen window", response.text)
        self.assertEqual(self.request_a.state, "resolved")

    def test_feedback_within_eight_days(self):
        self._resolve(self.request_a)
        page = self.url_open(self.request_a.access_url).text
        self.assertIn("How satisfied are you with our service?", page)
        response = self._post("feedback", rate="9")
        self.assertIn("Choose how satisfied you are.", response.text)
        self._post("feedback", rate="5", remark="Quick and clear")
        rating = self.request_a.sudo().rating_ids.filtered("consumed")
        self.assertEqual(rating.mapped("rating"), [5.0])
        self.assertEqual(rating.feedback, "Quick and clear")
        self.assertEqual(rating.partner_id, self.contact_a)
        self.assertEqual(self.request_a.state, "resolved", "feedback does not reopen")
        page = self.url_open(self.request_a.access_url).text
        self.assertIn("Quick and clear", page)
        # Resolved 9 days ago (as an import of history would record it).
        self.request_a.with_context(intervention_history_import=True).date_resolved = (
            fields.Datetime.now() - timedelta(days=9)
        )
        response = self._post("feedback", rate="1")
        self.assertIn("was open for 8 days after its resolution", response.text)
        self.assertEqual(rating.rating, 5.0)

    @mute_logger("odoo.http")
    def test_actions_need_csrf_token(self):
        self._resolve(self.request_a)
        response = self.url_open(
            f"/my/interventions/{self.request_a.id}/confirm", data={"x": "1"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.request_a.state, "resolved")
