from odoo import api, fields, models
from odoo.exceptions import UserError


class InterventionInvoiceWizard(models.TransientModel):
    """Invoice the selected requests (H4): one draft customer invoice per
    client, one line per billable item left to invoice."""

    _name = "intervention.invoice.wizard"
    _inherit = "intervention.request.wizard.mixin"
    _description = "Invoice Intervention Requests"

    journal_id = fields.Many2one(
        "account.journal",
        string="Sales Journal",
        domain="[('type', '=', 'sale'), ('company_id', 'in', allowed_company_ids)]",
        help="Empty: the company's default sales journal.",
    )
    request_count = fields.Integer(compute="_compute_summary")
    client_count = fields.Integer(compute="_compute_summary")
    amount_to_invoice = fields.Monetary(compute="_compute_summary")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )

    @api.depends("request_ids")
    def _compute_summary(self):
        for wizard in self:
            requests = wizard.request_ids.filtered(
                lambda r: r.invoice_status == "to_invoice"
            )
            wizard.request_count = len(requests)
            wizard.client_count = len(requests.partner_id.commercial_partner_id)
            wizard.amount_to_invoice = sum(requests.mapped("amount_to_invoice"))

    def action_create_invoices(self):
        self.ensure_one()
        if not self.request_ids:
            raise UserError(self.env._("Select the requests to invoice."))
        invoices = self.request_ids._create_invoices(self.journal_id)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update(views=[(False, "form")], res_id=invoices.id)
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action
