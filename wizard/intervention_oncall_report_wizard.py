from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.request_lifecycle import RECEPTION_CLOCK_SKEW


class InterventionOncallReportWizard(models.TransientModel):
    """The on-call technician's report after an after-hours intervention:
    it completes the call's request, or opens one, dated the next business
    day (E5)."""

    _name = "intervention.oncall.report.wizard"
    _description = "After-hours Intervention Report"

    call_id = fields.Many2one("intervention.oncall.call")
    request_id = fields.Many2one(
        "intervention.request",
        compute="_compute_from_call",
        store=True,
        readonly=False,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        compute="_compute_from_call",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', False)]",
    )
    contract_id = fields.Many2one(
        "intervention.contract",
        compute="_compute_from_call",
        store=True,
        readonly=False,
        domain="[('partner_id', '=', partner_id), ('state', '!=', 'draft')]",
    )
    technician_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user
    )
    date_end = fields.Datetime(
        string="Intervention Ended", required=True, default=fields.Datetime.now
    )
    report = fields.Text(required=True)

    @api.depends("call_id")
    def _compute_from_call(self):
        for wizard in self:
            call = wizard.call_id
            wizard.request_id = call.request_id or wizard.request_id
            wizard.partner_id = call.partner_id or wizard.partner_id
            wizard.contract_id = call.contract_id or wizard.contract_id

    def _prepare_request_values(self):
        self.ensure_one()
        return {
            "channel": "oncall",
            "partner_id": self.partner_id.id,
            "contract_id": self.contract_id.id,
            "summary": self.env._("After-hours intervention"),
            "date_received": fields.Datetime.now(),
        }

    def action_confirm(self):
        self.ensure_one()
        if not self.request_id and not self.partner_id:
            raise UserError(
                self.env._("Choose the client or the request the report is about.")
            )
        # The request is dated at the next business opening after the end:
        # an end still ahead would date it later than that.
        if self.date_end > fields.Datetime.now() + RECEPTION_CLOCK_SKEW:
            raise UserError(
                self.env._(
                    "The intervention cannot end in the future: give the time it ended."
                )
            )
        request = self.request_id or self.env["intervention.request"].create(
            self._prepare_request_values()
        )
        request._apply_oncall_report(self.report, self.technician_id, self.date_end)
        if self.call_id and not self.call_id.request_id:
            self.call_id.request_id = request
        return {
            "type": "ir.actions.act_window",
            "res_model": "intervention.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }
