from odoo import api, models

# Fields that decide who owns a change request.
OWNER_FIELDS = {"kind", "product_id", "component_id"}


class InterventionRequestChangeMixin(models.AbstractModel):
    """Change requests go to the product owner (B1, seed 002): at intake, or
    when a request becomes a change request or changes product, it is
    assigned to the owner of its component (else of its product), who
    follows it and gets an activity. Change requests carry no SLA target
    (see ``_sla_targets``)."""

    _name = "intervention.request.change.mixin"
    _description = "Request Change Routing"

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        chosen = {index for index, vals in enumerate(vals_list) if vals.get("user_id")}
        to_route = self.browse(
            request.id for index, request in enumerate(requests) if index not in chosen
        )
        to_route._route_to_product_owner()
        return requests

    def write(self, vals):
        result = super().write(vals)
        if OWNER_FIELDS.intersection(vals) and "user_id" not in vals:
            self._route_to_product_owner()
        return result

    def _get_product_owner(self):
        """The owner of the request's component, else of its product."""
        self.ensure_one()
        return self.component_id.owner_id or self.product_id.owner_id

    def _route_to_product_owner(self):
        """Assign the change requests to their product owner: assignee,
        follower, activity and a chatter line (with the routing step)."""
        for request in self.filtered(lambda r: r.kind == "change"):
            owner = request._get_product_owner()
            if not owner or request.user_id == owner:
                continue
            what = request.component_id.display_name or request.product_id.name
            reason = self.env._(
                "Change request: sent to the product owner %(owner)s (%(what)s).",
                owner=owner.name,
                what=what,
            )
            self.env["intervention.request.routing"].create(
                {
                    "request_id": request.id,
                    "kind": "assignment",
                    "reason": reason,
                    "from_level": request.support_level,
                    "to_level": request.support_level,
                    "from_user_id": request.user_id.id,
                    "to_user_id": owner.id,
                }
            )
            request.user_id = owner
            request.message_subscribe(partner_ids=owner.partner_id.ids)
            request.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=owner.id,
                summary=self.env._("Change request to study"),
                note=reason,
            )
            request.message_post(body=reason, subtype_xmlid="mail.mt_note")
