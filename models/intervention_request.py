from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime, html2plaintext

from .intervention_contract import COVERAGE_REASONS, INTAKE_FIELDS
from .intervention_domain import SUPPORT_LEVELS
from .request_lifecycle import (
    AUTOMATIC_BILLABLE_CAUSES,
    BILLABLE_CAUSES,
    CANCEL_REASONS,
    CHANNELS,
    DONE_STATES,
    FINAL_STATES,
    HISTORY_CONTEXT_KEY,
    ONCALL_RECEPTION,
    ONCALL_RECEPTION_CONTEXT_KEY,
    PRIORITIES,
    RECEPTION_CLOCK_SKEW,
    SEVERITIES,
    STAMPED_DATE_FIELDS,
    STATES,
)

# A batch creation of more requests than this is created this many at a
# time (``_create_in_slices``).
CREATE_SLICE = 1000
# Fields the completeness check (B2) reads.
COMPLETENESS_FIELDS = (
    "partner_id",
    "contract_id",
    "requester_id",
    "requester_phone",
    "requester_email",
    "description",
    "site_id",
    "equipment_id",
    "product_id",
    "multiple_malfunctions",
)
# What a creation reads of the records around the request, by model: fetched
# up front by ``_prefetch_creation_context``, these columns only, where the
# ORM would load every column of each record at its first read (a
# partner's fifty, a contract's forty, a company's hundred and more).
CREATION_FETCH_FIELDS = {
    "res.users": ("active", "share", "partner_id"),
    "res.company": (
        "name",
        "alias_domain_id",
        "currency_id",
        "resource_calendar_id",
        "intervention_sla_policy_id",
    ),
    "res.partner": ("name", "email", "phone", "commercial_partner_id"),
    "intervention.sla.policy": ("company_id", "lines_version", "at_risk_percent"),
    "res.currency": ("rounding", "decimal_places"),
}


class InterventionRequest(models.Model):
    """A technical intervention request (DIT).

    The lifecycle is a state machine (``TRANSITIONS``) guarded on the server
    by ``_check_transition``, called from ``write`` so that buttons, RPC calls
    and imports obey the same rules. Transitions stamp their dates, open and
    close freeze periods, and are tracked in the chatter.
    """

    _name = "intervention.request"
    _description = "Intervention Request"
    # The request's concerns, one abstract model a file, in the order their
    # overrides run (the first listed runs first, then calls the next one
    # through super()): docs/ARCHITECTURE.md, "The request's files".
    _inherit = [
        "intervention.request.scope.mixin",
        "intervention.request.change.mixin",
        "intervention.request.onsite.mixin",
        "intervention.request.report.mixin",
        "intervention.request.knowledge.mixin",
        "intervention.request.terms.mixin",
        "intervention.request.rating.mixin",
        "intervention.request.portal.actions.mixin",
        "intervention.request.portal.mixin",
        "intervention.request.oncall.mixin",
        "intervention.request.mail.mixin",
        "intervention.request.billing.mixin",
        "intervention.request.followup.mixin",
        "intervention.request.clock.mixin",
        "intervention.request.workflow.mixin",
        "intervention.request.coverage.mixin",
        "intervention.lifecycle.mixin",
        "intervention.message.batch.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
    ]
    _order = "priority desc, date_received desc, id desc"
    _mail_post_access = "read"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        STATES,
        default="new",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_expand_states",
        help="New: recorded, not acknowledged yet.\n"
        "Received: acknowledged to the client; the SLA clocks run.\n"
        "Qualified: qualification and diagnosis confirmed to the client (taken in "
        "charge).\n"
        "In Progress: handled remotely.\n"
        "On Site: assigned to a field technician (starts the on-site GTI).\n"
        "Waiting on Client: frozen until the client answers.\n"
        "Workaround Provided: the client can work; the final fix is pending.\n"
        "Resolved: fixed; the client may confirm or reopen within the window.\n"
        "Reopened: the client reported the fix did not hold.\n"
        "Closed: finished for good.\n"
        "Cancelled / Rejected: dropped, with a reason.",
    )
    # The groups of states as stored flags, for views, filters and reports
    # (as project.task's is_closed); the groups are in request_lifecycle.
    is_open = fields.Boolean(
        compute="_compute_state_groups",
        store=True,
        index=True,
        help="Not resolved, closed, cancelled or rejected: work is left.",
    )
    is_closed = fields.Boolean(
        compute="_compute_state_groups",
        store=True,
        help="Closed, cancelled or rejected: no move is left.",
    )
    state_before_waiting = fields.Selection(STATES, readonly=True, copy=False)
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="phone",
        tracking=True,
    )
    kind = fields.Selection(
        [("incident", "Incident"), ("change", "Change Request")],
        required=True,
        default="incident",
        tracking=True,
        help="Change requests (evolutions) go to the product owner and carry no SLA.",
    )
    severity = fields.Selection(
        SEVERITIES,
        required=True,
        default="major",
        tracking=True,
    )
    priority = fields.Selection(
        PRIORITIES,
        required=True,
        default="1",
        tracking=True,
        index=True,
    )
    date_received = fields.Datetime(
        string="Received On",
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        help="When the request reached the company; the SLA clocks start here.",
    )
    date_acknowledged = fields.Datetime(readonly=True, copy=False)
    date_qualified = fields.Datetime(
        string="Taken in Charge On", readonly=True, copy=False
    )
    date_onsite_assigned = fields.Datetime(
        string="On-site Assignment", readonly=True, copy=False
    )
    date_workaround = fields.Datetime(string="Workaround On", readonly=True, copy=False)
    date_resolved = fields.Datetime(
        string="Resolved On", readonly=True, copy=False, index=True
    )
    date_reopened = fields.Datetime(
        string="Last Reopened On", readonly=True, copy=False
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)

    # Who and what
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        index=True,
        tracking=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', False)]",
    )
    contract_id = fields.Many2one(
        "intervention.contract",
        check_company=True,
        index=True,
        tracking=True,
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        domain="[('partner_id', '=', partner_id), ('state', '!=', 'draft')]",
    )
    contract_hint = fields.Char(compute="_compute_contract_hint")
    requester_id = fields.Many2one(
        "res.partner",
        tracking=True,
        help="The client's contact at the origin of the request.",
    )
    requester_phone = fields.Char(
        compute="_compute_requester_contact", store=True, readonly=False
    )
    requester_email = fields.Char(
        compute="_compute_requester_contact", store=True, readonly=False
    )
    site_id = fields.Many2one(
        "res.partner",
        domain="[('id', 'child_of', partner_id)]",
        compute="_compute_site_id",
        store=True,
        readonly=False,
    )
    equipment_id = fields.Many2one(
        "intervention.equipment",
        check_company=True,
        string="Equipment / Software",
        domain="[('partner_id', '=', partner_id)]",
        compute="_compute_equipment_id",
        store=True,
        readonly=False,
    )
    product_id = fields.Many2one("intervention.product", check_company=True)
    component_id = fields.Many2one(
        "intervention.component",
        domain="[('product_id', '=', product_id)]",
    )
    service_id = fields.Many2one(
        "intervention.service",
        string="Requested Service",
        default=lambda self: self._default_service(),
    )
    summary = fields.Char(string="Subject")
    description = fields.Html(help="Precise description of the malfunction.")
    circumstances = fields.Text(
        help="Circumstances of the malfunction, what the client already checked."
    )
    multiple_malfunctions = fields.Boolean(
        help="The request covers more than one malfunction: ask the client to split it."
    )
    user_id = fields.Many2one(
        "res.users", string="Assigned To", tracking=True, index=True
    )
    onsite_technician_id = fields.Many2one(
        "res.users", string="Field Technician", tracking=True
    )
    color = fields.Integer()

    # Completeness (B2)
    is_complete = fields.Boolean(compute="_compute_completeness", store=True)
    # Not stored: shown in the reader's language.
    missing_info = fields.Text(string="Missing Items", compute="_compute_missing_info")

    # Eligibility (A4) and billing cause (H1)
    coverage_state = fields.Selection(
        [("covered", "Covered"), ("not_covered", "Not covered")],
        string="Coverage",
        compute="_compute_coverage",
        store=True,
        tracking=True,
    )
    coverage_reason = fields.Selection(
        COVERAGE_REASONS, compute="_compute_coverage", store=True
    )
    coverage_message = fields.Char(
        string="Coverage Verdict", compute="_compute_coverage", store=True
    )
    is_billable = fields.Boolean(
        string="Billable",
        compute="_compute_billable",
        store=True,
        readonly=False,
        tracking=True,
    )
    billable_cause = fields.Selection(
        BILLABLE_CAUSES,
        compute="_compute_billable",
        store=True,
        readonly=False,
        tracking=True,
    )

    # Freezes (B4)
    freeze_ids = fields.One2many(
        "intervention.freeze", "request_id", string="Freeze Periods"
    )
    is_frozen = fields.Boolean(compute="_compute_is_frozen", search="_search_is_frozen")

    # Levels and domains (B5)
    support_level = fields.Selection(
        SUPPORT_LEVELS, default="n1", required=True, tracking=True
    )
    domain_id = fields.Many2one(
        "intervention.domain", tracking=True, check_company=True
    )
    routing_ids = fields.One2many(
        "intervention.request.routing", "request_id", string="Routing History"
    )

    # Cancellation
    cancel_reason = fields.Selection(CANCEL_REASONS, tracking=True, copy=False)
    cancel_note = fields.Text(copy=False)

    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)", "A request reference must be unique per company."
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if len(vals_list) > CREATE_SLICE:
            return self._create_in_slices(vals_list)
        self._assign_references(vals_list)
        for vals in vals_list:
            self._check_input_values(vals)
            if vals.get("state", "new") != "new":
                raise UserError(
                    self.env._(
                        "A request is created as New, then moved through its lifecycle."
                    )
                )
            if vals.get("domain_id") and "support_level" not in vals:
                vals["support_level"] = (
                    self.env["intervention.domain"]
                    .browse(vals["domain_id"])
                    .support_level
                )
        self._prefetch_creation_context(vals_list)
        return super().create(vals_list)

    @api.model
    def _prefetch_creation_context(self, vals_list):
        """Fetch what creating ``vals_list`` reads of the records around the
        requests, in one narrow query per model (``CREATION_FETCH_FIELDS``,
        the contract's ``INTAKE_FIELDS``): the contract and the requester or
        site (computes, constraints, coverage), the company and its currency
        (the amounts written), the SLA policy (company check, targets) and,
        with the chatter on, the user and their partner (follower, author of
        the creation message, in the same query as the requesters). Only
        records the creation reads anyway are fetched, as superuser as the
        computes and constraints reading them do: no query is added, and a
        single intake reads a few columns instead of some three hundred."""
        env = self.sudo().env
        chatter = not (
            self.env.context.get("tracking_disable")
            or self.env.context.get("mail_create_nolog")
        )
        user = env.user if chatter else env["res.users"]
        user.fetch(CREATION_FETCH_FIELDS["res.users"])
        companies = env["res.company"].browse(
            {vals.get("company_id") or self.env.company.id for vals in vals_list}
        )
        companies.fetch(CREATION_FETCH_FIELDS["res.company"])
        contracts = env["intervention.contract"].browse(
            {vals["contract_id"] for vals in vals_list if vals.get("contract_id")}
        )
        contracts.fetch(INTAKE_FIELDS)
        partners = env["res.partner"].browse(
            {
                vals[fname]
                for vals in vals_list
                for fname in ("requester_id", "site_id")
                if vals.get(fname)
            }
        )
        (partners | user.partner_id).fetch(CREATION_FETCH_FIELDS["res.partner"])
        policies = contracts.sla_policy_id
        if not all(vals.get("contract_id") for vals in vals_list) or not all(
            contract.sla_policy_id for contract in contracts
        ):
            policies |= companies.intervention_sla_policy_id
        policies.fetch(CREATION_FETCH_FIELDS["intervention.sla.policy"])
        companies.currency_id.fetch(CREATION_FETCH_FIELDS["res.currency"])

    def _creation_message(self):
        """The chatter's creation line, without reading the model's name
        from ``ir.model`` (a query for each request created); the demo's in
        the installation's language."""
        self.ensure_one()
        return self._in_demo_language().env._("Intervention Request created")

    @api.model
    def _create_in_slices(self, vals_list):
        """A batch creation (import, external API) of many requests,
        ``CREATE_SLICE`` at a time: each slice is created, its deadlines and
        escalations computed, written (flush) and dropped from the cache
        before the next, so that the memory the batch takes follows the
        slice, not the batch. The requests are those one ``create`` gives;
        reading them again costs one query per field group, as after any
        cache invalidation."""
        ids = []
        for offset in range(0, len(vals_list), CREATE_SLICE):
            ids += self.create(vals_list[offset : offset + CREATE_SLICE]).ids
            self.env.flush_all()
            self.env.invalidate_all()
        return self.browse(ids)

    @api.model
    def _may_write_history(self):
        """Data loading (demo history, migrations) may backdate the stamped
        dates under ``HISTORY_CONTEXT_KEY``; it runs as superuser. The key
        alone, as an RPC client or an import can send it, opens nothing."""
        return self.env.su and bool(self.env.context.get(HISTORY_CONTEXT_KEY))

    @api.model
    def _check_input_values(self, vals):
        """Refuse values no user, RPC client or import may write, with a
        clear message (called by ``create`` and the workflow's ``write``,
        before the transitions add their own stamps):

        - the dates the transitions stamp (acknowledged, qualified, resolved,
          closed...): only a move writes them, at its instant;
        - a reception date that is no date, or in the future (see
          ``_check_reception_not_ahead``)."""
        stamped = STAMPED_DATE_FIELDS.intersection(vals)
        if stamped and not self._may_write_history():
            raise UserError(
                self.env._(
                    "%(fields)s: these dates are set by the request's lifecycle "
                    "when it moves (use its buttons or actions), not written.",
                    fields=", ".join(
                        sorted(self._fields[fname].string for fname in stamped)
                    ),
                )
            )
        if vals.get("date_received"):
            try:
                received = fields.Datetime.to_datetime(vals["date_received"])
            except (TypeError, ValueError):
                received = None
            if not received:
                raise ValidationError(
                    self.env._(
                        "%(value)r is not a reception date.",
                        value=vals["date_received"],
                    )
                )
            self._check_reception_not_ahead(received)

    def _check_reception_not_ahead(self, received):
        """A request cannot be received in the future: its SLA clocks start
        at the reception, so a later date would hide a breach. Allowed:

        - up to ``RECEPTION_CLOCK_SKEW`` ahead (a clock running slightly fast);
        - the after-hours report (E5, ``_apply_oncall_report``), which dates
          the request at the next business opening after the intervention:
          a call at 21:00 becomes a request received at 9:00 the next
          business day. Only that code sets the ``ONCALL_RECEPTION`` marker
          in the context (an object, which RPC and imports cannot forge);
        - rewriting the date a request already has (an import re-saving a
          request the after-hours report dated ahead)."""
        if received <= fields.Datetime.now() + RECEPTION_CLOCK_SKEW:
            return
        if self.env.context.get(ONCALL_RECEPTION_CONTEXT_KEY) is ONCALL_RECEPTION:
            return
        if self and all(request.date_received == received for request in self):
            return
        raise ValidationError(
            self.env._(
                "A request cannot be received in the future (%(date)s): set "
                "its reception date to the time it reached you.",
                date=format_datetime(self.env, received),
            )
        )

    @api.model
    def _assign_references(self, vals_list):
        """Give each new request its reference, reserving the numbers of a
        batch in one query per company."""
        new_name = self.env._("New")
        by_company = defaultdict(list)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == new_name:
                by_company[vals.get("company_id") or self.env.company.id].append(vals)
        for company_id, company_vals in by_company.items():
            company = self.env["res.company"].browse(company_id)
            names = self._reserve_references(company, len(company_vals))
            for vals, name in zip(company_vals, names, strict=True):
                vals["name"] = name

    @api.model
    def _default_service(self):
        """Curative maintenance, looked up without a query (the id of an
        XML id is cached by Odoo)."""
        service_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "intervention_request.service_curative", raise_if_not_found=False
        )
        return self.env["intervention.service"].browse(service_id)

    @api.model
    def _reserve_references(self, company, count):
        """``count`` references from ``company``'s request sequence (its own,
        else the shared one): where the sequence allows it (standard, without
        date ranges) the sequence is found and its ``count`` numbers drawn in
        one query, else numbers are drawn one at a time as Odoo does."""
        IrSequence = self.env["ir.sequence"]
        IrSequence.check_access("read")
        IrSequence.flush_model()
        # The CTE picks the one sequence before any number is drawn.
        rows = self.env.execute_query(
            SQL(
                """
                WITH seq AS (
                    SELECT id, implementation, use_date_range, prefix, suffix,
                           padding
                      FROM ir_sequence
                     WHERE code = %(code)s AND active
                       AND (company_id = %(company)s OR company_id IS NULL)
                  ORDER BY company_id NULLS LAST, id
                     LIMIT 1
                )
                SELECT id, prefix, suffix, padding,
                       CASE WHEN implementation = 'standard'
                                 AND use_date_range IS NOT TRUE
                       THEN ARRAY(
                           SELECT nextval(('ir_sequence_' || lpad(
                               seq.id::text, greatest(length(seq.id::text), 3), '0'
                           ))::regclass)
                             FROM generate_series(1, %(count)s)
                       ) END
                  FROM seq
                """,
                code="intervention.request",
                company=company.id,
                count=count,
            )
        )
        if not rows:
            raise UserError(
                self.env._(
                    "No sequence is set up to number the intervention requests of "
                    "%(company)s.",
                    company=company.name,
                )
            )
        sequence_id, prefix, suffix, padding, numbers = rows[0]
        sequence = IrSequence.browse(sequence_id).with_company(company)
        if numbers is None:
            return [sequence.next_by_id() for _index in range(count)]
        # A new record holding what numbering reads: no query to read them.
        numbering = IrSequence.with_company(company).new(
            {"prefix": prefix, "suffix": suffix, "padding": padding},
            origin=sequence,
        )
        return [numbering.get_next_char(number) for number in numbers]

    @api.ondelete(at_uninstall=False)
    def _unlink_only_new(self):
        started = self.filtered(lambda r: r.state != "new")
        if started:
            raise UserError(
                self.env._(
                    "Only new requests can be deleted; cancel the others instead: "
                    "%(requests)s.",
                    requests=", ".join(started.mapped("name")),
                )
            )

    @api.depends("state")
    def _compute_state_groups(self):
        for request in self:
            request.is_open = request.state not in DONE_STATES
            request.is_closed = request.state in FINAL_STATES

    @api.model
    def _expand_states(self, states, domain):
        return [
            state for state, _label in STATES if state not in {"cancelled", "rejected"}
        ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("requester_id")
    def _compute_partner_id(self):
        for request in self:
            if request.requester_id:
                request.partner_id = request.requester_id.commercial_partner_id

    # Two computes, not one: a write giving one of them keeps the other
    # recomputed (a compute shared with a written field would be skipped).
    @api.depends("partner_id")
    def _compute_site_id(self):
        """A site of another client never stays on the request: changing the
        requester or the client keeps it only when it belongs to the new
        client (see ``_check_scope_of_client``)."""
        for request in self:
            if request.site_id and not request._belongs_to_client(request.site_id):
                request.site_id = False

    @api.depends("partner_id")
    def _compute_equipment_id(self):
        """Same as the site, for the asset."""
        for request in self:
            if request.equipment_id and not request._belongs_to_client(
                request.equipment_id.partner_id
            ):
                request.equipment_id = False

    def _belongs_to_client(self, partner):
        self.ensure_one()
        return bool(self.partner_id) and (
            partner.commercial_partner_id == self.partner_id
        )

    @api.depends("partner_id", "date_received")
    def _compute_contract_id(self):
        """Keep the contract while it is the client's and in force at the
        reception date; else take the client's only contract in force."""
        Contract = self.env["intervention.contract"]
        for request in self:
            when = request.date_received or fields.Datetime.now()
            current = request.contract_id
            if (
                current
                and current.partner_id == request.partner_id
                and current._is_in_force(when)
            ):
                continue
            contracts = Contract._find_for_client(request.partner_id, when)
            if len(contracts) == 1:
                request.contract_id = contracts
            elif current.partner_id != request.partner_id:
                request.contract_id = False

    @api.depends("partner_id", "contract_id", "date_received")
    def _compute_contract_hint(self):
        Contract = self.env["intervention.contract"]
        for request in self:
            hint = False
            if request.partner_id and not request.contract_id:
                count = len(
                    Contract._find_for_client(
                        request.partner_id,
                        request.date_received or fields.Datetime.now(),
                    )
                )
                if count > 1:
                    hint = self.env._(
                        "The client has %(count)s contracts in force: choose one.",
                        count=count,
                    )
                elif count == 1:
                    hint = self.env._("Choose the client's contract.")
                else:
                    hint = self.env._(
                        "The client has no contract in force at the reception date."
                    )
            request.contract_hint = hint

    @api.depends("requester_id")
    def _compute_requester_contact(self):
        for request in self:
            request.requester_phone = request.requester_id.phone
            request.requester_email = request.requester_id.email

    @api.depends(*COMPLETENESS_FIELDS)
    def _compute_completeness(self):
        for request in self:
            request.is_complete = not request._get_missing_items()

    @api.depends(*COMPLETENESS_FIELDS)
    def _compute_missing_info(self):
        for request in self:
            request.missing_info = "\n".join(request._get_missing_items()) or False

    def _get_missing_items(self):
        """List the mandatory items of a request (seed 000, 3.01.II) that are
        missing, as sentences to show the desk and send to the client."""
        self.ensure_one()
        missing = []
        if not self.partner_id:
            missing.append(self.env._("The client's name"))
        if not self.contract_id:
            missing.append(self.env._("The contract number"))
        if not self.requester_id:
            missing.append(
                self.env._("The name of the contact at the origin of the request")
            )
        elif not (self.requester_phone or self.requester_email):
            missing.append(self.env._("The contact's phone number or e-mail address"))
        if not html2plaintext(self.description or "").strip():
            missing.append(
                self.env._(
                    "A precise description of the malfunction and its circumstances"
                )
            )
        if not self.site_id:
            missing.append(self.env._("The site affected"))
        if not (self.equipment_id or self.product_id):
            missing.append(self.env._("The equipment or software affected"))
        if self.multiple_malfunctions:
            missing.append(
                self.env._("One request per malfunction: this one reports several")
            )
        return missing

    @api.depends(
        "coverage_state",
        "coverage_reason",
        "channel",
        "contract_id.include_phone",
        "contract_id.include_email",
    )
    def _compute_billable(self):
        """A request that is not covered is billable, with the matching cause.
        A covered request opened by phone or e-mail costs 1 UT unless its
        contract includes that channel (H1). Causes set by staff (abnormal
        use, not our responsibility...) are kept."""
        for request in self:
            cause = request._get_automatic_billable_cause()
            if cause:
                request.is_billable = True
                request.billable_cause = cause
            elif request.billable_cause in AUTOMATIC_BILLABLE_CAUSES:
                request.is_billable = False
                request.billable_cause = False

    def _needs_channel_surcharge(self):
        """Phone and e-mail requests pay the 1 UT surcharge unless the
        contract includes that channel (seed 000 Art. 3.01)."""
        self.ensure_one()
        contract = self.contract_id
        if not contract:
            return False
        if self.channel == "phone":
            return not contract.include_phone
        if self.channel == "email":
            return not contract.include_email
        return False

    @api.depends("freeze_ids.date_start", "freeze_ids.date_end")
    def _compute_is_frozen(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_frozen = request._is_frozen_at(now)

    def _search_is_frozen(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the frozen flag."))
        now = fields.Datetime.now()
        frozen = (
            self.env["intervention.freeze"]
            ._search(
                [
                    ("date_start", "<=", now),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">", now),
                ]
            )
            .select("request_id")
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", frozen)]

    @api.onchange("domain_id")
    def _onchange_domain_id(self):
        if self.domain_id and self.state == "new":
            self.support_level = self.domain_id.support_level

    @api.constrains("requester_id", "partner_id")
    def _check_requester_of_client(self):
        for request in self:
            requester, client = request.requester_id, request.partner_id
            if requester and client and requester.commercial_partner_id != client:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of the client %(client)s.",
                        contact=requester.display_name,
                        client=client.display_name,
                    )
                )

    @api.constrains("contract_id", "partner_id")
    def _check_contract_of_client(self):
        for request in self:
            if (
                request.contract_id
                and request.contract_id.partner_id != request.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s belongs to %(owner)s, not to the "
                        "client of request %(request)s.",
                        contract=request.contract_id.name,
                        owner=request.contract_id.partner_id.display_name,
                        request=request.name,
                    )
                )

    @api.constrains("partner_id", "site_id", "equipment_id")
    def _check_scope_of_client(self):
        """The site and the asset of a request are its client's (a request
        moved to another client must not show the first one's)."""
        for request in self:
            if request.site_id and not request._belongs_to_client(request.site_id):
                raise ValidationError(
                    self.env._(
                        "The site %(site)s is not an address of the client of "
                        "request %(request)s.",
                        site=request.site_id.display_name,
                        request=request.name,
                    )
                )
            if request.equipment_id and not request._belongs_to_client(
                request.equipment_id.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(equipment)s is not an asset of the client of request "
                        "%(request)s.",
                        equipment=request.equipment_id.display_name,
                        request=request.name,
                    )
                )
