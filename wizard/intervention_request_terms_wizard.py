from odoo import fields, models


class InterventionRequestTermsWizard(models.TransientModel):
    """Staff record that the client accepted the terms (estimate) of an
    out-of-contract request (H2): who accepted and how."""

    _name = "intervention.request.terms.wizard"
    _description = "Record Terms Acceptance"

    request_id = fields.Many2one("intervention.request", required=True)
    partner_id = fields.Many2one(related="request_id.partner_id")
    accepted_by_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    note = fields.Char(
        string="How",
        required=True,
        help="How the client accepted, e.g. signed estimate received by e-mail.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_accept_terms(
            channel="staff", accepted_by=self.accepted_by_id, note=self.note
        )
        return {"type": "ir.actions.act_window_close"}
