from pytz import UTC, timezone

from odoo import fields, models


class ResCompany(models.Model):
    """The company's settings of the intervention desk: reopen and feedback
    windows, default SLA policy, duty desk and digest (F3), on-call (D3)."""

    _inherit = "res.company"

    intervention_reopen_days = fields.Integer(
        string="Reopen Window (days)",
        default=5,
        help="Days after resolution during which the client may reopen a request.",
    )

    intervention_sla_policy_id = fields.Many2one(
        "intervention.sla.policy",
        string="Default SLA Policy",
        domain="[('company_id', 'in', [id, False])]",
        help="Applies to requests whose contract names no policy.",
    )

    _intervention_reopen_days_positive = models.Constraint(
        "CHECK(intervention_reopen_days >= 0)",
        "The reopen window cannot be negative.",
    )

    # Follow-up (F3)
    intervention_duty_desk_email = fields.Char(
        string="Duty Desk E-mail",
        help="Receives the daily digest of the requests awaiting an answer. "
        "Empty: the support managers of the company receive it.",
    )
    intervention_digest_date = fields.Date(
        string="Last Digest On",
        readonly=True,
        copy=False,
        help="Local day of the last digest sent: one digest per day at most.",
    )

    # Portal feedback (B7)
    intervention_feedback_days = fields.Integer(
        string="Feedback Window (days)",
        default=8,
        help="Days after resolution during which the client may rate a request and "
        "leave remarks, from the rating e-mail or the portal (seed 002: 8 days).",
    )

    intervention_portal_max_attachment_mb = fields.Integer(
        string="Portal Attachment Limit (MB)",
        default=10,
        help="Largest file a client may attach to a request in the portal.",
    )

    _intervention_portal_max_attachment_mb_positive = models.Constraint(
        "CHECK(intervention_portal_max_attachment_mb > 0)",
        "The portal attachment limit must be at least 1 MB.",
    )
    _intervention_feedback_days_positive = models.Constraint(
        "CHECK(intervention_feedback_days >= 0)",
        "The feedback window cannot be negative.",
    )

    # On call (D3, E5)
    intervention_oncall_direction_id = fields.Many2one(
        "res.users",
        string="On-call General Management",
        help="Last level of the after-hours escalation, when neither the "
        "technician nor the on-call manager answers (D3).",
    )
    intervention_oncall_export_email = fields.Char(
        string="After-hours Clients File To",
        help="Receives every week the file of the clients with after-hours "
        "obligations (answering service).",
    )
    intervention_oncall_individual_cutoff = fields.Float(
        string="Individual Clients Called Back From",
        default=18.0,
        help="Individual 7/7 clients calling after this local hour are called "
        "back the next morning (seed 001 §5.2).",
    )
    intervention_oncall_morning_end = fields.Float(
        string="Morning Ends At",
        default=12.0,
        help="Outside the agency's windows, a call before this local hour is "
        "the early morning of a day-duty day; from it, the evening before the "
        "next one (seed 001).",
    )

    _intervention_oncall_hours_valid = models.Constraint(
        "CHECK(intervention_oncall_individual_cutoff >= 0 "
        "AND intervention_oncall_individual_cutoff < 24 "
        "AND intervention_oncall_morning_end >= 0 "
        "AND intervention_oncall_morning_end < 24)",
        "The on-call procedure hours must lie between 00:00 and 24:00.",
    )
    intervention_oncall_export_date = fields.Date(
        string="After-hours Clients File Sent On",
        readonly=True,
        copy=False,
        help="Local date of the last weekly file: it goes once a week.",
    )

    # Time in the timesheets (H3)
    intervention_project_id = fields.Many2one(
        "project.project",
        string="Interventions Project",
        domain="[('company_id', '=', id), ('allow_timesheets', '=', True)]",
        help="Project of the timesheet lines that record the time spent on "
        "intervention requests (created when first needed).",
    )

    def _get_intervention_project(self):
        """The project the company's intervention time is logged on; an
        "Interventions" project open to employees is created the first time
        a company without one records time."""
        self.ensure_one()
        if not self.intervention_project_id:
            project = (
                self.env["project.project"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Interventions"),
                        "company_id": self.id,
                        "allow_timesheets": True,
                        "privacy_visibility": "employees",
                    }
                )
            )
            self.sudo().intervention_project_id = project
        return self.intervention_project_id

    def _intervention_local_today(self):
        """Today in the company's working time zone (its calendar's, else its
        partner's, else UTC): the digest's day."""
        self.ensure_one()
        tz_name = self.resource_calendar_id.tz or self.partner_id.tz or "UTC"
        now = UTC.localize(fields.Datetime.now())
        return now.astimezone(timezone(tz_name)).date()

    def _intervention_digest_requests(self):
        """The company's open requests awaiting an answer from us, oldest
        reception first (the body of the digest)."""
        self.ensure_one()
        return self.env["intervention.request"].search(
            self.env["intervention.request"]._awaiting_answer_domain()
            + [("company_id", "=", self.id)],
            order="date_received, id",
        )

    def _intervention_digest_recipients(self):
        """(e-mail addresses, partners) the digest goes to: the duty desk
        address when set, else the company's support managers."""
        self.ensure_one()
        if self.intervention_duty_desk_email:
            return self.intervention_duty_desk_email, self.env["res.partner"]
        group = self.env.ref("intervention_request.group_intervention_manager")
        managers = group.all_user_ids.filtered(
            lambda user: user.active and self in user.company_ids and user.email
        )
        return False, managers.partner_id
