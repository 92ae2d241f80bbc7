from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.intervention_request_escalation import InterventionRequestEscalation
from .common import InterventionCommon

MODEL = "odoo.addons.intervention_request.models.intervention_request_escalation"
CRON_LOGGER = "odoo.addons.intervention_request.models.intervention_cron_failure"


@tagged("post_install", "-at_install")
class TestEscalation(InterventionCommon):
    """Ladders of seed 000 Art. 4 on a Mon-Fri 9-18 calendar: with GTI at the
    take-in-charge deadline, +2 h and +4 h; without GTI, +2, +3 and +5
    business days after the resolution deadline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = cls._user("ir_director", "Technical Director")
        cls.ceo = cls._user("ir_ceo", "General Manager")
        cls.policy = cls._create_policy(
            "3 h / 8 days", ("take_in_charge", 3), ("resolution", 8, "days")
        )
        cls.ladder = cls.env["intervention.escalation.ladder"].create(
            {
                "name": "With GTI",
                "level_ids": [
                    cls._level(
                        1, "Level 1", 0, "support_manager", email_to="esc1@example.com"
                    ),
                    cls._level(2, "Level 2", 2, "technical_director"),
                    cls._level(3, "Level 3", 4, "general_manager"),
                ],
            }
        )
        cls.contract.write(
            {
                "sla_policy_id": cls.policy.id,
                "escalation_ladder_id": cls.ladder.id,
                "support_manager_id": cls.manager.id,
                "technical_director_id": cls.director.id,
                "general_manager_id": cls.ceo.id,
            }
        )
        cls.cron = cls.env.ref("intervention_request.ir_cron_escalations")

    @classmethod
    def _user(cls, login, name):
        from odoo.tests import new_test_user

        return new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="intervention_request.group_intervention_user",
        )

    @classmethod
    def _level(
        cls,
        sequence,
        name,
        offset,
        role,
        unit="business_hours",
        target="take_in_charge",
        **values,
    ):
        return (
            0,
            0,
            {
                "sequence": sequence,
                "name": name,
                "offset": offset,
                "offset_unit": unit,
                "target_type": target,
                "recipient_role": role,
                **values,
            },
        )

    def _run_cron(self, when):
        with freeze_time(when), self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def _rows(self, request):
        return {row.level_id.name: row for row in request.escalation_ids}

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------
    def test_levels_planned_from_the_deadline(self):
        request = self._received_request()
        rows = self._rows(request)
        # Take in charge due Tue 13:00 Paris (12:00 UTC); +2 h -> 15:00; +4 h -> 17:00.
        self.assertEqual(rows["Level 1"].date_due, datetime(2026, 3, 10, 12, 0))
        self.assertEqual(rows["Level 2"].date_due, datetime(2026, 3, 10, 14, 0))
        self.assertEqual(rows["Level 3"].date_due, datetime(2026, 3, 10, 16, 0))
        self.assertEqual(set(request.escalation_ids.mapped("state")), {"pending"})

    def test_business_hours_offset_crosses_the_night(self):
        # Received Tue 16:00 Paris: deadline Wed 10:00, +4 h -> Wed 14:00 Paris.
        request = self._received_request(date_received=datetime(2026, 3, 10, 15, 0))
        self.assertEqual(
            self._rows(request)["Level 3"].date_due, datetime(2026, 3, 11, 13, 0)
        )

    def test_calendar_offset_moves_to_next_opening(self):
        """A business-hours ladder fires only in business hours."""
        self.ladder.level_ids = [
            self._level(4, "Level 4", 6, "general_manager", unit="hours")
        ]
        request = self._received_request()
        # 13:00 + 6 h = 19:00 Paris, closed: Wednesday 9:00 Paris.
        self.assertEqual(
            self._rows(request)["Level 4"].date_due, datetime(2026, 3, 11, 8, 0)
        )
        self.ladder.business_hours_only = False
        self.assertEqual(
            self._rows(request)["Level 4"].date_due, datetime(2026, 3, 10, 18, 0)
        )

    def test_business_days_ladder(self):
        ladder = self.env["intervention.escalation.ladder"].create(
            {
                "name": "Without GTI",
                "level_ids": [
                    self._level(
                        1, "D+2", 2, "support_manager", "business_days", "resolution"
                    ),
                    self._level(
                        2, "D+3", 3, "technical_director", "business_days", "resolution"
                    ),
                    self._level(
                        3, "D+5", 5, "general_manager", "business_days", "resolution"
                    ),
                ],
            }
        )
        self.contract.escalation_ladder_id = ladder
        request = self._received_request()
        rows = self._rows(request)
        # Resolution: Tue 10 + 8 working days = Fri 20 10:00 Paris.
        self.assertEqual(rows["D+2"].date_due, datetime(2026, 3, 24, 9, 0))
        self.assertEqual(rows["D+3"].date_due, datetime(2026, 3, 25, 9, 0))
        self.assertEqual(rows["D+5"].date_due, datetime(2026, 3, 27, 9, 0))

    def test_freeze_moves_the_levels(self):
        request = self._received_request()
        request.action_receive()
        with freeze_time("2026-03-10 10:00:00"):
            request.action_wait("client_info")
        with freeze_time("2026-03-10 11:00:00"):
            request.action_resume()
        # One business hour frozen: everything an hour later.
        self.assertEqual(
            self._rows(request)["Level 1"].date_due, datetime(2026, 3, 10, 13, 0)
        )

    def test_reached_target_needs_no_escalation(self):
        request = self._received_request()
        with freeze_time("2026-03-10 11:00:00"):
            request.action_receive()
            request.action_qualify()
        self.assertEqual(set(request.escalation_ids.mapped("state")), {"cancelled"})
        self._run_cron(datetime(2026, 3, 10, 17, 0))
        self.assertFalse(request.activity_ids)

    # ------------------------------------------------------------------
    # Firing
    # ------------------------------------------------------------------
    def test_each_level_fires_at_its_time(self):
        request = self._received_request()
        request.action_receive()
        self._run_cron(datetime(2026, 3, 10, 11, 59))
        self.assertEqual(set(request.escalation_ids.mapped("state")), {"pending"})
        self._run_cron(datetime(2026, 3, 10, 12, 1))
        rows = self._rows(request)
        self.assertEqual(rows["Level 1"].state, "fired")
        self.assertEqual(rows["Level 1"].date_fired, datetime(2026, 3, 10, 12, 1))
        self.assertEqual(rows["Level 1"].recipient_ids, self.manager)
        self.assertEqual(request.activity_ids.user_id, self.manager)
        self.assertEqual(rows["Level 2"].state, "pending")
        self._run_cron(datetime(2026, 3, 10, 14, 1))
        self.assertEqual(rows["Level 2"].recipient_ids, self.director)
        self._run_cron(datetime(2026, 3, 10, 16, 1))
        self.assertEqual(rows["Level 3"].recipient_ids, self.ceo)
        self.assertEqual(
            request.activity_ids.user_id, self.manager | self.director | self.ceo
        )
        notes = request.message_ids.filtered(lambda m: "Escalation" in (m.body or ""))
        self.assertEqual(len(notes.filtered(lambda m: "Notified" in m.body)), 3)

    def test_escalation_mail_to_the_extra_address(self):
        request = self._received_request()
        request.action_receive()
        self._run_cron(datetime(2026, 3, 10, 12, 1))
        mail = self.env["mail.mail"].search([("email_to", "=", "esc1@example.com")])
        self.assertEqual(len(mail), 1)
        self.assertIn(request.name, mail.subject)

    def test_never_twice(self):
        request = self._received_request()
        request.action_receive()
        self._run_cron(datetime(2026, 3, 10, 12, 1))
        self._run_cron(datetime(2026, 3, 10, 12, 2))
        self._run_cron(datetime(2026, 3, 10, 12, 3))
        self.assertEqual(len(request.activity_ids), 1)
        # Re-syncing the request does not plan a fired level again.
        request.priority = "3"
        self.assertEqual(
            len(request.escalation_ids.filtered(lambda r: r.level_id.sequence == 1)), 1
        )

    def test_due_out_of_hours_is_postponed(self):
        request = self._received_request()
        row = self._rows(request)["Level 1"]
        row.date_due = datetime(2026, 3, 10, 17, 30)  # 18:30 Paris, closed
        self._run_cron(datetime(2026, 3, 10, 17, 31))
        self.assertEqual(row.state, "pending")
        self.assertEqual(row.date_due, datetime(2026, 3, 11, 8, 0))

    def test_reopening_starts_a_new_cycle(self):
        self.company.intervention_reopen_days = 5
        ladder = self.env["intervention.escalation.ladder"].create(
            {
                "name": "Resolution",
                "level_ids": [
                    self._level(1, "R", 0, "support_manager", target="resolution")
                ],
            }
        )
        self.contract.escalation_ladder_id = ladder
        request = self._received_request()
        request.action_receive()
        self._run_cron(datetime(2026, 3, 20, 9, 1))
        self.assertEqual(request.escalation_ids.state, "fired")
        with freeze_time("2026-03-20 10:00:00"):
            request.action_qualify()
            request.action_resolve()
        with freeze_time("2026-03-21 10:00:00"):
            request.action_reopen()
        self.assertEqual(request.escalation_cycle, 1)
        self.assertEqual(
            sorted(request.escalation_ids.mapped(lambda r: (r.cycle, r.state))),
            [(0, "fired"), (1, "pending")],
        )

    @mute_logger(MODEL, CRON_LOGGER)
    def test_failure_is_isolated_and_retried(self):
        broken = self._received_request()
        healthy = self._received_request()
        original = InterventionRequestEscalation._fire

        def fire(row, now):
            if row.request_id == broken:
                raise RuntimeError("mail server down")
            return original(row, now)

        with patch.object(InterventionRequestEscalation, "_fire", fire):
            self._run_cron(datetime(2026, 3, 10, 12, 1))
        broken_row, healthy_row = (
            self._rows(broken)["Level 1"],
            self._rows(healthy)["Level 1"],
        )
        self.assertEqual(healthy_row.state, "fired")
        self.assertEqual(broken_row.state, "pending")
        failure = self.env["intervention.cron.failure"].search(
            [("res_model", "=", broken_row._name), ("res_id", "=", broken_row.id)]
        )
        self.assertEqual(failure.attempts, 1)
        self.assertEqual(failure.date_retry, datetime(2026, 3, 10, 12, 16))
        self.assertIn("mail server down", failure.last_error)
        self._run_cron(datetime(2026, 3, 10, 12, 10))
        self.assertEqual(broken_row.state, "pending", "not before its next try")
        self._run_cron(datetime(2026, 3, 10, 12, 20))
        self.assertEqual(broken_row.state, "fired")
        self.assertFalse(failure.exists(), "a success clears the failure")

    def test_rows_held_by_another_worker_are_skipped(self):
        """A second worker holds one row (try_lock_for_update skips it): this
        run fires the other, the held one fires on a later run, once."""
        first, second = self._received_request(), self._received_request()
        held = self._rows(second)["Level 1"]
        original = type(held).try_lock_for_update

        def lock(records, **kwargs):
            return original(records - held, **kwargs)

        with patch.object(type(held), "try_lock_for_update", lock):
            self._run_cron(datetime(2026, 3, 10, 12, 1))
        self.assertEqual(self._rows(first)["Level 1"].state, "fired")
        self.assertEqual(held.state, "pending")
        self._run_cron(datetime(2026, 3, 10, 12, 2))
        self.assertEqual(held.state, "fired")
        self.assertEqual(len(second.activity_ids), 1)

    def test_escalations_read_only_for_users(self):
        request = self._received_request()
        row = self._rows(request)["Level 1"].with_user(self.user)
        self.assertTrue(row.date_due)
        with self.assertRaises(AccessError):
            row.write({"state": "fired"})

    def test_level_needs_recipients(self):
        from odoo.exceptions import ValidationError

        with self.assertRaisesRegex(ValidationError, "notifies nobody"):
            self.ladder.level_ids = [
                (0, 0, {"name": "Nobody", "target_type": "resolution"})
            ]
