from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError
from odoo.fields import Command, Domain

FINANCE_GROUP = "intervention_request.group_intervention_finance"


class InterventionComplianceStatement(models.Model):
    """Delivery of the compliance statements (I3): sending to the client's
    contacts, the monthly scheduled action and the credit note of the
    penalties. The figures are in ``intervention_compliance_statement.py``."""

    _inherit = "intervention.compliance.statement"

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _send_statements(self):
        """Post each statement, with its PDF, to its contract's contacts (in
        the client's language) and mark it sent."""
        template = self.env.ref(
            "intervention_request.mail_template_compliance_statement"
        )
        for statement in self:
            recipients = statement.contract_id._compliance_recipients()
            if not recipients:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s has no contact to send its "
                        "statement to.",
                        contract=statement.contract_id.display_name,
                    )
                )
            statement.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=recipients.ids,
            )
            statement.write({"state": "sent", "date_sent": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _first_business_day(self, company, month_start):
        """The first working day (local date) of the month starting on
        ``month_start`` in the company's calendar, public holidays included."""
        calendar = company.resource_calendar_id
        if not calendar:
            return month_start
        tz = ZoneInfo(calendar.tz or "UTC")
        start = datetime.combine(month_start, time.min).replace(tzinfo=tz)
        timeline = calendar._intervention_timeline(start, start + timedelta(days=31))
        days = [day for day in timeline.working_days if day >= month_start]
        return days[0] if days else month_start

    @api.model
    def _due_contracts_domain(self, company, period_start):
        """Contracts of ``company`` in force during the month and without a
        statement sent for it (the unique (contract, month) index and the
        sent state make this the "not done yet" marker)."""
        period_end = period_start + relativedelta(months=1, days=-1)
        return (
            Domain("company_id", "=", company.id)
            & Domain("state", "!=", "draft")
            & Domain("date_start", "<=", period_end)
            & (Domain("date_end", "=", False) | Domain("date_end", ">=", period_start))
            & Domain(
                "compliance_statement_ids",
                "not any",
                [("period_start", "=", period_start), ("state", "=", "sent")],
            )
        )

    @api.model
    def _cron_send_monthly(self, batch_size=50):
        """From the first business day of a month (company calendar, public
        holidays), build and send last month's statement of every contract
        in force then.

        Safe to run again and on two workers: a contract is due only while
        its statement of the month is not sent (the sent state is the marker,
        the unique (contract, month) index backs it); contracts are taken
        with ``try_lock_for_update`` (another worker's are skipped and the
        action runs again shortly) and checked again once locked. Each
        contract goes through ``intervention.cron.failure._run_each``: one
        savepoint per contract, a failure is logged, retried with the
        addon's retry policy and set aside for a manager after repeated
        failures, never stopping the others. Running daily catches up a day
        the server was down.
        """
        Contract = self.env["intervention.contract"]
        Failure = self.env["intervention.cron.failure"]
        now = fields.Datetime.now()
        done = remaining = 0
        # Only the companies that have contracts out of draft.
        companies = [
            company
            for [company] in Contract._read_group(
                [("state", "!=", "draft")], ["company_id"]
            )
        ]
        for company in companies:
            today = fields.Datetime.context_timestamp(
                self.with_context(tz=company.resource_calendar_id.tz or "UTC"), now
            ).date()
            month_start = today.replace(day=1)
            if today < self._first_business_day(company, month_start):
                continue
            period_start = month_start - relativedelta(months=1)
            domain = self._due_contracts_domain(
                company, period_start
            ) & Failure._blocked_domain("compliance_statements", Contract._name, now)
            contracts = Contract.search(domain, limit=batch_size)
            locked = contracts.try_lock_for_update(allow_referencing=True)
            locked.invalidate_recordset()
            still_due = Contract.search(domain & Domain("id", "in", locked.ids))
            done += len(
                Failure._run_each(
                    "compliance_statements",
                    still_due,
                    lambda contract, start=period_start: self._send_monthly_one(
                        contract, start
                    ),
                    now=now,
                    skipped=len(contracts - locked),
                )
            )
            remaining += Contract.search_count(domain)
        self.env["ir.cron"]._commit_progress(done, remaining=max(remaining, 0))

    @api.model
    def _send_monthly_one(self, contract, period_start):
        """Build (or refresh while draft) and send one contract's statement
        of the month starting on ``period_start``."""
        statement = self.search(
            [("contract_id", "=", contract.id), ("period_start", "=", period_start)]
        )
        if not statement:
            statement = self.create(
                {"contract_id": contract.id, "period_start": period_start}
            )
        elif statement.state == "draft" and not statement.credit_note_ids:
            statement._compute_figures()
        if statement.state == "draft":
            statement._send_statements()
        return statement

    # ------------------------------------------------------------------
    # Credit note
    # ------------------------------------------------------------------
    def action_create_credit_note(self):
        """Finance: a draft credit note of the penalties, linked to the
        statement; never a second one for the same statement (row lock,
        then the unique index on the credit note's statement)."""
        self.ensure_one()
        if not self.env.user.has_group(FINANCE_GROUP):
            raise AccessError(
                self.env._("Only finance can credit a statement's penalties.")
            )
        self.check_access("read")
        try:
            self.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "%(statement)s is being credited already.", statement=self.name
                )
            ) from None
        if self.credit_note_ids:
            raise UserError(
                self.env._(
                    "%(statement)s already has its credit note %(move)s.",
                    statement=self.name,
                    move=self.credit_note_ids[:1].display_name,
                )
            )
        if self.penalty_amount <= 0:
            raise UserError(
                self.env._("%(statement)s owes no penalty.", statement=self.name)
            )
        move = self.env["account.move"].create(self._prepare_credit_note_values())
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
        }

    def _prepare_credit_note_values(self):
        self.ensure_one()
        labels = dict(
            self.line_ids._fields["target_type"]._description_selection(self.env)
        )
        severities = dict(
            self.line_ids._fields["severity"]._description_selection(self.env)
        )
        lines = [
            Command.create(
                {
                    "name": self.env._(
                        "%(statement)s: %(target)s, %(severity)s, breached targets",
                        statement=self.name,
                        target=labels[line.target_type],
                        severity=severities.get(line.severity, ""),
                    ),
                    "quantity": line.breached_count,
                    "price_unit": line.penalty_rate,
                }
            )
            for line in self.line_ids.filtered("penalty_amount")
        ]
        if self.penalty_threshold_amount:
            lines.append(
                Command.create(
                    {
                        "name": self.env._(
                            "%(statement)s: compliance %(rate)s%% under the "
                            "contractual threshold",
                            statement=self.name,
                            rate=f"{self.compliance_rate:.1f}",
                        ),
                        "quantity": 1,
                        "price_unit": self.penalty_threshold_amount,
                    }
                )
            )
        excess = self.penalty_breach_amount + self.penalty_threshold_amount
        excess -= self.penalty_amount
        if self.currency_id.round(excess) > 0:
            lines.append(
                Command.create(
                    {
                        "name": self.env._("Penalty cap per period"),
                        "quantity": 1,
                        "price_unit": -excess,
                    }
                )
            )
        return {
            "move_type": "out_refund",
            "partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "invoice_origin": self.name,
            "ref": self.env._("SLA penalties %(statement)s", statement=self.name),
            "compliance_statement_id": self.id,
            "invoice_line_ids": lines,
        }

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.credit_note_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Compliance statement %(name)s", name=self.name)

    def _report_tz(self):
        """Time zone the statement's dates are printed in: the contract's
        business hours."""
        self.ensure_one()
        calendar = (
            self.contract_id.resource_calendar_id
            or self.company_id.resource_calendar_id
        )
        return calendar.tz or self.env.user.tz or "UTC"
