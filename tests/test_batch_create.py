from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.tests import tagged

from ..models import intervention_request
from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestBatchCreation(InterventionCommon):
    """A batch creation larger than a slice (an import, the external API) is
    created a slice at a time to bound its memory; the requests are those
    created one by one: same order, their own references, their deadlines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._create_policy(
            "Batch policy", ("take_in_charge", 4), ("resolution", 2, "days")
        )
        cls.contract.sla_policy_id = cls.policy

    def _values(self, index):
        return {
            "requester_id": self.contact.id,
            "contract_id": self.contract.id,
            "summary": f"Batch request {index}",
            "channel": "email",
            "date_received": datetime(2026, 3, 9, 8, 0) + timedelta(hours=7 * index),
        }

    def _deadlines(self, request):
        return sorted((t.target_type, t.deadline) for t in request.sla_ids)

    def test_batch_larger_than_a_slice_gives_the_requests_of_single_creations(self):
        Request = self.env["intervention.request"]
        singles = [Request.create(self._values(index)) for index in range(5)]
        assign = type(Request)._assign_references
        with (
            patch.object(intervention_request, "CREATE_SLICE", 2),
            patch.object(
                type(Request), "_assign_references", autospec=True, side_effect=assign
            ) as slices,
        ):
            batch = Request.create([self._values(index) for index in range(5)])
        self.assertEqual(
            [len(call.args[1]) for call in slices.call_args_list], [2, 2, 1]
        )
        self.assertEqual(
            batch.mapped("summary"), [f"Batch request {index}" for index in range(5)]
        )
        self.assertEqual(len(set(batch.mapped("name"))), 5, "one reference each")
        self.assertFalse(set(batch.mapped("name")) & {r.name for r in singles})
        for single, sliced in zip(singles, batch, strict=True):
            self.assertEqual(len(single.sla_ids), 2)
            self.assertEqual(self._deadlines(sliced), self._deadlines(single))
            self.assertEqual(sliced.state, "new")
