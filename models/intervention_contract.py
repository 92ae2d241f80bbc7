from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from .contract_lifecycle import CONTRACT_STATES, CONTRACT_TRANSITIONS
from .request_lifecycle import FINAL_STATES

COVERAGE_TYPES = [
    ("business", "Business hours only"),
    ("extended", "Extended hours"),
    ("oncall", "On-call subscription"),
]

# Eligibility reasons (A4), in the order they are checked.
COVERAGE_REASONS = [
    ("no_contract", "No contract"),
    ("contract_inactive", "Contract not active at that date"),
    ("contact", "Contact not authorised"),
    ("site", "Site out of scope"),
    ("equipment", "Equipment out of scope"),
    ("domain", "Service domain out of scope"),
    ("excluded_service", "Excluded service"),
    ("after_hours", "After-hours service not subscribed"),
]
# What the intake of a request reads of its contract (in force, coverage,
# calendar, SLA policy, escalation ladder, channel surcharge): the columns
# fetched when the contract is found or given, instead of all of them.
INTAKE_FIELDS = (
    "name",
    "partner_id",
    "company_id",
    "state",
    "date_start",
    "date_end",
    "coverage_type",
    "resource_calendar_id",
    "coverage_calendar_id",
    "sla_policy_id",
    "escalation_ladder_id",
    "has_contact_list",
    "has_excluded_services",
    "equipment_scope",
    "include_phone",
    "include_email",
)


class InterventionContract(models.Model):
    """A service contract with a client: validity, coverage hours, scope and
    authorised contacts. ``_get_coverage_verdict`` is the one place that
    decides whether a request is covered (A4)."""

    _name = "intervention.contract"
    _description = "Service Contract"
    _inherit = [
        "intervention.lifecycle.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_start desc, name desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        tracking=True,
    )
    title = fields.Char(string="Description")
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        help="The client company (commercial partner) the contract is signed with.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        tracking=True,
    )
    state = fields.Selection(
        CONTRACT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Draft: being prepared, covers nothing.\n"
        "Active: in force between its start and end dates.\n"
        "Expired: its end date has passed.\n"
        "Terminated: ended early; covers nothing after its end date.",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="End Date", tracking=True, help="Leave empty for an open-ended contract."
    )

    # Coverage hours (A1)
    coverage_type = fields.Selection(
        COVERAGE_TYPES, default="business", required=True, tracking=True
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        check_company=True,
        string="Business Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working calendar (hours, public holidays, time zone) on which business "
        "time is counted.",
    )
    coverage_calendar_id = fields.Many2one(
        "resource.calendar",
        check_company=True,
        string="Extended / On-call Windows",
        help="Calendar of the extended or on-call windows (e.g. 7/7 8:00-22:00). "
        "Required for extended and on-call coverage.",
    )
    sla_policy_id = fields.Many2one(
        "intervention.sla.policy",
        string="SLA Policy",
        tracking=True,
        check_company=True,
        help="Targets of the requests under this contract; the company's default "
        "policy applies when empty.",
    )
    escalation_ladder_id = fields.Many2one(
        "intervention.escalation.ladder",
        tracking=True,
        check_company=True,
    )
    support_manager_id = fields.Many2one("res.users", tracking=True)
    technical_director_id = fields.Many2one("res.users", tracking=True)
    general_manager_id = fields.Many2one("res.users", tracking=True)
    has_gti = fields.Boolean(
        string="Guaranteed Intervention Time",
        tracking=True,
        help="A guaranteed intervention time (GTI) applies; it drives the escalation "
        "ladder.",
    )
    include_phone = fields.Boolean(
        string="Phone Included",
        help="Requests opened by phone carry no time-unit surcharge.",
    )
    include_email = fields.Boolean(
        string="E-mail Included",
        help="Requests opened by e-mail carry no time-unit surcharge.",
    )

    # Rates for billable work (A1, H1)
    currency_id = fields.Many2one(related="company_id.currency_id")
    hourly_rate = fields.Monetary()
    time_unit_rate = fields.Monetary(string="Time Unit (UT) Rate")
    time_unit_minutes = fields.Integer(string="Time Unit (minutes)", default=30)
    oncall_hourly_rate = fields.Monetary(string="On-call Hourly Rate")

    # Scope (A2) and authorised contacts (A3)
    site_ids = fields.Many2many(
        "res.partner",
        "intervention_contract_site_rel",
        "contract_id",
        "partner_id",
        string="Covered Sites",
        domain="[('id', 'child_of', partner_id)]",
        help="Client addresses covered. Leave empty to cover every address of the "
        "client.",
    )
    equipment_scope = fields.Selection(
        [
            ("owned", "Assets owned at signature, plus the listed ones"),
            ("listed", "Listed assets only"),
        ],
        default="owned",
        required=True,
        tracking=True,
        help="Owned: every asset of the client acquired on or before the "
        "contract's start is covered, and assets acquired later once listed "
        "(from their covered-from date).\n"
        "Listed: only the assets listed below are covered, each from its date.",
    )
    equipment_line_ids = fields.One2many(
        "intervention.contract.equipment", "contract_id", string="Covered Equipment"
    )
    domain_ids = fields.Many2many(
        "intervention.domain",
        check_company=True,
        string="Covered Domains",
        help="Service domains covered. Leave empty to cover every domain.",
    )
    excluded_service_ids = fields.Many2many(
        "intervention.service",
        "intervention_contract_excluded_service_rel",
        "contract_id",
        "service_id",
        string="Excluded Services",
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "intervention_contract_contact_rel",
        "contract_id",
        "partner_id",
        string="Authorised Contacts",
        domain="[('id', 'child_of', partner_id), ('id', '!=', partner_id)]",
        help="People of the client entitled to open covered requests. "
        "Leave empty to accept every contact of the client.",
    )
    # Whether the two lists above hold any row (archived partners included),
    # stored with the contract: a coverage verdict reads a list only when it
    # is not empty, and most contracts restrict neither (a single intake
    # spares the two queries).
    has_contact_list = fields.Boolean(compute="_compute_has_scope_lists", store=True)
    has_excluded_services = fields.Boolean(
        compute="_compute_has_scope_lists", store=True
    )
    exclusion_note = fields.Html(string="Other Exclusions")
    request_ids = fields.One2many(
        "intervention.request", "contract_id", string="Requests"
    )
    request_count = fields.Integer(compute="_compute_request_count")

    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        "A contract number must be unique per company.",
    )
    _time_unit_positive = models.Constraint(
        "CHECK(time_unit_minutes > 0)",
        "A time unit must last at least one minute.",
    )

    # ------------------------------------------------------------------
    # CRUD, computes, constraints
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(
                    self.env._("A contract is created as Draft, then activated.")
                )
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or self.env.company
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("intervention.contract") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"], vals)
        result = super().write(vals)
        clock_fields = {
            "sla_policy_id",
            "escalation_ladder_id",
            "coverage_type",
            "resource_calendar_id",
            "coverage_calendar_id",
        }
        if clock_fields.intersection(vals):
            self.env["intervention.request"].search(
                [
                    ("contract_id", "in", self.ids),
                    ("state", "not in", FINAL_STATES),
                ]
            )._sla_sync()
        return result

    def _check_state_transition(self, target, vals):
        """Raise a UserError unless every contract of ``self`` may move to
        ``target`` (``CONTRACT_TRANSITIONS``; rewriting the current state is
        no move). Expiring needs an end date already passed; terminating
        needs an end date no later than today (see ``action_terminate``)."""
        moving = self._check_state_graph(target, CONTRACT_TRANSITIONS)
        labels = dict(self._fields["state"]._description_selection(self.env))
        today = fields.Date.context_today(self)
        for contract in moving.filtered(lambda c: target in ("expired", "terminated")):
            end = fields.Date.to_date(vals.get("date_end", contract.date_end))
            start = fields.Date.to_date(vals.get("date_start", contract.date_start))
            # Terminated: ended today at the latest (or at its start, for a
            # contract that had not begun). Expired: its end date has passed.
            if target == "terminated":
                refused = not end or end > max(today, start)
            else:
                refused = not end or end >= today
            if refused:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s cannot be %(target)s: its end date "
                        "has not come.",
                        contract=contract.name,
                        target=labels[target].lower(),
                    )
                )

    def _message_unknown_state(self, target):
        return self.env._("Unknown contract state: %(state)s.", state=target)

    @api.depends("contact_ids", "excluded_service_ids")
    def _compute_has_scope_lists(self):
        for contract in self.with_context(active_test=False):
            contract.has_contact_list = bool(contract.contact_ids)
            contract.has_excluded_services = bool(contract.excluded_service_ids)

    def _compute_request_count(self):
        counts = dict(
            self.env["intervention.request"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.request_count = counts.get(contract, 0)

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for contract in self:
            contract.display_name = (
                f"{contract.name} - {contract.partner_id.name}"
                if contract.partner_id
                else contract.name
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        contract=contract.name,
                        end=format_date(self.env, contract.date_end),
                        start=format_date(self.env, contract.date_start),
                    )
                )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for contract in self:
            if contract.partner_id != contract.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A contract is signed with a company: use %(company)s rather "
                        "than its contact %(contact)s.",
                        company=contract.partner_id.commercial_partner_id.display_name,
                        contact=contract.partner_id.display_name,
                    )
                )

    @api.constrains(
        "hourly_rate", "time_unit_rate", "oncall_hourly_rate", "time_unit_minutes"
    )
    def _check_rates(self):
        """Rates are not negative and a time unit lasts at least a minute
        (clear errors for RPC clients before the database's own check)."""
        for contract in self:
            if (
                min(
                    contract.hourly_rate,
                    contract.time_unit_rate,
                    contract.oncall_hourly_rate,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The rates of contract %(contract)s cannot be negative.",
                        contract=contract.name,
                    )
                )
            if contract.time_unit_minutes <= 0:
                raise ValidationError(
                    self.env._("A time unit must last at least one minute.")
                )

    @api.constrains("coverage_type", "coverage_calendar_id")
    def _check_coverage_calendar(self):
        for contract in self:
            if (
                contract.coverage_type != "business"
                and not contract.coverage_calendar_id
            ):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s has extended or on-call coverage: set "
                        "its windows calendar.",
                        contract=contract.name,
                    )
                )

    @api.constrains("resource_calendar_id", "coverage_calendar_id")
    def _check_calendar_working_time(self):
        """Deadlines are counted on these calendars: they need working time."""
        for contract in self:
            for calendar in (
                contract.resource_calendar_id | contract.coverage_calendar_id
            ):
                if not calendar._intervention_has_working_time():
                    raise ValidationError(
                        self.env._(
                            "Contract %(contract)s: the calendar %(calendar)s has no "
                            "working hours, so no deadline could be counted on it. "
                            "Give it working hours or choose another calendar.",
                            contract=contract.name,
                            calendar=calendar.name,
                        )
                    )

    # ------------------------------------------------------------------
    # State actions
    # ------------------------------------------------------------------
    def action_activate(self):
        not_draft = self.filtered(lambda c: c.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Only draft contracts can be activated: %(contracts)s.",
                    contracts=", ".join(not_draft.mapped("name")),
                )
            )
        self.write({"state": "active"})
        return True

    def action_terminate(self):
        not_active = self.filtered(lambda c: c.state != "active")
        if not_active:
            raise UserError(
                self.env._(
                    "Only active contracts can be terminated: %(contracts)s.",
                    contracts=", ".join(not_active.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        for contract in self:
            end = min(contract.date_end or today, today)
            contract.write(
                {"state": "terminated", "date_end": max(end, contract.date_start)}
            )
        return True

    def action_reset_draft(self):
        self.filtered(lambda c: c.state in ("expired", "terminated")).write(
            {"state": "draft"}
        )
        return True

    @api.model
    def _cron_expire_contracts(self, batch_size=500):
        """Mark active contracts whose end date has passed as expired, and
        report the progress to the scheduler (which commits)."""
        done, remaining = self._expire_ended_contracts(batch_size)
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)

    @api.model
    def _expire_ended_contracts(self, batch_size=500):
        """Expire a batch of the active contracts whose end date has passed;
        return (contracts expired, how many remain). Commits nothing, so the
        demo data calls it too.

        Idempotent: due rows only (active, ended), row locks skipping what
        another worker holds, a re-check after the lock; an expired contract
        is no longer due. One savepoint per contract."""
        today = fields.Date.context_today(self)
        Failure = self.env["intervention.cron.failure"]
        domain = Domain("state", "=", "active") & Domain("date_end", "<", today)
        domain &= Failure._blocked_domain(
            "contract_expiry", self._name, fields.Datetime.now()
        )
        contracts = self.search(domain, limit=batch_size, order="date_end, id")
        locked = contracts.try_lock_for_update()
        locked.invalidate_recordset()
        done = Failure._run_each(
            "contract_expiry",
            locked.filtered_domain(domain),
            lambda contract: contract._expire(),
            skipped=len(contracts - locked),
        )
        remaining = self.search_count(domain) if len(contracts) == batch_size else 0
        return done, remaining

    def _expire(self):
        self.write({"state": "expired"})

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "intervention_request.intervention_request_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {
            "default_contract_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # Coverage (A4)
    # ------------------------------------------------------------------
    @api.model
    def _find_for_client(self, partner, when):
        """Return the contracts of ``partner``'s company in force at ``when``.

        ``partner`` may be a record of a form being edited (a NewId record
        wrapping the real partner): the search uses the real company."""
        client = partner.commercial_partner_id._origin
        if not client:
            return self.browse()
        day = fields.Date.to_date(when)
        domain = Domain("partner_id", "=", client.id) & Domain("state", "!=", "draft")
        domain &= Domain("date_start", "<=", day) & (
            Domain("date_end", "=", False) | Domain("date_end", ">=", day)
        )
        return self.search_fetch(domain, INTAKE_FIELDS)

    def _is_in_force(self, when):
        """True when the contract covered the date of ``when`` (a datetime)."""
        self.ensure_one()
        day = fields.Date.to_date(when)
        return (
            self.state != "draft"
            and self.date_start <= day
            and (not self.date_end or day <= self.date_end)
        )

    def _covers_instant(self, when):
        """True when ``when`` lies within the hours the contract covers:
        business hours, plus the extended or on-call windows if subscribed."""
        self.ensure_one()
        # Business hours close on public holidays; extended and on-call
        # windows are precisely what runs on them (seed 001: weekends and
        # public holidays), so their calendar is read without leaves.
        windows = [(self.resource_calendar_id, True)]
        if self.coverage_type != "business":
            windows.append((self.coverage_calendar_id, False))
        return any(
            calendar._intervention_is_working(when, public_holidays=with_leaves)
            for calendar, with_leaves in windows
        )

    def _get_coverage_verdict(
        self,
        when,
        requester=None,
        site=None,
        equipment=None,
        domain=None,
        service=None,
        channel=None,
    ):
        """Decide whether a request is covered by this contract (A4).

        Call on one contract or on an empty recordset (no contract). Returns a
        dict ``{"covered": bool, "reason": code or False, "message": str}``;
        the reason codes are those of ``COVERAGE_REASONS``, checked in that
        order. An empty scope list (sites, domains, contacts) means "no
        restriction"; equipment follows ``equipment_scope``. The scope
        checks (``models/intervention_contract_scope.py``) read the date from
        which each item is covered: an item added by a scope extension covers
        the requests received from its date on.
        """
        if not self:
            return self._verdict(
                "no_contract", self.env._("The client has no contract in force.")
            )
        self.ensure_one()
        day = fields.Date.to_date(when)
        if not self._is_in_force(when):
            return self._verdict("contract_inactive", self._not_in_force_message(day))
        checks = (
            self._check_contact_scope(requester),
            self._check_site_scope(site, day),
            self._check_equipment_scope(equipment, day),
            self._check_domain_scope(domain, day),
            self._check_service_scope(service, day),
            self._check_hours_scope(when, channel),
        )
        for failure in checks:
            if failure:
                return failure
        return {
            "covered": True,
            "reason": False,
            "message": self.env._(
                "Covered by contract %(contract)s.", contract=self.name
            ),
        }

    def _not_in_force_message(self, day):
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        values = {
            "contract": self.name,
            "date": format_date(self.env, day),
            "state": state,
            "start": format_date(self.env, self.date_start),
        }
        if self.date_end:
            return self.env._(
                "Contract %(contract)s is not in force on %(date)s "
                "(%(state)s, valid from %(start)s to %(end)s).",
                end=format_date(self.env, self.date_end),
                **values,
            )
        return self.env._(
            "Contract %(contract)s is not in force on %(date)s "
            "(%(state)s, valid from %(start)s, open-ended).",
            **values,
        )

    @api.model
    def _verdict(self, reason, message):
        return {"covered": False, "reason": reason, "message": message}

    def _check_contact_scope(self, requester):
        if not requester:
            return None
        if requester.commercial_partner_id != self.partner_id:
            return self._verdict(
                "contact",
                self.env._(
                    "%(contact)s is not a contact of %(client)s.",
                    contact=requester.display_name,
                    client=self.partner_id.display_name,
                ),
            )
        if (
            self.has_contact_list
            and self.contact_ids
            and requester not in self.contact_ids
        ):
            return self._verdict(
                "contact",
                self.env._(
                    "%(contact)s is not an authorised contact of contract "
                    "%(contract)s.",
                    contact=requester.display_name,
                    contract=self.name,
                ),
            )
        return None

    def _check_hours_scope(self, when, channel):
        """An after-hours call (channel "on-call") needs a subscription covering
        that instant. Requests sent by other channels out of hours stay covered:
        they are frozen until the next covered period instead (F4)."""
        if channel != "oncall" or self._covers_instant(when):
            return None
        return self._verdict(
            "after_hours",
            self.env._(
                "Contract %(contract)s does not cover after-hours interventions at "
                "that time.",
                contract=self.name,
            ),
        )
