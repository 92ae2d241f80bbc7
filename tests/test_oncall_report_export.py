import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .oncall_common import OncallCommon


@tagged("post_install", "-at_install")
class TestOncallReport(OncallCommon):
    """E5: the technician's report completes or opens a request dated the
    next business day."""

    def _report(self, **values):
        wizard = self.env["intervention.oncall.report.wizard"].create(
            {"technician_id": self.technician.id, "report": "Pump replaced.", **values}
        )
        action = wizard.action_confirm()
        return self.env["intervention.request"].browse(action["res_id"])

    def test_report_completes_the_call_request_next_business_day(self):
        call = self._take_call(datetime(2026, 3, 13, 20, 30))  # Friday 21:30
        request = self._report(
            call_id=call.id, date_end=datetime(2026, 3, 14, 10, 0)
        )  # Saturday
        self.assertEqual(request, call.request_id)
        self.assertEqual(request.date_received, datetime(2026, 3, 16, 8, 0))  # Mon 9h
        self.assertIn("Pump replaced.", request.oncall_report)
        self.assertIn("Pump replaced.", request.description)
        self.assertIn("No heating", request.description)
        self.assertEqual(request.user_id, self.technician)
        self.assertEqual(request.channel, "oncall")

    def test_report_without_call_opens_request_after_public_holiday(self):
        request = self._report(
            partner_id=self.residence.id,
            contract_id=self.contract_collective.id,
            date_end=datetime(2026, 4, 30, 21, 0),  # Thursday 23:00 Paris
        )
        self.assertEqual(request.channel, "oncall")
        self.assertEqual(request.partner_id, self.residence)
        # Friday 1 May is a holiday: Monday 4 May 9:00 Paris.
        self.assertEqual(request.date_received, datetime(2026, 5, 4, 7, 0))

    def test_report_on_acknowledged_request_only_adds_it(self):
        call = self._take_call(datetime(2026, 3, 10, 18, 0))
        call.request_id.action_receive()
        received = call.request_id.date_received
        request = self._report(call_id=call.id, date_end=datetime(2026, 3, 10, 21))
        self.assertEqual(request.date_received, received)
        self.assertIn("Pump replaced.", request.oncall_report)

    def test_technician_records_own_report(self):
        call = self._take_call(datetime(2026, 3, 13, 20, 30))
        wizard = (
            self.env["intervention.oncall.report.wizard"]
            .with_user(self.technician)
            .create(
                {
                    "call_id": call.id,
                    "report": "Reset the burner.",
                    "date_end": datetime(2026, 3, 13, 23, 0),
                }
            )
        )
        self.assertEqual(wizard.technician_id, self.technician)
        wizard.action_confirm()
        self.assertIn("Reset the burner.", call.request_id.oncall_report)
        self.assertEqual(call.request_id.date_received, datetime(2026, 3, 16, 8, 0))

    def test_report_at_night_dates_the_request_ahead_of_the_clock(self):
        """The one reception allowed in the future: the report written at
        21:40 dates the request at 9:00 the next morning; the desk still
        cannot move it further ahead."""
        with freeze_time("2026-03-10 20:40:00"):  # Tuesday 21:40 Paris
            call = self._take_call(datetime(2026, 3, 10, 19, 0))
            request = self._report(call_id=call.id, date_end=datetime(2026, 3, 10, 20))
            self.assertEqual(request.date_received, datetime(2026, 3, 11, 8, 0))
            desk = request.with_user(self.user)
            with (
                self.assertRaisesRegex(ValidationError, "in the future"),
                self.env.cr.savepoint(),
            ):
                desk.write({"date_received": datetime(2026, 3, 11, 9, 0)})
            # An import re-saving the row with its own date changes nothing.
            desk.write({"date_received": datetime(2026, 3, 11, 8, 0)})
        self.env.invalidate_all()
        self.assertEqual(request.date_received, datetime(2026, 3, 11, 8, 0))

    @freeze_time("2026-03-10 20:40:00")
    def test_report_cannot_end_in_the_future(self):
        call = self._take_call(datetime(2026, 3, 10, 19, 0))
        with self.assertRaisesRegex(UserError, "cannot end in the future"):
            self._report(call_id=call.id, date_end=datetime(2026, 3, 12, 20, 0))
        self.assertEqual(call.request_id.date_received, datetime(2026, 3, 10, 19, 0))
        self.assertFalse(call.request_id.oncall_report)

    def test_report_on_calendar_without_hours_is_refused(self):
        self.calendar_business.attendance_ids.unlink()
        with self.assertRaisesRegex(UserError, "has no working time"):
            self._report(
                partner_id=self.residence.id,
                contract_id=self.contract_collective.id,
                date_end=datetime(2026, 3, 10, 21),
            )

    def test_report_needs_a_client_or_request(self):
        with self.assertRaises(UserError):
            self._report(date_end=datetime(2026, 3, 10, 21))


@tagged("post_install", "-at_install")
class TestOncallExport(OncallCommon):
    """A5: the file of the clients with after-hours obligations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency.oncall_phones = "+33 6 10 20 30 40"
        cls.Export = cls.env["intervention.oncall.export"]

    def test_csv_lists_after_hours_clients_only(self):
        content = self.Export._build_csv(self.company, datetime(2026, 3, 10, 12))
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        header, body = rows[0], rows[1:]
        self.assertEqual(header[0], "Client")
        self.assertEqual(len(header), 10)
        by_client = {row[0]: dict(zip(header, row, strict=True)) for row in body}
        self.assertEqual(set(by_client), {"Famille Dupont", "Résidence Les Pins"})
        pins = by_client["Résidence Les Pins"]
        self.assertEqual(pins["Address"], "3 rue des Pins, 74000, Annecy")
        self.assertEqual(pins["Phone"], "+33 4 50 10 20 30")
        self.assertEqual(pins["Equipment Type"], "Boiler room")
        self.assertEqual(pins["Contractual Delay"], "Within 4 hours")
        self.assertEqual(pins["Agency"], "Agence Annecy")
        self.assertEqual(pins["Agency On-call Phones"], "+33 6 10 20 30 40")
        self.assertIn("7/7 8-22", pins["Intervention Periods"])
        self.assertIn("18:00-21:00", pins["Intervention Periods"])
        self.assertEqual(
            by_client["Famille Dupont"]["Client Type"], "Individual client, 7/7 option"
        )

    def test_equipment_type_of_the_client_and_its_contacts(self):
        """A contract that lists no equipment shows the types of its client's
        equipment and of its contacts', not another client's; a contract
        that lists equipment shows those only."""
        Equipment = self.env["intervention.equipment"]
        Equipment.create(
            {
                "name": "Lift",
                "category": "Lift",
                "partner_id": self.residence_contact.id,
            }
        )
        Equipment.create(
            {"name": "Heat pump", "category": "Heat pump", "partner_id": self.dupont.id}
        )
        self.contract_individual.equipment_line_ids = [
            Command.create({"equipment_id": self.gas_boiler.id})
        ]
        content = self.Export._build_csv(self.company, datetime(2026, 3, 10, 12))
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        types = {row[0]: row[5] for row in rows[1:]}
        self.assertEqual(types["Résidence Les Pins"], "Boiler room, Lift")
        self.assertEqual(types["Famille Dupont"], "Individual gas boiler")

    def test_expired_contract_left_out(self):
        content = self.Export._build_csv(self.company, datetime(2027, 2, 1, 12))
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(len(rows), 1, "header only: both contracts end in 2026")

    def test_xlsx_has_the_same_rows(self):
        when = datetime(2026, 3, 10, 12)
        content = self.Export._build_xlsx(self.company, when)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = [
            [cell if cell is not None else "" for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        csv_rows = list(
            csv.reader(
                io.StringIO(
                    self.Export._build_csv(self.company, when).decode("utf-8-sig")
                ),
                delimiter=";",
            )
        )
        self.assertEqual(values, csv_rows)
        self.assertTrue(sheet["A1"].font.bold)

    def test_client_text_never_runs_as_a_formula(self):
        """A8 / G4: the answering service opens the file in a spreadsheet; a
        client name typed as a formula stays text in both files, phone
        numbers stay readable."""
        self.residence.name = '=HYPERLINK("http://evil.example.com","Pins")'
        self.dupont.street = "@SUM(1+1)"
        when = datetime(2026, 3, 10, 12)
        content = self.Export._build_csv(self.company, when).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))
        by_phone = {row[2]: row for row in rows[1:]}
        pins = by_phone["+33 4 50 10 20 30"]
        self.assertEqual(pins[0], '\'=HYPERLINK("http://evil.example.com","Pins")')
        self.assertTrue(by_phone["+33 4 50 11 22 33"][1].startswith("'@SUM"))
        xlsx = self.Export._build_xlsx(self.company, when)
        with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", sheet, "no formula cell")
        values = [
            cell
            for row in openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(
                values_only=True
            )
            for cell in row
        ]
        self.assertIn('=HYPERLINK("http://evil.example.com","Pins")', values)

    def test_weekly_file_goes_once_a_week(self):
        self.company.intervention_oncall_export_email = "desk@answering.example.com"
        cron = self.env.ref("intervention_request.ir_cron_oncall_export")
        for when in ("2026-03-09 06:00:00", "2026-03-12 06:00:00"):
            with freeze_time(when), self.enter_registry_test_mode():
                cron.method_direct_trigger()
        mails = self.env["mail.mail"].search(
            [("email_to", "=", "desk@answering.example.com")]
        )
        self.assertEqual(len(mails), 1, "the same week: sent once")
        with freeze_time("2026-03-16 06:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        mails = self.env["mail.mail"].search(
            [("email_to", "=", "desk@answering.example.com")]
        )
        self.assertEqual(len(mails), 2, "the next Monday: sent again")

    def test_weekly_cron_mails_both_files_to_configured_address(self):
        self.company.intervention_oncall_export_email = "desk@answering.example.com"
        cron = self.env.ref("intervention_request.ir_cron_oncall_export")
        with freeze_time("2026-03-09 06:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        mail = self.env["mail.mail"].search(
            [("email_to", "=", "desk@answering.example.com")]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            sorted(mail.attachment_ids.mapped("name")),
            [
                "after_hours_clients_2026-03-09.csv",
                "after_hours_clients_2026-03-09.xlsx",
            ],
        )
        csv_file = mail.attachment_ids.filtered(lambda a: a.name.endswith(".csv"))
        self.assertIn("Résidence Les Pins", csv_file.raw.decode("utf-8-sig"))

    def test_no_address_no_mail(self):
        self.company.intervention_oncall_export_email = False
        self.assertFalse(self.Export._send(self.company))

    def test_download_wizard(self):
        with freeze_time(date(2026, 3, 10)):
            wizard = self.env["intervention.oncall.export.wizard"].create(
                {"file_format": "csv"}
            )
            action = wizard.action_download()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.name, "after_hours_clients_2026-03-10.csv")
        self.assertIn(b"Famille Dupont", attachment.raw)
