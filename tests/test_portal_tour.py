from odoo.tests import tagged

from .portal_common import InterventionPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTour(InterventionPortalCommon):
    """In a browser: a client creates a request from the portal, posts a
    message in its conversation, and reopens it once resolved."""

    def test_portal_tour(self):
        before = self.env["intervention.request"].search(
            [("partner_id", "=", self.client_a.id)]
        )
        self.start_tour(
            "/my/interventions", "intervention_portal_create_tour", login="ir_portal_a"
        )
        request = (
            self.env["intervention.request"].search(
                [("partner_id", "=", self.client_a.id)]
            )
            - before
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.channel, "portal")
        self.assertEqual(request.summary, "Badge reader refuses every card")
        self.assertEqual(request.requester_id, self.contact_a)
        message = request.message_ids.filtered(
            lambda m: "back door fails too" in m.body
        )
        self.assertEqual(message.author_id, self.contact_a)
        self.assertTrue(request.date_last_client_message, "seen as a client answer")

        self._resolve(request)
        self.start_tour(
            request.access_url, "intervention_portal_reopen_tour", login="ir_portal_a"
        )
        self.assertEqual(request.state, "reopened")
        self.assertTrue(
            request.message_ids.filtered(lambda m: "refuses the cards again" in m.body)
        )
