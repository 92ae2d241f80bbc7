from odoo import api, fields, models
from odoo.exceptions import UserError


class InterventionOncallCallWizard(models.TransientModel):
    """After-hours call intake for the answering service (E3): find the
    client, check the after-hours subscription for the equipment and time,
    then record and route the call."""

    _name = "intervention.oncall.call.wizard"
    _description = "After-hours Call Intake"

    search_term = fields.Char(
        string="Find Client", help="Name, phone number or contract number."
    )
    candidate_ids = fields.Many2many(
        "res.partner", compute="_compute_candidate_ids", string="Matching Clients"
    )
    date_call = fields.Datetime(
        string="Called On", required=True, default=fields.Datetime.now
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', False)]",
    )
    contract_id = fields.Many2one(
        "intervention.contract",
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        domain="[('partner_id', '=', partner_id), ('state', '!=', 'draft')]",
    )
    agency_id = fields.Many2one(
        "intervention.agency", compute="_compute_agency_id", store=True, readonly=False
    )
    requester_id = fields.Many2one(
        "res.partner", string="Contact", domain="[('id', 'child_of', partner_id)]"
    )
    caller_name = fields.Char()
    caller_phone = fields.Char()
    site_id = fields.Many2one("res.partner", domain="[('id', 'child_of', partner_id)]")
    equipment_id = fields.Many2one(
        "intervention.equipment", domain="[('partner_id', 'child_of', partner_id)]"
    )
    description = fields.Text(string="Breakdown")
    is_safety = fields.Boolean(
        string="Safety Emergency",
        help="Gas leak, fire, explosion, intoxication: risk to property or people.",
    )
    coverage_message = fields.Char(
        string="After-hours Subscription", compute="_compute_coverage_message"
    )
    oncall_delay = fields.Char(related="contract_id.oncall_delay")
    outcome_preview = fields.Char(
        string="Procedure", compute="_compute_outcome_preview"
    )

    @api.depends("search_term")
    def _compute_candidate_ids(self):
        Call = self.env["intervention.oncall.call"]
        for wizard in self:
            wizard.candidate_ids = Call._find_clients(wizard.search_term)

    @api.depends("candidate_ids")
    def _compute_partner_id(self):
        for wizard in self:
            # While the form is edited, the candidates are new records
            # wrapping the partners: keep the real partner.
            if len(wizard.candidate_ids) == 1:
                wizard.partner_id = wizard.candidate_ids._origin

    @api.depends("partner_id", "date_call")
    def _compute_contract_id(self):
        Call = self.env["intervention.oncall.call"]
        for wizard in self:
            wizard.contract_id = Call._find_after_hours_contract(
                wizard.partner_id, wizard.date_call or fields.Datetime.now()
            )

    @api.depends("contract_id", "site_id", "partner_id")
    def _compute_agency_id(self):
        Agency = self.env["intervention.agency"]
        for wizard in self:
            wizard.agency_id = (
                wizard.contract_id.agency_id
                or Agency._find_for_address(wizard.site_id, wizard.partner_id)
                or wizard.agency_id
            )

    @api.depends("contract_id", "date_call", "equipment_id", "site_id", "requester_id")
    def _compute_coverage_message(self):
        for wizard in self:
            wizard.coverage_message = wizard.contract_id._get_coverage_verdict(
                wizard.date_call or fields.Datetime.now(),
                requester=wizard.requester_id,
                site=wizard.site_id,
                equipment=wizard.equipment_id,
                channel="oncall",
            )["message"]

    @api.depends(
        "partner_id",
        "contract_id",
        "agency_id",
        "date_call",
        "equipment_id",
        "site_id",
        "is_safety",
    )
    def _compute_outcome_preview(self):
        """What routing will do, shown before the call is recorded."""
        Call = self.env["intervention.oncall.call"]
        for wizard in self:
            wizard.outcome_preview = False
            if not wizard.partner_id:
                continue
            if not wizard.agency_id:
                wizard.outcome_preview = wizard._message_agency_missing()
                continue
            call = Call.new(wizard._prepare_call_values())
            _outcome, _due, level, message = call._decide_outcome()
            person = (
                level and wizard.agency_id._shift_at(level, wizard.date_call).user_id
            )
            wizard.outcome_preview = (
                f"{message} ({person.name})" if person and level else message
            )

    def _message_agency_missing(self):
        if self.is_safety:
            return self.env._(
                "Safety emergency: no agency is known for this client. Choose the "
                "agency: its regional on-call manager is called at once."
            )
        return self.env._(
            "No agency is known for this client: choose the agency to see whom to call."
        )

    def _prepare_call_values(self):
        self.ensure_one()
        return {
            "date_call": self.date_call or fields.Datetime.now(),
            "partner_id": self.partner_id.id,
            "contract_id": self.contract_id.id,
            "agency_id": self.agency_id.id,
            "requester_id": self.requester_id.id,
            "caller_name": self.caller_name or self.requester_id.name,
            "caller_phone": self.caller_phone or self.requester_id.phone,
            "site_id": self.site_id.id,
            "equipment_id": self.equipment_id.id,
            "description": self.description,
            "is_safety": self.is_safety,
        }

    def action_route(self):
        """Record the call, apply the procedure and open the call."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "Find the client first (name, phone or contract number); a "
                    "caller unknown to us is not eligible: invite them to leave a "
                    "message or to use the portal."
                )
            )
        # A refused routing (e.g. agency to choose) leaves no half-made call.
        with self.env.cr.savepoint():
            call = self.env["intervention.oncall.call"].create(
                self._prepare_call_values()
            )
            call.action_route()
        return {
            "type": "ir.actions.act_window",
            "res_model": "intervention.oncall.call",
            "res_id": call.id,
            "view_mode": "form",
            "target": "current",
        }
