from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .intervention_sla_policy_line import TARGET_TYPES
from .request_lifecycle import SEVERITIES


class InterventionCompliancePenalty(models.Model):
    """A contractual penalty rate: an amount credited per breached target of
    a type (and, optionally, of a severity) in a compliance statement."""

    _name = "intervention.compliance.penalty"
    _description = "Contractual SLA Penalty Rate"
    _order = "contract_id, target_type, severity"

    contract_id = fields.Many2one(
        "intervention.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    target_type = fields.Selection(TARGET_TYPES, string="Target", required=True)
    severity = fields.Selection(SEVERITIES, help="Leave empty for every severity.")
    amount = fields.Monetary(
        string="Amount per Breach", required=True, currency_field="currency_id"
    )

    _contract_target_severity_uniq = models.UniqueIndex(
        "(contract_id, target_type, COALESCE(severity, ''))",
        "A contract has one penalty rate per target and severity.",
    )

    @api.constrains("amount")
    def _check_amount(self):
        for rule in self:
            if rule.amount <= 0:
                raise ValidationError(
                    self.env._(
                        "A penalty rate of contract %(contract)s must be positive.",
                        contract=rule.contract_id.display_name,
                    )
                )
