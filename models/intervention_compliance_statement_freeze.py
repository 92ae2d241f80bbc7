from odoo import fields, models

from .intervention_freeze import FREEZE_REASONS


class InterventionComplianceStatementFreeze(models.Model):
    """The time frozen on the statement's requests, per reason."""

    _name = "intervention.compliance.statement.freeze"
    _inherit = "intervention.compliance.statement.row"
    _description = "Compliance Statement Frozen Time"
    _order = "statement_id, is_client desc, reason"

    reason = fields.Selection(FREEZE_REASONS, required=True)
    is_client = fields.Boolean(
        string="Client's Share", help="The request was waiting on the client."
    )
    freeze_count = fields.Integer(string="Freezes")
    business_hours = fields.Float(digits=(16, 2))
