from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .oncall_common import OncallCommon


@tagged("post_install", "-at_install")
class TestAfterHoursProcedure(OncallCommon):
    """Seed 001, step by step across one night and the next days, as the
    answering service, the technician on call, the agency and the client
    live it. Times are Paris local (UTC+1 in March)."""

    def _run_cron(self, xmlid, when):
        cron = self.env.ref(xmlid)
        with freeze_time(when), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()

    def _messages_to(self, request, partner):
        return request.message_ids.filtered(lambda m: partner in m.partner_ids)

    def test_night_call_to_closed_request(self):
        # -- Tuesday 10 March, 19:30: Martin Dupont's neighbour, the syndic of
        # Résidence Les Pins, calls the after-hours number (§5.1).
        with freeze_time("2026-03-10 18:30:00"):
            form = Form(
                self.env["intervention.oncall.call.wizard"].with_user(self.user)
            )
            form.search_term = "Les Pins"
            # §5.1.2: the client is found with its contract, agency and delay.
            self.assertEqual(form.partner_id, self.residence)
            self.assertEqual(form.contract_id, self.contract_collective)
            self.assertEqual(form.agency_id, self.agency)
            self.assertEqual(form.oncall_delay, "Within 4 hours")
            form.requester_id = self.residence_contact
            form.equipment_id = self.boiler_room
            form.description = "No heating in building B since 18:00"
            self.assertIn("Covered", form.coverage_message)
            # §5.2: the technician on duty is to be called now.
            self.assertIn("Call the technician on duty now", form.outcome_preview)
            self.assertIn(self.technician.name, form.outcome_preview)
            action = form.save().action_route()
        call = self.env["intervention.oncall.call"].browse(action["res_id"])
        request = call.request_id
        self.assertEqual((call.state, call.callee_id), ("open", self.technician))
        self.assertEqual(request.channel, "oncall")
        self.assertEqual(request.date_received, datetime(2026, 3, 10, 18, 30))
        self.assertEqual(request.coverage_state, "covered")
        self.assertEqual(request.state, "new")
        self.assertFalse(self._summary_mails(call), "no summary before the call")

        # -- 19:35: the technician does not answer: voicemail (§5.2), and the
        # agency gets the summary saying he was not reached.
        with freeze_time("2026-03-10 18:35:00"):
            call.with_user(self.user).action_log_voicemail()
        first = self._summary_mails(call)
        self.assertEqual(first.email_to, "agence.annecy@example.com")
        self.assertIn("was not reached", first.body_html)
        self.assertIn("Résidence Les Pins", first.body_html)
        self.assertEqual(call.escalation_level, "none")

        # -- 19:45: he calls back (§6): reached; the agency is told.
        with freeze_time("2026-03-10 18:45:00"):
            call.with_user(self.user).action_log_reached()
        self.assertEqual(call.state, "done")
        self.assertTrue(call.is_reached)
        second = self._summary_mails(call) - first
        self.assertIn("was reached", second.body_html)
        # Reached in time: the D3 escalation does not fire later.
        self._run_cron(
            "intervention_request.ir_cron_oncall_escalation", "2026-03-10 20:00:00"
        )
        self.assertEqual(call.escalation_level, "none")

        # -- 21:40: intervention done; the technician writes his report
        # (E5): the request is dated the next business day, 9:00.
        with freeze_time("2026-03-10 20:40:00"):
            report = Form(
                self.env["intervention.oncall.report.wizard"]
                .with_user(self.technician)
                .with_context(default_call_id=call.id)
            )
            self.assertEqual(report.request_id, request)
            report.date_end = datetime(2026, 3, 10, 20, 30)
            report.report = "Circulator pump seized; freed it, heating back on."
            report.save().action_confirm()
        self.assertEqual(request.date_received, datetime(2026, 3, 11, 8, 0))
        self.assertEqual(request.user_id, self.technician)
        self.assertIn("Circulator pump", request.oncall_report)
        self.assertIn("Circulator pump", request.description)

        # -- Wednesday 11 March, 9:10: the desk acknowledges (the client gets
        # the reference), qualifies and resolves with the report.
        with freeze_time("2026-03-11 08:10:00"):
            desk = request.with_user(self.user)
            desk.action_receive()
            self.assertTrue(self._messages_to(request, self.residence_contact))
            desk.action_qualify()
            self.assertEqual(request.user_id, self.technician, "kept at qualification")
            desk.write(
                {
                    "cause": "Circulator pump seized",
                    "resolution": "<p>Pump freed and tested.</p>",
                }
            )
            desk.action_resolve()
        self.assertEqual(request.state, "resolved")
        self.assertEqual(request.date_resolved, datetime(2026, 3, 11, 8, 10))

        # -- Without an answer from the client in the reopen window, the
        # request is closed for good.
        days = self.company.intervention_reopen_days
        self._run_cron(
            "intervention_request.ir_cron_followup_close_resolved",
            datetime(2026, 3, 11 + days, 9, 0),
        )
        self.assertEqual(request.state, "closed")
