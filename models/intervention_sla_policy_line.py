from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .request_lifecycle import PRIORITIES, SEVERITIES

TARGET_TYPES = [
    ("take_in_charge", "Take in charge"),
    ("workaround", "Workaround"),
    ("resolution", "Resolution"),
    ("onsite", "On-site intervention (GTI)"),
]
TARGET_UNITS = [
    ("hours", "Business hours"),
    ("days", "Business days"),
    ("none", "No target"),
]


class InterventionSlaPolicyLine(models.Model):
    """One target of a policy: for requests of a severity and/or priority,
    a duration in business hours or business days, or no target."""

    _name = "intervention.sla.policy.line"
    _description = "SLA Target"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one(
        "intervention.sla.policy", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    target_type = fields.Selection(TARGET_TYPES, string="Target", required=True)
    severity = fields.Selection(
        SEVERITIES,
        help="Leave empty for every severity.",
    )
    priority = fields.Selection(
        PRIORITIES,
        help="Leave empty for every priority.",
    )
    duration = fields.Float(digits=(16, 2))
    unit = fields.Selection(TARGET_UNITS, required=True, default="hours")
    note = fields.Char(help='Shown instead of a deadline, e.g. "next minor release".')

    @api.constrains("duration", "unit")
    def _check_duration(self):
        for line in self:
            if line.unit != "none" and line.duration <= 0:
                raise ValidationError(
                    self.env._(
                        "The %(target)s target of policy %(policy)s needs a positive "
                        'duration, or the unit "No target".',
                        target=dict(
                            line._fields["target_type"]._description_selection(self.env)
                        )[line.target_type],
                        policy=line.policy_id.name,
                    )
                )

    @api.depends("target_type", "severity", "priority", "duration", "unit")
    def _compute_display_name(self):
        types = dict(self._fields["target_type"]._description_selection(self.env))
        for line in self:
            if line.unit == "none":
                line.display_name = self.env._(
                    "%(target)s: no target", target=types.get(line.target_type)
                )
            elif line.unit == "days":
                line.display_name = self.env._(
                    "%(target)s: %(duration)s business days",
                    target=types.get(line.target_type),
                    duration=f"{line.duration:g}",
                )
            else:
                line.display_name = self.env._(
                    "%(target)s: %(duration)s business hours",
                    target=types.get(line.target_type),
                    duration=f"{line.duration:g}",
                )

    # A change of the targets renews the policies' ``lines_version`` (their
    # cached line tables are no longer read) before the open requests are
    # synced on the new targets.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.policy_id._renew_lines_version()
        lines.policy_id._requests_to_update()._sla_sync()
        return lines

    def write(self, vals):
        policies = self.policy_id
        result = super().write(vals)
        policies |= self.policy_id
        policies._renew_lines_version()
        policies._requests_to_update()._sla_sync()
        return result

    def unlink(self):
        policies = self.policy_id
        result = super().unlink()
        policies.exists()._renew_lines_version()
        policies._requests_to_update()._sla_sync()
        return result
