import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import business_time
from .intervention_sla_policy_line import TARGET_TYPES, TARGET_UNITS
from .resource_calendar import NoWorkingTimeError

_logger = logging.getLogger(__name__)

SLA_STATUSES = [
    ("running", "Running"),
    ("at_risk", "At risk"),
    ("paused", "Paused"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("no_target", "No target"),
    ("cancelled", "Cancelled"),
]
# Worst first: the request shows the worst status of its targets.
STATUS_SEVERITY = [
    "breached",
    "at_risk",
    "paused",
    "running",
    "met",
    "cancelled",
    "no_target",
]
PENDING_STATUSES = ("running", "at_risk", "paused")
# Calendar days fetched beyond the latest start, grown when too short.
HORIZON_DAYS = 90


class InterventionRequestSla(models.Model):
    """One SLA target of one request (C3, C4): when its clock started, its
    deadline in business time, when it was reached and its status.

    Records are created, updated and removed by ``_sync_requests``, never by
    hand; the status is stored for reporting and refreshed by a scheduled
    action as deadlines pass.
    """

    _name = "intervention.request.sla"
    _description = "Request SLA Target"
    # By the request's id, not its own order: reading ``sla_ids`` orders by
    # this, and ordering by the request's order would join and sort the
    # request table at every read (90 ms a batch at 100,000 requests).
    _order = "request_id.id desc, target_type"

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade", index=True
    )
    # Precomputed: given in the INSERT, not by an UPDATE after it.
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    target_type = fields.Selection(TARGET_TYPES, string="Target", required=True)
    policy_line_id = fields.Many2one(
        "intervention.sla.policy.line", string="Policy Target", ondelete="set null"
    )
    unit = fields.Selection(TARGET_UNITS)
    duration = fields.Float(digits=(16, 2))
    note = fields.Char()
    date_start = fields.Datetime(string="Clock Start")
    deadline = fields.Datetime()
    date_at_risk = fields.Datetime(string="At Risk On")
    date_reached = fields.Datetime(string="Reached On")
    date_resume = fields.Datetime(
        string="Paused Until",
        help="When a paused target's clock starts again by itself: the end of the "
        "freeze holding it (e.g. the next covered period). Empty while waiting on "
        "the client, which ends with the client's answer.",
    )
    business_hours_used = fields.Float(
        help="Business hours from the clock start to the target being reached, freezes "
        "excluded.",
    )
    status = fields.Selection(
        SLA_STATUSES, required=True, default="running", index=True
    )
    remaining_hours = fields.Float(
        string="Remaining (business hours)",
        compute="_compute_remaining_hours",
        help="Negative once breached.",
    )

    _request_target_uniq = models.UniqueIndex(
        "(request_id, target_type)", "A request has one target of each kind."
    )
    _pending_deadline_idx = models.Index(
        "(deadline) WHERE status IN ('running', 'at_risk', 'paused')"
    )
    _running_at_risk_idx = models.Index("(date_at_risk) WHERE status = 'running'")
    _paused_resume_idx = models.Index("(date_resume) WHERE status = 'paused'")

    # ------------------------------------------------------------------
    # Display
    # ------------------------------------------------------------------
    @api.depends("deadline", "status")
    def _compute_remaining_hours(self):
        now = fields.Datetime.now()
        pending = self.filtered(lambda t: t.deadline and t.status in PENDING_STATUSES)
        (self - pending).remaining_hours = 0.0
        for (calendar, holidays), targets in pending._group_by_calendar().items():
            low = min([now, *targets.mapped("deadline")])
            high = max([now, *targets.mapped("deadline")])
            timeline = calendar._intervention_timeline(
                low, high, public_holidays=holidays
            )
            for target in targets:
                freezes = target.request_id._sla_freezes(now)
                if target.deadline >= now:
                    remaining = timeline.elapsed(now, target.deadline, freezes)
                    target.remaining_hours = remaining.total_seconds() / 3600
                else:
                    late = timeline.elapsed(target.deadline, now, freezes)
                    target.remaining_hours = -late.total_seconds() / 3600

    def _group_by_calendar(self):
        groups = defaultdict(lambda: self.browse())
        for target in self:
            groups[target.request_id._sla_calendar()] |= target
        return groups

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _sync_requests(self, requests, fresh=False):
        """Create, update or remove the SLA targets of ``requests`` and their
        out-of-hours freezes, fetching each calendar's working time once for
        the whole batch. Returns the timelines used, by calendar key.
        ``fresh``: the requests were just created, they have no target yet."""
        if not fresh:
            requests = requests.exists()
        timelines = {}
        if not requests:
            return timelines
        now = fields.Datetime.now()
        existing = (
            self.browse()
            if fresh
            else self.search([("request_id", "in", requests.ids)])
        )
        by_key = {
            (target.request_id.id, target.target_type): target for target in existing
        }
        wanted = {}
        by_calendar = defaultdict(lambda: self.env["intervention.request"])
        for request in requests:
            by_calendar[request._sla_calendar()] |= request
        # What the cached work intervals are looked up by, fetched alone
        # (not the calendar's every column) for all the calendars at once.
        self.env["resource.calendar"].union(
            *(calendar for calendar, _holidays in by_calendar)
        ).fetch(["tz", "intervention_intervals_version"])
        for (calendar, holidays), group in by_calendar.items():
            if not calendar:
                continue
            timeline = self._timeline_for(calendar, holidays, group, now)
            timelines[calendar, holidays] = timeline
            group._sync_out_of_hours_freeze(timeline)
            for request in group:
                freezes = request._sla_freezes(now)
                for target_type, line, start in request._sla_targets():
                    wanted[request.id, target_type] = self._target_values(
                        request, target_type, line, start, freezes, timeline, now
                    )
        self._apply(by_key, wanted)
        return timelines

    @api.model
    def _timeline_for(self, calendar, holidays, requests, now, days=HORIZON_DAYS):
        starts = [r.date_received for r in requests] + [
            r.date_onsite_assigned for r in requests if r.date_onsite_assigned
        ]
        first = min([*starts, now])
        last = max([*starts, now])
        return calendar._intervention_timeline(
            first, last + timedelta(days=days), public_holidays=holidays
        )

    @api.model
    def _target_values(self, request, target_type, line, start, freezes, timeline, now):
        """The values of one target; ``line``: the policy line's ``LineTerms``."""
        values = {
            "request_id": request.id,
            "target_type": target_type,
            "policy_line_id": line.id,
            "unit": line.unit,
            "duration": line.duration,
            "note": line.note,
            "date_start": start,
            "date_reached": request._sla_reached(target_type) or False,
            "deadline": False,
            "date_at_risk": False,
            "date_resume": False,
            "business_hours_used": 0.0,
        }
        if line.unit == "none":
            values["status"] = "no_target"
            return values
        try:
            deadline, at_risk, used = self._compute_clock(
                line, start, values["date_reached"], freezes, timeline, request
            )
        except NoWorkingTimeError as error:
            # Never a traceback where a request is created, cancelled or its
            # policy edited: the target says why it has no deadline.
            deadline, at_risk, used = False, False, 0.0
            values["note"] = error.args[0]
        values.update(deadline=deadline, date_at_risk=at_risk, business_hours_used=used)
        values["status"] = self._status(values, request, now)
        if values["status"] == "paused":
            values["date_resume"] = self._resume_date(request, now)
        return values

    @api.model
    def _resume_date(self, request, now):
        """When the freezes holding ``request`` at ``now`` end by themselves
        (the earliest end), or False when one of them only ends by an action
        (waiting on the client). The status cron re-syncs the target then, so
        that a request received out of hours does not stay "paused" once the
        covered period has begun."""
        holding = request.freeze_ids.filtered(
            lambda f: f.date_start <= now and (not f.date_end or now < f.date_end)
        )
        if not holding or any(not freeze.date_end for freeze in holding):
            return False
        return min(holding.mapped("date_end"))

    @api.model
    def _compute_clock(self, line, start, reached, freezes, timeline, request):
        """Deadline, at-risk instant and business hours used (at reach), as
        naive UTC datetimes; the batch's timeline grows when it is too short
        (``resource.calendar._intervention_compute``). A calendar without
        working time gives no deadline and says why in ``error``."""

        def clock(timeline):
            if line.unit == "days":
                deadline = timeline.add_days(start, int(line.duration), freezes)
            else:
                deadline = timeline.add(start, timedelta(hours=line.duration), freezes)
            total = timeline.elapsed(start, deadline, freezes)
            percent = request.sla_policy_id.at_risk_percent / 100
            at_risk = timeline.add(start, total * percent, freezes)
            used = (
                timeline.elapsed(start, reached, freezes).total_seconds() / 3600
                if reached
                else 0.0
            )
            return (
                business_time.to_naive_utc(deadline),
                business_time.to_naive_utc(at_risk),
                used,
            )

        calendar, holidays = request._sla_calendar()
        try:
            return calendar._intervention_compute(
                min(start, fields.Datetime.now()),
                clock,
                holidays,
                days=HORIZON_DAYS,
                timeline=timeline,
            )
        except business_time.ClockPaused:
            # A running freeze passed as open-ended: no deadline until
            # it closes (callers pass running freezes as ending now).
            return False, False, 0.0
        except NoWorkingTimeError as error:
            _logger.warning(
                "No deadline for %s (%s): %s",
                request.name,
                self.env["intervention.sla.policy.line"].browse(line.id).display_name,
                error,
            )
            raise

    @api.model
    def _status(self, values, request, now):
        """The status of a target from its clock values (C4)."""
        reached, deadline = values["date_reached"], values["deadline"]
        if reached:
            return "met" if not deadline or reached <= deadline else "breached"
        if request.state in ("cancelled", "rejected"):
            return "cancelled"
        if deadline and now > deadline:
            return "breached"
        if request._is_frozen_at(now):
            return "paused"
        if values["date_at_risk"] and now >= values["date_at_risk"]:
            return "at_risk"
        return "running"

    @api.model
    def _apply(self, by_key, wanted):
        """Write the differences only: create, update, unlink in batches.
        Targets given the same changes (a status, a note) share one
        ``write``; the flush sends the updates of a column set as one query."""
        to_create = []
        to_write = defaultdict(list)
        for key, values in wanted.items():
            target = by_key.pop(key, None)
            if not target:
                to_create.append(values)
                continue
            changes = tuple(
                (name, value)
                for name, value in values.items()
                if name not in ("request_id", "target_type")
                and target._sla_value(name) != value
            )
            if changes:
                to_write[changes].append(target.id)
        for changes, ids in to_write.items():
            self.browse(ids).write(dict(changes))
        if to_create:
            self.create(to_create)
        obsolete = self.browse([target.id for target in by_key.values()])
        obsolete.unlink()

    def _sla_value(self, name):
        value = self[name]
        return value.id if isinstance(value, models.BaseModel) else value

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_statuses(self, batch_size=1000):
        """Move pending targets whose at-risk instant or deadline has passed
        to "at risk" or "breached", and paused targets whose freeze has ended
        by itself (``date_resume``) back to running. Selects only due rows
        (partial indexes).

        Each request is re-synced in its own savepoint: one that fails (a
        calendar without working time, a bad record) is logged and retried
        later without stopping the others (``intervention.cron.failure``).
        Idempotent: a re-synced target is no longer due (its status moved),
        and the requests are locked (``try_lock_for_update``) so that a
        second worker skips them."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        domain = Domain(
            [
                "|",
                "|",
                "&",
                ("status", "in", PENDING_STATUSES),
                ("deadline", "<=", now),
                "&",
                ("status", "=", "running"),
                ("date_at_risk", "<=", now),
                "&",
                ("status", "=", "paused"),
                ("date_resume", "<=", now),
            ]
        ) & Failure._blocked_domain(
            "sla_status", "intervention.request", now, field="request_id"
        )
        targets = self.search(domain, limit=batch_size)
        requests = targets.request_id
        locked = requests.try_lock_for_update(allow_referencing=True)
        # Recompute the whole clock of those requests: a paused target's
        # deadline moves on with its running freeze. The batch at once (one
        # timeline per calendar), one by one only when it fails.
        done = Failure._run_each(
            "sla_status",
            locked,
            lambda request: request._sla_sync(),
            now,
            skipped=len(requests - locked),
            batch_action=lambda batch: batch._sla_sync(),
        )
        remaining = self.search_count(domain) if len(targets) == batch_size else 0
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)
