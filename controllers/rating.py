from odoo import http
from odoo.http import request

from odoo.addons.rating.controllers.main import Rating

MODEL = "intervention.request"


class InterventionRating(Rating):
    """Odoo's rating pages (``/rate/<token>/...``, the links of the rating
    e-mail) for an intervention request: outside the feedback window (B7)
    the client gets a page saying why and until when it was open, instead
    of the form (GET) or the error page of a refused rating (POST). The
    refusal itself is the model's (``rating_apply``)."""

    @http.route()
    def action_open_rating(self, token, rate, **kwargs):
        refused = self._intervention_rating_refused(token)
        return refused or super().action_open_rating(token, rate, **kwargs)

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        refused = self._intervention_rating_refused(token)
        return refused or super().action_submit_rating(token, rate=rate, **kwargs)

    def _intervention_rating_refused(self, token):
        rating = (
            request.env["rating.rating"]
            .sudo()
            .search([("access_token", "=", token), ("res_model", "=", MODEL)], limit=1)
        )
        if not rating:
            return None
        record = request.env[MODEL].sudo().browse(rating.res_id).exists()
        if not record:
            return None
        lang = rating.partner_id.lang or request.env.lang
        record = record.with_context(lang=lang)
        refusal = record._rating_refusal()
        if not refusal:
            return None
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                "intervention_request.rating_window_closed",
                {
                    "message": refusal,
                    "portal_url": record.get_portal_url(),
                    "web_base_url": rating.get_base_url(),
                },
            )
        )
