from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from .intervention_contract import COVERAGE_REASONS
from .intervention_domain import SUPPORT_LEVELS
from .intervention_freeze import FREEZE_REASONS

STATES = [
    ("new", "New"),
    ("received", "Received"),
    ("qualified", "Qualified"),
    ("in_progress", "In Progress"),
    ("onsite", "On Site"),
    ("waiting", "Waiting on Client"),
    ("workaround", "Workaround Provided"),
    ("resolved", "Resolved"),
    ("reopened", "Reopened"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
    ("rejected", "Rejected"),
]

# The legal moves of the lifecycle (B3). Every state change, whether from a
# button, an RPC write or an import, goes through _check_transition.
TRANSITIONS = {
    "new": {"received", "cancelled", "rejected"},
    "received": {"qualified", "waiting", "cancelled", "rejected"},
    "qualified": {"in_progress", "onsite", "waiting", "workaround", "resolved", "cancelled", "rejected"},
    "in_progress": {"onsite", "waiting", "workaround", "resolved", "cancelled", "rejected"},
    "onsite": {"in_progress", "waiting", "workaround", "resolved", "cancelled"},
    "waiting": {"received", "qualified", "in_progress", "onsite", "workaround", "resolved", "closed", "cancelled"},
    "workaround": {"in_progress", "onsite", "waiting", "resolved"},
    "resolved": {"closed", "reopened"},
    "reopened": {"qualified", "in_progress", "onsite", "waiting", "workaround", "resolved"},
    "closed": set(),
    "cancelled": set(),
    "rejected": set(),
}
FINAL_STATES = {"closed", "cancelled", "rejected"}
OPEN_STATES = [state for state, _label in STATES if state not in FINAL_STATES | {"resolved"}]

# Timestamp written when a state is first reached (kept afterwards: the SLA
# clocks use them) and those rewritten every time it is reached.
FIRST_DATE_FIELDS = {
    "received": "date_acknowledged",
    "qualified": "date_qualified",
    "onsite": "date_onsite_assigned",
    "workaround": "date_workaround",
}
LAST_DATE_FIELDS = {
    "resolved": "date_resolved",
    "reopened": "date_reopened",
    "closed": "date_closed",
    "cancelled": "date_closed",
    "rejected": "date_closed",
}
WAITING_FREEZE_REASONS = {"prerequisite", "site_access", "client_tests", "client_info"}

CANCEL_REASONS = [
    ("not_responsible", "Not the company's responsibility"),
    ("out_of_scope", "Out of scope"),
    ("duplicate", "Duplicate request"),
    ("withdrawn", "Withdrawn by the client"),
]
REJECT_REASONS = {"not_responsible", "out_of_scope"}

BILLABLE_CAUSES = [
    ("out_of_contract", "Out of contract"),
    ("abnormal_use", "Abnormal or fraudulent use"),
    ("not_responsible", "Not the company's responsibility"),
    ("excluded_service", "Excluded service"),
    ("traceability", "Traceability request outside the portal"),
    ("channel_surcharge", "Phone / e-mail surcharge (1 UT)"),
]
# Causes that follow the eligibility verdict; the others are set by staff.
COVERAGE_BILLABLE_CAUSES = {"excluded_service": "excluded_service"}


class InterventionRequest(models.Model):
    """A technical intervention request (DIT).

    The lifecycle is a state machine (``TRANSITIONS``) guarded on the server
    by ``_check_transition``, called from ``write`` so that buttons, RPC calls
    and imports obey the same rules. Transitions stamp their dates, open and
    close freeze periods, and are tracked in the chatter.
    """

    _name = "intervention.request"
    _description = "Intervention Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_received desc, id desc"
    _mail_post_access = "read"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, index="trigram",
                       default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
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
        "Qualified: qualification and diagnosis confirmed to the client (taken in charge).\n"
        "In Progress: handled remotely.\n"
        "On Site: assigned to a field technician (starts the on-site GTI).\n"
        "Waiting on Client: frozen until the client answers.\n"
        "Workaround Provided: the client can work; the final fix is pending.\n"
        "Resolved: fixed; the client may confirm or reopen within the window.\n"
        "Reopened: the client reported the fix did not hold.\n"
        "Closed: finished for good.\n"
        "Cancelled / Rejected: dropped, with a reason.",
    )
    state_before_waiting = fields.Selection(STATES, readonly=True, copy=False)
    channel = fields.Selection(
        [
            ("portal", "Portal"),
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("oncall", "On-call"),
            ("internal", "Internal"),
        ],
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
        [("blocking", "Blocking"), ("major", "Major"), ("minor", "Minor")],
        required=True,
        default="major",
        tracking=True,
    )
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")],
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
    date_qualified = fields.Datetime(string="Taken in Charge On", readonly=True, copy=False)
    date_onsite_assigned = fields.Datetime(string="On-site Assignment", readonly=True, copy=False)
    date_workaround = fields.Datetime(string="Workaround On", readonly=True, copy=False)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False, index=True)
    date_reopened = fields.Datetime(string="Last Reopened On", readonly=True, copy=False)
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
        index=True,
        tracking=True,
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        domain="[('partner_id', '=', partner_id), ('state', '!=', 'draft')]",
    )
    contract_hint = fields.Char(compute="_compute_contract_hint")
    requester_id = fields.Many2one(
        "res.partner", string="Requester", tracking=True, help="The client's contact at the origin of the request."
    )
    requester_phone = fields.Char(compute="_compute_requester_contact", store=True, readonly=False)
    requester_email = fields.Char(compute="_compute_requester_contact", store=True, readonly=False)
    site_id = fields.Many2one("res.partner", string="Site", domain="[('id', 'child_of', partner_id)]")
    equipment_id = fields.Many2one(
        "intervention.equipment", string="Equipment / Software", domain="[('partner_id', '=', partner_id)]"
    )
    product_id = fields.Many2one("intervention.product", string="Product")
    component_id = fields.Many2one(
        "intervention.component", string="Component", domain="[('product_id', '=', product_id)]"
    )
    service_id = fields.Many2one(
        "intervention.service",
        string="Requested Service",
        default=lambda self: self.env.ref("intervention_request.service_curative", raise_if_not_found=False),
    )
    summary = fields.Char(string="Subject")
    description = fields.Html(help="Precise description of the malfunction.")
    circumstances = fields.Text(help="Circumstances of the malfunction, what the client already checked.")
    multiple_malfunctions = fields.Boolean(
        help="The request covers more than one malfunction: ask the client to split it."
    )
    user_id = fields.Many2one("res.users", string="Assigned To", tracking=True, index=True)
    onsite_technician_id = fields.Many2one("res.users", string="Field Technician", tracking=True)
    color = fields.Integer()

    # Completeness (B2)
    is_complete = fields.Boolean(compute="_compute_completeness", store=True)
    missing_info = fields.Text(string="Missing Items", compute="_compute_completeness", store=True)

    # Eligibility (A4) and billing cause (H1)
    coverage_state = fields.Selection(
        [("covered", "Covered"), ("not_covered", "Not covered")],
        string="Coverage",
        compute="_compute_coverage",
        store=True,
        tracking=True,
    )
    coverage_reason = fields.Selection(COVERAGE_REASONS, compute="_compute_coverage", store=True)
    coverage_message = fields.Char(string="Coverage Verdict", compute="_compute_coverage", store=True)
    is_billable = fields.Boolean(
        string="Billable", compute="_compute_billable", store=True, readonly=False, tracking=True
    )
    billable_cause = fields.Selection(
        BILLABLE_CAUSES, compute="_compute_billable", store=True, readonly=False, tracking=True
    )

    # Freezes (B4)
    freeze_ids = fields.One2many("intervention.freeze", "request_id", string="Freeze Periods")
    is_frozen = fields.Boolean(compute="_compute_is_frozen", search="_search_is_frozen")

    # Levels and domains (B5)
    support_level = fields.Selection(SUPPORT_LEVELS, default="n1", required=True, tracking=True)
    domain_id = fields.Many2one("intervention.domain", string="Domain", tracking=True)
    routing_ids = fields.One2many("intervention.request.routing", "request_id", string="Routing History")

    # Cancellation
    cancel_reason = fields.Selection(CANCEL_REASONS, tracking=True, copy=False)
    cancel_note = fields.Text(copy=False)

    _name_company_uniq = models.UniqueIndex("(company_id, name)", "A request reference must be unique per company.")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("intervention.request")
            if vals.get("state", "new") != "new":
                raise UserError(self.env._("A request is created as New, then moved through its lifecycle."))
            if vals.get("domain_id") and "support_level" not in vals:
                vals["support_level"] = self.env["intervention.domain"].browse(vals["domain_id"]).support_level
        return super().create(vals_list)

    def write(self, vals):
        if "state" not in vals:
            return super().write(vals)
        target = vals["state"]
        self._check_transition(target, vals)
        previous = {request.id: request.state for request in self}
        result = super().write(vals)
        self._apply_transition_effects(target, previous)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_new(self):
        started = self.filtered(lambda r: r.state != "new")
        if started:
            raise UserError(
                self.env._(
                    "Only new requests can be deleted; cancel the others instead: %(requests)s.",
                    requests=", ".join(started.mapped("name")),
                )
            )

    @api.model
    def _expand_states(self, states, domain):
        return [state for state, _label in STATES if state not in {"cancelled", "rejected"}]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("requester_id")
    def _compute_partner_id(self):
        for request in self:
            if request.requester_id:
                request.partner_id = request.requester_id.commercial_partner_id

    @api.depends("partner_id", "date_received")
    def _compute_contract_id(self):
        Contract = self.env["intervention.contract"]
        for request in self:
            if request.contract_id and request.contract_id.partner_id == request.partner_id:
                continue
            contracts = Contract._find_for_client(request.partner_id, request.date_received or fields.Datetime.now())
            request.contract_id = contracts if len(contracts) == 1 else False

    @api.depends("partner_id", "contract_id", "date_received")
    def _compute_contract_hint(self):
        Contract = self.env["intervention.contract"]
        for request in self:
            hint = False
            if request.partner_id and not request.contract_id:
                count = len(Contract._find_for_client(request.partner_id, request.date_received or fields.Datetime.now()))
                if count > 1:
                    hint = self.env._("The client has %(count)s contracts in force: choose one.", count=count)
                else:
                    hint = self.env._("The client has no contract in force at the reception date.")
            request.contract_hint = hint

    @api.depends("requester_id")
    def _compute_requester_contact(self):
        for request in self:
            request.requester_phone = request.requester_id.phone
            request.requester_email = request.requester_id.email

    @api.depends(
        "partner_id", "contract_id", "requester_id", "requester_phone", "requester_email",
        "description", "site_id", "equipment_id", "product_id", "multiple_malfunctions",
    )
    def _compute_completeness(self):
        for request in self:
            missing = request._get_missing_items()
            request.is_complete = not missing
            request.missing_info = "\n".join(missing) or False

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
            missing.append(self.env._("The name of the contact at the origin of the request"))
        elif not (self.requester_phone or self.requester_email):
            missing.append(self.env._("The contact's phone number or e-mail address"))
        if not html2plaintext(self.description or "").strip():
            missing.append(self.env._("A precise description of the malfunction and its circumstances"))
        if not self.site_id:
            missing.append(self.env._("The site affected"))
        if not (self.equipment_id or self.product_id):
            missing.append(self.env._("The equipment or software affected"))
        if self.multiple_malfunctions:
            missing.append(self.env._("One request per malfunction: this one reports several"))
        return missing

    @api.depends(
        "contract_id", "partner_id", "requester_id", "site_id", "equipment_id",
        "domain_id", "service_id", "channel", "date_received",
    )
    def _compute_coverage(self):
        for request in self:
            verdict = request._get_coverage_verdict()
            request.coverage_state = "covered" if verdict["covered"] else "not_covered"
            request.coverage_reason = verdict["reason"]
            request.coverage_message = verdict["message"]

    def _get_coverage_verdict(self):
        """The eligibility verdict of this request (A4), see
        ``intervention.contract._get_coverage_verdict``."""
        self.ensure_one()
        if not self.contract_id and not self.partner_id:
            return {
                "covered": False,
                "reason": "no_contract",
                "message": self.env._("Unknown client: no contract can apply."),
            }
        return self.contract_id._get_coverage_verdict(
            self.date_received or fields.Datetime.now(),
            requester=self.requester_id,
            site=self.site_id,
            equipment=self.equipment_id,
            domain=self.domain_id,
            service=self.service_id,
            channel=self.channel,
        )

    @api.depends("coverage_state", "coverage_reason")
    def _compute_billable(self):
        """A request that is not covered is billable, with the matching cause;
        causes set by staff (abnormal use, surcharge...) are kept."""
        automatic = {"out_of_contract", "excluded_service"}
        for request in self:
            if request.coverage_state == "not_covered":
                request.is_billable = True
                request.billable_cause = COVERAGE_BILLABLE_CAUSES.get(request.coverage_reason, "out_of_contract")
            elif request.billable_cause in automatic:
                request.is_billable = False
                request.billable_cause = False

    @api.depends("freeze_ids.is_open")
    def _compute_is_frozen(self):
        for request in self:
            request.is_frozen = any(request.freeze_ids.mapped("is_open"))

    def _search_is_frozen(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the frozen flag."))
        frozen = self.env["intervention.freeze"]._search([("is_open", "=", True)]).select("request_id")
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
            if request.contract_id and request.contract_id.partner_id != request.partner_id:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s is not a contract of %(client)s.",
                        contract=request.contract_id.name,
                        client=request.partner_id.display_name or self.env._("an unknown client"),
                    )
                )

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------
    def _check_transition(self, target, vals=None):
        """Raise a UserError unless every request of ``self`` may move to
        ``target``. ``vals`` are the values written with the new state."""
        vals = vals or {}
        labels = dict(STATES)
        if target not in labels:
            raise UserError(self.env._("Unknown request state: %(state)s.", state=target))
        illegal = self.filtered(lambda r: target not in TRANSITIONS[r.state])
        if illegal:
            raise UserError(
                self.env._(
                    "%(requests)s cannot move to %(target)s from its current state (%(states)s).",
                    requests=", ".join(illegal.mapped("name")),
                    target=labels[target],
                    states=", ".join(sorted({labels[s] for s in illegal.mapped("state")})),
                )
            )
        for request in self:
            request._check_transition_requirements(target, vals)

    def _check_transition_requirements(self, target, vals):
        """Conditions beyond the transition graph, per request."""
        self.ensure_one()
        if target == "onsite" and not (vals.get("onsite_technician_id") or self.onsite_technician_id):
            raise UserError(
                self.env._("Assign a field technician to %(request)s before sending it on site.", request=self.name)
            )
        if target in ("cancelled", "rejected"):
            reason = vals.get("cancel_reason") or self.cancel_reason
            if not reason:
                raise UserError(self.env._("Give a reason to cancel or reject %(request)s.", request=self.name))
            if target == "rejected" and reason not in REJECT_REASONS:
                raise UserError(
                    self.env._(
                        "%(request)s can be rejected only as not the company's responsibility or out of scope.",
                        request=self.name,
                    )
                )
        if target == "reopened" and not self._within_reopen_window():
            raise UserError(
                self.env._(
                    "The reopen window of %(request)s (%(days)s days after resolution) is over.",
                    request=self.name,
                    days=self.company_id.intervention_reopen_days,
                )
            )

    def _within_reopen_window(self, when=None):
        self.ensure_one()
        if not self.date_resolved:
            return False
        when = when or fields.Datetime.now()
        return when <= self.date_resolved + timedelta(days=self.company_id.intervention_reopen_days)

    def _apply_transition_effects(self, target, previous):
        """Stamp the dates and open or close the freezes a transition causes."""
        now = fields.Datetime.now()
        vals = {}
        if target in LAST_DATE_FIELDS:
            vals[LAST_DATE_FIELDS[target]] = now
        first_field = FIRST_DATE_FIELDS.get(target)
        for request in self:
            request_vals = dict(vals)
            if first_field and not request[first_field]:
                request_vals[first_field] = now
            if target == "waiting":
                request_vals["state_before_waiting"] = previous[request.id]
            if request_vals:
                super(InterventionRequest, request).write(request_vals)
        if target != "waiting":
            was_waiting = self.filtered(lambda r: previous.get(r.id) == "waiting")
            was_waiting.freeze_ids.filtered(lambda f: f.is_open and f.reason in WAITING_FREEZE_REASONS)._close(now)
        if target == "waiting":
            self._open_waiting_freeze(now)
        if target in FINAL_STATES or target == "resolved":
            self.freeze_ids.filtered("is_open")._close(now)
        if target == "received":
            self._send_acknowledgement()

    def _open_waiting_freeze(self, when):
        reason = self.env.context.get("intervention_freeze_reason") or "client_info"
        note = self.env.context.get("intervention_freeze_note") or False
        labels = dict(FREEZE_REASONS)
        for request in self:
            if request.freeze_ids.filtered(lambda f: f.is_open and f.reason == reason):
                continue
            self.env["intervention.freeze"].create(
                {"request_id": request.id, "reason": reason, "note": note, "date_start": when}
            )
            request.message_post(
                body=self.env._("Frozen: %(reason)s.", reason=labels[reason]) + (f" {note}" if note else ""),
                subtype_xmlid="mail.mt_note",
            )

    def _send_acknowledgement(self):
        """Acknowledge reception to the requester (reference, reception time,
        estimated qualification), B3."""
        template = self.env.ref("intervention_request.mail_template_request_acknowledgement", raise_if_not_found=False)
        if not template:
            return
        for request in self.filtered("requester_id"):
            request.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=request.requester_id.ids,
            )

    # Buttons. Each calls write(), which enforces the transition rules.
    def action_receive(self):
        self.write({"state": "received"})

    def action_qualify(self):
        for request in self.filtered(lambda r: not r.user_id):
            request.user_id = self.env.user
        self.write({"state": "qualified"})

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_assign_onsite(self, technician=None):
        vals = {"state": "onsite"}
        if technician:
            vals["onsite_technician_id"] = technician.id
        self.write(vals)

    def action_wait(self, reason="client_info", note=None):
        """Put the requests on hold waiting on the client; opens a freeze."""
        if reason not in WAITING_FREEZE_REASONS:
            raise UserError(self.env._("%(reason)s is not a reason to wait on the client.", reason=reason))
        self.with_context(intervention_freeze_reason=reason, intervention_freeze_note=note).write(
            {"state": "waiting"}
        )

    def action_open_wait_wizard(self):
        return self._open_wizard("intervention.request.wait.wizard", self.env._("Wait on the Client"))

    def action_resume(self):
        """Client answered: back to the state the request was in before waiting."""
        not_waiting = self.filtered(lambda r: r.state != "waiting")
        if not_waiting:
            raise UserError(
                self.env._("%(requests)s is not waiting on the client.", requests=", ".join(not_waiting.mapped("name")))
            )
        for request in self:
            request.write({"state": request.state_before_waiting or "qualified"})

    def action_workaround(self):
        self.write({"state": "workaround"})

    def action_resolve(self):
        self.write({"state": "resolved"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_reopen(self):
        self.write({"state": "reopened"})

    def action_cancel(self, reason, note=None):
        self.write({"state": "cancelled", "cancel_reason": reason, "cancel_note": note})

    def action_reject(self, reason, note=None):
        """Reject; a request found not to be the company's responsibility
        becomes billable with that cause (H1)."""
        vals = {"state": "rejected", "cancel_reason": reason, "cancel_note": note}
        if reason == "not_responsible":
            vals.update(is_billable=True, billable_cause="not_responsible")
        self.write(vals)

    def action_open_cancel_wizard(self):
        return self._open_wizard("intervention.request.cancel.wizard", self.env._("Cancel or Reject"))

    def action_request_missing_info(self):
        """Ask the requester for the missing items (B2) and wait on the client."""
        for request in self:
            if request.is_complete:
                raise UserError(self.env._("%(request)s is complete: nothing to ask.", request=request.name))
            items = Markup("").join(Markup("<li>%s</li>") % item for item in request._get_missing_items())
            request.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (self.env._("To handle your request we need the following items:"), items),
                partner_ids=request.requester_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        to_wait = self.filtered(lambda r: "waiting" in TRANSITIONS[r.state])
        to_wait.action_wait("client_info", self.env._("Missing items requested"))

    # ------------------------------------------------------------------
    # Support levels and domains (B5)
    # ------------------------------------------------------------------
    def action_open_route_wizard(self):
        return self._open_wizard("intervention.request.route.wizard", self.env._("Escalate or Transfer"))

    def _route(self, kind, reason, level=None, domain=None, user=None):
        """Record a routing step (assignment, escalation, transfer) and apply it."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for this escalation or transfer."))
        levels = [code for code, _label in SUPPORT_LEVELS]
        for request in self:
            if request.state in FINAL_STATES:
                raise UserError(self.env._("%(request)s is finished: it cannot be routed.", request=request.name))
            if kind == "escalation" and (not level or levels.index(level) <= levels.index(request.support_level)):
                raise UserError(
                    self.env._("%(request)s can only be escalated to a higher support level.", request=request.name)
                )
            if kind == "transfer" and (not domain or domain == request.domain_id):
                raise UserError(
                    self.env._("Choose another domain to transfer %(request)s to.", request=request.name)
                )
            if kind == "assignment" and not user:
                raise UserError(self.env._("Choose whom to assign %(request)s to.", request=request.name))
            new_vals = {
                "support_level": level or request.support_level,
                "domain_id": (domain or request.domain_id).id,
                "user_id": (user or request.user_id).id,
            }
            self.env["intervention.request.routing"].create(
                {
                    "request_id": request.id,
                    "kind": kind,
                    "reason": reason,
                    "from_level": request.support_level,
                    "to_level": new_vals["support_level"],
                    "from_domain_id": request.domain_id.id,
                    "to_domain_id": new_vals["domain_id"],
                    "from_user_id": request.user_id.id,
                    "to_user_id": new_vals["user_id"],
                }
            )
            request.write(new_vals)
            request.message_post(body=reason, subtype_xmlid="mail.mt_note")

    def _open_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }
