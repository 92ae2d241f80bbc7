from odoo import fields, models


class InterventionComplianceStatementRow(models.AbstractModel):
    """A row of a compliance statement (a line, a breach, a frozen time):
    deleted with its statement, in the statement's company."""

    _name = "intervention.compliance.statement.row"
    _description = "Compliance Statement Row"

    statement_id = fields.Many2one(
        "intervention.compliance.statement",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
