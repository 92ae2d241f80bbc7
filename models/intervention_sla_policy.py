from collections import namedtuple
from uuid import uuid4

from odoo import api, fields, models
from odoo.tools.lru import LRU

from .request_lifecycle import FINAL_STATES

# What the SLA engine reads of a policy line, kept with the line table.
LineTerms = namedtuple("LineTerms", "id target_type unit duration note")
# The line tables of the policies, in this process, for every database: see
# ``_line_table``.
_LINE_TABLES = LRU(512)


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
    lines_version = fields.Char(
        default=lambda self: uuid4().hex,
        copy=False,
        readonly=True,
        help="Changes whenever a target of the policy is added, changed or "
        "removed: the line table cached under the previous value is no longer "
        "read.",
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

    @api.model_create_multi
    def create(self, vals_list):
        # A token of its own: a policy copied or imported never shares a
        # cached line table with another.
        for vals in vals_list:
            vals["lines_version"] = uuid4().hex
        return super().create(vals_list)

    def _find_line(self, target_type, severity, priority):
        """The policy line that applies to a target of a request with this
        severity and priority: the most specific match (severity and
        priority, then severity, then priority, then neither), the first by
        sequence among equals. Empty when the policy sets no target."""
        terms = self._find_terms(target_type, severity, priority)
        return self.env["intervention.sla.policy.line"].browse(terms and terms.id)

    def _find_terms(self, target_type, severity, priority):
        """``_find_line`` as the engine reads it: the line's ``LineTerms``
        (id, target, unit, duration, note), or None."""
        self.ensure_one()
        return self._line_table().get((target_type, severity, priority))

    def _line_table(self):
        """{(target type, severity, priority): LineTerms} for every
        combination, built once per policy and ``lines_version`` in this
        process (``_LINE_TABLES``): a single intake reads no policy line.

        The token is renewed in the database by every create, write and
        unlink of a line (``_renew_lines_version``), and read with the policy
        (which the request's company check reads anyway): every process sees
        a change at once, and a rolled-back change leaves no reusable key
        behind. The table is built as superuser: it is the same for every
        reader, as the engine runs as superuser."""
        self.ensure_one()
        key = (self.env.cr.dbname, self.id, self.lines_version)
        table = _LINE_TABLES.get(key)
        if table is None:
            table = _LINE_TABLES[key] = self.sudo()._build_line_table()
        return table

    def _build_line_table(self):
        table = {}
        lines = self.line_ids.sorted("sequence")
        severities = self.env["intervention.sla.policy.line"]._fields["severity"]
        priorities = self.env["intervention.sla.policy.line"]._fields["priority"]
        for target_type in set(lines.mapped("target_type")):
            for severity, _label in severities.selection:
                for priority, _label in priorities.selection:
                    line = self._best_line(lines, target_type, severity, priority)
                    if line:
                        table[target_type, severity, priority] = LineTerms(
                            line.id,
                            line.target_type,
                            line.unit,
                            line.duration,
                            line.note or False,
                        )
        return table

    def _renew_lines_version(self):
        """Drop the cached line tables of these policies, everywhere (one of
        their lines was added, changed or removed)."""
        if self:
            self.sudo().write({"lines_version": uuid4().hex})

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
