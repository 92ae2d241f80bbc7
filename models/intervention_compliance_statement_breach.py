from odoo import fields, models

from .intervention_sla_policy_line import TARGET_TYPES
from .request_lifecycle import SEVERITIES


class InterventionComplianceStatementBreach(models.Model):
    """One breached target of a compliance statement, with why it was late."""

    _name = "intervention.compliance.statement.breach"
    _inherit = "intervention.compliance.statement.row"
    _description = "Compliance Statement Breach"
    _order = "statement_id, deadline, id"

    request_id = fields.Many2one("intervention.request", ondelete="set null")
    request_name = fields.Char(string="Request Reference")
    summary = fields.Char(string="Subject")
    target_type = fields.Selection(TARGET_TYPES, string="Target")
    severity = fields.Selection(SEVERITIES)
    deadline = fields.Datetime()
    date_reached = fields.Datetime(
        string="Met On", help="Empty while the target is still not reached."
    )
    late_hours = fields.Float(
        string="Late (business hours)",
        digits=(16, 2),
        help="Business time from the deadline to the target being reached (or "
        "to the statement's computation), freezes excluded.",
    )
    frozen_hours = fields.Float(string="Frozen (business hours)", digits=(16, 2))
    frozen_client_hours = fields.Float(
        string="Frozen on Client's Side (business hours)", digits=(16, 2)
    )
    reopen_count = fields.Integer(string="Reopenings")
    explanation = fields.Char(string="Why Late")
