from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Fields of a timesheet line that make the time an invoiced time entry bills:
# only finance changes them once invoiced, as on the entry itself.
INVOICED_LOCKED_FIELDS = frozenset(
    {
        "intervention_request_id",
        "user_id",
        "employee_id",
        "date",
        "unit_amount",
        "project_id",
    }
)


class AccountAnalyticLine(models.Model):
    """A timesheet line may record time on an intervention request: it is
    then the timesheet line of one time entry (``intervention.time.entry``,
    by delegation), which prices and invoices it.

    A line logged in the Timesheets app with a request gets its time entry
    (remote work, period and service by default, as the request's time tab
    does); changing or clearing its request moves or deletes the entry. Both
    sides refuse changes of invoiced time to all but finance. The context key
    ``intervention_time_entry_sync`` marks the writes the time entry makes
    itself, so that neither side calls the other back."""

    _inherit = "account.analytic.line"

    intervention_request_id = fields.Many2one(
        "intervention.request",
        index="btree_not_null",
        domain="[('state', 'not in', ('new', 'cancelled')), "
        "('company_id', '=', company_id)]",
        help="The request this time was spent on: the time is priced and "
        "invoiced as a time entry of the request.",
    )
    intervention_time_entry_ids = fields.One2many(
        "intervention.time.entry", "timesheet_id", string="Time Entry"
    )

    @api.constrains("unit_amount", "intervention_request_id")
    def _check_intervention_duration(self):
        for line in self:
            if line.intervention_request_id and not line.unit_amount > 0:
                raise ValidationError(
                    self.env._("A time entry lasts more than zero hours.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.context.get("intervention_time_entry_sync"):
            lines.filtered("intervention_request_id")._create_intervention_entries()
        return lines

    def write(self, vals):
        if INVOICED_LOCKED_FIELDS.intersection(vals):
            self.intervention_time_entry_ids._check_invoiced_unchanged()
        result = super().write(vals)
        if "intervention_request_id" in vals and not self.env.context.get(
            "intervention_time_entry_sync"
        ):
            self._sync_intervention_entries()
        return result

    def unlink(self):
        # Before the access rules, so that the refusal says why.
        self.intervention_time_entry_ids._check_invoiced_unchanged()
        return super().unlink()

    def _check_can_write(self, values):
        """Intervention staff change the time of every technician on the
        requests (the addon's rules on requests and time entries apply);
        Odoo's rule "own timesheets only" still applies to other lines."""
        lines = self
        if self.env.user.has_group("intervention_request.group_intervention_user"):
            lines -= self.filtered("intervention_request_id")
        return super(AccountAnalyticLine, lines)._check_can_write(values)

    def _create_intervention_entries(self):
        """One time entry, priced by default, per line on a request."""
        return (
            self.env["intervention.time.entry"]
            .with_context(intervention_time_entry_sync=True)
            .create(
                [
                    {
                        "timesheet_id": line.id,
                        "request_id": line.intervention_request_id.id,
                    }
                    for line in self
                ]
            )
        )

    def _sync_intervention_entries(self):
        """After a change of request in the Timesheets app: a line put on a
        request gets its entry, an entry follows its line to another request,
        and a line taken off every request loses its entry (the lock on
        invoiced time was checked before the change)."""
        entries = self.intervention_time_entry_ids
        entries.filtered(lambda entry: not entry.intervention_request_id).with_context(
            intervention_time_entry_sync=True
        ).unlink()
        for entry in entries.exists():
            if entry.request_id != entry.intervention_request_id:
                entry.request_id = entry.intervention_request_id
        self.filtered(
            lambda line: (
                line.intervention_request_id and not line.intervention_time_entry_ids
            )
        )._create_intervention_entries()
