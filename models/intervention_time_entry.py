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
    (``intervention.billable.mixin``).

    Each entry is an Odoo timesheet line (``account.analytic.line`` of
    ``hr_timesheet``) by delegation: the technician (``user_id``, with the
    employee), the date, the duration (``unit_amount``), the description
    (``name``), the project and the employee's cost live on the timesheet
    line, so that the time is logged once and shows in the Timesheets app.
    The entry adds the request and its pricing (kind, period, service, price,
    billable, invoiced quantities). A line logged in the Timesheets app on a
    request gets its entry too (``account.analytic.line.create``)."""

    _name = "intervention.time.entry"
    _inherit = ["intervention.billable.mixin"]
    _inherits = {"account.analytic.line": "timesheet_id"}
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

    timesheet_id = fields.Many2one(
        "account.analytic.line",
        string="Timesheet Line",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        copy=False,
    )
    contract_id = fields.Many2one(related="request_id.contract_id")
    duration = fields.Float(
        related="timesheet_id.unit_amount",
        readonly=False,
        string="Duration (hours)",
    )
    cost = fields.Monetary(
        related="timesheet_id.amount",
        string="Cost",
        help="The technician's cost on the timesheet line: the duration times "
        "the employee's hourly cost, negative as every cost in analytic "
        "accounting.",
    )
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
    description = fields.Char(
        related="timesheet_id.name", readonly=False, string="Work Description"
    )
    product_id = fields.Many2one(
        compute="_compute_product_id", store=True, readonly=False, precompute=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Billing Unit")
    quantity = fields.Float(
        compute="_compute_quantity", store=True, string="Billed Quantity"
    )
    billable = fields.Boolean(
        compute="_compute_billable",
        store=True,
        readonly=False,
        help="Billed to the client: the request has a cause that bills the time "
        "spent. Untick to offer this time.",
    )
    invoice_line_ids = invoice_lines_field("intervention_time_entry_id")

    _timesheet_unique = models.Constraint(
        "UNIQUE(timesheet_id)", "A timesheet line is one time entry at most."
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

    @api.constrains("request_id", "timesheet_id")
    def _check_request_open(self):
        for entry in self:
            if entry.request_id.state == "new":
                raise ValidationError(
                    self.env._(
                        "Acknowledge request %(request)s before recording time on it.",
                        request=entry.request_id.name,
                    )
                )

    @api.constrains("request_id", "timesheet_id")
    def _check_timesheet_company(self):
        for entry in self:
            if entry.timesheet_id.company_id != entry.company_id:
                raise ValidationError(
                    self.env._(
                        "The time on request %(request)s must be logged in its "
                        "company, %(company)s.",
                        request=entry.request_id.name,
                        company=entry.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # The timesheet line
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """Create the timesheet lines of the new entries in one batch (the
        Timesheets app's own lines come with theirs), then the entries."""
        new_lines = [vals for vals in vals_list if not vals.get("timesheet_id")]
        if new_lines:
            for vals in new_lines:
                self._check_input_values(vals)
            timesheet_values = [self._pop_timesheet_values(vals) for vals in new_lines]
            timesheets = (
                self.env["account.analytic.line"]
                .with_context(intervention_time_entry_sync=True)
                .create(timesheet_values)
            )
            for vals, timesheet in zip(new_lines, timesheets, strict=True):
                vals["timesheet_id"] = timesheet.id
        return super().create(vals_list)

    @api.model
    def _pop_timesheet_values(self, vals):
        """Move the values of the timesheet line out of ``vals`` (the fields
        it delegates, the duration and description under their timesheet
        names) and complete them: the request, its client, the company's
        interventions project and the technician's employee."""
        values = {
            name: vals.pop(name)
            for name in list(vals)
            if name in self._fields and self._fields[name].inherited
        }
        if "duration" in vals:
            values["unit_amount"] = vals.pop("duration")
        values["name"] = vals.pop("description", False) or values.get("name") or "/"
        request = self.env["intervention.request"].browse(vals.get("request_id"))
        values["intervention_request_id"] = request.id
        values.setdefault("partner_id", request.partner_id.id)
        company = request.company_id or self.env.company
        values.setdefault("project_id", company._get_intervention_project().id)
        if not values.get("employee_id"):
            user = self.env["res.users"].browse(values.get("user_id") or self.env.uid)
            values["employee_id"] = self._get_technician_employee(user, company).id
        return values

    @api.model
    def _get_technician_employee(self, user, company):
        """The active employee of ``user`` in ``company``, who carries the
        time's cost; a clear error when the technician has none."""
        employee = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", company.id)], limit=1
            )
        )
        if not employee:
            raise UserError(
                self.env._(
                    "%(technician)s has no employee in %(company)s: create one in "
                    "the Employees app, linked to this user, before recording "
                    "time (the time is logged in the timesheets, at the "
                    "employee's cost).",
                    technician=user.name,
                    company=company.name,
                )
            )
        return employee

    def write(self, vals):
        if "request_id" in vals:
            vals = {**vals, "intervention_request_id": vals["request_id"]}
        if vals.get("user_id") and "employee_id" not in vals:
            # The timesheet line's technician is its employee's user.
            for company, entries in self.grouped("company_id").items():
                user = self.env["res.users"].browse(vals["user_id"])
                employee = self._get_technician_employee(user, company)
                entries.write({**vals, "employee_id": employee.id})
            return True
        return super(
            InterventionTimeEntry, self.with_context(intervention_time_entry_sync=True)
        ).write(vals)

    def unlink(self):
        """Delete the timesheet lines with the entries: the time was logged
        once. Not when the line itself was taken off the request in the
        Timesheets app (``intervention_time_entry_sync``): it stays there."""
        timesheets = self.timesheet_id
        result = super().unlink()
        if not self.env.context.get("intervention_time_entry_sync"):
            timesheets.with_context(intervention_time_entry_sync=True).unlink()
        return result

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
        description = self._get_description()
        return f"{name}\n{description}" if description else name

    def _get_description(self):
        """The entry's description; empty for the "/" that timesheets put
        when nothing was written."""
        self.ensure_one()
        return self.description if self.description not in (False, "/") else ""
