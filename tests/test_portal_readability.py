from datetime import datetime

from lxml import html

from odoo.tests import freeze_time, tagged

from .portal_procedure_common import MONDAY_1000, InterventionPortalProcedureCommon

# Saturday 14 March 2026, 11:00 in Paris: out of the Mon-Fri 9-18 hours.
SATURDAY_1100 = "2026-03-14 10:00:00"


@tagged("post_install", "-at_install")
class TestPortalReadability(InterventionPortalProcedureCommon):
    """What the client reads on the portal (issue 18, point 5): a list whose
    columns stay in place, a form that flags an asset of another site before
    sending, and a request page that tells the truth about holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_site = cls.env["res.partner"].create(
            {"name": "Vendredi shop", "parent_id": cls.client.id, "type": "other"}
        )
        cls.shop_till = cls.env["intervention.equipment"].create(
            {
                "name": "Shop till",
                "partner_id": cls.client.id,
                "site_id": cls.other_site.id,
                "acquisition_date": datetime(2025, 6, 1).date(),
            }
        )

    def _rows(self, page_text):
        """{reference: [cell texts]} of the list, and the header texts."""
        tree = html.fromstring(page_text)
        header = [th.text_content().strip() for th in tree.xpath("//thead//th")]
        rows = {}
        for row in tree.xpath("//tr[contains(@class, 'o_intervention_row')]"):
            cells = [td.text_content().strip() for td in row.xpath("./td")]
            rows[cells[0]] = cells
        return header, rows

    def _coverage(self, **values):
        response = self.url_open(
            "/my/interventions/coverage",
            json={"params": {"kind": "incident", "severity": "major", **values}},
        )
        return response.json()["result"]

    def _page(self, request):
        return self.url_open(f"/my/interventions/{request.id}").text

    def test_list_keeps_its_columns_without_site(self):
        without_site = self.env["intervention.request"].create(
            {
                "requester_id": self.contact.id,
                "contract_id": self.contract.id,
                "summary": "Network down everywhere",
                "description": "<p>No site in particular.</p>",
                "channel": "phone",
                "severity": "blocking",
            }
        )
        with_site = self.env["intervention.request"].create(
            {
                "requester_id": self.contact.id,
                "contract_id": self.contract.id,
                "site_id": self.site.id,
                "summary": "Workshop printer",
                "description": "<p>Jams.</p>",
                "channel": "phone",
            }
        )
        self._login_client()
        header, rows = self._rows(self.url_open("/my/interventions").text)
        for request in (without_site, with_site):
            self.assertEqual(len(rows[request.name]), len(header), request.summary)
        columns = dict(zip(header, rows[without_site.name], strict=True))
        self.assertEqual(columns["Site"], "")
        self.assertEqual(columns["Severity"], "Blocking")
        self.assertEqual(columns["Subject"], "Network down everywhere")
        columns = dict(zip(header, rows[with_site.name], strict=True))
        self.assertEqual(columns["Site"], "Vendredi workshop")

    def test_form_flags_an_asset_of_another_site_before_sending(self):
        self._login_client()
        mismatch = self._coverage(
            contract_id=str(self.contract.id),
            site_id=str(self.site.id),
            equipment_id=str(self.shop_till.id),
        )
        self.assertFalse(mismatch["ready"])
        self.assertIn("Shop till", mismatch["errors"]["equipment_id"])
        self.assertIn("Vendredi shop", mismatch["errors"]["equipment_id"])
        # A field not chosen yet is not an error to show.
        partial = self._coverage(
            contract_id=str(self.contract.id), site_id=str(self.site.id)
        )
        self.assertEqual(partial, {"ready": False, "errors": {}})
        consistent = self._coverage(
            contract_id=str(self.contract.id),
            site_id=str(self.other_site.id),
            equipment_id=str(self.shop_till.id),
        )
        self.assertTrue(consistent["ready"])
        self.assertEqual(consistent["errors"], {})
        # Sending anyway is refused by the server with the same message.
        response, created = self._client_submit(
            self._client_form(equipment_id=str(self.shop_till.id))
        )
        self.assertFalse(created)
        self.assertIn("Shop till", response.text)

    def test_page_after_hours_hold_ends_and_client_answers(self):
        """Sent on Saturday: on hold until Monday 9:00. On Monday the clock
        runs again; the client's message changes nothing to that, and the
        timeline never announces a hold end that has not happened."""
        with freeze_time(SATURDAY_1100):
            self._login_client()
            _response, request = self._client_submit(self._client_form())
            page = self._page(request)
        self.assertIn("On hold (waiting for you or out of hours)", page)
        self.assertNotIn("Hold ended", page, "Monday 9:00 is still to come")
        cron = self.env.ref("intervention_request.ir_cron_sla_statuses")
        with freeze_time(MONDAY_1000):
            cron.method_direct_trigger()
            self.env.invalidate_all()
            self.assertEqual(request.sla_badge_status, "on_time")
            self._login_client()
            self._chatter_post(request, "Still down this morning.")
            page = self._page(request)
        self.assertNotIn("On hold (waiting for you or out of hours)", page)
        self.assertIn("On schedule", page)
        self.assertIn("Hold ended", page)

    def test_page_after_the_client_answers_a_question(self):
        request = self.env["intervention.request"].create(
            {
                "requester_id": self.contact.id,
                "contract_id": self.contract.id,
                "site_id": self.site.id,
                "equipment_id": self.server.id,
                "summary": "Server slow",
                "description": "<p>Slow since Monday.</p>",
                "channel": "phone",
                "date_received": datetime(2026, 3, 16, 9, 0),
            }
        )
        with freeze_time(MONDAY_1000):
            request.action_receive()
            request.action_qualify()
            request.action_wait("client_info")
            self._login_client()
            self.assertIn("On hold (waiting for you", self._page(request))
        with freeze_time("2026-03-16 13:00:00"):
            self._login_client()
            self._chatter_post(request, "Here is the log you asked for.")
            page = self._page(request)
        self.env.invalidate_all()
        self.assertEqual(request.state, "qualified", "the answer resumes it")
        self.assertNotIn("On hold (waiting for you or out of hours)", page)
        self.assertIn("Hold ended", page)
