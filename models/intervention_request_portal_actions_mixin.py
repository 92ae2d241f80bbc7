from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from .intervention_request_portal_mixin import (
    PORTAL_ESCALATION_INTERVAL,
    PORTAL_ESCALATION_STATES,
    PORTAL_MAX_LENGTHS,
)


class InterventionRequestPortalActionsMixin(models.AbstractModel):
    """The client's actions from the portal (G3, D2, B7, F2) and the export
    of the client's requests (G4). Called on a request the portal controller
    checked, as superuser acting for the portal user: each method checks its
    own rule, acts, and posts in the conversation as the client."""

    _name = "intervention.request.portal.actions.mixin"
    _description = "Request Portal Actions"

    # ------------------------------------------------------------------
    # Client actions (G3, D2, B7, F2)
    # ------------------------------------------------------------------
    def _portal_can_escalate(self, now=None, targets=None):
        """The client may chase the desk (D2) once a commitment is overdue:
        the request waits on us and one of its targets passed its deadline
        unreached; at most once per ``PORTAL_ESCALATION_INTERVAL``.
        ``targets``: the request's SLA targets, when the caller has them."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        if self.state not in PORTAL_ESCALATION_STATES:
            return False
        if targets is None:
            targets = self.sudo().sla_ids
        overdue = targets.filtered(
            lambda t: not t.date_reached and t.deadline and t.deadline < now
        )
        if not overdue:
            return False
        last = self.date_portal_escalated
        return not last or now - last >= PORTAL_ESCALATION_INTERVAL

    def _portal_escalate(self, note=""):
        """D2: log the client's escalation, post it in the conversation and
        give the desk a to-do (the assignee, else the contract's support
        manager or account manager)."""
        self.ensure_one()
        note = (note or "").strip()
        self._portal_check_note(note)
        if not self._portal_can_escalate():
            raise UserError(
                self.env._(
                    "%(request)s can be escalated once one of its deadlines has "
                    "passed without an answer, at most once a day.",
                    request=self.name,
                )
            )
        request = self.sudo()
        request.write(
            {
                "portal_escalation_count": request.portal_escalation_count + 1,
                "date_portal_escalated": fields.Datetime.now(),
            }
        )
        body = self.env._("Escalation requested: a committed time has passed.")
        request._portal_post(body, note)
        responsible = (
            request.user_id
            or request.contract_id.support_manager_id
            or request.contract_id.user_id
        )
        if responsible:
            request.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("The client escalated this request"),
                note=note or body,
            )
        return True

    def _portal_confirm_fix(self):
        """The client confirms the fix of a resolved request: closed."""
        self.ensure_one()
        if self.state != "resolved":
            raise UserError(
                self.env._(
                    "%(request)s is not resolved: there is no fix to confirm.",
                    request=self.name,
                )
            )
        request = self.sudo()
        request.action_close()
        request._portal_post(self.env._("The client confirmed the fix."))
        return True

    def _portal_reopen(self, reason):
        """F2: the client reopens a resolved request within the window, with
        the reason. The reason is posted after the move, so the follow-up
        hook sees a reopened request (it would otherwise reopen it itself)."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Tell us why the fix did not hold."))
        self._portal_check_note(reason)
        if self.state == "closed" and not self._within_reopen_window():
            raise UserError(self._message_reopen_window_passed())
        if self.state != "resolved":
            raise UserError(
                self.env._(
                    "%(request)s is not resolved: it cannot be reopened.",
                    request=self.name,
                )
            )
        request = self.sudo()
        request.action_reopen()
        request._portal_post(self.env._("Reopened by the client."), reason)
        return True

    def _portal_check_note(self, note):
        if len(note) > PORTAL_MAX_LENGTHS["note"]:
            raise UserError(
                self.env._(
                    "Your message is too long: %(count)s characters at most.",
                    count=PORTAL_MAX_LENGTHS["note"],
                )
            )

    def _portal_post(self, body, note=""):
        """Post in the conversation as the current (portal) user: a client
        message, so the follow-up hook records the client's answer."""
        self.ensure_one()
        content = Markup("<p>%s</p>") % body
        if note:
            content += plaintext2html(note)
        self.message_post(
            body=content,
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Export (G4)
    # ------------------------------------------------------------------
    @api.model
    def _portal_export_rows(self, date_from, date_to):
        """(header, rows) of the current user's requests received between
        the two dates (included), read with the user's own rights."""
        if not date_from or not date_to or date_from > date_to:
            raise UserError(self.env._("Choose a period: a start before its end."))
        if (date_to - date_from).days > 366:
            raise UserError(self.env._("Export one year at most at a time."))
        start = fields.Datetime.to_datetime(date_from)
        stop = fields.Datetime.to_datetime(date_to) + timedelta(days=1)
        requests = self.search(
            [("date_received", ">=", start), ("date_received", "<", stop)],
            order="date_received, id",
        )
        selections = {
            fname: dict(self._fields[fname]._description_selection(self.env))
            for fname in ("kind", "severity", "state")
        }
        hours = requests._portal_time_spent()
        header = [
            self.env._("Reference"),
            self.env._("Received On"),
            self.env._("Subject"),
            self.env._("Site"),
            self.env._("Equipment / Software"),
            self.env._("Kind"),
            self.env._("Severity"),
            self.env._("State"),
            self.env._("Resolved On"),
            self.env._("Closed On"),
            self.env._("Billable"),
            self.env._("Time Spent (hours)"),
        ]
        rows = []
        for request in requests:
            sudo = request.sudo()
            rows.append(
                [
                    request.name,
                    self._portal_local(request.date_received),
                    request.summary or "",
                    sudo.site_id.display_name or "",
                    sudo.equipment_id.display_name or "",
                    selections["kind"][request.kind],
                    selections["severity"][request.severity],
                    selections["state"][request.state],
                    self._portal_local(request.date_resolved),
                    self._portal_local(request.date_closed),
                    self.env._("Yes") if request.is_billable else self.env._("No"),
                    hours[request.id],
                ]
            )
        return header, rows

    @api.model
    def _portal_local(self, value):
        """A naive UTC datetime as local text (YYYY-MM-DD HH:MM), or ""."""
        if not value:
            return ""
        return fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M")
