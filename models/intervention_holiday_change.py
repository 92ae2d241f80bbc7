from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .intervention_request_sla import PENDING_STATUSES

JOB = "holiday_resync"
# Holiday changes applied per run; the action runs again for the others.
CHANGES_PER_RUN = 50


def _requests_in(model, domain):
    """Requests with a row of ``model`` matching ``domain``, as ``id IN
    (SELECT request_id ...)``: PostgreSQL reads each table once (a hashed
    subplan) where the ORM's ``sla_ids any`` (a correlated ``EXISTS`` under
    ``OR``) probes the three tables for every open request."""

    def to_sql(requests, alias, _query):
        rows = requests.env[model]._search(domain)
        return SQL(
            "%s IN %s", SQL.identifier(alias, "id"), rows.subselect("request_id")
        )

    return Domain.custom(to_sql=to_sql)


class InterventionHolidayChange(models.Model):
    """A public holiday added, moved or removed, waiting for the scheduled
    action that moves the deadlines it can move (issue 19).

    The person editing the holiday never waits for the recomputation: the
    edit queues one row per period it opens or closes and triggers the
    action at once (``_queue``). The action (``_cron_apply``) recomputes only
    the open requests on those calendars whose clocks cross that period
    (``_affected_domain``), a batch at a time through the shared loop; the
    SLA engine writes only the values that change."""

    _name = "intervention.holiday.change"
    _description = "Public Holiday Change to Apply"
    _order = "id"

    calendar_ids = fields.Many2many(
        "resource.calendar", string="Calendars", readonly=True
    )
    all_calendars = fields.Boolean(readonly=True)
    date_from = fields.Datetime(required=True, readonly=True)
    date_to = fields.Datetime(required=True, readonly=True)

    @api.model
    def _queue(self, periods):
        """Queue ``periods`` = [(calendars or None for all, date_from,
        date_to)] and trigger the scheduled action now."""
        values = [
            {
                "all_calendars": calendars is None,
                "calendar_ids": [(6, 0, calendars.ids if calendars else [])],
                "date_from": date_from,
                "date_to": date_to,
            }
            for calendars, date_from, date_to in periods
            if date_from and date_to and (calendars is None or calendars)
        ]
        if not values:
            return self.browse()
        changes = self.sudo().create(values)
        self.env["intervention.cron.failure"]._trigger_job(JOB, fields.Datetime.now())
        return changes

    def _affected_domain(self):
        """Open requests on the changed calendars whose clocks can move: an
        SLA target counted across the period (started before its end, with a
        deadline, an at-risk instant or a reach after its start, or no
        deadline yet), a pending escalation, a follow-up date or an
        out-of-hours freeze across the period. Nothing of a request
        whose clocks all ended before the holiday depends on it."""
        self.ensure_one()
        start, end = self.date_from, self.date_to
        targets = Domain("date_start", "<=", end) & (
            Domain("deadline", ">=", start)
            | Domain("date_at_risk", ">=", start)
            | Domain("date_reached", ">=", start)
            | (
                Domain("deadline", "=", False)
                & Domain("status", "in", PENDING_STATUSES)
            )
        )
        escalations = Domain("state", "=", "pending") & Domain("date_due", ">=", start)
        # An out-of-hours freeze runs from the reception to the next
        # opening: one received after the period or ending before it keeps
        # its dates.
        freezes = (
            Domain("reason", "=", "out_of_hours")
            & Domain("date_start", "<=", end)
            & Domain("date_end", ">=", start)
        )
        followup = Domain("state", "=", "waiting") & (
            Domain("date_next_reminder", ">=", start)
            | Domain("date_auto_close", ">=", start)
        )
        Request = self.env["intervention.request"]
        return Request._sla_open_on_calendars_domain(
            None if self.all_calendars else self.calendar_ids
        ) & (
            _requests_in("intervention.request.sla", targets)
            | _requests_in("intervention.request.escalation", escalations)
            | _requests_in("intervention.freeze", freezes)
            | followup
        )

    @api.model
    def _cron_apply(self, batch_size=1000):
        """Move the deadlines the queued holiday changes can move.

        The requests concerned, and those whose earlier try failed and is
        due again, go through ``intervention.cron.failure._run_each`` a batch
        at a time (one timeline per calendar, one by one only when the batch
        fails). Idempotent: the SLA engine computes from the calendars as they
        are and writes only what differs, so a second run writes nothing; the
        requests are locked (``try_lock_for_update``) and those another worker
        holds are left to it, the changes then kept for the next run."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        Request = self.env["intervention.request"].sudo()
        changes = self.sudo().search([], limit=CHANGES_PER_RUN)
        retries = Failure.sudo().search(
            [
                ("job", "=", JOB),
                ("res_model", "=", Request._name),
                ("state", "=", "retrying"),
                ("date_retry", "<=", now),
            ]
        )
        domain = Domain.OR(
            [change._affected_domain() for change in changes]
            + [Domain("id", "in", retries.mapped("res_id"))]
        ) & Failure._blocked_domain(JOB, Request._name, now)
        ids = Request.search(domain, order="id").ids
        skipped = 0
        for offset in range(0, len(ids), batch_size):
            batch = Request.browse(ids[offset : offset + batch_size])
            locked = batch.try_lock_for_update(allow_referencing=True)
            skipped += len(batch - locked)
            done = Failure._run_each(
                JOB,
                locked,
                lambda request: request._sla_sync(),
                now,
                skipped=len(batch - locked),
                batch_action=lambda requests: requests._sla_sync(),
            )
            left = self.env["ir.cron"]._commit_progress(
                len(done), remaining=max(len(ids) - offset - batch_size, 0)
            )
            if not left:
                # Out of time: the changes stay queued for the next run.
                return True
        if not skipped:
            changes.exists().unlink()
            if len(changes) == CHANGES_PER_RUN:
                Failure._trigger_job(JOB, now)
        return True
