from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

from .request_lifecycle import BILLABLE_CAUSES

# Causes under which the time spent on the request is billed (H1); the
# surcharge bills its own fixed quantity on top of covered work.
TIME_BILLED_CAUSES = {
    "out_of_contract",
    "abnormal_use",
    "not_responsible",
    "excluded_service",
    "traceability",
}
# Fields of an invoiced item that only finance may change.
INVOICED_LOCKED_FIELDS = {
    "request_id",
    "cause",
    "product_id",
    "quantity",
    "price_unit",
}


class InterventionRequestCharge(models.Model):
    """Why a request is billable, who said so and when (H1).

    Automatic causes come from the intake and qualification checks (the
    eligibility verdict, the phone / e-mail surcharge); staff add the others
    with a reason. A cause may carry its own billable quantity (e.g. the
    1 UT surcharge); causes in ``TIME_BILLED_CAUSES`` make the request's time
    entries billable.
    """

    _name = "intervention.request.charge"
    _description = "Billable Cause of a Request"
    _order = "date desc, id desc"
    _check_company_auto = True

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="request_id.partner_id", string="Client", store=True
    )
    cause = fields.Selection(BILLABLE_CAUSES, required=True)
    origin = fields.Selection(
        [("auto", "Automatic"), ("staff", "Set by staff")],
        required=True,
        default="staff",
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Set By",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    reason = fields.Text(
        help="Why the request is billable, as the client will read it."
    )
    bills_time = fields.Boolean(
        string="Time Spent Billable",
        compute="_compute_bills_time",
        help="The time entries of the request are billed under this cause.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        domain="[('type', '=', 'service')]",
        check_company=True,
        help="Service billed for this cause itself (e.g. the 1 UT surcharge); leave "
        "empty when only the time spent is billed.",
    )
    quantity = fields.Float(digits="Product Unit")
    currency_id = fields.Many2one(related="company_id.currency_id")
    price_unit = fields.Monetary(
        compute="_compute_price_unit", store=True, readonly=False, precompute=True
    )
    amount = fields.Monetary(compute="_compute_amount", store=True)
    invoice_line_ids = fields.One2many(
        "account.move.line",
        "intervention_charge_id",
        readonly=True,
        copy=False,
        groups="intervention_request.group_intervention_finance",
    )
    qty_invoiced = fields.Float(
        compute="_compute_invoicing", store=True, digits="Product Unit"
    )
    qty_to_invoice = fields.Float(
        compute="_compute_invoicing", store=True, digits="Product Unit"
    )
    is_invoiced = fields.Boolean(compute="_compute_invoicing", store=True)

    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0)", "The quantity of a billable cause cannot be negative."
    )

    @api.depends("cause")
    def _compute_bills_time(self):
        for charge in self:
            charge.bills_time = charge.cause in TIME_BILLED_CAUSES

    @api.depends("product_id", "request_id.contract_id")
    def _compute_price_unit(self):
        for charge in self:
            contract = charge.request_id.contract_id
            charge.price_unit = contract._get_billing_price(charge.product_id)

    @api.depends("quantity", "price_unit")
    def _compute_amount(self):
        for charge in self:
            charge.amount = charge.quantity * charge.price_unit

    @api.depends(
        "quantity",
        "product_id",
        "request_id.is_billable",
        "invoice_line_ids.quantity",
        "invoice_line_ids.move_id.state",
        "invoice_line_ids.move_id.move_type",
    )
    def _compute_invoicing(self):
        for charge in self:
            invoiced = charge.invoice_line_ids._get_intervention_invoiced_quantity()
            billable = charge.request_id.is_billable and charge.product_id
            left = charge.quantity - invoiced if billable else 0.0
            charge.qty_invoiced = invoiced
            charge.qty_to_invoice = max(left, 0.0)
            charge.is_invoiced = float_compare(invoiced, 0.0, precision_digits=6) > 0

    @api.constrains("quantity", "price_unit")
    def _check_not_negative(self):
        """Clear errors for values that reach the record another way (a
        computed price)."""
        for charge in self:
            if charge.quantity < 0 or charge.price_unit < 0:
                self._raise_negative()

    @api.model
    def _check_input_values(self, vals):
        """Clear errors for a quantity or a price an RPC client or an import
        gets wrong, before the database's own check (which would only log an
        SQL error)."""
        if (vals.get("quantity") or 0) < 0 or (vals.get("price_unit") or 0) < 0:
            self._raise_negative()

    @api.model
    def _raise_negative(self):
        raise ValidationError(
            self.env._(
                "The quantity and the unit price of a billable cause cannot "
                "be negative."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_input_values(vals)
        return super().create(vals_list)

    @api.constrains("origin", "reason")
    def _check_staff_reason(self):
        for charge in self:
            if charge.origin == "staff" and not (charge.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Say why request %(request)s is billable (%(cause)s).",
                        request=charge.request_id.name,
                        cause=charge._cause_label(),
                    )
                )

    def _cause_label(self):
        self.ensure_one()
        return dict(self._fields["cause"]._description_selection(self.env))[self.cause]

    # ------------------------------------------------------------------
    # Guard on invoiced causes
    # ------------------------------------------------------------------
    def write(self, vals):
        self._check_input_values(vals)
        if INVOICED_LOCKED_FIELDS.intersection(vals):
            self._check_invoiced_unchanged()
        return super().write(vals)

    def unlink(self):
        # Before the access rules, so that the refusal says why.
        self._check_invoiced_unchanged()
        return super().unlink()

    def _check_invoiced_unchanged(self):
        """Only finance changes or deletes an invoiced cause."""
        invoiced = self.filtered("is_invoiced")
        if invoiced and not self.env.user.has_group(
            "intervention_request.group_intervention_finance"
        ):
            raise UserError(
                self.env._(
                    "These billable causes are invoiced; only finance can change "
                    "them: %(causes)s.",
                    causes=", ".join(invoiced.mapped("display_name")),
                )
            )

    @api.depends("request_id.name", "cause")
    def _compute_display_name(self):
        for charge in self:
            label = charge._cause_label() if charge.cause else ""
            charge.display_name = f"{charge.request_id.name} - {label}"

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    def _prepare_invoice_line_values(self):
        """Values of the invoice line billing what is left of this cause."""
        self.ensure_one()
        name = self.env._(
            "%(request)s - %(cause)s",
            request=self.request_id.name,
            cause=self._cause_label(),
        )
        if self.reason:
            name = f"{name}\n{self.reason}"
        return {
            "product_id": self.product_id.id,
            "name": name,
            "quantity": self.qty_to_invoice,
            "price_unit": self.price_unit,
            "intervention_charge_id": self.id,
        }

    def _has_quantity_to_invoice(self):
        self.ensure_one()
        return not float_is_zero(self.qty_to_invoice, precision_digits=6)
