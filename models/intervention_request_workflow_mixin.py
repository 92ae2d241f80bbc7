from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .intervention_domain import SUPPORT_LEVELS
from .request_lifecycle import (
    CANCEL_REASONS,
    FINAL_STATES,
    FIRST_DATE_FIELDS,
    LAST_DATE_FIELDS,
    REJECT_REASONS,
    SLA_DEFERRED_CONTEXT_KEY,
    TRANSITIONS,
    WAITING_FREEZE_REASONS,
)


class InterventionRequestWorkflowMixin(models.AbstractModel):
    """The request's state machine (B3), freezes opened and closed by its
    transitions (B4) and routing between support levels and domains (B5).

    ``write`` sends every change of ``state`` through ``_check_transition``,
    so buttons, RPC calls and imports obey the same rules.
    """

    _name = "intervention.request.workflow.mixin"
    _description = "Request Workflow"

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------
    def _check_transition(self, target, vals=None):
        """Raise a UserError unless every request of ``self`` may move to
        ``target``. ``vals`` are the values written with the new state."""
        vals = vals or {}
        self._check_state_graph(target, TRANSITIONS)
        for request in self:
            request._check_transition_requirements(target, vals)

    def _message_unknown_state(self, target):
        return self.env._("Unknown request state: %(state)s.", state=target)

    def _check_transition_requirements(self, target, vals):
        """Conditions beyond the transition graph, per request."""
        self.ensure_one()
        if target == "onsite" and not (
            vals.get("onsite_technician_id") or self.onsite_technician_id
        ):
            raise UserError(
                self.env._(
                    "Assign a field technician to %(request)s before sending it on "
                    "site.",
                    request=self.name,
                )
            )
        if target in ("cancelled", "rejected"):
            reason = vals.get("cancel_reason") or self.cancel_reason
            if not reason:
                raise UserError(
                    self.env._(
                        "Give a reason to cancel or reject %(request)s.",
                        request=self.name,
                    )
                )
            if not isinstance(reason, str) or reason not in dict(CANCEL_REASONS):
                raise UserError(
                    self.env._(
                        "“%(reason)s” is not a reason to cancel or reject a request.",
                        reason=reason,
                    )
                )
            if target == "rejected" and reason not in REJECT_REASONS:
                raise UserError(
                    self.env._(
                        "%(request)s can be rejected only as not the company's "
                        "responsibility or out of scope.",
                        request=self.name,
                    )
                )
        if target == "reopened":
            self._check_can_reopen()

    def _check_can_reopen(self):
        """Reopen a resolved request within the window, or resume a reopened
        request that was waiting on the client (not a way round the window)."""
        if self.state == "waiting":
            if self.state_before_waiting != "reopened":
                raise UserError(
                    self.env._(
                        "%(request)s was not reopened before waiting on the client.",
                        request=self.name,
                    )
                )
        elif not self._within_reopen_window():
            raise UserError(self._message_reopen_window_passed())

    def _message_reopen_window_passed(self):
        """Seed 000 Sect. 3.01: after the window the request stays closed;
        the client is told to open a new one."""
        self.ensure_one()
        return self.env._(
            "The reopen window of %(request)s has passed (it closed on %(date)s): "
            "it can no longer be reopened. Please open a new request, quoting "
            "%(request)s.",
            request=self.name,
            date=format_datetime(
                self.env,
                self._reopen_deadline(),
                tz=self.contract_id.resource_calendar_id.tz or self.env.user.tz,
            ),
        )

    def _reopen_deadline(self):
        """Last instant the client may reopen the resolved request."""
        self.ensure_one()
        days = self.company_id.intervention_reopen_days
        return self.date_resolved and self.date_resolved + timedelta(days=days)

    def _within_reopen_window(self, when=None):
        self.ensure_one()
        deadline = self._reopen_deadline()
        return bool(deadline) and (when or fields.Datetime.now()) <= deadline

    def write(self, vals):
        """The one write of a state change: the gate, the dates the move
        stamps, then the transition effects in their order
        (``_transition_effects``). The concerns' own ``write`` overrides only
        react to other fields."""
        self._check_input_values(vals)
        if "state" not in vals:
            return super().write(vals)
        target = vals["state"]
        # Rewriting the current state (an import re-saving a row) is no move.
        moving = self.filtered(lambda r: r.state != target)
        staying = self - moving
        moving._check_transition(target, vals)
        previous = {request.id: request.state for request in moving}
        now = fields.Datetime.now()
        if staying:
            super(InterventionRequestWorkflowMixin, staying).write(vals)
        # Requests get different timestamps (a first-time date is kept):
        # write once per group of identical values. The clocks wait for their
        # turn among the effects (one SLA sync per transition).
        deferred = moving.with_context(**{SLA_DEFERRED_CONTEXT_KEY: True})
        groups = {}
        for request in deferred:
            stamps = request._prepare_transition_values(target, now)
            key = tuple(sorted(stamps.items()))
            groups.setdefault(key, deferred.browse())
            groups[key] |= request
        for key, requests in groups.items():
            super(InterventionRequestWorkflowMixin, requests).write(
                {**vals, **dict(key)}
            )
        deferred._run_transition_effects(target, previous, now)
        return True

    def _transition_effects(self):
        """What a state change does, in this order. Each effect is a method
        ``(target, previous, when)`` of its concern's file, called on the
        requests that moved (``previous``: their state before the move)."""
        return [
            "_transition_freezes",  # workflow: open / close freezes (B4)
            "_transition_clocks",  # clock: one SLA sync + escalation plan (C3, D1)
            "_transition_acknowledge",  # workflow: acknowledgement (B3)
            "_transition_followup",  # follow-up: reminders, resolution notice (F1)
            "_transition_rating",  # rating: rating request on resolution (B7)
            "_transition_billing",  # billing: automatic billable causes (H1)
        ]

    def _run_transition_effects(self, target, previous, when):
        """Run the transition effects in order, the SLA sync deferred until
        ``_transition_clocks`` (freezes opened or closed on the way would
        each sync the clocks otherwise)."""
        requests = self.with_context(**{SLA_DEFERRED_CONTEXT_KEY: True})
        for effect in self._transition_effects():
            getattr(requests, effect)(target, previous, when)

    def _prepare_transition_values(self, target, when):
        """The dates a move to ``target`` stamps on this request."""
        self.ensure_one()
        values = {}
        if target in LAST_DATE_FIELDS:
            values[LAST_DATE_FIELDS[target]] = when
        first_field = FIRST_DATE_FIELDS.get(target)
        if first_field and not self[first_field]:
            values[first_field] = when
        if target == "waiting":
            values["state_before_waiting"] = self.state
        if target == "reopened":
            # Escalation levels fire once per cycle (D4): a new one starts.
            values["escalation_cycle"] = self.escalation_cycle + 1
        return values

    def _transition_freezes(self, target, previous, when):
        """Open or close the freezes a transition causes (B4)."""
        if target != "waiting":
            was_waiting = self.filtered(lambda r: previous.get(r.id) == "waiting")
            was_waiting.freeze_ids.filtered(
                lambda f: f.is_open and f.reason in WAITING_FREEZE_REASONS
            )._close(when)
        if target == "waiting":
            self._open_waiting_freeze(when)
        if target in FINAL_STATES or target == "resolved":
            self.freeze_ids.filtered("is_open")._close(when)

    def _transition_acknowledge(self, target, previous, when):
        """Entering Received acknowledges the request to the requester."""
        if target == "received":
            self._send_acknowledgement()

    def _open_waiting_freeze(self, when):
        reason = self.env.context.get("intervention_freeze_reason") or "client_info"
        note = self.env.context.get("intervention_freeze_note") or False
        labels = dict(
            self.env["intervention.freeze"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        if note:
            body = self.env._(
                "Frozen: %(reason)s (%(note)s).", reason=labels[reason], note=note
            )
        else:
            body = self.env._("Frozen: %(reason)s.", reason=labels[reason])
        for request in self:
            if request.freeze_ids.filtered(lambda f: f.is_open and f.reason == reason):
                continue
            self.env["intervention.freeze"].create(
                {
                    "request_id": request.id,
                    "reason": reason,
                    "note": note,
                    "date_start": when,
                }
            )
            request.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _send_acknowledgement(self):
        """Acknowledge reception to the requester (reference, reception time,
        estimated qualification), B3."""
        template = self.env.ref(
            "intervention_request.mail_template_request_acknowledgement",
            raise_if_not_found=False,
        )
        if not template:
            return
        for request in self.filtered("requester_id"):
            request.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=request.requester_id.ids,
            )

    # Buttons. Each calls write(), which enforces the transition rules.
    def action_receive(self):
        self.write({"state": "received"})
        return True

    def action_qualify(self):
        for request in self.filtered(lambda r: not r.user_id):
            request.user_id = self.env.user
        self.write({"state": "qualified"})
        return True

    def action_start(self):
        self.write({"state": "in_progress"})
        return True

    def action_assign_onsite(self, technician=None):
        """Send on site; ``technician`` is a user (a record, or its id from
        an RPC client)."""
        vals = {"state": "onsite"}
        if technician:
            if isinstance(technician, int):
                technician = self.env["res.users"].browse(technician).exists()
            if not isinstance(technician, models.BaseModel) or (
                technician._name != "res.users" or len(technician) != 1
            ):
                raise UserError(self.env._("Choose one user as field technician."))
            vals["onsite_technician_id"] = technician.id
        self.write(vals)
        return True

    def action_wait(self, reason="client_info", note=None):
        """Put the requests on hold waiting on the client; opens a freeze."""
        if reason not in WAITING_FREEZE_REASONS:
            raise UserError(
                self.env._(
                    "“%(reason)s” is not a reason to wait on the client.",
                    reason=dict(
                        self.env["intervention.freeze"]
                        ._fields["reason"]
                        ._description_selection(self.env)
                    ).get(reason, reason),
                )
            )
        self.with_context(
            intervention_freeze_reason=reason, intervention_freeze_note=note
        ).write({"state": "waiting"})
        return True

    def action_open_wait_wizard(self):
        return self._open_wizard(
            "intervention.request.wait.wizard", self.env._("Wait on Client")
        )

    def action_resume(self):
        """Client answered: back to the state the request was in before waiting."""
        not_waiting = self.filtered(lambda r: r.state != "waiting")
        if not_waiting:
            raise UserError(
                self.env._(
                    "%(requests)s is not waiting on the client.",
                    requests=", ".join(not_waiting.mapped("name")),
                )
            )
        for request in self:
            request.write({"state": request.state_before_waiting or "qualified"})
        return True

    def action_workaround(self):
        self.write({"state": "workaround"})
        return True

    def action_resolve(self):
        self.write({"state": "resolved"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        self.write({"state": "reopened"})
        return True

    def action_cancel(self, reason, note=None):
        """Cancel with one of ``CANCEL_REASONS`` (checked by the gate, as
        ``action_wait`` checks its reason)."""
        self.write({"state": "cancelled", "cancel_reason": reason, "cancel_note": note})
        return True

    def action_reject(self, reason, note=None):
        """Reject; a request found not to be the company's responsibility
        becomes billable with that cause (H1)."""
        vals = {"state": "rejected", "cancel_reason": reason, "cancel_note": note}
        if reason == "not_responsible":
            vals.update(is_billable=True, billable_cause="not_responsible")
        self.write(vals)
        return True

    def action_open_cancel_wizard(self):
        return self._open_wizard(
            "intervention.request.cancel.wizard", self.env._("Cancel / Reject")
        )

    def action_request_missing_info(self):
        """Ask the requester for the missing items (B2) and wait on the client."""
        for request in self:
            if request.is_complete:
                raise UserError(
                    self.env._(
                        "%(request)s is complete: nothing to ask.", request=request.name
                    )
                )
            items = Markup("").join(
                Markup("<li>%s</li>") % item for item in request._get_missing_items()
            )
            request.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._("To handle your request we need the following items:"),
                    items,
                ),
                partner_ids=request.requester_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        to_wait = self.filtered(lambda r: "waiting" in TRANSITIONS[r.state])
        to_wait.action_wait("client_info", self.env._("Missing items requested"))
        return True

    # ------------------------------------------------------------------
    # Support levels and domains (B5)
    # ------------------------------------------------------------------
    def action_open_route_wizard(self):
        return self._open_wizard(
            "intervention.request.route.wizard", self.env._("Escalate / Transfer")
        )

    def _route(self, kind, reason, level=None, domain=None, user=None):
        """Record a routing step (assignment, escalation, transfer) and apply it."""
        if not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason for this escalation or transfer.")
            )
        levels = [code for code, _label in SUPPORT_LEVELS]
        for request in self:
            if request.state in FINAL_STATES:
                raise UserError(
                    self.env._(
                        "%(request)s is finished: it cannot be routed.",
                        request=request.name,
                    )
                )
            if kind == "escalation" and (
                not level or levels.index(level) <= levels.index(request.support_level)
            ):
                raise UserError(
                    self.env._(
                        "%(request)s can only be escalated to a higher support level.",
                        request=request.name,
                    )
                )
            if kind == "transfer" and (not domain or domain == request.domain_id):
                raise UserError(
                    self.env._(
                        "Choose another domain to transfer %(request)s to.",
                        request=request.name,
                    )
                )
            if kind == "assignment" and not user:
                raise UserError(
                    self.env._(
                        "Choose whom to assign %(request)s to.", request=request.name
                    )
                )
            new_vals = {
                "support_level": level or request.support_level,
                "domain_id": (domain or request.domain_id).id,
                "user_id": (user or request.user_id).id,
            }
            self.env["intervention.request.routing"].create(
                {
                    "request_id": request.id,
                    "kind": kind,
                    "reason": reason,
                    "from_level": request.support_level,
                    "to_level": new_vals["support_level"],
                    "from_domain_id": request.domain_id.id,
                    "to_domain_id": new_vals["domain_id"],
                    "from_user_id": request.user_id.id,
                    "to_user_id": new_vals["user_id"],
                }
            )
            request.write(new_vals)
            request.message_post(body=reason, subtype_xmlid="mail.mt_note")

    def _open_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }
