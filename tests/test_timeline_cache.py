from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import InterventionCommon


class Undone(Exception):
    """Raised to roll a savepoint back."""


# Tuesday 10 March 2026, 11:00 Paris (UTC+1).
RECEIVED = datetime(2026, 3, 10, 10, 0)
# Tuesday 17 March 2026, 11:00 Paris.
NEXT_WEEK = datetime(2026, 3, 17, 10, 0)


@tagged("post_install", "-at_install")
class TestTimelineCache(InterventionCommon):
    """The work intervals of a calendar and the targets of a policy are kept
    between requests (issue 19): a change of its opening hours, of its public
    holidays or of the policy's targets is seen by the very next deadline
    computed, and a holiday change moves the deadlines of the open requests
    in the background, touching only those it can move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        policy = cls.env["intervention.sla.policy"].create(
            {
                "name": "Take in charge within 3 h",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "target_type": "take_in_charge",
                            "duration": 3,
                            "unit": "hours",
                        },
                    )
                ],
            }
        )
        cls.contract.sla_policy_id = policy
        cls.calendar = cls.contract.resource_calendar_id

    def _deadline_of_new_request(self, received=RECEIVED):
        with freeze_time(received):
            request = self._create_request(date_received=received)
        return request.sla_ids.deadline

    def _close(self, date_from, date_to):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Site closed",
                "calendar_id": self.calendar.id,
                "date_from": date_from,
                "date_to": date_to,
                "time_type": "leave",
            }
        )

    def _row_versions(self, records):
        """The physical version of each row: an UPDATE gives a new one."""
        self.env.flush_all()
        self.env.cr.execute(
            f'SELECT id, ctid::text FROM "{records._table}" WHERE id = ANY(%s)',
            [records.ids],
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # The next deadline computed sees the change
    # ------------------------------------------------------------------
    def test_shorter_opening_hours_move_the_next_deadline(self):
        # 11:00 + 3 business hours: Tuesday 14:00 Paris.
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 13, 0))
        with Form(self.calendar) as calendar:
            for index in range(len(calendar.attendance_ids)):
                with calendar.attendance_ids.edit(index) as attendance:
                    if attendance.dayofweek == "1":  # Tuesday
                        attendance.hour_to = 12
        # Tuesday now closes at 12:00: one hour, then Wednesday 9:00-11:00.
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 11, 10, 0))

    def test_holiday_added_moved_removed_moves_the_next_deadline(self):
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 13, 0))
        # Closed 12:00-13:00 Paris: the deadline moves one hour on.
        closure = self._close(
            datetime(2026, 3, 10, 11, 0), datetime(2026, 3, 10, 12, 0)
        )
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 14, 0))
        # Moved to Wednesday 9:00-10:00: Tuesday's deadline is back to 14:00.
        closure.write(
            {
                "date_from": datetime(2026, 3, 11, 8, 0),
                "date_to": datetime(2026, 3, 11, 9, 0),
            }
        )
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 13, 0))
        # A request of Tuesday 17:00 Paris runs into the Wednesday closure:
        # 17:00-18:00, then Wednesday 10:00-12:00.
        self.assertEqual(
            self._deadline_of_new_request(datetime(2026, 3, 10, 16, 0)),
            datetime(2026, 3, 11, 11, 0),
        )
        closure.unlink()
        self.assertEqual(
            self._deadline_of_new_request(datetime(2026, 3, 10, 16, 0)),
            datetime(2026, 3, 11, 10, 0),
        )

    def test_policy_target_changes_are_seen_by_the_next_request(self):
        line = self.contract.sla_policy_id.line_ids
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 13, 0))
        line.duration = 5
        # 11:00 + 5 business hours: Tuesday 16:00 Paris.
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 15, 0))
        # A target for major requests (the request's severity) wins.
        major = self.env["intervention.sla.policy.line"].create(
            {
                "policy_id": line.policy_id.id,
                "target_type": "take_in_charge",
                "severity": "major",
                "duration": 1,
                "unit": "hours",
            }
        )
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 11, 0))
        major.unlink()
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 15, 0))

    def test_policy_target_change_rolled_back_is_not_kept(self):
        line = self.contract.sla_policy_id.line_ids
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 13, 0))
        with self.assertRaises(Undone), self.env.cr.savepoint():
            line.duration = 5
            self.assertEqual(
                self._deadline_of_new_request(), datetime(2026, 3, 10, 15, 0)
            )
            raise Undone()
        self.env.invalidate_all()
        self.assertEqual(line.duration, 3)
        self.assertEqual(self._deadline_of_new_request(), datetime(2026, 3, 10, 13, 0))

    # ------------------------------------------------------------------
    # Open requests, in the background
    # ------------------------------------------------------------------
    def test_holiday_moves_affected_requests_only_in_the_background(self):
        with freeze_time(RECEIVED):
            before = self._create_request(date_received=RECEIVED)
        with freeze_time(NEXT_WEEK):
            affected = self._create_request(date_received=NEXT_WEEK)
        elsewhere = self._create_contract(
            self.client,
            resource_calendar_id=self.calendar_oncall.id,
            sla_policy_id=self.contract.sla_policy_id.id,
        )
        with freeze_time(NEXT_WEEK):
            other_calendar = self._create_request(
                date_received=NEXT_WEEK, contract_id=elsewhere.id
            )
        requests = before | affected | other_calendar
        deadlines = {r: r.sla_ids.deadline for r in requests}
        self.assertEqual(deadlines[affected], datetime(2026, 3, 17, 13, 0))
        untouched = before | other_calendar
        request_rows = self._row_versions(untouched)
        target_rows = self._row_versions(untouched.sla_ids)
        # Closed Tuesday 17 March 12:00-13:00 Paris.
        self._close(datetime(2026, 3, 17, 11, 0), datetime(2026, 3, 17, 12, 0))
        self.env.invalidate_all()
        # The edit itself moves nothing: the scheduled action does.
        self.assertEqual({r: r.sla_ids.deadline for r in requests}, deadlines)
        self._apply_holiday_changes()
        self.assertEqual(
            affected.sla_ids.deadline, deadlines[affected] + timedelta(hours=1)
        )
        self.assertEqual(before.sla_ids.deadline, deadlines[before])
        self.assertEqual(other_calendar.sla_ids.deadline, deadlines[other_calendar])
        # The requests the holiday cannot move were not even rewritten.
        self.assertEqual(self._row_versions(untouched), request_rows)
        self.assertEqual(self._row_versions(untouched.sla_ids), target_rows)
        # Applied: nothing left queued.
        self.assertFalse(self.env["intervention.holiday.change"].search_count([]))

    def test_holiday_selects_only_requests_whose_clocks_cross_it(self):
        """A request received out of hours after the holiday (its hold
        starts after it) is not even looked at; one counting across it is."""
        with freeze_time(NEXT_WEEK):
            affected = self._create_request(date_received=NEXT_WEEK)
        # Wednesday 18 March 20:00 Paris: held until Thursday 9:00.
        evening = datetime(2026, 3, 18, 19, 0)
        with freeze_time(evening):
            later = self._create_request(date_received=evening)
        self.assertEqual(
            later.freeze_ids.mapped("reason"),
            ["out_of_hours"],
            "received out of hours, the request is held until the opening",
        )
        self._close(datetime(2026, 3, 17, 11, 0), datetime(2026, 3, 17, 12, 0))
        change = self.env["intervention.holiday.change"].search(
            [("date_from", "=", datetime(2026, 3, 17, 11, 0))]
        )
        self.assertEqual(len(change), 1, "the edit queues the period it closes")
        selected = self.env["intervention.request"].search(change._affected_domain())
        self.assertIn(affected, selected)
        self.assertNotIn(later, selected)

    def test_holiday_selects_a_request_by_its_out_of_hours_hold(self):
        """A request whose targets set no deadline is still recomputed when
        its out-of-hours hold crosses the holiday: the hold ends at the next
        opening, which the holiday moves."""
        self.contract.sla_policy_id.line_ids.unit = "none"
        # Monday 16 March 20:00 Paris: held until Tuesday 9:00.
        evening = datetime(2026, 3, 16, 19, 0)
        with freeze_time(evening):
            request = self._create_request(date_received=evening)
        hold = request.freeze_ids.filtered(lambda f: f.reason == "out_of_hours")
        self.assertEqual(hold.date_end, datetime(2026, 3, 17, 8, 0))
        self.assertEqual(request.sla_ids.mapped("status"), ["no_target"])
        # Closed Tuesday 9:00-10:00 Paris: the hold now ends at 10:00.
        self._close(datetime(2026, 3, 17, 8, 0), datetime(2026, 3, 17, 9, 0))
        self._apply_holiday_changes()
        self.assertEqual(hold.date_end, datetime(2026, 3, 17, 9, 0))

    def test_holiday_removed_brings_deadlines_back(self):
        closure = self._close(
            datetime(2026, 3, 17, 11, 0), datetime(2026, 3, 17, 12, 0)
        )
        with freeze_time(NEXT_WEEK):
            request = self._create_request(date_received=NEXT_WEEK)
        self.assertEqual(request.sla_ids.deadline, datetime(2026, 3, 17, 14, 0))
        closure.unlink()
        self._apply_holiday_changes()
        self.assertEqual(request.sla_ids.deadline, datetime(2026, 3, 17, 13, 0))
