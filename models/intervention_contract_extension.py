from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_date

# Coverage reasons (A4) a contract extension answers (seed 004 §3, §4.2).
EXTENSIBLE_REASONS = ("equipment", "site", "domain", "excluded_service")


class InterventionContract(models.Model):
    """Extension of a contract's scope from a request found out of scope
    (seed 004 §3: the desk may propose an extension of the contract or a new
    contract): the asset, site, domain or service is added, dated and
    written in the contract's chatter."""

    _inherit = "intervention.contract"

    def _extend_scope_for(self, request, date_from, reason=None):
        """Add to this contract what made ``request`` out of scope (its
        ``reason``, the request's verdict by default): the asset (covered from
        ``date_from``), the site, the domain, or the service (no longer
        excluded). Returns the sentence posted on the contract."""
        self.ensure_one()
        reason = reason or request.coverage_reason
        if reason == "equipment" and request.equipment_id:
            what = self._extend_equipment(request.equipment_id, date_from)
        elif reason == "site" and request.site_id:
            self.site_ids = [(4, request.site_id.id)]
            what = self.env._("site %(site)s", site=request.site_id.display_name)
        elif reason == "domain" and request.domain_id:
            self.domain_ids = [(4, request.domain_id.id)]
            what = self.env._(
                "domain %(domain)s", domain=request.domain_id.display_name
            )
        elif reason == "excluded_service" and request.service_id:
            self.excluded_service_ids = [(3, request.service_id.id)]
            what = self.env._(
                "service %(service)s", service=request.service_id.display_name
            )
        else:
            raise UserError(
                self.env._(
                    "%(request)s is not out of scope for an asset, a site, a domain "
                    "or a service: there is nothing to add to a contract.",
                    request=request.name,
                )
            )
        body = self.env._(
            "Scope extended from %(date)s: %(what)s added (request %(request)s).",
            date=format_date(self.env, date_from),
            what=what,
            request=request.name,
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        return body

    def _extend_equipment(self, equipment, date_from):
        line = self.equipment_line_ids.filtered(lambda l: l.equipment_id == equipment)
        if line:
            line.date_from = min(line.date_from, date_from)
        else:
            self.env["intervention.contract.equipment"].create(
                {
                    "contract_id": self.id,
                    "equipment_id": equipment.id,
                    "date_from": date_from,
                }
            )
        return self.env._("asset %(asset)s", asset=equipment.display_name)

    def _prepare_follow_up_contract_values(self, date_from):
        """A new draft contract taking over this one's terms from
        ``date_from``."""
        self.ensure_one()
        values = {"date_start": date_from}
        if self.date_end and self.date_end < date_from:
            values["date_end"] = False
        return values
