from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_datetime

from ..tools import business_time

CALL_OUTCOMES = [
    ("not_eligible", "Not eligible: leave a message or use the portal"),
    ("call_technician", "Call the technician on duty now"),
    ("next_morning", "Call the technician next morning"),
    ("outside_window", "Outside the agency's window: summary only"),
    ("safety", "Safety emergency: regional manager at once"),
]
CALL_STATES = [
    ("draft", "Draft"),
    ("open", "Waiting for an answer"),
    ("done", "Done"),
]
ESCALATION_LEVELS = [
    ("none", "None"),
    ("manager", "On-call manager"),
    ("general", "General management"),
]


class InterventionOncallCall(models.Model):
    """One after-hours call taken by the answering service (E3): who called,
    about what, the outcome the procedure gives, the person to call and each
    attempt to reach them, the summary sent to the agency (E4) and the
    escalation when nobody answers (D3)."""

    _name = "intervention.oncall.call"
    _description = "After-hours Call"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "intervention.message.batch.mixin",
    ]
    _order = "date_call desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        CALL_STATES, default="draft", required=True, readonly=True, tracking=True
    )
    date_call = fields.Datetime(
        string="Called On", required=True, default=fields.Datetime.now, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Client", index=True, domain="[('parent_id', '=', False)]"
    )
    contract_id = fields.Many2one("intervention.contract", check_company=True)
    agency_id = fields.Many2one(
        "intervention.agency",
        check_company=True,
        compute="_compute_agency_id",
        store=True,
        readonly=False,
    )
    requester_id = fields.Many2one("res.partner", string="Contact")
    caller_name = fields.Char()
    caller_phone = fields.Char()
    site_id = fields.Many2one("res.partner")
    equipment_id = fields.Many2one("intervention.equipment", check_company=True)
    description = fields.Text(string="Breakdown")
    is_safety = fields.Boolean(
        string="Safety Emergency",
        help="Risk to property or people: gas leak, fire, explosion, intoxication.",
    )
    coverage_message = fields.Char(string="After-hours Subscription", readonly=True)
    outcome = fields.Selection(CALL_OUTCOMES, readonly=True, tracking=True)
    outcome_message = fields.Text(readonly=True)
    oncall_delay = fields.Char(related="contract_id.oncall_delay")
    callee_id = fields.Many2one(
        "res.users", string="To Call", readonly=True, tracking=True
    )
    callee_shift_id = fields.Many2one("intervention.oncall.shift", readonly=True)
    date_due = fields.Datetime(
        string="Call Due",
        readonly=True,
        help="When the person on duty is to be called.",
    )
    attempt_ids = fields.One2many("intervention.oncall.attempt", "call_id")
    is_reached = fields.Boolean(string="Reached", readonly=True, tracking=True)
    request_id = fields.Many2one("intervention.request", readonly=True, copy=False)
    summary_sent = fields.Boolean(readonly=True, copy=False)
    escalation_level = fields.Selection(
        ESCALATION_LEVELS, default="none", required=True, readonly=True, tracking=True
    )
    date_next_escalation = fields.Datetime(readonly=True, copy=False)

    _escalation_due_idx = models.Index(
        "(date_next_escalation) WHERE state = 'open' AND date_next_escalation "
        "IS NOT NULL"
    )

    @api.depends("contract_id", "site_id", "partner_id")
    def _compute_agency_id(self):
        Agency = self.env["intervention.agency"]
        for call in self:
            call.agency_id = (
                call.contract_id.agency_id
                or Agency._find_for_address(call.site_id, call.partner_id)
                or call.agency_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "intervention.oncall.call"
                ) or self.env._("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Client look-up
    # ------------------------------------------------------------------
    @api.model
    def _find_clients(self, term):
        """Clients matching ``term`` by name, phone or contract number."""
        term = (term or "").strip()
        if not term:
            return self.env["res.partner"]
        partners = self.env["res.partner"].search(
            Domain("name", "ilike", term) | Domain("phone", "ilike", term)
        )
        contracts = self.env["intervention.contract"].search([("name", "ilike", term)])
        return (partners | contracts.partner_id).commercial_partner_id

    @api.model
    def _find_after_hours_contract(self, partner, when):
        """The client's contract in force at ``when``, preferring one with an
        after-hours obligation."""
        contracts = self.env["intervention.contract"]._find_for_client(partner, when)
        return (
            contracts.filtered(lambda c: c._has_after_hours_obligation())[:1]
            or contracts[:1]
        )

    # ------------------------------------------------------------------
    # Outcome (E3)
    # ------------------------------------------------------------------
    def _decide_outcome(self):
        """The procedure's outcome for this call: ``(outcome, due, level,
        message)``; ``due`` is when to call the person of ``level`` ("1", "2"
        or None when nobody is called)."""
        self.ensure_one()
        when = self.date_call
        verdict = self.contract_id._get_coverage_verdict(
            when,
            requester=self.requester_id,
            site=self.site_id,
            equipment=self.equipment_id,
            channel="oncall",
        )
        self.coverage_message = verdict["message"]
        if self.is_safety and self.partner_id:
            # Seed 001 §5.2: every client, with or without an after-hours
            # subscription; the agency then comes from the address.
            self._check_agency_known()
            return "safety", when, "2", self._message_safety()
        if not verdict["covered"]:
            return "not_eligible", None, None, self._message_not_eligible()
        self._check_agency_known()
        agency = self.agency_id
        if self.contract_id.oncall_client_type == "individual_77":
            morning = self._individual_next_morning(agency, when)
            if morning:
                return "next_morning", morning, "1", self._message_next_morning(morning)
        if agency._window_at(when):
            return (
                "call_technician",
                when,
                "1",
                self.env._(
                    "Call the technician on duty now; the client will be called back."
                ),
            )
        morning = self._day_duty_next_morning(agency, when)
        if morning:
            return "next_morning", morning, "1", self._message_next_morning(morning)
        return (
            "outside_window",
            None,
            None,
            self.env._(
                "Outside the agency's on-call hours: do not call the technician; the "
                "summary goes to the agency, which handles the request when it opens."
            ),
        )

    def _check_agency_known(self):
        """Ask the operator for the agency when neither the contract nor the
        client's site or address gives one."""
        self.ensure_one()
        if self.agency_id:
            return
        if self.is_safety:
            raise UserError(
                self.env._(
                    "Safety emergency: no agency is known for %(client)s (none on "
                    "its contract, none serving its site or address). Choose the "
                    "agency in the Agency field, then route the call again: its "
                    "regional on-call manager is called at once.",
                    client=self.partner_id.display_name,
                )
            )
        raise UserError(
            self.env._(
                "Call %(call)s: choose the agency of the client (none is set on "
                "contract %(contract)s and none serves its address).",
                call=self.name,
                contract=self.contract_id.name,
            )
        )

    @api.model
    def _individual_next_morning(self, agency, when):
        """Seed 001: an individual 7/7 client calling after the company's
        cut-off (18:00 in the seed) or in the night before the morning is
        called back the next morning, whatever the agency's windows. Returns
        that morning, or None."""
        local = agency._local(when)
        company = agency.company_id or self.env.company
        if _local_hour(local) >= company.intervention_oncall_individual_cutoff:
            return agency._next_morning(when)
        today_morning = agency._next_morning(when - timedelta(days=1))
        if business_time.to_aware_utc(when) < today_morning:
            return today_morning
        return None

    @api.model
    def _day_duty_next_morning(self, agency, when):
        """Outside the windows, the evening before a day-duty day (weekend,
        public holiday), or that day's early morning: the technician is
        called when the day duty starts. Returns that start, or None."""
        local = agency._local(when)
        company = agency.company_id or self.env.company
        if _local_hour(local) >= company.intervention_oncall_morning_end:
            return agency._next_day_duty_start(when)
        today = local.date()
        if agency._is_business_day(today):
            return None
        instant = business_time.to_aware_utc(when)
        starts = [
            start
            for start, _stop, window in agency._window_intervals(today, today)
            if window.oncall_type == "day_duty" and start > instant
        ]
        return min(starts) if starts else None

    def _message_safety(self):
        return self.env._(
            "Safety emergency: call the regional on-call manager at once; the summary "
            "goes to the agency and to the regional direction."
        )

    def _message_not_eligible(self):
        return self.env._(
            "Not eligible for after-hours intervention: the client leaves a message "
            "on the agency's answering machine or opens a request in the portal "
            "(open 24/7); it is handled on the next business day."
        )

    def _message_next_morning(self, morning):
        return self.env._(
            "Do not call the technician now: call them on %(when)s; tell the client "
            "they will be called back then.",
            when=format_datetime(
                self.env,
                business_time.to_naive_utc(morning),
                tz=self.agency_id.resource_calendar_id.tz,
            ),
        )

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------
    def action_route(self):
        """Apply the procedure: outcome, person to call, request (channel
        on-call) for eligible calls, summary when nobody is called now."""
        for call in self:
            if call.state != "draft":
                raise UserError(
                    self.env._("Call %(call)s is already routed.", call=call.name)
                )
            outcome, due, level, message = call._decide_outcome()
            vals = {
                "outcome": outcome,
                "outcome_message": message,
                "state": "done"
                if outcome in ("not_eligible", "outside_window")
                else "open",
                "date_due": due and business_time.to_naive_utc(due),
            }
            if level:
                vals.update(call._prepare_callee_values(level, due))
            call.write(vals)
            if outcome != "not_eligible":
                call._create_request()
            if outcome in ("outside_window", "next_morning", "safety") or (
                call.state == "open" and not call.callee_id
            ):
                call._send_summary()
        return True

    def _prepare_callee_values(self, level, due):
        """Whom to call at ``due``: the shift of ``level``, else (nobody on
        duty) the regional manager on duty."""
        self.ensure_one()
        shift = self.agency_id._shift_at(level, due)
        if not shift and level == "1":
            shift = self.agency_id._shift_at("2", due)
        delay = timedelta(minutes=self.agency_id.escalation_delay)
        return {
            "callee_id": shift.user_id.id,
            "callee_shift_id": shift.id,
            "escalation_level": "manager" if shift.level == "2" else "none",
            "date_next_escalation": business_time.to_naive_utc(due) + delay,
        }

    def _prepare_request_values(self):
        self.ensure_one()
        return {
            "channel": "oncall",
            "date_received": self.date_call,
            "partner_id": self.partner_id.id,
            "contract_id": self.contract_id.id,
            "requester_id": self.requester_id.id,
            "requester_phone": self.caller_phone or self.requester_id.phone,
            "site_id": self.site_id.id,
            "equipment_id": self.equipment_id.id,
            "summary": self.env._("After-hours call %(call)s", call=self.name),
            "description": self.description,
            "severity": "blocking" if self.is_safety else "major",
            "company_id": self.company_id.id,
        }

    def _create_request(self):
        self.ensure_one()
        self.request_id = self.env["intervention.request"].create(
            self._prepare_request_values()
        )

    # ------------------------------------------------------------------
    # Attempts (E3) and summary (E4)
    # ------------------------------------------------------------------
    def action_log_reached(self):
        return self._log_attempt("reached")

    def action_log_voicemail(self):
        return self._log_attempt("voicemail")

    def action_log_no_answer(self):
        return self._log_attempt("no_answer")

    def _log_attempt(self, result, when=None):
        for call in self:
            if call.state != "open" or not call.callee_id:
                raise UserError(
                    self.env._(
                        "Call %(call)s is not waiting for anyone to answer.",
                        call=call.name,
                    )
                )
            self.env["intervention.oncall.attempt"].create(
                {
                    "call_id": call.id,
                    "user_id": call.callee_id.id,
                    "shift_id": call.callee_shift_id.id,
                    "result": result,
                    "date": when or fields.Datetime.now(),
                }
            )
        return True

    def _on_attempt(self, attempt):
        """After each attempt: close the call when reached, alert the manager
        when the technician stays unreachable, send the summary once."""
        self.ensure_one()
        if attempt.result == "reached":
            self.write(
                {"is_reached": True, "state": "done", "date_next_escalation": False}
            )
        elif attempt.shift_id.level == "1" and attempt._is_unreachable_streak():
            self._escalate(
                "manager",
                self.env._(
                    "%(user)s was unreachable %(count)s times in a row during this "
                    "on-call shift.",
                    user=attempt.user_id.name,
                    count=self.agency_id.unreachable_threshold,
                ),
            )
        if not self.summary_sent or attempt.result == "reached":
            self._send_summary()

    def _summary_recipients(self):
        self.ensure_one()
        emails = [self.agency_id.email]
        if self.outcome == "safety":
            emails.append(self.agency_id.regional_direction_email)
        return ",".join(email for email in emails if email)

    def _send_summary(self):
        """E-mail the call's summary to the agency (and the regional
        direction for a safety emergency), saying whether the person on duty
        was reached."""
        template = self.env.ref("intervention_request.mail_template_oncall_summary")
        for call in self:
            email_to = call._summary_recipients()
            if not email_to:
                call.message_post(
                    body=self.env._(
                        "No e-mail address for the agency: summary not sent."
                    )
                )
                continue
            template.send_mail(call.id, email_values={"email_to": email_to})
            call.summary_sent = True
            call.message_post(
                body=self.env._("Summary sent to %(emails)s.", emails=email_to)
            )

    def action_send_summary(self):
        self._send_summary()
        return True

    # ------------------------------------------------------------------
    # Escalation (D3)
    # ------------------------------------------------------------------
    def _escalate(self, level, reason):
        """Hand the calls to the on-call manager or the general management:
        the calls now wait for their answer; each call gets an activity for
        that person and a note in its chatter, and the person is notified
        (e-mail or inbox, as they chose): by a message on the call, or by one
        message listing the calls when several go to them at once.

        Batched for the scheduled action (a queries count that does not grow
        with the calls): one search of the managers on duty for all the
        agencies, one write per person, the activities created at once
        (their own "assigned" e-mail left out: the message above is the
        e-mail) and the notes logged at once. The tracking of the write (the
        level, the person to call) is shown on each call's note rather than
        in a tracking message of its own (``_escalation_write``), and the
        messages listing several calls go through the mail queue."""
        if not self:
            return
        now = fields.Datetime.now()
        label = dict(self._fields["escalation_level"]._description_selection(self.env))[
            level
        ]
        targets = self._escalation_targets(level, now)
        groups = {}
        for call in self:
            user, shift, next_escalation = targets[call]
            key = (user or call.callee_id, shift, next_escalation)
            groups.setdefault(key, []).append(call.id)
        tracking = self._escalation_write(
            {
                key: {
                    "escalation_level": level,
                    "callee_id": key[0].id,
                    "callee_shift_id": key[1].id,
                    "date_next_escalation": key[2],
                }
                for key in groups
            },
            groups,
        )
        bodies = {}
        for call in self:
            user = targets[call][0]
            bodies[call.id] = self.env._(
                "Escalated to %(level)s (%(user)s): %(reason)s",
                level=label,
                user=user.name or self.env._("nobody on duty"),
                reason=reason,
            )
        self._escalation_activities(targets, bodies)
        self._escalation_notify(targets, bodies, tracking)

    def _escalation_write(self, values, groups):
        """Write ``values[key]`` on the calls ``groups[key]`` (ids) without
        Odoo's tracking message per call; returns {call id: tracking value
        commands} (the changes of the tracked fields, Odoo's ``_mail_track``),
        which ``_escalation_notify`` puts on each call's note: the chatter
        shows the same changes, in the escalation note. Tracking pending from
        earlier writes of the transaction on these calls is taken over (its
        initial values kept), so that it is neither lost nor logged twice;
        calls whose tracking is disabled get none."""
        context = self.env.context
        fnames = self._track_get_fields()
        if not fnames or context.get("tracking_disable") or context.get("mail_notrack"):
            for key, ids in groups.items():
                self.browse(ids).write(values[key])
            return {}
        pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        initial = {}
        for call in self:
            if call.id in pending and pending[call.id] is None:
                continue  # tracking discarded for this call
            earlier = pending.pop(call.id, None) or {}
            initial[call.id] = {
                fname: earlier[fname] if fname in earlier else call[fname]
                for fname in fnames
            }
        # The names of the former values, read at once (after the write,
        # each would be read alone: its prefetch follows the new values).
        for fname in fnames:
            field = self._fields[fname]
            if field.type == "many2one":
                self.env[field.comodel_name].browse(
                    {old[fname].id for old in initial.values()} - {False}
                ).mapped("display_name")
        quiet = self.with_context(mail_notrack=True)
        for key, ids in groups.items():
            quiet.browse(ids).write(values[key])
        tracked = self.fields_get(
            fnames, attributes=("string", "type", "selection", "currency_field")
        )
        return {
            call.id: call._mail_track(tracked, initial[call.id])[1]
            for call in self
            if call.id in initial
        }

    def _escalation_targets(self, level, now):
        """``{call: (user, shift, next escalation)}``: the regional manager on
        duty now in the call's agency (one search for all the agencies), or
        the company's general management, which ends the escalation."""
        if level != "manager":
            return {
                call: (
                    call.company_id.intervention_oncall_direction_id,
                    self.env["intervention.oncall.shift"],
                    False,
                )
                for call in self
            }
        shifts = self.env["intervention.oncall.shift"].search(
            [
                ("agency_id", "in", self.agency_id.ids),
                ("level", "=", "2"),
                ("date_start", "<=", now),
                ("date_end", ">", now),
            ]
        )
        shift_of = {}
        for shift in shifts:
            shift_of.setdefault(shift.agency_id, shift)
        empty = self.env["intervention.oncall.shift"]
        return {
            call: (
                shift_of.get(call.agency_id, empty).user_id,
                shift_of.get(call.agency_id, empty),
                now + timedelta(minutes=call.agency_id.escalation_delay),
            )
            for call in self
        }

    def _escalation_activities(self, targets, bodies):
        """One to-do activity per call for the person it now waits for."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = self.env["ir.model"]._get_id(self._name)
        values = [
            {
                "activity_type_id": todo.id if todo else False,
                "summary": self.env._(
                    "After-hours call %(call)s unanswered", call=call.name
                ),
                "note": bodies[call.id],
                "automated": True,
                "date_deadline": fields.Date.context_today(self),
                "res_model_id": model,
                "res_id": call.id,
                "user_id": targets[call][0].id,
            }
            for call in self
            if targets[call][0]
        ]
        if values:
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            ).create(values)

    def _escalation_notify(self, targets, bodies, tracking):
        """Tell each person: a message on the call when one call goes to
        them, else the notes logged on the calls and one message listing
        them, those messages of all the people sent at once
        (``_message_notify_batch``, through the mail queue). Calls with
        nobody to tell get the note only. Each call's message or note
        carries the changes of its tracked fields (``tracking``), the notes'
        in one insert."""
        by_user = {}
        for call in self:
            by_user.setdefault(targets[call][0], self.browse())
            by_user[targets[call][0]] |= call
        logged = self.browse()
        listed = []
        for user, calls in by_user.items():
            if user and len(calls) == 1:
                calls.message_post(
                    body=bodies[calls.id],
                    partner_ids=user.partner_id.ids,
                    tracking_value_ids=tracking.get(calls.id, []),
                )
                continue
            logged |= calls
            if user:
                listed.append(
                    {
                        "partner_ids": user.partner_id.ids,
                        "subject": self.env._(
                            "%(count)s after-hours calls unanswered", count=len(calls)
                        ),
                        "body": Markup("<br/>").join(
                            Markup("%s: %s") % (call.name, bodies[call.id])
                            for call in calls
                        ),
                    }
                )
        notes = logged._message_log_batch(
            bodies={call.id: bodies[call.id] for call in logged}
        )
        tracking_values = [
            dict(command[2], mail_message_id=note.id)
            for note in notes
            for command in tracking.get(note.res_id, [])
        ]
        if tracking_values:
            self.env["mail.tracking.value"].sudo().create(tracking_values)
        self.browse()._message_notify_batch(listed)

    @api.model
    def _cron_escalate_unanswered(self, batch_size=100):
        """D3: calls whose person on duty has not answered in time go to the
        on-call manager, then to the general management.

        Idempotent: due rows only (partial index on ``date_next_escalation``
        of open calls), row locks skipping what another worker holds, a
        re-check after the lock; escalating moves ``date_next_escalation``
        on (or clears it) in the same savepoint, so a call is not escalated
        twice for one delay. The batch is escalated at once in one savepoint
        (``_escalate`` is batched); when that fails, one savepoint per call
        finds and sets aside the bad one."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        domain = (
            Domain("state", "=", "open")
            & Domain("date_next_escalation", "<=", now)
            & Failure._blocked_domain("oncall_escalation", self._name, now)
        )
        calls = self.search(domain, limit=batch_size, order="date_next_escalation")
        locked = calls.try_lock_for_update()
        locked.invalidate_recordset()
        done = Failure._run_each(
            "oncall_escalation",
            locked.filtered_domain(domain),
            lambda call: call._escalate_unanswered(),
            now,
            skipped=len(calls - locked),
            batch_action=lambda batch: batch._escalate_unanswered(),
        )
        remaining = self.search_count(domain) if len(calls) == batch_size else 0
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)

    def _escalate_unanswered(self):
        """One level up for each call: technician -> on-call manager ->
        general management."""
        first = self.filtered(lambda call: call.escalation_level == "none")
        first._escalate("manager", self.env._("the technician on duty did not answer."))
        (self - first)._escalate(
            "general", self.env._("the on-call manager did not answer.")
        )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_open_report_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("After-hours Report"),
            "res_model": "intervention.oncall.report.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_call_id": self.id},
        }

    def action_view_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "intervention.request",
            "view_mode": "form",
            "res_id": self.request_id.id,
        }


def _local_hour(local):
    """The hour of a local datetime as a float (18:30 -> 18.5), to compare
    with the company's procedure hours."""
    return local.hour + local.minute / 60
