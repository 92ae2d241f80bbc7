import logging
from datetime import datetime

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_datetime

from ..tools import business_time
from .intervention_request_coverage_mixin import COVERAGE_FIELDS
from .intervention_request_sla import SLA_STATUSES, STATUS_SEVERITY
from .intervention_sla_policy_line import TARGET_TYPES
from .request_lifecycle import FINAL_STATES, SLA_DEFERRED_CONTEXT_KEY, SOLVED_STATES
from .resource_calendar import NoWorkingTimeError

_logger = logging.getLogger(__name__)

# Fields whose change moves the SLA clocks (C3): the coverage verdict's
# inputs too, as a request that is not covered carries no contractual target.
SLA_TRIGGER_FIELDS = {
    *COVERAGE_FIELDS,
    "severity",
    "priority",
    "kind",
    "sla_policy_id",
    "state",
    "date_onsite_assigned",
    "date_onsite_arrival",
    "company_id",
}
TARGET_ORDER = ("take_in_charge", "workaround", "resolution", "onsite")
# The request's badge: the status of its next due target.
SLA_BADGE_STATUSES = [
    ("on_time", "On time"),
    ("at_risk", "At risk"),
    ("paused", "Paused"),
    ("breached", "Breached"),
]
BADGE_OF_TARGET_STATUS = {
    "running": "on_time",
    "at_risk": "at_risk",
    "paused": "paused",
    "breached": "breached",
}


class InterventionRequestClockMixin(models.AbstractModel):
    """The request's SLA clocks (C1-C4, F4): which policy applies, on which
    calendar, the targets' deadlines and statuses, and the out-of-hours freeze.
    The arithmetic is in ``tools/business_time.py``; the targets are
    ``intervention.request.sla`` records kept in step by ``_sla_sync``.
    """

    _name = "intervention.request.clock.mixin"
    _description = "Request SLA Clocks"

    sla_policy_id = fields.Many2one(
        "intervention.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
    )
    sla_ids = fields.One2many(
        "intervention.request.sla", "request_id", string="SLA Targets"
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_summary",
        store=True,
        index=True,
    )
    sla_deadline = fields.Datetime(
        string="Next Deadline",
        compute="_compute_sla_summary",
        store=True,
        index=True,
        help="The nearest deadline of the targets still running.",
    )
    sla_next_target = fields.Selection(
        TARGET_TYPES,
        string="Next Target",
        compute="_compute_sla_next",
        store=True,
        help="The target the request is due to reach next: of those not reached "
        "yet, the one with the nearest deadline (an overdue one first).",
    )
    sla_next_deadline = fields.Datetime(
        string="Next Target Deadline", compute="_compute_sla_next", store=True
    )
    sla_badge_status = fields.Selection(
        SLA_BADGE_STATUSES,
        string="Next Target Status",
        compute="_compute_sla_next",
        store=True,
        index=True,
        help="On time, at risk, paused or breached: the status of the next target "
        "only. Targets already reached do not count; a request that is not "
        "covered has no contractual target.",
    )
    sla_badge = fields.Char(
        string="SLA",
        compute="_compute_sla_badge",
        help="The next target, its status and its deadline, in one badge.",
    )
    escalation_cycle = fields.Integer(
        readonly=True,
        copy=False,
        help="Escalation levels fire once per cycle; reopening starts a new one.",
    )
    escalation_ids = fields.One2many(
        "intervention.request.escalation", "request_id", string="Escalations"
    )
    date_onsite_arrival = fields.Datetime(
        string="Technician Arrived On", readonly=True, copy=False
    )

    @api.depends("contract_id.sla_policy_id", "company_id.intervention_sla_policy_id")
    def _compute_sla_policy_id(self):
        for request in self:
            request.sla_policy_id = (
                request.contract_id.sla_policy_id
                or request.company_id.intervention_sla_policy_id
            )

    @api.depends("sla_ids.status", "sla_ids.deadline")
    def _compute_sla_summary(self):
        for request in self:
            targets = request.sla_ids
            statuses = set(targets.mapped("status"))
            request.sla_status = next(
                (s for s in STATUS_SEVERITY if s in statuses), False
            )
            pending = targets.filtered(
                lambda t: t.deadline and t.status in ("running", "at_risk", "paused")
            )
            request.sla_deadline = min(pending.mapped("deadline")) if pending else False

    @api.depends(
        "sla_ids.status",
        "sla_ids.deadline",
        "sla_ids.date_reached",
        "coverage_state",
    )
    def _compute_sla_next(self):
        for request in self:
            target = request._sla_next_due_target()
            request.sla_next_target = target.target_type
            request.sla_next_deadline = target.deadline
            request.sla_badge_status = BADGE_OF_TARGET_STATUS.get(target.status, False)

    def _sla_next_due_target(self):
        """The target the request must reach next, or an empty recordset.

        Only targets not reached yet count: a target met (or met late) is
        history, not the request's status. An overdue target comes first
        (its deadline is the earliest), a paused one without deadline last.
        A request that is not covered has no contractual target at all."""
        self.ensure_one()
        if self.coverage_state == "not_covered":
            return self.env["intervention.request.sla"]
        pending = self.sla_ids.filtered(
            lambda t: not t.date_reached and t.status in BADGE_OF_TARGET_STATUS
        )
        return pending.sorted(
            lambda t: (
                not t.deadline,
                t.deadline or datetime.min,
                TARGET_ORDER.index(t.target_type),
            )
        )[:1]

    @api.depends("sla_next_target", "sla_next_deadline", "sla_badge_status")
    @api.depends_context("tz", "lang")
    def _compute_sla_badge(self):
        targets = dict(self._fields["sla_next_target"]._description_selection(self.env))
        statuses = dict(
            self._fields["sla_badge_status"]._description_selection(self.env)
        )
        for request in self:
            if not request.sla_badge_status:
                request.sla_badge = False
                continue
            values = {
                "target": targets[request.sla_next_target],
                "status": statuses[request.sla_badge_status],
            }
            if request.sla_next_deadline:
                request.sla_badge = self.env._(
                    "%(target)s: %(status)s, due %(deadline)s",
                    deadline=format_datetime(
                        self.env,
                        request.sla_next_deadline,
                        tz=self.env.tz.zone,
                        dt_format="short",
                    ),
                    **values,
                )
            else:
                request.sla_badge = self.env._("%(target)s: %(status)s", **values)

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        # New requests have no target nor escalation row yet: the engine
        # skips looking for them (a single intake saves four queries).
        requests.with_context(intervention_sla_fresh=True)._sla_sync()
        return requests

    def action_check_coverage(self):
        """A new verdict adds or removes the contractual targets."""
        result = super().action_check_coverage()
        self._sla_sync()
        return result

    def write(self, vals):
        result = super().write(vals)
        # A state change syncs the clocks in its effects (_transition_clocks).
        if SLA_TRIGGER_FIELDS.intersection(vals) - {"state"}:
            self._sla_sync()
        return result

    def _transition_clocks(self, target, previous, when):
        """The one SLA sync (and escalation planning) of a transition, after
        the freezes it opened or closed."""
        self.with_context(**{SLA_DEFERRED_CONTEXT_KEY: False})._sla_sync()

    def _sla_sync(self):
        """Bring the SLA targets and the out-of-hours freeze of these requests
        in line with their current data, then plan their escalations. Skipped
        inside a transition until its ``_transition_clocks`` effect."""
        context = self.env.context
        if (
            context.get("intervention_sla_syncing")
            or context.get(SLA_DEFERRED_CONTEXT_KEY)
            or not self
        ):
            return
        # Targets are the engine's, never the user's: users only read them.
        fresh = bool(self.env.context.get("intervention_sla_fresh"))
        env = (
            self.sudo()
            .with_context(intervention_sla_syncing=True, intervention_sla_fresh=False)
            .env
        )
        requests = self.sudo().with_env(env)
        timelines = env["intervention.request.sla"]._sync_requests(
            requests, fresh=fresh
        )
        env["intervention.request.escalation"]._sync_requests(
            requests if fresh else requests.exists(), timelines, fresh=fresh
        )

    def action_onsite_arrival(self):
        """Record the field technician's arrival: it reaches the on-site GTI target."""
        for request in self.filtered(lambda r: not r.date_onsite_arrival):
            request.date_onsite_arrival = fields.Datetime.now()
        return True

    # ------------------------------------------------------------------
    # What the engine reads
    # ------------------------------------------------------------------
    def _sla_calendar(self):
        """(calendar, count public holidays) the clocks run on: the
        contract's business hours, or its own extended / on-call windows
        (C2), which run on public holidays; else the company's calendar."""
        self.ensure_one()
        contract = self.contract_id
        if (
            contract
            and contract.coverage_type != "business"
            and contract.coverage_calendar_id
        ):
            return contract.coverage_calendar_id, False
        if contract:
            return contract.resource_calendar_id, True
        return self.company_id.resource_calendar_id, True

    def _sla_targets(self):
        """(target type, policy line terms, clock start) of each target that
        applies, the line as ``LineTerms`` (``intervention.sla.policy``).

        Change requests carry no SLA (B1), nor do requests that are not
        covered (no contract commits to them); the on-site GTI starts at the
        on-site assignment (B3), the others at reception."""
        self.ensure_one()
        policy = self.sla_policy_id
        if (
            not policy
            or self.kind != "incident"
            or self.coverage_state == "not_covered"
        ):
            return []
        targets = []
        for target_type in TARGET_ORDER:
            start = (
                self.date_onsite_assigned
                if target_type == "onsite"
                else self.date_received
            )
            if not start:
                continue
            line = policy._find_terms(target_type, self.severity, self.priority)
            if line:
                targets.append((target_type, line, start))
        return targets

    def _sla_reached(self, target_type):
        """When the target was met, or False while it is not."""
        self.ensure_one()
        resolved = self.date_resolved if self.state in SOLVED_STATES else False
        if target_type == "take_in_charge":
            return self.date_qualified
        if target_type == "workaround":
            return self.date_workaround or resolved
        if target_type == "resolution":
            return resolved
        # On site: the technician's arrival, else the fix he brought there.
        return self.date_onsite_arrival or self.date_workaround or resolved

    def _sla_freezes(self, now):
        """The request's freezes as (start, end) pairs; a running freeze ends
        now (the clock is paused until it closes)."""
        self.ensure_one()
        return [
            (freeze.date_start, freeze.date_end or max(now, freeze.date_start))
            for freeze in self.freeze_ids
        ]

    def _is_frozen_at(self, instant):
        self.ensure_one()
        return any(
            freeze.date_start <= instant
            and (not freeze.date_end or instant < freeze.date_end)
            for freeze in self.freeze_ids
        )

    def _sync_out_of_hours_freeze(self, timeline):
        """F4: a request received outside the covered hours is frozen from its
        reception to the next covered period. The holds no longer needed are
        removed in one ``unlink`` (a holiday moved frees every request
        received on its old date)."""
        Freeze = self.env["intervention.freeze"]
        to_create = []
        obsolete = Freeze.browse()
        for request in self:
            current = request.freeze_ids.filtered(lambda f: f.reason == "out_of_hours")
            received = request.date_received
            if timeline.is_working(received):
                obsolete |= current
                continue
            opening = request._sla_next_opening(received, timeline)
            if not opening:
                obsolete |= current
                continue
            if len(current) == 1:
                if (current.date_start, current.date_end) != (received, opening):
                    current.write({"date_start": received, "date_end": opening})
                continue
            obsolete |= current
            to_create.append(
                {
                    "request_id": request.id,
                    "reason": "out_of_hours",
                    "date_start": received,
                    "date_end": opening,
                    "note": self.env._("Held until the next covered period"),
                }
            )
        obsolete.unlink()
        if to_create:
            Freeze.create(to_create)

    def _sla_next_opening(self, instant, timeline=None):
        """The next covered instant from ``instant`` on the request's SLA
        calendar (naive UTC), or False when the calendar has no working time
        (logged: the targets then say why they have no deadline)."""
        self.ensure_one()
        calendar, holidays = self._sla_calendar()
        try:
            opening = calendar._intervention_compute(
                instant,
                lambda timeline: timeline.next_opening(instant),
                holidays,
                timeline=timeline,
            )
        except NoWorkingTimeError as error:
            _logger.warning("No out-of-hours freeze for %s: %s", self.name, error)
            return False
        return business_time.to_naive_utc(opening)

    # ------------------------------------------------------------------
    # Search helpers for the views
    # ------------------------------------------------------------------
    @api.model
    def _sla_requests_on_calendars(self, calendars=None):
        """Open requests whose clocks run on ``calendars`` (None: all)."""
        return self.search(self._sla_open_on_calendars_domain(calendars))

    @api.model
    def _sla_open_on_calendars_domain(self, calendars=None):
        """Domain of the open requests with SLA targets whose clocks run on
        ``calendars`` (None: all)."""
        domain = Domain("state", "not in", FINAL_STATES) & Domain(
            "sla_ids", "!=", False
        )
        if calendars is not None:
            contracts = self.env["intervention.contract"].search(
                [
                    "|",
                    ("resource_calendar_id", "in", calendars.ids),
                    ("coverage_calendar_id", "in", calendars.ids),
                ]
            )
            companies = self.env["res.company"].search(
                [("resource_calendar_id", "in", calendars.ids)]
            )
            domain &= Domain("contract_id", "in", contracts.ids) | (
                Domain("contract_id", "=", False)
                & Domain("company_id", "in", companies.ids)
            )
        return domain
