from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .intervention_billable_mixin import invoice_lines_field
from .intervention_request_charge import TIME_BILLED_CAUSES

# Service products the time entries use by default (data/intervention_billing_data.xml).
DEFAULT_PRODUCTS = {
    "hourly": "intervention_request.product_hourly_labour",
    "time_unit": "intervention_request.product_time_unit",
    "oncall": "intervention_request.product_oncall_hour",
    "travel": "intervention_request.product_travel",
}


class InterventionTimeEntry(models.Model):
    """Time a technician spent on a request (H3), priced with a service
    product and the contract's rates. Billable when the request has a cause
    that bills the time spent (out of contract, abnormal use...). Invoiced
    and locked once invoiced as every billable item
    (``intervention.billable.mixin``)."""

    _name = "intervention.time.entry"
    _inherit = ["intervention.billable.mixin"]
    _description = "Intervention Time Entry"
    _order = "date desc, id desc"
    _check_company_auto = True

    _invoice_line_field = "intervention_time_entry_id"
    # Fields of an invoiced time entry that only finance may change.
    _invoiced_locked_fields = frozenset(
        {
            "request_id",
            "user_id",
            "date",
            "duration",
            "kind",
            "period",
            "product_id",
            "price_unit",
            "billable",
        }
    )
    _billable_depends = ("billable",)

    contract_id = fields.Many2one(related="request_id.contract_id")
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        default=lambda self: self.env.user,
        index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    duration = fields.Float(string="Duration (hours)", required=True)
    kind = fields.Selection(
        [("remote", "Remote"), ("onsite", "On site"), ("travel", "Travel")],
        required=True,
        default="remote",
    )
    period = fields.Selection(
        [("business", "Business hours"), ("oncall", "On-call")],
        required=True,
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
        help="On-call by default for a request received through the on-call service.",
    )
    description = fields.Char()
    product_id = fields.Many2one(
        compute="_compute_product_id", store=True, readonly=False, precompute=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(compute="_compute_quantity", store=True)
    billable = fields.Boolean(
        compute="_compute_billable",
        store=True,
        readonly=False,
        help="Billed to the client: the request has a cause that bills the time "
        "spent. Untick to offer this time.",
    )
    invoice_line_ids = invoice_lines_field("intervention_time_entry_id")

    _duration_positive = models.Constraint(
        "CHECK(duration > 0)", "A time entry lasts more than zero hours."
    )

    @api.depends("request_id.channel")
    def _compute_period(self):
        for entry in self:
            entry.period = (
                "oncall" if entry.request_id.channel == "oncall" else "business"
            )

    # ------------------------------------------------------------------
    # Pricing
    # ------------------------------------------------------------------
    @api.depends("kind", "period", "request_id.contract_id")
    def _compute_product_id(self):
        products = self._get_default_products()
        for entry in self:
            entry.product_id = products[entry._get_default_product_key()]

    @api.model
    def _get_default_products(self):
        """The shipped service products by key (cached id lookups, no query
        per entry); an empty recordset where one was deleted."""
        IrModelData = self.env["ir.model.data"]
        return {
            key: self.env["product.product"].browse(
                IrModelData._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            )
            for key, xmlid in DEFAULT_PRODUCTS.items()
        }

    def _get_default_product_key(self):
        """Travel is billed as travel, on-call work at the on-call hour, remote
        work in time units (UT) when the contract has a UT rate, other work at
        the hourly labour rate."""
        self.ensure_one()
        if self.kind == "travel":
            return "travel"
        if self.period == "oncall":
            return "oncall"
        if self.kind == "remote" and self.request_id.contract_id.time_unit_rate:
            return "time_unit"
        return "hourly"

    @api.depends("duration", "product_id", "request_id.contract_id.time_unit_minutes")
    def _compute_quantity(self):
        for entry in self:
            if entry.product_id.intervention_rate_type == "time_unit":
                contract = entry.request_id.contract_id
                entry.quantity = contract._get_time_unit_quantity(entry.duration)
            else:
                entry.quantity = entry.duration

    @api.depends("request_id.is_billable", "request_id.charge_ids.cause")
    def _compute_billable(self):
        for entry in self:
            request = entry.request_id
            causes = set(request.charge_ids.mapped("cause"))
            entry.billable = bool(request.is_billable and causes & TIME_BILLED_CAUSES)

    def _is_billable_item(self):
        """Time is billed when the entry is billable (ticked by default under
        a cause that bills the time spent)."""
        self.ensure_one()
        return self.billable

    @api.model
    def _check_input_values(self, vals):
        """Clear errors for a duration or a price an RPC client or an import
        gets wrong, before the database's own check (which would only log
        an SQL error)."""
        if "duration" in vals and not (vals["duration"] or 0) > 0:
            raise ValidationError(
                self.env._("A time entry lasts more than zero hours.")
            )
        if (vals.get("price_unit") or 0) < 0:
            raise ValidationError(
                self.env._("The unit price of a time entry cannot be negative.")
            )

    @api.constrains("request_id", "user_id")
    def _check_request_open(self):
        for entry in self:
            if entry.request_id.state == "new":
                raise ValidationError(
                    self.env._(
                        "Acknowledge request %(request)s before recording time on it.",
                        request=entry.request_id.name,
                    )
                )

    @api.depends("request_id.name", "user_id", "date")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = self.env._(
                "%(request)s - %(technician)s, %(date)s",
                request=entry.request_id.name,
                technician=entry.user_id.name,
                date=format_date(self.env, entry.date),
            )

    def _invoiced_locked_error(self):
        """Technicians cannot change or delete invoiced time; finance can
        (e.g. after a credit note)."""
        return UserError(
            self.env._(
                "These time entries are invoiced; only finance can change them: "
                "%(entries)s.",
                entries=", ".join(self.mapped("display_name")),
            )
        )

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    def _invoice_line_name(self):
        """Kind, period, date and technician, then the entry's description."""
        self.ensure_one()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        periods = dict(self._fields["period"]._description_selection(self.env))
        name = self.env._(
            "%(request)s - %(kind)s, %(period)s, %(date)s, %(technician)s",
            request=self.request_id.name,
            kind=kinds[self.kind],
            period=periods[self.period],
            date=format_date(self.env, self.date),
            technician=self.user_id.name,
        )
        return f"{name}\n{self.description}" if self.description else name
