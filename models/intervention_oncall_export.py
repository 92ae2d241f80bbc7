from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import spreadsheet


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
    def _equipment_by_client(self, contracts):
        """{client id: equipment} of the contracts that list no equipment:
        the equipment of the client and its contacts, found in one search
        for all of them (``child_of``), each item given to the clients above
        its owner (up its ``parent_id`` chain)."""
        Equipment = self.env["intervention.equipment"]
        clients = contracts.filtered(lambda c: not c.equipment_line_ids).partner_id
        by_client = defaultdict(Equipment.browse)
        if not clients:
            return by_client
        client_ids = set(clients.ids)
        for item in Equipment.search([("partner_id", "child_of", clients.ids)]):
            partner = item.partner_id
            while partner:
                if partner.id in client_ids:
                    by_client[partner.id] |= item
                partner = partner.parent_id
        return by_client

    @api.model
    def _row(self, contract, equipment_by_client):
        client = contract.partner_id
        address = ", ".join(
            part for part in (client.street, client.zip, client.city) if part
        )
        equipment = (
            contract.equipment_line_ids.equipment_id or equipment_by_client[client.id]
        )
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
        contracts = self._contracts(company, when)
        equipment_by_client = self._equipment_by_client(contracts)
        return [self._row(contract, equipment_by_client) for contract in contracts]

    @api.model
    def _build_csv(self, company, when=None, rows=None):
        """The file as CSV bytes (UTF-8 with BOM, for spreadsheets), formulas
        neutralised by the same writer as the portal export. ``rows``: the
        rows already built (``_rows``), else built here."""
        if rows is None:
            rows = self._rows(company, when)
        return spreadsheet.to_csv(self._headers(), rows, ";")

    @api.model
    def _build_xlsx(self, company, when=None, rows=None):
        """The file as XLSX bytes, one sheet with a bold header row."""
        if rows is None:
            rows = self._rows(company, when)
        return spreadsheet.to_xlsx(
            self._headers(), rows, self.env._("After-hours Clients")
        )

    @api.model
    def _make_attachments(self, company, when=None):
        day = fields.Date.context_today(self)
        base = f"after_hours_clients_{day.isoformat()}"
        rows = self._rows(company, when)  # built once for both files
        files = [
            (f"{base}.csv", self._build_csv(company, rows=rows), "text/csv"),
            (
                f"{base}.xlsx",
                self._build_xlsx(company, rows=rows),
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
        """Send each company's file once a week.

        Idempotent: a company is due while its sent marker
        (``intervention_oncall_export_date``) is before the current week
        (Monday, company time); the company row is locked
        (``try_lock_for_update``: a second worker skips it) and re-checked,
        and the marker is written in the savepoint that queues the mail. One
        savepoint per company."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        companies = self.env["res.company"].search(
            Domain("intervention_oncall_export_email", "!=", False)
            & Failure._blocked_domain("oncall_export", "res.company", now)
        )
        locked = companies.try_lock_for_update(allow_referencing=True)
        locked.invalidate_recordset(["intervention_oncall_export_date"])
        done = Failure._run_each(
            "oncall_export",
            locked.filtered(self._export_due),
            self._send_weekly,
            now,
            skipped=len(companies - locked),
        )
        self.env["ir.cron"]._commit_progress(len(done))

    @api.model
    def _export_due(self, company):
        today = company._intervention_local_today()
        monday = today - timedelta(days=today.weekday())
        sent = company.intervention_oncall_export_date
        return not sent or sent < monday

    @api.model
    def _send_weekly(self, company):
        self._send(company)
        company.intervention_oncall_export_date = company._intervention_local_today()
