from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import TUESDAY_10H, InterventionCommon


@tagged("post_install", "-at_install")
class TestSlaBadge(InterventionCommon):
    """The one SLA badge of a request on the kanban and the list: its next
    due target, that target's deadline and its status, across the request's
    states and frozen time (Mon-Fri 9-18 Paris; major: take in charge 3 h,
    workaround 72 h, resolution 8 days; blocking: 3 h, 24 h, 5 days)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["intervention.sla.policy"].create(
            {
                "name": "Badge policy",
                "line_ids": cls._seed_003_lines(),
            }
        )
        cls.contract.sla_policy_id = cls.policy

    def _run_cron(self, when):
        """Run the status cron as a worker would, at ``when``."""
        cron = self.env.ref("intervention_request.ir_cron_sla_statuses")
        with freeze_time(when), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def _badge(self, request):
        return (
            request.sla_next_target,
            request.sla_badge_status,
            request.sla_next_deadline,
        )

    def test_badge_follows_the_next_due_target(self):
        """Step by step through a major incident: each row is what the desk
        reads on the card at that moment."""
        request = self._received_request()
        steps = [
            # (UTC instant, what happens, expected badge)
            (
                "2026-03-10 10:00:00",
                None,
                ("take_in_charge", "on_time", datetime(2026, 3, 10, 12, 0)),
            ),
            # 75 % of 3 h used at 12:15 Paris.
            (
                "2026-03-10 11:20:00",
                None,
                ("take_in_charge", "at_risk", datetime(2026, 3, 10, 12, 0)),
            ),
            (
                "2026-03-10 12:30:00",
                None,
                ("take_in_charge", "breached", datetime(2026, 3, 10, 12, 0)),
            ),
            # Taken in charge late: that target is history; the workaround,
            # due in 72 business hours, is what matters now.
            (
                "2026-03-10 13:00:00",
                "qualify",
                ("workaround", "on_time", datetime(2026, 3, 20, 9, 0)),
            ),
            (
                "2026-03-10 14:00:00",
                "wait",
                ("workaround", "paused", datetime(2026, 3, 20, 9, 0)),
            ),
            # Waited Tue 15:00 -> Wed 15:00 Paris: 9 business hours later.
            (
                "2026-03-11 14:00:00",
                "resume",
                ("workaround", "on_time", datetime(2026, 3, 23, 9, 0)),
            ),
            ("2026-03-12 09:00:00", "resolve", (False, False, False)),
        ]
        actions = {
            "qualify": lambda: request.action_qualify(),
            "wait": lambda: request.action_wait("client_info"),
            "resume": lambda: request.action_resume(),
            "resolve": lambda: request.action_resolve(),
        }
        with freeze_time(TUESDAY_10H):
            request.action_receive()
        for when, action, expected in steps:
            if action:
                with freeze_time(when):
                    actions[action]()
            self._run_cron(when)
            self.assertEqual(self._badge(request), expected, f"at {when} ({action})")
        take = request.sla_ids.filtered(lambda t: t.target_type == "take_in_charge")
        self.assertEqual(take.status, "breached", "the late target stays on record")

    def test_met_target_is_not_the_request_status(self):
        """A blocking incident in progress whose take in charge was met shows
        its running workaround, never "Met"."""
        request = self._received_request(severity="blocking")
        with freeze_time("2026-03-10 09:30:00"):
            request.action_receive()
            request.action_qualify()
            request.action_start()
        self._run_cron(datetime(2026, 3, 10, 10, 0))
        self.assertEqual(request.sla_status, "running")
        self.assertEqual(
            self._badge(request),
            ("workaround", "on_time", datetime(2026, 3, 12, 15, 0)),
        )

    def test_overdue_target_comes_before_a_later_deadline(self):
        """Breached take in charge and a resolution due in 8 days: the badge
        shows the breach with its own deadline, not "due in 8 days"."""
        request = self._received_request()
        with freeze_time(TUESDAY_10H):
            request.action_receive()
        self._run_cron(datetime(2026, 3, 11, 9, 0))
        self.assertEqual(
            self._badge(request),
            ("take_in_charge", "breached", datetime(2026, 3, 10, 12, 0)),
        )
        with freeze_time("2026-03-11 09:00:00"):
            breached = self.env["intervention.request"].search(
                [("sla_badge_status", "=", "breached"), ("id", "=", request.id)]
            )
        self.assertEqual(breached, request, "the list filter finds it")

    def test_label_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["intervention_request"], ["fr_FR"], overwrite=True
        )
        request = self._received_request()
        with freeze_time(TUESDAY_10H):
            request.action_receive()
        self._run_cron(datetime(2026, 3, 10, 12, 30))
        english = request.with_context(lang="en_US", tz="Europe/Paris").sla_badge
        self.assertIn("Take in charge: Breached, due", english)
        self.assertIn("1:00", english, "the deadline in the reader's time zone")
        french = request.with_context(lang="fr_FR", tz="Europe/Paris").sla_badge
        self.assertEqual(french, "Prise en charge : Dépassé, échéance 10/03/2026 13:00")

    def test_not_covered_request_has_no_target_and_no_breach(self):
        """Received after the contract's end: not covered, so no contractual
        target and nothing breached, however late it gets."""
        request = self._received_request(date_received=datetime(2027, 1, 5, 9, 0))
        self.assertEqual(request.coverage_state, "not_covered")
        self.assertFalse(request.sla_ids)
        self._run_cron(datetime(2027, 1, 20, 9, 0))
        self.assertFalse(request.sla_badge_status)
        self.assertFalse(request.sla_badge)
        # Corrected to a date within the contract: covered, clocks start.
        with (
            freeze_time("2026-03-10 10:00:00"),
            Form(request.with_user(self.user)) as form,
        ):
            form.date_received = TUESDAY_10H
        self.assertEqual(request.coverage_state, "covered")
        self.assertEqual(
            self._badge(request),
            ("take_in_charge", "on_time", datetime(2026, 3, 10, 12, 0)),
        )

    def test_cancelled_request_shows_no_badge(self):
        request = self._received_request()
        request.action_receive()
        request.action_cancel("duplicate")
        self._run_cron(datetime(2026, 3, 12, 9, 0))
        self.assertFalse(request.sla_badge_status)
