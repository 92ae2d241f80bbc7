from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestFreeze(InterventionCommon):
    def _qualified_request(self):
        request = self._create_request()
        request.action_receive()
        request.action_qualify()
        return request

    def test_waiting_opens_a_freeze_with_its_reason(self):
        request = self._qualified_request()
        with freeze_time("2026-03-10 14:00:00"):
            request.action_wait("site_access", "Badge for the server room")
        freeze = request.freeze_ids
        self.assertEqual(len(freeze), 1)
        self.assertEqual(freeze.reason, "site_access")
        self.assertEqual(freeze.note, "Badge for the server room")
        self.assertEqual(freeze.date_start, datetime(2026, 3, 10, 14, 0))
        self.assertFalse(freeze.date_end)
        self.assertTrue(request.is_frozen)

    def test_client_answer_closes_the_freeze(self):
        request = self._qualified_request()
        with freeze_time("2026-03-10 14:00:00"):
            request.action_wait("client_tests")
        with freeze_time("2026-03-11 09:30:00"):
            request.action_resume()
        self.assertEqual(request.freeze_ids.date_end, datetime(2026, 3, 11, 9, 30))
        self.assertFalse(request.is_frozen)
        self.assertAlmostEqual(request.freeze_ids.duration_hours, 19.5)

    def test_each_wait_is_a_new_interval(self):
        request = self._qualified_request()
        for day in (10, 12):
            with freeze_time(f"2026-03-{day} 10:00:00"):
                request.action_wait("client_info")
            with freeze_time(f"2026-03-{day} 12:00:00"):
                request.action_resume()
        self.assertEqual(len(request.freeze_ids), 2)
        self.assertFalse(request.freeze_ids.filtered("is_open"))

    def test_resolving_from_waiting_closes_the_freeze(self):
        request = self._qualified_request()
        with freeze_time("2026-03-11 10:00:00"):
            request.action_wait("client_tests")
        with freeze_time("2026-03-12 10:00:00"):
            request.action_resolve()
        self.assertEqual(request.freeze_ids.date_end, datetime(2026, 3, 12, 10, 0))

    def test_final_state_closes_every_freeze(self):
        request = self._qualified_request()
        other = self.env["intervention.freeze"].create(
            {
                "request_id": request.id,
                "reason": "other",
                "note": "Client on strike",
                "date_start": datetime(2026, 3, 9, 20, 0),
            }
        )
        request.action_wait("prerequisite")
        request.write({"state": "cancelled", "cancel_reason": "withdrawn"})
        self.assertFalse(request.freeze_ids.filtered("is_open"))
        self.assertTrue(other.date_end)

    def test_out_of_hours_freeze_survives_client_answer(self):
        """Only the waiting-on-client freezes end with the client's answer."""
        # Monday 21:00 in Paris: held until Tuesday 9:00 (F4).
        request = self._create_request(date_received=datetime(2026, 3, 9, 20, 0))
        out_of_hours = request.freeze_ids
        self.assertEqual(out_of_hours.reason, "out_of_hours")
        self.assertEqual(out_of_hours.date_end, datetime(2026, 3, 10, 8, 0))
        request.action_receive()
        request.action_qualify()
        request.action_wait("client_info")
        request.action_resume()
        self.assertTrue(out_of_hours.exists())
        self.assertEqual(out_of_hours.date_end, datetime(2026, 3, 10, 8, 0))

    def test_freeze_cannot_end_before_start(self):
        request = self._qualified_request()
        with self.assertRaises(ValidationError):
            self.env["intervention.freeze"].create(
                {
                    "request_id": request.id,
                    "reason": "client_info",
                    "date_start": datetime(2026, 3, 10, 10, 0),
                    "date_end": datetime(2026, 3, 10, 9, 0),
                }
            )

    @mute_logger("odoo.sql_db")
    def test_one_open_freeze_per_reason(self):
        request = self._qualified_request()
        request.action_wait("client_info")
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["intervention.freeze"].create(
                {"request_id": request.id, "reason": "client_info"}
            )

    def test_search_frozen(self):
        frozen = self._qualified_request()
        frozen.action_wait("client_info")
        running = self._qualified_request()
        Request = self.env["intervention.request"]
        found = Request.search([("is_frozen", "=", True)])
        self.assertIn(frozen, found)
        self.assertNotIn(running, found)
        self.assertIn(running, Request.search([("is_frozen", "=", False)]))

    def test_missing_items_request_asks_client_and_freezes(self):
        request = self._create_request(site_id=False, description=False)
        request.action_receive()
        request.with_context(mail_notrack=False).action_request_missing_info()
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.freeze_ids.reason, "client_info")
        asked = request.message_ids.filtered(lambda m: self.contact in m.partner_ids)
        body = str(asked[0].body)
        self.assertIn("site affected", body)
        self.assertIn("precise description", body)

    def test_freeze_wizard(self):
        request = self._qualified_request()
        wizard = (
            self.env["intervention.request.wait.wizard"]
            .with_context(active_model="intervention.request", active_ids=request.ids)
            .create({"reason": "site_access", "note": "Key at reception"})
        )
        wizard.action_confirm()
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.freeze_ids.reason, "site_access")
