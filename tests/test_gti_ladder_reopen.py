from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import convert_file

from .common import TUESDAY_10H, InterventionCommon
from .portal_common import InterventionPortalCommon


@tagged("post_install", "-at_install")
class TestDemoGtiLadder(InterventionCommon):
    """Seed 000 Art. 4.01: the demo ladder "with GTI" fires at the on-site
    GTI deadline, GTI + 2 h and GTI + 4 h (business hours)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        convert_file(
            cls.env,
            "intervention_request",
            "demo/intervention_escalation_demo.xml",
            {},
            mode="init",
        )
        cls.ladder = cls.env.ref("intervention_request.demo_ladder_gti")
        cls.policy = cls._create_policy("GTI 2 h", ("take_in_charge", 1), ("onsite", 2))
        cls.contract.write(
            {
                "has_gti": True,
                "sla_policy_id": cls.policy.id,
                "escalation_ladder_id": cls.ladder.id,
                "support_manager_id": cls.manager.id,
                "technical_director_id": cls.manager.id,
                "general_manager_id": cls.manager.id,
            }
        )

    def test_levels_count_from_the_onsite_gti(self):
        self.assertEqual(set(self.ladder.level_ids.mapped("target_type")), {"onsite"})
        with freeze_time(TUESDAY_10H):
            request = self._create_request(date_received=TUESDAY_10H)
            request.action_receive()
            request.action_qualify()
        self.assertFalse(
            request.escalation_ids, "nothing to escalate before the on-site GTI runs"
        )
        # Sent on site at 11:00 Paris: the GTI ends at 13:00 Paris.
        with freeze_time(TUESDAY_10H + timedelta(hours=1)):
            request.action_assign_onsite(self.technician)
        dues = request.escalation_ids.sorted("date_due").mapped("date_due")
        self.assertEqual(
            dues,
            [
                datetime(2026, 3, 10, 12, 0),  # at the GTI: 13:00 Paris
                datetime(2026, 3, 10, 14, 0),  # GTI + 2 h
                datetime(2026, 3, 10, 16, 0),  # GTI + 4 h
            ],
        )


@tagged("post_install", "-at_install")
class TestReopenAfterWindow(InterventionPortalCommon):
    """F2: a reopen refused after the window says the window has passed and
    that a new request is needed (portal and desk)."""

    def _post(self, route, **data):
        return self.url_open(
            f"/my/interventions/{self.request_a.id}/{route}",
            data={"csrf_token": Request.csrf_token(self), **data},
        )

    def test_portal_reopen_after_window_asks_for_a_new_request(self):
        self.authenticate("ir_portal_a", "ir_portal_a")
        self._resolve(self.request_a)
        self.request_a.with_context(intervention_history_import=True).write(
            {"date_resolved": fields.Datetime.now() - timedelta(days=6)}
        )
        response = self._post("reopen", reason="Back again")
        self.assertIn("has passed", response.text)
        self.assertIn("open a new request", response.text)
        self.assertEqual(self.request_a.state, "resolved")
        # Closed for good later: the same answer.
        self.request_a.action_close()
        response = self._post("reopen", reason="Back again")
        self.assertIn("open a new request", response.text)
        self.assertEqual(self.request_a.state, "closed")

    def test_desk_reopen_after_window_says_so(self):
        self._resolve(self.request_a)
        self.request_a.with_context(intervention_history_import=True).write(
            {"date_resolved": fields.Datetime.now() - timedelta(days=6)}
        )
        with self.assertRaisesRegex(UserError, "has passed.*open a new request"):
            self.request_a.with_user(self.desk_user).action_reopen()
