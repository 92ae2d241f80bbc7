import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import email_normalize

from .request_lifecycle import INTAKE_CONTEXT_KEY

_logger = logging.getLogger(__name__)

TEMPLATE_MISSING_ITEMS = "intervention_request.mail_template_request_missing_items"
SENDER_MATCHES = [
    ("known", "Known contact"),
    ("unknown", "Unknown sender"),
    ("ambiguous", "Contact of several clients"),
]


class InterventionRequestMailMixin(models.AbstractModel):
    """E-mail intake (B1, B2, B3, A4, H1): a request opened by an e-mail to a
    support team's alias, through Odoo's mail gateway.

    ``message_new`` finds the requester from the sender's address (a contact
    of exactly one client of the alias's company, never a guess between
    clients), then the request's own computes apply the desk's rules:
    client = the contact's commercial partner, contract when the client has
    exactly one in force, coverage verdict, completeness, the 1 UT surcharge
    of the e-mail channel, the out-of-hours freeze. Once the gateway has
    posted the e-mail (with its attachments) on the request,
    ``_email_intake_respond`` acknowledges it to a known sender and, when
    items are missing, sends one reply listing them and waits on the client
    (``_acknowledge_intake``, the same path as a portal request).

    Replies thread onto the request through the gateway (Odoo's
    ``message_update``, kept as is: the reply is then posted as a comment)
    and reach the follow-up hook (``_message_post_after_hook``) like any
    client answer: resume, restart the reminders, reopen. Auto-replies and
    bounces are dropped before routing (see ``mail.thread._detect_loop_sender``
    in ``models/mail_thread.py``).
    """

    _name = "intervention.request.mail.mixin"
    _description = "Request E-mail Intake"
    _primary_email = "email_from"

    team_id = fields.Many2one(
        "intervention.team",
        string="Support Team",
        check_company=True,
        index="btree_not_null",
        tracking=True,
        help="The team whose mailbox received the request.",
    )
    email_from = fields.Char(
        string="Sender",
        readonly=True,
        copy=False,
        help="The address the request was e-mailed from.",
    )
    email_sender_match = fields.Selection(
        SENDER_MATCHES,
        string="Sender Identification",
        readonly=True,
        copy=False,
        help="How the sender of an e-mailed request was identified: a known "
        "contact of one client, an address no contact has (no contact is "
        "created), or an address shared by contacts of several clients (none "
        "is chosen: the desk decides).",
    )

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Create the request of an incoming e-mail (B1): channel e-mail,
        requester and client from the sender, subject and body; the alias's
        defaults (team, company, domain) come as ``custom_values``."""
        values = dict(custom_values or {})
        company = self.env["res.company"].browse(values.get("company_id"))
        company = company or self.env.company
        values.setdefault("company_id", company.id)
        requests = self.with_company(company)
        sender, match = requests._email_intake_find_sender(
            msg_dict.get("email_from"), company
        )
        values.update(requests._prepare_email_intake_values(msg_dict, sender, match))
        request = super(InterventionRequestMailMixin, requests).message_new(
            msg_dict, custom_values=values
        )
        # The requester follows the conversation (our answers reach them),
        # the team leader is told of each new request.
        followers = request.requester_id | request.team_id.user_id.partner_id
        if followers:
            request.message_subscribe(followers.ids)
        return request.with_context(**{INTAKE_CONTEXT_KEY: True})

    @api.model
    def _email_intake_find_sender(self, email_from, company):
        """(contact, match) for the sender's address among ``company``'s
        contacts (and shared ones).

        - ``known``: the address is a contact's of exactly one client (a
          person rather than the company record when both have it);
        - ``unknown``: no contact has it. No contact is created: a stranger
          must not become a contact of any client by sending an e-mail;
        - ``ambiguous``: contacts of several clients share it. None is
          picked, so a request never lands on another client's contract."""
        Partner = self.env["res.partner"]
        normalized = email_normalize(email_from or "")
        if not normalized:
            return Partner, "unknown"
        partners = Partner.sudo().search(
            [
                ("email_normalized", "=", normalized),
                ("company_id", "in", [company.id, False]),
            ]
        )
        if not partners:
            return Partner, "unknown"
        if len(partners.commercial_partner_id) > 1:
            return Partner, "ambiguous"
        people = partners.filtered(lambda p: not p.is_company) or partners
        return people.sorted("id")[:1].sudo(False), "known"

    @api.model
    def _prepare_email_intake_values(self, msg_dict, sender, match):
        normalized = email_normalize(msg_dict.get("email_from") or "")
        values = {
            # Keep the reference: the gateway would name the record after
            # the subject otherwise.
            "name": self.env._("New"),
            "channel": "email",
            "summary": msg_dict.get("subject") or self.env._("(no subject)"),
            "description": msg_dict.get("body") or False,
            "email_sender_match": match,
        }
        if sender:
            values["requester_id"] = sender.id
            values.update(self._email_intake_scope_values(sender))
        else:
            values["requester_email"] = normalized or False
        return values

    @api.model
    def _email_intake_scope_values(self, sender):
        """Contract, site and equipment of an e-mailed request.

        The contract is the client's only one in force in the alias's company
        (the gateway runs as superuser: a contract of another company must
        never be taken); with none or several, the desk chooses. When that
        contract covers a single site or lists a single asset, that one is
        meant: an e-mail need not name it."""
        contracts = self.env["intervention.contract"]._find_for_client(
            sender, fields.Datetime.now()
        )
        contract = contracts.filtered(lambda c: c.company_id == self.env.company)
        if len(contract) != 1:
            return {"contract_id": False}
        values = {"contract_id": contract.id}
        if len(contract.site_ids) == 1:
            values["site_id"] = contract.site_ids.id
        equipment = contract.equipment_line_ids.equipment_id
        if len(equipment) == 1:
            values["equipment_id"] = equipment.id
        return values

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        if (
            self.env.context.get(INTAKE_CONTEXT_KEY)
            and msg_values.get("message_type") == "email"
        ):
            self.with_context(**{INTAKE_CONTEXT_KEY: False})._email_intake_respond()
        return result

    # ------------------------------------------------------------------
    # Answers to the sender
    # ------------------------------------------------------------------
    def _email_intake_respond(self):
        """Answer a request just received by e-mail (B3, B2) through
        ``_acknowledge_intake``. An unidentified sender gets nothing: the
        desk identifies the requester first (no automatic mail to an unknown
        address)."""
        self.ensure_one()
        if self.state != "new":
            return
        if not self.requester_id:
            self._log_followup(self._email_intake_unidentified_note())
            return
        self._acknowledge_intake()

    def _acknowledge_intake(self):
        """Acknowledge at once a request a client just sent, by e-mail or
        from the portal (B3, seed 000 Sect. 3.01.III): the one path of both
        channels. Received: the acknowledgement e-mail (reference, reception
        time, estimated qualification) goes to the requester and the SLA
        clocks run from the reception, even on a Friday evening. When items
        are missing (B2), one reply lists them and the request waits on the
        client.

        Written by the company (OdooBot), whoever sent the request: the
        acknowledgement must not read as the portal client's own message."""
        self.ensure_one()
        request = self.with_user(SUPERUSER_ID).sudo()
        if request.state != "new":
            return
        request.action_receive()
        if not request.is_complete:
            request._intake_ask_missing_items()

    def _email_intake_unidentified_note(self):
        if self.email_sender_match == "ambiguous":
            return self.env._(
                "Received by e-mail from %(email)s, an address shared by contacts "
                "of several clients: choose the requester, then acknowledge.",
                email=self.email_from,
            )
        return self.env._(
            "Received by e-mail from %(email)s, who is no client's contact: "
            "identify the requester, then acknowledge.",
            email=self.email_from,
        )

    def _intake_ask_missing_items(self):
        """One reply listing the missing items (template, in the requester's
        language), then wait on the client: the answer resumes the request."""
        template = self.env.ref(TEMPLATE_MISSING_ITEMS, raise_if_not_found=False)
        if template:
            self._post_followup_template(TEMPLATE_MISSING_ITEMS)
        self.action_wait("client_info", self.env._("Missing items requested"))

    # ------------------------------------------------------------------
    # Coverage of an unidentified sender
    # ------------------------------------------------------------------
    def _get_coverage_verdict(self):
        """An e-mail from an address that is no client's contact, or that is
        shared by several clients' contacts, is not covered: the contact is
        not authorised (A4). It never borrows a client's contract."""
        self.ensure_one()
        if self.requester_id or self.email_sender_match not in (
            "unknown",
            "ambiguous",
        ):
            return super()._get_coverage_verdict()
        if self.email_sender_match == "ambiguous":
            message = self.env._(
                "The sender %(email)s is a contact of several clients: choose the "
                "requester.",
                email=self.email_from,
            )
        else:
            message = self.env._(
                "Unknown sender %(email)s: no client's contact has this address.",
                email=self.email_from,
            )
        return {"covered": False, "reason": "contact", "message": message}

    @api.depends("email_sender_match")
    def _compute_coverage(self):
        return super()._compute_coverage()
