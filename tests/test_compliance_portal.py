from datetime import date

from odoo.tests import tagged

from .portal_common import InterventionPortalCommon


@tagged("post_install", "-at_install")
class TestCompliancePortal(InterventionPortalCommon):
    """I3 in the portal: a client's contacts read the compliance statements
    sent for their own company's contracts, by contract and month, and
    download the PDF; drafts and other companies' statements answer 404."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Statement = cls.env["intervention.compliance.statement"]
        month = date.today().replace(day=1)
        cls.statement_a = Statement.create(
            {"contract_id": cls.contract_a.id, "period_start": month}
        )
        cls.statement_b = Statement.create(
            {"contract_id": cls.contract_b.id, "period_start": month}
        )
        (cls.statement_a | cls.statement_b).write({"state": "sent"})
        cls.draft_a = Statement.create(
            {"contract_id": cls.contract_a.id, "period_start": date(2020, 1, 1)}
        )

    def setUp(self):
        super().setUp()
        self.authenticate("ir_portal_a", "ir_portal_a")

    def test_home_counter(self):
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["compliance_count"]}
        )
        # The sent statement of A only: not the draft, not B's.
        self.assertEqual(response["compliance_count"], 1)
        home = self.url_open("/my/home")
        self.assertIn("/my/compliance", home.text)

    def test_list_by_contract_and_month(self):
        response = self.url_open("/my/compliance")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.contract_a.name, response.text)
        self.assertIn(self.statement_a.period_start.strftime("%m/%Y"), response.text)
        self.assertNotIn(self.contract_b.name, response.text)
        self.assertNotIn("01/2020", response.text)
        filtered = self.url_open(
            "/my/compliance", params={"contract": self.contract_b.id}
        )
        self.assertNotIn(self.contract_b.name, filtered.text)

    def test_page_own_and_foreign(self):
        response = self.url_open(f"/my/compliance/{self.statement_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Commitments", response.text)
        self.assertIn("Download PDF", response.text)
        for statement in (self.statement_b, self.draft_a):
            for suffix in ("", "?report_type=pdf&download=true", "?access_token=x"):
                with self.subTest(statement=statement.name, suffix=suffix):
                    response = self.url_open(f"/my/compliance/{statement.id}{suffix}")
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(self.contract_b.name, response.text)

    def test_pdf_download(self):
        response = self.url_open(
            f"/my/compliance/{self.statement_a.id}?report_type=pdf&download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])

    def test_other_client_user(self):
        self.authenticate("ir_portal_b", "ir_portal_b")
        response = self.url_open(f"/my/compliance/{self.statement_a.id}")
        self.assertEqual(response.status_code, 404)
        listing = self.url_open("/my/compliance")
        self.assertIn(self.contract_b.name, listing.text)
        self.assertNotIn(self.contract_a.name, listing.text)

    def test_record_rules(self):
        Statement = self.env["intervention.compliance.statement"]
        self.assertEqual(
            Statement.with_user(self.portal_a).search([]), self.statement_a
        )
        lines = self.env["intervention.compliance.statement.line"].with_user(
            self.portal_b
        )
        self.assertFalse(
            lines.search(
                [("statement_id", "in", (self.statement_a | self.draft_a).ids)]
            )
        )
