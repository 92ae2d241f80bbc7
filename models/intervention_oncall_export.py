import csv
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.fields import Domain


class InterventionOncallExport(models.AbstractModel):
    """The weekly file of the clients with after-hours obligations for the
    external answering service (A5, seed 001 §4.1), in CSV and XLSX."""

    _name = "intervention.oncall.export"
    _description = "After-hours Clients File"

    @api.model
    def _headers(self):
        return [
            self.env._("Client"),
            self.env._("Address"),
            self.env._("Phone"),
            self.env._("Contract"),
            self.env._("Client Type"),
            self.env._("Equipment Type"),
            self.env._("Contractual Delay"),
            self.env._("Intervention Periods"),
            self.env._("Agency"),
            self.env._("Agency On-call Phones"),
        ]

    @api.model
    def _contracts(self, company, when=None):
        when = when or fields.Datetime.now()
        return self.env["intervention.contract"].search(
            self.env["intervention.contract"]._after_hours_domain(when)
            & Domain("company_id", "=", company.id),
            order="partner_id, name",
        )

    @api.model
    def _row(self, contract):
        client = contract.partner_id
        address = ", ".join(
            part for part in (client.street, client.zip, client.city) if part
        )
        equipment = contract.equipment_line_ids.equipment_id or self.env[
            "intervention.equipment"
        ].search([("partner_id", "child_of", client.id)])
        types = dict(
            contract._fields["oncall_client_type"]._description_selection(self.env)
        )
        windows = contract.agency_id.window_ids
        periods = "; ".join(
            [contract.coverage_calendar_id.name or ""]
            + [window.display_name for window in windows]
        ).strip("; ")
        return [
            client.name or "",
            address,
            client.phone or "",
            contract.name,
            types.get(contract.oncall_client_type, ""),
            ", ".join(sorted({e.category or e.name for e in equipment})),
            contract.oncall_delay or "",
            periods,
            contract.agency_id.name or "",
            contract.agency_id.oncall_phones or "",
        ]

    @api.model
    def _rows(self, company, when=None):
        return [self._row(contract) for contract in self._contracts(company, when)]

    @api.model
    def _build_csv(self, company, when=None):
        """The file as CSV bytes (UTF-8 with BOM, for spreadsheets)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(self._headers())
        writer.writerows(self._rows(company, when))
        return buffer.getvalue().encode("utf-8-sig")

    @api.model
    def _build_xlsx(self, company, when=None):
        """The file as XLSX bytes, one sheet with a bold header row."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("After-hours Clients"))
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, self._headers(), bold)
        for index, row in enumerate(self._rows(company, when), start=1):
            sheet.write_row(index, 0, row)
        sheet.set_column(0, len(self._headers()) - 1, 24)
        workbook.close()
        return buffer.getvalue()

    @api.model
    def _make_attachments(self, company, when=None):
        day = fields.Date.context_today(self)
        base = f"after_hours_clients_{day.isoformat()}"
        files = [
            (f"{base}.csv", self._build_csv(company, when), "text/csv"),
            (
                f"{base}.xlsx",
                self._build_xlsx(company, when),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ]
        return self.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "raw": content,
                    "mimetype": mimetype,
                    "res_model": "res.company",
                    "res_id": company.id,
                }
                for name, content, mimetype in files
            ]
        )

    @api.model
    def _send(self, company):
        """E-mail both files to the company's configured address."""
        if not company.intervention_oncall_export_email:
            return self.env["mail.mail"]
        attachments = self._make_attachments(company)
        mail = self.env["mail.mail"].create(
            {
                "subject": self.env._(
                    "%(company)s: clients with after-hours obligations",
                    company=company.name,
                ),
                "body_html": self.env._(
                    "<p>Please find attached the updated file of the clients with "
                    "after-hours obligations.</p>"
                ),
                "email_from": company.email_formatted or company.partner_id.email,
                "email_to": company.intervention_oncall_export_email,
                "attachment_ids": [fields.Command.set(attachments.ids)],
                "auto_delete": False,
            }
        )
        return mail

    @api.model
    def _cron_send_weekly(self):
        companies = self.env["res.company"].search(
            [("intervention_oncall_export_email", "!=", False)]
        )
        for company in companies:
            self._send(company)
        self.env["ir.cron"]._commit_progress(len(companies))
