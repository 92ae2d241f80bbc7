from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TUESDAY_10H, InterventionCommon

# Europe/Paris is UTC+1 until March 29 2026, UTC+2 after: 15:00 in Paris is
# 14:00 UTC in March, 13:00 UTC in April.
RECEIVED = TUESDAY_10H
WAIT_START = datetime(2026, 3, 12, 14, 0)  # Thursday 15:00 Paris
# Seed 003: reminders 1/2/3, 3/6/9, 5/10/15 business days after the start of
# the waiting cycle (Thursday 15:00), closure 1 business day after the third.
SCHEDULE = {
    "blocking": (
        [
            datetime(2026, 3, 13, 14, 0),  # Friday
            datetime(2026, 3, 16, 14, 0),  # Monday, across the weekend
            datetime(2026, 3, 17, 14, 0),
        ],
        datetime(2026, 3, 18, 14, 0),
    ),
    "major": (
        [
            datetime(2026, 3, 17, 14, 0),
            datetime(2026, 3, 20, 14, 0),
            datetime(2026, 3, 25, 14, 0),
        ],
        datetime(2026, 3, 26, 14, 0),
    ),
    "minor": (
        [
            datetime(2026, 3, 19, 14, 0),
            datetime(2026, 3, 26, 14, 0),
            datetime(2026, 4, 2, 13, 0),  # 15:00 Paris in summer time
        ],
        datetime(2026, 4, 3, 13, 0),
    ),
}
CRONS = {
    "reminders": "intervention_request.ir_cron_followup_reminders",
    "auto_close": "intervention_request.ir_cron_followup_auto_close",
    "close_resolved": "intervention_request.ir_cron_followup_close_resolved",
    "digest": "intervention_request.ir_cron_followup_digest",
}
CRON_LOGGER = "odoo.addons.intervention_request.models.intervention_cron_failure"


@tagged("post_install", "-at_install")
class TestFollowup(InterventionCommon):
    """Waiting-on-client reminders and automatic closure (F1), resolution
    notice and reopen window (F2, B3), the daily digest of requests awaiting
    our answer (F3), and the safety of the scheduled actions (D4-style)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["intervention.sla.policy"].create(
            {
                "name": "Seed 003 reminders",
                "reminder_line_ids": [
                    cls._schedule("blocking", 1, 2, 3),
                    cls._schedule("major", 3, 6, 9),
                    cls._schedule("minor", 5, 10, 15),
                ],
            }
        )
        cls.contract.sla_policy_id = cls.policy
        cls.company.intervention_reopen_days = 5
        cls.company.intervention_duty_desk_email = False

    @classmethod
    def _schedule(cls, severity, first, second, third, close_after=1):
        return (
            0,
            0,
            {
                "severity": severity,
                "reminder_1_days": first,
                "reminder_2_days": second,
                "reminder_3_days": third,
                "close_after_days": close_after,
            },
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _qualified_request(self, severity="blocking", when=RECEIVED, **values):
        with freeze_time(when):
            request = self._create_request(
                severity=severity, date_received=when, **values
            )
            request.action_receive()
            request.action_qualify()
        return request

    def _waiting_request(
        self, severity="blocking", when=WAIT_START, reason="client_info"
    ):
        request = self._qualified_request(severity)
        with freeze_time(when):
            request.action_wait(reason, "Send the log of the backup job")
        return request

    def _resolved_request(self, when=RECEIVED):
        request = self._qualified_request(when=when)
        with freeze_time(when):
            request.action_resolve()
        return request

    def _run_cron(self, name, when):
        """Run a scheduled action as a worker would, at ``when``."""
        cron = self.env.ref(CRONS[name])
        with freeze_time(when), self.enter_registry_test_mode():
            result = cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertIs(result, True, f"the cron {name} failed")

    def _client_says(self, request, when, body="Here are the logs you asked for."):
        with freeze_time(when):
            return request.message_post(
                body=body,
                author_id=self.contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _staff_says(self, request, when, body="We are looking into it."):
        with freeze_time(when):
            return request.with_user(self.user).message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _messages(self, request, subject):
        return self.env["mail.message"].search(
            [
                ("model", "=", "intervention.request"),
                ("res_id", "=", request.id),
                ("subject", "ilike", subject),
            ],
            order="id",
        )

    def _reminders(self, request):
        return self._messages(request, "Reminder")

    def _notes(self, request, text):
        return request.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("mail.mt_note") and text in (m.body or "")
            )
        )

    # ------------------------------------------------------------------
    # Reminder schedule (F1)
    # ------------------------------------------------------------------
    def test_reminders_at_each_business_day_by_severity(self):
        """Each reminder goes at the same business instant N working days
        after the cycle start (weekend and summer time included), and only
        then; after the third, the automatic closure is scheduled."""
        for severity, (dates, auto_close) in SCHEDULE.items():
            with self.subTest(severity=severity):
                request = self._waiting_request(severity)
                self.assertEqual(request.followup_cycle_start, WAIT_START)
                self.assertEqual(request.reminder_count, 0)
                for number, due in enumerate(dates, start=1):
                    self.assertEqual(request.date_next_reminder, due)
                    self._run_cron("reminders", due - timedelta(minutes=1))
                    self.assertEqual(request.reminder_count, number - 1)
                    self._run_cron("reminders", due)
                    self.assertEqual(request.reminder_count, number)
                    self.assertEqual(request.date_last_reminder, due)
                    reminder = self._reminders(request)[-1]
                    self.assertIn(f"Reminder {number}", reminder.subject)
                    self.assertIn(request.name, reminder.subject)
                    self.assertIn(
                        f"reminder <strong>{number}</strong> of 3", reminder.body
                    )
                    self.assertIn("Send the log of the backup job", reminder.body)
                    self.assertEqual(reminder.partner_ids, self.contact)
                self.assertEqual(len(self._reminders(request)), 3)
                self.assertFalse(request.date_next_reminder)
                self.assertEqual(request.date_auto_close, auto_close)
                self.assertIn("last reminder", self._reminders(request)[-1].body)

    def test_reminder_mail_goes_to_the_requester(self):
        request = self._waiting_request()
        self._run_cron("reminders", SCHEDULE["blocking"][0][0])
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", self._reminders(request).id)]
        )
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertIn(request.name, mail.body_html)

    def test_no_schedule_for_the_severity_no_reminder(self):
        self.policy.reminder_line_ids.filtered(
            lambda line: line.severity == "minor"
        ).unlink()
        request = self._waiting_request("minor")
        self.assertFalse(request.date_next_reminder)
        self._run_cron("reminders", datetime(2026, 4, 30, 9, 0))
        self.assertFalse(self._reminders(request))
        self.assertFalse(request.date_auto_close)

    def test_schedule_change_moves_the_next_reminder(self):
        request = self._waiting_request("major")
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 17, 14, 0))
        line = self.policy._reminder_line_for("major")
        line.reminder_1_days = 2
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 16, 14, 0))

    def test_public_holiday_moves_the_next_reminder(self):
        """Public holidays move the reminders as they move the SLA clocks
        (requests with SLA targets: those the SLA engine recomputes)."""
        self.env["intervention.sla.policy.line"].create(
            {
                "policy_id": self.policy.id,
                "target_type": "resolution",
                "duration": 5,
                "unit": "days",
            }
        )
        request = self._waiting_request()
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 13, 14, 0))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": False,
                "date_from": datetime(2026, 3, 12, 23, 0),
                "date_to": datetime(2026, 3, 13, 23, 0),
            }
        )
        self._apply_holiday_changes()
        # Friday 13 off: Thursday 15:00 + 1 business day is Monday 15:00.
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 16, 14, 0))

    def test_leaving_waiting_clears_the_schedule(self):
        request = self._waiting_request()
        with freeze_time("2026-03-13 09:00:00"):
            request.action_workaround()
        self.assertFalse(request.date_next_reminder)
        self._run_cron("reminders", datetime(2026, 3, 20, 9, 0))
        self.assertFalse(self._reminders(request))

    def test_waiting_again_starts_a_new_cycle(self):
        request = self._waiting_request()
        self._run_cron("reminders", SCHEDULE["blocking"][0][0])
        with freeze_time("2026-03-13 15:00:00"):
            request.action_resume()
        with freeze_time("2026-03-16 10:00:00"):  # Monday 11:00 Paris
            request.action_wait("client_info")
        self.assertEqual(request.reminder_count, 0)
        self.assertEqual(request.followup_cycle_start, datetime(2026, 3, 16, 10, 0))
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 17, 10, 0))

    @freeze_time(RECEIVED)
    @mute_logger("odoo.sql_db")
    def test_schedule_constraints(self):
        Reminder = self.env["intervention.sla.policy.reminder"]
        bad_values = [
            {"reminder_1_days": 0, "reminder_2_days": 2, "reminder_3_days": 3},
            {"reminder_1_days": 2, "reminder_2_days": 2, "reminder_3_days": 3},
            {"reminder_1_days": 1, "reminder_2_days": 3, "reminder_3_days": 2},
            {"close_after_days": -1},
            {"severity": "blocking"},  # a second line for the same severity
        ]
        policy = self.env["intervention.sla.policy"].create({"name": "Checks"})
        Reminder.create({"policy_id": policy.id, "severity": "blocking"})
        for values in bad_values:
            with (
                self.subTest(values=values),
                self.assertRaises(IntegrityError),
                self.cr.savepoint(),
            ):
                Reminder.create({"policy_id": policy.id, "severity": "major", **values})
                Reminder.flush_model()
        line = Reminder.create(
            {"policy_id": policy.id, "severity": "minor", "close_after_days": 0}
        )
        self.assertEqual(policy._reminder_line_for("minor"), line)

    # ------------------------------------------------------------------
    # Client answers (F1, F2, B3)
    # ------------------------------------------------------------------
    def test_client_answer_resumes_and_restarts_the_cycle(self):
        request = self._waiting_request()
        self._run_cron("reminders", SCHEDULE["blocking"][0][0])
        self.assertEqual(request.reminder_count, 1)
        answer = datetime(2026, 3, 16, 9, 0)
        message = self._client_says(request, answer)
        self.assertIn(message, request.message_ids)
        self.assertEqual(request.state, "qualified")
        self.assertFalse(request.freeze_ids.filtered("is_open"), "freeze closed")
        self.assertEqual(request.date_last_client_message, answer)
        self.assertEqual(
            (request.reminder_count, request.followup_cycle_start), (0, answer)
        )
        self.assertFalse(request.date_next_reminder)
        self.assertTrue(self._notes(request, "reminder cycle starts over"))
        self.assertTrue(request.awaiting_answer)
        # The reminder due Monday 15:00 of the former cycle is not sent.
        self._run_cron("reminders", datetime(2026, 3, 16, 14, 0))
        self.assertEqual(len(self._reminders(request)), 1)

    def test_client_answer_kept_when_the_workflow_refuses_to_resume(self):
        """The message is never lost: a refused move is reported in a note,
        and the answer still restarts the reminder cycle."""
        request = self._waiting_request()
        Request = type(self.env["intervention.request"])
        refusal = UserError("Not from here")
        answer = datetime(2026, 3, 13, 9, 0)
        with patch.object(Request, "action_resume", side_effect=refusal):
            message = self._client_says(request, answer)
        self.assertIn(message, request.message_ids)
        self.assertEqual(request.state, "waiting")
        self.assertEqual(
            (request.reminder_count, request.followup_cycle_start), (0, answer)
        )
        # Friday 10:00 Paris + 1 business day: Monday 10:00.
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 16, 9, 0))
        self.assertTrue(self._notes(request, "could not resume by itself"))
        self.assertTrue(request.awaiting_answer)

    def test_client_email_reply_resumes(self):
        """A reply through the mail gateway is a client answer too."""
        request = self._waiting_request()
        acknowledgement = self._messages(request, "received your request")
        raw = (
            "From: Alice Admin <alice@example.com>\r\n"
            "To: support@example.com\r\n"
            f"Subject: Re: {request.name}\r\n"
            "Message-ID: <reply-1@client.example.com>\r\n"
            f"In-Reply-To: {acknowledgement.message_id}\r\n"
            "Date: Mon, 16 Mar 2026 10:00:00 +0100\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "The backup job ran fine this night.\r\n"
        )
        with freeze_time("2026-03-16 09:00:00"):
            thread_id = self.env["mail.thread"].message_process(False, raw)
        self.assertEqual(thread_id, request.id)
        self.assertEqual(request.state, "qualified")
        self.assertEqual(request.date_last_client_message, datetime(2026, 3, 16, 9, 0))
        self.assertFalse(request.freeze_ids.filtered("is_open"))

    def test_staff_answer_and_awaiting_flag(self):
        request = self._qualified_request()
        self.assertFalse(request.awaiting_answer)
        self._client_says(request, datetime(2026, 3, 10, 10, 0))
        self.assertTrue(request.awaiting_answer)
        self._staff_says(request, datetime(2026, 3, 10, 11, 0))
        self.assertEqual(request.date_last_staff_message, datetime(2026, 3, 10, 11, 0))
        self.assertFalse(request.awaiting_answer)
        # A note is no answer to the client.
        with freeze_time("2026-03-10 12:00:00"):
            self._client_says(request, datetime(2026, 3, 10, 12, 0))
            request.message_post(body="Asked N2", subtype_xmlid="mail.mt_note")
        self.assertTrue(request.awaiting_answer)

    def test_client_answer_reopens_within_the_window(self):
        request = self._resolved_request()
        self.assertEqual(request.date_reopen_deadline, datetime(2026, 3, 15, 9, 0))
        self._client_says(request, datetime(2026, 3, 13, 9, 0), "Still broken.")
        self.assertEqual(request.state, "reopened")
        self.assertFalse(request.date_reopen_deadline)
        self.assertTrue(self._notes(request, "within the reopen window"))
        self.assertTrue(request.awaiting_answer)

    def test_client_answer_after_the_window_closes_for_good(self):
        request = self._resolved_request()
        message = self._client_says(request, datetime(2026, 3, 16, 9, 0), "Again!")
        self.assertEqual(request.state, "closed")
        self.assertIn(message, request.message_ids, "the message stays on the thread")
        self.assertTrue(self._notes(request, "closed for good"))

    def test_answer_while_the_client_tests_keeps_waiting(self):
        """Seed 003 1.4.2: while the client tests the fix, an answer is not
        the confirmation: the request keeps waiting, the reminder cycle
        starts over from the answer and the desk gets one to-do to read it."""
        request = self._waiting_request(reason="client_tests")
        request.user_id = self.user
        self._run_cron("reminders", SCHEDULE["blocking"][0][0])
        self.assertEqual(request.reminder_count, 1)
        answer = datetime(2026, 3, 16, 9, 0)  # Monday 10:00 Paris
        message = self._client_says(request, answer, "Still slow after the patch.")
        self.assertIn(message, request.message_ids)
        self.assertEqual(request.state, "waiting")
        freeze = request.freeze_ids.filtered("is_open")
        self.assertEqual(freeze.reason, "client_tests")
        self.assertEqual(
            (request.reminder_count, request.followup_cycle_start), (0, answer)
        )
        # Monday 10:00 + 1 business day (blocking): Tuesday 10:00.
        self.assertEqual(request.date_next_reminder, datetime(2026, 3, 17, 9, 0))
        self.assertEqual(request.date_last_client_message, answer)
        todo = request.activity_ids.filtered(
            lambda a: a.summary == "Read the client's answer"
        )
        self.assertEqual(todo.user_id, self.user)
        self.assertTrue(self._notes(request, "keeps waiting for the confirmation"))
        # A second answer restarts the cycle again; one to-do is enough.
        self._client_says(request, datetime(2026, 3, 16, 14, 0), "And now?")
        self.assertEqual(request.followup_cycle_start, datetime(2026, 3, 16, 14, 0))
        self.assertEqual(len(request.activity_ids), 1)

    def test_answer_for_the_other_reasons_hands_back_to_the_desk(self):
        for reason in ("client_info", "site_access", "prerequisite"):
            with self.subTest(reason=reason):
                request = self._waiting_request(reason=reason)
                self._client_says(request, datetime(2026, 3, 13, 9, 0))
                self.assertEqual(request.state, "qualified")
                self.assertFalse(request.freeze_ids.filtered("is_open"))
                self.assertFalse(request.activity_ids)

    def test_answer_from_a_stranger_changes_nothing(self):
        """Only the requester or a contact of the request's client speaks for
        the client: another client's contact or an unknown person is logged
        for the desk, and the request neither resumes nor reopens."""
        other_client = self.env["res.partner"].create(
            {"name": "Other Client", "is_company": True}
        )
        stranger = self._create_contact(other_client, "Mallory Other")
        nobody = self.env["res.partner"].create({"name": "Eve Nobody"})
        colleague = self._create_contact(self.client, "Bob Colleague")
        waiting = self._waiting_request(reason="client_info")
        resolved = self._resolved_request()
        for author in (stranger, nobody):
            for request, state in ((waiting, "waiting"), (resolved, "resolved")):
                with self.subTest(author=author.name, state=state):
                    with freeze_time("2026-03-13 09:00:00"):
                        message = request.message_post(
                            body="Please reopen.",
                            author_id=author.id,
                            message_type="comment",
                            subtype_xmlid="mail.mt_comment",
                        )
                    self.assertIn(message, request.message_ids)
                    self.assertEqual(request.state, state)
                    self.assertFalse(request.date_last_client_message)
                    note = self._notes(request, "was not taken as the client")
                    self.assertIn(author.name, note[:1].body)
        self.assertEqual(waiting.followup_cycle_start, WAIT_START)
        self.assertTrue(waiting.freeze_ids.filtered("is_open"))
        # A colleague of the requester at the client does speak for it.
        self._client_says(resolved, datetime(2026, 3, 13, 10, 0))
        with freeze_time("2026-03-13 10:00:00"):
            waiting.message_post(
                body="Here is the log.",
                author_id=colleague.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(waiting.state, "qualified")
        self.assertEqual(resolved.state, "reopened")

    # ------------------------------------------------------------------
    # Automatic closures (F1, F2)
    # ------------------------------------------------------------------
    def test_auto_close_one_business_day_after_the_third_reminder(self):
        request = self._waiting_request()
        dates, auto_close = SCHEDULE["blocking"]
        for due in dates:
            self._run_cron("reminders", due)
        self._run_cron("auto_close", auto_close - timedelta(minutes=1))
        self.assertEqual(request.state, "waiting")
        self._run_cron("auto_close", auto_close)
        self.assertEqual(request.state, "closed")
        self.assertEqual(request.date_closed, auto_close)
        self.assertFalse(request.freeze_ids.filtered("is_open"))
        self.assertFalse(request.date_auto_close)
        notice = self._messages(request, "closed without an answer")
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.partner_ids, self.contact)
        self.assertIn("three reminders", notice.body)
        self.assertIn(request.name, notice.body)

    def test_answer_after_the_third_reminder_cancels_the_closure(self):
        request = self._waiting_request()
        dates, auto_close = SCHEDULE["blocking"]
        for due in dates:
            self._run_cron("reminders", due)
        self._client_says(request, auto_close - timedelta(hours=2))
        self.assertFalse(request.date_auto_close)
        self._run_cron("auto_close", auto_close)
        self.assertEqual(request.state, "qualified")

    def test_resolution_notice_with_the_reopen_window(self):
        request = self._resolved_request()
        notice = self._messages(request, "Your request is resolved")
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.partner_ids, self.contact)
        self.assertIn(request.name, notice.subject)
        self.assertIn(request.name, notice.body)
        self.assertIn("<strong>5</strong> days", notice.body)
        self.assertIn("reopen", notice.body)
        self.assertIn("closed for good", notice.body)

    def test_resolved_closed_for_good_after_the_window(self):
        request = self._resolved_request()
        deadline = datetime(2026, 3, 15, 9, 0)  # resolved + 5 days
        self._run_cron("close_resolved", deadline - timedelta(minutes=1))
        self.assertEqual(request.state, "resolved")
        self._run_cron("close_resolved", deadline)
        self.assertEqual(request.state, "closed")
        self.assertTrue(self._notes(request, "closed for good"))
        self.assertFalse(self._messages(request, "closed without an answer"))

    def test_reopen_window_follows_the_company_setting(self):
        request = self._resolved_request()
        self.assertEqual(request.date_reopen_deadline, datetime(2026, 3, 15, 9, 0))
        self.company.intervention_reopen_days = 8
        self.assertEqual(request.date_reopen_deadline, datetime(2026, 3, 18, 9, 0))
        self._run_cron("close_resolved", datetime(2026, 3, 16, 9, 0))
        self.assertEqual(request.state, "resolved")

    # ------------------------------------------------------------------
    # Daily digest (F3)
    # ------------------------------------------------------------------
    def _digest_mails(self):
        return self.env["mail.mail"].search(
            [("subject", "ilike", "awaiting our answer")], order="id"
        )

    def test_digest_lists_the_requests_awaiting_our_answer(self):
        with freeze_time(RECEIVED):
            new = self._create_request(summary="Printer jam", date_received=RECEIVED)
        client_wrote = self._qualified_request()
        self._client_says(client_wrote, datetime(2026, 3, 10, 10, 0))
        answered = self._qualified_request()
        self._client_says(answered, datetime(2026, 3, 10, 10, 0))
        self._staff_says(answered, datetime(2026, 3, 10, 11, 0))
        with freeze_time(RECEIVED):
            cancelled = self._create_request(date_received=RECEIVED)
            cancelled.action_cancel("withdrawn")
        self._run_cron("digest", datetime(2026, 3, 11, 6, 0))
        digest = self._digest_mails()
        self.assertEqual(len(digest), 1)
        self.assertIn(new.name, digest.body_html)
        self.assertIn(client_wrote.name, digest.body_html)
        self.assertIn(self.client.name, digest.body_html)
        self.assertIn(
            f"/mail/view?model=intervention.request&amp;res_id={new.id}",
            digest.body_html,
        )
        self.assertNotIn(answered.name, digest.body_html)
        self.assertNotIn(cancelled.name, digest.body_html)
        # No duty desk address: the support managers.
        self.assertIn(self.manager.partner_id, digest.recipient_ids)
        self.assertNotIn(self.user.partner_id, digest.recipient_ids)
        self.assertFalse(digest.email_to)

    def test_digest_to_the_duty_desk_once_a_day(self):
        self.company.intervention_duty_desk_email = "desk@example.com"
        with freeze_time(RECEIVED):
            self._create_request(date_received=RECEIVED)
        self._run_cron("digest", datetime(2026, 3, 11, 6, 0))
        self._run_cron("digest", datetime(2026, 3, 11, 9, 0))
        digest = self._digest_mails()
        self.assertEqual(len(digest), 1, "one digest per day")
        self.assertEqual(digest.email_to, "desk@example.com")
        self.assertFalse(digest.recipient_ids)
        self._run_cron("digest", datetime(2026, 3, 12, 6, 0))
        self.assertEqual(len(self._digest_mails()), 2)

    def test_no_digest_when_nothing_awaits(self):
        request = self._qualified_request()
        self._run_cron("digest", datetime(2026, 3, 11, 6, 0))
        self.assertFalse(request.awaiting_answer)
        self.assertFalse(self._digest_mails())

    # ------------------------------------------------------------------
    # Safety of the scheduled actions (D4-style)
    # ------------------------------------------------------------------
    def test_running_twice_sends_one_reminder(self):
        request = self._waiting_request()
        due = SCHEDULE["blocking"][0][0]
        self._run_cron("reminders", due)
        self._run_cron("reminders", due)
        self._run_cron("reminders", due + timedelta(hours=1))
        self.assertEqual(len(self._reminders(request)), 1)
        self.assertEqual(request.reminder_count, 1)

    def test_rows_locked_by_another_worker_are_skipped(self):
        """A real second worker cannot be simulated here: test data is not
        committed, so another connection cannot see, let alone lock, it.
        The lock is emulated: ``try_lock_for_update`` behaves as if another
        worker held one row (FOR UPDATE SKIP LOCKED leaves it out)."""
        held, free = self._waiting_request(), self._waiting_request()
        Request = type(self.env["intervention.request"])
        lock = Request.try_lock_for_update

        def lock_but_held(records, **kwargs):
            return lock(records.browse(set(records.ids) - {held.id}), **kwargs)

        due = SCHEDULE["blocking"][0][0]
        with patch.object(Request, "try_lock_for_update", lock_but_held):
            self._run_cron("reminders", due)
        self.assertEqual((held.reminder_count, free.reminder_count), (0, 1))
        self.assertFalse(self._reminders(held))
        # Once the other worker is gone (it did not send it), the row is done.
        self._run_cron("reminders", due + timedelta(minutes=15))
        self.assertEqual(len(self._reminders(held)), 1)
        self.assertEqual(len(self._reminders(free)), 1)

    def test_rows_done_by_another_worker_meanwhile_are_not_sent_again(self):
        """Between the search and the lock, another worker sent the reminder
        and committed: the re-check on the locked rows skips it."""
        request = self._waiting_request()
        dates = SCHEDULE["blocking"][0]
        Request = type(self.env["intervention.request"])
        lock = Request.try_lock_for_update

        def lock_after_other_worker(records, **kwargs):
            records.env.cr.execute(
                "UPDATE intervention_request SET reminder_count = 1, "
                "date_last_reminder = %s, date_next_reminder = %s WHERE id = %s",
                [dates[0], dates[1], request.id],
            )
            return lock(records, **kwargs)

        with patch.object(Request, "try_lock_for_update", lock_after_other_worker):
            self._run_cron("reminders", dates[0])
        self.assertFalse(self._reminders(request))
        self.assertEqual(request.reminder_count, 1)

    def test_a_failing_request_does_not_block_the_others(self):
        first, broken, last = (self._waiting_request() for _index in range(3))
        Request = type(self.env["intervention.request"])
        send = Request._send_followup_reminder

        def send_or_fail(request, now):
            send(request, now)  # marked, then rolled back with the failure
            if request.id == broken.id:
                raise ConnectionError("SMTP server unreachable")

        due = SCHEDULE["blocking"][0][0]
        with (
            patch.object(
                Request,
                "_send_followup_reminder",
                autospec=True,
                side_effect=send_or_fail,
            ),
            self.assertLogs(CRON_LOGGER, "ERROR") as logs,
        ):
            self._run_cron("reminders", due)
        self.assertIn(broken.name, logs.output[0])
        self.assertIn("SMTP server unreachable", logs.output[0])
        self.assertEqual(
            [first.reminder_count, broken.reminder_count, last.reminder_count],
            [1, 0, 1],
        )
        self.assertFalse(self._reminders(broken))
        failure = self.env["intervention.cron.failure"].search(
            [("res_model", "=", broken._name), ("res_id", "=", broken.id)]
        )
        self.assertEqual(failure.date_retry, due + timedelta(minutes=15))
        # Retried after the delay, not before; the others are not sent twice.
        self._run_cron("reminders", due + timedelta(minutes=10))
        self.assertEqual(broken.reminder_count, 0)
        self._run_cron("reminders", due + timedelta(minutes=15))
        self.assertEqual(broken.reminder_count, 1)
        self.assertFalse(failure.exists())
        self.assertEqual(len(self._reminders(broken)), 1)
        self.assertEqual(len(self._reminders(first)), 1)
        self.assertEqual(len(self._reminders(last)), 1)
