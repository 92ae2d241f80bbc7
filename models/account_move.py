from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    intervention_request_ids = fields.Many2many(
        "intervention.request",
        string="Intervention Requests",
        compute="_compute_intervention_request_ids",
    )
    intervention_request_count = fields.Integer(
        compute="_compute_intervention_request_ids"
    )

    # A credit note of SLA penalties links back to its compliance statement
    # (I3); a statement has at most one (unique index).
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

    @api.depends(
        "invoice_line_ids.intervention_time_entry_id",
        "invoice_line_ids.intervention_charge_id",
    )
    def _compute_intervention_request_ids(self):
        for move in self:
            lines = move.invoice_line_ids
            requests = (
                lines.intervention_time_entry_id.request_id
                | lines.intervention_charge_id.request_id
            )
            move.intervention_request_ids = requests
            move.intervention_request_count = len(requests)

    def action_view_intervention_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "intervention_request.intervention_request_action"
        )
        action["domain"] = [("id", "in", self.intervention_request_ids.ids)]
        action["context"] = {}
        return action
