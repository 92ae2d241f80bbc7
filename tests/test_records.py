from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestRecordConsistency(InterventionCommon):
    """A request's site, equipment and contract are always its client's:
    moving the request to another client (through its requester or the
    client itself) clears what belongs to the first one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_b = cls.env["res.partner"].create(
            {"name": "Boulangerie Dupont", "is_company": True}
        )
        cls.contact_b = cls._create_contact(cls.client_b, "Bruno Dupont")
        cls.site_b = cls.env["res.partner"].create(
            {"name": "Dupont Vichy", "parent_id": cls.client_b.id, "type": "other"}
        )
        cls.equipment_b = cls.env["intervention.equipment"].create(
            {"name": "Oven controller", "partner_id": cls.client_b.id}
        )
        cls.contract_b = cls._create_contract(cls.client_b)
        cls.colleague = cls._create_contact(cls.client, "Anne Colleague")

    def test_changing_the_requester_in_the_form_clears_the_other_clients_scope(self):
        request = self._create_request()
        with Form(request.with_user(self.user)) as form:
            form.requester_id = self.contact_b
            self.assertEqual(form.partner_id, self.client_b)
            self.assertEqual(form.contract_id, self.contract_b)
            self.assertFalse(form.site_id, "client A's site is not shown for B")
            self.assertFalse(form.equipment_id)
            form.site_id = self.site_b
            form.equipment_id = self.equipment_b
        self.assertEqual(
            (request.partner_id, request.site_id, request.equipment_id),
            (self.client_b, self.site_b, self.equipment_b),
        )

    def test_another_contact_of_the_same_client_keeps_the_scope(self):
        request = self._create_request()
        with Form(request.with_user(self.user)) as form:
            form.requester_id = self.colleague
        self.assertEqual(request.site_id, self.site)
        self.assertEqual(request.equipment_id, self.equipment)
        self.assertEqual(request.contract_id, self.contract)

    def test_rpc_write_of_another_client_clears_site_and_equipment(self):
        """A write of the requester or of the client alone (an RPC client,
        an import) re-checks the site, equipment and contract."""
        for vals in (
            {"requester_id": self.contact_b.id},
            {"requester_id": False, "partner_id": self.client_b.id},
        ):
            with self.subTest(vals=vals):
                request = self._create_request()
                request.with_user(self.user).write(vals)
                self.assertEqual(request.partner_id, self.client_b)
                self.assertFalse(request.site_id)
                self.assertFalse(request.equipment_id)
                self.assertEqual(request.contract_id, self.contract_b)

    def test_site_or_equipment_of_another_client_refused(self):
        cases = [
            ({"site_id": self.site_b.id}, "not an address of the client"),
            ({"equipment_id": self.equipment_b.id}, "not an asset of the client"),
            (
                {"requester_id": self.contact_b.id, "site_id": self.site.id},
                "not an address of the client",
            ),
            (
                {
                    "requester_id": self.contact_b.id,
                    "equipment_id": self.equipment.id,
                },
                "not an asset of the client",
            ),
        ]
        for vals, error in cases:
            with self.subTest(vals=vals):
                request = self._create_request()
                with (
                    self.assertRaisesRegex(ValidationError, error),
                    self.env.cr.savepoint(),
                ):
                    request.with_user(self.user).write(vals)
                self.assertEqual(request.site_id, self.site)
                self.assertEqual(request.equipment_id, self.equipment)
                self.assertEqual(request.partner_id, self.client)
        with (
            self.assertRaisesRegex(ValidationError, "not an address"),
            self.env.cr.savepoint(),
        ):
            self._create_request(site_id=self.site_b.id)


@tagged("post_install", "-at_install")
class TestReceptionDate(InterventionCommon):
    """The SLA clocks start at the reception: the desk cannot date a request
    in the future, from the form as through the API (a minute of clock skew
    is tolerated); only the after-hours report dates one ahead, at the next
    business opening (TestOncallReport)."""

    def _new_request_form(self, received):
        form = Form(self.env["intervention.request"].with_user(self.user))
        form.requester_id = self.contact
        form.summary = "Printer jammed"
        form.date_received = received
        return form

    @freeze_time("2026-03-10 10:00:00")
    def test_form_refuses_a_reception_in_the_future(self):
        Request = self.env["intervention.request"]
        count = Request.search_count([])
        for received in (datetime(2026, 3, 10, 10, 2), datetime(2026, 3, 11, 8, 0)):
            with self.subTest(received=received):
                form = self._new_request_form(received)
                with (
                    self.assertRaisesRegex(ValidationError, "in the future"),
                    self.env.cr.savepoint(),
                ):
                    form.save()
        self.assertEqual(Request.search_count([]), count, "nothing stored")
        # A clock a minute fast is tolerated; now and earlier are fine.
        for received in (datetime(2026, 3, 10, 10, 1), datetime(2026, 3, 9, 15, 0)):
            request = self._new_request_form(received).save()
            self.assertEqual(request.date_received, received)

    @freeze_time("2026-03-10 10:00:00")
    def test_form_edit_refuses_a_reception_in_the_future(self):
        request = self._create_request(date_received=datetime(2026, 3, 10, 9, 0))
        with (
            self.assertRaisesRegex(ValidationError, "in the future"),
            self.env.cr.savepoint(),
            Form(request.with_user(self.user)) as form,
        ):
            form.date_received = datetime(2026, 3, 12, 9, 0)
        self.env.invalidate_all()
        self.assertEqual(request.date_received, datetime(2026, 3, 10, 9, 0))
        with Form(request.with_user(self.user)) as form:
            form.date_received = datetime(2026, 3, 10, 8, 30)
        self.assertEqual(request.date_received, datetime(2026, 3, 10, 8, 30))
