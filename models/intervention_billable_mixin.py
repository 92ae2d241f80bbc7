from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

# Moves of the invoice lines that change how much of an item is invoiced.
INVOICE_LINE_DEPENDS = (
    "invoice_line_ids.quantity",
    "invoice_line_ids.move_id.state",
    "invoice_line_ids.move_id.move_type",
)


def invoice_lines_field(inverse_name):
    """The invoice lines billing an item, through their ``inverse_name``
    link (``account.move.line``): a model using the mixin declares
    ``invoice_line_ids = invoice_lines_field(...)``, since a one2many needs
    the inverse of the concrete model."""
    return fields.One2many(
        "account.move.line",
        inverse_name,
        readonly=True,
        copy=False,
        groups="intervention_request.group_intervention_finance",
    )


class InterventionBillableMixin(models.AbstractModel):
    """What a request bills on a customer invoice (H4): its billable causes
    (``intervention.request.charge``) and its time entries
    (``intervention.time.entry``) invoice the same way.

    Each item is priced with the contract's rates, knows how much of it is
    invoiced (invoice lines minus credit-note lines, as ``sale`` does) and
    what is left, gives the values of the invoice line billing the rest, and
    refuses changes of its billing fields once invoiced unless the user is in
    finance. A model using it declares:

    - ``invoice_line_ids`` (``invoice_lines_field``), the lines pointing back
      at it, and ``_invoice_line_field``, the ``account.move.line`` field
      they use;
    - ``_invoiced_locked_fields``, the fields only finance changes once
      invoiced;
    - ``_billable_depends`` and ``_is_billable_item()``: when its quantity is
      billed at all;
    - ``_invoice_line_name()``, ``_invoiced_locked_error()``
      and ``_check_input_values()``.
    """

    _name = "intervention.billable.mixin"
    _description = "Billable Item of a Request"
    _check_company_auto = True

    _invoice_line_field = None
    _invoiced_locked_fields = frozenset()
    _billable_depends = ()

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="request_id.partner_id", string="Client", store=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        domain="[('type', '=', 'service')]",
        check_company=True,
    )
    quantity = fields.Float(digits="Product Unit")
    currency_id = fields.Many2one(related="company_id.currency_id")
    price_unit = fields.Monetary(
        compute="_compute_price_unit", store=True, readonly=False, precompute=True
    )
    amount = fields.Monetary(compute="_compute_amount", store=True)
    qty_invoiced = fields.Float(
        compute="_compute_invoicing", store=True, digits="Product Unit"
    )
    qty_to_invoice = fields.Float(
        compute="_compute_invoicing", store=True, digits="Product Unit"
    )
    is_invoiced = fields.Boolean(compute="_compute_invoicing", store=True)

    # ------------------------------------------------------------------
    # Pricing
    # ------------------------------------------------------------------
    @api.depends("product_id", "request_id.contract_id")
    def _compute_price_unit(self):
        for item in self:
            contract = item.request_id.contract_id
            item.price_unit = contract._get_billing_price(item.product_id)

    @api.depends("quantity", "price_unit")
    def _compute_amount(self):
        for item in self:
            item.amount = item.quantity * item.price_unit

    # ------------------------------------------------------------------
    # Invoiced quantities
    # ------------------------------------------------------------------
    @api.depends(
        lambda self: (
            "quantity",
            "product_id",
            *self._billable_depends,
            *INVOICE_LINE_DEPENDS,
        )
    )
    def _compute_invoicing(self):
        for item in self:
            invoiced = item.invoice_line_ids._get_intervention_invoiced_quantity()
            billable = item._is_billable_item() and item.product_id
            left = item.quantity - invoiced if billable else 0.0
            item.qty_invoiced = invoiced
            item.qty_to_invoice = max(left, 0.0)
            item.is_invoiced = float_compare(invoiced, 0.0, precision_digits=6) > 0

    def _is_billable_item(self):
        """Whether the quantity of this item is billed (fields read are in
        ``_billable_depends``)."""
        self.ensure_one()
        return False

    def _has_quantity_to_invoice(self):
        self.ensure_one()
        return not float_is_zero(self.qty_to_invoice, precision_digits=6)

    # ------------------------------------------------------------------
    # Checks and the guard on invoiced items
    # ------------------------------------------------------------------
    @api.model
    def _check_input_values(self, vals):
        """Raise a clear error for values an RPC client or an import gets
        wrong, before the database's own check (which would only log an SQL
        error)."""

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_input_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_input_values(vals)
        if self._invoiced_locked_fields.intersection(vals):
            self._check_invoiced_unchanged()
        return super().write(vals)

    def unlink(self):
        # Before the access rules, so that the refusal says why.
        self._check_invoiced_unchanged()
        return super().unlink()

    def _check_invoiced_unchanged(self):
        """Only finance changes or deletes an invoiced item (e.g. after a
        credit note)."""
        invoiced = self.filtered("is_invoiced")
        if invoiced and not self.env.user.has_group(
            "intervention_request.group_intervention_finance"
        ):
            raise invoiced._invoiced_locked_error()

    def _invoiced_locked_error(self):
        """The error refusing to change these invoiced items."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    def _prepare_invoice_line_values(self):
        """Values of the invoice line billing what is left of this item."""
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "name": self._invoice_line_name(),
            "quantity": self.qty_to_invoice,
            "price_unit": self.price_unit,
            self._invoice_line_field: self.id,
        }

    def _invoice_line_name(self):
        """The label of the invoice line billing this item."""
        raise NotImplementedError
