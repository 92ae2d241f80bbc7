from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.intervention_contract_extension import KIND_FIELDS, REASON_KINDS


class InterventionContractExtendWizard(models.TransientModel):
    """A way forward for a request out of scope (seed 004 §3): add its
    asset, site, domain or service to the contract from a date, or start a
    new contract with it; then check the request's coverage again. Desk
    users who may not change contracts propose it to the account manager."""

    _name = "intervention.contract.extend.wizard"
    _description = "Extend Contract for a Request"

    request_id = fields.Many2one("intervention.request", required=True, readonly=True)
    contract_id = fields.Many2one(related="request_id.contract_id")
    coverage_reason = fields.Selection(related="request_id.coverage_reason")
    coverage_message = fields.Char(related="request_id.coverage_message")
    mode = fields.Selection(
        [
            ("extend", "Add it to the current contract"),
            ("new", "Start a new contract with it"),
        ],
        required=True,
        default="extend",
    )
    date_from = fields.Date(
        string="Covered From",
        required=True,
        help="The contract covers it from this date; requests received before "
        "stay out of scope.",
    )
    note = fields.Text(help="Terms agreed with the client (price, signature...).")
    item_name = fields.Char(string="Adds", compute="_compute_item_name")
    can_change_contract = fields.Boolean(compute="_compute_can_change_contract")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        request = self.env["intervention.request"].browse(
            self.env.context.get("active_id")
        )
        if request:
            values.setdefault("request_id", request.id)
            values.setdefault(
                "date_from",
                fields.Date.context_today(self, request.date_received),
            )
        return values

    @api.depends("request_id")
    def _compute_item_name(self):
        for wizard in self:
            request = wizard.request_id
            kind = REASON_KINDS.get(request.coverage_reason)
            item = kind and request[KIND_FIELDS[kind]]
            wizard.item_name = (
                request.contract_id._describe_scope_item(kind, item) if item else ""
            )

    @api.depends("request_id")
    def _compute_can_change_contract(self):
        may = self.env["intervention.contract"].has_access("write")
        for wizard in self:
            wizard.can_change_contract = may

    def _check_request(self):
        request = self.request_id
        if request.coverage_state != "not_covered" or (
            request.coverage_reason not in REASON_KINDS
        ):
            raise UserError(
                self.env._(
                    "%(request)s is not out of the contract's scope for an asset, a "
                    "site, a domain or a service.",
                    request=request.name,
                )
            )

    def action_apply(self):
        """Extend the contract or start a new one, then check the request's
        coverage again. Without the right to change contracts, propose it."""
        self.ensure_one()
        self._check_request()
        if not self.can_change_contract:
            return self._propose()
        request = self.request_id
        if self.mode == "new":
            contract = request.contract_id.copy(
                request.contract_id._prepare_follow_up_contract_values(self.date_from)
            )
            # The new contract is signed with the item: listed from its start.
            extension = contract._extend_scope_for(
                request, contract.date_start, self.note, check_covered=False
            )
            request.contract_id = contract
        else:
            contract = request.contract_id
            extension = contract._extend_scope_for(request, self.date_from, self.note)
        body = contract._extension_sentence(extension)
        # The proposal handed to the account manager is decided.
        request.activity_feedback(
            ["intervention_request.mail_activity_contract_extension"], feedback=body
        )
        request.action_check_coverage()
        request.message_post(
            body=self.env._(
                "%(body)s Coverage checked again: %(verdict)s",
                body=body,
                verdict=request.coverage_message,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if self.mode == "new":
            return {
                "type": "ir.actions.act_window",
                "res_model": "intervention.contract",
                "res_id": contract.id,
                "view_mode": "form",
                "target": "current",
            }
        return True

    def _propose(self):
        """Tell the account manager (else the contract's support manager)
        that the desk proposes the extension."""
        request = self.request_id
        contract = request.contract_id
        manager = contract.user_id or contract.support_manager_id
        what = dict(self._fields["mode"]._description_selection(self.env))[self.mode]
        body = self.env._(
            "Contract extension proposed for %(request)s (%(verdict)s): %(what)s, "
            "from %(date)s. %(note)s",
            request=request.name,
            verdict=request.coverage_message,
            what=what,
            date=format_date(self.env, self.date_from),
            note=self.note or "",
        )
        request.message_post(body=body, subtype_xmlid="mail.mt_note")
        if manager:
            request.activity_schedule(
                "intervention_request.mail_activity_contract_extension",
                user_id=manager.id,
                summary=self.env._("Contract extension to decide"),
                note=body,
            )
        return True
