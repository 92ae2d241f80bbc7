import hashlib

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, plaintext2html

from .request_lifecycle import FINAL_STATES

TEMPLATE_TERMS = "intervention_request.mail_template_request_terms"
TEMPLATE_TERMS_DECLINED = "intervention_request.mail_template_request_terms_declined"
# Rates shown to the client, in this order: (product key, unit label key).
TERMS_RATE_PRODUCTS = ("hourly", "time_unit", "travel", "oncall")


class InterventionRequestTermsMixin(models.AbstractModel):
    """The client's answer to the terms of an out-of-contract request (H2,
    seed 000 Sect. 3.02, seed 003 1.3): what will be billed and why, shown
    on the portal page and in the e-mails, and the client's Accept / Decline.

    The terms are one text (``terms_summary``): the billable causes with
    their reasons and amounts, the rates (hourly, time unit with its length,
    travel, on-call), the desk's estimate and conditions. The page sends a
    fingerprint of the text it showed: an acceptance only counts for the
    terms the client read, and the text is kept as accepted."""

    _name = "intervention.request.terms.mixin"
    _description = "Request Terms"

    terms_summary = fields.Text(
        string="Terms Shown to the Client",
        compute="_compute_terms_summary",
        help="What the client reads on the portal page and in the e-mails before "
        "accepting: why the request is billed, the rates and the estimate.",
    )
    terms_accepted_text = fields.Text(
        string="Terms as Accepted",
        readonly=True,
        copy=False,
        help="The terms exactly as the client read them when accepting.",
    )

    @api.depends(
        "terms_required",
        "terms_estimate",
        "terms_description",
        "charge_ids.cause",
        "charge_ids.reason",
        "charge_ids.amount",
        "contract_id",
    )
    def _compute_terms_summary(self):
        for request in self:
            request.terms_summary = (
                "\n".join(request._terms_lines()) if request.terms_required else False
            )

    def _terms_lines(self):
        """The lines of the terms, in the current language."""
        self.ensure_one()
        request = self.sudo()
        lines = []
        for charge in request.charge_ids.sorted("id"):
            line = self.env._(
                "Billed because: %(cause)s. %(reason)s",
                cause=charge._cause_label(),
                reason=charge.reason or "",
            ).strip()
            if charge.quantity and charge.product_id:
                line += " " + self.env._(
                    "(%(quantity)s x %(product)s: %(amount)s)",
                    quantity=f"{charge.quantity:g}",
                    product=charge.product_id.name,
                    amount=self._terms_amount(charge.amount),
                )
            lines.append(line)
        lines += request._terms_rate_lines()
        if request.terms_estimate:
            lines.append(
                self.env._(
                    "Estimate of the help desk: %(amount)s.",
                    amount=self._terms_amount(request.terms_estimate),
                )
            )
        if request.terms_description:
            lines.append(
                self.env._("Conditions: %(terms)s", terms=request.terms_description)
            )
        return lines

    def _terms_rate_lines(self):
        """The rates the time spent is billed at: the contract's when it sets
        them, else the price list's (``_get_billing_price``)."""
        self.ensure_one()
        products = self.env["intervention.time.entry"]._get_default_products()
        contract = self.contract_id
        units = {
            "hourly": self.env._("per hour"),
            "time_unit": self.env._(
                "per time unit of %(minutes)s minutes, every started unit counts",
                minutes=contract.time_unit_minutes or 60,
            ),
            "travel": self.env._("per hour of travel"),
            "oncall": self.env._("per hour on call (nights, weekends, holidays)"),
        }
        lines = []
        for key in TERMS_RATE_PRODUCTS:
            product = products.get(key)
            if not product:
                continue
            lines.append(
                self.env._(
                    "%(service)s: %(price)s %(unit)s.",
                    service=product.name,
                    price=self._terms_amount(contract._get_billing_price(product)),
                    unit=units[key],
                )
            )
        return lines

    def _terms_amount(self, amount):
        return format_amount(self.env, amount, self.company_id.currency_id)

    def _terms_key(self):
        """Fingerprint of the terms as shown now: the Accept button sends it
        back, so an acceptance never covers terms changed since."""
        self.ensure_one()
        text = self.sudo().terms_summary or ""
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    # ------------------------------------------------------------------
    # The client's answer (portal page or e-mail link)
    # ------------------------------------------------------------------
    def _portal_can_answer_terms(self):
        """The page offers Accept / Decline: terms required, not answered,
        request not finished."""
        self.ensure_one()
        return (
            self.terms_required
            and not self.terms_accepted
            and self.state not in FINAL_STATES
        )

    def _portal_terms_channel(self):
        """``portal`` for a logged-in user, ``link`` for a requester who
        opened the e-mail's link (access token) without an account."""
        return "link" if self.env.user._is_public() else "portal"

    def _portal_terms_contact(self):
        """Who answers: the logged-in user's contact, else the requester the
        e-mail's link was sent to."""
        if self.env.user._is_public():
            return self.requester_id
        return self.env.user.partner_id

    def _portal_check_terms(self, terms_key):
        self.ensure_one()
        if not self._portal_can_answer_terms():
            raise UserError(
                self.env._(
                    "%(request)s has no terms waiting for your answer.",
                    request=self.name,
                )
            )
        if terms_key != self._terms_key():
            raise UserError(
                self.env._(
                    "The terms of %(request)s changed since you opened the page: "
                    "read them again below.",
                    request=self.name,
                )
            )

    def _portal_accept_terms(self, terms_key):
        """The client accepts the terms shown (H2): recorded with who, when,
        the channel and the text; the desk gets a to-do to start the work."""
        self.ensure_one()
        self._portal_check_terms(terms_key)
        contact = self._portal_terms_contact()
        request = self.sudo()
        request.action_accept_terms(
            channel=self._portal_terms_channel(), accepted_by=contact
        )
        request._terms_schedule_desk_todo(
            self.env._("The client accepted the terms: start the work"),
            request.terms_accepted_text,
        )
        return True

    def _portal_decline_terms(self, terms_key, reason=""):
        """The client declines the terms: the request ends (cancelled, nothing
        billed) and the requester gets the notice."""
        self.ensure_one()
        reason = (reason or "").strip()
        self._portal_check_note(reason)
        self._portal_check_terms(terms_key)
        contact = self._portal_terms_contact()
        channels = dict(
            self._fields["terms_acceptance_channel"]._description_selection(self.env)
        )
        note = self.env._(
            "Terms declined by %(contact)s (%(channel)s).",
            contact=contact.display_name or "-",
            channel=channels[self._portal_terms_channel()],
        )
        request = self.sudo()
        request.action_cancel("terms_declined", f"{note} {reason}".strip())
        request.message_post(
            body=Markup("<p>%s</p>%s") % (note, plaintext2html(reason)),
            author_id=contact.id,
            subtype_xmlid="mail.mt_note",
        )
        request.with_user(SUPERUSER_ID).sudo()._post_followup_template(
            TEMPLATE_TERMS_DECLINED
        )
        return True

    def _terms_schedule_desk_todo(self, summary, note):
        """A to-do for whoever handles the request: the assignee, else the
        team leader, else the contract's support or account manager."""
        self.ensure_one()
        responsible = (
            self.user_id
            or self.team_id.user_id
            or self.contract_id.support_manager_id
            or self.contract_id.user_id
        )
        if not responsible:
            return
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=responsible.id,
            summary=summary,
            note=plaintext2html(note or ""),
        )

    # ------------------------------------------------------------------
    # The desk sends the terms
    # ------------------------------------------------------------------
    def action_send_terms(self):
        """E-mail the terms to the requester with the link to accept or
        decline them (the page opens without an account: access token)."""
        for request in self:
            if not request._portal_can_answer_terms():
                raise UserError(
                    self.env._(
                        "%(request)s has no terms waiting for the client's answer.",
                        request=request.name,
                    )
                )
            if not request.requester_id:
                raise UserError(
                    self.env._(
                        "Choose the requester of %(request)s: the terms are sent "
                        "to them.",
                        request=request.name,
                    )
                )
        self._post_followup_template(TEMPLATE_TERMS)
        return True
