from odoo import fields, models

from .intervention_sla_policy_line import TARGET_TYPES
from .request_lifecycle import SEVERITIES


class InterventionComplianceStatementLine(models.Model):
    """The figures of one target type and severity in a compliance
    statement, computed from the requests' SLA targets."""

    _name = "intervention.compliance.statement.line"
    _inherit = "intervention.compliance.statement.row"
    _description = "Compliance Statement Line"
    _order = "statement_id, sequence, id"

    currency_id = fields.Many2one(related="statement_id.currency_id")
    sequence = fields.Integer()
    target_type = fields.Selection(TARGET_TYPES, string="Target", required=True)
    severity = fields.Selection(SEVERITIES)
    target_count = fields.Integer(string="Requests")
    met_count = fields.Integer(string="Met")
    breached_count = fields.Integer(string="Breached")
    pending_count = fields.Integer(string="Pending", help="Running, at risk or paused.")
    compliance_rate = fields.Float(
        string="Compliance (%)",
        digits=(16, 1),
        help="Targets met among those met or breached.",
    )
    median_hours = fields.Float(
        string="Median (business hours)",
        digits=(16, 2),
        help="Median business time from the clock start to the target being "
        "reached, freezes excluded.",
    )
    worst_hours = fields.Float(string="Worst (business hours)", digits=(16, 2))
    frozen_hours = fields.Float(
        string="Frozen (business hours)",
        digits=(16, 2),
        help="Business time the clocks of these targets were frozen.",
    )
    frozen_client_hours = fields.Float(
        string="Frozen on Client's Side (business hours)",
        digits=(16, 2),
        help="Part of the frozen time spent waiting on the client.",
    )
    escalation_count = fields.Integer(string="Escalations")
    penalty_rate = fields.Monetary(string="Rate per Breach")
    penalty_amount = fields.Monetary(string="Penalty")
