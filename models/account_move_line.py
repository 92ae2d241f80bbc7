from odoo import fields, models


class AccountMoveLine(models.Model):
    """Links an invoice line back to the billable item it bills (H4)."""

    _inherit = "account.move.line"

    intervention_time_entry_id = fields.Many2one(
        "intervention.time.entry", index="btree_not_null", copy=False
    )
    intervention_charge_id = fields.Many2one(
        "intervention.request.charge",
        string="Billable Cause",
        index="btree_not_null",
        copy=False,
    )

    def _copy_data_extend_business_fields(self, values):
        """Credit notes (reversals) keep the link, so that the credited
        quantity becomes invoiceable again (as sale does)."""
        result = super()._copy_data_extend_business_fields(values)
        values["intervention_time_entry_id"] = self.intervention_time_entry_id.id
        values["intervention_charge_id"] = self.intervention_charge_id.id
        return result

    def _get_intervention_invoiced_quantity(self):
        """Quantity invoiced by these lines: customer invoices count, credit
        notes count negatively, cancelled moves do not count. Draft invoices
        count, so that an item is never put on two invoices."""
        quantity = 0.0
        for line in self:
            move = line.move_id
            if move.state == "cancel":
                continue
            if move.move_type == "out_invoice":
                quantity += line.quantity
            elif move.move_type == "out_refund":
                quantity -= line.quantity
        return quantity
