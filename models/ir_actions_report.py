from lxml import etree

from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml

# The addon's PDF reports: the intervention report and the compliance statement.
REPORT_NAMES = {
    "intervention_request.report_intervention_request",
    "intervention_request.report_compliance_statement",
}
# Odoo's test for "div whose class list holds NAME" (ir.actions.report).
HAS_CLASS = "//div[contains(concat(' ', normalize-space(@class), ' '), ' {} ')]"
# This build draws the web fonts (Lato, Noto) as shapes: a PDF without text
# that no one can search or copy. Installed fonts stay text (the set-up
# installs fonts-liberation; fontconfig brings DejaVu).
SYSTEM_FONTS_CSS = (
    ".article, .article *:not(.fa) {font-family: 'Liberation Sans', Arial, "
    "Helvetica, 'DejaVu Sans', sans-serif !important;}"
)


class IrActionsReport(models.Model):
    """The addon's reports (``REPORT_NAMES``) with Debian's wkhtmltopdf
    (0.12.6 without patched Qt), which the set-up installs. That build
    ignores the separate header and footer pages Odoo gives it
    (--header-html, --footer-html) and fails on several documents in one
    call. For these reports only, when Qt
    is not patched: the company's header and footer stay in the page (top and
    bottom of each document) and a selection of documents is rendered
    one at a time, then merged by Odoo as usual. With the patched
    build (wkhtmltopdf.org packages) Odoo's own path runs unchanged."""

    _inherit = "ir.actions.report"

    def _ir_unpatched_qt(self, report_ref):
        return (
            not _wkhtml().is_patched_qt
            and self._get_report(report_ref).report_name in REPORT_NAMES
        )

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        if not (res_ids and len(res_ids) > 1 and self._ir_unpatched_qt(report_ref)):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        streams = {}
        for res_id in res_ids:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data), res_ids=[res_id]
                )
            )
        return streams

    def _prepare_html(self, html, report_model=False):
        if self.report_name not in REPORT_NAMES or _wkhtml().is_patched_qt:
            return super()._prepare_html(html, report_model=report_model)
        return super()._prepare_html(self._ir_inline_header_footer(html), report_model)

    @staticmethod
    def _ir_inline_header_footer(html):
        """Move each document's header and footer into its article, where
        Odoo does not take them out for the separate pages (the page counter
        of the footer only works on those pages: it goes), and print the
        article in installed fonts."""
        root = etree.fromstring(html, parser=etree.HTMLParser(encoding="utf-8"))
        for article in root.xpath(HAS_CLASS.format("article")):
            style = etree.Element("style")
            style.text = SYSTEM_FONTS_CSS
            article.insert(0, style)
            header = article.getprevious()
            if header is not None and "header" in header.get("class", "").split():
                header.set(
                    "class", header.get("class").replace("header", "o_ir_header")
                )
                article.insert(1, header)
            footer = article.getnext()
            if footer is not None and "footer" in footer.get("class", "").split():
                footer.set(
                    "class", footer.get("class").replace("footer", "o_ir_footer")
                )
                for counter in footer.xpath(".//span[@class='page']/.."):
                    counter.getparent().remove(counter)
                article.append(footer)
        return etree.tostring(root, method="html", encoding="utf-8")

    def _run_wkhtmltopdf(
        self, bodies, report_ref=False, header=None, footer=None, **kwargs
    ):
        report = self
        if report_ref and self._ir_unpatched_qt(report_ref):
            # This build ignores the header and footer pages (and warns about
            # each): none, and the page margins they needed go too.
            header = footer = None
            kwargs["specific_paperformat_args"] = {
                **(kwargs.get("specific_paperformat_args") or {}),
                "data-report-margin-top": 10,
                "data-report-margin-bottom": 10,
            }
            report = self.with_context(ir_no_header_spacing=True)
        return super(IrActionsReport, report)._run_wkhtmltopdf(
            bodies, report_ref=report_ref, header=header, footer=footer, **kwargs
        )

    def _build_wkhtmltopdf_args(self, *args, **kwargs):
        command_args = super()._build_wkhtmltopdf_args(*args, **kwargs)
        if self.env.context.get("ir_no_header_spacing") and (
            "--header-spacing" in command_args
        ):
            index = command_args.index("--header-spacing")
            del command_args[index : index + 2]
        return command_args
