from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.request_lifecycle import FINAL_STATES
from ..tools import spreadsheet

MODEL = "intervention.request"
# Fields of the creation form the template gives back when it is re-rendered.
FORM_FIELDS = (
    "contract_id",
    "site_id",
    "equipment_id",
    "kind",
    "severity",
    "summary",
    "description",
    "circumstances",
    "phone",
    "email",
    "single_malfunction",
)
# What a row of the list shows: read in one query for the page's rows,
# rather than every prefetchable column of the request (texts, HTML).
LIST_FIELDS = (
    "name",
    "summary",
    "site_id",
    "severity",
    "date_received",
    "sla_next_deadline",
    "state",
)
# What the list reads of the client's addresses: their names as Odoo
# composes them ("Company, Site") and the company's salesperson.
SITE_FIELDS = (
    "display_name",
    "name",
    "type",
    "parent_id",
    "is_company",
    "company_name",
    "commercial_company_name",
    "user_id",
)
# What the request page shows of the request (and what its methods read):
# read in one query, rather than every prefetchable column of the request.
PAGE_FIELDS = (
    "name",
    "state",
    "severity",
    "kind",
    "summary",
    "description",
    "circumstances",
    "coverage_state",
    "coverage_message",
    "contract_id",
    "site_id",
    "equipment_id",
    "user_id",
    "company_id",
    "partner_id",
    "requester_id",
    "access_token",
    "cause",
    "resolution",
    "date_received",
    "date_acknowledged",
    "date_qualified",
    "date_onsite_assigned",
    "date_onsite_arrival",
    "date_workaround",
    "date_resolved",
    "date_reopened",
    "date_closed",
    "date_reopen_deadline",
    "date_portal_escalated",
    "terms_required",
    "terms_accepted",
    "terms_accepted_by_id",
    "terms_accepted_date",
    "terms_acceptance_channel",
    "terms_accepted_text",
    "terms_summary",
)
STATE_FILTERS = {
    "open": ("new", "received", "qualified", "in_progress", "onsite", "workaround"),
    "waiting": ("waiting",),
    "reopened": ("reopened",),
    "resolved": ("resolved",),
    "closed": FINAL_STATES,
}


class InterventionPortal(CustomerPortal):
    """The client's intervention requests in Odoo's customer portal (G1-G5).

    Thin routes: check access (``_document_check_access``: record rules or
    the access token), call one model method, render. A request another
    company owns answers 404 whatever the route."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "intervention_count" in counters:
            Request = request.env[MODEL]
            values["intervention_count"] = (
                Request.search_count([]) if Request.has_access("read") else 0
            )
        return values

    @staticmethod
    def _intervention_prefetch_layout():
        """What the portal layout shows of the company (its name, in the
        header and footer) and of the user (name, time zone, salesperson):
        read alone rather than every column of the company (120, with
        accounting and settings) and of the contact at the layout's first
        read."""
        request.env.company.sudo().fetch(["name"])
        request.env.user.partner_id.sudo().fetch(
            ["name", "tz", "commercial_partner_id", "user_id"]
        )

    # ------------------------------------------------------------------
    # List (G1)
    # ------------------------------------------------------------------
    def _intervention_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "date_received desc, id desc"},
            "name": {"label": env._("Reference"), "order": "name desc"},
            "severity": {"label": env._("Severity"), "order": "severity, id desc"},
            "state": {"label": env._("Status"), "order": "state, id desc"},
            "deadline": {"label": env._("Next deadline"), "order": "sla_next_deadline"},
        }

    def _intervention_searchbar_filters(self):
        env = request.env
        labels = {
            "open": env._("In progress"),
            "waiting": env._("Waiting for you"),
            "reopened": env._("Reopened"),
            "resolved": env._("Resolved"),
            "closed": env._("Closed"),
        }
        filters = {"all": {"label": env._("All"), "domain": []}}
        for key, states in STATE_FILTERS.items():
            filters[key] = {"label": labels[key], "domain": [("state", "in", states)]}
        return filters

    def _intervention_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in all")},
            "name": {"input": "name", "label": env._("Search in reference")},
            "summary": {"input": "summary", "label": env._("Search in subject")},
        }

    def _intervention_search_domain(self, search_in, search):
        if not search:
            return Domain.TRUE
        if search_in == "name":
            return Domain("name", "ilike", search)
        if search_in == "summary":
            return Domain("summary", "ilike", search)
        return Domain("name", "ilike", search) | Domain("summary", "ilike", search)

    @http.route(
        ["/my/interventions", "/my/interventions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_interventions(
        self,
        page=1,
        sortby="date",
        filterby="all",
        severity="all",
        site="all",
        search=None,
        search_in="all",
        **kw,
    ):
        Request = request.env[MODEL]
        self._intervention_prefetch_layout()
        sortings = self._intervention_searchbar_sortings()
        filters = self._intervention_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = Domain(filters[filterby]["domain"]) & (
            self._intervention_search_domain(search_in, search)
        )
        severities = dict(
            Request._fields["severity"]._description_selection(request.env)
        )
        if severity in severities:
            domain &= Domain("severity", "=", severity)
        sites = Request._portal_sites()
        # What their names and the layout's sales contact (the company's
        # salesperson) read, rather than every column of the addresses.
        sites.fetch(SITE_FIELDS)
        site_record = Request._portal_pick(site if site != "all" else 0, sites)
        if site_record:
            domain &= Domain("site_id", "=", site_record.id)
        total = Request.search_count(domain)
        pager = portal_pager(
            url="/my/interventions",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "severity": severity,
                "site": site,
                "search": search,
                "search_in": search_in,
            },
            total=total,
            page=page,
            step=self._items_per_page,
        )
        interventions = Request.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_interventions_history"] = interventions.ids[:100]
        # Searched as the user (record rules), read as superuser: the rows
        # are the user's own, and sudo reads skip the rule checks again.
        interventions = interventions.sudo()
        interventions.fetch(LIST_FIELDS)
        interventions.site_id.fetch(["name"])
        values = self._prepare_portal_layout_values()
        values.update(
            interventions=interventions,
            # The rows' labels and dates, as t-field would show them, without
            # t-field's lookups for each of the 80 rows (field description,
            # language, time zone).
            labels=Request._portal_selection_labels("state"),
            portal_datetime=Request._portal_datetime_formatter(),
            page_name="intervention",
            default_url="/my/interventions",
            pager=pager,
            searchbar_sortings=sortings,
            searchbar_filters=filters,
            searchbar_inputs=self._intervention_searchbar_inputs(),
            sortby=sortby,
            filterby=filterby,
            search=search,
            search_in=search_in,
            severity=severity,
            severities=severities,
            site=site,
            sites=sites,
            site_record=site_record,
            today=fields.Date.context_today(Request),
        )
        return request.render("intervention_request.portal_my_interventions", values)

    # ------------------------------------------------------------------
    # Request page (G3)
    # ------------------------------------------------------------------
    def _intervention_check(self, request_id, access_token=None):
        """The request as superuser if the user may read it (rules or token),
        acting as the current user; None otherwise.

        A signed-in user's read is checked by a search: the record rules in
        its SQL, rather than Odoo's check (``_document_check_access``), which
        reads the request's 90-odd columns and evaluates the rules in
        Python. The access token is checked as Odoo does, the search
        finding nothing. Then only what the page shows is read."""
        Request = request.env[MODEL]
        intervention = Request.browse()
        if not request.env.user._is_public():
            try:
                intervention = Request.search([("id", "=", request_id)])
            except AccessError:
                intervention = Request.browse()
        if not intervention:
            try:
                document = self._document_check_access(MODEL, request_id, access_token)
            except (AccessError, MissingError):
                return None
            intervention = document.with_user(request.env.user)
        intervention = intervention.sudo()
        intervention.fetch(PAGE_FIELDS)
        return intervention

    def _intervention_page(self, intervention, access_token=None, **kw):
        # As Odoo's own record pages (invoice, order), not the layout values
        # of the lists: their sales contact shows only in the account's side
        # panel, which a record page does not have.
        # The records the page names, their names alone (not every column of
        # a contact or a contract), and the layout's company name.
        intervention.contract_id.fetch(["name"])
        (intervention.site_id | intervention.terms_accepted_by_id).fetch(["name"])
        intervention.equipment_id.fetch(["display_name"])
        intervention.user_id.fetch(["name"])
        intervention.company_id.fetch(
            ["name", "intervention_reopen_days", "intervention_feedback_days"]
        )
        self._intervention_prefetch_layout()
        targets = intervention._portal_sla_targets()
        values = dict(
            intervention=intervention,
            page_name="intervention",
            labels=intervention._portal_selection_labels(
                "state", "severity", "kind", "terms_acceptance_channel"
            ),
            portal_datetime=intervention._portal_datetime_formatter(),
            deadlines=intervention._portal_deadlines(targets),
            timeline=intervention._portal_timeline(),
            can_escalate=intervention._portal_can_escalate(targets=targets),
            can_reopen=intervention.state == "resolved"
            and intervention._within_reopen_window(),
            can_answer_terms=intervention._portal_can_answer_terms(),
            terms_key=intervention._terms_key(),
            action_error=kw.get("action_error"),
            **intervention._portal_rating_values(),
        )
        values = self._get_page_view_values(
            intervention, access_token, values, "my_interventions_history", False, **kw
        )
        return request.render("intervention_request.portal_my_intervention", values)

    @http.route(
        ["/my/interventions/<int:request_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_intervention(self, request_id, access_token=None, **kw):
        intervention = self._intervention_check(request_id, access_token)
        if intervention is None:
            raise request.not_found()
        intervention._portal_message_attachments().generate_access_token()
        return self._intervention_page(intervention, access_token, **kw)

    @http.route(
        "/my/interventions/<int:request_id>/report",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def portal_intervention_report(self, request_id, access_token=None, **kw):
        """The intervention report as a PDF file (Odoo's ``_show_report``, as
        sale and project do), for the client who may read the request."""
        intervention = self._intervention_check(request_id, access_token)
        if intervention is None:
            raise request.not_found()
        return self._show_report(
            model=intervention,
            report_type="pdf",
            report_ref="intervention_request.action_report_intervention_request",
            download=True,
        )

    def _intervention_action(self, request_id, access_token, method, *args):
        """Run a client action on a request the user may access, then show
        the request (with the refusal when the action was refused)."""
        intervention = self._intervention_check(request_id, access_token)
        if intervention is None:
            raise request.not_found()
        try:
            getattr(intervention, method)(*args)
        except UserError as error:
            return self._intervention_page(
                intervention, access_token, action_error=error.args[0]
            )
        url = intervention.access_url
        if access_token:
            url += f"?access_token={access_token}"
        return request.redirect(url)

    @http.route(
        "/my/interventions/<int:request_id>/escalate",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_escalate(self, request_id, access_token=None, **post):
        return self._intervention_action(
            request_id, access_token, "_portal_escalate", post.get("note", "")
        )

    @http.route(
        "/my/interventions/<int:request_id>/confirm",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_confirm(self, request_id, access_token=None, **post):
        return self._intervention_action(
            request_id, access_token, "_portal_confirm_fix"
        )

    @http.route(
        "/my/interventions/<int:request_id>/reopen",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_reopen(self, request_id, access_token=None, **post):
        return self._intervention_action(
            request_id, access_token, "_portal_reopen", post.get("reason", "")
        )

    # The rating (B7): a requester without an account rates from the
    # e-mail's link, hence auth="public" (the access token or the record
    # rules decide, as for the page itself).
    @http.route(
        "/my/interventions/<int:request_id>/feedback",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_feedback(self, request_id, access_token=None, **post):
        return self._intervention_action(
            request_id,
            access_token,
            "_portal_rate",
            post.get("rate", ""),
            post.get("remark", ""),
        )

    # Terms of an out-of-contract request (H2): a requester without an
    # account answers from the e-mail's link, hence auth="public" (the access
    # token or the record rules decide, as for the page itself).
    @http.route(
        "/my/interventions/<int:request_id>/terms/accept",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_terms_accept(self, request_id, access_token=None, **post):
        return self._intervention_action(
            request_id, access_token, "_portal_accept_terms", post.get("terms_key")
        )

    @http.route(
        "/my/interventions/<int:request_id>/terms/decline",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_terms_decline(self, request_id, access_token=None, **post):
        return self._intervention_action(
            request_id,
            access_token,
            "_portal_decline_terms",
            post.get("terms_key"),
            post.get("reason", ""),
        )

    # ------------------------------------------------------------------
    # Creation form (G2)
    # ------------------------------------------------------------------
    def _intervention_form_page(self, form, errors=None, preview=None, files=0):
        Request = request.env[MODEL]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="intervention_new",
            choices=Request._portal_form_choices(),
            form=form,
            errors=errors or {},
            preview=preview,
            files_dropped=files,
            confirm_key=self._confirm_key(form),
        )
        return request.render("intervention_request.portal_intervention_new", values)

    @staticmethod
    def _confirm_key(form):
        """What the client confirmed "send anyway" for: a confirmation given
        for other choices (edited after the notice) does not count."""
        return "-".join(
            str(form.get(key) or "")
            for key in ("contract_id", "site_id", "equipment_id", "kind")
        )

    @http.route(
        "/my/interventions/new",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_intervention_new(self, **kw):
        partner = request.env.user.partner_id
        form = {"phone": partner.phone or "", "email": partner.email or ""}
        return self._intervention_form_page(form)

    @http.route(
        "/my/interventions/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_submit(self, **post):
        form = {key: post.get(key) or "" for key in FORM_FIELDS}
        files = [
            (upload.filename, upload.read(), upload.mimetype)
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        result = request.env[MODEL]._portal_submit(
            form, files, confirmed=post.get("confirmed") == self._confirm_key(form)
        )
        if not result["request"]:
            return self._intervention_form_page(
                form, result["errors"], result["preview"], len(files)
            )
        return request.redirect(result["request"].access_url)

    @http.route(
        "/my/interventions/coverage",
        type="jsonrpc",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_intervention_coverage(self, **form):
        """The coverage verdict of the form as it stands, without creating:
        the form's script shows it before the client sends. Until the
        contract, site and equipment are chosen and consistent there is no
        verdict; the errors of those already chosen (an asset installed at
        another site) come back for the form to mark them at once."""
        Request = request.env[MODEL]
        vals, errors = Request._portal_validate_form(
            {**form, "single_malfunction": "1"}
        )
        scope = ("contract_id", "site_id", "equipment_id")
        if set(scope) & set(errors):
            chosen = {f: errors[f] for f in scope if f in errors and form.get(f)}
            return {"ready": False, "errors": chosen}
        return {"ready": True, "errors": {}, **Request._portal_coverage_preview(vals)}

    # ------------------------------------------------------------------
    # Export (G4)
    # ------------------------------------------------------------------
    @http.route(
        "/my/interventions/export",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_intervention_export(
        self, date_from=None, date_to=None, file_format="xlsx", **kw
    ):
        Request = request.env[MODEL]
        try:
            start = fields.Date.to_date(date_from)
            stop = fields.Date.to_date(date_to)
            header, rows = Request._portal_export_rows(start, stop)
        except (UserError, ValueError) as error:
            message = (
                error.args[0]
                if isinstance(error, UserError)
                else request.env._("Enter the dates as YYYY-MM-DD.")
            )
            return request.make_response(
                message,
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=400,
            )
        name = f"interventions_{start}_{stop}"
        if file_format == "csv":
            content = spreadsheet.to_csv(header, rows)
            mimetype, filename = "text/csv; charset=utf-8", f"{name}.csv"
        else:
            content = spreadsheet.to_xlsx(header, rows, request.env._("Requests"))
            mimetype = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            filename = f"{name}.xlsx"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
