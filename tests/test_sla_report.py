from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import InterventionCommon


def paris(day, hour, minute=0, month=3):
    """A 2026 Paris wall-clock time as naive UTC (UTC+1 in March, +2 in April)."""
    offset = 1 if month == 3 else 2
    return datetime(2026, month, day, hour - offset, minute)


@tagged("post_install", "-at_install")
class TestSlaReport(InterventionCommon):
    """The SLA analysis (I2): targets met and breached by month, severity,
    team and client, with average business hours to take in charge and to
    resolve, on the Mon-Fri 9-18 calendar (take in charge 2 h, resolution
    2 business days)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.sla_policy_id = cls.env["intervention.sla.policy"].create(
            {
                "name": "Analysis policy",
                "line_ids": [
                    (0, 0, {"target_type": "take_in_charge", "duration": 2}),
                    (
                        0,
                        0,
                        {"target_type": "resolution", "duration": 2, "unit": "days"},
                    ),
                ],
            }
        )
        cls.other_client = cls.env["res.partner"].create(
            {"name": "Coopérative du Val", "is_company": True}
        )
        cls.other_contact = cls._create_contact(cls.other_client, "Bruno Berger")
        cls.other_contract = cls._create_contract(
            cls.other_client, sla_policy_id=cls.contract.sla_policy_id.id
        )

    def _run(self, received, steps, **values):
        """Create a request at ``received`` and run ``steps`` (instant, method
        name) on it at their instants."""
        with freeze_time(received):
            request = self._create_request(date_received=received, **values)
            request.action_receive()
        for instant, method in steps:
            with freeze_time(instant):
                getattr(request, method)()
        return request

    def _figures(self, groupby, domain=()):
        Report = self.env["intervention.sla.report"].with_user(self.manager)
        self.env.flush_all()
        groups = Report.formatted_read_group(
            list(domain),
            groupby,
            [
                "met_count:sum",
                "breached_count:sum",
                "pending_count:sum",
                "compliance_rate:avg",
                "take_in_charge_hours:avg",
                "resolution_hours:avg",
            ],
        )
        return {
            tuple(
                group[name][0] if isinstance(group[name], tuple | list) else group[name]
                for name in groupby
            ): group
            for group in groups
        }

    def setUp(self):
        super().setUp()
        # A: major, Servers (N2); taken in charge after 1 h, resolved after
        # 9 business hours (Tue 10:00 -> Wed 10:00): both met.
        self.request_a = self._run(
            paris(10, 10),
            [(paris(10, 11), "action_qualify"), (paris(11, 10), "action_resolve")],
            domain_id=self.domain_servers.id,
        )
        # B: blocking, Workstations (N1); taken in charge after 5 h, resolved
        # Fri 10:00 after 27 business hours: both breached.
        self.request_b = self._run(
            paris(10, 10),
            [(paris(10, 15), "action_qualify"), (paris(13, 10), "action_resolve")],
            severity="blocking",
            domain_id=self.domain_workstation.id,
        )
        # C: another client in April, taken in charge after 30 min, still open.
        self.request_c = self._run(
            paris(7, 10, month=4),
            [(paris(7, 10, 30, month=4), "action_qualify")],
            requester_id=self.other_contact.id,
            contract_id=self.other_contract.id,
            site_id=None,
            equipment_id=None,
            domain_id=self.domain_servers.id,
        )

    def test_one_row_per_target(self):
        rows = self.env["intervention.sla.report"].with_user(self.manager).search([])
        self.assertEqual(len(rows), 6)
        self.assertEqual(
            rows.request_id, self.request_a | self.request_b | self.request_c
        )

    def test_by_target(self):
        figures = self._figures(["target_type"])
        take = figures[("take_in_charge",)]
        self.assertEqual((take["met_count:sum"], take["breached_count:sum"]), (2, 1))
        self.assertAlmostEqual(take["compliance_rate:avg"], 200 / 3)
        self.assertAlmostEqual(take["take_in_charge_hours:avg"], (1 + 5 + 0.5) / 3)
        resolution = figures[("resolution",)]
        self.assertEqual(
            (
                resolution["met_count:sum"],
                resolution["breached_count:sum"],
                resolution["pending_count:sum"],
            ),
            (1, 1, 1),
        )
        self.assertAlmostEqual(resolution["compliance_rate:avg"], 50.0)
        self.assertAlmostEqual(resolution["resolution_hours:avg"], (9 + 27) / 2)

    def test_by_month(self):
        figures = self._figures(["date_received:month"])
        self.assertEqual(len(figures), 2)
        march, april = (
            next(group for key, group in figures.items() if month in str(key))
            for month in ("2026-03", "2026-04")
        )
        self.assertEqual((march["met_count:sum"], march["breached_count:sum"]), (2, 2))
        self.assertAlmostEqual(march["compliance_rate:avg"], 50.0)
        self.assertEqual(
            (
                april["met_count:sum"],
                april["breached_count:sum"],
                april["pending_count:sum"],
            ),
            (1, 0, 1),
        )
        self.assertAlmostEqual(april["take_in_charge_hours:avg"], 0.5)
        self.assertFalse(april["resolution_hours:avg"])

    def test_by_severity_team_and_client(self):
        severity = self._figures(["severity"])
        self.assertEqual(severity[("blocking",)]["breached_count:sum"], 2)
        self.assertEqual(severity[("major",)]["met_count:sum"], 3)
        team = self._figures(["support_level"])
        self.assertEqual(team[("n1",)]["breached_count:sum"], 2)
        self.assertEqual(team[("n2",)]["met_count:sum"], 3)
        domain = self._figures(["domain_id"])
        self.assertEqual(domain[(self.domain_servers.id,)]["met_count:sum"], 3)
        client = self._figures(["partner_id"])
        self.assertAlmostEqual(
            client[(self.client.id,)]["take_in_charge_hours:avg"], 3.0
        )
        self.assertEqual(client[(self.other_client.id,)]["pending_count:sum"], 1)

    def test_follows_the_requests(self):
        """The analysis is a view: a late resolution shows at once."""
        with freeze_time(paris(9, 10, month=4)):
            self.request_c.action_resolve()
        figures = self._figures(["partner_id"], [("target_type", "=", "resolution")])
        other = figures[(self.other_client.id,)]
        self.assertEqual(
            (other["breached_count:sum"], other["pending_count:sum"]), (0, 0)
        )
        self.assertEqual(other["met_count:sum"], 1)
        # Tue 10:00 -> Thu 10:00: 18 business hours.
        self.assertAlmostEqual(other["resolution_hours:avg"], 18.0)

    def test_managers_only(self):
        Report = self.env["intervention.sla.report"]
        with self.assertRaises(AccessError):
            Report.with_user(self.user).search([])
        self.assertTrue(Report.with_user(self.manager).search([]))
