from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.http import Request
from odoo.tests import Form, new_test_user, tagged

from .portal_common import InterventionPortalCommon


@tagged("post_install", "-at_install")
class TestChangeRequestProcedure(InterventionPortalCommon):
    """Seed 002 step by step: the client asks for an evolution in the
    portal, the desk qualifies it on a product, it goes to the product
    owner and carries no SLA, days pass without any deadline or escalation,
    the owner answers. What the client and the desk see at each step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = new_test_user(
            cls.env,
            login="ir_grc_owner",
            groups="intervention_request.group_intervention_user",
            name="GRC Product Owner",
        )
        cls.product = cls.env["intervention.product"].create(
            {"name": "GRC", "owner_id": cls.owner.id}
        )
        cls.component = cls.env["intervention.component"].create(
            {"name": "Module congés", "product_id": cls.product.id}
        )

    def _client_page(self, request):
        return self.url_open(request.access_url).text

    def test_change_request_from_portal_to_product_owner_without_sla(self):
        start = datetime.now().replace(microsecond=0) + timedelta(days=1)
        # -- Day 1, the client asks in the portal for an evolution.
        with freeze_time(start):
            self.authenticate("ir_portal_a", "ir_portal_a")
            before = self.env["intervention.request"].search([])
            response = self.url_open(
                "/my/interventions/submit",
                data={
                    "csrf_token": Request.csrf_token(self),
                    **self._form(
                        kind="change",
                        summary="Export leave balances to payroll",
                        description="We would like a monthly export of the leave "
                        "balances for the payroll software.",
                    ),
                },
            )
            self.assertEqual(response.status_code, 200)
            request = self.env["intervention.request"].search([]) - before
            self.assertEqual(request.kind, "change")
            # The desk sees an unassigned change request, no SLA target.
            self.assertFalse(request.user_id)
            self.assertFalse(request.sla_ids)
            # The client sees it with no deadline promised.
            page = self._client_page(request)
            self.assertIn("Export leave balances to payroll", page)
            self.assertIn("No committed time applies to this request.", page)

        # -- Half an hour later, the desk qualifies it on the product: it
        # goes to the product owner.
        with freeze_time(start + timedelta(minutes=30)):
            form = Form(request.with_user(self.desk_user))
            form.product_id = self.product
            form.component_id = self.component
            form.save()
            self.assertEqual(request.user_id, self.owner)
            self.assertIn(self.owner.partner_id, request.message_partner_ids)
            activity = request.activity_ids.filtered(lambda a: a.user_id == self.owner)
            self.assertEqual(activity.summary, "Change request to study")
            self.assertIn("GRC Product Owner", request.message_ids[0].body)
            desk = request.with_user(self.desk_user)
            desk.action_receive()
            desk.action_qualify()
            self.assertEqual(request.state, "qualified")
            self.assertEqual(request.user_id, self.owner, "the desk keeps the owner")
            self.assertFalse(request.sla_ids)
            page = self._client_page(request)
            self.assertIn("GRC Product Owner", page)
            self.assertIn("No committed time applies to this request.", page)

        # -- Ten days later nothing is overdue: no target, no escalation, and
        # the client is not offered to escalate.
        with freeze_time(start + timedelta(days=10)):
            request.invalidate_recordset()
            self.assertFalse(request.sla_ids)
            self.assertFalse(request.escalation_ids)
            page = self._client_page(request)
            self.assertNotIn("Overdue", page)
            self.assertNotIn("o_intervention_escalate", page)

        # -- Day 12, the owner answers: planned in the next release.
        with freeze_time(start + timedelta(days=12)):
            owned = request.with_user(self.owner)
            owned.message_post(
                body="Planned for the next minor release.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.contact_a.ids,
            )
            owned.action_resolve()
            self.assertEqual(request.state, "resolved")
            answer = request.message_ids.filtered(
                lambda m: "next minor release" in (m.body or "")
            )
            self.assertIn(self.contact_a, answer.partner_ids)
            page = self._client_page(request)
            self.assertIn("Resolved", page)
            self.assertIn("o_intervention_reopen", page)
