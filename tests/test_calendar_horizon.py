from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.resource_calendar import NoWorkingTimeError
from .common import TUESDAY_10H, InterventionCommon

CRON_LOGGER = "odoo.addons.intervention_request.models.intervention_cron_failure"
SLA_LOGGER = "odoo.addons.intervention_request.models.intervention_request_sla"
CLOCK_LOGGER = (
    "odoo.addons.intervention_request.models.intervention_request_clock_mixin"
)
RECEIVED = TUESDAY_10H


@tagged("post_install", "-at_install")
class TestCalendarHorizon(InterventionCommon):
    """Calendars without working time: refused on a contract; a closure
    longer than any first horizon (a summer closure, a site shut for months)
    moves deadlines past it; no working time at all gives a clear message,
    never a traceback, wherever a deadline is needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._create_policy("3 h", ("take_in_charge", 3))
        cls.ladder = cls._create_ladder(
            "Business hours", {"offset_unit": "hours"}, business_hours_only=True
        )
        cls.contract.write(
            {
                "sla_policy_id": cls.policy.id,
                "escalation_ladder_id": cls.ladder.id,
                "support_manager_id": cls.manager.id,
            }
        )
        cls.calendar_site = cls._create_calendar(
            "Site Mon-Fri 9-18", days="01234", hours=[(9, 18)]
        )
        cls.closed_client = cls.env["res.partner"].create(
            {"name": "Usine Fermée", "is_company": True}
        )
        cls.closed_contact = cls._create_contact(cls.closed_client, "Claire Usine")
        cls.closed_contract = cls._create_contract(
            cls.closed_client,
            resource_calendar_id=cls.calendar_site.id,
            sla_policy_id=cls.policy.id,
            escalation_ladder_id=cls.ladder.id,
            support_manager_id=cls.manager.id,
        )

    def _close_site(self, date_from, date_to):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Site closed",
                "calendar_id": self.calendar_site.id,
                "date_from": date_from,
                "date_to": date_to,
                "time_type": "leave",
            }
        )

    def _closed_site_request(self):
        with freeze_time(RECEIVED):
            return self._create_request(
                requester_id=self.closed_contact.id,
                contract_id=self.closed_contract.id,
                site_id=None,
                equipment_id=None,
                date_received=RECEIVED,
            )

    # ------------------------------------------------------------------
    # Contracts and calendars
    # ------------------------------------------------------------------
    def test_contract_refuses_a_calendar_without_working_hours(self):
        empty = self.env["resource.calendar"].create(
            {"name": "No hours", "tz": "Europe/Paris"}
        )
        empty.attendance_ids.unlink()
        form = Form(self.env["intervention.contract"])
        form.partner_id = self.client
        form.resource_calendar_id = empty
        with self.assertRaisesRegex(ValidationError, "No hours has no working hours"):
            form.save()

    def test_calendar_of_a_contract_keeps_working_hours(self):
        with self.assertRaisesRegex(ValidationError, "needs working hours"):
            self.calendar_site.write({"attendance_ids": [(5, 0, 0)]})

    # ------------------------------------------------------------------
    # One helper grows the horizon
    # ------------------------------------------------------------------
    def test_helper_grows_the_horizon_past_a_long_closure(self):
        self._close_site(datetime(2026, 3, 10, 23, 0), datetime(2026, 5, 10, 22, 0))
        opening = self.calendar_site._intervention_compute(
            RECEIVED, lambda timeline: timeline.next_opening(datetime(2026, 3, 11))
        )
        # Monday 11 May 9:00 Paris (UTC+2), two months on.
        self.assertEqual(opening.replace(tzinfo=None), datetime(2026, 5, 11, 7, 0))

    def test_helper_names_the_calendar_without_working_time(self):
        self._close_site(datetime(2026, 1, 1), datetime(2031, 1, 1))
        with self.assertRaisesRegex(
            NoWorkingTimeError, "Site Mon-Fri 9-18 has no working time"
        ):
            self.calendar_site._intervention_compute(
                RECEIVED, lambda timeline: timeline.next_opening(RECEIVED)
            )

    # ------------------------------------------------------------------
    # Every place that needs a deadline
    # ------------------------------------------------------------------
    def test_deadline_falls_after_a_closure_longer_than_the_horizon(self):
        self._close_site(datetime(2026, 3, 1), datetime(2026, 5, 31, 22, 0))
        request = self._closed_site_request()
        # Monday 1 June 9:00 Paris (UTC+2) + 3 business hours.
        self.assertEqual(request.sla_ids.deadline, datetime(2026, 6, 1, 10, 0))

    @mute_logger(SLA_LOGGER, CLOCK_LOGGER)
    def test_no_working_time_at_all_says_why_and_never_blocks(self):
        self._close_site(datetime(2026, 1, 1), datetime(2031, 1, 1))
        request = self._closed_site_request()
        target = request.sla_ids
        self.assertFalse(target.deadline)
        self.assertIn("Site Mon-Fri 9-18 has no working time", target.note)
        # Editing the policy re-plans the open requests: no traceback.
        self.policy.line_ids.duration = 4
        self.assertFalse(request.sla_ids.deadline)
        with freeze_time(RECEIVED):
            request.action_cancel("withdrawn")
        self.assertEqual(request.state, "cancelled")

    def test_escalation_postponed_past_a_closure_others_fire(self):
        """The first reported failure: out of business hours, a row whose
        calendar closes for two months made every escalation run fail."""
        stuck = self._closed_site_request()
        with freeze_time(RECEIVED):
            healthy = self._create_request(date_received=RECEIVED)
        self._close_site(datetime(2026, 3, 10, 23, 0), datetime(2026, 5, 10, 22, 0))
        cron = self.env.ref("intervention_request.ir_cron_escalations")
        # Tuesday 19:00 Paris: both levels are due, out of business hours.
        with freeze_time("2026-03-10 18:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(healthy.escalation_ids.date_due, datetime(2026, 3, 11, 8, 0))
        self.assertEqual(stuck.escalation_ids.date_due, datetime(2026, 5, 11, 7, 0))

    @mute_logger(CRON_LOGGER, SLA_LOGGER, CLOCK_LOGGER)
    def test_escalation_without_working_time_is_a_failure_of_that_row_only(self):
        stuck = self._closed_site_request()
        with freeze_time(RECEIVED):
            healthy = self._create_request(date_received=RECEIVED)
        stuck_row = stuck.escalation_ids
        self._close_site(datetime(2026, 3, 10, 23, 0), datetime(2031, 1, 1))
        cron = self.env.ref("intervention_request.ir_cron_escalations")
        with freeze_time("2026-03-10 18:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(healthy.escalation_ids.date_due, datetime(2026, 3, 11, 8, 0))
        failure = self.env["intervention.cron.failure"].search(
            [("res_model", "=", stuck_row._name), ("res_id", "=", stuck_row.id)]
        )
        self.assertEqual(failure.attempts, 1)
        self.assertIn("has no working time", failure.last_error)
