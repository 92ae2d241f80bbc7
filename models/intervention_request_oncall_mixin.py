from odoo import fields, models
from odoo.tools import html2plaintext, plaintext2html

from ..tools import business_time
from .request_lifecycle import ONCALL_RECEPTION, ONCALL_RECEPTION_CONTEXT_KEY


class InterventionRequestOncallMixin(models.AbstractModel):
    """After-hours side of a request: the calls it comes from and the
    technician's report, which opens or completes the request on the next
    business day (E5, seed 000 Sect. 5.02)."""

    _name = "intervention.request.oncall.mixin"
    _description = "Request On-call Report"

    oncall_call_ids = fields.One2many(
        "intervention.oncall.call", "request_id", string="After-hours Calls"
    )
    oncall_report = fields.Html(
        string="After-hours Report",
        readonly=True,
        help="Interim report of the on-call technician.",
    )

    def _next_business_day_after(self, contract, when):
        """The next business opening of the contract's business hours at or
        after ``when``: the day the after-hours report becomes a request."""
        calendar = (
            contract.resource_calendar_id or self.env.company.resource_calendar_id
        )
        start = business_time.to_aware_utc(when)
        # No working time at all: NoWorkingTimeError, a clear UserError.
        opening = calendar._intervention_compute(
            start, lambda timeline: timeline.next_opening(start), days=31
        )
        return business_time.to_naive_utc(opening)

    def _apply_oncall_report(self, report, technician, date_end):
        """Complete this request with the technician's report: while it is
        new it is dated the next business day after the intervention, later
        the report is only added."""
        self.ensure_one()
        body = plaintext2html(report)
        vals = {"oncall_report": body}
        if self.state == "new":
            vals["date_received"] = self._next_business_day_after(
                self.contract_id, date_end
            )
            previous = html2plaintext(self.description or "")
            vals["description"] = plaintext2html(
                "\n\n".join(part for part in (previous, report) if part)
            )
            if not self.user_id:
                vals["user_id"] = technician.id
        # The next business opening may still be ahead: the one reception
        # allowed in the future (see ``_check_reception_not_ahead``).
        self.with_context(**{ONCALL_RECEPTION_CONTEXT_KEY: ONCALL_RECEPTION}).write(
            vals
        )
        self.message_post(
            body=self.env._(
                "After-hours report of %(technician)s: %(report)s",
                technician=technician.name,
                report=report,
            )
        )
