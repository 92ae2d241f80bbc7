from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .portal_common import InterventionPortalCommon
from .test_report import pdf_text

REPORT_NAME = "intervention_request.report_intervention_request"


@tagged("post_install", "-at_install")
class TestReportPdfOverHttp(InterventionPortalCommon):
    """The intervention report as a real PDF where users get it: Print in the
    backend (/report/pdf) and the download button of the client's portal
    page. Another client's user gets no report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The report's style sheets, built once here: wkhtmltopdf fetches
        # them through read-only requests, which cannot build them under test.
        for bundle in ("web.report_assets_common", "web.report_assets_pdf"):
            cls.env["ir.qweb"]._get_asset_bundle(
                bundle, js=False, autoprefix=True
            ).css()

    @contextmanager
    def _real_pdf(self):
        """Under test Odoo answers HTML in place of the PDF unless the
        context forces the rendering: force it for the requests made here."""
        Report = type(self.env["ir.actions.report"])
        original = Report._pre_render_qweb_pdf

        def forced(report, *args, **kwargs):
            return original(
                report.with_context(force_report_rendering=True), *args, **kwargs
            )

        with patch.object(Report, "_pre_render_qweb_pdf", forced):
            yield

    def _assert_pdf_of(self, response, request):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        text = pdf_text(response.content)
        self.assertIn(f"Intervention Report {request.name}", text)
        self.assertIn(request.summary, text)
        self.assertIn(request.partner_id.name, text)
        return text

    def test_backend_print(self):
        new_test_user(
            self.env,
            login="ir_report_desk",
            groups="intervention_request.group_intervention_user",
        )
        self.authenticate("ir_report_desk", "ir_report_desk")
        with self._real_pdf():
            response = self.url_open(f"/report/pdf/{REPORT_NAME}/{self.request_a.id}")
        self._assert_pdf_of(response, self.request_a)

    def test_backend_print_several_requests(self):
        """Print on a selection of requests: one PDF with every report (the
        Debian wkhtmltopdf, without patched Qt, renders them one by one)."""
        new_test_user(
            self.env,
            login="ir_report_desk",
            groups="intervention_request.group_intervention_user",
        )
        self.authenticate("ir_report_desk", "ir_report_desk")
        ids = f"{self.request_a.id},{self.request_b.id}"
        with self._real_pdf():
            response = self.url_open(f"/report/pdf/{REPORT_NAME}/{ids}")
        text = self._assert_pdf_of(response, self.request_a)
        self.assertIn(f"Intervention Report {self.request_b.name}", text)

    def test_portal_download_own_request(self):
        self.authenticate("ir_portal_a", "ir_portal_a")
        page = self.url_open(self.request_a.access_url).text
        link = f"/my/interventions/{self.request_a.id}/report"
        self.assertIn(link, page)
        with self._real_pdf():
            response = self.url_open(link)
        self._assert_pdf_of(response, self.request_a)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(".pdf", response.headers["Content-Disposition"])

    def test_portal_download_with_access_token(self):
        """The link of the e-mails (access token) downloads without signing in."""
        token = self.request_b._portal_ensure_token()
        with self._real_pdf():
            response = self.url_open(
                f"/my/interventions/{self.request_b.id}/report?access_token={token}"
            )
        self._assert_pdf_of(response, self.request_b)

    @mute_logger("odoo.http")
    def test_portal_download_refused_to_other_client(self):
        self.authenticate("ir_portal_b", "ir_portal_b")
        with self._real_pdf():
            for url in (
                f"/my/interventions/{self.request_a.id}/report",
                f"/my/interventions/{self.request_a.id}/report?access_token=wrong",
                "/my/interventions/999999999/report",
            ):
                with self.subTest(url=url):
                    response = self.url_open(url)
                    self.assertIn(response.status_code, (403, 404))
                    self.assertNotIn(b"%PDF", response.content[:10])
                    self.assertNotIn("Printer jams", response.text)
            # Odoo's own report route refuses a portal user too.
            response = self.url_open(f"/report/pdf/{REPORT_NAME}/{self.request_a.id}")
            self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
