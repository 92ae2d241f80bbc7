from odoo import fields, models
from odoo.fields import Domain

ONCALL_CLIENT_TYPES = [
    ("individual_77", "Individual client, 7/7 option"),
    ("collective", "Collective client (public or private)"),
    ("boiler_room", "Boiler room"),
]


class InterventionContract(models.Model):
    """After-hours side of a contract: the agency it belongs to, the kind of
    after-hours client and the contractual delay the answering service
    states (seed 001 §2, §4.1, §5.1.2)."""

    _inherit = "intervention.contract"

    agency_id = fields.Many2one(
        "intervention.agency",
        check_company=True,
        tracking=True,
        help="Agency whose on-call duty handles the client's after-hours calls.",
    )
    oncall_client_type = fields.Selection(
        ONCALL_CLIENT_TYPES,
        string="After-hours Client Type",
        help="Individual 7/7 clients calling after 18:00 are called back the next "
        "morning, whatever the agency's windows.",
    )
    oncall_delay = fields.Char(
        string="Contractual Delay",
        help="Intervention delay stated to the client by the answering service, "
        "e.g. '7/7 individual, next morning' or 'within 4 hours'.",
    )

    def _has_after_hours_obligation(self):
        """True when the contract subscribes intervention outside business
        hours (extended or on-call coverage)."""
        self.ensure_one()
        return self.coverage_type in ("extended", "oncall")

    def _after_hours_domain(self, when):
        """Contracts in force at ``when`` with an after-hours obligation."""
        day = fields.Date.to_date(when)
        return (
            Domain("state", "=", "active")
            & Domain("coverage_type", "in", ("extended", "oncall"))
            & Domain("date_start", "<=", day)
            & (Domain("date_end", "=", False) | Domain("date_end", ">=", day))
        )
