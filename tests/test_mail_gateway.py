import ast
from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.mail.tests.common import MailCommon

from .common import InterventionCommon

# The headers of a message a client sends; {extra} adds more.
MAIL_HEADERS = """Return-Path: {return_path}
To: {to}
cc: {cc}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Date: {date}
Message-ID: {msg_id}
{extra}"""

MAIL_PLAIN = (
    MAIL_HEADERS
    + """Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""
)

MAIL_WITH_ATTACHMENT = (
    MAIL_HEADERS
    + """Content-Type: multipart/mixed; boundary="INTERVENTION-BOUNDARY"

--INTERVENTION-BOUNDARY
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
--INTERVENTION-BOUNDARY
Content-Type: text/plain; charset="utf-8"; name="boot.log"
Content-Disposition: attachment; filename="boot.log"
Content-Transfer-Encoding: 8bit

kernel panic: unable to mount root fs
--INTERVENTION-BOUNDARY--
"""
)

MAIL_BOUNCE = """Return-Path: <>
To: {to}
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
Subject: {subject}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Date: {date}
Message-ID: {msg_id}
{extra}Content-Type: multipart/report; report-type=delivery-status;
    boundary="BOUNCE-BOUNDARY"

--BOUNCE-BOUNDARY
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to {email_from}.
--BOUNCE-BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net
Final-Recipient: rfc822; {email_from}
Action: failed
Status: 5.1.1
--BOUNCE-BOUNDARY--
"""

BODY = (
    "The file server stops at the BIOS screen since this morning; "
    "we restarted it twice."
)
# Tuesday 10 March 2026, 10:00 UTC = 11:00 in Paris: business hours.
TUESDAY = datetime(2026, 3, 10, 10, 0)
# Saturday 14 March 2026, 10:00 UTC: outside the business hours.
SATURDAY = datetime(2026, 3, 14, 10, 0)


@tagged("post_install", "-at_install")
class TestMailGateway(InterventionCommon, MailCommon):
    """Requests opened and followed by e-mail through Odoo's mail gateway
    (B1, B2, B3, A4, H1, F1, F2, F4)."""

    @classmethod
    def default_env_context(cls):
        # The gateway and its notifications are the subject here.
        return {"no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["intervention.team"].create(
            {
                "name": "Help Desk",
                "alias_name": "support",
                "alias_domain_id": cls.mail_alias_domain.id,
                "user_id": cls.manager.id,
                "domain_id": cls.domain_servers.id,
            }
        )
        cls.support_address = f"support@{cls.alias_domain}"
        # One covered site and one listed asset: an e-mail need not name them.
        cls.contract.write(
            {
                "site_ids": [Command.set(cls.site.ids)],
                "equipment_line_ids": [
                    Command.create(
                        {"equipment_id": cls.equipment.id, "date_from": "2026-01-01"}
                    )
                ],
            }
        )
        cls.contact.write({"lang": "en_US", "tz": "Europe/Paris"})
        cls.contract.sla_policy_id = cls.env["intervention.sla.policy"].create(
            {
                "name": "Seed 003",
                "line_ids": [
                    Command.create(
                        {
                            "target_type": "take_in_charge",
                            "duration": 3,
                            "unit": "hours",
                            "severity": "major",
                        }
                    )
                ],
                "reminder_line_ids": [
                    Command.create(
                        {
                            "severity": "major",
                            "reminder_1_days": 3,
                            "reminder_2_days": 6,
                            "reminder_3_days": 9,
                            "close_after_days": 1,
                        }
                    )
                ],
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _receive(self, subject, email_from=None, template=MAIL_PLAIN, **kwargs):
        """Send an e-mail to the support alias; return the request created
        with that subject (empty when none)."""
        kwargs.setdefault("body", BODY)
        return self.format_and_process(
            template,
            email_from or self.contact.email_formatted,
            self.support_address,
            subject=subject,
            target_model="intervention.request",
            target_field="summary",
            **kwargs,
        )

    def _reply(self, request, subject, email_from=None, template=MAIL_PLAIN, **kw):
        """Reply to the last message sent from the request."""
        sent = request.message_ids.filtered(
            lambda m: m.message_type != "email" and not m.subtype_id.internal
        )
        parent = sent.sorted("id")[-1]
        extra = f"In-Reply-To: {parent.message_id}\nReferences: {parent.message_id}\n"
        return self._receive(
            subject,
            email_from=email_from,
            template=template,
            extra=kw.pop("extra", "") + extra,
            **kw,
        )

    def _mails_to(self, partner):
        return self._new_mails.filtered(lambda mail: partner in mail.recipient_ids)

    # ------------------------------------------------------------------
    # Intake
    # ------------------------------------------------------------------
    def test_known_authorised_sender(self):
        """A covered contact's e-mail opens a complete, covered request of the
        client and its only contract, acknowledged to the sender."""
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("File server down")
        self.assertEqual(len(request), 1)
        self.assertEqual(request.channel, "email")
        self.assertEqual(request.team_id, self.team)
        self.assertEqual(request.company_id, self.company)
        self.assertEqual(request.domain_id, self.domain_servers, "team default")
        self.assertEqual(request.requester_id, self.contact)
        self.assertEqual(request.partner_id, self.client)
        self.assertEqual(request.contract_id, self.contract)
        self.assertEqual(request.site_id, self.site)
        self.assertEqual(request.equipment_id, self.equipment)
        self.assertEqual(request.email_sender_match, "known")
        self.assertIn("BIOS screen", request.description)
        self.assertTrue(request.name.startswith("DIT"), request.name)
        self.assertEqual(request.date_received, TUESDAY)
        self.assertEqual(request.coverage_state, "covered")
        self.assertTrue(request.is_complete)
        # Acknowledged (B3): received, clocks running, one mail to the sender.
        self.assertEqual(request.state, "received")
        self.assertEqual(request.date_acknowledged, TUESDAY)
        self.assertTrue(request.sla_ids)
        mails = self._mails_to(self.contact)
        self.assertEqual(len(mails), 1, "only the acknowledgement")
        self.assertIn("We have received your request", mails.subject)
        self.assertIn(self.manager.partner_id, request.message_partner_ids)
        self.assertIn(self.contact, request.message_partner_ids)
        # The incoming e-mail is on the thread, authored by the contact.
        incoming = request.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, self.contact)

    def test_email_surcharge_unless_included(self):
        """H1: an e-mailed request costs 1 UT unless the contract includes
        the e-mail channel."""
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Printer jam")
        self.assertTrue(request.is_billable)
        self.assertEqual(request.billable_cause, "channel_surcharge")
        self.contract.include_email = True
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            included = self._receive("Scanner jam")
        self.assertEqual(included.coverage_state, "covered")
        self.assertFalse(included.is_billable)
        self.assertFalse(included.billable_cause)

    def test_unknown_sender(self):
        """An address no contact has: not covered with that reason, no contact
        created, no client nor contract, nothing mailed back."""
        stranger = "Eve Stranger <eve@unknown.example.org>"
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Please help", email_from=stranger)
        self.assertEqual(len(request), 1)
        self.assertFalse(
            self.env["res.partner"].search(
                [("email_normalized", "=", "eve@unknown.example.org")]
            )
        )
        self.assertFalse(request.requester_id)
        self.assertFalse(request.partner_id)
        self.assertFalse(request.contract_id)
        self.assertEqual(request.email_sender_match, "unknown")
        self.assertIn("eve@unknown.example.org", request.email_from)
        self.assertEqual(request.requester_email, "eve@unknown.example.org")
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertEqual(request.coverage_reason, "contact")
        self.assertIn("Unknown sender", request.coverage_message)
        self.assertEqual(request.state, "new", "left for the desk to identify")
        self.assertFalse(
            self._new_mails.filtered(lambda m: "eve@unknown" in (m.email_to or ""))
        )
        self.assertFalse(self._new_mails.recipient_ids.filtered("partner_share"))
        self.assertTrue(
            request.message_ids.filtered(
                lambda m: "no client's contact" in (m.body or "")
            )
        )

    def test_address_shared_by_two_clients(self):
        """Contacts of two clients with one address: none is picked, so the
        request never takes another client's contract."""
        other_client = self.env["res.partner"].create(
            {"name": "Rival Industries", "is_company": True}
        )
        self._create_contact(other_client, "Alice Twin", email=self.contact.email)
        self._create_contract(other_client)
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Shared address")
        self.assertEqual(request.email_sender_match, "ambiguous")
        self.assertFalse(request.partner_id)
        self.assertFalse(request.contract_id)
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertEqual(request.coverage_reason, "contact")
        self.assertIn("several clients", request.coverage_message)
        self.assertEqual(request.state, "new")
        self.assertFalse(self._new_mails.recipient_ids.filtered("partner_share"))

    def test_unauthorised_contact(self):
        """A contact of the client who is not among the contract's authorised
        contacts: not covered with that reason, on the own client's data."""
        admin = self._create_contact(self.client, "Bob Admin")
        self.contract.contact_ids = [Command.set(admin.ids)]
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Not authorised")
        self.assertEqual(request.requester_id, self.contact)
        self.assertEqual(request.partner_id, self.client)
        self.assertEqual(request.contract_id, self.contract)
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertEqual(request.coverage_reason, "contact")
        self.assertIn("not an authorised contact", request.coverage_message)
        self.assertTrue(request.is_billable)
        self.assertEqual(request.billable_cause, "out_of_contract")

    def test_client_with_two_contracts(self):
        """Two contracts in force: none chosen, the reason shown, and the
        missing contract number asked from the client."""
        self._create_contract(self.client, title="Second contract")
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Which contract")
        self.assertEqual(request.partner_id, self.client)
        self.assertFalse(request.contract_id)
        self.assertIn("2 contracts in force", request.contract_hint)
        self.assertIn("The contract number", request._get_missing_items())
        mails = self._mails_to(self.contact)
        missing = mails.filtered(lambda m: "Information needed" in m.subject)
        self.assertEqual(len(missing), 1)
        self.assertIn("The contract number", missing.body_html)

    def test_other_company_alias(self):
        """An e-mail to another company's team: a request of that company,
        never bound to the client's contract of the first company."""
        team_2 = self.env["intervention.team"].create(
            {
                "name": "Help Desk 2",
                "alias_name": "support-c2",
                "company_id": self.company_2.id,
                "alias_domain_id": self.mail_alias_domain_c2.id,
            }
        )
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self.format_and_process(
                MAIL_PLAIN,
                self.contact.email_formatted,
                team_2.alias_email,
                subject="Wrong company",
                target_model="intervention.request",
                target_field="summary",
                body=BODY,
            )
        self.assertEqual(request.company_id, self.company_2)
        self.assertEqual(request.team_id, team_2)
        self.assertEqual(request.partner_id, self.client)
        self.assertFalse(request.contract_id)
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertEqual(request.coverage_reason, "no_contract")

    def test_team_alias_defaults(self):
        """The team's alias creates requests of the team, its company and
        its default domain, kept in step when the team changes."""
        alias = self.team.alias_id
        self.assertEqual(alias.alias_model_id.model, "intervention.request")
        self.assertEqual(alias.alias_full_name, self.support_address)
        defaults = ast.literal_eval(alias.alias_defaults)
        self.assertEqual(
            defaults,
            {
                "team_id": self.team.id,
                "company_id": self.company.id,
                "domain_id": self.domain_servers.id,
            },
        )
        self.team.domain_id = self.domain_workstation
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Keyboard dead")
        self.assertEqual(request.domain_id, self.domain_workstation)
        self.assertEqual(request.support_level, "n1")

    def test_attachments_kept(self):
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("With a log", template=MAIL_WITH_ATTACHMENT)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["boot.log"])
        self.assertIn(b"kernel panic", attachments.raw)
        incoming = request.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.attachment_ids, attachments)

    def test_incomplete_mail(self):
        """Items missing (B2): acknowledged, then one reply listing them all,
        and the request waits on the client (frozen, reminders)."""
        self.contract.write({"site_ids": [Command.clear()]})
        self.contract.equipment_line_ids.unlink()
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Something broke")
        self.assertFalse(request.is_complete)
        self.assertEqual(request.date_acknowledged, TUESDAY)
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.state_before_waiting, "received")
        freeze = request.freeze_ids.filtered(lambda f: f.reason == "client_info")
        self.assertTrue(freeze.is_open)
        self.assertEqual(request.followup_cycle_start, TUESDAY)
        # Reminder 1 of a major request: 3 business days later.
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 13, 10, 0))
        mails = self._mails_to(self.contact)
        self.assertEqual(len(mails), 2, "acknowledgement + one missing-items reply")
        missing = mails.filtered(lambda m: "Information needed" in m.subject)
        self.assertEqual(len(missing), 1)
        self.assertIn("The site affected", missing.body_html)
        self.assertIn("The equipment or software affected", missing.body_html)
        self.assertNotIn("The contract number", missing.body_html)

    def test_out_of_hours_mail(self):
        """F4: an e-mail on Saturday is frozen until Monday's opening (9:00
        in Paris = 8:00 UTC), and its clocks start then."""
        with freeze_time(SATURDAY), self.mock_mail_gateway():
            request = self._receive("Weekend outage")
        freeze = request.freeze_ids.filtered(lambda f: f.reason == "out_of_hours")
        self.assertEqual(freeze.date_start, SATURDAY)
        self.assertEqual(freeze.date_end, datetime(2026, 3, 16, 8, 0))
        self.assertEqual(request.state, "received")
        take_in_charge = request.sla_ids.filtered(
            lambda t: t.target_type == "take_in_charge"
        )
        # Monday 9:00 + 3 business hours = 12:00 in Paris.
        self.assertEqual(take_in_charge.deadline, datetime(2026, 3, 16, 11, 0))

    # ------------------------------------------------------------------
    # Replies
    # ------------------------------------------------------------------
    def test_reply_threads_and_resumes(self):
        """A reply to the missing-items e-mail goes on the request (no new
        one), closes the waiting freeze and restarts the reminder cycle."""
        self.contract.write({"site_ids": [Command.clear()]})
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Broken screen")
        self.assertEqual(request.state, "waiting")
        request.reminder_count = 2
        answered = TUESDAY + timedelta(days=1)
        count = self.env["intervention.request"].search_count([])
        with freeze_time(answered), self.mock_mail_gateway():
            self._reply(request, "Re: Broken screen", body="The site is Lyon.")
        self.assertEqual(self.env["intervention.request"].search_count([]), count)
        self.assertTrue(
            request.message_ids.filtered(
                lambda m: m.message_type == "email" and "site is Lyon" in m.body
            )
        )
        self.assertEqual(request.state, "received")
        freeze = request.freeze_ids.filtered(lambda f: f.reason == "client_info")
        self.assertEqual(freeze.date_end, answered)
        self.assertEqual(request.followup_cycle_start, answered)
        self.assertEqual(request.reminder_count, 0)
        self.assertEqual(request.date_last_client_message, answered)

    def test_reply_reopens_resolved(self):
        """A reply within the reopen window reopens the resolved request."""
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Mail server down")
        with freeze_time(TUESDAY + timedelta(hours=1)):
            request.action_qualify()
            request.write(
                {"cause": "Full mail queue", "resolution": "Mail queue purged."}
            )
            request.action_resolve()
        self.assertEqual(request.state, "resolved")
        with freeze_time(TUESDAY + timedelta(days=2)), self.mock_mail_gateway():
            self._reply(request, "Re: Mail server down", body="It fails again.")
        self.assertEqual(request.state, "reopened")
        self.assertEqual(request.date_reopened, TUESDAY + timedelta(days=2))

    def test_forged_reply_changes_nothing(self):
        """A reply carrying the request's Message-Id but written by another
        client's contact, or by an unknown address, stays on the request as
        a note for the desk: it neither reopens nor resumes it (A4)."""
        other_client = self.env["res.partner"].create(
            {"name": "Rival SA", "is_company": True}
        )
        mallory = self._create_contact(other_client, "Mallory Rival")
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Mail server down")
        with freeze_time(TUESDAY + timedelta(hours=1)):
            request.action_qualify()
            request.write({"cause": "Full queue", "resolution": "Queue purged."})
            request.action_resolve()
        count = self.env["intervention.request"].search_count([])
        for sender in (mallory.email_formatted, "eve@attacker.example.org"):
            with self.subTest(sender=sender):
                with (
                    freeze_time(TUESDAY + timedelta(days=1)),
                    self.mock_mail_gateway(),
                ):
                    self._reply(
                        request,
                        "Re: Mail server down",
                        email_from=sender,
                        body="It fails again, reopen it.",
                    )
                    self.assertFalse(self._new_mails, "nothing sent to anybody")
                self.assertEqual(request.state, "resolved")
                # Still the opening e-mail's: not counted as the client's answer.
                self.assertEqual(request.date_last_client_message, TUESDAY)
                forged = request.message_ids.filtered(
                    lambda m: m.message_type == "email" and "reopen it" in m.body
                )
                self.assertTrue(forged, "the message stays on the request")
                note = request.message_ids.filtered(
                    lambda m: "was not taken as the client" in (m.body or "")
                )[:1]
                self.assertTrue(note.subtype_id.internal, "a note for the desk")
                self.assertIn(sender.split("<")[-1].strip(">"), note.body)
        self.assertEqual(self.env["intervention.request"].search_count([]), count)
        # The requester's own reply still reopens it.
        with freeze_time(TUESDAY + timedelta(days=2)), self.mock_mail_gateway():
            self._reply(request, "Re: Mail server down", body="Broken again.")
        self.assertEqual(request.state, "reopened")

    def test_client_tests_reminder_cycle_end_to_end(self):
        """Seed 003 1.4.2 across three weeks: the desk waits for the client's
        tests; the client's e-mail does not confirm the fix, so the request
        keeps waiting and the reminders (major: 3, 6, 9 business days) count
        from that answer; with no further answer the request is closed one
        business day after the third reminder."""
        self.contact.tz = "Europe/Paris"
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Backups fail")
        self.assertEqual(request.state, "received")
        desk = request.with_user(self.user)
        with freeze_time(TUESDAY + timedelta(hours=1)):
            desk.action_qualify()
            desk.action_start()
        # Tuesday 14:00 Paris: a fix is deployed, the client is asked to test.
        asked = datetime(2026, 3, 10, 13, 0)
        with freeze_time(asked), self.mock_mail_gateway():
            desk.action_wait("client_tests", "Run tonight's backup and tell us")
        self.assertEqual(request.state, "waiting")
        # The first cycle: reminder 1 three business days later (Friday).
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 13, 13, 0))

        # Thursday 10:00 Paris: the client answers by e-mail without
        # confirming the fix.
        answered = datetime(2026, 3, 12, 9, 0)
        with freeze_time(answered), self.mock_mail_gateway():
            self._reply(request, "Re: Backups fail", body="The backup failed again.")
            self.assertFalse(self._mails_to(self.contact), "no mail to the client")
        self.assertEqual(request.state, "waiting", "the request keeps waiting")
        self.assertEqual(request.freeze_ids.filtered("is_open").reason, "client_tests")
        self.assertEqual(request.followup_cycle_start, answered)
        self.assertEqual(request.reminder_count, 0)
        todo = request.activity_ids
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.summary, "Read the client's answer")
        self.assertEqual(todo.user_id, self.user)
        self.assertTrue(request.awaiting_answer, "in the desk's digest")

        # Friday: the first cycle's reminder is not sent any more.
        with self.mock_mail_gateway():
            self._run_followup_cron("reminders", datetime(2026, 3, 13, 13, 0))
            self.assertFalse(self._mails_to(self.contact))

        # Reminders 1, 2, 3 at 3, 6 and 9 business days after Thursday 10:00
        # Paris: Tuesday 17, Friday 20, Wednesday 25 March, 10:00 Paris.
        reminders = [
            datetime(2026, 3, 17, 9, 0),
            datetime(2026, 3, 20, 9, 0),
            datetime(2026, 3, 25, 9, 0),
        ]
        for number, due in enumerate(reminders, start=1):
            with self.subTest(reminder=number):
                self.assertEqual(request.date_next_reminder, due)
                with self.mock_mail_gateway():
                    self._run_followup_cron("reminders", due - timedelta(minutes=1))
                    self.assertFalse(self._mails_to(self.contact), "not yet")
                    self._run_followup_cron("reminders", due)
                    mails = self._mails_to(self.contact)
                self.assertEqual(len(mails), 1)
                self.assertIn(f"Reminder {number}", mails.subject)
                self.assertIn("Run tonight", mails.body_html)
                self.assertEqual(request.state, "waiting")
                self.assertEqual(request.reminder_count, number)
                self.assertEqual(request.activity_ids, todo, "the to-do stays")
        self.assertFalse(request.date_next_reminder)

        # Closure one business day after the third reminder: Thursday 26.
        closure = datetime(2026, 3, 26, 9, 0)
        self.assertEqual(request.date_auto_close, closure)
        with self.mock_mail_gateway():
            self._run_followup_cron("auto_close", closure - timedelta(minutes=1))
            self.assertEqual(request.state, "waiting")
            self.assertFalse(self._mails_to(self.contact))
            self._run_followup_cron("auto_close", closure)
            mails = self._mails_to(self.contact)
        self.assertEqual(request.state, "closed")
        self.assertEqual(request.date_closed, closure)
        self.assertFalse(request.freeze_ids.filtered("is_open"))
        self.assertEqual(len(mails), 1)
        self.assertIn("closed without an answer", mails.subject)

    def _run_followup_cron(self, name, when):
        """Run a follow-up scheduled action as a worker would, at ``when``."""
        cron = self.env.ref(f"intervention_request.ir_cron_followup_{name}")
        with freeze_time(when), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Loop protection
    # ------------------------------------------------------------------
    def test_auto_reply_creates_nothing(self):
        """An out-of-office answer to the alias creates no request; one
        answering the request's e-mail neither resumes it nor lands on it."""
        auto = "Auto-Submitted: auto-replied\n"
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            self.assertFalse(self._receive("Out of office", extra=auto))
        self.assertFalse(self._new_mails)
        self.contract.write({"site_ids": [Command.clear()]})
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Slow network")
        self.assertEqual(request.state, "waiting")
        messages = request.message_ids
        with freeze_time(TUESDAY + timedelta(hours=2)), self.mock_mail_gateway():
            self._reply(request, "Automatic reply: Slow network", extra=auto)
            self._reply(
                request, "Re: Slow network (vacation)", extra="X-Autoreply: yes\n"
            )
        self.assertEqual(request.message_ids, messages)
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.date_last_client_message, TUESDAY, "the request")
        self.assertFalse(self._new_mails)

    def test_bounce_creates_nothing(self):
        """A delivery failure of our acknowledgement creates nothing and does
        not count as the client's answer (Odoo's bounce detection)."""
        self.contract.write({"site_ids": [Command.clear()]})
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Disk full")
        count = self.env["intervention.request"].search_count([])
        with freeze_time(TUESDAY + timedelta(hours=1)), self.mock_mail_gateway():
            self._reply(
                request,
                "Undelivered Mail Returned to Sender",
                template=MAIL_BOUNCE,
            )
        self.assertEqual(self.env["intervention.request"].search_count([]), count)
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.date_last_client_message, TUESDAY, "the request")

    # ------------------------------------------------------------------
    # Acknowledgement in the client's language
    # ------------------------------------------------------------------
    def test_acknowledgement_english(self):
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Boot failure")
        ack = self._mails_to(self.contact)
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.recipient_ids, self.contact)
        self.assertEqual(ack.subject, f"[{request.name}] We have received your request")
        self.assertIn(request.name, ack.body_html)
        self.assertIn("Received on", ack.body_html)
        # Reception time in the company's time zone: 11:00 in Paris.
        self.assertIn("11:00", ack.body_html)
        self.assertIn("Estimated qualification", ack.body_html)
        self.assertIn("Major", ack.body_html)

    def test_acknowledgement_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref(
            "intervention_request.mail_template_request_acknowledgement"
        )
        template.with_context(lang="fr_FR").write(
            {
                "subject": "[{{ object.name }}] Nous avons bien reçu votre demande",
                "body_html": (
                    "<div><p>Référence <strong t-out='object.name'/></p>"
                    "<p>Reçue le <t t-out='format_datetime(object.date_received, "
                    "tz=object.requester_id.tz or "
                    "object.company_id.partner_id.tz)'/></p>"
                    "<p>Qualification estimée : <t t-out='object.severity'/></p>"
                    "</div>"
                ),
            }
        )
        self.contact.lang = "fr_FR"
        with freeze_time(TUESDAY), self.mock_mail_gateway():
            request = self._receive("Panne de démarrage")
        ack = self._mails_to(self.contact)
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.recipient_ids, self.contact)
        self.assertEqual(
            ack.subject, f"[{request.name}] Nous avons bien reçu votre demande"
        )
        self.assertIn(f"Référence <strong>{request.name}</strong>", ack.body_html)
        self.assertIn("Reçue le", ack.body_html)
        self.assertIn("Qualification estimée", ack.body_html)
        self.assertNotIn("We have received", ack.body_html)
