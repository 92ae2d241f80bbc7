from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import TUESDAY_10H, InterventionCommon

WAIT_START = datetime(2026, 3, 12, 14, 0)  # Thursday 15:00 Paris
FIRST_REMINDER = datetime(2026, 3, 13, 14, 0)  # one business day later
TEMPLATE_REMINDER = "intervention_request.mail_template_followup_reminder"
CRON_REMINDERS = "intervention_request.ir_cron_followup_reminders"
MAIL_QUEUE = "mail.ir_cron_mail_scheduler_action"
CRON_LOGGER = "odoo.addons.intervention_request.models.intervention_cron_failure"


@tagged("post_install", "-at_install")
class TestFollowupBatch(InterventionCommon):
    """The reminders, closure notices and escalation notes of a scheduled
    action are posted for the whole batch at once (``_message_post_batch``):
    each request still gets its own message, its client its own e-mail in
    its own language, the chatter its e-mail status, the followers their
    notifications, as ``message_post`` gives them one by one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["intervention_request"], ["fr_FR"], overwrite=True
        )
        cls.policy = cls._reminder_policy(cls.env)
        cls.contract.sla_policy_id = cls.policy
        cls.client_fr = cls.env["res.partner"].create(
            {"name": "Client FR", "is_company": True, "lang": "fr_FR"}
        )
        cls.contact_fr = cls._create_contact(cls.client_fr, "Fanny Fr", lang="fr_FR")
        cls.contract_fr = cls._create_contract(
            cls.client_fr, sla_policy_id=cls.policy.id
        )
        # A second company, its client, calendar, policy and contract.
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=[]))
        cls.company_b = env_b["res.company"].create({"name": "Company B"})
        env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        cls.client_b = env_b["res.partner"].create(
            {"name": "Client B", "is_company": True}
        )
        cls.contact_b = cls._create_contact(cls.client_b, "Bea B")
        calendar_b = cls._create_calendar("B hours", days="01234", hours=[(9, 18)])
        calendar_b.company_id = cls.company_b
        cls.contract_b = cls._create_contract(
            cls.client_b,
            company_id=cls.company_b.id,
            resource_calendar_id=calendar_b.id,
            sla_policy_id=cls._reminder_policy(env_b, cls.company_b).id,
        )
        # Followers of the conversation: one notified by e-mail, one in Odoo.
        cls.follower_email = new_test_user(
            cls.env,
            login="follower_email",
            email="follower.email@example.com",
            groups="intervention_request.group_intervention_user",
            notification_type="email",
        )
        cls.follower_inbox = new_test_user(
            cls.env,
            login="follower_inbox",
            email="follower.inbox@example.com",
            groups="intervention_request.group_intervention_user",
            notification_type="inbox",
        )

    @classmethod
    def _reminder_policy(cls, env, company=None):
        line = {
            "severity": "blocking",
            "reminder_1_days": 1,
            "reminder_2_days": 2,
            "reminder_3_days": 3,
            "close_after_days": 1,
        }
        values = {"name": "Reminders", "reminder_line_ids": [(0, 0, line)]}
        if company:
            values["company_id"] = company.id
        return env["intervention.sla.policy"].create(values)

    def _waiting_request(self, contact, contract, **values):
        with freeze_time(TUESDAY_10H):
            request = self._create_request(
                requester_id=contact.id,
                contract_id=contract.id,
                severity="blocking",
                date_received=TUESDAY_10H,
                **values,
            )
            request.action_receive()
            request.action_qualify()
        with freeze_time(WAIT_START):
            request.action_wait("client_info", "Send the log of the backup job")
        return request

    def _three_requests(self):
        return (
            self._waiting_request(self.contact, self.contract),
            self._waiting_request(
                self.contact_fr, self.contract_fr, site_id=None, equipment_id=None
            ),
            self._waiting_request(
                self.contact_b,
                self.contract_b,
                site_id=None,
                equipment_id=None,
                company_id=self.company_b.id,
            ),
        )

    def _reminders(self, request):
        return self.env["mail.message"].search(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("subject", "ilike", "] R"),  # Reminder / Relance
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
            ]
        )

    def _run_reminders(self):
        cron = self.env.ref(CRON_REMINDERS)
        with freeze_time(FIRST_REMINDER), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()

    def _snapshot(self, message):
        """What a message shows: its fields, its e-mails and the status rows
        of the chatter, without what differs from one post to another (ids,
        its own Message-Id, dates)."""
        own = message.message_id

        def mine(text):
            return (text or "").replace(own, "<own>")

        fields = [
            "body",
            "subject",
            "message_type",
            "subtype_id",
            "author_id",
            "email_from",
            "reply_to",
            "partner_ids",
            "parent_id",
            "record_company_id",
            "record_alias_domain_id",
            "email_layout_xmlid",
            "email_add_signature",
            "is_internal",
        ]
        values = message.read(fields)[0]
        values.pop("id")
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "=", message.id)])
        )
        return {
            "message": values,
            "mails": sorted(
                (
                    mail.subject,
                    mail.body_html,
                    mine(mail.references),
                    mine(mail.headers),
                    tuple(mail.recipient_ids.ids),
                    mail.email_to or "",
                    mail.auto_delete,
                    mail.is_notification,
                    mail.state,
                )
                for mail in mails
            ),
            "notifications": sorted(
                (
                    notification.res_partner_id.id,
                    notification.notification_type,
                    notification.notification_status,
                    notification.is_read,
                    bool(notification.mail_mail_id),
                    notification.author_id.id,
                )
                for notification in notifications
            ),
        }

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_batch_gives_what_message_post_gives(self):
        """Posted in batch or one by one with ``message_post``, each
        request's message, e-mails and notification rows are the same, for
        clients of two languages and two companies and for the followers."""
        requests = self._three_requests()
        for request in requests:
            request.message_subscribe(
                (self.follower_email | self.follower_inbox).partner_id.ids,
                subtype_ids=self.env.ref("mail.mt_comment").ids,
            )
        Request = self.env["intervention.request"]
        batch = Request.browse([request.id for request in requests])
        template = self.env.ref(TEMPLATE_REMINDER)

        def one_by_one(records, values_by_id, **options):
            langs = options.get("langs") or {}
            return (
                Request.browse(records.ids)
                .env["mail.message"]
                .union(
                    *(
                        record.message_post(
                            **values_by_id[record.id],
                            message_type=options.get("message_type", "notification"),
                            subtype_id=options["subtype_id"],
                            force_email_lang=langs.get(record.id),
                            mail_auto_delete=options["mail_auto_delete"],
                            force_send=options["force_send"],
                        )
                        for record in records
                    )
                )
            )

        def post(reference):
            with self.env.cr.savepoint() as savepoint, freeze_time(FIRST_REMINDER):
                if reference:
                    with patch.object(
                        type(Request),
                        "_message_post_batch",
                        autospec=True,
                        side_effect=one_by_one,
                    ):
                        messages = batch._post_template_batch(
                            template, "mail.mt_comment", None
                        )
                else:
                    messages = batch._post_template_batch(
                        template, "mail.mt_comment", None
                    )
                self.env.flush_all()
                snapshots = [self._snapshot(message) for message in messages]
                savepoint.rollback()
            self.env.invalidate_all()
            return snapshots

        expected, posted = post(reference=True), post(reference=False)
        self.assertEqual(len(posted), 3)
        for request, want, got in zip(requests, expected, posted, strict=True):
            with self.subTest(request=request.requester_id.name):
                self.assertEqual(got, want)
                # The client by e-mail, one follower by e-mail, one in Odoo.
                self.assertEqual(
                    [row[1] for row in got["notifications"]].count("email"), 2
                )
                self.assertEqual(
                    [row[1] for row in got["notifications"]].count("inbox"), 1
                )

    def test_each_request_its_own_reminder_in_its_language(self):
        """One run of the reminders on requests of an English client, a
        French client and a client of another company: each request gets its
        own reminder, its requester the e-mail in their language, the chatter
        the e-mail's status; the mail queue is triggered to send them now."""
        english, french, other = self._three_requests()
        (english | french | other).sudo().access_token = False
        self.env["ir.cron.trigger"].search([]).unlink()
        self._run_reminders()
        self.assertEqual(
            len({english.access_token, french.access_token, other.access_token}), 3
        )
        for request, contact, subject in (
            (english, self.contact, "Reminder 1: we are waiting for your answer"),
            (french, self.contact_fr, "Relance 1\xa0: nous attendons votre réponse"),
            (other, self.contact_b, "Reminder 1: we are waiting for your answer"),
        ):
            with self.subTest(contact=contact.name):
                self.assertEqual(request.reminder_count, 1)
                message = self._reminders(request)
                self.assertEqual(len(message), 1)
                self.assertEqual(message.subject, f"[{request.name}] {subject}")
                self.assertEqual(message.partner_ids, contact)
                self.assertEqual(message.record_company_id, request.company_id)
                mail = (
                    self.env["mail.mail"]
                    .sudo()
                    .search([("mail_message_id", "=", message.id)])
                )
                self.assertEqual(mail.recipient_ids, contact)
                self.assertEqual(mail.state, "outgoing")
                self.assertIn(request.name, mail.body_html)
                # The e-mail's "View" button opens the request with its own
                # token, given in the same run to the requests without one.
                self.assertTrue(request.access_token)
                self.assertIn(f"access_token={request.access_token}", mail.body_html)
                notification = message.notification_ids
                self.assertEqual(notification.res_partner_id, contact)
                self.assertEqual(notification.notification_type, "email")
                self.assertEqual(notification.mail_mail_id, mail)
        french_mail = self._reminders(french).mail_ids
        self.assertIn("Relance", french_mail.subject)
        self.assertNotIn("Reminder", french_mail.body_html)
        queue = self.env.ref(MAIL_QUEUE)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", queue.id)])
        )

    def test_a_request_failing_in_the_batch_does_not_stop_the_others(self):
        """A request whose e-mail cannot be laid out fails the batch: the
        batch is rolled back and the requests are taken one by one, so the
        others get one reminder each (not two) and the bad one is retried."""
        english, french, other = self._three_requests()
        Request = type(self.env["intervention.request"])
        render = Request._notify_by_email_render_layout

        def render_or_fail(record, message, *args, **kwargs):
            if record.id == french.id:
                raise ValueError("Broken layout")
            return render(record, message, *args, **kwargs)

        with (
            patch.object(
                Request,
                "_notify_by_email_render_layout",
                autospec=True,
                side_effect=render_or_fail,
            ),
            self.assertLogs(CRON_LOGGER, "ERROR") as logs,
        ):
            self._run_reminders()
        self.assertIn(french.name, logs.output[0])
        self.assertEqual(
            [english.reminder_count, french.reminder_count, other.reminder_count],
            [1, 0, 1],
        )
        self.assertEqual(len(self._reminders(english)), 1)
        self.assertEqual(len(self._reminders(other)), 1)
        self.assertFalse(self._reminders(french))
        self.assertEqual(len(self._reminders(english).mail_ids), 1)
        failure = self.env["intervention.cron.failure"].search(
            [("res_model", "=", french._name), ("res_id", "=", french.id)]
        )
        self.assertEqual(failure.attempts, 1)
