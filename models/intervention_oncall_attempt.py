from odoo import api, fields, models

ATTEMPT_RESULTS = [
    ("reached", "Reached"),
    ("voicemail", "Voicemail"),
    ("no_answer", "No answer"),
]


class InterventionOncallAttempt(models.Model):
    """One attempt of the answering service to reach the person on duty
    for a call (E3): reached, voicemail left, or no answer."""

    _name = "intervention.oncall.attempt"
    _description = "After-hours Call Attempt"
    _order = "date desc, id desc"

    call_id = fields.Many2one(
        "intervention.oncall.call", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="call_id.company_id", store=True)
    shift_id = fields.Many2one("intervention.oncall.shift", index=True)
    level = fields.Selection(related="shift_id.level", store=True)
    user_id = fields.Many2one("res.users", string="Called", required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    result = fields.Selection(ATTEMPT_RESULTS, required=True)

    @api.model_create_multi
    def create(self, vals_list):
        attempts = super().create(vals_list)
        for attempt in attempts:
            attempt.call_id.message_post(
                body=self.env._(
                    "Attempt to reach %(user)s: %(result)s.",
                    user=attempt.user_id.name,
                    result=dict(
                        self._fields["result"]._description_selection(self.env)
                    )[attempt.result],
                )
            )
            attempt.call_id._on_attempt(attempt)
        return attempts

    def _is_unreachable_streak(self):
        """True when this attempt makes exactly the agency's threshold of
        consecutive unanswered attempts on its shift's person (any call of
        that shift): the alert goes once per streak."""
        self.ensure_one()
        if not self.shift_id or self.result == "reached":
            return False
        previous = self.search(
            [("shift_id", "=", self.shift_id.id), ("user_id", "=", self.user_id.id)],
            order="date desc, id desc",
        )
        streak = 0
        for attempt in previous:
            if attempt.result == "reached":
                break
            streak += 1
        return streak == self.call_id.agency_id.unreachable_threshold
