from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestTechnicianDay(InterventionCommon):
    """*My Interventions*: the field technician's requests on site, in the
    order they were sent, until he records his arrival."""

    def _my_interventions(self, user):
        action = self.env.ref(
            "intervention_request.intervention_request_my_interventions_action"
        )
        domain = safe_eval(action.domain, {"uid": user.id})
        return (
            self.env["intervention.request"]
            .with_user(user)
            .search(domain, order="date_onsite_assigned")
        )

    def _sent_on_site(self, when, technician, summary):
        request = self._create_request(
            summary=summary, date_received=datetime(2026, 3, 10, 8, 0)
        )
        with freeze_time(when):
            request.action_receive()
            request.action_qualify()
            request.action_assign_onsite(technician)
        return request

    def test_my_interventions_in_order(self):
        second = self._sent_on_site("2026-03-10 10:00:00", self.technician, "Second")
        first = self._sent_on_site("2026-03-10 08:30:00", self.technician, "First")
        self._sent_on_site("2026-03-10 09:00:00", self.user, "Someone else's")
        self.assertEqual(self._my_interventions(self.technician), first + second)
        with freeze_time("2026-03-10 11:00:00"):
            first.with_user(self.technician).action_onsite_arrival()
        self.assertEqual(first.date_onsite_arrival, datetime(2026, 3, 10, 11, 0))
        first.action_resolve()
        self.assertEqual(self._my_interventions(self.technician), second)
