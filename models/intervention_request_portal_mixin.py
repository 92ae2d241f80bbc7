import re
from datetime import timedelta

import babel.dates
import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_datetime, plaintext2html, posix_to_ldml, single_email_re
from odoo.tools.misc import babel_locale_parse, get_lang

from ..tools import business_time
from .intervention_request_clock_mixin import TARGET_ORDER
from .request_lifecycle import DESK_STATES
from .resource_calendar import NoWorkingTimeError

# Longest texts accepted from the portal form (characters).
PORTAL_MAX_LENGTHS = {
    "summary": 200,
    "description": 10000,
    "circumstances": 5000,
    "phone": 40,
    "email": 254,
    "note": 2000,
}
PORTAL_MAX_ATTACHMENTS = 10
PHONE_RE = re.compile(r"^[0-9+()./\- ]{4,40}$")
# States in which the client may chase us: the request waits on the desk.
PORTAL_ESCALATION_STATES = DESK_STATES
# A client escalation at most this often per request (D2).
PORTAL_ESCALATION_INTERVAL = timedelta(hours=24)


class InterventionRequestPortalMixin(models.AbstractModel):
    """The request seen from the customer portal (G1-G5, D2, B7, F2).

    The portal controller stays thin: every rule lives here.

    - Creation: portal users have no create right on requests. The form's
      values are checked one by one against the user's own company
      (``_portal_validate_form``: only its contracts in force, its addresses
      and its assets), then the request is created as superuser with channel
      "portal". Creating in sudo after those checks keeps the desk's fields
      (assignee, billing, SLA policy) out of the client's reach, which a
      create right with a record rule could not.
    - Actions (escalate, confirm the fix, reopen, rate): called on the request
      the controller checked with ``_document_check_access``; each checks
      its own rule, acts, and posts in the conversation as the client. The
      rating is Odoo's ``rating.mixin`` (``intervention_request_rating.py``).
    """

    _name = "intervention.request.portal.mixin"
    _description = "Request Portal"

    portal_escalation_count = fields.Integer(
        string="Client Escalations",
        readonly=True,
        copy=False,
        help="How many times the client chased this request from the portal (D2).",
    )
    date_portal_escalated = fields.Datetime(
        string="Last Client Escalation", readonly=True, copy=False
    )

    def _compute_access_url(self):
        for request in self:
            request.access_url = f"/my/interventions/{request.id}"

    def _mail_get_partner_fields(self, introspect_fields=False):
        """The requester is the customer of the conversation: notifications
        sent to them carry a button to the portal page with an access token
        (``portal.mixin``), so they can read it without signing in."""
        return ["requester_id"]

    # ------------------------------------------------------------------
    # Creation form (G2)
    # ------------------------------------------------------------------
    @api.model
    def _portal_client(self):
        """The company (commercial partner) of the current portal user."""
        return self.env.user.partner_id.commercial_partner_id

    @api.model
    def _portal_form_choices(self):
        """What the creation form offers: the client's contracts in force
        today, its addresses (the company and its non-contact children), its
        active assets, and the kinds and severities."""
        client = self._portal_client()
        now = fields.Datetime.now()
        contracts = (
            self.env["intervention.contract"]
            .sudo()
            .search([("partner_id", "=", client.id), ("state", "=", "active")])
            .filtered(lambda c: c._is_in_force(now))
        )
        sites = self._portal_sites()
        equipment = (
            self.env["intervention.equipment"]
            .sudo()
            .search([("partner_id", "child_of", client.id)])
        )
        return {
            "contracts": contracts,
            "sites": sites,
            "equipment": equipment,
            "kinds": self._fields["kind"]._description_selection(self.env),
            "severities": self._fields["severity"]._description_selection(self.env),
        }

    @api.model
    def _portal_sites(self):
        """The client's addresses: its company and the company's non-contact
        children (the list's site filter and the creation form)."""
        client = self._portal_client()
        return client | self.env["res.partner"].sudo().search(
            [("id", "child_of", client.id), ("type", "!=", "contact")]
        )

    @api.model
    def _portal_validate_form(self, form):
        """Check every value of the portal form on the server.

        Returns ``(vals, errors)``: the creation values, and a dict
        {field name: message} of what the client must fix. Ids are only
        accepted among ``_portal_form_choices``; texts are trimmed, bounded
        and stored escaped (the description becomes HTML from plain text)."""
        choices = self._portal_form_choices()
        errors = {}
        vals = {"channel": "portal", "requester_id": self.env.user.partner_id.id}
        for fname, key, message in (
            (
                "contract_id",
                "contracts",
                self.env._("Choose one of your contracts in force."),
            ),
            ("site_id", "sites", self.env._("Choose one of your sites.")),
            (
                "equipment_id",
                "equipment",
                self.env._("Choose the equipment or software affected."),
            ),
        ):
            record = self._portal_pick(form.get(fname), choices[key])
            if record:
                vals[fname] = record.id
            else:
                errors[fname] = message
        for fname, key, message in (
            ("kind", "kinds", self.env._("Choose an incident or a change request.")),
            ("severity", "severities", self.env._("Choose a severity.")),
        ):
            value = form.get(fname)
            if value in dict(choices[key]):
                vals[fname] = value
            else:
                errors[fname] = message
        self._portal_validate_texts(form, vals, errors)
        self._portal_validate_contact(form, vals, errors)
        if "equipment_id" in vals and "site_id" in vals:
            equipment = (
                self.env["intervention.equipment"].sudo().browse(vals["equipment_id"])
            )
            if equipment.site_id and equipment.site_id.id != vals["site_id"]:
                errors["equipment_id"] = self.env._(
                    "%(equipment)s is installed at %(site)s: choose that site or "
                    "another asset.",
                    equipment=equipment.display_name,
                    site=equipment.site_id.display_name,
                )
        if not form.get("single_malfunction"):
            errors["single_malfunction"] = self.env._(
                "Confirm that this request reports one malfunction only; open one "
                "request per malfunction."
            )
        return vals, errors

    @api.model
    def _portal_pick(self, raw_id, allowed):
        """The record of ``allowed`` whose id the form sent, else empty."""
        try:
            record_id = int(raw_id or 0)
        except (TypeError, ValueError):
            return allowed.browse()
        return allowed.filtered(lambda record: record.id == record_id)

    @api.model
    def _portal_text(self, form, key):
        return (form.get(key) or "").replace("\x00", "").strip()

    @api.model
    def _portal_validate_texts(self, form, vals, errors):
        summary = self._portal_text(form, "summary")
        description = self._portal_text(form, "description")
        circumstances = self._portal_text(form, "circumstances")
        if not summary:
            errors["summary"] = self.env._("Give your request a subject.")
        if len(description) < 10:
            errors["description"] = self.env._(
                "Describe the malfunction precisely (at least 10 characters): "
                "what happens, since when, any error message."
            )
        for key, value in (
            ("summary", summary),
            ("description", description),
            ("circumstances", circumstances),
        ):
            if len(value) > PORTAL_MAX_LENGTHS[key]:
                errors[key] = self.env._(
                    "Too long: %(count)s characters at most.",
                    count=PORTAL_MAX_LENGTHS[key],
                )
        if {"summary", "description", "circumstances"} & set(errors):
            return
        vals.update(
            summary=summary,
            description=plaintext2html(description),
            circumstances=circumstances or False,
        )

    @api.model
    def _portal_validate_contact(self, form, vals, errors):
        phone = self._portal_text(form, "phone")
        email = self._portal_text(form, "email")
        if not (phone or email):
            errors["phone"] = self.env._(
                "Give a phone number or an e-mail address to reach you."
            )
            return
        if phone and not PHONE_RE.match(phone):
            errors["phone"] = self.env._(
                "Enter a phone number with digits, spaces and + ( ) . - only."
            )
        if email and (
            len(email) > PORTAL_MAX_LENGTHS["email"] or not single_email_re.match(email)
        ):
            errors["email"] = self.env._("Enter a valid e-mail address.")
        if "phone" not in errors and "email" not in errors:
            vals.update(requester_phone=phone or False, requester_email=email or False)

    @api.model
    def _portal_validate_attachments(self, files):
        """``files``: [(name, content bytes, mimetype)]. Returns an error
        message or None."""
        files = [item for item in files if item[0]]
        if len(files) > PORTAL_MAX_ATTACHMENTS:
            return self.env._(
                "Attach %(count)s files at most.", count=PORTAL_MAX_ATTACHMENTS
            )
        max_mb = self.env.company.intervention_portal_max_attachment_mb
        too_big = [name for name, data, _mime in files if not data]
        too_big += [
            name for name, data, _mime in files if len(data) > max_mb * 1024 * 1024
        ]
        if too_big:
            return self.env._(
                "Files must hold data and weigh %(size)s MB at most: %(files)s.",
                size=max_mb,
                files=", ".join(too_big),
            )
        return None

    @api.model
    def _portal_coverage_preview(self, vals):
        """What the client must know before sending (G2, A4, F4, H1), computed
        with the backend's rules on an unsaved request: whether the request is
        covered (else billable, with the cause) and whether it arrives out of
        the covered hours (then frozen until the next opening).

        Returns {"covered", "message", "billable_cause", "out_of_hours",
        "next_opening", "needs_confirmation"}."""
        now = fields.Datetime.now()
        draft = self.sudo().new({**vals, "date_received": now})
        verdict = draft._get_coverage_verdict()
        causes = dict(self._fields["billable_cause"]._description_selection(self.env))
        cause = draft._get_automatic_billable_cause(verdict)
        next_opening = self._portal_next_opening(draft, now)
        return {
            "covered": verdict["covered"],
            "message": verdict["message"],
            "billable_cause": causes.get(cause, False),
            "out_of_hours": bool(next_opening),
            "next_opening": next_opening
            and format_datetime(self.env, next_opening, tz=self.env.user.tz),
            "needs_confirmation": not verdict["covered"] or bool(next_opening),
        }

    @api.model
    def _portal_next_opening(self, draft, now):
        """The next covered instant when ``now`` is out of the request's
        covered hours (its SLA calendar), else False."""
        calendar, holidays = draft._sla_calendar()
        if not calendar:
            return False
        try:
            opening = calendar._intervention_compute(
                now, lambda timeline: timeline.next_opening(now), holidays, days=60
            )
        except NoWorkingTimeError:
            return False
        opening = business_time.to_naive_utc(opening)
        return opening if opening > now else False

    @api.model
    def _portal_submit(self, form, files=(), confirmed=False):
        """Validate the portal form and create the request (G2), then
        acknowledge it at once (B3, ``_acknowledge_intake``).

        Returns {"request", "errors", "preview"}: with errors, nothing is
        created; when the request is out of contract or out of hours and the
        client has not ``confirmed`` yet, nothing is created and the preview
        tells why, so the form asks to send anyway."""
        vals, errors = self._portal_validate_form(form)
        attachment_error = self._portal_validate_attachments(list(files))
        if attachment_error:
            errors["attachments"] = attachment_error
        result = {"request": self.browse(), "errors": errors, "preview": None}
        if errors:
            return result
        preview = self._portal_coverage_preview(vals)
        result["preview"] = preview
        if preview["needs_confirmation"] and not confirmed:
            return result
        request = self.sudo().create(vals)
        request._portal_ensure_token()
        request.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        request._portal_post_creation(files, preview)
        # Acknowledged at once, as an e-mailed request (B3): received, the
        # acknowledgement e-mail to the requester, clocks from the reception.
        request._acknowledge_intake()
        result["request"] = request
        return result

    def _portal_post_creation(self, files, preview):
        """The client's first message: the attachments, and what was said
        before sending (out of contract, out of hours)."""
        self.ensure_one()
        lines = [self.env._("Request sent from the customer portal.")]
        if not preview["covered"]:
            lines.append(
                self.env._(
                    "The client was told it is not covered (%(reason)s) and billable: "
                    "%(cause)s.",
                    reason=preview["message"],
                    cause=preview["billable_cause"],
                )
            )
        if preview["out_of_hours"]:
            lines.append(
                self.env._(
                    "Sent out of the covered hours: on hold until %(date)s.",
                    date=preview["next_opening"],
                )
            )
        self.message_post(
            body=Markup("<br/>").join(lines),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[(name, data) for name, data, _mimetype in files if name],
        )

    # ------------------------------------------------------------------
    # What the request page shows (G3)
    # ------------------------------------------------------------------
    @api.model
    def _portal_datetime_formatter(self):
        """A function giving a datetime as the portal pages' ``t-field`` and
        ``datetime`` widget show it (``ir.qweb.field.datetime``: the user's
        language and time zone), with the language, locale and pattern
        looked up once for a page rather than once per value (80 rows of
        the list, two dates each)."""
        lang = get_lang(self.env)
        locale = babel_locale_parse(lang.code)
        pattern = posix_to_ldml(f"{lang.date_format} {lang.time_format}", locale=locale)
        tz = self.env.tz

        def format_value(value):
            if not value:
                return ""
            local = pytz.utc.localize(value, is_dst=False).astimezone(tz)
            return babel.dates.format_datetime(local, format=pattern, locale=locale)

        return format_value

    @api.model
    def _portal_selection_labels(self, *field_names):
        """{field name: {value: label}} of selection fields, in the user's
        language, as ``t-field`` shows them."""
        return {
            name: dict(self._fields[name]._description_selection(self.env))
            for name in field_names
        }

    def _portal_sla_targets(self):
        """The request's SLA targets, in the order of the commitments, with
        what the page shows of them."""
        self.ensure_one()
        # One query for the columns shown (the one2many would search, then
        # read every column).
        return (
            self.env["intervention.request.sla"]
            .sudo()
            .search_fetch(
                [("request_id", "=", self.id)],
                ["target_type", "deadline", "date_reached", "note", "status"],
                order="id",
            )
            .sorted(
                lambda t: (
                    TARGET_ORDER.index(t.target_type)
                    if t.target_type in TARGET_ORDER
                    else len(TARGET_ORDER)
                )
            )
        )

    def _portal_deadlines(self, targets=None):
        """The request's SLA targets in the client's terms: what we committed
        to, by when, and how it stands. ``targets``: those of
        ``_portal_sla_targets``, when the caller has them."""
        self.ensure_one()
        labels = {
            "take_in_charge": self.env._("Taken in charge"),
            "workaround": self.env._("Workaround"),
            "resolution": self.env._("Resolution"),
            "onsite": self.env._("Technician on site"),
        }
        rows = []
        if targets is None:
            targets = self._portal_sla_targets()
        for target in targets:
            status, css = self._portal_deadline_status(target)
            rows.append(
                {
                    "label": labels.get(target.target_type, target.target_type),
                    "deadline": target.deadline,
                    "reached": target.date_reached,
                    "note": target.note,
                    "status": status,
                    "css": css,
                }
            )
        return rows

    def _portal_deadline_status(self, target):
        """(text, bootstrap colour) of a target for the client."""
        if target.status == "met":
            return self.env._("Done on time"), "success"
        if target.status == "breached" and target.date_reached:
            return self.env._("Done late"), "warning"
        if target.status == "breached":
            return self.env._("Overdue"), "danger"
        if target.status == "paused":
            return self.env._("On hold (waiting for you or out of hours)"), "secondary"
        if target.status == "at_risk":
            return self.env._("Due soon"), "warning"
        if target.status == "no_target":
            return self.env._("No committed time"), "light"
        if target.status == "cancelled":
            return self.env._("Not applicable"), "light"
        return self.env._("On schedule"), "info"

    def _portal_timeline(self):
        """(instant, text) of the request's milestones, in order."""
        self.ensure_one()
        request = self.sudo()
        events = [
            (request.date_received, self.env._("Received")),
            (request.date_acknowledged, self.env._("Acknowledged")),
            (request.date_qualified, self.env._("Taken in charge")),
            (request.date_onsite_assigned, self.env._("Technician assigned on site")),
            (request.date_onsite_arrival, self.env._("Technician arrived")),
            (request.date_workaround, self.env._("Workaround provided")),
            (request.date_resolved, self.env._("Resolved")),
            (request.date_reopened, self.env._("Reopened")),
            (request.date_closed, self.env._("Closed")),
        ]
        reasons = dict(
            self.env["intervention.freeze"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        now = fields.Datetime.now()
        holds = (
            self.env["intervention.freeze"]
            .sudo()
            .search_fetch(
                [("request_id", "=", self.id), ("date_start", "<=", now)],
                ["date_start", "date_end", "reason"],
            )
        )
        for freeze in holds:
            events.append(
                (
                    freeze.date_start,
                    self.env._("On hold: %(reason)s", reason=reasons[freeze.reason]),
                )
            )
            # A hold that ends later (the next covered period) has not ended.
            if freeze.date_end and freeze.date_end <= now:
                events.append((freeze.date_end, self.env._("Hold ended")))
        return sorted(
            (event for event in events if event[0]), key=lambda event: event[0]
        )

    def _portal_message_attachments(self):
        """The attachments of the request's messages (the page links them
        with an access token), found from the messages that have any rather
        than by reading the whole conversation."""
        self.ensure_one()
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("attachment_ids", "!=", False),
                ]
            )
            .attachment_ids
        )

    def _portal_time_spent(self):
        """{request id: hours spent} for the export (G4): the duration of the
        requests' time entries (H3), their timesheet lines, in one grouped
        query."""
        hours = dict.fromkeys(self.ids, 0.0)
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("intervention_request_id", "in", self.ids)],
                ["intervention_request_id"],
                ["unit_amount:sum"],
            )
        )
        for request, duration in groups:
            hours[request.id] = round(duration, 2)
        return hours
