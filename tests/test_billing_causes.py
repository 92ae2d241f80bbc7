from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .billing_common import InterventionBillingCommon


@tagged("post_install", "-at_install")
class TestBillableCauses(InterventionBillingCommon):
    """Each billable cause (H1) recorded with who set it, when and why."""

    def _charge(self, request, cause):
        return request.charge_ids.filtered(lambda c: c.cause == cause)

    def test_out_of_contract_cause_from_the_verdict(self):
        request = self._create_out_of_contract_request()
        charge = self._charge(request, "out_of_contract")
        self.assertEqual(len(charge), 1)
        self.assertEqual(charge.origin, "auto")
        self.assertEqual(charge.user_id, self.env.user)
        self.assertEqual(charge.reason, request.coverage_message)
        self.assertTrue(charge.bills_time)
        self.assertTrue(request.is_billable)
        self.assertEqual(request.billable_cause, "out_of_contract")

    def test_excluded_service_cause_from_the_verdict(self):
        self.contract.excluded_service_ids = self.service_training
        request = self._create_request(service_id=self.service_training.id)
        charge = self._charge(request, "excluded_service")
        self.assertEqual(charge.origin, "auto")
        self.assertIn(self.service_training.name, charge.reason)
        self.assertEqual(request.billable_cause, "excluded_service")

    def test_verdict_changed_drops_the_automatic_cause(self):
        self.contract.excluded_service_ids = self.service_training
        request = self._create_request(service_id=self.service_training.id)
        request.service_id = self.service_curative
        self.assertFalse(request.charge_ids, "covered now: no cause left")
        self.assertFalse(request.is_billable)

    def test_phone_surcharge_is_one_time_unit_at_the_contract_rate(self):
        request = self._create_request(channel="phone")
        charge = self._charge(request, "channel_surcharge")
        self.assertEqual(charge.origin, "auto")
        self.assertEqual(charge.product_id, self.product_ut)
        self.assertEqual(charge.quantity, 1.0)
        self.assertEqual(charge.price_unit, 47.5)
        self.assertFalse(charge.bills_time, "the time itself stays covered")
        self.assertIn("Phone", charge.reason)
        self.assertEqual(request.invoice_status, "to_invoice")
        self.assertEqual(request.amount_to_invoice, 47.5)

    def test_email_surcharge_unless_the_contract_includes_email(self):
        request = self._create_request(channel="email")
        self.assertTrue(self._charge(request, "channel_surcharge"))
        self.contract.include_email = True
        self.assertFalse(request.charge_ids, "e-mail now included: no surcharge")
        self.assertEqual(request.invoice_status, "no")
        included = self._create_request(channel="email")
        self.assertFalse(included.charge_ids)

    def test_phone_included_and_portal_carry_no_surcharge(self):
        self.contract.include_phone = True
        self.assertFalse(self._create_request(channel="phone").charge_ids)
        self.contract.include_phone = False
        self.assertFalse(self._create_request(channel="portal").charge_ids)

    def test_cancelled_duplicate_drops_the_surcharge(self):
        request = self._create_request(channel="phone")
        request.action_receive()
        self.assertEqual(request.invoice_status, "to_invoice")
        request.action_cancel("duplicate", "Same breakdown as the portal request.")
        self.assertFalse(request.charge_ids)
        self.assertEqual(request.invoice_status, "no")

    def test_cancelled_out_of_contract_request_keeps_no_cause(self):
        request = self._create_out_of_contract_request()
        request.action_cancel("withdrawn", "The client fixed it himself.")
        self.assertFalse(request.charge_ids)
        self.assertEqual(request.invoice_status, "no")

    def test_out_of_contract_request_has_no_surcharge(self):
        request = self._create_out_of_contract_request(channel="phone")
        self.assertEqual(request.charge_ids.mapped("cause"), ["out_of_contract"])

    def _declare(self, request, cause, reason, user=None):
        wizard_form = Form(
            self.env["intervention.request.charge.wizard"]
            .with_user(user or self.user)
            .with_context(default_request_id=request.id)
        )
        wizard_form.cause = cause
        wizard_form.reason = reason
        wizard_form.save().action_confirm()
        return self._charge(request, cause)

    def test_abnormal_use_declared_by_staff_with_a_reason(self):
        request = self._create_started_request()
        charge = self._declare(
            request, "abnormal_use", "Antivirus disabled by the client on purpose."
        )
        self.assertEqual(charge.origin, "staff")
        self.assertEqual(charge.user_id, self.user)
        self.assertEqual(charge.reason, "Antivirus disabled by the client on purpose.")
        self.assertTrue(request.is_billable)
        self.assertEqual(request.billable_cause, "abnormal_use")
        self.assertIn("Antivirus disabled", request.message_ids[0].body)

    def test_not_responsible_declared_after_diagnosis(self):
        request = self._create_started_request()
        charge = self._declare(
            request, "not_responsible", "The client's own router was unplugged."
        )
        self.assertTrue(charge.bills_time)
        self.assertEqual(request.billable_cause, "not_responsible")

    def test_traceability_request_outside_the_portal(self):
        request = self._create_started_request()
        charge = self._declare(
            request, "traceability", "History of 2025 interventions asked by e-mail."
        )
        self.assertEqual(charge.cause, "traceability")
        entry = self._add_time(request, 0.5)
        self.assertTrue(entry.billable, "traceability is billed at the time spent")

    def test_staff_cause_keeps_the_surcharge(self):
        request = self._create_started_request(channel="phone")
        self._declare(request, "abnormal_use", "Deliberate damage.")
        self.assertEqual(
            set(request.charge_ids.mapped("cause")),
            {"channel_surcharge", "abnormal_use"},
        )
        self.assertEqual(request.billable_cause, "abnormal_use")

    def test_staff_cause_needs_a_reason(self):
        request = self._create_started_request()
        with self.assertRaisesRegex(UserError, "Say why"):
            request._add_billable_cause("abnormal_use", "  ")
        with self.assertRaises(ValidationError):
            self.env["intervention.request.charge"].create(
                {"request_id": request.id, "cause": "abnormal_use", "reason": ""}
            )

    def test_rejection_as_not_responsible_records_the_note(self):
        request = self._create_request()
        request.action_receive()
        request.action_reject("not_responsible", "Power cut on the client's site.")
        charge = self._charge(request, "not_responsible")
        self.assertEqual(charge.origin, "staff")
        self.assertEqual(charge.reason, "Power cut on the client's site.")

    def test_cause_set_on_the_form_is_recorded(self):
        request = self._create_request()
        request.write({"is_billable": True, "billable_cause": "abnormal_use"})
        charge = self._charge(request, "abnormal_use")
        self.assertEqual(charge.origin, "staff")
        self.assertEqual(charge.reason, "Set on the request.")

    def test_time_billed_only_under_a_time_cause(self):
        request = self._create_started_request(channel="phone")
        entry = self._add_time(request, 1.0)
        self.assertFalse(entry.billable, "covered work: only the surcharge is billed")
        self.assertEqual(request.amount_to_invoice, 47.5)
        self._declare(request, "abnormal_use", "Fraudulent use of the licence.")
        self.assertTrue(entry.billable)
        self.assertEqual(request.amount_to_invoice, 47.5 + 2 * 47.5)

    def test_goodwill_request_not_billable_bills_nothing(self):
        request = self._create_out_of_contract_request()
        self._accept_terms(request)
        request.action_qualify()
        request.action_start()
        self._add_time(request, 2.0, kind="onsite")
        self.assertEqual(request.invoice_status, "to_invoice")
        request.is_billable = False
        self.assertEqual(request.invoice_status, "no")
