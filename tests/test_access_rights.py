from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestAccessRights(InterventionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Other Services Co"})
        cls.user_b = new_test_user(
            cls.env,
            login="ir_user_b",
            groups="intervention_request.group_intervention_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.employee = new_test_user(
            cls.env, login="ir_employee", groups="base.group_user"
        )
        cls.portal_user = new_test_user(
            cls.env, login="ir_portal", groups="base.group_portal"
        )

    def test_user_handles_requests(self):
        Request = self.env["intervention.request"].with_user(self.user)
        request = Request.create(
            {
                "requester_id": self.contact.id,
                "summary": "Printer jam",
                "channel": "phone",
            }
        )
        request.action_receive()
        request.action_qualify()
        request.action_wait("client_info")
        request.action_resume()
        self.assertEqual(request.state, "qualified")
        self.assertEqual(request.freeze_ids.user_id, self.user)
        with self.assertRaises(AccessError):
            request.unlink()

    def test_user_reads_but_cannot_change_contracts(self):
        contract = self.contract.with_user(self.user)
        self.assertTrue(contract.name)
        with self.assertRaises(AccessError):
            contract.write({"has_gti": True})
        with self.assertRaises(AccessError):
            self.env["intervention.contract"].with_user(self.user).create(
                {
                    "partner_id": self.client.id,
                    "resource_calendar_id": self.calendar_business.id,
                }
            )
        with self.assertRaises(AccessError):
            self.env["intervention.domain"].with_user(self.user).create(
                {"name": "Printers"}
            )

    def test_user_records_equipment(self):
        equipment = (
            self.env["intervention.equipment"]
            .with_user(self.user)
            .create({"name": "New PC", "partner_id": self.client.id})
        )
        self.assertEqual(equipment.company_id, self.company)

    def test_manager_manages_contracts_and_deletes_new_requests(self):
        contract = (
            self.env["intervention.contract"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.client.id,
                    "resource_calendar_id": self.calendar_business.id,
                }
            )
        )
        contract.action_activate()
        self.assertEqual(contract.state, "active")
        request = self._create_request().with_user(self.manager)
        request.unlink()
        self.assertFalse(request.exists())

    def test_routing_history_is_append_only_for_users(self):
        request = self._create_request()
        request._route("escalation", "Complex", level="n2")
        step = request.routing_ids.with_user(self.user)
        with self.assertRaises(AccessError):
            step.write({"reason": "Rewritten"})

    def test_employee_without_group_sees_nothing(self):
        request = self._create_request()
        for model, record in (
            ("intervention.request", request),
            ("intervention.contract", self.contract),
            ("intervention.freeze", None),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                target = (
                    record.with_user(self.employee)
                    if record
                    else self.env[model].with_user(self.employee)
                )
                target.check_access("read")

    def test_portal_user_has_no_backend_access(self):
        with self.assertRaises(AccessError):
            self._create_request().with_user(self.portal_user).check_access("read")

    def test_other_company_sees_nothing(self):
        request = self._create_request()
        Request = self.env["intervention.request"].with_user(self.user_b)
        self.assertFalse(Request.search([("id", "=", request.id)]))
        with self.assertRaises(AccessError):
            request.with_user(self.user_b).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.user_b).read(["name"])
        self.assertFalse(
            self.env["intervention.contract"].with_user(self.user_b).search([])
        )

    def test_other_company_works_in_its_own(self):
        client_b = self.env["res.partner"].create(
            {"name": "Client B", "is_company": True}
        )
        contact_b = self._create_contact(client_b, "Bea B")
        request_b = (
            self.env["intervention.request"]
            .with_user(self.user_b)
            .with_company(self.company_b)
            .create({"requester_id": contact_b.id, "summary": "Down"})
        )
        self.assertEqual(request_b.company_id, self.company_b)
        self.assertTrue(request_b.name.startswith("DIT/"))
        self.assertFalse(
            self.env["intervention.request"]
            .with_user(self.user)
            .search([("id", "=", request_b.id)])
        )

    def test_contract_of_other_company_refused(self):
        client_b = self.env["res.partner"].create(
            {"name": "Client B", "is_company": True}
        )
        calendar_b = self._create_calendar("B hours", days="01234", hours=[(8, 17)])
        calendar_b.company_id = self.company_b
        contract_b = self._create_contract(
            client_b, company_id=self.company_b.id, resource_calendar_id=calendar_b.id
        )
        with self.assertRaisesRegex(UserError, "compan"):
            contract_b.resource_calendar_id = self.calendar_business
        contact_b = self._create_contact(client_b, "Bea B")
        with self.assertRaisesRegex(UserError, "compan"):
            self.env["intervention.request"].create(
                {"requester_id": contact_b.id, "contract_id": contract_b.id}
            )

    def test_user_of_both_companies_sees_only_active_ones(self):
        self.user.write({"company_ids": [(4, self.company_b.id)]})
        request = self._create_request()
        Request = self.env["intervention.request"].with_user(self.user)
        self.assertIn(
            request,
            Request.with_context(allowed_company_ids=[self.company.id]).search([]),
        )
        self.assertNotIn(
            request,
            Request.with_context(allowed_company_ids=[self.company_b.id]).search([]),
        )
