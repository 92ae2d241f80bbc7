from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .intervention_billable_mixin import invoice_lines_field
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


class InterventionRequestCharge(models.Model):
    """Why a request is billable, who said so and when (H1).

    Automatic causes come from the intake and qualification checks (the
    eligibility verdict, the phone / e-mail surcharge); staff add the others
    with a reason. A cause may carry its own billable quantity (e.g. the
    1 UT surcharge); causes in ``TIME_BILLED_CAUSES`` make the request's time
    entries billable. Priced, invoiced and locked once invoiced as every
    billable item (``intervention.billable.mixin``).
    """

    _name = "intervention.request.charge"
    _inherit = ["intervention.billable.mixin"]
    _description = "Billable Cause of a Request"
    _order = "date desc, id desc"
    _check_company_auto = True

    _invoice_line_field = "intervention_charge_id"
    # Fields of an invoiced cause that only finance may change.
    _invoiced_locked_fields = frozenset(
        {"request_id", "cause", "product_id", "quantity", "price_unit"}
    )
    _billable_depends = ("request_id.is_billable",)

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
        help="Service billed for this cause itself (e.g. the 1 UT surcharge); leave "
        "empty when only the time spent is billed.",
    )
    invoice_line_ids = invoice_lines_field("intervention_charge_id")

    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0)", "The quantity of a billable cause cannot be negative."
    )

    @api.depends("cause")
    def _compute_bills_time(self):
        for charge in self:
            charge.bills_time = charge.cause in TIME_BILLED_CAUSES

    def _is_billable_item(self):
        """A cause bills its own quantity while the request is billable."""
        self.ensure_one()
        return self.request_id.is_billable

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

    def _invoiced_locked_error(self):
        return UserError(
            self.env._(
                "These billable causes are invoiced; only finance can change "
                "them: %(causes)s.",
                causes=", ".join(self.mapped("display_name")),
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
    def _invoice_line_name(self):
        """The request, the cause and the reason the client reads."""
        self.ensure_one()
        name = self.env._(
            "%(request)s - %(cause)s",
            request=self.request_id.name,
            cause=self._cause_label(),
        )
        return f"{name}\n{self.reason}" if self.reason else name
