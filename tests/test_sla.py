from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TUESDAY_10H, InterventionCommon


@tagged("post_install", "-at_install")
class TestSla(InterventionCommon):
    """Deadlines and statuses of the SLA targets (C1-C4, F4) on the contract's
    Mon-Fri 9-18 calendar, with the seed 003 policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["intervention.sla.policy"].create(
            {
                "name": "Seed 003",
                "line_ids": [
                    *cls._seed_003_lines(),
                    cls._policy_line("take_in_charge", 2, "days", severity="minor"),
                    cls._policy_line("workaround", 0, "none", severity="minor"),
                    cls._policy_line(
                        "resolution",
                        0,
                        "none",
                        severity="minor",
                        note="Next minor release",
                    ),
                    cls._policy_line("onsite", 4, "hours"),
                ],
            }
        )
        cls.contract.sla_policy_id = cls.policy

    def _target(self, request, target_type):
        return request.sla_ids.filtered(lambda t: t.target_type == target_type)

    def _run_cron(self, when):
        """Run the status cron as a worker would, at ``when``."""
        cron = self.env.ref("intervention_request.ir_cron_sla_statuses")
        with freeze_time(when), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------
    def test_deadlines_from_reception(self):
        """Major: 3 business hours, 72 business hours, 8 business days."""
        request = self._received_request()
        self.assertEqual(
            self._target(request, "take_in_charge").deadline,
            datetime(2026, 3, 10, 12, 0),
        )
        # 72 h of 9 h days: Tue 10-18 (8 h), 7 full days (63 h), Fri 20 9-10.
        self.assertEqual(
            self._target(request, "workaround").deadline, datetime(2026, 3, 20, 9, 0)
        )
        # Same instant 8 working days later.
        self.assertEqual(
            self._target(request, "resolution").deadline, datetime(2026, 3, 20, 9, 0)
        )
        self.assertEqual(request.sla_status, "running")
        self.assertEqual(request.sla_deadline, datetime(2026, 3, 10, 12, 0))
        self.assertFalse(
            self._target(request, "onsite"), "no on-site target before assignment"
        )

    def test_most_specific_line_applies(self):
        urgent_blocking = self.env["intervention.sla.policy.line"].create(
            {
                "policy_id": self.policy.id,
                "target_type": "take_in_charge",
                "severity": "blocking",
                "priority": "3",
                "duration": 1,
                "unit": "hours",
            }
        )
        generic = self.env["intervention.sla.policy.line"].create(
            {
                "policy_id": self.policy.id,
                "target_type": "take_in_charge",
                "duration": 9,
                "unit": "hours",
            }
        )
        policy = self.policy
        self.assertEqual(
            policy._find_line("take_in_charge", "blocking", "3"), urgent_blocking
        )
        self.assertEqual(
            policy._find_line("take_in_charge", "blocking", "1").duration, 3
        )
        self.assertEqual(policy._find_line("take_in_charge", "major", "0").duration, 3)
        self.assertEqual(generic.duration, 9)
        self.policy.line_ids.filtered(lambda l: l.severity == "major").unlink()
        self.assertEqual(policy._find_line("take_in_charge", "major", "0"), generic)

    def test_no_target_and_note(self):
        request = self._received_request(severity="minor")
        resolution = self._target(request, "resolution")
        self.assertEqual(resolution.status, "no_target")
        self.assertFalse(resolution.deadline)
        self.assertEqual(resolution.note, "Next minor release")
        # Minor take in charge: 2 business days, Tue 10:00 -> Thu 10:00.
        self.assertEqual(
            self._target(request, "take_in_charge").deadline,
            datetime(2026, 3, 12, 9, 0),
        )

    def test_change_request_carries_no_sla(self):
        request = self._received_request(kind="change")
        self.assertFalse(request.sla_ids)
        self.assertFalse(request.sla_status)

    def test_company_default_policy(self):
        self.contract.sla_policy_id = False
        self.company.intervention_sla_policy_id = self.policy
        request = self._received_request()
        self.assertEqual(request.sla_policy_id, self.policy)
        self.assertEqual(len(request.sla_ids), 3)
        self.company.intervention_sla_policy_id = False

    def test_no_policy_no_targets(self):
        self.contract.sla_policy_id = False
        request = self._received_request()
        self.assertFalse(request.sla_ids)

    # ------------------------------------------------------------------
    # Recomputation
    # ------------------------------------------------------------------
    def test_severity_and_priority_changes_recompute(self):
        request = self._received_request()
        with freeze_time("2026-03-10 09:30:00"):
            request.severity = "blocking"
        # Blocking resolution: 5 business days from Tue 10:00 -> Tue 17 10:00.
        self.assertEqual(
            self._target(request, "resolution").deadline, datetime(2026, 3, 17, 9, 0)
        )
        # Blocking workaround: 24 h = Tue 10-18 (8 h), Wed (9 h), Thu 9-16.
        self.assertEqual(
            self._target(request, "workaround").deadline, datetime(2026, 3, 12, 15, 0)
        )
        priority_line = self.env["intervention.sla.policy.line"].create(
            {
                "policy_id": self.policy.id,
                "target_type": "take_in_charge",
                "severity": "blocking",
                "priority": "3",
                "duration": 1,
                "unit": "hours",
            }
        )
        request.priority = "3"
        take = self._target(request, "take_in_charge")
        self.assertEqual(take.policy_line_id, priority_line)
        self.assertEqual(take.deadline, datetime(2026, 3, 10, 10, 0))

    def test_policy_line_change_recomputes_open_requests(self):
        request = self._received_request()
        line = self.policy.line_ids.filtered(
            lambda l: l.target_type == "take_in_charge" and l.severity == "major"
        )
        line.duration = 5
        self.assertEqual(
            self._target(request, "take_in_charge").deadline,
            datetime(2026, 3, 10, 14, 0),
        )

    def test_contract_change_recomputes(self):
        other_policy = self.env["intervention.sla.policy"].create(
            {
                "name": "Fast",
                "line_ids": [self._policy_line("take_in_charge", 1, "hours")],
            }
        )
        second = self._create_contract(self.client, sla_policy_id=other_policy.id)
        request = self._received_request()
        request.contract_id = second
        self.assertEqual(request.sla_policy_id, other_policy)
        self.assertEqual(len(request.sla_ids), 1)
        self.assertEqual(request.sla_ids.deadline, datetime(2026, 3, 10, 10, 0))

    def test_public_holiday_moves_deadlines(self):
        request = self._received_request()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": False,
                "date_from": datetime(2026, 3, 11, 23, 0),
                "date_to": datetime(2026, 3, 12, 23, 0),
            }
        )
        self._apply_holiday_changes()
        # Thursday 12 off: both long targets move by one working day.
        self.assertEqual(
            self._target(request, "workaround").deadline, datetime(2026, 3, 23, 9, 0)
        )
        self.assertEqual(
            self._target(request, "resolution").deadline, datetime(2026, 3, 23, 9, 0)
        )
        self.assertEqual(
            self._target(request, "take_in_charge").deadline,
            datetime(2026, 3, 10, 12, 0),
        )

    # ------------------------------------------------------------------
    # Freezes
    # ------------------------------------------------------------------
    def test_waiting_pauses_and_pushes_deadlines(self):
        request = self._received_request()
        with freeze_time("2026-03-10 09:30:00"):
            request.action_receive()
            request.action_qualify()
        with freeze_time("2026-03-10 10:00:00"):
            request.action_wait("client_tests")
            self.assertEqual(self._target(request, "workaround").status, "paused")
            self.assertEqual(request.sla_status, "paused")
        # Frozen Tue 11:00 -> Wed 11:00 Paris: 9 business hours.
        with freeze_time("2026-03-11 10:00:00"):
            request.action_resume()
        self.assertEqual(
            self._target(request, "workaround").deadline, datetime(2026, 3, 23, 9, 0)
        )
        self.assertEqual(self._target(request, "workaround").status, "running")
        self.assertEqual(self._target(request, "take_in_charge").status, "met")

    def test_paused_target_not_breached_by_cron(self):
        request = self._received_request()
        request.action_receive()
        with freeze_time("2026-03-10 09:30:00"):
            request.action_wait("client_info")
        # Long after the take-in-charge deadline, still waiting on the client.
        self._run_cron(datetime(2026, 3, 10, 16, 0))
        take = self._target(request, "take_in_charge")
        self.assertEqual(take.status, "paused")
        self.assertGreater(take.deadline, datetime(2026, 3, 10, 16, 0))

    def test_received_out_of_hours_is_frozen_until_opening(self):
        """F4: Saturday 11:00 -> held until Monday 9:00; clocks start then."""
        saturday = datetime(2026, 3, 14, 10, 0)
        request = self._received_request(date_received=saturday)
        freeze = request.freeze_ids
        self.assertEqual(freeze.reason, "out_of_hours")
        self.assertEqual(
            (freeze.date_start, freeze.date_end),
            (saturday, datetime(2026, 3, 16, 8, 0)),
        )
        self.assertEqual(
            self._target(request, "take_in_charge").deadline,
            datetime(2026, 3, 16, 11, 0),
        )
        with freeze_time("2026-03-15 12:00:00"):
            self.assertTrue(request.is_frozen)
        request.date_received = TUESDAY_10H
        self.assertFalse(request.freeze_ids, "received in hours after correction")

    # ------------------------------------------------------------------
    # Statuses
    # ------------------------------------------------------------------
    def test_met_with_its_time(self):
        request = self._received_request()
        with freeze_time("2026-03-10 11:00:00"):
            request.action_receive()
            request.action_qualify()
        take = self._target(request, "take_in_charge")
        self.assertEqual(take.status, "met")
        self.assertEqual(take.date_reached, datetime(2026, 3, 10, 11, 0))
        self.assertAlmostEqual(take.business_hours_used, 2.0)

    def test_met_late_is_breached(self):
        request = self._received_request()
        request.action_receive()
        with freeze_time("2026-03-11 09:00:00"):
            request.action_qualify()
        take = self._target(request, "take_in_charge")
        self.assertEqual(take.status, "breached")
        # Tue 10:00-18:00 (8 h) + Wed 9:00-10:00 (1 h).
        self.assertAlmostEqual(take.business_hours_used, 9.0)

    def test_cron_moves_to_at_risk_then_breached(self):
        request = self._received_request()
        take = self._target(request, "take_in_charge")
        # 75 % of 3 h = 2 h 15 -> 12:15 Paris.
        self.assertEqual(take.date_at_risk, datetime(2026, 3, 10, 11, 15))
        self._run_cron(datetime(2026, 3, 10, 11, 0))
        self.assertEqual(take.status, "running")
        self._run_cron(datetime(2026, 3, 10, 11, 20))
        self.assertEqual(take.status, "at_risk")
        self.assertEqual(request.sla_status, "at_risk")
        self._run_cron(datetime(2026, 3, 10, 12, 1))
        self.assertEqual(take.status, "breached")
        self.assertEqual(request.sla_status, "breached")
        self._run_cron(datetime(2026, 3, 10, 12, 5))
        self.assertEqual(
            take.status, "breached", "running the cron again changes nothing"
        )

    def test_cron_only_touches_due_targets(self):
        due = self._received_request()
        later = self._received_request(date_received=datetime(2026, 3, 11, 9, 0))
        later_take = self._target(later, "take_in_charge")
        write_date = later_take.write_date
        self._run_cron(datetime(2026, 3, 10, 12, 30))
        self.assertEqual(self._target(due, "take_in_charge").status, "breached")
        self.assertEqual(later_take.status, "running")
        self.assertEqual(later_take.write_date, write_date)

    def test_remaining_business_time(self):
        request = self._received_request()
        with freeze_time("2026-03-10 10:30:00"):
            take = self._target(request, "take_in_charge")
            take.invalidate_recordset(["remaining_hours"])
            self.assertAlmostEqual(take.remaining_hours, 1.5)
        with freeze_time("2026-03-11 09:00:00"):
            take.invalidate_recordset(["remaining_hours"])
            # Deadline Tue 13:00; late Tue 13-18 (5 h) + Wed 9-10 (1 h).
            self.assertAlmostEqual(take.remaining_hours, -6.0)

    def test_cancelled_request_targets(self):
        request = self._received_request()
        request.action_cancel("withdrawn")
        self.assertEqual(set(request.sla_ids.mapped("status")), {"cancelled"})

    def test_reopened_resolution_runs_again(self):
        self.company.intervention_reopen_days = 5
        request = self._received_request()
        with freeze_time("2026-03-10 10:00:00"):
            request.action_receive()
            request.action_qualify()
            request.action_resolve()
        self.assertEqual(self._target(request, "resolution").status, "met")
        self.assertEqual(self._target(request, "workaround").status, "met")
        with freeze_time("2026-03-11 10:00:00"):
            request.action_reopen()
        self.assertEqual(self._target(request, "resolution").status, "running")
        self.assertFalse(self._target(request, "resolution").date_reached)

    def test_onsite_gti_starts_at_assignment(self):
        """The on-site GTI starts when a field technician is assigned (B3)."""
        request = self._send_on_site(
            self._received_request(), self.technician, "2026-03-10 13:00:00"
        )
        onsite = self._target(request, "onsite")
        self.assertEqual(onsite.date_start, datetime(2026, 3, 10, 13, 0))
        # 14:00 Paris + 4 business hours -> 18:00 Paris.
        self.assertEqual(onsite.deadline, datetime(2026, 3, 10, 17, 0))
        with freeze_time("2026-03-10 15:30:00"):
            request.action_onsite_arrival()
        self.assertEqual(onsite.status, "met")

    def test_onsite_gti_met_by_the_fix_on_site(self):
        request = self._send_on_site(
            self._received_request(), self.technician, "2026-03-10 13:00:00"
        )
        with freeze_time("2026-03-10 14:00:00"):
            request.action_resolve()
        onsite = self._target(request, "onsite")
        self.assertEqual(
            (onsite.status, onsite.date_reached), ("met", datetime(2026, 3, 10, 14, 0))
        )

    def test_rejected_request_summary(self):
        request = self._received_request(severity="minor")
        request.action_reject("out_of_scope")
        self.assertEqual(request.sla_status, "cancelled")

    def test_oncall_contract_counts_on_its_windows(self):
        """C2: an on-call contract counts on its own 7/7 calendar."""
        self.contract.write(
            {"coverage_type": "oncall", "coverage_calendar_id": self.calendar_oncall.id}
        )
        # Saturday 21:00 Paris: 1 h left in the 8-22 window, then Sunday 8:00.
        request = self._received_request(date_received=datetime(2026, 3, 14, 20, 0))
        self.assertFalse(request.freeze_ids)
        self.assertEqual(
            self._target(request, "take_in_charge").deadline,
            datetime(2026, 3, 15, 9, 0),
        )

    def test_targets_are_read_only_for_users(self):
        request = self._received_request()
        take = self._target(request, "take_in_charge").with_user(self.user)
        self.assertTrue(take.deadline)
        with self.assertRaises(AccessError):
            take.write({"deadline": datetime(2027, 1, 1)})
        # Users still move the clocks through the request.
        request.with_user(self.user).severity = "blocking"
        self.assertEqual(
            self._target(request, "resolution").deadline, datetime(2026, 3, 17, 9, 0)
        )
