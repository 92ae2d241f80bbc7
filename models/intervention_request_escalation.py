import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import business_time
from .request_lifecycle import DONE_STATES
from .resource_calendar import NoWorkingTimeError

_logger = logging.getLogger(__name__)

ESCALATION_STATES = [
    ("pending", "Pending"),
    ("fired", "Fired"),
    ("cancelled", "Not needed"),
    # Rows of earlier versions; a level failing now stays pending and is
    # listed in the scheduled action failures (intervention.cron.failure).
    ("failed", "Failed"),
]


class InterventionRequestEscalation(models.Model):
    """One level of a ladder for one request and one cycle (D1, D4).

    Rows are planned by ``_sync_requests`` from the SLA deadlines and fired
    once by ``_cron_fire_due``; the unique index on (request, level, cycle)
    and the row lock taken before firing make a level fire at most once per
    cycle, also when the cron runs twice or on two workers at once. A cycle
    starts again when the request is reopened.
    """

    _name = "intervention.request.escalation"
    _description = "Request Escalation"
    _order = "request_id, date_due, id"

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True
    )
    level_id = fields.Many2one(
        "intervention.escalation.level", required=True, ondelete="cascade"
    )
    ladder_id = fields.Many2one(related="level_id.ladder_id")
    target_type = fields.Selection(related="level_id.target_type")
    cycle = fields.Integer(required=True, default=0)
    date_due = fields.Datetime(string="Due On")
    date_fired = fields.Datetime(string="Fired On", readonly=True)
    state = fields.Selection(
        ESCALATION_STATES, required=True, default="pending", index=True
    )
    recipient_ids = fields.Many2many("res.users", string="Notified", readonly=True)

    _request_level_cycle_uniq = models.UniqueIndex(
        "(request_id, level_id, cycle)", "A level fires once per request and cycle."
    )
    _pending_due_idx = models.Index("(date_due) WHERE state = 'pending'")

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------
    @api.model
    def _sync_requests(self, requests, timelines, fresh=False):
        """Plan the pending levels of ``requests`` from their SLA deadlines.

        ``timelines`` maps ``request._sla_calendar()`` to the timeline the SLA
        engine used. Fired rows are history and never change; a pending row
        whose target was reached, or whose request is finished, is not needed.
        """
        pending, done = {}, set()
        if not fresh:  # just created requests have no row yet
            existing = self.search(
                [("request_id", "in", requests.ids), ("state", "=", "pending")]
            )
            pending = {
                (row.request_id.id, row.level_id.id, row.cycle): row for row in existing
            }
            done = {
                (row.request_id.id, row.level_id.id, row.cycle)
                for row in self.search(
                    [("request_id", "in", requests.ids), ("state", "!=", "pending")]
                )
            }
        to_create = []
        for request in requests:
            ladder = request.contract_id.escalation_ladder_id
            calendar_key = request._sla_calendar()
            for level in ladder.level_ids:
                key = (request.id, level.id, request.escalation_cycle)
                if key in done:
                    continue
                due = self._due_date(request, level, timelines.get(calendar_key))
                row = pending.pop(key, None)
                if row and not due:
                    row.state = "cancelled"
                elif row and row.date_due != due:
                    row.date_due = due
                elif not row and due:
                    to_create.append(
                        {
                            "request_id": request.id,
                            "level_id": level.id,
                            "cycle": request.escalation_cycle,
                            "date_due": due,
                        }
                    )
        if to_create:
            self.create(to_create)
        # Levels of another ladder or cycle: no longer planned.
        self.browse([row.id for row in pending.values()]).write({"state": "cancelled"})

    @api.model
    def _due_date(self, request, level, timeline):
        """When ``level`` is due for ``request`` (naive UTC), or False when it
        is not needed: target reached, no deadline, request finished."""
        if request.state in DONE_STATES:
            return False
        target = request.sla_ids.filtered(lambda t: t.target_type == level.target_type)
        if not target.deadline or target.date_reached:
            return False
        deadline = target.deadline
        unit, offset = level.offset_unit, level.offset
        if unit in ("hours", "days"):
            due = deadline + timedelta(**{unit: offset})
            if level.ladder_id.business_hours_only and timeline:
                due = self._plan_on_calendar(
                    request, timeline, due, lambda t: t.next_opening(due)
                )
            return due
        if not timeline:
            return False
        freezes = request._sla_freezes(fields.Datetime.now())
        if unit == "business_days":
            due = self._plan_on_calendar(
                request,
                timeline,
                deadline,
                lambda t: t.add_days(deadline, int(offset), freezes),
            )
        else:
            due = self._plan_on_calendar(
                request,
                timeline,
                deadline,
                lambda t: t.add(deadline, timedelta(hours=offset), freezes),
            )
        return due

    @api.model
    def _plan_on_calendar(self, request, timeline, start, compute):
        """``compute`` on the request's calendar from ``start``, the batch's
        timeline first (grown when too short): naive UTC, or False when the
        calendar has no working time (logged; the SLA target says why)."""
        calendar, holidays = request._sla_calendar()
        try:
            due = calendar._intervention_compute(
                start, compute, holidays, timeline=timeline
            )
        except (NoWorkingTimeError, business_time.ClockPaused) as error:
            _logger.warning(
                "Escalation of %s cannot be planned: %s", request.name, error
            )
            return False
        return business_time.to_naive_utc(due)

    # ------------------------------------------------------------------
    # Firing
    # ------------------------------------------------------------------
    @api.model
    def _due_domain(self, now):
        return [("state", "=", "pending"), ("date_due", "<=", now)]

    @api.model
    def _cron_fire_due(self, batch_size=200):
        """Fire the due levels, in batches, skipping rows another worker holds.

        Idempotent: due rows only (partial index on pending ``date_due``),
        row locks (``try_lock_for_update``: a second worker skips them), a
        re-check after the lock, and the row marked fired in the savepoint
        that fires it; the unique index (request, level, cycle) backs it up.
        Each row runs in its own savepoint (``intervention.cron.failure``)."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        domain = Domain(self._due_domain(now)) & Failure._blocked_domain(
            "escalation", self._name, now
        )
        rows = self.search(domain, limit=batch_size)
        locked = rows.try_lock_for_update()
        locked.invalidate_recordset()
        done = Failure._run_each(
            "escalation",
            locked.filtered_domain(domain),
            lambda row: row._process(now),
            now,
            skipped=len(rows - locked),
        )
        remaining = self.search_count(domain) if len(rows) == batch_size else 0
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)

    def _process(self, now):
        """Fire this due row, postpone it to business hours, or drop it when
        the target was met meanwhile (in the caller's savepoint)."""
        self.ensure_one()
        request = self.request_id
        if not self._still_needed():
            self.state = "cancelled"
            return
        if self.level_id.ladder_id.business_hours_only and not self._in_business_hours(
            now
        ):
            calendar, holidays = request._sla_calendar()
            self.date_due = business_time.to_naive_utc(
                calendar._intervention_compute(
                    now, lambda timeline: timeline.next_opening(now), holidays
                )
            )
            return
        self._fire(now)

    def _still_needed(self):
        """The request is open and the level's target still not reached."""
        self.ensure_one()
        request = self.request_id
        if request.state in DONE_STATES:
            return False
        if self.cycle != request.escalation_cycle:
            return False
        target = request.sla_ids.filtered(
            lambda t: t.target_type == self.level_id.target_type
        )
        return bool(target) and not target.date_reached

    def _in_business_hours(self, now):
        calendar, holidays = self.request_id._sla_calendar()
        return calendar._intervention_is_working(now, holidays)

    def _fire(self, now):
        """Notify the level's recipients by activity and e-mail, log it on the
        request and mark the row fired (in the caller's transaction)."""
        level, request = self.level_id, self.request_id
        users = level._recipients(request)
        summary = self.env._(
            "Escalation %(level)s: %(request)s", level=level.name, request=request.name
        )
        if level.activity_type_id:
            for user in users:
                request.activity_schedule(
                    activity_type_id=level.activity_type_id.id,
                    summary=summary,
                    user_id=user.id,
                    date_deadline=fields.Date.context_today(self),
                )
        template = level.mail_template_id
        if template:
            request.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_note",
                partner_ids=users.partner_id.ids,
            )
            if level.email_to:
                template.send_mail(
                    request.id,
                    email_values={"email_to": level.email_to, "recipient_ids": []},
                )
        request.message_post(
            body=Markup("%s<br/>%s")
            % (
                summary,
                self.env._(
                    "Notified: %(names)s",
                    names=", ".join(users.mapped("name")) or level.email_to or "-",
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.write(
            {"state": "fired", "date_fired": now, "recipient_ids": [(6, 0, users.ids)]}
        )
