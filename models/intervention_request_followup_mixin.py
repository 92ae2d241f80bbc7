import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL, format_datetime

from ..tools import business_time
from .intervention_sla_policy_reminder import REMINDER_COUNT
from .ir_qweb import QWEB_BATCH_MEMO_KEY
from .request_lifecycle import (
    AWAITING_STATES,
    DONE_STATES,
    INTAKE_CONTEXT_KEY,
    WAITING_FREEZE_REASONS,
)
from .resource_calendar import NoWorkingTimeError

_logger = logging.getLogger(__name__)

# The waiting reason under which a client answer does not resume the request.
CLIENT_TESTS_REASON = "client_tests"
# Calendar days of working time fetched beyond the latest start, on top of
# twice the business days asked; grown by resource.calendar._intervention_compute.
HORIZON_MARGIN_DAYS = 30

TEMPLATE_REMINDER = "intervention_request.mail_template_followup_reminder"
TEMPLATE_AUTO_CLOSED = "intervention_request.mail_template_followup_auto_closed"
TEMPLATE_RESOLVED = "intervention_request.mail_template_followup_resolved"
TEMPLATE_DIGEST = "intervention_request.mail_template_followup_digest"
# What a posted template renders (as Odoo's composer renders it); the
# recipients last, rendered only when no partners are given.
RENDERED_FIELDS = [
    "subject",
    "body_html",
    "email_from",
    "partner_to",
    "email_to",
    "email_cc",
]


class InterventionRequestFollowupMixin(models.AbstractModel):
    """Follow-up of the conversation with the client (F1-F3, B3):

    - waiting-on-client reminders by severity, restarted by each client
      answer, then the automatic closure (seed 003 1.4.2);
    - the resolution notice and the reopen window: a client answer within
      the window reopens the request, after it the request is closed for good
      (seed 000 3.01.V);
    - who spoke last (client or us), for the daily digest of the requests
      awaiting our answer (seed 002).

    The scheduled actions share one skeleton (``_run_followup_batch``): due
    rows through an index, row locks skipping what another worker holds, a
    re-check, then act and mark each request in its own savepoint.
    """

    _name = "intervention.request.followup.mixin"
    _description = "Request Client Follow-up"

    followup_cycle_start = fields.Datetime(
        string="Waiting Cycle Start",
        readonly=True,
        copy=False,
        help="Start of the current (or last) waiting cycle: entering Waiting on "
        "Client, or the client's last answer. Reminders count from here.",
    )
    reminder_count = fields.Integer(
        string="Reminders Sent",
        readonly=True,
        copy=False,
        help="Reminders sent to the client in the current (or last) waiting cycle.",
    )
    date_last_reminder = fields.Datetime(
        string="Last Reminder On", readonly=True, copy=False
    )
    date_next_reminder = fields.Datetime(
        string="Next Reminder",
        compute="_compute_followup_dates",
        store=True,
        index="btree_not_null",
        help="When the next reminder goes to the client, in business days from the "
        "start of the waiting cycle (the SLA policy's reminder schedule).",
    )
    date_auto_close = fields.Datetime(
        string="Automatic Closure On",
        compute="_compute_followup_dates",
        store=True,
        index="btree_not_null",
        help="Without an answer to the third reminder, the request is closed then.",
    )
    date_last_client_message = fields.Datetime(
        string="Last Client Answer", readonly=True, copy=False
    )
    date_last_staff_message = fields.Datetime(
        string="Last Answer From Us", readonly=True, copy=False
    )
    awaiting_answer = fields.Boolean(
        string="Awaiting Our Answer",
        compute="_compute_awaiting_answer",
        store=True,
        help="The client wrote after our last answer, or the request is new, "
        "received or reopened.",
    )
    date_reopen_deadline = fields.Datetime(
        string="Reopen Until",
        compute="_compute_date_reopen_deadline",
        store=True,
        index="btree_not_null",
        help="While resolved: the client may reopen until then; afterwards the "
        "request is closed for good.",
    )

    _awaiting_answer_idx = models.Index(
        "(company_id, date_received) WHERE awaiting_answer IS TRUE"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "state",
        "severity",
        "sla_policy_id",
        "contract_id",
        "company_id",
        "followup_cycle_start",
        "reminder_count",
        "date_last_reminder",
        "sla_policy_id.reminder_line_ids.severity",
        "sla_policy_id.reminder_line_ids.reminder_1_days",
        "sla_policy_id.reminder_line_ids.reminder_2_days",
        "sla_policy_id.reminder_line_ids.reminder_3_days",
        "sla_policy_id.reminder_line_ids.close_after_days",
    )
    def _compute_followup_dates(self):
        steps = {request: request._followup_next_step() for request in self}
        instants = self._followup_business_instants(
            {request: step[1:] for request, step in steps.items() if step}
        )
        for request in self:
            step = steps[request]
            instant = instants.get(request, False)
            request.date_next_reminder = (
                instant if step and step[0] == "reminder" else False
            )
            request.date_auto_close = instant if step and step[0] == "close" else False

    def _followup_next_step(self):
        """("reminder" or "close", start, business days) of the next scheduled
        follow-up of a waiting request, None when nothing is scheduled.

        Reminder N falls N's delay after the start of the waiting cycle (not
        after the previous reminder); the closure falls its delay after the
        third reminder actually sent."""
        self.ensure_one()
        if self.state != "waiting" or not self.followup_cycle_start:
            return None
        line = self.sla_policy_id and self.sla_policy_id._reminder_line_for(
            self.severity
        )
        if not line:
            return None
        if self.reminder_count < REMINDER_COUNT:
            days = line._days_to_reminder(self.reminder_count + 1)
            return "reminder", self.followup_cycle_start, days
        start = self.date_last_reminder or self.followup_cycle_start
        return "close", start, line.close_after_days

    def _followup_business_instants(self, plans):
        """{request: naive UTC instant} ``days`` business days after
        ``start`` for ``plans`` = {request: (start, days)}: the same business
        instant that many working days later (C1) on the request's calendar,
        one timeline per calendar. Freezes are not subtracted: the request is
        frozen precisely because it waits on the client."""
        by_calendar = defaultdict(list)
        for request, (start, days) in plans.items():
            by_calendar[request._sla_calendar()].append((request, start, days))
        instants = {}
        for (calendar, holidays), items in by_calendar.items():
            if calendar:
                instants.update(self._followup_add_days(calendar, holidays, items))
        return instants

    @api.model
    def _followup_add_days(self, calendar, holidays, items):
        first = min(start for _request, start, _days in items)
        last = max(start for _request, start, _days in items)
        span = max(days for _request, _start, days in items) * 2 + HORIZON_MARGIN_DAYS
        try:
            return calendar._intervention_compute(
                first,
                lambda timeline: {
                    request: business_time.to_naive_utc(timeline.add_days(start, days))
                    for request, start, days in items
                },
                holidays,
                days=(last - first).days + span,
            )
        except NoWorkingTimeError as error:
            _logger.warning(
                "No follow-up date for %s: %s",
                ", ".join(request.name or "" for request, _start, _days in items),
                error,
            )
            return {}

    def _sla_sync(self):
        """The SLA clocks' recomputation (public holidays, calendars) moves
        the follow-up dates of the waiting requests too."""
        result = super()._sla_sync()
        waiting = self.filtered(lambda r: r.state == "waiting")
        if waiting:
            fnames = ["date_next_reminder", "date_auto_close"]
            for fname in fnames:
                self.env.add_to_compute(self._fields[fname], waiting)
            waiting._recompute_recordset(fnames)
        return result

    @api.depends("state", "date_last_client_message", "date_last_staff_message")
    def _compute_awaiting_answer(self):
        for request in self:
            client = request.date_last_client_message
            staff = request.date_last_staff_message
            request.awaiting_answer = request.state in AWAITING_STATES or bool(
                client and (not staff or client > staff)
            )

    @api.depends("state", "date_resolved", "company_id.intervention_reopen_days")
    def _compute_date_reopen_deadline(self):
        for request in self:
            request.date_reopen_deadline = (
                request._reopen_deadline() if request.state == "resolved" else False
            )

    @api.model
    def _awaiting_answer_domain(self):
        """Open requests awaiting an answer from us (the digest, F3)."""
        return Domain("awaiting_answer", "=", True) & Domain(
            "state", "not in", DONE_STATES
        )

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------
    def _transition_followup(self, target, previous, when):
        self._followup_after_transition(previous)

    def _followup_after_transition(self, previous):
        """Entering Waiting on Client starts a reminder cycle; entering
        Resolved sends the resolution notice with the reopen window. Leaving
        Waiting clears the next reminder and the automatic closure (computed
        from the state)."""
        moved = self.filtered(lambda r: r.state != previous.get(r.id))
        waiting = moved.filtered(lambda r: r.state == "waiting")
        if waiting:
            waiting._restart_followup_cycle(fields.Datetime.now())
        moved.filtered(lambda r: r.state == "resolved")._post_followup_template(
            TEMPLATE_RESOLVED
        )

    def _restart_followup_cycle(self, when):
        """Start the reminder cycle again from ``when`` (seed 003: "the cycle
        starts over at each new answer from the client")."""
        self.write(
            {
                "followup_cycle_start": when,
                "reminder_count": 0,
                "date_last_reminder": False,
            }
        )

    # ------------------------------------------------------------------
    # Messages: who spoke last
    # ------------------------------------------------------------------
    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        author = self._followup_answer_author(msg_values)
        # When we got it, not the sender's clock (an e-mail's Date header).
        when = fields.Datetime.now()
        if author == "client":
            partner = self.env["res.partner"].sudo().browse(msg_values.get("author_id"))
            if self.sudo()._followup_is_client(partner):
                self.sudo()._on_client_answer(when)
            elif not self.env.context.get(INTAKE_CONTEXT_KEY):
                # The opening e-mail of an unidentified sender is handled by
                # the intake (a note asks the desk to identify the requester).
                self.sudo()._on_stranger_message(partner, msg_values)
        elif author == "staff":
            self.sudo().date_last_staff_message = when
        return result

    def message_post(self, **kwargs):
        """An e-mail threaded onto the request by a stranger (neither staff,
        nor the requester, nor a contact of the client) is kept as a note for
        the desk: the followers, the client among them, are not sent it."""
        if (
            kwargs.get("message_type") == "email"
            and len(self) == 1
            and not self.env.context.get(INTAKE_CONTEXT_KEY)
        ):
            author = self.env["res.partner"].sudo().browse(kwargs.get("author_id"))
            if self._followup_is_stranger(author):
                kwargs.pop("subtype_xmlid", None)
                kwargs["subtype_id"] = self.env["ir.model.data"]._xmlid_to_res_id(
                    "mail.mt_note"
                )
                kwargs["partner_ids"] = []
                message = super().message_post(**kwargs)
                self.sudo()._on_stranger_message(author, kwargs)
                return message
        return super().message_post(**kwargs)

    def _followup_is_stranger(self, author):
        """An author without an internal user who does not speak for the
        request's client."""
        users = author.with_context(active_test=False).user_ids
        if users.filtered(lambda user: not user.share):
            return False
        return not self.sudo()._followup_is_client(author)

    @api.model
    def _followup_answer_author(self, msg_values):
        """Who wrote an answer in the conversation (a comment or an e-mail of
        the Discussions subtype): "client" or "staff"; None for notes,
        tracking and automatic notifications.

        "client" is any author without an internal user: a portal user, a
        contact writing by e-mail, or an unknown sender; whether that author
        may speak for the client is ``_followup_is_client``'s decision."""
        if msg_values.get("message_type") not in ("email", "comment"):
            return None
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        if msg_values.get("subtype_id") != comment:
            return None
        author = self.env["res.partner"].sudo().browse(msg_values.get("author_id"))
        # Archived internal users (OdooBot) are staff too.
        users = author.with_context(active_test=False).user_ids
        internal = users.filtered(lambda user: not user.share)
        return "staff" if internal else "client"

    def _followup_is_client(self, partner):
        """Whether ``partner`` (an external author) speaks for the request's
        client: the requester, or a contact of the request's client. Only
        their answers resume, restart the reminders or reopen; anybody who
        learnt the request's Message-Id could reply to it otherwise."""
        self.ensure_one()
        if not partner:
            return False
        if partner == self.requester_id:
            return True
        return bool(self.partner_id) and (
            partner.commercial_partner_id == self.partner_id
        )

    def _on_stranger_message(self, partner, msg_values):
        """A message threaded onto the request by someone who is neither the
        requester nor a contact of its client: kept on the thread, reported
        to the desk in a note, and nothing else changes (no resume, no new
        reminder cycle, no reopening, not counted as the client's answer)."""
        self.ensure_one()
        sender = (
            msg_values.get("email_from")
            or partner.email_formatted
            or partner.display_name
            or "?"
        )
        self._log_followup(
            self.env._(
                "A message from %(sender)s, who is neither the requester nor a "
                "contact of %(client)s, was not taken as the client's answer: "
                "the request did not change. Check who wrote it before acting on "
                "it.",
                sender=sender,
                client=self.partner_id.display_name or self.env._("the client"),
            )
        )

    def _on_client_answer(self, when):
        """A client's answer (B3, F1, F2): a waiting request resumes and its
        reminder cycle starts over (or keeps waiting when the client is
        testing the fix, see ``_resume_on_client_answer``); a resolved
        request is reopened within the reopen window, and closed for good
        after it. The message always stays on the thread: a move the
        workflow refuses is reported in a note."""
        self.ensure_one()
        self.date_last_client_message = when
        if self.state == "waiting":
            self._resume_on_client_answer(when)
        elif self.state == "resolved" and self._within_reopen_window(when):
            self._reopen_on_client_answer()
        elif self.state == "resolved":
            self._close_on_late_client_answer()

    def _resume_on_client_answer(self, when):
        """Seed 003 1.4.2: the reminder cycle starts over at each answer.
        While the client tests the fix, an answer is not the confirmation
        the request waits for (that the desk reads and records by resolving
        it): the request keeps waiting and the desk gets an activity to read
        the answer. For the other reasons (information, access,
        prerequisites) the answer hands the request back to the desk."""
        if self._followup_waits_for_tests():
            self._restart_followup_cycle(when)
            self._followup_schedule_read_answer()
            self._log_followup(
                self.env._(
                    "The client answered while testing the fix: the request keeps "
                    "waiting for the confirmation and the reminder cycle starts "
                    "over from this answer. Read it: resolve the request if it "
                    "confirms the fix."
                )
            )
            return
        error = self._try_followup_transition(self.action_resume)
        self._restart_followup_cycle(when)
        if error:
            body = self.env._(
                "The client answered: the reminder cycle starts over, but the "
                "request could not resume by itself (%(error)s).",
                error=error,
            )
        else:
            body = self.env._(
                "The client answered: the request resumes and the reminder cycle "
                "starts over."
            )
        self._log_followup(body)

    def _followup_waits_for_tests(self):
        """Whether the request waits for the client to test the fix."""
        self.ensure_one()
        return bool(
            self.freeze_ids.filtered(
                lambda f: f.is_open and f.reason == CLIENT_TESTS_REASON
            )
        )

    def _followup_schedule_read_answer(self):
        """A to-do for the desk to read the client's answer: the assignee,
        else the contract's support manager or account manager. One open
        to-do is enough however many answers come."""
        self.ensure_one()
        summary = self.env._("Read the client's answer")
        todo = self.env.ref("mail.mail_activity_data_todo")
        if self.activity_ids.filtered(
            lambda a: a.activity_type_id == todo and a.summary == summary
        ):
            return
        responsible = (
            self.user_id
            or self.contract_id.support_manager_id
            or self.contract_id.user_id
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=responsible.id or self.env.uid,
            summary=summary,
            note=self.env._(
                "The client answered while testing the fix. Does the answer "
                "confirm it? Then resolve the request; otherwise go on with it."
            ),
        )

    def _reopen_on_client_answer(self):
        error = self._try_followup_transition(self.action_reopen)
        if error:
            body = self.env._(
                "The client answered within the reopen window, but the request "
                "could not be reopened (%(error)s).",
                error=error,
            )
        else:
            body = self.env._("The client answered within the reopen window: reopened.")
        self._log_followup(body)

    def _close_on_late_client_answer(self):
        deadline = format_datetime(self.env, self._reopen_deadline())
        error = self._try_followup_transition(self.action_close)
        if error:
            body = self.env._(
                "The client answered after the reopen window (it closed on "
                "%(date)s), but the request could not be closed (%(error)s).",
                date=deadline,
                error=error,
            )
        else:
            body = self.env._(
                "The client answered after the reopen window (it closed on "
                "%(date)s): the request is closed for good; a new request is "
                "needed to go on.",
                date=deadline,
            )
        self._log_followup(body)

    def _try_followup_transition(self, action):
        """Run ``action`` (a transition) in a savepoint; return the workflow's
        refusal as text instead of raising, so that the client's message is
        never lost (an e-mail would bounce)."""
        try:
            with self.env.cr.savepoint():
                action()
        except UserError as error:
            return error.args[0]
        return None

    def _followup_waiting_on(self):
        """What the request waits for from the client (the reasons and notes
        of its open waiting freezes), for the reminders."""
        self.ensure_one()
        labels = dict(
            self.env["intervention.freeze"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        freezes = self.freeze_ids.filtered(
            lambda f: f.is_open and f.reason in WAITING_FREEZE_REASONS
        )
        return [
            f"{labels[freeze.reason]} ({freeze.note})"
            if freeze.note
            else labels[freeze.reason]
            for freeze in freezes
        ]

    def _log_followup(self, body):
        """A note on the request, written by the system."""
        self.ensure_one()
        self.message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            author_id=self.env.ref("base.partner_root").id,
        )

    def _log_followup_batch(self, bodies):
        """A note on each request, written by the system, logged for all of
        them at once: ``bodies`` is {request id: text}. A note notifies nobody,
        so it is created without the notification pass of ``message_post``."""
        if self:
            self._message_log_batch(
                bodies, author_id=self.env.ref("base.partner_root").id
            )

    def _post_followup_template(self, xmlid):
        """Post ``xmlid`` (a mail template) on each request to its requester."""
        template = self.env.ref(xmlid, raise_if_not_found=False)
        self._post_template_batch(
            template,
            "mail.mt_comment",
            {request.id: request.requester_id.ids for request in self},
        )

    def _post_template_batch(
        self, template, subtype_xmlid, partner_ids=None, body_suffixes=None
    ):
        """Post ``template`` on each request, as ``message_post_with_source``
        does, but rendered for all the requests at once (subject, body,
        sender and recipients: one pass per field and language, where
        ``message_post_with_source`` opens a composer per record), and
        posted together (``_message_post_batch``: one insert of the messages,
        of the e-mails, of the notification rows). The e-mails of several
        messages go through the mail queue, triggered at once; the e-mail of
        a single message is sent after the commit, as ``message_post`` does.
        ``partner_ids`` ({request id: partner ids}), when given, are the
        recipients, as with ``message_post_with_source(partner_ids=...)``;
        otherwise the template's. ``body_suffixes`` ({request id: Markup}),
        when given, are paragraphs added at the end of each rendered body.
        Returns the messages."""
        messages = self.env["mail.message"]
        if not template or not self:
            return messages
        # As the composer given partners: those, else the template's
        # recipients. The QWeb body compiled once for the batch (ir_qweb.py).
        rendered = template.with_context(
            **{QWEB_BATCH_MEMO_KEY: {}}
        )._generate_template(
            self.ids,
            RENDERED_FIELDS if partner_ids is None else RENDERED_FIELDS[:3],
            find_or_create_partners=True,
        )
        langs = template._render_lang(self.ids)
        companies = self._mail_get_companies(default=self.env.company)
        alias_domains = self.sudo()._mail_get_alias_domains(
            default_company=self.env.company
        )
        # The author of each sender, found once, as the composer finds it.
        Thread = self.env["mail.thread"].with_context(active_test=False)
        authors = {}
        for values in rendered.values():
            email_from = values.get("email_from") or self.env.user.email_formatted
            values["email_from"] = email_from
            if email_from not in authors:
                author_id, _email = Thread._message_compute_author(None, email_from)
                authors[email_from] = author_id or self.env.user.partner_id.id
        reply_to = self._notify_get_reply_to_batch(
            defaults={rid: values["email_from"] for rid, values in rendered.items()},
            author_ids={
                rid: authors[values["email_from"]] for rid, values in rendered.items()
            },
        )
        self._ensure_access_tokens()
        values_by_id = {}
        for request in self:
            values = rendered[request.id]
            recipients = (
                values.get("partner_ids", ())
                if partner_ids is None
                else partner_ids.get(request.id, ())
            )
            body = values.get("body_html") or ""
            if body_suffixes and request.id in body_suffixes:
                # The rendered body is the template's output, already escaped.
                body = Markup("%s<p>%s</p>") % (
                    Markup(body),
                    body_suffixes[request.id],
                )
            values_by_id[request.id] = {
                "body": body,
                "subject": values.get("subject"),
                "email_from": values["email_from"],
                "author_id": authors[values["email_from"]],
                "partner_ids": sorted(recipients),
                "reply_to": reply_to[request.id],
                "record_alias_domain_id": alias_domains[request.id].id,
                "record_company_id": companies[request.id].id,
                "email_add_signature": False,
                "email_layout_xmlid": template.email_layout_xmlid,
            }
        return self._message_post_batch(
            values_by_id,
            subtype_id=self.env["ir.model.data"]._xmlid_to_res_id(subtype_xmlid),
            langs=langs,
            mail_auto_delete=template.auto_delete,
            force_send=len(self) == 1,
        )

    def _ensure_access_tokens(self):
        """Give the requests without one the access token of the e-mails'
        "View" button, as ``portal.mixin._portal_ensure_token`` does one
        request at a time: one UPDATE for the batch (``gen_random_uuid()``,
        the same text form as ``uuid.uuid4()``), where a write per request
        would run the whole write chain of the request 200 times a batch.
        The token is a plain column: nothing is computed from it or
        tracked."""
        missing = self.sudo().filtered(lambda request: not request.access_token)
        if not missing:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET access_token = gen_random_uuid()::varchar"
                " WHERE id IN %s AND access_token IS NULL",
                SQL.identifier(self._table),
                tuple(missing.ids),
            )
        )
        missing.invalidate_recordset(["access_token"])

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_reminders(self, batch_size=200):
        """F1: send the due reminders to the clients of waiting requests."""
        return self._run_followup_batch(
            "followup_reminder",
            "waiting",
            "date_next_reminder",
            "_send_followup_reminder",
            batch_size,
        )

    @api.model
    def _cron_auto_close_waiting(self, batch_size=200):
        """F1: close the waiting requests left unanswered after the third
        reminder, with a notice to the client."""
        return self._run_followup_batch(
            "followup_auto_close",
            "waiting",
            "date_auto_close",
            "_auto_close_unanswered",
            batch_size,
        )

    @api.model
    def _cron_close_resolved(self, batch_size=200):
        """F2: close for good the resolved requests whose reopen window has
        passed (the client was told at resolution: no e-mail)."""
        return self._run_followup_batch(
            "followup_close_resolved",
            "resolved",
            "date_reopen_deadline",
            "_close_for_good",
            batch_size,
        )

    @api.model
    def _followup_due_domain(self, job, state, date_field, now):
        return (
            Domain("state", "=", state)
            & Domain(date_field, "<=", now)
            & self.env["intervention.cron.failure"]._blocked_domain(
                job, self._name, now
            )
        )

    @api.model
    def _run_followup_batch(self, job, state, date_field, method, batch_size):
        """Run ``method(now)`` on up to ``batch_size`` requests in ``state``
        whose ``date_field`` has passed, safely when repeated or run by two
        workers at once (D4):

        1. due rows only, through the partial index on ``date_field``;
        2. lock them, skipping the rows another worker holds (its job);
        3. re-read and re-check them: another worker may have done them;
        4. act and mark (the method moves ``date_field`` on) for the whole
           batch in one savepoint: one write per group of equal values,
           templates rendered for all the requests at once, notes logged in
           one insert, one flush; when the batch fails, again one savepoint
           per request (``intervention.cron.failure._run_each``), in the
           transaction ``_commit_progress`` commits. A request that fails is
           rolled back alone, logged, and retried later; the others proceed.

        Returns the requests done."""
        now = fields.Datetime.now()
        domain = self._followup_due_domain(job, state, date_field, now)
        candidates = self.search(domain, limit=batch_size, order=f"{date_field}, id")
        locked = candidates.try_lock_for_update(allow_referencing=True)
        locked.invalidate_recordset()
        done = self.env["intervention.cron.failure"]._run_each(
            job,
            locked.filtered_domain(domain),
            lambda request: getattr(request, method)(now),
            now,
            skipped=len(candidates - locked),
            batch_action=lambda requests: getattr(requests, method)(now),
        )
        remaining = 0
        if len(candidates) == batch_size:
            skipped = len(candidates - locked)
            remaining = max(self.search_count(domain) - skipped, 0)
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)
        return done

    def _send_followup_reminder(self, now):
        """Mark then send the next reminder of each request: the count moves
        the next reminder date on (after the third: the automatic closure
        date). One write per reminder number, the reminders rendered and
        posted together."""
        for count, requests in self.grouped("reminder_count").items():
            requests.write({"reminder_count": count + 1, "date_last_reminder": now})
        self._post_followup_template(TEMPLATE_REMINDER)

    def _auto_close_unanswered(self, now):
        self.action_close()
        self._post_followup_template(TEMPLATE_AUTO_CLOSED)

    def _close_for_good(self, now):
        deadlines = {request.id: request.date_reopen_deadline for request in self}
        self.action_close()
        self._log_followup_batch(
            {
                request_id: self.env._(
                    "The reopen window closed on %(date)s: the request is closed "
                    "for good.",
                    date=format_datetime(self.env, deadline),
                )
                for request_id, deadline in deadlines.items()
            }
        )

    # ------------------------------------------------------------------
    # Daily digest (F3)
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_digest(self):
        """F3: once a day per company, e-mail the duty desk the open requests
        awaiting our answer; nothing when none awaits. A company already
        served today (in its time zone) is skipped, so a second run the same
        day sends nothing; companies locked by another worker are skipped."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        groups = self._read_group(self._awaiting_answer_domain(), ["company_id"])
        companies = (
            self.env["res.company"]
            .browse(company.id for (company,) in groups)
            .filtered_domain(
                Failure._blocked_domain("followup_digest", "res.company", now)
            )
        )
        locked = companies.try_lock_for_update(allow_referencing=True)
        locked.invalidate_recordset(["intervention_digest_date"])
        due = locked.filtered(
            lambda company: (
                company.intervention_digest_date != company._intervention_local_today()
            )
        )
        sent = []
        Failure._run_each(
            "followup_digest",
            due,
            lambda company: sent.append(
                self._send_followup_digest(company, company._intervention_local_today())
            ),
            now,
            skipped=len(companies - locked),
        )
        self.env["ir.cron"]._commit_progress(sum(sent), remaining=0)
        return sum(sent)

    @api.model
    def _send_followup_digest(self, company, today):
        """Send ``company``'s digest and mark the day; 1 if sent, else 0."""
        email_to, partners = company._intervention_digest_recipients()
        if not (email_to or partners):
            _logger.warning(
                "No recipient for the follow-up digest of %s: set a duty desk "
                "e-mail or a support manager with an e-mail",
                company.name,
            )
            return 0
        if not company._intervention_digest_requests():
            return 0
        self.env.ref(TEMPLATE_DIGEST).send_mail(
            company.id,
            email_values={
                "email_to": email_to or False,
                "recipient_ids": [Command.link(partner.id) for partner in partners],
            },
        )
        company.intervention_digest_date = today
        return 1
