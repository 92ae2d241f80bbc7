"""Business-time arithmetic (tools/business_time.py) on real calendars.

Every timeline comes from ``resource.calendar._intervention_timeline`` over
calendars with real attendances and public holidays stored as
``resource.calendar.leaves``; results are compared with exact UTC instants.

Europe/Paris is UTC+1 until Sunday 2026-03-29 01:00 UTC and from Sunday
2026-10-25 01:00 UTC, UTC+2 in between. ``local(...)`` builds an instant from
a Paris wall-clock time; expected values are written in UTC, with the local
time in a comment.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytz

from odoo.tests import TransactionCase, tagged

from ..tools.business_time import (
    ClockPaused,
    HorizonError,
    Timeline,
    is_within,
    merge,
    to_aware_utc,
    to_naive_utc,
)
from .common import create_calendar

PARIS = ZoneInfo("Europe/Paris")
FAR = datetime.max.replace(tzinfo=UTC)


def local(*args):
    """The instant at Paris wall-clock time ``args``, as an aware UTC."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def hours(value):
    return timedelta(hours=value)


# French public holidays of 2026 (all of them; 15 Aug and 1 Nov fall on a
# weekend).
FRENCH_HOLIDAYS_2026 = {
    date(2026, 1, 1): "Jour de l'an",
    date(2026, 4, 6): "Lundi de Pâques",
    date(2026, 5, 1): "Fête du travail",
    date(2026, 5, 8): "Victoire 1945",
    date(2026, 5, 14): "Ascension",
    date(2026, 5, 25): "Lundi de Pentecôte",
    date(2026, 7, 14): "Fête nationale",
    date(2026, 8, 15): "Assomption",
    date(2026, 11, 1): "Toussaint",
    date(2026, 11, 11): "Armistice",
    date(2026, 12, 25): "Noël",
}


@tagged("post_install", "-at_install")
class TestBusinessTime(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 003: Mon-Fri 9-18 without French public holidays
        cls.cal_office = cls._create_calendar("Mon-Fri 9-18", "01234", [(9, 18)])
        # 002: split days 9:00-12:00 / 14:00-17:30
        cls.cal_split = cls._create_calendar(
            "Mon-Fri 9-12 14-17:30", "01234", [(9, 12), (14, 17.5)]
        )
        # on-call: 7/7 8-22
        cls.cal_oncall = cls._create_calendar("7/7 8-22", "0123456", [(8, 22)])
        # Public holidays for every calendar (calendar_id False) ...
        cls.holidays = cls.env["resource.calendar.leaves"].create(
            [
                cls._holiday_values(day, name)
                for day, name in FRENCH_HOLIDAYS_2026.items()
            ]
        )
        # ... and a bridge day closing the split calendar only.
        cls.bridge = cls.env["resource.calendar.leaves"].create(
            cls._holiday_values(date(2026, 5, 15), "Pont", cls.cal_split)
        )

    @classmethod
    def _create_calendar(cls, name, days, hours, tz="Europe/Paris"):
        return create_calendar(cls.env, name, days, hours, tz=tz)

    @classmethod
    def _holiday_values(cls, day, name, calendar=None):
        """A public holiday: the whole local day, no resource."""
        return {
            "name": name,
            "date_from": to_naive_utc(datetime.combine(day, time.min, tzinfo=PARIS)),
            "date_to": to_naive_utc(
                datetime.combine(day, time(23, 59, 59), tzinfo=PARIS)
            ),
            "resource_id": False,
            "calendar_id": calendar.id if calendar else False,
            "time_type": "leave",
        }

    def _timeline(self, calendar, start, end, public_holidays=True):
        """The calendar's timeline between two naive UTC datetimes."""
        return calendar._intervention_timeline(
            start, end, public_holidays=public_holidays
        )

    def assertInstant(self, result, expected):
        """``result`` is an aware UTC datetime equal to ``expected``."""
        self.assertIsNotNone(result.tzinfo, "results are aware datetimes")
        self.assertEqual(result.utcoffset(), timedelta(0), "results are in UTC")
        self.assertEqual(
            result,
            expected,
            f"{result.astimezone(PARIS)} != {expected.astimezone(PARIS)} (Paris)",
        )

    # ------------------------------------------------------------------
    # 1. Start outside working hours
    # ------------------------------------------------------------------
    def test_add_from_before_opening(self):
        """A start before the opening counts from the opening: Monday 07:00
        + 2 business hours on Mon-Fri 9-18 is Monday 11:00."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        result = timeline.add(local(2026, 3, 2, 7, 0), hours(2))
        self.assertInstant(result, utc(2026, 3, 2, 10, 0))  # Mon 11:00 CET
        # Same instant given as naive UTC (06:00 UTC = 07:00 CET) or in seconds
        self.assertInstant(
            timeline.add(datetime(2026, 3, 2, 6, 0), 7200), utc(2026, 3, 2, 10, 0)
        )

    def test_add_from_night_and_weekend(self):
        """A start at night, after closing or during the weekend counts from
        the next opening: all of these + 2h end on Monday 11:00."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 2, 27), datetime(2026, 3, 15)
        )
        starts = {
            "Monday 02:00": local(2026, 3, 2, 2, 0),
            "Friday 19:00": local(2026, 2, 27, 19, 0),
            "Friday 18:00 (closing)": local(2026, 2, 27, 18, 0),
            "Saturday 10:00": local(2026, 2, 28, 10, 0),
            "Sunday 23:30": local(2026, 3, 1, 23, 30),
        }
        for label, start in starts.items():
            with self.subTest(start=label):
                self.assertFalse(timeline.is_working(start))
                self.assertInstant(
                    timeline.next_opening(start), utc(2026, 3, 2, 8, 0)
                )  # Mon 09:00 CET
                self.assertInstant(
                    timeline.add(start, hours(2)), utc(2026, 3, 2, 10, 0)
                )  # Mon 11:00 CET
                self.assertEqual(
                    timeline.elapsed(start, local(2026, 3, 2, 11, 0)), hours(2)
                )

    # ------------------------------------------------------------------
    # 2. Friday evening to Monday
    # ------------------------------------------------------------------
    def test_friday_evening_to_monday(self):
        """Business hours skip the weekend: Friday 17:00 + 4h on 9-18 is
        Monday 12:00 (1h on Friday, 3h on Monday). A deadline reached at a
        closing is that closing: Friday 17:00 + 1h is Friday 18:00."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        friday = local(2026, 3, 6, 17, 0)
        self.assertInstant(
            timeline.add(friday, hours(4)), utc(2026, 3, 9, 11, 0)
        )  # Mon 12:00 CET
        self.assertInstant(
            timeline.add(friday, hours(1)), utc(2026, 3, 6, 17, 0)
        )  # Fri 18:00 CET
        self.assertEqual(timeline.elapsed(friday, local(2026, 3, 9, 12, 0)), hours(4))

    # ------------------------------------------------------------------
    # 3. Split days (seed 002: 9:00-12:00 / 14:00-17:30)
    # ------------------------------------------------------------------
    def test_split_day_lunch_break(self):
        """The lunch break does not count: 10:00 + 4h is 16:00 (2h + 2h)
        and 11:00 + 4h is 17:00 (1h + 3h); a start during lunch counts from
        14:00."""
        timeline = self._timeline(
            self.cal_split, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        self.assertInstant(
            timeline.add(local(2026, 3, 2, 10, 0), hours(4)), utc(2026, 3, 2, 15, 0)
        )  # Mon 16:00 CET
        self.assertInstant(
            timeline.add(local(2026, 3, 2, 11, 0), hours(4)), utc(2026, 3, 2, 16, 0)
        )  # Mon 17:00 CET
        self.assertInstant(
            timeline.add(local(2026, 3, 2, 12, 30), hours(1)), utc(2026, 3, 2, 14, 0)
        )  # Mon 15:00 CET
        # 3.5h afternoon: 14:00 + 3.5h is the 17:30 closing, + 4h is Tue 9:30
        self.assertInstant(
            timeline.add(local(2026, 3, 2, 14, 0), hours(3.5)),
            utc(2026, 3, 2, 16, 30),
        )  # Mon 17:30 CET
        self.assertInstant(
            timeline.add(local(2026, 3, 2, 14, 0), hours(4)), utc(2026, 3, 3, 8, 30)
        )  # Tue 09:30 CET

    def test_split_day_priority_high_16h(self):
        """16 business hours (002 high priority) from Monday 10:00 on
        6.5h days: Monday 5.5h, Tuesday 6.5h, Wednesday 3h + 1h -> Wed 15:00."""
        timeline = self._timeline(
            self.cal_split, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        self.assertInstant(
            timeline.add(local(2026, 3, 2, 10, 0), hours(16)),
            utc(2026, 3, 4, 14, 0),
        )  # Wed 15:00 CET

    def test_split_day_priority_table(self):
        """The 002 priority table from Monday 2026-03-02 10:00: urgent 4h,
        high 16h, normal 40h, low 64h of 6.5h days."""
        timeline = self._timeline(
            self.cal_split, datetime(2026, 3, 1), datetime(2026, 3, 31)
        )
        start = local(2026, 3, 2, 10, 0)
        expected = {
            4: utc(2026, 3, 2, 15, 0),  # Mon 16:00
            16: utc(2026, 3, 4, 14, 0),  # Wed 15:00
            # Mon 5.5 + Tue..Mon 5 days 32.5 = 38h, + 2h Tue 09:00-11:00
            40: utc(2026, 3, 10, 10, 0),  # Tue 10 11:00
            # 38h at Mon 9 closing, Tue..Fri 4 days 26h = 64h at Fri 13 17:30
            64: utc(2026, 3, 13, 16, 30),  # Fri 13 17:30
        }
        for duration, deadline in expected.items():
            with self.subTest(hours=duration):
                result = timeline.add(start, hours(duration))
                self.assertInstant(result, deadline)
                self.assertEqual(timeline.elapsed(start, result), hours(duration))

    def test_split_day_low_64h_from_wednesday(self):
        """64 business hours (002 low priority) from a Wednesday: from Wed
        2026-02-04 09:00, 9 full days (58.5h) then Tue 02-17 9-12 + 14-16:30;
        from Wed 10:00, the 64th hour ends exactly at Tue 02-17 17:30."""
        timeline = self._timeline(
            self.cal_split, datetime(2026, 2, 1), datetime(2026, 3, 1)
        )
        self.assertInstant(
            timeline.add(local(2026, 2, 4, 9, 0), hours(64)),
            utc(2026, 2, 17, 15, 30),
        )  # Tue 16:30 CET
        self.assertInstant(
            timeline.add(local(2026, 2, 4, 10, 0), hours(64)),
            utc(2026, 2, 17, 16, 30),
        )  # Tue 17:30 CET (closing)

    def test_split_day_elapsed_across_lunch(self):
        """Elapsed business time leaves out the lunch break and the night."""
        timeline = self._timeline(
            self.cal_split, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        cases = [
            ((2026, 3, 2, 11, 0), (2026, 3, 2, 15, 0), hours(2)),
            ((2026, 3, 2, 11, 30), (2026, 3, 2, 14, 30), hours(1)),
            ((2026, 3, 2, 12, 15), (2026, 3, 2, 13, 45), hours(0)),
            ((2026, 3, 2, 16, 0), (2026, 3, 3, 10, 0), hours(2.5)),
            ((2026, 3, 2, 9, 0), (2026, 3, 7, 0, 0), hours(32.5)),
        ]
        for start, end, expected in cases:
            with self.subTest(start=start, end=end):
                self.assertEqual(timeline.elapsed(local(*start), local(*end)), expected)

    # ------------------------------------------------------------------
    # 4. French public holidays
    # ------------------------------------------------------------------
    def test_public_holidays_are_not_working_days(self):
        """Each French public holiday of 2026 on a weekday is closed on
        every calendar (holiday without calendar) and left out of the
        working days; the calendar's own bridge day closes only it."""
        start, end = datetime(2026, 1, 1), datetime(2027, 1, 1)
        office = self._timeline(self.cal_office, start, end)
        split = self._timeline(self.cal_split, start, end)
        for day in FRENCH_HOLIDAYS_2026:
            with self.subTest(day=day):
                for timeline in (office, split):
                    self.assertFalse(
                        timeline.is_working(local(*day.timetuple()[:3], 10))
                    )
                    self.assertNotIn(day, timeline.working_days)
        # 2026: 261 weekdays, 9 holidays on weekdays
        self.assertEqual(len(office.working_days), 252)
        # the bridge day of the split calendar
        self.assertTrue(office.is_working(local(2026, 5, 15, 10, 0)))
        self.assertFalse(split.is_working(local(2026, 5, 15, 10, 0)))
        self.assertEqual(len(split.working_days), 251)

    def test_holiday_scope(self):
        """Only time off without resource counts as a public holiday, on
        the calendar it names or on all calendars; a personal leave or
        another calendar's holiday leaves the calendar open."""
        other = self._create_calendar("Other", "01234", [(9, 18)])
        resource = self.env["resource.resource"].create(
            {"name": "Someone", "calendar_id": self.cal_office.id}
        )
        Leave = self.env["resource.calendar.leaves"]
        Leave.create(self._holiday_values(date(2026, 3, 2), "Other's", other))
        Leave.create(
            {
                **self._holiday_values(date(2026, 3, 3), "Personal"),
                "resource_id": resource.id,
                "calendar_id": self.cal_office.id,
            }
        )
        Leave.create(
            {
                **self._holiday_values(date(2026, 3, 4), "Training"),
                "time_type": "other",
            }
        )
        Leave.create(self._holiday_values(date(2026, 3, 5), "Own", self.cal_office))
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 8)
        )
        self.assertTrue(timeline.is_working(local(2026, 3, 2, 10, 0)))
        self.assertTrue(timeline.is_working(local(2026, 3, 3, 10, 0)))
        self.assertTrue(timeline.is_working(local(2026, 3, 4, 10, 0)))
        self.assertFalse(timeline.is_working(local(2026, 3, 5, 10, 0)))
        self.assertEqual(
            timeline.working_days,
            [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 6)],
        )

    def test_business_days_over_friday_holiday(self):
        """C1: N business days = the same local time N working days later.
        Thu 2026-04-30 15:00 + 1 business day is Mon 05-04 15:00 when Friday
        05-01 is a holiday, and + 2 business days is Tue 05-05 15:00: the
        holiday moves the result one working day later than in a normal
        week, where Thu 15:00 + 2 business days is Mon 15:00 (SPEC C1's
        example "+ 2 = Mon 15:00 when Friday is a holiday" forgets that)."""
        start, end = datetime(2026, 4, 27), datetime(2026, 5, 12)
        timeline = self._timeline(self.cal_office, start, end)
        thursday = local(2026, 4, 30, 15, 0)
        self.assertInstant(
            timeline.add_days(thursday, 1), utc(2026, 5, 4, 13, 0)
        )  # Mon 15:00 CEST
        self.assertInstant(
            timeline.add_days(thursday, 2), utc(2026, 5, 5, 13, 0)
        )  # Tue 15:00 CEST
        # the same business instant: as many business hours as 1 or 2 days
        self.assertEqual(timeline.elapsed(thursday, local(2026, 5, 4, 15)), hours(9))
        self.assertEqual(timeline.elapsed(thursday, local(2026, 5, 5, 15)), hours(18))
        # without the holiday (same calendar, holidays ignored)
        open_week = self._timeline(self.cal_office, start, end, public_holidays=False)
        self.assertInstant(
            open_week.add_days(thursday, 2), utc(2026, 5, 4, 13, 0)
        )  # Mon 15:00 CEST

    def test_business_hours_across_holidays(self):
        """Business hours skip public holidays: 17:00 + 2h on the day before
        a holiday ends at 10:00 on the next working day."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 4, 1), datetime(2027, 1, 10)
        )
        cases = [
            # Thu 04-30 15:00 + 4h: 3h on Thursday, Fri 1 May, weekend
            ((2026, 4, 30, 15, 0), 4, utc(2026, 5, 4, 8, 0)),  # Mon 10:00 CEST
            # Wed 05-13 17:00 + 2h: Ascension Thursday
            ((2026, 5, 13, 17, 0), 2, utc(2026, 5, 15, 8, 0)),  # Fri 10:00 CEST
            # Mon 07-13 17:00 + 2h: 14 July on Tuesday
            ((2026, 7, 13, 17, 0), 2, utc(2026, 7, 15, 8, 0)),  # Wed 10:00 CEST
            # Tue 11-10 17:00 + 2h: 11 November on Wednesday (CET again)
            ((2026, 11, 10, 17, 0), 2, utc(2026, 11, 12, 9, 0)),  # Thu 10:00 CET
            # Thu 12-24 17:00 + 2h: Christmas on Friday
            ((2026, 12, 24, 17, 0), 2, utc(2026, 12, 28, 9, 0)),  # Mon 10:00 CET
        ]
        for start, duration, expected in cases:
            with self.subTest(start=start):
                self.assertInstant(
                    timeline.add(local(*start), hours(duration)), expected
                )

    def test_elapsed_over_holiday_weeks(self):
        """A week with a public holiday counts 4 working days (36h on
        9-18) from Monday 09:00 to the next Monday 09:00."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 1, 1), datetime(2027, 1, 10)
        )
        for monday in (
            date(2026, 5, 11),  # Ascension
            date(2026, 7, 13),  # 14 July
            date(2026, 11, 9),  # 11 November
            date(2026, 12, 21),  # Christmas
        ):
            with self.subTest(week=monday):
                start = local(monday.year, monday.month, monday.day, 9)
                self.assertEqual(
                    timeline.elapsed(start, start + timedelta(days=7)), hours(36)
                )
        # a normal week: 45h; the week of 1 and 8 May (two Fridays) 36h each
        start = local(2026, 3, 2, 9)
        self.assertEqual(timeline.elapsed(start, start + timedelta(days=7)), hours(45))
        start = local(2026, 4, 27, 9)
        self.assertEqual(timeline.elapsed(start, start + timedelta(days=14)), hours(72))

    # ------------------------------------------------------------------
    # 5. Freezes
    # ------------------------------------------------------------------
    def test_freeze_over_weekend(self):
        """A freeze pushes the deadline by exactly the business time it
        covers: Friday 16:00 to Tuesday 10:00 on 9-18 freezes Fri 16-18 +
        Mon 9-18 + Tue 9-10 = 12h, so Friday 10:00 + 8h moves from Friday
        18:00 to Tuesday 12:00."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 20)
        )
        freeze = (local(2026, 3, 6, 16, 0), local(2026, 3, 10, 10, 0))
        self.assertEqual(timeline.elapsed(*freeze), hours(12))
        start = local(2026, 3, 6, 10, 0)
        plain = timeline.add(start, hours(8))
        self.assertInstant(plain, utc(2026, 3, 6, 17, 0))  # Fri 18:00 CET
        frozen = timeline.add(start, hours(8), [freeze])
        self.assertInstant(frozen, utc(2026, 3, 10, 11, 0))  # Tue 12:00 CET
        self.assertInstant(timeline.add(plain, hours(12)), frozen)
        self.assertEqual(timeline.elapsed(start, frozen, [freeze]), hours(8))
        # naive UTC freeze bounds are the same freeze
        naive = (to_naive_utc(freeze[0]), to_naive_utc(freeze[1]))
        self.assertInstant(timeline.add(start, hours(8), [naive]), frozen)
        # a deadline before the freeze does not move
        self.assertInstant(
            timeline.add(start, hours(4), [freeze]), utc(2026, 3, 6, 13, 0)
        )  # Fri 14:00 CET
        # nor does it for a freeze over before the start
        early = (local(2026, 3, 2, 9, 0), local(2026, 3, 3, 18, 0))
        self.assertInstant(timeline.add(start, hours(8), [early]), plain)
        # a start inside the freeze counts from its end
        self.assertInstant(
            timeline.add(local(2026, 3, 9, 11, 0), hours(2), [freeze]),
            utc(2026, 3, 10, 11, 0),
        )  # Tue 12:00 CET

    def test_many_freezes(self):
        """Several disjoint freezes each push the deadline: a 12:00-13:00
        freeze every day leaves 8h a day, so Monday 09:00 + 40h is Friday
        18:00 instead of Friday 13:00."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 20)
        )
        freezes = [
            (local(2026, 3, day, 12, 0), local(2026, 3, day, 13, 0))
            for day in range(2, 7)
        ]
        start = local(2026, 3, 2, 9, 0)
        self.assertInstant(
            timeline.add(start, hours(40)), utc(2026, 3, 6, 12, 0)
        )  # Fri 13:00 CET
        result = timeline.add(start, hours(40), freezes)
        self.assertInstant(result, utc(2026, 3, 6, 17, 0))  # Fri 18:00 CET
        self.assertEqual(timeline.elapsed(start, result, freezes), hours(40))
        # a deadline that fell inside a freeze (12:30) moves after it:
        # 3h before the freeze, 30 min after it
        self.assertInstant(
            timeline.add(start, hours(3.5), freezes), utc(2026, 3, 2, 12, 30)
        )  # Mon 13:30 CET

    def test_running_freeze_pauses_clock(self):
        """A running freeze (no end) pauses the clock indefinitely: a
        deadline after its start does not exist yet (``add`` and
        ``add_days`` raise ClockPaused, a HorizonError), a deadline before
        its start is unaffected, and ``elapsed`` leaves out the frozen time
        up to ``end``."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 31)
        )
        start = local(2026, 3, 2, 9, 0)
        running = [(local(2026, 3, 2, 11, 0), None)]
        with self.assertRaises(ClockPaused):
            timeline.add(start, hours(4), running)
        with self.assertRaises(HorizonError):
            timeline.add(start, hours(4), running)
        with self.assertRaises(ClockPaused):
            timeline.add_days(start, 1, running)
        # reached before the freeze starts (exactly at its start, too)
        self.assertInstant(
            timeline.add(start, hours(1), running), utc(2026, 3, 2, 9, 0)
        )  # Mon 10:00 CET
        self.assertInstant(
            timeline.add(start, hours(2), running), utc(2026, 3, 2, 10, 0)
        )  # Mon 11:00 CET
        # elapsed: only the 2 hours before the freeze, whatever the end
        for end in (
            local(2026, 3, 2, 12, 0),
            local(2026, 3, 4, 15, 0),
            local(2026, 3, 30, 18, 0),
        ):
            with self.subTest(end=end):
                self.assertEqual(timeline.elapsed(start, end, running), hours(2))
        self.assertEqual(
            timeline.elapsed(start, local(2026, 3, 2, 10, 0), running), hours(1)
        )
        # a running freeze that started before the start: nothing elapses
        self.assertEqual(
            timeline.elapsed(
                local(2026, 3, 3, 9, 0),
                local(2026, 3, 5, 9, 0),
                [(local(2026, 3, 2, 15, 0), None)],
            ),
            timedelta(0),
        )

    def test_overlapping_freezes_count_once(self):
        """Overlapping or repeated freezes count their union once: 10-14
        and 12-16 (and 10-14 again) freeze 6h of Monday, not 10h."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 20)
        )
        freezes = [
            (local(2026, 3, 2, 12, 0), local(2026, 3, 2, 16, 0)),
            (local(2026, 3, 2, 10, 0), local(2026, 3, 2, 14, 0)),
            (local(2026, 3, 2, 10, 0), local(2026, 3, 2, 14, 0)),
        ]
        monday, evening = local(2026, 3, 2, 9, 0), local(2026, 3, 2, 18, 0)
        self.assertEqual(timeline.elapsed(monday, evening, freezes), hours(3))
        # 1h before the freezes, 2h after them
        self.assertInstant(
            timeline.add(monday, hours(3), freezes), utc(2026, 3, 2, 17, 0)
        )  # Mon 18:00 CET
        self.assertInstant(
            timeline.add(monday, hours(4), freezes), utc(2026, 3, 3, 9, 0)
        )  # Tue 10:00 CET
        # a running freeze over a finished one: paused from 10:00
        running = [*freezes, (local(2026, 3, 2, 15, 0), None)]
        self.assertEqual(
            timeline.elapsed(monday, local(2026, 3, 5, 9, 0), running), hours(1)
        )

    # ------------------------------------------------------------------
    # 6. Daylight saving time (Europe/Paris)
    # ------------------------------------------------------------------
    def test_dst_spring_forward_business_hours(self):
        """Working hours follow the local clock across the spring-forward
        Sunday 2026-03-29: Friday 17:00 (16:00 UTC) + 2h is Monday 10:00
        local, 08:00 UTC (not 09:00 UTC)."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 23), datetime(2026, 4, 4)
        )
        self.assertInstant(
            timeline.add(utc(2026, 3, 27, 16, 0), hours(2)), utc(2026, 3, 30, 8, 0)
        )
        self.assertTrue(timeline.is_working(utc(2026, 3, 30, 7, 0)))  # 09:00 CEST
        self.assertFalse(timeline.is_working(utc(2026, 3, 30, 6, 59)))
        self.assertFalse(timeline.is_working(utc(2026, 3, 30, 16, 0)))  # 18:00
        # Friday 09:00 CET to Monday 18:00 CEST: 18h
        self.assertEqual(
            timeline.elapsed(utc(2026, 3, 27, 8, 0), utc(2026, 3, 30, 16, 0)),
            hours(18),
        )

    def test_dst_fall_back_business_hours(self):
        """Across the fall-back Sunday 2026-10-25: Friday 17:00 local
        (15:00 UTC) + 2h is Monday 2026-10-26 10:00 local, 09:00 UTC."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 10, 19), datetime(2026, 10, 31)
        )
        self.assertInstant(
            timeline.add(utc(2026, 10, 23, 15, 0), hours(2)), utc(2026, 10, 26, 9, 0)
        )
        self.assertTrue(timeline.is_working(utc(2026, 10, 26, 8, 0)))  # 09:00 CET
        self.assertFalse(timeline.is_working(utc(2026, 10, 26, 7, 59)))
        self.assertEqual(
            timeline.elapsed(utc(2026, 10, 23, 7, 0), utc(2026, 10, 26, 17, 0)),
            hours(18),
        )

    def test_dst_business_days_keep_local_time(self):
        """Business days keep the local clock time across a DST change:
        Friday 15:00 + 1 business day is Monday 15:00 local, one hour less
        (spring) or more (autumn) in UTC."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 20), datetime(2026, 11, 6)
        )
        # spring: Fri 03-27 15:00 CET = 14:00 UTC -> Mon 03-30 15:00 CEST
        self.assertInstant(
            timeline.add_days(utc(2026, 3, 27, 14, 0), 1), utc(2026, 3, 30, 13, 0)
        )
        # Thu 03-26 15:00 CET + 5 -> Thu 04-02 15:00 CEST
        self.assertInstant(
            timeline.add_days(utc(2026, 3, 26, 14, 0), 5), utc(2026, 4, 2, 13, 0)
        )
        # autumn: Fri 10-23 15:00 CEST = 13:00 UTC -> Mon 10-26 15:00 CET
        self.assertInstant(
            timeline.add_days(utc(2026, 10, 23, 13, 0), 1), utc(2026, 10, 26, 14, 0)
        )
        # and it is the same business instant as 9 business hours
        self.assertInstant(
            timeline.add(utc(2026, 10, 23, 13, 0), hours(9)), utc(2026, 10, 26, 14, 0)
        )

    def test_dst_seven_days_calendar(self):
        """A 7/7 8-22 calendar works on the DST Sundays from 08:00 local
        (06:00 UTC in spring, 07:00 UTC in autumn): 14 business hours that
        day, whatever the length of the night before."""
        timeline = self._timeline(
            self.cal_oncall, datetime(2026, 3, 27), datetime(2026, 10, 28)
        )
        # spring: Sat 03-28 21:00 CET (20:00 UTC) + 2h -> Sun 09:00 CEST
        self.assertInstant(
            timeline.add(utc(2026, 3, 28, 20, 0), hours(2)), utc(2026, 3, 29, 7, 0)
        )
        self.assertFalse(timeline.is_working(utc(2026, 3, 29, 5, 59)))
        self.assertTrue(timeline.is_working(utc(2026, 3, 29, 6, 0)))  # 08:00 CEST
        self.assertTrue(timeline.is_working(utc(2026, 3, 29, 19, 59)))
        self.assertFalse(timeline.is_working(utc(2026, 3, 29, 20, 0)))  # 22:00
        # Sat 08:00 CET (07:00 UTC) to Sun 22:00 CEST (20:00 UTC): 28h
        self.assertEqual(
            timeline.elapsed(utc(2026, 3, 28, 7, 0), utc(2026, 3, 29, 20, 0)),
            hours(28),
        )
        # Sat 08:30 CET + 1 business day -> Sun 08:30 CEST (06:30 UTC)
        self.assertInstant(
            timeline.add_days(utc(2026, 3, 28, 7, 30), 1), utc(2026, 3, 29, 6, 30)
        )
        # autumn: Sat 10-24 21:00 CEST (19:00 UTC) + 2h -> Sun 09:00 CET
        self.assertInstant(
            timeline.add(utc(2026, 10, 24, 19, 0), hours(2)), utc(2026, 10, 25, 8, 0)
        )
        self.assertTrue(timeline.is_working(utc(2026, 10, 25, 7, 0)))  # 08:00 CET
        self.assertFalse(timeline.is_working(utc(2026, 10, 25, 21, 0)))  # 22:00
        self.assertEqual(
            timeline.elapsed(utc(2026, 10, 24, 6, 0), utc(2026, 10, 25, 21, 0)),
            hours(28),
        )

    # ------------------------------------------------------------------
    # 7. Business-day targets (seed 003: 5 and 8 business days)
    # ------------------------------------------------------------------
    def test_business_days_from_inside_hours(self):
        """From inside working hours, N business days land at the same local
        time N working days later: Monday 10:00 + 5 is next Monday 10:00,
        + 8 is the Thursday after."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 27)
        )
        start = local(2026, 3, 2, 10, 0)
        self.assertInstant(timeline.add_days(start, 0), start)
        self.assertInstant(
            timeline.add_days(start, 5), utc(2026, 3, 9, 9, 0)
        )  # Mon 10:00 CET
        self.assertInstant(
            timeline.add_days(start, 8), utc(2026, 3, 12, 9, 0)
        )  # Thu 10:00 CET
        self.assertEqual(
            timeline.elapsed(start, timeline.add_days(start, 8)), hours(72)
        )

    def test_business_days_from_outside_hours(self):
        """From outside working hours, business days count from the next
        opening (09:00 of the next working day)."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 27)
        )
        cases = [
            # Mon 07:00 -> Mon 09:00 -> + 5 -> Mon 03-09 09:00
            ((2026, 3, 2, 7, 0), 5, utc(2026, 3, 9, 8, 0)),
            # Sat 10:00 -> Mon 03-09 09:00 -> + 5 -> Mon 03-16 09:00
            ((2026, 3, 7, 10, 0), 5, utc(2026, 3, 16, 8, 0)),
            # Tue 19:00 -> Wed 03-04 09:00 -> + 8 -> Mon 03-16 09:00
            ((2026, 3, 3, 19, 0), 8, utc(2026, 3, 16, 8, 0)),
            # Fri 18:00 (closing) -> Mon 03-09 09:00 -> + 8 -> Thu 03-19 09:00
            ((2026, 3, 6, 18, 0), 8, utc(2026, 3, 19, 8, 0)),
        ]
        for start, days, expected in cases:
            with self.subTest(start=start, days=days):
                self.assertInstant(timeline.add_days(local(*start), days), expected)

    def test_business_days_over_holidays(self):
        """Public holidays are not working days: Thu 2026-05-07 10:00 + 5
        skips Fri 8 May and Thu 14 May (Ascension) -> Mon 05-18 10:00;
        + 8 -> Thu 05-21 10:00. On the split calendar the bridge day Fri
        05-15 is closed too -> Tue 05-19 10:00."""
        start, end = datetime(2026, 5, 4), datetime(2026, 6, 1)
        office = self._timeline(self.cal_office, start, end)
        thursday = local(2026, 5, 7, 10, 0)
        self.assertInstant(
            office.add_days(thursday, 5), utc(2026, 5, 18, 8, 0)
        )  # Mon 10:00 CEST
        self.assertInstant(
            office.add_days(thursday, 8), utc(2026, 5, 21, 8, 0)
        )  # Thu 10:00 CEST
        split = self._timeline(self.cal_split, start, end)
        self.assertInstant(
            split.add_days(thursday, 5), utc(2026, 5, 19, 8, 0)
        )  # Tue 10:00 CEST
        # a start on a holiday counts from the next opening
        self.assertInstant(
            office.add_days(local(2026, 5, 14, 10, 0), 5), utc(2026, 5, 22, 7, 0)
        )  # Fri 15 09:00 + 5 -> Fri 22 09:00 CEST (Whit Monday 25 not reached)

    def test_business_days_with_freeze(self):
        """A freeze inside the period pushes a business-day target by the
        business time it covers: Monday 10:00 + 5 days with Tue 14:00 - Wed
        11:00 frozen (6h) is next Monday 10:00 + 6h = 16:00."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 27)
        )
        start = local(2026, 3, 2, 10, 0)
        freeze = (local(2026, 3, 3, 14, 0), local(2026, 3, 4, 11, 0))
        result = timeline.add_days(start, 5, [freeze])
        self.assertInstant(result, utc(2026, 3, 9, 15, 0))  # Mon 16:00 CET
        self.assertEqual(timeline.elapsed(start, result, [freeze]), hours(45))
        # a whole working day frozen pushes + 8 days by one day
        day_off = (local(2026, 3, 4, 0, 0), local(2026, 3, 5, 0, 0))
        self.assertInstant(
            timeline.add_days(start, 8, [day_off]), utc(2026, 3, 13, 9, 0)
        )  # Fri 10:00 CET
        # a freeze over the target adds what it covers on both sides
        around = (local(2026, 3, 3, 9, 0), local(2026, 3, 3, 12, 0))
        self.assertInstant(
            timeline.add_days(start, 1, [around]), utc(2026, 3, 3, 12, 0)
        )  # Tue 13:00 CET
        # a freeze outside the period changes nothing
        later = (local(2026, 3, 20, 9, 0), local(2026, 3, 20, 18, 0))
        self.assertInstant(timeline.add_days(start, 5, [later]), utc(2026, 3, 9, 9, 0))

    def test_business_days_to_a_shorter_day(self):
        """A business-day result outside the target day's hours (a shorter
        day) moves to the next opening: Wed 2026-12-23 15:00 + 1 with 24
        December closed from 12:00 and Christmas on Friday is Mon 12-28
        09:00 (the same business position as Thu 24 12:00)."""
        self.env["resource.calendar.leaves"].create(
            {
                **self._holiday_values(date(2026, 12, 24), "Christmas Eve"),
                "date_from": to_naive_utc(local(2026, 12, 24, 12, 0)),
            }
        )
        timeline = self._timeline(
            self.cal_office, datetime(2026, 12, 21), datetime(2027, 1, 10)
        )
        result = timeline.add_days(local(2026, 12, 23, 15, 0), 1)
        self.assertInstant(result, utc(2026, 12, 28, 8, 0))  # Mon 09:00 CET
        self.assertEqual(
            timeline.position(result), timeline.position(local(2026, 12, 24, 12, 0))
        )

    # ------------------------------------------------------------------
    # 8. Edge cases
    # ------------------------------------------------------------------
    def test_add_zero(self):
        """Adding nothing returns the start when it is working time, else
        the next opening (not the previous closing)."""
        office = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        split = self._timeline(
            self.cal_split, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        monday_nine = utc(2026, 3, 9, 8, 0)
        self.assertInstant(office.add(local(2026, 3, 7, 10, 0), 0), monday_nine)
        self.assertInstant(office.add(local(2026, 3, 6, 18, 0), 0), monday_nine)
        self.assertInstant(office.add(local(2026, 3, 9, 9, 0), 0), monday_nine)
        self.assertInstant(
            office.add(local(2026, 3, 4, 11, 15), timedelta(0)), utc(2026, 3, 4, 10, 15)
        )
        self.assertInstant(
            split.add(local(2026, 3, 4, 12, 30), 0), utc(2026, 3, 4, 13, 0)
        )  # Wed 14:00 CET
        self.assertInstant(office.add_days(local(2026, 3, 7, 10, 0), 0), monday_nine)
        with self.assertRaises(ValueError):
            office.add(local(2026, 3, 4, 11, 0), hours(-1))

    def test_elapsed_end_before_start(self):
        """Elapsed time is zero when the end is not after the start."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        start, end = local(2026, 3, 2, 10, 0), local(2026, 3, 4, 15, 0)
        # Monday 8h, Tuesday 9h, Wednesday 6h
        self.assertEqual(timeline.elapsed(start, end), hours(23))
        self.assertEqual(timeline.elapsed(end, start), timedelta(0))
        self.assertEqual(timeline.elapsed(start, start), timedelta(0))
        # the same instant as naive UTC and aware Paris
        self.assertEqual(timeline.elapsed(to_naive_utc(start), end), hours(23))

    def test_horizon_errors(self):
        """A result beyond the timeline raises HorizonError instead of a
        wrong value: the week of 2026-03-02 holds 45 business hours and 5
        working days."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 3, 2), datetime(2026, 3, 8)
        )
        monday = local(2026, 3, 2, 9, 0)
        self.assertEqual(timeline.total, 45 * 3600)
        self.assertInstant(timeline.add(monday, hours(45)), utc(2026, 3, 6, 17, 0))
        with self.assertRaises(HorizonError):
            timeline.add(monday, hours(45) + timedelta(seconds=1))
        self.assertInstant(timeline.add_days(monday, 4), utc(2026, 3, 6, 8, 0))
        with self.assertRaises(HorizonError):
            timeline.add_days(monday, 5)
        with self.assertRaises(HorizonError):
            timeline.add_days(monday, -1)
        # the freeze pushes the deadline out of the timeline
        with self.assertRaises(HorizonError):
            timeline.add(
                monday, hours(40), [(local(2026, 3, 3, 9), local(2026, 3, 3, 18))]
            )
        with self.assertRaises(HorizonError):
            # Friday 10:00 + the frozen 9h: beyond Friday 18:00
            timeline.add_days(
                local(2026, 3, 2, 10, 0),
                4,
                [(local(2026, 3, 3, 9), local(2026, 3, 3, 18))],
            )
        with self.assertRaises(HorizonError):
            timeline.position(datetime(2026, 3, 8, 0, 0, 1))
        with self.assertRaises(HorizonError):
            timeline.position(datetime(2026, 3, 1, 23, 59))
        with self.assertRaises(HorizonError):
            timeline.instant_at(timeline.total + 1)
        with self.assertRaises(HorizonError):
            timeline.next_opening(local(2026, 3, 7, 10, 0))
        with self.assertRaises(HorizonError):
            timeline.elapsed(monday, datetime(2026, 3, 9, 12, 0))
        # the horizon end itself is still inside
        self.assertEqual(timeline.position(datetime(2026, 3, 8)), timeline.total)

    def test_position_instant_at_round_trip(self):
        """``instant_at(position(t))`` is ``t`` inside working time; at an
        opening (but the first) or outside working time it is the previous
        closing, the first instant with that position, whose next opening
        is ``t`` again for an opening."""
        timeline = self._timeline(
            self.cal_split, datetime(2026, 3, 1, 23, 0), datetime(2026, 3, 15)
        )
        # the timeline starts Monday 00:00 CET: Monday 09:00 is position 0
        self.assertEqual(timeline.position(local(2026, 3, 2, 9, 0)), 0)
        self.assertEqual(timeline.position(local(2026, 3, 2, 7, 0)), 0)
        self.assertEqual(timeline.position(local(2026, 3, 3, 10, 0)), 7.5 * 3600)
        for instant in (
            local(2026, 3, 2, 9, 0),
            local(2026, 3, 2, 11, 59, 59),
            local(2026, 3, 2, 14, 0, 1),
            local(2026, 3, 4, 16, 12, 30),
            local(2026, 3, 13, 17, 29),
        ):
            with self.subTest(instant=instant):
                self.assertInstant(
                    timeline.instant_at(timeline.position(instant)), instant
                )
        for instant, closing in (
            (local(2026, 3, 2, 13, 0), utc(2026, 3, 2, 11, 0)),  # Mon 12:00
            (local(2026, 3, 2, 20, 0), utc(2026, 3, 2, 16, 30)),  # Mon 17:30
            (local(2026, 3, 7, 10, 0), utc(2026, 3, 6, 16, 30)),  # Fri 17:30
            (local(2026, 3, 2, 14, 0), utc(2026, 3, 2, 11, 0)),  # Mon 12:00
            (local(2026, 3, 3, 9, 0), utc(2026, 3, 2, 16, 30)),  # Mon 17:30
        ):
            with self.subTest(instant=instant):
                self.assertInstant(
                    timeline.instant_at(timeline.position(instant)), closing
                )
                self.assertInstant(
                    timeline.next_opening(closing), timeline.next_opening(instant)
                )
        # positions only grow
        instants = [
            local(2026, 3, 2, 0) + timedelta(minutes=37 * i) for i in range(300)
        ]
        positions = [timeline.position(instant) for instant in instants]
        self.assertEqual(positions, sorted(positions))

    def test_is_working_boundaries(self):
        """An opening is working time, a closing is not."""
        split = self._timeline(
            self.cal_split, datetime(2026, 3, 1), datetime(2026, 3, 15)
        )
        second = timedelta(seconds=1)
        cases = [
            (local(2026, 3, 2, 9, 0), True),
            (local(2026, 3, 2, 9, 0) - second, False),
            (local(2026, 3, 2, 12, 0) - second, True),
            (local(2026, 3, 2, 12, 0), False),
            (local(2026, 3, 2, 14, 0) - second, False),
            (local(2026, 3, 2, 14, 0), True),
            (local(2026, 3, 2, 17, 30) - second, True),
            (local(2026, 3, 2, 17, 30), False),
            (local(2026, 3, 7, 10, 0), False),  # Saturday
            (datetime(2026, 3, 2, 8, 0), True),  # naive UTC: 09:00 CET
        ]
        intervals = self.cal_split._work_intervals_batch(
            to_aware_utc(datetime(2026, 3, 1)), to_aware_utc(datetime(2026, 3, 15))
        )[False]
        for instant, working in cases:
            with self.subTest(instant=instant):
                self.assertEqual(split.is_working(instant), working)
                self.assertEqual(is_within(intervals, instant), working)
        # outside the timeline: not working
        self.assertFalse(split.is_working(local(2026, 3, 16, 10, 0)))

    def test_merge(self):
        """merge() sorts, unites overlapping and touching pairs, drops empty
        ones, converts to aware UTC and gives a running freeze (stop None)
        the horizon end, or the far future without one."""
        a, b, c, d, e = (utc(2026, 3, 2, hour) for hour in (8, 10, 12, 14, 16))
        self.assertEqual(merge([(c, e), (a, b), (b, c)]), [(a, e)])
        self.assertEqual(merge([(d, e), (a, c), (b, d)]), [(a, e)])
        self.assertEqual(merge([(c, d), (a, b)]), [(a, b), (c, d)])
        self.assertEqual(merge([(a, e), (b, c)]), [(a, e)])
        self.assertEqual(merge([(b, b), (c, a)]), [])
        self.assertEqual(merge([]), [])
        # naive UTC and other zones become aware UTC
        merged = merge([(datetime(2026, 3, 2, 8), local(2026, 3, 2, 11, 0))])
        self.assertEqual(merged, [(a, b)])
        self.assertTrue(all(x.utcoffset() == timedelta(0) for x in merged[0]))
        # extra items of a tuple (Odoo intervals carry records) are ignored
        self.assertEqual(merge([(a, b, "meta")]), [(a, b)])
        # a running freeze
        self.assertEqual(merge([(c, None)], horizon_end=e), [(c, e)])
        self.assertEqual(merge([(c, None)]), [(c, FAR)])
        self.assertEqual(merge([(a, c), (b, None)], horizon_end=e), [(a, e)])
        self.assertEqual(merge([(e, None)], horizon_end=d), [])

    def test_utc_conversions(self):
        """Naive datetimes are UTC (as Odoo stores them); aware ones are
        converted; naive ones stay as they are."""
        naive = datetime(2026, 7, 1, 10, 0)
        self.assertEqual(to_aware_utc(naive), utc(2026, 7, 1, 10, 0))
        self.assertEqual(
            to_aware_utc(datetime(2026, 7, 1, 12, 0, tzinfo=PARIS)).tzinfo, UTC
        )
        self.assertEqual(
            to_aware_utc(datetime(2026, 7, 1, 12, 0, tzinfo=PARIS)),
            utc(2026, 7, 1, 10, 0),
        )
        self.assertEqual(to_naive_utc(local(2026, 7, 1, 12, 0)), naive)
        self.assertEqual(to_naive_utc(naive), naive)

    def test_public_holidays_ignored_for_on_call(self):
        """``public_holidays=False`` keeps public holidays as working time,
        for on-call windows that run precisely on them: Friday 1 May is 8-22
        on the 7/7 calendar, 9-18 on the office one."""
        start, end = datetime(2026, 4, 27), datetime(2026, 5, 4)
        may_day = local(2026, 5, 1, 10, 0)
        oncall = self._timeline(self.cal_oncall, start, end)
        oncall_all = self._timeline(self.cal_oncall, start, end, public_holidays=False)
        self.assertFalse(oncall.is_working(may_day))
        self.assertTrue(oncall_all.is_working(may_day))
        self.assertIn(date(2026, 5, 1), oncall_all.working_days)
        self.assertNotIn(date(2026, 5, 1), oncall.working_days)
        day = (local(2026, 5, 1, 0, 0), local(2026, 5, 2, 0, 0))
        self.assertEqual(oncall.elapsed(*day), timedelta(0))
        self.assertEqual(oncall_all.elapsed(*day), hours(14))
        # Thu 21:00 + 2h: Fri 09:00 with the holiday worked, else Sat 09:00
        self.assertInstant(
            oncall_all.add(local(2026, 4, 30, 21, 0), hours(2)), utc(2026, 5, 1, 7, 0)
        )
        self.assertInstant(
            oncall.add(local(2026, 4, 30, 21, 0), hours(2)), utc(2026, 5, 2, 7, 0)
        )
        office_all = self._timeline(self.cal_office, start, end, public_holidays=False)
        self.assertEqual(office_all.elapsed(*day), hours(9))

    def test_working_days(self):
        """``working_days`` lists the local dates with working time, in the
        calendar's time zone, weekends and holidays excluded."""
        timeline = self._timeline(
            self.cal_office, datetime(2026, 4, 27), datetime(2026, 5, 11)
        )
        self.assertEqual(
            timeline.working_days,
            [
                date(2026, 4, 27),
                date(2026, 4, 28),
                date(2026, 4, 29),
                date(2026, 4, 30),
                date(2026, 5, 4),
                date(2026, 5, 5),
                date(2026, 5, 6),
                date(2026, 5, 7),
            ],
        )
        # a calendar in a zone far from UTC: its own local dates
        tokyo = self._create_calendar("Tokyo", "01234", [(8, 12)], tz="Asia/Tokyo")
        timeline = self._timeline(tokyo, datetime(2026, 3, 1), datetime(2026, 3, 8))
        self.assertEqual(timeline.working_days[0], date(2026, 3, 2))
        self.assertInstant(
            timeline.next_opening(datetime(2026, 3, 1, 12, 0)),  # Sun 21:00 JST
            utc(2026, 3, 1, 23, 0),  # Mon 08:00 JST
        )

    def test_timeline_time_zone_forms(self):
        """A Timeline accepts its zone as a name, a zoneinfo or a pytz zone,
        and business days keep the local time with each."""
        intervals = self.cal_office._work_intervals_batch(
            to_aware_utc(datetime(2026, 3, 23)), to_aware_utc(datetime(2026, 4, 4))
        )[False]
        bounds = (datetime(2026, 3, 23), datetime(2026, 4, 4))
        for tz in ("Europe/Paris", PARIS, pytz.timezone("Europe/Paris")):
            with self.subTest(tz=tz):
                timeline = Timeline(intervals, tz, *bounds)
                self.assertInstant(
                    timeline.add_days(utc(2026, 3, 27, 14, 0), 1),
                    utc(2026, 3, 30, 13, 0),
                )  # Fri 15:00 CET -> Mon 15:00 CEST
