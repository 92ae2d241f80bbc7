from odoo import fields, models

from .request_lifecycle import FINAL_STATES


class InterventionSlaPolicy(models.Model):
    """A service-level policy: targets per severity and/or priority (C1).

    Attached to contracts; the company's default policy applies to requests
    without a contract policy.
    """

    _name = "intervention.sla.policy"
    _description = "SLA Policy"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    line_ids = fields.One2many(
        "intervention.sla.policy.line", "policy_id", string="Targets"
    )
    at_risk_percent = fields.Integer(
        string="At Risk From (%)",
        default=75,
        help="A target is at risk once this share of its business time is used.",
    )

    _at_risk_percent_range = models.Constraint(
        "CHECK(at_risk_percent > 0 AND at_risk_percent < 100)",
        "The at-risk threshold is a percentage between 1 and 99.",
    )

    def _find_line(self, target_type, severity, priority):
        """The policy line that applies to a target of a request with this
        severity and priority: the most specific match (severity and
        priority, then severity, then priority, then neither), the first by
        sequence among equals. Empty when the policy sets no target."""
        self.ensure_one()
        return (
            self._line_table().get((target_type, severity, priority))
            or self.env["intervention.sla.policy.line"]
        )

    def _line_table(self):
        """{(target type, severity, priority): line} for every combination,
        built once per policy and transaction (the SLA engine asks for it for
        every request of a batch)."""
        cache = self.env.cr.cache.setdefault("intervention_sla_line_tables", {})
        key = (
            self.id,
            tuple(self.line_ids.ids),
            tuple(self.line_ids.mapped("write_date")),
        )
        if key not in cache:
            table = {}
            lines = self.line_ids.sorted("sequence")
            severities = self.env["intervention.sla.policy.line"]._fields["severity"]
            priorities = self.env["intervention.sla.policy.line"]._fields["priority"]
            for target_type in set(lines.mapped("target_type")):
                for severity, _label in severities.selection:
                    for priority, _label in priorities.selection:
                        table[target_type, severity, priority] = self._best_line(
                            lines, target_type, severity, priority
                        )
            cache[key] = table
        return cache[key]

    @staticmethod
    def _best_line(lines, target_type, severity, priority):
        best, best_rank = None, -1
        for line in lines:
            if line.target_type != target_type:
                continue
            if line.severity and line.severity != severity:
                continue
            if line.priority and line.priority != priority:
                continue
            rank = (2 if line.severity else 0) + (1 if line.priority else 0)
            if rank > best_rank:
                best, best_rank = line, rank
        return best

    def write(self, vals):
        result = super().write(vals)
        if "at_risk_percent" in vals:
            self._requests_to_update()._sla_sync()
        return result

    def _requests_to_update(self):
        return self.env["intervention.request"].search(
            [
                ("sla_policy_id", "in", self.ids),
                ("state", "not in", FINAL_STATES),
            ]
        )
