from odoo import api, fields, models
from odoo.exceptions import ValidationError


class InterventionContract(models.Model):
    """Contractual penalties (none by default) and the monthly compliance
    statements of a contract."""

    _inherit = "intervention.contract"

    compliance_penalty_ids = fields.One2many(
        "intervention.compliance.penalty", "contract_id", string="Penalty Rates"
    )
    compliance_period_fee = fields.Monetary(
        string="Period Fee",
        help="What the client pays for one month of this contract: the base of "
        "the credit owed under the compliance threshold.",
    )
    compliance_threshold = fields.Float(
        string="Compliance Threshold (%)",
        help="Under this compliance rate over a month (targets met among those "
        "met or breached), the credit percentage of the period fee is owed. "
        "0 means no threshold.",
    )
    compliance_credit_percent = fields.Float(
        string="Credit (% of the fee)",
        help="Share of the period fee credited when the compliance rate falls "
        "under the threshold.",
    )
    compliance_penalty_cap = fields.Monetary(
        string="Penalty Cap per Period",
        help="Most a month's penalties may reach. 0 means no cap.",
    )
    compliance_statement_ids = fields.One2many(
        "intervention.compliance.statement", "contract_id", string="Statements"
    )
    compliance_statement_count = fields.Integer(
        compute="_compute_compliance_statement_count"
    )

    @api.depends("compliance_statement_ids")
    def _compute_compliance_statement_count(self):
        counts = dict(
            self.env["intervention.compliance.statement"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.compliance_statement_count = counts.get(contract, 0)

    @api.constrains(
        "compliance_threshold",
        "compliance_credit_percent",
        "compliance_period_fee",
        "compliance_penalty_cap",
    )
    def _check_compliance_penalties(self):
        for contract in self:
            percents = (
                contract.compliance_threshold,
                contract.compliance_credit_percent,
            )
            if any(value < 0 or value > 100 for value in percents):
                raise ValidationError(
                    self.env._(
                        "The compliance threshold and credit of %(contract)s are "
                        "percentages between 0 and 100.",
                        contract=contract.display_name,
                    )
                )
            if (
                contract.compliance_period_fee < 0
                or contract.compliance_penalty_cap < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The period fee and penalty cap of %(contract)s cannot be "
                        "negative.",
                        contract=contract.display_name,
                    )
                )

    def _compliance_penalty_rate(self, target_type, severity):
        """The amount per breach of a target type and severity: the rate for
        that severity, else the rate for every severity, else 0."""
        self.ensure_one()
        rules = self.compliance_penalty_ids.filtered(
            lambda r: r.target_type == target_type and r.severity in (severity, False)
        )
        rule = rules.sorted(lambda r: not r.severity)[:1]
        return rule.amount

    def _compliance_recipients(self):
        """Who receives the statements: the authorised contacts with an
        e-mail address, else the client itself."""
        self.ensure_one()
        contacts = self.contact_ids.filtered("email")
        return contacts or self.partner_id

    def action_view_compliance_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "intervention_request.action_intervention_compliance_statement"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action
