from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .billing_common import InterventionBillingCommon


@tagged("post_install", "-at_install")
class TestTimeEntries(InterventionBillingCommon):
    """Time entries (H3) priced with the service products and the contract's
    rates: hourly, time unit (UT), on-call, travel."""

    def setUp(self):
        super().setUp()
        self.request = self._create_started_request()

    def assertPriced(self, entry, product, quantity, price_unit):
        self.assertEqual(entry.product_id, product)
        self.assertAlmostEqual(entry.quantity, quantity)
        self.assertAlmostEqual(entry.price_unit, price_unit)
        self.assertAlmostEqual(entry.amount, quantity * price_unit)

    def test_remote_work_counted_in_started_time_units(self):
        # 50 minutes = 2 started units of 30 minutes.
        entry = self._add_time(self.request, 50 / 60)
        self.assertPriced(entry, self.product_ut, 2.0, 47.5)
        entry.duration = 1.0
        self.assertPriced(entry, self.product_ut, 2.0, 47.5)
        self.contract.time_unit_minutes = 15
        self.assertPriced(entry, self.product_ut, 4.0, 47.5)

    def test_onsite_work_at_the_hourly_rate(self):
        entry = self._add_time(self.request, 1.5, kind="onsite")
        self.assertPriced(entry, self.product_hour, 1.5, 95.0)
        self.assertEqual(entry.user_id, self.technician)

    def test_oncall_work_at_the_oncall_rate(self):
        entry = self._add_time(self.request, 2.0, kind="onsite", period="oncall")
        self.assertPriced(entry, self.product_oncall, 2.0, 140.0)
        remote = self._add_time(self.request, 0.5, period="oncall")
        self.assertPriced(remote, self.product_oncall, 0.5, 140.0)

    def test_oncall_request_defaults_to_oncall_time(self):
        self.contract.write(
            {"coverage_type": "oncall", "coverage_calendar_id": self.calendar_oncall.id}
        )
        request = self._create_started_request(channel="oncall")
        entry = self._add_time(request, 1.0, kind="onsite")
        self.assertEqual(entry.period, "oncall")
        self.assertPriced(entry, self.product_oncall, 1.0, 140.0)
        business = self._add_time(request, 1.0, kind="onsite", period="business")
        self.assertPriced(business, self.product_hour, 1.0, 95.0)

    def test_travel_at_the_travel_product_price(self):
        entry = self._add_time(self.request, 0.75, kind="travel")
        self.assertPriced(
            entry, self.product_travel, 0.75, self.product_travel.lst_price
        )

    def test_contract_without_rates_uses_the_product_prices(self):
        self.contract.write(
            {"hourly_rate": 0.0, "time_unit_rate": 0.0, "oncall_hourly_rate": 0.0}
        )
        entry = self._add_time(self.request, 1.0)
        self.assertPriced(entry, self.product_hour, 1.0, self.product_hour.lst_price)
        oncall = self._add_time(self.request, 1.0, period="oncall")
        self.assertPriced(
            oncall, self.product_oncall, 1.0, self.product_oncall.lst_price
        )

    def test_product_and_price_can_be_changed(self):
        entry = self._add_time(self.request, 1.0, kind="onsite")
        entry.product_id = self.product_ut
        self.assertPriced(entry, self.product_ut, 2.0, 47.5)
        entry.price_unit = 40.0
        self.assertEqual(entry.amount, 80.0)

    def test_request_totals_the_time_spent(self):
        self._add_time(self.request, 1.0)
        self._add_time(self.request, 0.5, kind="travel")
        self.assertEqual(self.request.time_spent, 1.5)

    def test_duration_must_be_positive(self):
        for duration in (0.0, -1.0):
            with self.assertRaisesRegex(ValidationError, "more than zero hours"):
                self._add_time(self.request, duration)

    def test_no_time_on_a_request_not_acknowledged(self):
        request = self._create_request()
        with self.assertRaisesRegex(ValidationError, "Acknowledge"):
            self._add_time(request, 1.0)

    def test_technician_records_time_in_the_request_form(self):
        request_form = Form(self.request.with_user(self.technician))
        with request_form.time_entry_ids.new() as line:
            line.duration = 1.5
            line.kind = "onsite"
        request_form.save()
        entry = self.request.time_entry_ids
        self.assertEqual(entry.user_id, self.technician)
        self.assertPriced(entry, self.product_hour, 1.5, 95.0)
