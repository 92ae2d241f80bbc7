import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Command, Domain

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
    # By the request's id, not its own order (see intervention.request.sla).
    _order = "request_id.id desc, date_due, id"

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade", index=True
    )
    # Precomputed: given in the INSERT, not by an UPDATE after it.
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
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
        The batch runs in one savepoint, its notices sent together
        (``_notify_fired``); when it fails, each row runs in its own
        savepoint (``intervention.cron.failure``)."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        domain = Domain(self._due_domain(now)) & Failure._blocked_domain(
            "escalation", self._name, now
        )
        rows = self.search(domain, limit=batch_size, order="date_due, id")
        locked = rows.try_lock_for_update()
        locked.invalidate_recordset()
        done = Failure._run_each(
            "escalation",
            locked.filtered_domain(domain),
            lambda row: row._process(now),
            now,
            skipped=len(rows - locked),
            batch_action=lambda batch: batch._process(now),
        )
        remaining = self.search_count(domain) if len(rows) == batch_size else 0
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)

    def _process(self, now):
        """Fire these due rows, postpone them to business hours, or drop them
        when the target was met meanwhile (in the caller's savepoint): the
        checks row by row, the notices of the fired rows sent together."""
        fired = []
        for row in self:
            if not row._still_needed():
                row.state = "cancelled"
            elif row.level_id.ladder_id.business_hours_only and not (
                row._in_business_hours(now)
            ):
                row._postpone(now)
            else:
                fired.append(row._fire(now))
        self._notify_fired(fired)

    def _postpone(self, now):
        """Move this row to the next opening of the request's calendar."""
        self.ensure_one()
        calendar, holidays = self.request_id._sla_calendar()
        self.date_due = business_time.to_naive_utc(
            calendar._intervention_compute(
                now, lambda timeline: timeline.next_opening(now), holidays
            )
        )

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
        """Mark this row fired and return it with the users it notifies; they
        are recorded on it, and its activities, e-mails and note sent, with
        those of the other rows of the batch (``_notify_fired``, in the
        caller's transaction)."""
        self.ensure_one()
        users = self.level_id._recipients(self.request_id)
        self.write({"state": "fired", "date_fired": now})
        return self, users

    @api.model
    def _notify_fired(self, fired):
        """Record the recipients of the fired rows ``fired`` ([(row, users)])
        (one write per group of rows with the same users), notify them by
        activity and e-mail and say it on each request, in batch: one
        insert of all the activities, each template rendered once for all
        its requests, the notes logged together. The summary (level, who was
        notified) ends the level's e-mail, itself a note on the request;
        a level without an e-mail template logs it as a note of its own.
        A request with two levels due at once gets both, in two rounds (one
        message per request and round)."""
        if not fired:
            return
        by_users = defaultdict(list)
        for row, users in fired:
            by_users[users].append(row.id)
        for users, row_ids in by_users.items():
            self.browse(row_ids).write({"recipient_ids": [Command.set(users.ids)]})
        today = fields.Date.context_today(self)
        model_id = self.env["ir.model"]._get_id("intervention.request")
        activities = []
        for rows in self._rounds(fired):
            notes, posts, extra = {}, defaultdict(dict), defaultdict(list)
            summaries = {}
            for row, users in rows:
                level, request = row.level_id, row.request_id
                summary = self.env._(
                    "Escalation %(level)s: %(request)s",
                    level=level.name,
                    request=request.name,
                )
                activities += [
                    row._activity_values(summary, user, today, model_id)
                    for user in users
                    if level.activity_type_id
                ]
                note = Markup("%s<br/>%s") % (
                    summary,
                    self.env._(
                        "Notified: %(names)s",
                        names=", ".join(users.mapped("name")) or level.email_to or "-",
                    ),
                )
                template = level.mail_template_id
                if template:
                    posts[template][request.id] = users.partner_id.ids
                    summaries[request.id] = note
                    if level.email_to:
                        extra[template, level.email_to].append(request.id)
                else:
                    notes[request.id] = note
            Request = self.env["intervention.request"]
            for template, partners in posts.items():
                Request.browse(list(partners))._post_template_batch(
                    template, "mail.mt_note", partners, body_suffixes=summaries
                )
            for (template, email_to), request_ids in extra.items():
                template.send_mail_batch(
                    request_ids,
                    email_values={"email_to": email_to, "recipient_ids": []},
                )
            if notes:
                Request.browse(list(notes))._message_log_batch(notes)
        if activities and not self.env.context.get("mail_activity_automation_skip"):
            self.env["mail.activity"].create(activities)

    @api.model
    def _rounds(self, fired):
        """``fired`` split so that a request appears once per round."""
        rounds = []
        for item in fired:
            request = item[0].request_id
            for batch in rounds:
                if request not in batch:
                    batch[request] = item
                    break
            else:
                rounds.append({request: item})
        return [list(batch.values()) for batch in rounds]

    def _activity_values(self, summary, user, today, model_id):
        """The values of the activity this fired row schedules for ``user``
        (those of ``mail.activity.mixin.activity_schedule``)."""
        activity_type = self.level_id.activity_type_id
        return {
            "activity_type_id": activity_type.id,
            "summary": summary,
            "automated": True,
            "note": activity_type.default_note,
            "date_deadline": today,
            "res_model_id": model_id,
            "res_id": self.request_id.id,
            "user_id": user.id,
        }
