from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDeskTour(HttpCase):
    """The desk's main path through the backend views, in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk_user = new_test_user(
            cls.env,
            login="ir_tour_desk",
            groups="intervention_request.group_intervention_user",
            name="Tour Desk",
        )
        client = cls.env["res.partner"].create(
            {"name": "Tour Client", "is_company": True}
        )
        cls.requester = cls.env["res.partner"].create(
            {
                "name": "Alice Tour",
                "parent_id": client.id,
                "email": "alice@tour.example",
            }
        )
        contract = cls.env["intervention.contract"].create({"partner_id": client.id})
        contract.action_activate()
        cls.contract = contract

    def test_desk_tour(self):
        self.start_tour(
            "/odoo/action-intervention_request.intervention_request_action/new",
            "intervention_request_desk_tour",
            login="ir_tour_desk",
        )
        request = self.env["intervention.request"].search(
            [("requester_id", "=", self.requester.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.contract_id, self.contract)
        self.assertEqual(request.state, "qualified")
        self.assertEqual(request.user_id, self.desk_user)
        # Run at lunch time or at night, the request also gets the
        # out-of-hours freeze of its reception (F4): look at the waiting one.
        # Run at lunch time or at night, the request also gets an
        # out-of-hours freeze: look at the waiting one only.
        waiting = request.freeze_ids.filtered(lambda f: f.reason != "out_of_hours")
        self.assertEqual(waiting.reason, "site_access")
        self.assertTrue(waiting.date_end, "the client's answer closed the freeze")
