from datetime import date, datetime
from itertools import pairwise

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .oncall_common import OncallCommon


@tagged("post_install", "-at_install")
class TestOncallRota(OncallCommon):
    """Rota lookup at shift boundaries and the yearly rota wizard (E2)."""

    def test_lookup_at_shift_boundaries(self):
        handover = datetime(2026, 3, 16, 7, 0)  # Monday 8:00 Paris
        self.assertEqual(
            self.agency._shift_at("1", datetime(2026, 3, 16, 6, 59, 59)).user_id,
            self.technician,
        )
        self.assertEqual(
            self.agency._shift_at("1", handover).user_id, self.technician_2
        )
        self.assertEqual(
            self.agency._shift_at("1", datetime(2026, 3, 9, 7, 0)).user_id,
            self.technician,
            "a shift's start is inside it",
        )
        self.assertFalse(self.agency._shift_at("1", datetime(2026, 3, 23, 7, 0)))
        self.assertEqual(self.agency._shift_at("2", handover).user_id, self.regional)

    def test_overlapping_shifts_refused(self):
        with self.assertRaises(ValidationError):
            self._create_shift(
                self.technician_2, datetime(2026, 3, 15, 7), datetime(2026, 3, 17, 7)
            )
        # Another level may overlap.
        self._create_shift(
            self.manager, datetime(2026, 3, 23, 7), datetime(2026, 3, 30, 6), level="2"
        )

    def test_shift_must_end_after_start(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self._create_shift(
                self.technician, datetime(2026, 6, 2, 7), datetime(2026, 6, 1, 7)
            )

    def _generate(self, **values):
        wizard = self.env["intervention.oncall.rota.wizard"].create(
            {
                "agency_id": self.agency.id,
                "level": "1",
                "user_ids": [(6, 0, [self.technician.id, self.technician_2.id])],
                "date_from": date(2027, 1, 4),
                "date_to": date(2028, 1, 3),
                "period": "week",
                "handover_hour": 8.0,
                **values,
            }
        )
        # Generated ahead of the span: the clock does not cut its start.
        with freeze_time("2026-12-01 12:00:00"):
            action = wizard.action_generate()
        return self.env["intervention.oncall.shift"].search(action["domain"])

    def _generate_with_form(self, users, **values):
        """Fill the wizard as the manager does (today by default)."""
        form = Form(self.env["intervention.oncall.rota.wizard"].with_user(self.manager))
        form.agency_id = self.agency
        for user in users:
            form.user_ids.add(user)
        for name, value in values.items():
            setattr(form, name, value)
        action = form.save().action_generate()
        return self.env["intervention.oncall.shift"].search(action["domain"])

    @freeze_time("2026-03-11 13:00:00")  # Wednesday 14:00 Paris
    def test_wizard_from_today_while_a_shift_runs(self):
        now = datetime(2026, 3, 11, 13, 0)
        shifts = self._generate_with_form(
            [self.technician_2], date_to=date(2026, 3, 25)
        )
        # The running shift keeps its past and ends now; the next week's
        # shift, inside the span, is replaced.
        self.assertEqual(self.shift_week_1.date_start, datetime(2026, 3, 9, 7, 0))
        self.assertEqual(self.shift_week_1.date_end, now)
        self.assertFalse(self.shift_week_2.exists())
        self.assertEqual(
            shifts.mapped("date_start"), [now, datetime(2026, 3, 18, 7, 0)]
        )
        self.assertEqual(shifts[-1].date_end, datetime(2026, 3, 25, 7, 0))
        self.assertEqual(
            self.agency._shift_at("1", datetime(2026, 3, 11, 12, 59)).user_id,
            self.technician,
        )
        self.assertEqual(self.agency._shift_at("1", now).user_id, self.technician_2)

    @freeze_time("2026-03-10 10:00:00")
    def test_wizard_inside_a_longer_shift_cuts_it_around_the_span(self):
        shifts = self._generate_with_form(
            [self.technician_2],
            date_from=date(2026, 3, 12),
            date_to=date(2026, 3, 13),
            period="day",
        )
        self.assertEqual(len(shifts), 1)
        self.assertEqual(self.shift_week_1.date_end, datetime(2026, 3, 12, 7, 0))
        tail = self.agency._shift_at("1", datetime(2026, 3, 14, 9, 0))
        self.assertEqual(tail.user_id, self.technician)
        self.assertEqual(tail.date_start, datetime(2026, 3, 13, 7, 0))
        self.assertEqual(tail.date_end, datetime(2026, 3, 16, 7, 0))
        self.assertEqual(
            self.agency._shift_at("1", datetime(2026, 3, 12, 9, 0)).user_id,
            self.technician_2,
        )

    @freeze_time("2026-03-11 13:00:00")
    def test_wizard_span_over_refused(self):
        with self.assertRaisesRegex(UserError, "span is over"):
            self._generate_with_form(
                [self.technician_2],
                date_from=date(2026, 3, 2),
                date_to=date(2026, 3, 9),
            )

    def test_wizard_generates_a_year_of_weekly_shifts(self):
        shifts = self._generate()
        self.assertEqual(len(shifts), 52)
        self.assertEqual(shifts[0].date_start, datetime(2027, 1, 4, 7, 0))
        self.assertEqual(shifts[-1].date_end, datetime(2028, 1, 3, 7, 0))
        self.assertEqual(shifts[0].user_id, self.technician)
        self.assertEqual(shifts[1].user_id, self.technician_2)
        self.assertEqual(shifts[2].user_id, self.technician)
        # Every shift ends when the next one starts: no gap, no overlap.
        for before, after in pairwise(shifts):
            self.assertEqual(before.date_end, after.date_start)

    def test_wizard_follows_daylight_saving_time(self):
        shifts = self._generate()
        # Monday 29 March 2027 8:00 Paris is summer time (UTC+2).
        summer = shifts.filtered(lambda s: s.date_start.date() == date(2027, 3, 29))
        self.assertEqual(summer.date_start, datetime(2027, 3, 29, 6, 0))
        self.assertEqual(summer.date_end, datetime(2027, 4, 5, 6, 0))

    def test_wizard_replaces_shifts_of_the_span(self):
        self._generate()
        shifts = self._generate(user_ids=[(6, 0, [self.technician_2.id])])
        self.assertEqual(len(shifts), 52)
        self.assertEqual(
            self.env["intervention.oncall.shift"].search_count(
                [("agency_id", "=", self.agency.id), ("date_start", ">=", "2027-01-01")]
            ),
            52,
        )
        self.assertEqual(shifts.user_id, self.technician_2)

    def test_wizard_rotates_in_alphabetical_order(self):
        shifts = self._generate(
            user_ids=[(6, 0, [self.technician_2.id, self.technician.id])],
            date_to=date(2027, 1, 18),
        )
        # "Field Technician" before "Second Technician".
        self.assertEqual(shifts.mapped("user_id"), self.technician | self.technician_2)
        self.assertEqual(shifts[0].user_id, self.technician)

    def test_wizard_daily_rotation(self):
        shifts = self._generate(
            period="day", date_from=date(2027, 1, 4), date_to=date(2027, 1, 11)
        )
        self.assertEqual(len(shifts), 7)

    def test_wizard_bad_span_refused(self):
        with self.assertRaises(UserError):
            self._generate(date_from=date(2027, 1, 4), date_to=date(2027, 1, 4))
        with self.assertRaises(UserError):
            self._generate(date_from=date(2027, 1, 4), date_to=date(2027, 1, 6))
        with self.assertRaisesRegex(UserError, "handover hour"):
            self._generate(handover_hour=-1)
        with self.assertRaisesRegex(UserError, "handover hour"):
            self._generate(handover_hour=24)

    def test_window_hours_validated(self):
        with self.assertRaises(ValidationError):
            self.agency.window_ids[0].hour_to = 25


@tagged("post_install", "-at_install")
class TestOncallGaps(OncallCommon):
    """Coverage gaps: windows with nobody on duty, reported to managers."""

    def test_gaps_are_the_uncovered_parts_of_windows(self):
        Gap = self.env["intervention.oncall.gap"]
        # Week 2 (16-22 March) has a technician; Monday 23 at 8:00 nobody.
        gaps = Gap._compute_agency_gaps(
            self.agency, date(2026, 3, 16), date(2026, 3, 24)
        )
        tech_gaps = [g for g in gaps if g["level"] == "1"]
        # Monday 23 and Tuesday 24 evenings 18-21 Paris.
        self.assertEqual(
            [(g["date_start"], g["date_end"]) for g in tech_gaps],
            [
                (datetime(2026, 3, 23, 17, 0), datetime(2026, 3, 23, 20, 0)),
                (datetime(2026, 3, 24, 17, 0), datetime(2026, 3, 24, 20, 0)),
            ],
        )

    def test_partial_window_gap(self):
        Gap = self.env["intervention.oncall.gap"]
        # A technician until Monday 23 at 19:00 Paris only.
        self._create_shift(
            self.technician, datetime(2026, 3, 23, 7), datetime(2026, 3, 23, 18)
        )
        gaps = Gap._compute_agency_gaps(
            self.agency, date(2026, 3, 23), date(2026, 3, 23)
        )
        self.assertEqual(
            [(g["level"], g["date_start"], g["date_end"]) for g in gaps],
            [
                ("1", datetime(2026, 3, 23, 18, 0), datetime(2026, 3, 23, 20, 0)),
                ("2", datetime(2026, 3, 23, 17, 0), datetime(2026, 3, 23, 20, 0)),
            ],
        )

    def test_holiday_day_duty_window_is_checked(self):
        Gap = self.env["intervention.oncall.gap"]
        self.shift_may.unlink()
        gaps = Gap._compute_agency_gaps(self.agency, date(2026, 5, 1), date(2026, 5, 1))
        self.assertEqual(
            [(g["level"], g["date_start"], g["date_end"]) for g in gaps],
            [("1", datetime(2026, 5, 1, 6, 0), datetime(2026, 5, 1, 18, 0))],
        )

    def test_cron_records_gaps_and_tells_the_manager_once(self):
        Gap = self.env["intervention.oncall.gap"]
        cron = self.env.ref("intervention_request.ir_cron_oncall_gaps")
        with freeze_time("2026-03-20 10:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        gaps = Gap.search([("agency_id", "=", self.agency.id)])
        self.assertTrue(gaps)
        self.assertTrue(all(g.date_start >= datetime(2026, 3, 23, 7) for g in gaps))
        activities = self.agency.activity_ids.filtered(
            lambda a: a.user_id == self.manager
        )
        self.assertEqual(len(activities), 1)
        self.assertIn("more (On-call", activities.note, "long lists are cut")
        self.assertEqual(self.agency.gap_count, len(gaps))
        self.assertEqual(self.agency.action_view_gaps()["domain"][0][2], self.agency.id)
        with freeze_time("2026-03-20 11:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(Gap.search([("agency_id", "=", self.agency.id)]), gaps)
        self.assertEqual(len(self.agency.activity_ids), 1, "no new gap, no new alert")
        # Covering Monday 23's evening removes that gap.
        self._create_shift(
            self.technician, datetime(2026, 3, 23, 7), datetime(2026, 3, 24, 7)
        )
        with freeze_time("2026-03-20 12:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertFalse(
            Gap.search(
                [
                    ("agency_id", "=", self.agency.id),
                    ("level", "=", "1"),
                    ("date_start", "=", datetime(2026, 3, 23, 17, 0)),
                ]
            )
        )

    def test_no_gap_when_fully_covered(self):
        Gap = self.env["intervention.oncall.gap"]
        gaps = Gap._compute_agency_gaps(
            self.agency, date(2026, 3, 10), date(2026, 3, 15)
        )
        self.assertEqual(gaps, [])


@tagged("post_install", "-at_install")
class TestOncallAccess(OncallCommon):
    """The desk reads the rota and takes calls; managers plan; companies
    are kept apart."""

    def test_desk_user_reads_but_cannot_change_the_rota(self):
        Shift = self.env["intervention.oncall.shift"].with_user(self.user)
        self.assertTrue(Shift.search([("agency_id", "=", self.agency.id)]))
        with self.assertRaises(AccessError):
            self.shift_week_1.with_user(self.user).user_id = self.technician_2
        with self.assertRaises(AccessError):
            self.env["intervention.agency"].with_user(self.user).create(
                {"name": "Rogue agency"}
            )

    def test_other_company_agency_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        agency = self.env["intervention.agency"].create(
            {
                "name": "Other agency",
                "company_id": other.id,
                "resource_calendar_id": other.resource_calendar_id.id,
            }
        )
        visible = self.env["intervention.agency"].with_user(self.manager).search([])
        self.assertIn(self.agency, visible)
        self.assertNotIn(agency, visible)


@tagged("post_install", "-at_install")
class TestOncallWindows(OncallCommon):
    """Windows per type of day, and windows running past midnight."""

    def test_window_past_midnight(self):
        evening = self.agency.window_ids.filtered(lambda w: w.oncall_type == "evening")
        evening.hour_to = 8  # 18:00 to 08:00 the next morning
        # Tuesday 10 March 23:00 and Wednesday 07:59 Paris: inside.
        self.assertEqual(self.agency._window_at(datetime(2026, 3, 10, 22, 0)), evening)
        self.assertEqual(self.agency._window_at(datetime(2026, 3, 11, 6, 59)), evening)
        self.assertFalse(self.agency._window_at(datetime(2026, 3, 11, 7, 0)))

    def test_window_types_follow_the_day(self):
        day_duty = self.agency.window_ids.filtered(
            lambda w: w.oncall_type == "day_duty"
        )
        # Friday 1 May (holiday) 10:00 Paris: day duty; Thursday 30 April
        # 10:00: business hours, no window.
        self.assertEqual(self.agency._window_at(datetime(2026, 5, 1, 8, 0)), day_duty)
        self.assertFalse(self.agency._window_at(datetime(2026, 4, 30, 8, 0)))
        self.assertEqual(
            self.agency.window_ids.filtered(
                lambda w: w.oncall_type == "evening"
            ).display_name,
            "Weekday evenings 18:00-21:00",
        )
