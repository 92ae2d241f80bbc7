from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestChangeRequestOwner(InterventionCommon):
    """B1, seed 002: change requests go to the product (or component)
    owner at intake and carry no SLA target."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = new_test_user(
            cls.env,
            login="ir_owner",
            groups="intervention_request.group_intervention_user",
            name="Product Owner GRC",
        )
        cls.component_owner = new_test_user(
            cls.env,
            login="ir_component_owner",
            groups="intervention_request.group_intervention_user",
            name="Owner Devis-fac",
        )
        cls.policy = cls._create_policy(
            "4 business hours", ("take_in_charge", 4), ("resolution", 40)
        )
        cls.contract.sla_policy_id = cls.policy
        cls.product = cls.env["intervention.product"].create(
            {"name": "GRC", "owner_id": cls.owner.id}
        )
        cls.component = cls.env["intervention.component"].create(
            {"name": "Leave module", "product_id": cls.product.id}
        )
        cls.component_owned = cls.env["intervention.component"].create(
            {
                "name": "Devis-fac",
                "product_id": cls.product.id,
                "owner_id": cls.component_owner.id,
            }
        )

    def _desk_form(self, kind="change", product=None, component=None):
        form = Form(self.env["intervention.request"].with_user(self.user))
        form.requester_id = self.contact
        form.kind = kind
        form.summary = "Export the leave balance to the payroll"
        form.description = "<p>We would like a payroll export.</p>"
        if product:
            form.product_id = product
        if component:
            form.component_id = component
        return form

    def _owner_activities(self, request, owner):
        return request.activity_ids.filtered(lambda a: a.user_id == owner)

    @freeze_time("2026-03-10 09:00:00")
    def test_change_request_goes_to_the_product_owner_at_intake(self):
        request = self._desk_form(product=self.product, component=self.component)
        request = request.save()
        self.assertEqual(request.user_id, self.owner)
        self.assertIn(self.owner.partner_id, request.message_partner_ids)
        self.assertEqual(len(self._owner_activities(request, self.owner)), 1)
        self.assertIn(
            "sent to the product owner Product Owner GRC",
            request.message_ids[0].body,
        )
        self.assertEqual(request.routing_ids.to_user_id, self.owner)
        self.assertFalse(request.sla_ids, "a change request has no SLA target")

    @freeze_time("2026-03-10 09:00:00")
    def test_component_owner_wins_over_product_owner(self):
        request = self._desk_form(
            product=self.product, component=self.component_owned
        ).save()
        self.assertEqual(request.user_id, self.component_owner)

    @freeze_time("2026-03-10 09:00:00")
    def test_qualification_by_the_desk_keeps_the_owner(self):
        request = self._desk_form(product=self.product).save()
        request = request.with_user(self.user)
        request.action_receive()
        request.action_qualify()
        self.assertEqual(request.state, "qualified")
        self.assertEqual(request.user_id, self.owner)
        self.assertEqual(len(self._owner_activities(request, self.owner)), 1)
        self.assertFalse(request.sla_ids)

    @freeze_time("2026-03-10 09:00:00")
    def test_incident_is_not_sent_to_the_owner(self):
        request = self._desk_form(kind="incident", product=self.product)
        request.equipment_id = self.equipment
        request = request.save()
        self.assertFalse(request.user_id)
        self.assertTrue(request.sla_ids)

    @freeze_time("2026-03-10 09:00:00")
    def test_requalified_as_change_request_goes_to_the_owner(self):
        request = self._desk_form(kind="incident", product=self.product).save()
        self.assertTrue(request.sla_ids)
        form = Form(request.with_user(self.user))
        form.kind = "change"
        form.save()
        self.assertEqual(request.user_id, self.owner)
        self.assertFalse(request.sla_ids)

    @freeze_time("2026-03-10 09:00:00")
    def test_assignee_chosen_at_intake_is_kept(self):
        form = self._desk_form(product=self.product)
        form.user_id = self.technician
        request = form.save()
        self.assertEqual(request.user_id, self.technician)

    @freeze_time("2026-03-10 09:00:00")
    def test_product_without_owner_leaves_the_request_unassigned(self):
        product = self.env["intervention.product"].create({"name": "Intranet"})
        request = self._desk_form(product=product).save()
        self.assertFalse(request.user_id)
        self.assertFalse(request.sla_ids)
