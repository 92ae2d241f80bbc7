"""19.0.1.1.0: the client's rating moves to Odoo's rating.mixin.

The portal-only fields of the request (``portal_rating`` "1" to "5",
``portal_remark``, ``date_portal_feedback``) become one filled-in
``rating.rating`` per rated request, given by the requester (else the
client), on the date it was given. Odoo drops the old columns after the
update, with the fields they belonged to.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version or not column_exists(cr, "intervention_request", "portal_rating"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        SELECT req.id, req.portal_rating, req.portal_remark,
               COALESCE(req.date_portal_feedback, req.write_date),
               COALESCE(req.requester_id, req.partner_id), usr.partner_id
          FROM intervention_request req
          LEFT JOIN res_users usr ON usr.id = req.user_id
         WHERE req.portal_rating IS NOT NULL
        """
    )
    rows = cr.fetchall()
    if not rows:
        return
    model_id = env["ir.model"]._get_id("intervention.request")
    ratings = env["rating.rating"].create(
        [
            {
                "res_model_id": model_id,
                "res_id": request_id,
                "partner_id": partner_id,
                "rated_partner_id": operator_id,
                "rating": float(rating),
                "feedback": remark or False,
                "consumed": True,
            }
            for request_id, rating, remark, _date, partner_id, operator_id in rows
        ]
    )
    env.flush_all()
    # Given on the day the client rated, not on the day of the update.
    for rating, row in zip(ratings, rows, strict=True):
        cr.execute(
            "UPDATE rating_rating SET rated_on = %s, write_date = %s WHERE id = %s",
            (row[3], row[3], rating.id),
        )
    requests = env["intervention.request"].browse([row[0] for row in rows])
    env.add_to_compute(requests._fields["rating_last_value"], requests)
    env.flush_all()
    _logger.info("Moved %s client ratings to rating.rating", len(rows))
