from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .billing_common import InterventionBillingCommon


@tagged("post_install", "-at_install")
class TestTimesheets(InterventionBillingCommon):
    """Time is logged once, in Odoo's timesheets (H3): a time entry is a
    timesheet line of the Interventions project, with the technician's
    employee and cost; a line logged in the Timesheets app on a request is a
    priced time entry, invoiced and locked as every time entry."""

    def setUp(self):
        super().setUp()
        self.request = self._create_started_request()
        self.request._add_billable_cause("abnormal_use", "Cable cut by the client.")
        self.project = self.env.ref("intervention_request.project_interventions")

    timesheet_form = "hr_timesheet.hr_timesheet_line_form"

    def _my_timesheets(self, user):
        """The lines the Timesheets app lists as "My Timesheets" for ``user``."""
        action = self.env.ref("hr_timesheet.act_hr_timesheet_line")
        Line = self.env["account.analytic.line"].with_user(user)
        return Line.search(safe_eval(action.domain, {"uid": user.id}))

    def _log_in_timesheets_app(self, user, request, hours, description):
        """``user`` logs ``hours`` on ``request`` in the Timesheets app's form."""
        form = Form(
            self.env["account.analytic.line"]
            .with_user(user)
            .with_context(is_timesheet=True),
            view=self.timesheet_form,
        )
        form.project_id = self.project
        form.intervention_request_id = request
        form.unit_amount = hours
        form.name = description
        return form.save()

    def test_time_entry_is_a_timesheet_line_at_the_employee_cost(self):
        entry = self._add_time(self.request, 2.0, kind="onsite")
        line = entry.timesheet_id
        self.assertIn(line, self._my_timesheets(self.technician))
        self.assertEqual(line.project_id, self.project)
        self.assertEqual(self.company.intervention_project_id, self.project)
        self.assertEqual(line.employee_id, self.technician_employee)
        self.assertEqual(line.user_id, self.technician)
        self.assertEqual(line.intervention_request_id, self.request)
        self.assertEqual(line.partner_id, self.client)
        self.assertEqual(line.unit_amount, 2.0)
        # 2 hours at the employee's 40.00 an hour, a cost (negative).
        self.assertAlmostEqual(line.amount, -80.0)
        self.assertAlmostEqual(entry.cost, -80.0)
        # The price stays the contract's: 2 hours at the hourly rate.
        self.assertAlmostEqual(entry.amount, 190.0)
        entry.duration = 1.5
        self.assertEqual(line.unit_amount, 1.5)
        self.assertAlmostEqual(line.amount, -60.0)

    def test_line_logged_in_timesheets_app_is_priced_and_invoiced(self):
        line = self._log_in_timesheets_app(
            self.technician, self.request, 1.5, "Cable replaced"
        )
        entry = line.intervention_time_entry_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.request_id, self.request)
        self.assertEqual(entry.user_id, self.technician)
        self.assertEqual(self.request.time_entry_ids, entry)
        self.assertEqual(self.request.time_spent, 1.5)
        # Remote work by default: 1.5 h = 3 started units of 30 minutes.
        self.assertEqual(entry.kind, "remote")
        self.assertEqual(entry.product_id, self.product_ut)
        self.assertAlmostEqual(entry.quantity, 3.0)
        self.assertAlmostEqual(entry.price_unit, 47.5)
        self.assertTrue(entry.billable)
        self.assertAlmostEqual(line.amount, -60.0)
        invoice = self._invoice(self.request)
        invoice_line = invoice.invoice_line_ids.filtered("intervention_time_entry_id")
        self.assertEqual(invoice_line.intervention_time_entry_id, entry)
        self.assertEqual(invoice_line.quantity, 3.0)
        self.assertAlmostEqual(invoice_line.price_subtotal, 142.5)
        self.assertIn("Cable replaced", invoice_line.name)

    def test_line_moved_to_another_request_or_taken_off(self):
        line = self._log_in_timesheets_app(self.technician, self.request, 1.0, "Call")
        other = self._create_started_request()
        with Form(line.with_user(self.technician), view=self.timesheet_form) as form:
            form.intervention_request_id = other
        entry = line.intervention_time_entry_ids
        self.assertEqual(entry.request_id, other)
        self.assertFalse(self.request.time_entry_ids)
        with Form(line.with_user(self.technician), view=self.timesheet_form) as form:
            form.intervention_request_id = self.env["intervention.request"]
        self.assertFalse(entry.exists())
        self.assertTrue(line.exists(), "the time stays in the timesheets")
        self.assertFalse(other.time_entry_ids)

    def test_deleting_a_time_entry_deletes_its_timesheet_line(self):
        entry = self._add_time(self.request, 1.0)
        line = entry.timesheet_id
        entry.with_user(self.technician).unlink()
        self.assertFalse(line.exists())

    def test_invoiced_time_is_locked_in_both_places(self):
        line = self._log_in_timesheets_app(self.technician, self.request, 1.0, "Fix")
        entry = line.intervention_time_entry_ids
        self._invoice(self.request)
        as_technician = line.with_user(self.technician)
        for values in (
            {"unit_amount": 2.0},
            {"date": "2026-03-11"},
            {"intervention_request_id": False},
        ):
            with self.assertRaisesRegex(UserError, "only finance can change them"):
                as_technician.write(values)
        with self.assertRaisesRegex(UserError, "only finance can change them"):
            as_technician.unlink()
        with self.assertRaisesRegex(UserError, "only finance can change them"):
            entry.with_user(self.technician).duration = 2.0
        self.assertEqual(line.unit_amount, 1.0)
        # The description is no billing field; finance changes the rest.
        as_technician.name = "Fix, tested"
        line.with_user(self.finance).unit_amount = 1.25
        self.assertEqual(entry.duration, 1.25)

    def test_credit_note_as_before(self):
        entry = self._add_time(self.request, 2.0, kind="onsite")
        invoice = self._invoice(self.request)
        self.assertAlmostEqual(invoice.amount_untaxed, 190.0)
        self._credit(invoice)
        self.assertEqual(entry.qty_to_invoice, 2.0)
        self.assertFalse(entry.is_invoiced)
        # Credited: the technician may fix the time again, in the timesheets.
        entry.timesheet_id.with_user(self.technician).unit_amount = 1.5
        again = self._invoice(self.request)
        self.assertAlmostEqual(again.amount_untaxed, 142.5)

    def test_dispatcher_corrects_the_time_of_a_technician(self):
        entry = self._add_time(self.request, 1.0)
        entry.timesheet_id.with_user(self.user).unit_amount = 0.5
        self.assertEqual(entry.duration, 0.5)

    def test_technician_without_employee_gets_a_clear_error(self):
        newcomer = new_test_user(
            self.env,
            login="ir_newcomer",
            groups="intervention_request.group_intervention_user",
            name="New Technician",
        )
        with self.assertRaisesRegex(UserError, "New Technician has no employee"):
            self.env["intervention.time.entry"].with_user(newcomer).create(
                {"request_id": self.request.id, "duration": 1.0}
            )

    def test_no_zero_time_on_a_request_in_the_timesheets_app(self):
        with self.assertRaisesRegex(ValidationError, "more than zero hours"):
            self._log_in_timesheets_app(self.technician, self.request, 0.0, "None")

    def test_other_company_gets_its_own_project(self):
        company = self.env["res.company"].create({"name": "Agence Sud"})
        self.assertFalse(company.intervention_project_id)
        project = company._get_intervention_project()
        self.assertEqual(project.company_id, company)
        self.assertTrue(project.allow_timesheets)
        self.assertEqual(company._get_intervention_project(), project)
