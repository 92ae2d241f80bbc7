import math

from odoo import models

from .request_lifecycle import FINAL_STATES

RATE_FIELDS = {
    "hourly": "hourly_rate",
    "time_unit": "time_unit_rate",
    "oncall": "oncall_hourly_rate",
}


class InterventionContract(models.Model):
    """Prices of billable work (H3) from the contract's rates."""

    _inherit = "intervention.contract"

    def _get_billing_price(self, product):
        """Unit price of ``product`` for work under this contract: the
        contract's rate named by the product (hourly, time unit, on-call)
        when the contract sets it, else the product's sales price. Works on
        an empty contract (request out of contract): the sales price."""
        if not product:
            return 0.0
        rate_field = RATE_FIELDS.get(product.intervention_rate_type)
        if self and rate_field:
            self.ensure_one()
            if self[rate_field] > 0:
                return self[rate_field]
        return product.lst_price

    def _get_time_unit_quantity(self, hours):
        """Number of time units (UT) for ``hours`` of work: every started
        unit counts (seed 000 Art. 3.01: work is counted in UT). Without a
        contract, one unit per hour."""
        if hours <= 0:
            return 0.0
        minutes = self[:1].time_unit_minutes or 60
        return float(math.ceil(round(hours * 60 / minutes, 6)))

    def write(self, vals):
        result = super().write(vals)
        if {"include_phone", "include_email"}.intersection(vals):
            # The surcharge follows the channels the contract includes.
            open_requests = self.request_ids.filtered(
                lambda r: r.state not in FINAL_STATES
            )
            open_requests._sync_billable_causes()
        return result
