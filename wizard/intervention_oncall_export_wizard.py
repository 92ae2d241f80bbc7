from odoo import fields, models


class InterventionOncallExportWizard(models.TransientModel):
    """Download the file of the clients with after-hours obligations now,
    or e-mail it to the configured address (A5)."""

    _name = "intervention.oncall.export.wizard"
    _description = "Export After-hours Clients"

    file_format = fields.Selection(
        [("xlsx", "Excel (XLSX)"), ("csv", "CSV")], required=True, default="xlsx"
    )
    email_to = fields.Char(
        related="company_id.intervention_oncall_export_email", readonly=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def action_download(self):
        self.ensure_one()
        attachments = self.env["intervention.oncall.export"]._make_attachments(
            self.company_id
        )
        attachment = attachments.filtered(
            lambda a: a.name.endswith("." + self.file_format)
        )
        (attachments - attachment).unlink()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_send(self):
        self.ensure_one()
        self.env["intervention.oncall.export"]._send(self.company_id)
        return {"type": "ir.actions.act_window_close"}
