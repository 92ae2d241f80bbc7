from odoo import api, fields, models

from .request_lifecycle import COVERAGE_BILLABLE_CAUSES

# Fields the eligibility verdict (A4) reads.
COVERAGE_FIELDS = (
    "contract_id",
    "partner_id",
    "requester_id",
    "site_id",
    "equipment_id",
    "domain_id",
    "service_id",
    "channel",
    "date_received",
)


class InterventionRequestCoverageMixin(models.AbstractModel):
    """The request's eligibility verdict (A4): the contract's
    ``_get_coverage_verdict`` applied to the request's client, requester,
    site, asset, domain, service, channel and reception time, stored on the
    request and checked again on demand. Other concerns refine the verdict
    (the e-mail intake for an unidentified sender) by overriding
    ``_get_coverage_verdict``."""

    _name = "intervention.request.coverage.mixin"
    _description = "Request Coverage Verdict"

    @api.depends(*COVERAGE_FIELDS)
    def _compute_coverage(self):
        for request in self:
            verdict = request._get_coverage_verdict()
            request.coverage_state = "covered" if verdict["covered"] else "not_covered"
            request.coverage_reason = verdict["reason"]
            request.coverage_message = verdict["message"]

    def action_check_coverage(self):
        """Check the coverage again, e.g. after the contract was amended (the
        stored verdict is the one given at intake)."""
        verdict_fields = ["coverage_state", "coverage_reason", "coverage_message"]
        billing_fields = ["is_billable", "billable_cause"]
        for fnames in (verdict_fields, billing_fields):
            for fname in fnames:
                self.env.add_to_compute(self._fields[fname], self)
            self._recompute_recordset(fnames)
        return True

    def _get_coverage_verdict(self):
        """The eligibility verdict of this request (A4), see
        ``intervention.contract._get_coverage_verdict``."""
        self.ensure_one()
        if not self.contract_id and not self.partner_id:
            return {
                "covered": False,
                "reason": "no_contract",
                "message": self.env._("Unknown client: no contract can apply."),
            }
        return self.contract_id._get_coverage_verdict(
            self.date_received or fields.Datetime.now(),
            requester=self.requester_id,
            site=self.site_id,
            equipment=self.equipment_id,
            domain=self.domain_id,
            service=self.service_id,
            channel=self.channel,
        )

    def _get_automatic_billable_cause(self, verdict=None):
        """The one rule of the automatic billable cause (H1): out of contract
        or excluded service from the eligibility ``verdict`` (A4; default:
        the stored one), else the phone / e-mail surcharge when the contract
        does not include the channel; False when none applies. Used by the
        request's billable flag, its automatic charges and the portal's
        preview."""
        self.ensure_one()
        if verdict is None:
            verdict = {
                "covered": self.coverage_state != "not_covered",
                "reason": self.coverage_reason,
            }
        if not verdict["covered"]:
            return COVERAGE_BILLABLE_CAUSES.get(verdict["reason"], "out_of_contract")
        if self._needs_channel_surcharge():
            return "channel_surcharge"
        return False
