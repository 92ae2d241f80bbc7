import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from ..tools import business_time

_logger = logging.getLogger(__name__)

ESCALATION_STATES = [
    ("pending", "Pending"),
    ("fired", "Fired"),
    ("cancelled", "Not needed"),
    ("failed", "Failed"),
]
# Attempts before a level that keeps failing is set aside as "failed".
MAX_ATTEMPTS = 5
RETRY_DELAY = timedelta(minutes=15)


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
    attempts = fields.Integer(readonly=True)
    recipient_ids = fields.Many2many("res.users", string="Notified", readonly=True)

    _request_level_cycle_uniq = models.UniqueIndex(
        "(request_id, level_id, cycle)", "A level fires once per request and cycle."
    )
    _pending_due_idx = models.Index("(date_due) WHERE state = 'pending'")

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------
    @api.model
    def _sync_requests(self, requests, timelines):
        """Plan the pending levels of ``requests`` from their SLA deadlines.

        ``timelines`` maps ``request._sla_calendar()`` to the timeline the SLA
        engine used. Fired rows are history and never change; a pending row
        whose target was reached, or whose request is finished, is not needed.
        """
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
        if request.state in ("resolved", "closed", "cancelled", "rejected"):
            return False
        target = request.sla_ids.filtered(lambda t: t.target_type == level.target_type)
        if not target.deadline or target.date_reached:
            return False
        deadline = target.deadline
        unit, offset = level.offset_unit, level.offset
        if unit in ("hours", "days"):
            due = deadline + timedelta(**{unit: offset})
            if level.ladder_id.business_hours_only and timeline:
                due = self._next_business_instant(timeline, request, due)
            return due
        if not timeline:
            return False
        try:
            freezes = request._sla_freezes(fields.Datetime.now())
            if unit == "business_days":
                due = timeline.add_days(deadline, int(offset), freezes)
            else:
                due = timeline.add(deadline, timedelta(hours=offset), freezes)
        except business_time.HorizonError:
            due = self._beyond_horizon(request, level, deadline)
        return business_time.to_naive_utc(due) if due else False

    @api.model
    def _next_business_instant(self, timeline, request, instant):
        try:
            return business_time.to_naive_utc(timeline.next_opening(instant))
        except business_time.HorizonError:
            return self._beyond_horizon(request, None, instant)

    @api.model
    def _beyond_horizon(self, request, level, start):
        """Fetch a longer timeline for the rare offset beyond the batch's."""
        calendar, holidays = request._sla_calendar()
        timeline = calendar._intervention_timeline(
            start - timedelta(days=1),
            start + timedelta(days=400),
            public_holidays=holidays,
        )
        try:
            if level and level.offset_unit == "business_days":
                return timeline.add_days(start, int(level.offset))
            if level:
                return timeline.add(start, timedelta(hours=level.offset))
            return timeline.next_opening(start)
        except business_time.HorizonError:
            _logger.warning(
                "Escalation of %s cannot be planned within a year", request.name
            )
            return False

    # ------------------------------------------------------------------
    # Firing
    # ------------------------------------------------------------------
    @api.model
    def _due_domain(self, now):
        return [("state", "=", "pending"), ("date_due", "<=", now)]

    @api.model
    def _cron_fire_due(self, batch_size=200):
        """Fire the due levels, in batches, skipping rows another worker holds."""
        now = fields.Datetime.now()
        rows = self.search(self._due_domain(now), limit=batch_size)
        locked = rows.try_lock_for_update()
        locked.invalidate_recordset()
        for row in locked.filtered(
            lambda r: r.state == "pending" and r.date_due <= now
        ):
            row._process(now)
        remaining = (
            self.search_count(self._due_domain(now)) if len(rows) == batch_size else 0
        )
        self.env["ir.cron"]._commit_progress(len(locked), remaining=remaining)

    def _process(self, now):
        """Fire this due row, postpone it to business hours, or drop it when
        the target was met meanwhile. A failure is logged and retried later;
        the other rows of the batch go on."""
        self.ensure_one()
        request = self.request_id
        if not self._still_needed():
            self.state = "cancelled"
            return
        if self.level_id.ladder_id.business_hours_only and not self._in_business_hours(
            now
        ):
            calendar, holidays = request._sla_calendar()
            timeline = calendar._intervention_timeline(
                now, now + timedelta(days=30), holidays
            )
            self.date_due = business_time.to_naive_utc(timeline.next_opening(now))
            return
        try:
            with self.env.cr.savepoint():
                self._fire(now)
        except Exception:
            _logger.exception(
                "Escalation %s of %s failed", self.level_id.name, request.name
            )
            self.attempts += 1
            if self.attempts >= MAX_ATTEMPTS:
                self.state = "failed"
            else:
                self.date_due = now + RETRY_DELAY

    def _still_needed(self):
        """The request is open and the level's target still not reached."""
        self.ensure_one()
        request = self.request_id
        if request.state in ("resolved", "closed", "cancelled", "rejected"):
            return False
        if self.cycle != request.escalation_cycle:
            return False
        target = request.sla_ids.filtered(
            lambda t: t.target_type == self.level_id.target_type
        )
        return bool(target) and not target.date_reached

    def _in_business_hours(self, now):
        calendar, holidays = self.request_id._sla_calendar()
        timeline = calendar._intervention_timeline(
            now - timedelta(hours=1), now + timedelta(hours=1), holidays
        )
        return timeline.is_working(now)

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
