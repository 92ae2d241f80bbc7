from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    intervention_oncall_direction_id = fields.Many2one(
        "res.users",
        string="On-call General Management",
        help="Last level of the after-hours escalation, when neither the "
        "technician nor the on-call manager answers (D3).",
    )
    intervention_oncall_export_email = fields.Char(
        string="After-hours Clients File To",
        help="Receives every week the file of the clients with after-hours "
        "obligations (answering service).",
    )
    intervention_oncall_export_date = fields.Date(
        string="After-hours Clients File Sent On",
        readonly=True,
        copy=False,
        help="Local date of the last weekly file: it goes once a week.",
    )
