from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestRouting(InterventionCommon):
    def setUp(self):
        super().setUp()
        self.request = self._create_request(domain_id=self.domain_workstation.id)
        self.request.action_receive()

    def test_level_follows_domain_at_creation(self):
        self.assertEqual(self.request.support_level, "n1")
        server_request = self._create_request(domain_id=self.domain_servers.id)
        self.assertEqual(server_request.support_level, "n2")

    def test_escalation_records_reason(self):
        self.request.with_user(self.user)._route(
            "escalation", "Needs a system engineer", level="n2", user=self.manager
        )
        self.assertEqual(self.request.support_level, "n2")
        self.assertEqual(self.request.user_id, self.manager)
        step = self.request.routing_ids
        self.assertEqual(len(step), 1)
        self.assertEqual(
            (step.kind, step.from_level, step.to_level, step.reason, step.user_id),
            ("escalation", "n1", "n2", "Needs a system engineer", self.user),
        )
        self.assertEqual(step.to_user_id, self.manager)

    def test_escalation_only_upwards(self):
        self.request._route("escalation", "Complex", level="n3")
        for level in ("n1", "n2", "n3"):
            with self.subTest(level=level), self.assertRaisesRegex(UserError, "higher"):
                self.request._route("escalation", "Back down", level=level)
        self.assertEqual(self.request.support_level, "n3")

    def test_transfer_to_another_domain(self):
        self.request._route(
            "transfer", "It is the server, not the PC", domain=self.domain_servers
        )
        self.assertEqual(self.request.domain_id, self.domain_servers)
        self.assertEqual(
            self.request.routing_ids.from_domain_id, self.domain_workstation
        )
        with self.assertRaisesRegex(UserError, "another domain"):
            self.request._route("transfer", "Again", domain=self.domain_servers)

    def test_reason_required(self):
        for reason in ("", "   ", None):
            with (
                self.subTest(reason=reason),
                self.assertRaisesRegex(UserError, "reason"),
            ):
                self.request._route("escalation", reason, level="n2")
        self.assertFalse(self.request.routing_ids)

    def test_assignment_needs_user(self):
        with self.assertRaisesRegex(UserError, "assign"):
            self.request._route("assignment", "Holiday cover")
        self.request._route("assignment", "Holiday cover", user=self.technician)
        self.assertEqual(self.request.user_id, self.technician)

    def test_finished_request_cannot_be_routed(self):
        self.request.action_cancel("duplicate")
        with self.assertRaisesRegex(UserError, "finished"):
            self.request._route("escalation", "Late", level="n2")

    def test_route_wizard(self):
        wizard = (
            self.env["intervention.request.route.wizard"]
            .with_context(
                active_model="intervention.request", active_ids=self.request.ids
            )
            .create(
                {"kind": "escalation", "support_level": "n3", "reason": "Vendor bug"}
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.request.support_level, "n3")
        self.assertEqual(self.request.routing_ids.reason, "Vendor bug")

    def test_cancel_wizard_chooses_reject_or_cancel(self):
        wizard_model = self.env["intervention.request.cancel.wizard"].with_context(
            active_model="intervention.request", active_ids=self.request.ids
        )
        wizard_model.create(
            {"reason": "out_of_scope", "note": "Printer"}
        ).action_confirm()
        self.assertEqual(self.request.state, "rejected")
        other = self._create_request()
        wizard_model.with_context(active_ids=other.ids).create(
            {"reason": "withdrawn"}
        ).action_confirm()
        self.assertEqual(other.state, "cancelled")
