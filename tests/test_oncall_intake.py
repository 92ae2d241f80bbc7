from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .oncall_common import OncallCommon


@tagged("post_install", "-at_install")
class TestOncallIntake(OncallCommon):
    """E3 outcomes for every kind of day and boundary, E4 summaries."""

    # ------------------------------------------------------------------
    # Weekday evening
    # ------------------------------------------------------------------
    def test_weekday_evening_in_window_calls_technician_on_duty(self):
        # Tuesday 10 March 2026, 19:00 Paris = 18:00 UTC.
        call = self._take_call(datetime(2026, 3, 10, 18, 0))
        self.assertEqual(call.outcome, "call_technician")
        self.assertEqual(call.callee_id, self.technician)
        self.assertEqual(call.state, "open")
        self.assertEqual(call.date_due, datetime(2026, 3, 10, 18, 0))
        self.assertEqual(call.request_id.channel, "oncall")
        self.assertEqual(call.request_id.partner_id, self.residence)
        self.assertEqual(call.coverage_message[:7], "Covered")
        self.assertFalse(self._summary_mails(call), "summary waits for the attempt")

    def test_weekday_evening_after_window_summary_only(self):
        # Tuesday 21:30 Paris: the contract covers until 22:00, the agency's
        # evening window closed at 21:00.
        call = self._take_call(datetime(2026, 3, 10, 20, 30))
        self.assertEqual(call.outcome, "outside_window")
        self.assertFalse(call.callee_id)
        self.assertEqual(call.state, "done")
        self.assertTrue(call.request_id)
        mail = self._summary_mails(call)
        self.assertEqual(mail.email_to, "agence.annecy@example.com")
        self.assertIn("Nobody has been called yet", mail.body_html)
        self.assertIn("Résidence Les Pins, 3 rue des Pins, Annecy", mail.body_html)
        self.assertIn("Within 4 hours", mail.body_html)

    def test_summary_subject_in_french(self):
        """The agency reads the whole subject in its language, the outcome
        included (seed 001 §5)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["intervention_request"], ["fr_FR"], overwrite=True
        )
        call = self._take_call(datetime(2026, 3, 10, 20, 30))
        template = self.env.ref("intervention_request.mail_template_oncall_summary")
        subject = template.with_context(lang="fr_FR")._render_field(
            "subject", call.ids
        )[call.id]
        self.assertIn("Appel hors heures ouvrées de", subject)
        self.assertIn("personne n'a encore été appelé", subject)
        self.assertNotIn("nobody", subject)

    def test_friday_evening_before_day_duty_calls_next_morning(self):
        # Friday 13 March, 21:30 Paris: Saturday is a day-duty day.
        call = self._take_call(datetime(2026, 3, 13, 20, 30))
        self.assertEqual(call.outcome, "next_morning")
        self.assertEqual(call.date_due, datetime(2026, 3, 14, 7, 0))  # Sat 8:00
        self.assertEqual(call.callee_id, self.technician)
        self.assertEqual(call.state, "open")
        self.assertTrue(self._summary_mails(call), "the agency is told at once")

    def test_early_morning_of_day_duty_calls_at_window_start(self):
        # Saturday 14 March, 7:30 Paris (covered from 8:00 only by the 7/7
        # calendar, so take 7:59 in the contract and 7:30 for the agency).
        self.calendar_oncall.attendance_ids.filtered(
            lambda a: a.dayofweek == "5"
        ).hour_from = 7
        call = self._take_call(datetime(2026, 3, 14, 6, 30))
        self.assertEqual(call.outcome, "next_morning")
        self.assertEqual(call.date_due, datetime(2026, 3, 14, 7, 0))

    # ------------------------------------------------------------------
    # Weekend and public holiday
    # ------------------------------------------------------------------
    def test_weekend_day_duty_calls_technician(self):
        call = self._take_call(datetime(2026, 3, 14, 9, 0))  # Saturday 10:00
        self.assertEqual(call.outcome, "call_technician")
        self.assertEqual(call.callee_id, self.technician)

    def test_weekend_after_rota_handover_calls_next_technician(self):
        call = self._take_call(datetime(2026, 3, 21, 9, 0))  # Saturday week 2
        self.assertEqual(call.callee_id, self.technician_2)

    def test_public_holiday_is_day_duty(self):
        # Friday 1 May 2026 (holiday), 10:00 Paris = 8:00 UTC.
        call = self._take_call(datetime(2026, 5, 1, 8, 0))
        self.assertEqual(call.outcome, "call_technician")
        self.assertEqual(call.callee_id, self.technician)

    def test_evening_before_public_holiday_calls_next_morning(self):
        # Thursday 30 April, 21:30 Paris (UTC+2): Friday is a holiday.
        call = self._take_call(datetime(2026, 4, 30, 19, 30))
        self.assertEqual(call.outcome, "next_morning")
        self.assertEqual(call.date_due, datetime(2026, 5, 1, 6, 0))  # 8:00 Paris

    def test_evening_before_business_day_is_outside_window(self):
        # Wednesday 29 April, 21:30 Paris: Thursday is a business day.
        call = self._take_call(datetime(2026, 4, 29, 19, 30))
        self.assertEqual(call.outcome, "outside_window")

    def test_holiday_evening_uses_day_duty_window(self):
        # Friday 1 May 19:30 Paris: the day-duty window (8-20) still runs.
        call = self._take_call(datetime(2026, 5, 1, 17, 30))
        self.assertEqual(call.outcome, "call_technician")

    # ------------------------------------------------------------------
    # Individual 7/7 clients and the 18:00 boundary
    # ------------------------------------------------------------------
    def test_individual_before_18_is_called_now(self):
        # Saturday 14 March 17:59 Paris, inside the day-duty window.
        call = self._take_call(
            datetime(2026, 3, 14, 16, 59), contract=self.contract_individual
        )
        self.assertEqual(call.outcome, "call_technician")

    def test_individual_at_18_waits_next_morning(self):
        call = self._take_call(
            datetime(2026, 3, 14, 17, 0), contract=self.contract_individual
        )
        self.assertEqual(call.outcome, "next_morning")
        self.assertEqual(call.date_due, datetime(2026, 3, 15, 7, 0))  # Sun 8:00
        self.assertTrue(self._summary_mails(call))

    def test_individual_cutoff_is_a_company_setting(self):
        """The seed's 18:00 is the default; the manager moves it to 17:00 in
        the settings and a 17:30 call waits for the next morning."""
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.intervention_oncall_individual_cutoff, 18.0)
        self.assertEqual(settings.intervention_oncall_morning_end, 12.0)
        settings.intervention_oncall_individual_cutoff = 17.0
        settings.save().execute()
        # Saturday 14 March 17:30 Paris, inside the day-duty window.
        call = self._take_call(
            datetime(2026, 3, 14, 16, 30), contract=self.contract_individual
        )
        self.assertEqual(call.outcome, "next_morning")
        self.assertEqual(call.date_due, datetime(2026, 3, 15, 7, 0))  # Sun 8:00

    def test_collective_at_18_on_day_duty_is_called_now(self):
        call = self._take_call(datetime(2026, 3, 14, 17, 0))
        self.assertEqual(call.outcome, "call_technician")

    def test_individual_weekday_evening_waits_next_business_morning(self):
        # Tuesday 19:00: the agency's evening window would apply, but not for
        # individual 7/7 clients; Wednesday 9:00 opens first.
        call = self._take_call(
            datetime(2026, 3, 10, 18, 0), contract=self.contract_individual
        )
        self.assertEqual(call.outcome, "next_morning")
        self.assertEqual(call.date_due, datetime(2026, 3, 11, 8, 0))

    # ------------------------------------------------------------------
    # Safety, eligibility
    # ------------------------------------------------------------------
    def test_safety_emergency_calls_regional_manager_and_notifies(self):
        # Tuesday 23:30 Paris: out of every window, safety still goes through.
        call = self._take_call(datetime(2026, 3, 10, 22, 30), is_safety=True)
        self.assertEqual(call.outcome, "safety")
        self.assertEqual(call.callee_id, self.regional)
        self.assertEqual(call.request_id.severity, "blocking")
        mail = self._summary_mails(call)
        self.assertEqual(mail.email_to, "agence.annecy@example.com,dr@example.com")
        self.assertIn("Safety emergency", mail.body_html)
        self.assertIn("Nobody has been called yet", mail.body_html)
        call.action_log_reached()
        mails = self._summary_mails(call) - mail
        self.assertEqual(mails.email_to, "agence.annecy@example.com,dr@example.com")
        self.assertIn("was reached", mails.body_html)

    def test_safety_without_after_hours_subscription(self):
        self.contract.agency_id = self.agency
        call = self._take_call(
            datetime(2026, 3, 10, 18, 0), contract=self.contract, is_safety=True
        )
        self.assertEqual(call.outcome, "safety")

    def test_business_hours_contract_is_not_eligible(self):
        self.contract.agency_id = self.agency
        call = self._take_call(datetime(2026, 3, 10, 18, 0), contract=self.contract)
        self.assertEqual(call.outcome, "not_eligible")
        self.assertIn("portal", call.outcome_message)
        self.assertFalse(call.request_id)
        self.assertEqual(call.state, "done")

    def test_equipment_out_of_contract_is_not_eligible(self):
        # A boiler bought after the contract started and never added to it.
        new_boiler = self.env["intervention.equipment"].create(
            {
                "name": "New boiler",
                "partner_id": self.residence.id,
                "acquisition_date": datetime(2026, 2, 1).date(),
            }
        )
        call = self._take_call(datetime(2026, 3, 10, 18, 0), equipment_id=new_boiler.id)
        self.assertEqual(call.outcome, "not_eligible")
        self.assertIn("New boiler", call.coverage_message)

    def test_wizard_prefers_the_after_hours_contract(self):
        business = self._create_contract(self.residence, agency_id=self.agency.id)
        wizard = self.env["intervention.oncall.call.wizard"].create(
            {"search_term": "Les Pins", "date_call": datetime(2026, 3, 10, 18, 0)}
        )
        self.assertEqual(wizard.contract_id, self.contract_collective)
        self.assertNotEqual(wizard.contract_id, business)

    def test_outside_subscribed_windows_is_not_eligible(self):
        # 23:30 Paris: the 7/7 subscription runs 8-22.
        call = self._take_call(datetime(2026, 3, 10, 22, 30))
        self.assertEqual(call.outcome, "not_eligible")

    def test_nobody_on_duty_falls_back_to_regional_manager(self):
        self.shift_week_1.unlink()
        call = self._take_call(datetime(2026, 3, 10, 18, 0))
        self.assertEqual(call.callee_id, self.regional)
        self.assertEqual(call.escalation_level, "manager")

    def test_route_twice_refused(self):
        call = self._take_call(datetime(2026, 3, 10, 18, 0))
        with self.assertRaises(UserError):
            call.action_route()

    # ------------------------------------------------------------------
    # Wizard
    # ------------------------------------------------------------------
    def test_wizard_finds_client_by_contract_number_and_routes(self):
        with freeze_time("2026-03-10 18:00:00"):
            wizard = self.env["intervention.oncall.call.wizard"].create(
                {"search_term": self.contract_collective.name}
            )
            self.assertEqual(wizard.partner_id, self.residence)
            self.assertEqual(wizard.contract_id, self.contract_collective)
            self.assertEqual(wizard.agency_id, self.agency)
            self.assertEqual(wizard.oncall_delay, "Within 4 hours")
            wizard.equipment_id = self.boiler_room
            self.assertIn("Covered", wizard.coverage_message)
            self.assertIn("Call the technician on duty now", wizard.outcome_preview)
            self.assertIn(self.technician.name, wizard.outcome_preview)
            action = wizard.action_route()
        call = self.env["intervention.oncall.call"].browse(action["res_id"])
        self.assertEqual(call.outcome, "call_technician")
        self.assertEqual(call.equipment_id, self.boiler_room)
        self.assertEqual(call.request_id.equipment_id, self.boiler_room)

    def test_wizard_finds_client_by_phone(self):
        wizard = self.env["intervention.oncall.call.wizard"].create(
            {"search_term": "50 11 22 33"}
        )
        self.assertEqual(wizard.partner_id, self.dupont)

    def test_wizard_unknown_caller_refused(self):
        wizard = self.env["intervention.oncall.call.wizard"].create(
            {"search_term": "Nobody Known"}
        )
        self.assertFalse(wizard.partner_id)
        with self.assertRaises(UserError):
            wizard.action_route()

    def test_desk_user_can_take_a_call(self):
        call = (
            self.env["intervention.oncall.call"]
            .with_user(self.user)
            .create(
                {
                    "date_call": datetime(2026, 3, 10, 18, 0),
                    "partner_id": self.residence.id,
                    "contract_id": self.contract_collective.id,
                }
            )
        )
        call.action_route()
        call.action_log_voicemail()
        self.assertEqual(call.attempt_ids.result, "voicemail")
