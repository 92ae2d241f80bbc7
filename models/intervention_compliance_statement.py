import statistics
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import business_time
from .intervention_request_sla import PENDING_STATUSES
from .intervention_sla_policy_line import TARGET_TYPES
from .request_lifecycle import SEVERITIES, WAITING_FREEZE_REASONS

STATEMENT_STATES = [("draft", "Draft"), ("sent", "Sent")]
# Freezes that are the client's share of the frozen time: the request was
# waiting on the client (B4); out of hours and "other" are not.
CLIENT_FREEZE_REASONS = WAITING_FREEZE_REASONS
# The same rows as the SLA analysis (report/intervention_sla_report.py).
EXCLUDED_STATUSES = ("no_target", "cancelled")
SEVERITY_ORDER = [key for key, _label in SEVERITIES]
TARGET_ORDER = [key for key, _label in TARGET_TYPES]


def _hours(delta):
    return round(delta.total_seconds() / 3600, 2)


class InterventionComplianceStatement(models.Model):
    """The monthly compliance statement of a contract (I3): per target type
    and severity, the targets counted, met and breached, business times,
    frozen time with the client's share, escalations fired, the breaches
    with why they were late, and the contractual penalties.

    Built from the same rows as the SLA analysis: the requests' SLA targets
    (``intervention.request.sla``, no target and cancelled left out) of the
    requests of the contract received in the month, in the time zone of the
    contract's business hours. One statement per contract and month (unique
    index); figures are recomputed while it is a draft and frozen once sent.
    """

    _name = "intervention.compliance.statement"
    _description = "Compliance Statement"
    _inherit = ["portal.mixin", "mail.thread"]
    _order = "period_start desc, contract_id"

    name = fields.Char(compute="_compute_name", store=True)
    contract_id = fields.Many2one(
        "intervention.contract",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id", store=True, index=True, string="Client"
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_start = fields.Date(
        string="Month",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        ),
        help="First day of the month the statement covers.",
    )
    period_end = fields.Date(compute="_compute_period_end", store=True)
    state = fields.Selection(
        STATEMENT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Draft: figures can be recomputed.\n"
        "Sent: sent to the client's contacts; figures no longer change.",
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    line_ids = fields.One2many(
        "intervention.compliance.statement.line", "statement_id", string="Figures"
    )
    breach_ids = fields.One2many(
        "intervention.compliance.statement.breach", "statement_id", string="Breaches"
    )
    freeze_ids = fields.One2many(
        "intervention.compliance.statement.freeze",
        "statement_id",
        string="Frozen Time",
    )
    request_count = fields.Integer(string="Requests", readonly=True)
    target_count = fields.Integer(string="Targets", readonly=True)
    met_count = fields.Integer(string="Met", readonly=True)
    breached_count = fields.Integer(string="Breached", readonly=True)
    pending_count = fields.Integer(string="Pending", readonly=True)
    compliance_rate = fields.Float(
        string="Compliance (%)",
        digits=(16, 1),
        readonly=True,
        help="Targets met among those met or breached, all types together.",
    )
    frozen_hours = fields.Float(
        string="Frozen (business hours)", digits=(16, 2), readonly=True
    )
    frozen_client_hours = fields.Float(
        string="Frozen on Client's Side (business hours)",
        digits=(16, 2),
        readonly=True,
    )
    escalation_count = fields.Integer(string="Escalations Fired", readonly=True)
    after_hours_call_count = fields.Integer(string="After-hours Calls", readonly=True)
    fee_amount = fields.Monetary(string="Period Fee", readonly=True)
    penalty_breach_amount = fields.Monetary(string="Breach Penalties", readonly=True)
    penalty_threshold_amount = fields.Monetary(string="Threshold Credit", readonly=True)
    penalty_cap = fields.Monetary(string="Cap", readonly=True)
    penalty_amount = fields.Monetary(
        string="Penalties Due", readonly=True, help="After the cap."
    )
    credit_note_ids = fields.One2many(
        "account.move", "compliance_statement_id", string="Credit Notes"
    )
    credit_note_id = fields.Many2one("account.move", compute="_compute_credit_note_id")

    _contract_period_uniq = models.UniqueIndex(
        "(contract_id, period_start)",
        "A contract has one compliance statement per month.",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("contract_id.name", "period_start")
    def _compute_name(self):
        for statement in self:
            month = statement.period_start and statement.period_start.strftime("%Y-%m")
            statement.name = f"{statement.contract_id.name or ''} {month or ''}".strip()

    @api.depends("period_start")
    def _compute_period_end(self):
        for statement in self:
            start = statement.period_start
            statement.period_end = (
                start + relativedelta(months=1, days=-1) if start else False
            )

    @api.depends("credit_note_ids")
    def _compute_credit_note_id(self):
        for statement in self:
            statement.credit_note_id = statement.credit_note_ids[:1]

    def _compute_access_url(self):
        for statement in self:
            statement.access_url = f"/my/compliance/{statement.id}"

    @api.constrains("period_start")
    def _check_period_start(self):
        for statement in self:
            if statement.period_start.day != 1:
                raise ValidationError(
                    self.env._(
                        "A compliance statement covers a calendar month: its month "
                        "must start on the first day (%(date)s given).",
                        date=statement.period_start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("period_start"):
                vals["period_start"] = fields.Date.to_date(
                    vals["period_start"]
                ).replace(day=1)
        statements = super().create(vals_list)
        statements._compute_figures()
        return statements

    def write(self, vals):
        if {"contract_id", "period_start"}.intersection(vals) and self.filtered(
            lambda s: s.state == "sent"
        ):
            raise UserError(self.env._("A sent statement cannot change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if self.filtered(lambda s: s.state == "sent" or s.credit_note_ids):
            raise UserError(
                self.env._(
                    "A statement sent to the client or credited cannot be deleted."
                )
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_recompute(self):
        """Recompute the figures of draft statements (not once sent or
        credited: the client and finance have seen them)."""
        locked = self.filtered(lambda s: s.state == "sent" or s.credit_note_ids)
        if locked:
            raise UserError(
                self.env._(
                    "%(statements)s was sent or credited: its figures no longer "
                    "change.",
                    statements=", ".join(locked.mapped("name")),
                )
            )
        self._compute_figures()
        return True

    def action_send(self):
        """Send the statements to their contracts' contacts now."""
        self._send_statements()
        return True

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _period_bounds(self):
        """The month as naive UTC instants, in the zone of the contract's
        business hours (so a request received on the 1st at 00:30 Paris time
        falls in that month)."""
        self.ensure_one()
        calendar = (
            self.contract_id.resource_calendar_id
            or self.company_id.resource_calendar_id
        )
        tz = ZoneInfo(calendar.tz or "UTC")
        bounds = []
        for day in (self.period_start, self.period_end + timedelta(days=1)):
            local = datetime.combine(day, time.min).replace(tzinfo=tz)
            bounds.append(business_time.to_naive_utc(local))
        return tuple(bounds)

    def _statement_targets(self):
        """The SLA targets the statement counts: those of the contract's
        requests received in the month, as the SLA analysis counts them."""
        self.ensure_one()
        start, end = self._period_bounds()
        domain = [
            ("request_id.contract_id", "=", self.contract_id.id),
            ("request_id.date_received", ">=", start),
            ("request_id.date_received", "<", end),
        ]
        Target = self.env["intervention.request.sla"].sudo()
        # Statuses are stored and refreshed every few minutes by the SLA
        # cron: bring the overdue ones up to date first, as that cron would.
        now = fields.Datetime.now()
        overdue = Target.search(
            domain + [("status", "in", PENDING_STATUSES), ("deadline", "<=", now)]
        )
        overdue.request_id._sla_sync()
        return Target.search(domain + [("status", "not in", EXCLUDED_STATUSES)])

    def _compute_figures(self):
        now = fields.Datetime.now()
        for statement in self:
            # The reasons of the breaches are stored text: in the client's
            # language, whoever (or whichever cron) computes them.
            statement = statement.with_context(
                lang=statement.partner_id.lang or self.env.lang
            )
            targets = statement._statement_targets()
            timelines = statement._timelines(targets.request_id, now)
            line_values = statement._prepare_line_values(targets, timelines, now)
            breach_values = statement._prepare_breach_values(targets, timelines, now)
            freeze_values = statement._prepare_freeze_values(
                targets.request_id, timelines, now
            )
            start, end = statement._period_bounds()
            calls = (
                self.env["intervention.oncall.call"]
                .sudo()
                .search_count(
                    [
                        ("contract_id", "=", statement.contract_id.id),
                        ("date_call", ">=", start),
                        ("date_call", "<", end),
                    ]
                )
            )
            met = sum(v["met_count"] for v in line_values)
            breached = sum(v["breached_count"] for v in line_values)
            values = {
                "line_ids": [fields.Command.clear()]
                + [fields.Command.create(v) for v in line_values],
                "breach_ids": [fields.Command.clear()]
                + [fields.Command.create(v) for v in breach_values],
                "freeze_ids": [fields.Command.clear()]
                + [fields.Command.create(v) for v in freeze_values],
                "request_count": len(targets.request_id),
                "target_count": len(targets),
                "met_count": met,
                "breached_count": breached,
                "pending_count": sum(v["pending_count"] for v in line_values),
                "compliance_rate": round(100.0 * met / (met + breached), 1)
                if met + breached
                else 0.0,
                "frozen_hours": round(
                    sum(v["business_hours"] for v in freeze_values), 2
                ),
                "frozen_client_hours": round(
                    sum(v["business_hours"] for v in freeze_values if v["is_client"]),
                    2,
                ),
                "escalation_count": sum(v["escalation_count"] for v in line_values),
                "after_hours_call_count": calls,
                "date_computed": now,
            }
            values.update(statement._prepare_penalty_values(line_values, met, breached))
            statement.write(values)

    def _timelines(self, requests, now):
        """One business-time timeline per calendar of ``requests``, long
        enough for every instant the statement measures."""
        groups = defaultdict(lambda: self.env["intervention.request"])
        for request in requests:
            groups[request._sla_calendar()] |= request
        timelines = {}
        for (calendar, holidays), group in groups.items():
            if not calendar:
                continue
            instants = [now]
            for request in group:
                instants += [t.date_start for t in request.sla_ids if t.date_start]
                instants += [t.deadline for t in request.sla_ids if t.deadline]
                instants += [t.date_reached for t in request.sla_ids if t.date_reached]
                instants += [f.date_start for f in request.freeze_ids]
                instants += [f.date_end for f in request.freeze_ids if f.date_end]
            timelines[calendar, holidays] = calendar._intervention_timeline(
                min(instants) - timedelta(days=1),
                max(instants) + timedelta(days=1),
                public_holidays=holidays,
            )
        return timelines

    @api.model
    def _frozen(self, timeline, start, end, freezes):
        """Business time of ``freezes`` (freeze records) inside [start, end],
        as (total, client's share) timedeltas. A running freeze ends at
        ``end``. Overlapping freezes count once."""
        if not timeline or not start or not end or end <= start:
            return timedelta(0), timedelta(0)
        full = timeline.elapsed(start, end)

        def frozen(records):
            pairs = [(f.date_start, f.date_end or end) for f in records]
            return full - timeline.elapsed(start, end, pairs)

        client = freezes.filtered(lambda f: f.reason in CLIENT_FREEZE_REASONS)
        return frozen(freezes), frozen(client)

    def _prepare_line_values(self, targets, timelines, now):
        groups = defaultdict(lambda: self.env["intervention.request.sla"])
        for target in targets:
            groups[target.target_type, target.request_id.severity] |= target
        lines = []
        for target_type, severity in sorted(
            groups,
            key=lambda k: (TARGET_ORDER.index(k[0]), SEVERITY_ORDER.index(k[1])),
        ):
            group = groups[target_type, severity]
            lines.append(
                self._prepare_one_line(target_type, severity, group, timelines, now)
            )
            lines[-1]["sequence"] = len(lines)
        return lines

    def _prepare_one_line(self, target_type, severity, group, timelines, now):
        met = group.filtered(lambda t: t.status == "met")
        breached = group.filtered(lambda t: t.status == "breached")
        reached = group.filtered("date_reached")
        used = reached.mapped("business_hours_used")
        frozen = client = timedelta(0)
        for target in group:
            timeline = timelines.get(target.request_id._sla_calendar())
            total, share = self._frozen(
                timeline,
                target.date_start,
                target.date_reached or now,
                target.request_id.freeze_ids,
            )
            frozen, client = frozen + total, client + share
        escalations = group.request_id.escalation_ids.filtered(
            lambda e: e.state == "fired" and e.target_type == target_type
        )
        rate = self.contract_id._compliance_penalty_rate(target_type, severity)
        decided = len(met) + len(breached)
        return {
            "target_type": target_type,
            "severity": severity,
            "target_count": len(group),
            "met_count": len(met),
            "breached_count": len(breached),
            "pending_count": len(group) - decided,
            "compliance_rate": round(100.0 * len(met) / decided, 1) if decided else 0.0,
            "median_hours": round(statistics.median(used), 2) if used else 0.0,
            "worst_hours": round(max(used), 2) if used else 0.0,
            "frozen_hours": _hours(frozen),
            "frozen_client_hours": _hours(client),
            "escalation_count": len(escalations),
            "penalty_rate": rate,
            "penalty_amount": rate * len(breached),
        }

    def _prepare_breach_values(self, targets, timelines, now):
        breaches = []
        breached = targets.filtered(lambda t: t.status == "breached")
        for target in breached.sorted(lambda t: (t.deadline or now, t.id)):
            request = target.request_id
            timeline = timelines.get(request._sla_calendar())
            end = target.date_reached or now
            late = (
                timeline.elapsed(target.deadline, end, request._sla_freezes(now))
                if timeline and target.deadline
                else timedelta(0)
            )
            frozen, client = self._frozen(
                timeline, target.date_start, end, request.freeze_ids
            )
            breaches.append(
                {
                    "request_id": request.id,
                    "request_name": request.name,
                    "summary": request.summary,
                    "target_type": target.target_type,
                    "severity": request.severity,
                    "deadline": target.deadline,
                    "date_reached": target.date_reached,
                    "late_hours": _hours(late),
                    "frozen_hours": _hours(frozen),
                    "frozen_client_hours": _hours(client),
                    "reopen_count": request.escalation_cycle,
                    "explanation": self._breach_explanation(
                        request, target, _hours(frozen)
                    ),
                }
            )
        return breaches

    def _breach_explanation(self, request, target, frozen_hours):
        """Why a target was late, in words: the freezes of its clock window
        (with their reasons) and the reopenings of the request."""
        labels = dict(
            self.env["intervention.freeze"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        end = target.date_reached or fields.Datetime.now()
        reasons = sorted(
            {
                labels[f.reason]
                for f in request.freeze_ids
                if f.date_start < end
                and (not f.date_end or f.date_end > (target.date_start or end))
            }
        )
        parts = []
        if frozen_hours:
            parts.append(
                self.env._(
                    "frozen %(hours)s business hours (%(reasons)s)",
                    hours=f"{frozen_hours:.2f}",
                    reasons=", ".join(reasons),
                )
            )
        if request.escalation_cycle:
            parts.append(
                self.env._("reopened %(count)s time(s)", count=request.escalation_cycle)
            )
        if not parts:
            return self.env._("Late on our side: no freeze, no reopening.")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "."

    def _prepare_freeze_values(self, requests, timelines, now):
        """Business time frozen per reason on the statement's requests (each
        freeze over its whole length; a running one up to now)."""
        per_reason = defaultdict(lambda: [0, timedelta(0)])
        for request in requests:
            timeline = timelines.get(request._sla_calendar())
            for freeze in request.freeze_ids:
                end = freeze.date_end or now
                per_reason[freeze.reason][0] += 1
                if timeline and end > freeze.date_start:
                    per_reason[freeze.reason][1] += timeline.elapsed(
                        freeze.date_start, end
                    )
        return [
            {
                "reason": reason,
                "is_client": reason in CLIENT_FREEZE_REASONS,
                "freeze_count": count,
                "business_hours": _hours(duration),
            }
            for reason, (count, duration) in sorted(per_reason.items())
        ]

    def _prepare_penalty_values(self, line_values, met, breached):
        """Penalties of the contract (none by default): the rates per breach,
        plus the credit owed under the compliance threshold, capped."""
        contract = self.contract_id
        by_breach = sum(v["penalty_amount"] for v in line_values)
        threshold = 0.0
        decided = met + breached
        if (
            contract.compliance_threshold
            and decided
            and 100.0 * met / decided < contract.compliance_threshold
        ):
            threshold = (
                contract.compliance_period_fee
                * contract.compliance_credit_percent
                / 100
            )
        total = by_breach + threshold
        cap = contract.compliance_penalty_cap
        return {
            "fee_amount": contract.compliance_period_fee,
            "penalty_breach_amount": by_breach,
            "penalty_threshold_amount": self.currency_id.round(threshold),
            "penalty_cap": cap,
            "penalty_amount": self.currency_id.round(min(total, cap) if cap else total),
        }
