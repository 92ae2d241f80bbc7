"""19.0.1.1.0: the client's rating moves to Odoo's rating.mixin.

The views that showed the portal-only rating fields are removed before
the update: Odoo would otherwise validate them against the request's form
(reloaded first) while they still name fields that no longer exist. They
are created again from the addon's files, without those fields.
"""

from odoo import SUPERUSER_ID, api

OLD_VIEWS = (
    "intervention_request.intervention_request_view_form_portal",
    "intervention_request.intervention_request_view_search_portal",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in OLD_VIEWS:
        view = env.ref(xmlid, raise_if_not_found=False)
        if view:
            view.unlink()
