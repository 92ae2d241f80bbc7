import math

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime, format_time

from .request_lifecycle import FINAL_STATES

SIGNED_REPORT = "intervention_request.action_report_intervention_request"


class InterventionRequestOnsiteMixin(models.AbstractModel):
    """The field technician's time on site and the client's signature (I1):
    *Start* and *Stop* record an on-site time entry (H3); the client signs
    the intervention report on site, and the signed report is attached to
    the request as a PDF."""

    _name = "intervention.request.onsite.mixin"
    _description = "Request Time and Signature On Site"

    onsite_timer_start = fields.Datetime(
        string="On Site Since",
        readonly=True,
        copy=False,
        help="When the technician started the time on site; Stop records it.",
    )
    onsite_timer_user_id = fields.Many2one(
        "res.users", string="Timed Technician", readonly=True, copy=False
    )
    onsite_signature = fields.Binary(
        string="Client's Signature",
        copy=False,
        attachment=True,
        help="The client signs the intervention report on site.",
    )
    onsite_signed_by = fields.Char(string="Signed By", copy=False)
    onsite_signed_on = fields.Datetime(string="Signed On", readonly=True, copy=False)
    onsite_report_id = fields.Many2one(
        "ir.attachment", string="Signed Report", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Time on site
    # ------------------------------------------------------------------
    def action_onsite_timer_start(self):
        """Start the time on site for the current user; on a request sent on
        site it also records the arrival (the on-site GTI target)."""
        for request in self:
            if request.onsite_timer_start:
                raise UserError(
                    self.env._(
                        "The time on site of %(request)s is already running since "
                        "%(start)s (%(technician)s): stop it first.",
                        request=request.name,
                        start=format_datetime(self.env, request.onsite_timer_start),
                        technician=request.onsite_timer_user_id.name,
                    )
                )
            if request.state == "new" or request.state in FINAL_STATES:
                raise UserError(
                    self.env._(
                        "Request %(request)s is not open: acknowledge it before "
                        "recording time on site.",
                        request=request.name,
                    )
                )
            if request.state == "onsite" and not request.date_onsite_arrival:
                request.action_onsite_arrival()
            request.write(
                {
                    "onsite_timer_start": fields.Datetime.now(),
                    "onsite_timer_user_id": self.env.user.id,
                }
            )
        return True

    def action_onsite_timer_stop(self):
        """Stop the time on site: one on-site time entry for the technician
        who started it, lasting the time elapsed rounded up to the started
        minute (the billed quantity then follows the time entry's rules)."""
        TimeEntry = self.env["intervention.time.entry"]
        now = fields.Datetime.now()
        for request in self:
            start = request.onsite_timer_start
            if not start:
                raise UserError(
                    self.env._(
                        "The time on site of %(request)s was not started: "
                        "start it when you arrive.",
                        request=request.name,
                    )
                )
            technician = request.onsite_timer_user_id or self.env.user
            TimeEntry.create(
                {
                    "request_id": request.id,
                    "user_id": technician.id,
                    "kind": "onsite",
                    "date": fields.Date.context_today(request, start),
                    "duration": self._onsite_duration(start, now),
                    "description": self.env._(
                        "On site %(start)s - %(stop)s",
                        start=format_time(self.env, start, time_format="short"),
                        stop=format_time(self.env, now, time_format="short"),
                    ),
                }
            )
            request.write({"onsite_timer_start": False, "onsite_timer_user_id": False})
        return True

    @staticmethod
    def _onsite_duration(start, stop):
        """Hours between ``start`` and ``stop``, every started minute
        counted (at least one minute)."""
        minutes = math.ceil(round((stop - start).total_seconds() / 60, 6))
        return max(minutes, 1) / 60

    # ------------------------------------------------------------------
    # Signature on site
    # ------------------------------------------------------------------
    def write(self, vals):
        if "onsite_signature" in vals:
            if vals["onsite_signature"]:
                vals = {**vals, "onsite_signed_on": fields.Datetime.now()}
            else:
                vals = {**vals, "onsite_signed_on": False}
        result = super().write(vals)
        if vals.get("onsite_signature"):
            for request in self:
                if not request.onsite_signed_by:
                    raise UserError(
                        self.env._(
                            "Enter the name of the person who signs the report "
                            "of %(request)s.",
                            request=request.name,
                        )
                    )
            self.action_attach_signed_report()
        return result

    def action_attach_signed_report(self):
        """Attach the intervention report, with the client's signature, to
        the request as a PDF, and say so in the chatter."""
        Report = self.env["ir.actions.report"]
        for request in self:
            if not request.onsite_signature:
                raise UserError(
                    self.env._(
                        "The client has not signed the report of %(request)s yet.",
                        request=request.name,
                    )
                )
            content, kind = Report._render_qweb_pdf(SIGNED_REPORT, request.ids)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": self.env._(
                        "Signed Intervention Report - %s.pdf", request.name
                    ),
                    "raw": content,
                    "res_model": request._name,
                    "res_id": request.id,
                    # HTML only under test, where Odoo does not render PDFs.
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                }
            )
            request.onsite_report_id = attachment
            request.message_post(
                body=self.env._(
                    "Intervention report signed on site by %(signer)s.",
                    signer=request.onsite_signed_by,
                ),
                attachment_ids=attachment.ids,
            )
        return True
