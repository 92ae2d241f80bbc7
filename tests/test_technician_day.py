from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import InterventionCommon
from .test_report import pdf_text

# A signature as the widget sends it: a PNG image, base64-encoded.
SIGNATURE_PNG = (
    b"iVBORw0KGgoAAAANSUhEUgAAACgAAAAQCAIAAADrtar6AAAAkUlEQVR4nM2VQQ7AIAgEWf//Z3swo"
    b"WQVi9jUcjCp0hkkGlFrlRNRjlj/LQag43dia913W8JMrHl6ANNuAFS9KybrjtuilDMW93vNuXWjhBIR"
    b"8LeBDq+4B/LSXI6dXYV6aRHO3eqgVaY9n/SWM9ty3OoV+tjbgThhJfeSskWR7sLEg35ZIvCpTgSQgbz"
    b"wSORKvwA1+WYblFM1xAAAAABJRU5ErkJggg=="
)


class OnSiteCommon(InterventionCommon):
    """Requests received on Tuesday 10 March 2026 and sent on site. Holds
    no test itself."""

    def _sent_on_site(self, when, technician, summary):
        """A request about ``summary`` received at 9:00 Paris, acknowledged,
        qualified and sent on site with ``technician`` at ``when``."""
        request = self._create_request(
            summary=summary, date_received=datetime(2026, 3, 10, 8, 0)
        )
        return self._send_on_site(request, technician, when)


@tagged("post_install", "-at_install")
class TestTechnicianDay(OnSiteCommon):
    """*My Interventions*: the field technician's requests on site, in the
    order they were sent, until he records his arrival."""

    def _my_interventions(self, user):
        action = self.env.ref(
            "intervention_request.intervention_request_my_interventions_action"
        )
        domain = safe_eval(action.domain, {"uid": user.id})
        return (
            self.env["intervention.request"]
            .with_user(user)
            .search(domain, order="date_onsite_assigned")
        )

    def test_my_interventions_in_order(self):
        second = self._sent_on_site("2026-03-10 10:00:00", self.technician, "Second")
        first = self._sent_on_site("2026-03-10 08:30:00", self.technician, "First")
        self._sent_on_site("2026-03-10 09:00:00", self.user, "Someone else's")
        self.assertEqual(self._my_interventions(self.technician), first + second)
        with freeze_time("2026-03-10 11:00:00"):
            first.with_user(self.technician).action_onsite_arrival()
        self.assertEqual(first.date_onsite_arrival, datetime(2026, 3, 10, 11, 0))
        first.action_resolve()
        self.assertEqual(self._my_interventions(self.technician), second)


@tagged("post_install", "-at_install")
class TestTimeOnSite(OnSiteCommon):
    """Start / Stop on the technician's card and the request form: Stop
    records the time on site as an on-site time entry of the technician."""

    def setUp(self):
        super().setUp()
        self.request = self._sent_on_site(
            "2026-03-10 08:30:00", self.technician, "Printer jams"
        )
        self.as_technician = self.request.with_user(self.technician)

    def test_start_stop_records_time_entry(self):
        with freeze_time("2026-03-10 09:00:00"):
            self.as_technician.action_onsite_timer_start()
        # Starting is arriving: the on-site target is reached at 09:00.
        self.assertEqual(self.request.date_onsite_arrival, datetime(2026, 3, 10, 9, 0))
        self.assertEqual(self.request.onsite_timer_start, datetime(2026, 3, 10, 9, 0))
        self.assertFalse(self.request.time_entry_ids)
        with freeze_time("2026-03-10 10:37:20"):
            self.as_technician.action_onsite_timer_stop()
        entry = self.request.time_entry_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.kind, "onsite")
        self.assertEqual(entry.user_id, self.technician)
        self.assertEqual(entry.date, date(2026, 3, 10))
        # 1 h 37 min 20 s: every started minute counts, 1 h 38 min.
        self.assertAlmostEqual(entry.duration, 1 + 38 / 60)
        self.assertEqual(
            entry.product_id,
            self.env.ref("intervention_request.product_hourly_labour"),
        )
        self.assertFalse(self.request.onsite_timer_start)
        self.assertAlmostEqual(self.request.time_spent, 1 + 38 / 60)

    def test_second_visit_adds_an_entry(self):
        for start, stop in (
            ("2026-03-10 09:00:00", "2026-03-10 09:45:00"),
            ("2026-03-11 14:00:00", "2026-03-11 14:30:00"),
        ):
            with freeze_time(start):
                self.as_technician.action_onsite_timer_start()
            with freeze_time(stop):
                self.as_technician.action_onsite_timer_stop()
        entries = self.request.time_entry_ids.sorted("date")
        self.assertEqual(entries.mapped("date"), [date(2026, 3, 10), date(2026, 3, 11)])
        self.assertEqual(entries.mapped("duration"), [0.75, 0.5])
        # The arrival stays the first one.
        self.assertEqual(self.request.date_onsite_arrival, datetime(2026, 3, 10, 9, 0))

    def test_stop_without_start_is_refused(self):
        with self.assertRaisesRegex(UserError, "was not started"):
            self.as_technician.action_onsite_timer_stop()
        self.assertFalse(self.request.time_entry_ids)

    def test_start_twice_is_refused(self):
        with freeze_time("2026-03-10 09:00:00"):
            self.as_technician.action_onsite_timer_start()
        with (
            freeze_time("2026-03-10 09:10:00"),
            self.assertRaisesRegex(UserError, "already running"),
        ):
            self.request.with_user(self.user).action_onsite_timer_start()
        self.assertEqual(self.request.onsite_timer_user_id, self.technician)

    def test_start_on_unacknowledged_request_is_refused(self):
        request = self._create_request(summary="Screen flickers")
        with self.assertRaisesRegex(UserError, "acknowledge it"):
            request.action_onsite_timer_start()


@tagged("post_install", "-at_install")
class TestSignatureOnSite(OnSiteCommon):
    """The client signs the intervention report on site (Odoo's signature
    widget on the request form): the signed report, a PDF with the signer's
    name, is attached to the request."""

    def setUp(self):
        super().setUp()
        self.request = self._sent_on_site(
            "2026-03-10 08:30:00", self.technician, "Printer jams"
        )

    def test_signed_report_attached_as_pdf(self):
        Report = self.env["ir.actions.report"]
        self.assertEqual(Report.get_wkhtmltopdf_state(), "ok", "wkhtmltopdf missing")
        request = self.request.with_user(self.technician).with_context(
            force_report_rendering=True
        )
        with (
            freeze_time("2026-03-10 11:15:00"),
            self.allow_pdf_render(),
            Form(request) as form,
        ):
            form.onsite_signed_by = "Claire Martin"
            form.onsite_signature = SIGNATURE_PNG
        self.assertEqual(self.request.onsite_signed_on, datetime(2026, 3, 10, 11, 15))
        attachment = self.request.onsite_report_id
        self.assertEqual(attachment.res_model, "intervention.request")
        self.assertEqual(attachment.res_id, self.request.id)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        text = pdf_text(attachment.raw)
        self.assertIn(f"Intervention Report {self.request.name}", text)
        self.assertIn("Signed by: Claire Martin", text)
        # The chatter says so, with the PDF.
        message = self.request.message_ids[0]
        self.assertIn("signed on site by Claire Martin", message.body)
        self.assertEqual(message.attachment_ids, attachment)

    def test_no_signature_block_on_a_request_not_sent_on_site(self):
        """The signature block shows on requests sent on site only: a request
        handled remotely has nothing to sign on site."""
        remote = self._create_request(
            summary="Password reset", date_received=datetime(2026, 3, 10, 8, 0)
        )
        form = Form(remote.with_user(self.technician))
        with self.assertRaisesRegex(AssertionError, "invisible"):
            form.onsite_signature = SIGNATURE_PNG
        # Sent on site, the block is there.
        form = Form(self.request.with_user(self.technician))
        form.onsite_signed_by = "Claire Martin"

    def test_signature_needs_signer_name(self):
        form = Form(self.request.with_user(self.technician))
        form.onsite_signature = SIGNATURE_PNG
        with self.assertRaisesRegex(UserError, "name of the person who signs"):
            form.save()
        self.assertFalse(self.request.onsite_report_id)
