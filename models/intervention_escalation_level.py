from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .intervention_sla_policy_line import TARGET_TYPES

OFFSET_UNITS = [
    ("business_hours", "Business hours"),
    ("business_days", "Business days"),
    ("hours", "Hours (calendar time)"),
    ("days", "Days (calendar time)"),
]
RECIPIENT_ROLES = [
    ("account_manager", "Account manager of the contract"),
    ("support_manager", "Support manager of the contract"),
    ("technical_director", "Technical director of the contract"),
    ("general_manager", "General manager of the contract"),
    ("assignee", "Person the request is assigned to"),
]
# Contract field holding each role.
ROLE_FIELDS = {
    "account_manager": "user_id",
    "support_manager": "support_manager_id",
    "technical_director": "technical_director_id",
    "general_manager": "general_manager_id",
}


class InterventionEscalationLevel(models.Model):
    """One level of a ladder: when it fires (an offset from a target's
    deadline) and whom it notifies (by activity and e-mail)."""

    _name = "intervention.escalation.level"
    _description = "Escalation Level"
    _order = "ladder_id, sequence, id"

    ladder_id = fields.Many2one(
        "intervention.escalation.ladder", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(
        required=True, translate=True, help="e.g. Level 1: support manager"
    )
    target_type = fields.Selection(
        TARGET_TYPES,
        string="Deadline Of",
        required=True,
        default="take_in_charge",
        help="The SLA target whose deadline the offset counts from.",
    )
    offset = fields.Float(digits=(16, 2), help="0 fires at the deadline itself.")
    offset_unit = fields.Selection(
        OFFSET_UNITS, required=True, default="business_hours"
    )
    recipient_role = fields.Selection(RECIPIENT_ROLES, string="Role")
    user_ids = fields.Many2many(
        "res.users", string="Users", domain="[('share', '=', False)]"
    )
    group_ids = fields.Many2many("res.groups", string="Groups")
    email_to = fields.Char(
        string="Also E-mail",
        help="Extra addresses, comma-separated (e.g. a management mailbox).",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        ),
        help="Activity scheduled for each recipient; none when empty.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'intervention.request')]",
        default=lambda self: self.env.ref(
            "intervention_request.mail_template_request_escalation",
            raise_if_not_found=False,
        ),
    )

    _offset_positive = models.Constraint(
        'CHECK("offset" >= 0)', "An escalation fires at or after the deadline."
    )

    @api.constrains("name", "recipient_role", "user_ids", "group_ids", "email_to")
    def _check_recipients(self):
        for level in self:
            if not (
                level.recipient_role
                or level.user_ids
                or level.group_ids
                or level.email_to
            ):
                raise ValidationError(
                    self.env._(
                        "Escalation level %(level)s notifies nobody: choose a role, "
                        "users, groups or an e-mail address.",
                        level=level.name,
                    )
                )

    def _recipients(self, request):
        """Internal users this level notifies for ``request``."""
        self.ensure_one()
        users = self.user_ids | self.group_ids.all_user_ids
        if self.recipient_role == "assignee":
            users |= request.user_id
        elif self.recipient_role:
            users |= request.contract_id[ROLE_FIELDS[self.recipient_role]]
        return users.filtered(lambda user: user.active and not user.share)

    def write(self, vals):
        result = super().write(vals)
        if {"target_type", "offset", "offset_unit", "ladder_id"}.intersection(vals):
            self.ladder_id._open_requests()._sla_sync()
        return result

    @api.model_create_multi
    def create(self, vals_list):
        levels = super().create(vals_list)
        levels.ladder_id._open_requests()._sla_sync()
        return levels
