from odoo import api, fields, models

from .request_lifecycle import SEVERITIES

REMINDER_COUNT = 3


class InterventionSlaPolicyReminder(models.Model):
    """When to remind a client who leaves a request waiting (F1, seed 003
    1.4.2): for requests of one severity, the three reminders in business
    days from the start of the waiting cycle, and the automatic closure that
    many business days after the third reminder.

    A policy without a line for a severity sends no reminder for it.
    """

    _name = "intervention.sla.policy.reminder"
    _description = "SLA Policy Reminder Schedule"
    _order = "policy_id, severity"
    _rec_name = "severity"

    policy_id = fields.Many2one(
        "intervention.sla.policy", required=True, ondelete="cascade", index=True
    )
    severity = fields.Selection(
        SEVERITIES,
        required=True,
    )
    reminder_1_days = fields.Integer(
        string="1st Reminder (business days)",
        required=True,
        default=1,
        help="Business days from the start of the waiting cycle.",
    )
    reminder_2_days = fields.Integer(
        string="2nd Reminder (business days)",
        required=True,
        default=2,
        help="Business days from the start of the waiting cycle.",
    )
    reminder_3_days = fields.Integer(
        string="3rd Reminder (business days)",
        required=True,
        default=3,
        help="Business days from the start of the waiting cycle.",
    )
    close_after_days = fields.Integer(
        string="Close After (business days)",
        required=True,
        default=1,
        help="Without an answer, the request is closed this many business days "
        "after the third reminder.",
    )

    _policy_severity_uniq = models.UniqueIndex(
        "(policy_id, severity)",
        "A policy has one reminder schedule per severity.",
    )
    _reminder_days_increasing = models.Constraint(
        "CHECK(reminder_1_days > 0 AND reminder_2_days > reminder_1_days "
        "AND reminder_3_days > reminder_2_days)",
        "Reminders come after the start of the waiting cycle and each after the "
        "previous one.",
    )
    _close_after_days_positive = models.Constraint(
        "CHECK(close_after_days >= 0)",
        "The delay before the automatic closure cannot be negative.",
    )

    def _days_to_reminder(self, number):
        """Business days from the cycle start to reminder ``number`` (1-3)."""
        self.ensure_one()
        return self[f"reminder_{number}_days"]

    @api.depends("severity", "reminder_1_days", "reminder_2_days", "reminder_3_days")
    def _compute_display_name(self):
        severities = dict(self._fields["severity"]._description_selection(self.env))
        for line in self:
            line.display_name = self.env._(
                "%(severity)s: reminders after %(first)s, %(second)s and %(third)s "
                "business days",
                severity=severities.get(line.severity, ""),
                first=line.reminder_1_days,
                second=line.reminder_2_days,
                third=line.reminder_3_days,
            )


class InterventionSlaPolicy(models.Model):
    _inherit = "intervention.sla.policy"

    reminder_line_ids = fields.One2many(
        "intervention.sla.policy.reminder",
        "policy_id",
        string="Waiting Reminders",
    )

    def _reminder_line_for(self, severity):
        """The reminder schedule for requests of ``severity`` (may be empty)."""
        self.ensure_one()
        return self.reminder_line_ids.filtered(lambda line: line.severity == severity)[
            :1
        ]
