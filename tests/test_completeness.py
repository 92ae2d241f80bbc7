from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestCompleteness(InterventionCommon):
    def test_complete_request(self):
        request = self._create_request()
        self.assertTrue(request.is_complete)
        self.assertFalse(request.missing_info)

    def test_each_missing_item_is_listed(self):
        cases = {
            "site_id": "site affected",
            "equipment_id": "equipment or software",
            "description": "precise description",
            "contract_id": "contract number",
        }
        for field, text in cases.items():
            with self.subTest(field=field):
                request = self._create_request(**{field: False})
                if field == "contract_id":
                    # The contract is filled in automatically when the client
                    # has exactly one: clear it after creation.
                    request.contract_id = False
                self.assertFalse(request.is_complete)
                self.assertIn(text, request.missing_info)
                self.assertEqual(request.missing_info.count("\n"), 0)

    def test_blank_html_description_is_missing(self):
        request = self._create_request(description="<p><br></p>")
        self.assertIn("precise description", request.missing_info)

    def test_product_counts_as_software_affected(self):
        product = self.env["intervention.product"].create({"name": "GRC"})
        request = self._create_request(equipment_id=False, product_id=product.id)
        self.assertTrue(request.is_complete)

    def test_requester_without_phone_or_email(self):
        mute = self._create_contact(self.client, "Bob Silent", email=False, phone=False)
        request = self._create_request(requester_id=mute.id)
        self.assertIn("phone number or e-mail", request.missing_info)
        request.requester_phone = "+33 1 00 00 00 00"
        self.assertTrue(request.is_complete)

    def test_no_requester_and_no_client(self):
        # No client: no site or asset either (they are always the client's).
        request = self._create_request(
            requester_id=False, contract_id=False, site_id=None, equipment_id=None
        )
        self.assertIn("client's name", request.missing_info)
        self.assertIn("name of the contact", request.missing_info)

    def test_several_malfunctions_flagged(self):
        request = self._create_request(multiple_malfunctions=True)
        self.assertFalse(request.is_complete)
        self.assertIn("One request per malfunction", request.missing_info)

    def test_completing_the_request_clears_the_flag(self):
        request = self._create_request(site_id=False)
        self.assertFalse(request.is_complete)
        request.site_id = self.site
        self.assertTrue(request.is_complete)

    def test_nothing_to_ask_on_complete_request(self):
        request = self._create_request()
        with self.assertRaisesRegex(UserError, "complete"):
            request.action_request_missing_info()
