import logging
import traceback
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import get_lang

_logger = logging.getLogger(__name__)

# Every scheduled action of the addon, with the ir.cron record that runs it.
CRON_JOBS = {
    "contract_expiry": "intervention_request.ir_cron_expire_contracts",
    "sla_status": "intervention_request.ir_cron_sla_statuses",
    "holiday_resync": "intervention_request.ir_cron_holiday_resync",
    "escalation": "intervention_request.ir_cron_escalations",
    "followup_reminder": "intervention_request.ir_cron_followup_reminders",
    "followup_auto_close": "intervention_request.ir_cron_followup_auto_close",
    "followup_close_resolved": "intervention_request.ir_cron_followup_close_resolved",
    "followup_digest": "intervention_request.ir_cron_followup_digest",
    "oncall_escalation": "intervention_request.ir_cron_oncall_escalation",
    "oncall_gaps": "intervention_request.ir_cron_oncall_gaps",
    "oncall_export": "intervention_request.ir_cron_oncall_export",
    "compliance_statements": "intervention_request.ir_cron_compliance_statements",
}
CRON_JOB_LABELS = [
    ("contract_expiry", "Expire ended contracts"),
    ("sla_status", "SLA statuses"),
    ("holiday_resync", "Deadlines after a public holiday change"),
    ("escalation", "Escalation levels"),
    ("followup_reminder", "Client reminders"),
    ("followup_auto_close", "Closure of unanswered requests"),
    ("followup_close_resolved", "Closure after the reopen window"),
    ("followup_digest", "Daily digest"),
    ("oncall_escalation", "After-hours call escalation"),
    ("oncall_gaps", "On-call coverage gaps"),
    ("oncall_export", "Weekly after-hours clients file"),
    ("compliance_statements", "Monthly compliance statements"),
]
# One retry policy for every scheduled action: a record that fails is tried
# again RETRY_DELAY later (its scheduled action is triggered then), at most
# MAX_ATTEMPTS times; then it is set aside and a manager is told.
RETRY_DELAY = timedelta(minutes=15)
MAX_ATTEMPTS = 5
# Rows another worker holds are skipped; the action runs again this much later.
LOCKED_RETRY_DELAY = timedelta(minutes=5)


class InterventionCronFailure(models.Model):
    """A record on which a scheduled action failed: how often, the last error,
    when it is tried again, or that it was set aside (D4, reliability).

    ``_run_each`` is the one loop of every scheduled action of the addon:
    each due record in its own savepoint, so that one bad record never stops
    a batch; a failure is logged, counted here and retried after
    ``RETRY_DELAY``; after ``MAX_ATTEMPTS`` failures the record is set aside
    and a manager gets an activity on this row, with a button to try again.
    A success removes the row (and its activity)."""

    _name = "intervention.cron.failure"
    _description = "Scheduled Action Failure"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_last_failure desc, id desc"
    _rec_name = "record_name"

    job = fields.Selection(
        CRON_JOB_LABELS, string="Scheduled Action", required=True, readonly=True
    )
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    record_name = fields.Char(string="Record", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    attempts = fields.Integer(readonly=True)
    date_last_failure = fields.Datetime(string="Last Failure", readonly=True)
    date_retry = fields.Datetime(
        string="Next Try",
        readonly=True,
        help="The scheduled action leaves the record alone until then.",
    )
    state = fields.Selection(
        [("retrying", "Retrying"), ("set_aside", "Set aside")],
        required=True,
        default="retrying",
        readonly=True,
        help="Set aside: it failed too often; it is tried again only when a "
        "manager asks for it.",
    )
    last_error = fields.Text(readonly=True)

    _job_record_uniq = models.UniqueIndex(
        "(job, res_model, res_id)", "One failure row per scheduled action and record."
    )

    # ------------------------------------------------------------------
    # The loop of every scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _blocked_domain(self, job, model_name, now, field="id"):
        """A domain on ``field`` (ids of ``model_name``) leaving out the records
        waiting for their next try or set aside."""
        blocked = (
            self.sudo()
            .search(
                Domain("job", "=", job)
                & Domain("res_model", "=", model_name)
                & (Domain("state", "=", "set_aside") | Domain("date_retry", ">", now))
            )
            .mapped("res_id")
        )
        return Domain(field, "not in", blocked) if blocked else Domain.TRUE

    @api.model
    def _run_each(self, job, records, action, now=None, skipped=0, batch_action=None):
        """Run ``action(record)`` on each record in its own savepoint.

        A failure rolls back that record's changes only, is logged with the
        record, counted, and the record is retried after ``RETRY_DELAY`` (the
        action is triggered then), up to ``MAX_ATTEMPTS``, after which a
        manager is told. ``skipped`` records held by another worker make the
        action run again shortly. Returns the records done.

        ``batch_action(records)``, when given, is tried first on the whole
        batch in one savepoint (the SLA engine computes a batch far faster
        than its requests one by one); only when it fails are the records
        taken one by one, to find and set aside the bad one.

        Odoo runs a scheduled action with no language in its context: the
        records are then given the company's language (``get_lang``), so
        that the notes the action writes read as the desk's other notes."""
        now = now or fields.Datetime.now()
        if not records.env.context.get("lang"):
            records = records.with_context(lang=get_lang(records.env).code)
        if batch_action and records:
            try:
                with self.env.cr.savepoint():
                    batch_action(records)
            except Exception:  # noqa: BLE001 - retried one by one below
                _logger.info("Scheduled action %s: batch failed, one by one", job)
            else:
                self._clear_failures(job, records)
                self._trigger_if_skipped(job, skipped, now)
                return records
        done = records.browse()
        for record in records:
            try:
                with self.env.cr.savepoint():
                    action(record)
            except Exception as error:  # noqa: BLE001 - isolate any failure
                self._record_failure(job, record, error, now)
            else:
                done |= record
        self._clear_failures(job, done)
        self._trigger_if_skipped(job, skipped, now)
        return done

    @api.model
    def _clear_failures(self, job, records):
        """A success removes the failure rows of ``records`` (and their
        activities)."""
        if records:
            self.sudo().search(
                [
                    ("job", "=", job),
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                ]
            ).unlink()

    @api.model
    def _trigger_if_skipped(self, job, skipped, now):
        if skipped:
            self._trigger_job(job, now + LOCKED_RETRY_DELAY)

    @api.model
    def _record_failure(self, job, record, error, now):
        failure = self.sudo().search(
            [
                ("job", "=", job),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
            ]
        )
        attempts = failure.attempts + 1
        set_aside = attempts >= MAX_ATTEMPTS
        retry = False if set_aside else now + RETRY_DELAY
        _logger.error(
            "Scheduled action %s failed on %s %s (id %s), attempt %s of %s; %s",
            job,
            record._name,
            record.display_name,
            record.id,
            attempts,
            MAX_ATTEMPTS,
            "set aside" if set_aside else f"tried again from {retry}",
            exc_info=error,
        )
        values = {
            "attempts": attempts,
            "date_last_failure": now,
            "date_retry": retry,
            "state": "set_aside" if set_aside else "retrying",
            "last_error": "".join(traceback.format_exception_only(error)).strip(),
            "record_name": record.display_name,
        }
        if failure:
            failure.write(values)
        else:
            company = record.company_id if "company_id" in record._fields else None
            if record._name == "res.company":
                company = record
            failure = self.sudo().create(
                {
                    **values,
                    "job": job,
                    "res_model": record._name,
                    "res_id": record.id,
                    "company_id": company.id if company else False,
                }
            )
        if set_aside:
            failure._notify_manager()
        else:
            self._trigger_job(job, retry)
        return failure

    @api.model
    def _trigger_job(self, job, when):
        cron = self.env.ref(CRON_JOBS[job], raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(when)

    def _manager(self):
        """The intervention manager told of a record set aside: the first one
        of the record's company, else the administrator."""
        self.ensure_one()
        group = self.env.ref("intervention_request.group_intervention_manager")
        managers = group.sudo().all_user_ids.filtered(
            lambda user: (
                user.active
                and not user.share
                and (not self.company_id or self.company_id in user.company_ids)
            )
        )
        return managers.sorted("id")[:1] or self.env.ref("base.user_admin")

    def _notify_manager(self):
        self.ensure_one()
        job = dict(self._fields["job"]._description_selection(self.env))[self.job]
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self._manager().id,
            summary=self.env._(
                "%(job)s keeps failing on %(record)s", job=job, record=self.record_name
            ),
            note=self.env._(
                "The scheduled action failed %(count)s times on this record and "
                "leaves it aside. Last error: %(error)s. Fix the cause, then press "
                "Try Again.",
                count=self.attempts,
                error=self.last_error,
            ),
        )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_retry(self):
        """Make the records due again at once, with a fresh attempt count."""
        now = fields.Datetime.now()
        self.activity_ids.unlink()
        self.write({"state": "retrying", "attempts": 0, "date_retry": now})
        for job in set(self.mapped("job")):
            self._trigger_job(job, now)
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
