from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .intervention_request_coverage_mixin import COVERAGE_FIELDS
from .request_lifecycle import FINAL_STATES, WORK_STATES

# Written fields after which the automatic billable causes are checked again.
CHARGE_SYNC_FIELDS = {*COVERAGE_FIELDS, "is_billable", "billable_cause"}
# Moves after which they are checked again: qualification confirms them, a
# cancellation (duplicate, withdrawn) drops them.
SYNC_STATES = {"qualified", "cancelled"}


class InterventionRequestBillingMixin(models.AbstractModel):
    """Billing of a request (H1-H4): its billable causes with who and why,
    the time spent, the client's acceptance of the terms before work on an
    out-of-contract request, and what is left to invoice.

    ``is_billable`` and ``billable_cause`` stay the request's main cause;
    ``charge_ids`` keep every cause with its origin, author and reason.
    """

    _name = "intervention.request.billing.mixin"
    _description = "Request Billing"

    # A computed field rather than a related one: the mixin has no company
    # field of its own (the request has).
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    charge_ids = fields.One2many(
        "intervention.request.charge", "request_id", string="Billable Causes"
    )
    time_entry_ids = fields.One2many(
        "intervention.time.entry", "request_id", string="Time Entries"
    )
    time_spent = fields.Float(
        string="Time Spent (hours)", compute="_compute_time_spent", store=True
    )

    # Terms of an out-of-contract request (H2)
    terms_required = fields.Boolean(
        string="Terms Acceptance Required",
        compute="_compute_terms_required",
        store=True,
        help="Out of contract and billable: the client accepts the terms (estimate) "
        "before work starts.",
    )
    terms_description = fields.Text(
        string="Terms", help="The estimate and conditions proposed to the client."
    )
    terms_estimate = fields.Monetary(string="Estimate")
    terms_accepted = fields.Boolean(readonly=True, copy=False, tracking=True)
    terms_accepted_date = fields.Datetime(
        string="Terms Accepted On", readonly=True, copy=False
    )
    terms_accepted_by_id = fields.Many2one("res.partner", readonly=True, copy=False)
    terms_recorded_by_id = fields.Many2one(
        "res.users", string="Acceptance Recorded By", readonly=True, copy=False
    )
    terms_acceptance_channel = fields.Selection(
        [("portal", "Portal"), ("link", "E-mail link"), ("staff", "Recorded by staff")],
        string="Accepted Through",
        readonly=True,
        copy=False,
    )
    terms_acceptance_note = fields.Char(
        string="How Accepted", readonly=True, copy=False
    )

    # Invoicing (H4)
    invoice_status = fields.Selection(
        [
            ("no", "Nothing to Invoice"),
            ("to_invoice", "To Invoice"),
            ("invoiced", "Invoiced"),
        ],
        compute="_compute_invoice_status",
        store=True,
        index=True,
        tracking=True,
    )
    amount_to_invoice = fields.Monetary(compute="_compute_invoice_status", store=True)
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_invoice_ids",
        groups="intervention_request.group_intervention_finance",
    )
    invoice_count = fields.Integer(
        compute="_compute_invoice_ids",
        groups="intervention_request.group_intervention_finance",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("company_id.currency_id")
    def _compute_currency_id(self):
        for request in self:
            request.currency_id = request.company_id.currency_id

    @api.depends("time_entry_ids.duration")
    def _compute_time_spent(self):
        for request in self:
            request.time_spent = sum(request.time_entry_ids.mapped("duration"))

    @api.depends("coverage_state", "is_billable")
    def _compute_terms_required(self):
        for request in self:
            request.terms_required = (
                request.coverage_state == "not_covered" and request.is_billable
            )

    @api.depends(
        "charge_ids.qty_to_invoice",
        "charge_ids.qty_invoiced",
        "charge_ids.price_unit",
        "time_entry_ids.qty_to_invoice",
        "time_entry_ids.qty_invoiced",
        "time_entry_ids.price_unit",
    )
    def _compute_invoice_status(self):
        for request in self:
            items = request._get_billable_items()
            to_invoice = [item for item in items if item._has_quantity_to_invoice()]
            request.amount_to_invoice = sum(
                item.qty_to_invoice * item.price_unit for item in to_invoice
            )
            if to_invoice:
                request.invoice_status = "to_invoice"
            elif any(item.is_invoiced for item in items):
                request.invoice_status = "invoiced"
            else:
                request.invoice_status = "no"

    def _get_billable_items(self):
        """The request's causes and time entries, in invoice order."""
        self.ensure_one()
        return list(self.charge_ids.sorted("id")) + list(
            self.time_entry_ids.sorted(lambda e: (e.date, e.id))
        )

    @api.depends("charge_ids.invoice_line_ids", "time_entry_ids.invoice_line_ids")
    def _compute_invoice_ids(self):
        for request in self:
            lines = (
                request.charge_ids.invoice_line_ids
                | request.time_entry_ids.invoice_line_ids
            )
            request.invoice_ids = lines.move_id
            request.invoice_count = len(lines.move_id)

    # ------------------------------------------------------------------
    # Billable causes (H1)
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        requests._sync_billable_causes()
        return requests

    def write(self, vals):
        result = super().write(vals)
        if CHARGE_SYNC_FIELDS.intersection(vals):
            self._sync_billable_causes()
        return result

    def _transition_billing(self, target, previous, when):
        """Qualification confirms the automatic causes, a cancellation drops
        them."""
        if target in SYNC_STATES:
            self._sync_billable_causes()

    def action_check_coverage(self):
        result = super().action_check_coverage()
        self._sync_billable_causes()
        return result

    def _get_automatic_billable_causes(self):
        """The automatic causes of the request (``_get_automatic_billable_cause``,
        the one rule); a cancelled request (duplicate, withdrawn) has none."""
        self.ensure_one()
        if self.state == "cancelled":
            return set()
        cause = self._get_automatic_billable_cause()
        return {cause} if cause else set()

    def _sync_billable_causes(self):
        """Record the automatic causes that apply and drop those that no
        longer do (unless invoiced); record the cause staff set on the
        request itself when no line says so yet."""
        to_create = []
        stale = self.env["intervention.request.charge"]
        surcharge_product = self.env["intervention.time.entry"]._get_default_products()[
            "time_unit"
        ]
        for request in self:
            wanted = request._get_automatic_billable_causes()
            request_stale = request.charge_ids.filtered(
                lambda c, wanted=wanted: (
                    c.origin == "auto" and c.cause not in wanted and not c.is_invoiced
                )
            )
            stale |= request_stale
            present = set((request.charge_ids - request_stale).mapped("cause"))
            for cause in wanted - present:
                to_create.append(
                    request._prepare_automatic_charge_values(cause, surcharge_product)
                )
            manual = request._get_manual_billable_cause()
            if manual and manual not in wanted | present:
                to_create.append(
                    {
                        "request_id": request.id,
                        "cause": manual,
                        "origin": "staff",
                        "reason": request._get_manual_cause_reason(),
                    }
                )
        stale.sudo().unlink()
        if to_create:
            self.env["intervention.request.charge"].sudo().create(to_create)

    def _get_manual_billable_cause(self):
        """The cause staff set on the request form, if any: the surcharge is
        only ever automatic, and a cancelled request keeps no cause."""
        self.ensure_one()
        cause = self.billable_cause
        if not self.is_billable or self.state == "cancelled":
            return False
        return cause if cause != "channel_surcharge" else False

    def _get_manual_cause_reason(self):
        """The note of a rejection as not our responsibility, else a plain
        statement that staff set the cause on the request."""
        self.ensure_one()
        if self.cancel_note and self.cancel_reason == self.billable_cause:
            return self.cancel_note
        return self.env._("Set on the request.")

    def _prepare_automatic_charge_values(self, cause, surcharge_product):
        self.ensure_one()
        values = {
            "request_id": self.id,
            "cause": cause,
            "origin": "auto",
            "user_id": self.env.user.id,
        }
        if cause == "channel_surcharge":
            channels = dict(self._fields["channel"]._description_selection(self.env))
            values.update(
                reason=self.env._(
                    "Request opened by %(channel)s: the contract does not include "
                    "this channel (1 time unit on top of the time spent).",
                    channel=channels[self.channel],
                ),
                product_id=surcharge_product.id,
                quantity=1.0,
            )
        else:
            values["reason"] = self.coverage_message
        return values

    def _add_billable_cause(self, cause, reason, product=None, quantity=0.0):
        """Staff declare the request billable for ``cause`` with a reason
        (abnormal use, not our responsibility, traceability...). The cause
        becomes the request's main cause unless an out-of-contract verdict
        already is."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the request is billable."))
        charge = self.env["intervention.request.charge"].create(
            {
                "request_id": self.id,
                "cause": cause,
                "origin": "staff",
                "reason": reason,
                "product_id": product.id if product else False,
                "quantity": quantity,
            }
        )
        values = {"is_billable": True}
        if self.billable_cause in (False, "channel_surcharge"):
            values["billable_cause"] = cause
        self.write(values)
        self.message_post(
            body=self.env._(
                "Billable: %(cause)s. %(reason)s",
                cause=charge._cause_label(),
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return charge

    def action_open_charge_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Billable Cause"),
            "res_model": "intervention.request.charge.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    # ------------------------------------------------------------------
    # Terms acceptance (H2)
    # ------------------------------------------------------------------
    def _check_transition_requirements(self, target, vals):
        result = super()._check_transition_requirements(target, vals)
        if target in WORK_STATES and self.terms_required and not self.terms_accepted:
            raise UserError(
                self.env._(
                    "%(request)s is out of contract: the client must accept the "
                    "terms (estimate) before work starts. Record the acceptance in "
                    "the Billing tab, or the client accepts them in the portal or "
                    "from the link of the terms e-mail (Send Terms).",
                    request=self.name,
                )
            )
        return result

    def action_accept_terms(self, channel="staff", accepted_by=None, note=None):
        """Record the client's acceptance of the terms (H2), with the terms
        as they stand (``terms_accepted_text``): ``channel`` is ``portal``
        (a logged-in client accepted on the request page; ``accepted_by``
        defaults to the user's contact), ``link`` (the requester accepted
        from the e-mail's link, without an account) or ``staff`` (recorded
        by the desk, who say how)."""
        channels = dict(
            self._fields["terms_acceptance_channel"]._description_selection(self.env)
        )
        if channel not in channels:
            raise UserError(self.env._("Unknown acceptance channel: %s", channel))
        for request in self:
            request._check_can_accept_terms(channel)
        if accepted_by and isinstance(accepted_by, int):
            # An RPC client sends the contact's id.
            accepted_by = self.env["res.partner"].browse(accepted_by).exists()
            if not accepted_by:
                raise UserError(self.env._("Choose the contact who accepted."))
        for request in self:
            contact = accepted_by or (
                self.env.user.partner_id
                if channel == "portal"
                else request.requester_id
            )
            request.write(
                {
                    "terms_accepted": True,
                    "terms_accepted_date": fields.Datetime.now(),
                    "terms_accepted_by_id": contact.id if contact else False,
                    "terms_recorded_by_id": self.env.user.id,
                    "terms_acceptance_channel": channel,
                    "terms_acceptance_note": note or False,
                    "terms_accepted_text": request.terms_summary or False,
                }
            )
            request.message_post(body=request._terms_acceptance_message())
        return True

    def _check_can_accept_terms(self, channel="staff"):
        """Terms are accepted once, on a request still open. The desk records
        an acceptance given outside Odoo against written terms or an
        estimate; online, the client accepts the terms the page shows (the
        causes and rates at least)."""
        self.ensure_one()
        if self.terms_accepted:
            raise UserError(
                self.env._(
                    "The terms of %(request)s are already accepted.", request=self.name
                )
            )
        if self.state in FINAL_STATES:
            raise UserError(
                self.env._(
                    "%(request)s is finished: its terms can no longer be accepted.",
                    request=self.name,
                )
            )
        if channel == "staff" and not (self.terms_description or self.terms_estimate):
            raise UserError(
                self.env._(
                    "Write the terms or the estimate of %(request)s before recording "
                    "their acceptance.",
                    request=self.name,
                )
            )

    def _terms_acceptance_message(self):
        self.ensure_one()
        channels = dict(
            self._fields["terms_acceptance_channel"]._description_selection(self.env)
        )
        body = self.env._(
            "Terms accepted by %(contact)s (%(channel)s), recorded by %(user)s.",
            contact=self.terms_accepted_by_id.display_name or "-",
            channel=channels[self.terms_acceptance_channel],
            user=self.terms_recorded_by_id.name,
        )
        if self.terms_acceptance_note:
            body = Markup("{}<br/>{}").format(body, self.terms_acceptance_note)
        return body

    def action_open_terms_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Terms Acceptance"),
            "res_model": "intervention.request.terms.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_request_id": self.id,
                "default_accepted_by_id": self.requester_id.id,
            },
        }

    # ------------------------------------------------------------------
    # Invoicing (H4)
    # ------------------------------------------------------------------
    def _create_invoices(self, journal=None):
        """Draft customer invoices for what is left to invoice on these
        requests, one per client (and company), one line per billable item,
        each line linked back to its cause or time entry."""
        self._lock_billable_items()
        groups = defaultdict(lambda: self.browse())
        for request in self:
            if request._get_items_to_invoice():
                partner = request.partner_id.commercial_partner_id
                if not partner:
                    raise UserError(
                        self.env._(
                            "%(request)s has no client to invoice.",
                            request=request.name,
                        )
                    )
                groups[(partner, request.company_id)] |= request
        if not groups:
            raise UserError(
                self.env._("Nothing is left to invoice on the selected requests.")
            )
        values = [
            requests._prepare_invoice_values(partner, company, journal)
            for (partner, company), requests in groups.items()
        ]
        invoices = self.env["account.move"].create(values)
        for invoice in invoices:
            invoice.message_post_with_source(
                "mail.message_origin_link",
                render_values={
                    "self": invoice,
                    "origin": invoice.intervention_request_ids,
                },
                subtype_xmlid="mail.mt_note",
            )
        return invoices

    def _lock_billable_items(self):
        """Lock the causes and time entries being invoiced, so that two
        finance users invoicing at once cannot bill them twice."""
        self.charge_ids.lock_for_update(allow_referencing=True)
        self.time_entry_ids.lock_for_update(allow_referencing=True)
        self.charge_ids.invalidate_recordset()
        self.time_entry_ids.invalidate_recordset()

    def _get_items_to_invoice(self):
        self.ensure_one()
        return [
            item
            for item in self._get_billable_items()
            if item._has_quantity_to_invoice()
        ]

    def _prepare_invoice_values(self, partner, company, journal=None):
        """A draft customer invoice for ``partner``: a section per request,
        then one line per billable item left to invoice."""
        lines = []
        for request in self:
            lines.append(
                fields.Command.create(
                    {
                        "display_type": "line_section",
                        "name": f"{request.name} - {request.summary or ''}".strip(" -"),
                    }
                )
            )
            lines += [
                fields.Command.create(item._prepare_invoice_line_values())
                for item in request._get_items_to_invoice()
            ]
        values = {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "invoice_origin": ", ".join(self.mapped("name")),
            "invoice_line_ids": lines,
        }
        if journal:
            values["journal_id"] = journal.id
        return values

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action
