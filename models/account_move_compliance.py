from odoo import fields, models


class AccountMove(models.Model):
    """A credit note of SLA penalties links back to its compliance statement
    (I3); a statement has at most one (unique index)."""

    _inherit = "account.move"

    compliance_statement_id = fields.Many2one(
        "intervention.compliance.statement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )

    _compliance_statement_uniq = models.UniqueIndex(
        "(compliance_statement_id) WHERE compliance_statement_id IS NOT NULL",
        "A compliance statement is credited once.",
    )
