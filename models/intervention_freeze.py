from odoo import api, fields, models
from odoo.exceptions import ValidationError

FREEZE_REASONS = [
    ("prerequisite", "Client prerequisite checks not done"),
    ("site_access", "Waiting for site access"),
    ("client_tests", "Waiting for tests by the client"),
    ("client_info", "Waiting for information from the client"),
    ("out_of_hours", "Submitted outside the covered hours"),
    ("other", "Other"),
]


class InterventionFreeze(models.Model):
    """A freeze period ("période de gel", B4): an interval during which the
    request's SLA clocks do not run. Open while ``date_end`` is empty.

    Freezes are opened and closed by the request's transitions (waiting on the
    client, reception out of hours); they are kept for the record, never
    deleted by the workflow.
    """

    _name = "intervention.freeze"
    _description = "Request Freeze Period"
    _order = "date_start, id"

    request_id = fields.Many2one(
        "intervention.request", required=True, ondelete="cascade", index=True
    )
    # Precomputed, as ``is_open``: given in the INSERT, not by an UPDATE
    # after it (a request received out of hours creates its hold).
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    reason = fields.Selection(FREEZE_REASONS, required=True, default="client_info")
    note = fields.Char()
    date_start = fields.Datetime(
        string="Start", required=True, default=fields.Datetime.now
    )
    date_end = fields.Datetime(string="End", help="Empty while the freeze is running.")
    is_open = fields.Boolean(
        compute="_compute_is_open", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(
        "res.users", string="Opened By", default=lambda self: self.env.user
    )
    duration_hours = fields.Float(
        string="Duration (h)",
        compute="_compute_duration_hours",
        help="Calendar hours, up to now if still open.",
    )

    _one_open_per_reason = models.UniqueIndex(
        "(request_id, reason) WHERE date_end IS NULL",
        "A request can have only one open freeze per reason.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        freezes = super().create(vals_list)
        freezes.request_id._sla_sync()
        return freezes

    def write(self, vals):
        requests = self.request_id
        result = super().write(vals)
        if {"date_start", "date_end", "request_id"}.intersection(vals):
            (requests | self.request_id)._sla_sync()
        return result

    def unlink(self):
        requests = self.request_id
        result = super().unlink()
        requests._sla_sync()
        return result

    @api.depends("date_end")
    def _compute_is_open(self):
        for freeze in self:
            freeze.is_open = not freeze.date_end

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        now = fields.Datetime.now()
        for freeze in self:
            end = freeze.date_end or now
            freeze.duration_hours = (
                max((end - freeze.date_start).total_seconds(), 0) / 3600
                if freeze.date_start
                else 0
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for freeze in self:
            if freeze.date_end and freeze.date_end < freeze.date_start:
                raise ValidationError(
                    self.env._(
                        "A freeze of %(request)s cannot end before it starts.",
                        request=freeze.request_id.display_name,
                    )
                )

    @api.depends("reason", "date_start")
    def _compute_display_name(self):
        labels = dict(self._fields["reason"]._description_selection(self.env))
        for freeze in self:
            freeze.display_name = labels.get(freeze.reason, "")

    def _close(self, when=None):
        """Close the open freezes of ``self`` at ``when`` (default: now)."""
        when = when or fields.Datetime.now()
        for freeze in self.filtered("is_open"):
            freeze.date_end = max(when, freeze.date_start)
        # A new freeze of the same reason may follow in this transaction: the
        # unique index on open freezes needs the closing written first.
        self.flush_recordset(["date_end", "is_open"])
