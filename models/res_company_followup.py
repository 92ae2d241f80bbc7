from pytz import UTC, timezone

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

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
