from datetime import date, datetime

from odoo.tests import freeze_time, tagged

from .oncall_common import OncallCommon


@tagged("post_install", "-at_install")
class TestOncallGapGrouping(OncallCommon):
    """Coverage gaps read as periods (issue 18, point 4): windows that follow
    each other without a break make one missing period, and the list totals
    the uncovered hours per agency and week."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Weekend nights too: day duty 8-20, then 20-8 the next morning.
        cls.agency.window_ids = [
            (0, 0, {"oncall_type": "day_duty", "hour_from": 20, "hour_to": 8})
        ]

    def _level_1_periods(self, date_from, date_to):
        gaps = self.env["intervention.oncall.gap"]._compute_agency_gaps(
            self.agency, date_from, date_to
        )
        return [(g["date_start"], g["date_end"]) for g in gaps if g["level"] == "1"]

    def test_a_weekend_without_anyone_is_one_period(self):
        # Nobody from Monday 23 March 8:00 Paris; summer time from Sunday 29.
        self.assertEqual(
            self._level_1_periods(date(2026, 3, 27), date(2026, 3, 29)),
            [
                # Friday evening 18-21 Paris.
                (datetime(2026, 3, 27, 17, 0), datetime(2026, 3, 27, 20, 0)),
                # Saturday 8:00 (UTC+1) to Monday 8:00 (UTC+2): one line, not
                # four windows.
                (datetime(2026, 3, 28, 7, 0), datetime(2026, 3, 30, 6, 0)),
            ],
        )

    def test_gaps_total_per_agency_and_week(self):
        cron = self.env.ref("intervention_request.ir_cron_oncall_gaps")
        with freeze_time("2026-03-20 10:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        Gap = self.env["intervention.oncall.gap"]
        week = Gap.search(
            [
                ("agency_id", "=", self.agency.id),
                ("level", "=", "1"),
                ("date_start", ">=", datetime(2026, 3, 23)),
                ("date_start", "<", datetime(2026, 3, 30)),
            ]
        )
        # Five evenings of 3 h, then the weekend from Saturday 8:00 to
        # Monday 8:00 (47 h: the clocks go forward on Sunday).
        self.assertEqual(len(week), 6)
        self.assertEqual(sorted(week.mapped("duration")), [3.0] * 5 + [47.0])
        totals = Gap._read_group(
            [("id", "in", week.ids)], ["agency_id"], ["duration:sum", "__count"]
        )
        self.assertEqual(totals, [(self.agency, 62.0, 6)])
