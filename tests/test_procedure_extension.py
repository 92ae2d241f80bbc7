from datetime import date, datetime

from odoo.tests import Form, freeze_time, new_test_user, tagged

from .portal_procedure_common import (
    FRIDAY_1000,
    NEXT_WEDNESDAY_1000,
    THURSDAY_0900,
    TUESDAY_0930,
    TUESDAY_1000,
    TUESDAY_1500,
    TUESDAY_1600,
    WEDNESDAY_1000,
    InterventionPortalProcedureCommon,
)


@tagged("post_install", "-at_install")
class TestScopeExtensionProcedure(InterventionPortalProcedureCommon):
    """Seed 004 §3 and §4.2 step by step: the client's printer, bought
    after the contract was signed, breaks down. The desk records the call,
    finds it out of scope and hands it to its manager; the manager agrees
    with the client to add the printer to the contract from the next
    Monday and to repair this breakdown as a billed service. The first
    request stays out of scope and is invoiced; a breakdown after the
    Monday is covered, with its deadlines. What the client (portal over
    HTTP) and the desk see at each step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="ir_vendredi_manager",
            groups="intervention_request.group_intervention_manager",
            name="Vendredi Account Manager",
        )
        cls.contract.user_id = cls.manager

    def _client_page(self, request):
        self._login_client()
        return self.url_open(request.access_url).text

    def _extend_wizard(self, request, user):
        """The wizard behind "Extend the contract" on the request's banner."""
        action = request.with_user(user).action_open_extend_wizard()
        wizard = self.env[action["res_model"]].with_user(user)
        return Form(wizard.with_context(**action["context"]))

    def _printer_form(self, summary):
        return self._client_form(equipment_id=str(self.printer.id), summary=summary)

    def test_printer_bought_after_the_contract(self):
        # -- Tuesday 9:30: the client reports the printer in the portal. It
        # is not covered: sent anyway, acknowledged with the terms.
        with freeze_time(TUESDAY_0930):
            self._login_client()
            response, request = self._client_submit(
                self._printer_form("Label printer jams")
            )
            self.assertEqual(request.state, "received")
            self.assertEqual(request.coverage_state, "not_covered")
            self.assertEqual(request.coverage_reason, "equipment")
            acquired_after = (
                "Label printer bought in February was acquired on 02/01/2026, "
                f"after contract {self.contract.name} started, and has not been "
                "added to it."
            )
            self.assertEqual(request.coverage_message, acquired_after)
            self.assertIn(acquired_after, response.text)
            self.assertIn("This request is not covered by your contract", response.text)
            self.assertIn("Accept the terms", response.text)
            # The desk sees it billable, out of contract.
            self.assertTrue(request.is_billable)
            self.assertEqual(request.billable_cause, "out_of_contract")

        # -- Tuesday 10:00: the desk takes it in charge and, not allowed to
        # change contracts, hands the extension to the manager.
        with freeze_time(TUESDAY_1000):
            desk = request.with_user(self.desk_user)
            desk.action_qualify()
            form = self._extend_wizard(request, self.desk_user)
            self.assertFalse(form.can_change_contract)
            self.assertEqual(form.item_name, "asset Label printer bought in February")
            self.assertEqual(form.date_from, date(2026, 3, 17))
            form.date_from = date(2026, 3, 23)
            form.note = "Client wants the printer in the contract."
            self.assertTrue(form.save().action_apply())
            self.assertFalse(self.contract.extension_ids, "only proposed")
            activity = request.activity_ids.filtered(
                lambda a: a.user_id == self.manager
            )
            self.assertEqual(activity.summary, "Contract extension to decide")
            self.assertIn("Label printer bought in February", activity.note)
            self.assertIn("from 03/23/2026", activity.note)

        # -- Tuesday 15:00: the manager has agreed with the client: the
        # printer joins the contract from Monday 23 March; this breakdown is
        # repaired as a billed service.
        with freeze_time(TUESDAY_1500):
            form = self._extend_wizard(request, self.manager)
            self.assertTrue(form.can_change_contract)
            form.date_from = date(2026, 3, 23)
            form.note = "Printer added at 8 EUR a month; this breakdown is billed."
            self.assertTrue(form.save().action_apply())
            # The manager's to-do is done: the extension is recorded.
            self.assertFalse(
                request.activity_ids.filtered(lambda a: a.user_id == self.manager)
            )
            extension = self.contract.extension_ids
            self.assertEqual(len(extension), 1)
            self.assertEqual(extension.item_name, "Label printer bought in February")
            self.assertEqual(extension.date_from, date(2026, 3, 23))
            self.assertEqual(extension.user_id, self.manager)
            self.assertEqual(extension.request_id, request)
            self.assertEqual(
                self.contract.equipment_line_ids.filtered(
                    lambda l: l.equipment_id == self.printer
                ).date_from,
                date(2026, 3, 23),
            )
            self.assertTrue(
                any(
                    "Scope extended from 03/23/2026: asset Label printer bought in "
                    f"February added (request {request.name})." in body
                    for body in self.contract.message_ids.mapped("body")
                )
            )
            # Checked again: received before the 23rd, still out of scope.
            only_from = (
                "Label printer bought in February is covered by contract "
                f"{self.contract.name} only from 03/23/2026."
            )
            self.assertEqual(request.coverage_message, only_from)
            self.assertIn(
                f"Coverage checked again: {only_from}", request.message_ids[0].body
            )
            self.assertTrue(request.terms_required)
            page = self._client_page(request)
            self.assertIn(only_from, page)
            self.assertIn("Accept the terms", page)

        # -- Tuesday 16:00: the client accepts the terms in the portal.
        with freeze_time(TUESDAY_1600):
            page = self._client_page(request)
            response = self._client_post(
                f"/my/interventions/{request.id}/terms/accept",
                terms_key=self._terms_key(page),
            )
            self.assertTrue(request.terms_accepted)
            self.assertIn("Terms accepted", response.text)

        # -- Wednesday 10:00: the desk repairs it (2 hours) and resolves.
        with freeze_time(WEDNESDAY_1000):
            self._desk_repairs(request, 2, "Worn roller.", "Roller replaced.")
            self.assertEqual(request.invoice_status, "to_invoice")

        # -- Thursday 9:00: the client confirms the fix: closed.
        with freeze_time(THURSDAY_0900):
            self._login_client()
            response = self._client_post(f"/my/interventions/{request.id}/confirm")
            self.assertEqual(request.state, "closed")
            self.assertIn("Closed", response.text)

        # -- Friday 10:00: finance invoices the repair done before the
        # printer was covered.
        with freeze_time(FRIDAY_1000):
            invoice = self._finance_invoices(request)
            self.assertEqual(invoice.partner_id, self.client)
            self.assertEqual(invoice.amount_untaxed, 180.0, "2 hours at 90.00")
            self.assertEqual(request.invoice_status, "invoiced")

        # -- Next Wednesday 10:00: the printer jams again. Covered since
        # Monday: no terms, the contract's deadlines.
        with freeze_time(NEXT_WEDNESDAY_1000):
            self._login_client()
            response, second = self._client_submit(
                self._printer_form("Label printer jams again")
            )
            self.assertEqual(second.coverage_state, "covered")
            self.assertEqual(
                second.coverage_message, f"Covered by contract {self.contract.name}."
            )
            self.assertFalse(second.is_billable)
            self.assertFalse(second.terms_required)
            deadlines = {t.target_type: t.deadline for t in second.sla_ids}
            # 2 and 16 business hours on Mon-Fri 9-18 (Paris) from 10:00.
            self.assertEqual(deadlines["take_in_charge"], datetime(2026, 3, 25, 11, 0))
            self.assertEqual(deadlines["resolution"], datetime(2026, 3, 26, 16, 0))
            page = response.text
            self.assertNotIn("not covered by your contract", page)
            self.assertNotIn("Accept the terms", page)
            self.assertIn("03/25/2026 12:00:00 PM", page)
            self.assertIn("03/26/2026 05:00:00 PM", page)
