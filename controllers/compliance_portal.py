from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

MODEL = "intervention.compliance.statement"


class CompliancePortal(CustomerPortal):
    """The client's monthly compliance statements in the customer portal
    (I3): a list by contract and month, a page and the PDF. Record rules
    show a portal user the statements sent for their own company's
    contracts; another company's statement answers 404."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "compliance_count" in counters:
            Statement = request.env[MODEL]
            values["compliance_count"] = (
                Statement.search_count([]) if Statement.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/compliance", "/my/compliance/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_compliance_statements(self, page=1, contract=None, **kw):
        Statement = request.env[MODEL]
        contracts = Statement.search([]).contract_id
        domain = Domain.TRUE
        selected = contracts.filtered(lambda c: str(c.id) == str(contract))
        if selected:
            domain &= Domain("contract_id", "=", selected.id)
        total = Statement.search_count(domain)
        pager = portal_pager(
            url="/my/compliance",
            url_args={"contract": contract},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        statements = Statement.search(
            domain,
            order="contract_id, period_start desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_compliance_history"] = statements.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            statements=statements,
            contracts=contracts,
            contract=selected,
            pager=pager,
            page_name="compliance",
            default_url="/my/compliance",
        )
        return request.render(
            "intervention_request.portal_my_compliance_statements", values
        )

    @http.route(
        ["/my/compliance/<int:statement_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_compliance_statement(
        self, statement_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            statement = self._document_check_access(MODEL, statement_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=statement,
                report_type=report_type,
                report_ref="intervention_request.action_report_compliance_statement",
                download=download,
            )
        values = self._prepare_portal_layout_values()
        values.update(statement=statement, page_name="compliance", o=statement)
        values = self._get_page_view_values(
            statement, access_token, values, "my_compliance_history", False, **kw
        )
        return request.render(
            "intervention_request.portal_my_compliance_statement", values
        )
