from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .oncall_common import OncallCommon

TUESDAY_19H = datetime(2026, 3, 10, 18, 0)  # Paris 19:00, technician week 1


@tagged("post_install", "-at_install")
class TestOncallAttempts(OncallCommon):
    """Attempts logged per call, summary with the result (E4), technician
    unreachable twice in a row in one shift (E3)."""

    def _attempt(self, call, result, when):
        with freeze_time(when):
            call._log_attempt(result)

    def test_each_attempt_is_logged_and_summary_says_not_reached(self):
        call = self._take_call(TUESDAY_19H)
        self._attempt(call, "voicemail", "2026-03-10 18:02:00")
        self.assertEqual(call.attempt_ids.result, "voicemail")
        self.assertEqual(call.attempt_ids.user_id, self.technician)
        self.assertEqual(call.attempt_ids.level, "1")
        self.assertEqual(call.state, "open")
        mail = self._summary_mails(call)
        self.assertEqual(len(mail), 1)
        self.assertIn("was not reached", mail.body_html)
        self.assertIn("Voicemail", mail.body_html)

    def test_reached_closes_call_and_summary_says_reached(self):
        call = self._take_call(TUESDAY_19H)
        self._attempt(call, "no_answer", "2026-03-10 18:02:00")
        self._attempt(call, "reached", "2026-03-10 18:10:00")
        self.assertTrue(call.is_reached)
        self.assertEqual(call.state, "done")
        self.assertFalse(call.date_next_escalation)
        mails = self._summary_mails(call)
        self.assertEqual(len(mails), 2)
        self.assertTrue(any("was reached" in m.body_html for m in mails))
        with self.assertRaises(UserError):
            call.action_log_no_answer()

    def test_unreachable_twice_in_a_row_alerts_regional_manager(self):
        first = self._take_call(TUESDAY_19H)
        self._attempt(first, "no_answer", "2026-03-10 18:02:00")
        self.assertEqual(first.escalation_level, "none")
        second = self._take_call(datetime(2026, 3, 10, 18, 20))
        self._attempt(second, "voicemail", "2026-03-10 18:21:00")
        self.assertEqual(second.escalation_level, "manager")
        self.assertEqual(second.callee_id, self.regional)
        self.assertIn(
            self.regional, second.activity_ids.user_id, "the manager has an activity"
        )
        self.assertEqual(first.escalation_level, "none")

    def test_reached_in_between_resets_the_streak(self):
        first = self._take_call(TUESDAY_19H)
        self._attempt(first, "no_answer", "2026-03-10 18:02:00")
        self._attempt(first, "reached", "2026-03-10 18:05:00")
        second = self._take_call(datetime(2026, 3, 10, 18, 20))
        self._attempt(second, "no_answer", "2026-03-10 18:21:00")
        self.assertEqual(second.escalation_level, "none")

    def test_streak_does_not_cross_on_call_periods(self):
        # Last attempt of week 1 on Sunday, next one in week 2 (another
        # shift, another technician): no alert.
        first = self._take_call(datetime(2026, 3, 15, 9, 0))
        self._attempt(first, "no_answer", "2026-03-15 09:01:00")
        second = self._take_call(datetime(2026, 3, 16, 18, 0))
        self.assertEqual(second.callee_id, self.technician_2)
        self._attempt(second, "no_answer", "2026-03-16 18:01:00")
        self.assertEqual(second.escalation_level, "none")

    def test_threshold_is_configurable(self):
        self.agency.unreachable_threshold = 3
        call = self._take_call(TUESDAY_19H)
        self._attempt(call, "no_answer", "2026-03-10 18:01:00")
        self._attempt(call, "no_answer", "2026-03-10 18:02:00")
        self.assertEqual(call.escalation_level, "none")
        self._attempt(call, "no_answer", "2026-03-10 18:03:00")
        self.assertEqual(call.escalation_level, "manager")


@tagged("post_install", "-at_install")
class TestOncallEscalationCron(OncallCommon):
    """D3: no answer from the technician -> on-call manager -> general
    management, by the scheduled action."""

    def _run_cron(self, when):
        cron = self.env.ref("intervention_request.ir_cron_oncall_escalation")
        with freeze_time(when), self.enter_registry_test_mode():
            cron.method_direct_trigger()

    def test_unanswered_call_goes_to_manager_then_general_management(self):
        call = self._take_call(TUESDAY_19H)
        self.assertEqual(call.date_next_escalation, datetime(2026, 3, 10, 18, 30))
        self._run_cron("2026-03-10 18:29:00")
        self.assertEqual(call.escalation_level, "none")
        self._run_cron("2026-03-10 18:31:00")
        self.assertEqual(call.escalation_level, "manager")
        self.assertEqual(call.callee_id, self.regional)
        self.assertEqual(call.date_next_escalation, datetime(2026, 3, 10, 19, 1))
        self._run_cron("2026-03-10 19:02:00")
        self.assertEqual(call.escalation_level, "general")
        self.assertEqual(call.callee_id, self.direction)
        self.assertFalse(call.date_next_escalation)
        self.assertIn(self.direction, call.activity_ids.user_id)
        self._run_cron("2026-03-10 20:00:00")
        self.assertEqual(call.escalation_level, "general", "nothing above")

    def test_two_calls_escalated_at_once_make_one_message_for_the_manager(self):
        """Two calls due in the same run: each gets its note and an activity
        for the manager, who is told once, by a message listing both."""
        first = self._take_call(TUESDAY_19H)
        second = self._take_call(datetime(2026, 3, 10, 18, 5))
        Message = self.env["mail.message"]
        before = Message.search([]).ids
        self._run_cron("2026-03-10 18:40:00")
        for call in first | second:
            self.assertEqual(call.escalation_level, "manager")
            self.assertEqual(call.callee_id, self.regional)
            self.assertIn(self.regional, call.activity_ids.user_id)
            notes = [str(body) for body in call.message_ids.mapped("body")]
            self.assertTrue(
                any("Escalated to" in note for note in notes),
                "the call's chatter says it was escalated",
            )
        told = Message.search(
            [
                ("id", "not in", before),
                ("partner_ids", "in", self.regional.partner_id.ids),
            ]
        )
        self.assertEqual(len(told), 1, "one message for the manager, not one per call")
        self.assertEqual(told.subject, "2 after-hours calls unanswered")
        self.assertIn(first.name, told.body)
        self.assertIn(second.name, told.body)

    def test_escalation_note_shows_the_level_and_person_change(self):
        """The chatter of each escalated call shows, in its escalation
        note, the level and the person to call before and after; the
        manager's message listing the calls is e-mailed to them."""
        first = self._take_call(TUESDAY_19H)
        second = self._take_call(datetime(2026, 3, 10, 18, 5))
        self._run_cron("2026-03-10 18:40:00")
        for call in first | second:
            changes = call.message_ids.sudo().tracking_value_ids.filtered(
                lambda t: t.field_id.name == "escalation_level"
            )
            self.assertEqual(len(changes), 1, "the level change is shown once")
            self.assertEqual(
                (changes.old_value_char, changes.new_value_char),
                ("None", "On-call manager"),
            )
            self.assertIn("Escalated to", str(changes.mail_message_id.body))
            callee = changes.mail_message_id.sudo().tracking_value_ids.filtered(
                lambda t: t.field_id.name == "callee_id"
            )
            self.assertEqual(
                (callee.old_value_char, callee.new_value_char),
                (self.technician.name, self.regional.name),
            )
        mail = self.env["mail.mail"].search(
            [("subject", "=", "2 after-hours calls unanswered")]
        )
        self.assertEqual(mail.recipient_ids, self.regional.partner_id)
        self.assertIn(first.name, mail.body_html)

    def test_reached_call_is_not_escalated(self):
        call = self._take_call(TUESDAY_19H)
        with freeze_time("2026-03-10 18:05:00"):
            call.action_log_reached()
        self._run_cron("2026-03-10 19:00:00")
        self.assertEqual(call.escalation_level, "none")

    def test_next_morning_call_escalates_from_its_due_time(self):
        call = self._take_call(datetime(2026, 3, 13, 20, 30))  # Friday 21:30
        self._run_cron("2026-03-13 21:30:00")
        self.assertEqual(call.escalation_level, "none")
        self._run_cron("2026-03-14 07:31:00")  # Saturday 8:31 Paris
        self.assertEqual(call.escalation_level, "manager")

    def test_manager_answer_stops_escalation(self):
        call = self._take_call(TUESDAY_19H)
        self._run_cron("2026-03-10 18:31:00")
        with freeze_time("2026-03-10 18:35:00"):
            call.action_log_reached()
        self.assertEqual(call.attempt_ids.level, "2")
        self._run_cron("2026-03-10 19:30:00")
        self.assertEqual(call.escalation_level, "manager")
