from datetime import date, datetime, timedelta

from odoo.tests import HttpCase, new_test_user


class InterventionPortalCommon(HttpCase):
    """Two client companies, each with a portal user, a contract in force
    today on a 24/7 calendar (never out of hours), a site, an asset and a
    request. Holds no test itself: subclass it, never a class with tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar_always = cls.env["resource.calendar"].create(
            {
                "name": "Portal tests 24/7",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "full_day",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        # Take in charge within half an hour: a request received an hour ago
        # and not qualified is overdue (the client may escalate).
        cls.policy = cls.env["intervention.sla.policy"].create(
            {
                "name": "Portal tests",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "target_type": "take_in_charge",
                            "duration": 0.5,
                            "unit": "hours",
                        },
                    ),
                    (
                        0,
                        0,
                        {"target_type": "resolution", "duration": 40, "unit": "hours"},
                    ),
                ],
            }
        )
        cls.desk_user = new_test_user(
            cls.env,
            login="ir_portal_desk",
            groups="intervention_request.group_intervention_user",
            name="Portal Desk",
        )
        # The desk logs time in the timesheets, as an employee (H3).
        cls.env["hr.employee"].create(
            {"name": cls.desk_user.name, "user_id": cls.desk_user.id}
        )
        (
            cls.client_a,
            cls.contact_a,
            cls.site_a,
            cls.equipment_a,
            cls.contract_a,
        ) = cls._create_client("Horizon Portal", "Alice Portal")
        (
            cls.client_b,
            cls.contact_b,
            cls.site_b,
            cls.equipment_b,
            cls.contract_b,
        ) = cls._create_client("Rival Portal", "Bob Rival")
        cls.portal_a = new_test_user(
            cls.env,
            login="ir_portal_a",
            groups="base.group_portal",
            partner_id=cls.contact_a.id,
        )
        cls.portal_b = new_test_user(
            cls.env,
            login="ir_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.request_a = cls._create_portal_request(cls.contact_a, "Printer jams")
        cls.request_b = cls._create_portal_request(cls.contact_b, "Rival server down")

    @classmethod
    def _create_client(cls, name, contact_name):
        client = cls.env["res.partner"].create({"name": name, "is_company": True})
        contact = cls.env["res.partner"].create(
            {
                "name": contact_name,
                "parent_id": client.id,
                "email": f"{contact_name.split()[0].lower()}@portal.example.com",
                "phone": "+33 4 73 00 00 00",
            }
        )
        site = cls.env["res.partner"].create(
            {"name": f"{name} site", "parent_id": client.id, "type": "other"}
        )
        equipment = cls.env["intervention.equipment"].create(
            {
                "name": f"{name} server",
                "partner_id": client.id,
                "site_id": site.id,
                "acquisition_date": date.today() - timedelta(days=400),
            }
        )
        contract = cls.env["intervention.contract"].create(
            {
                "partner_id": client.id,
                "date_start": date.today() - timedelta(days=365),
                "resource_calendar_id": cls.calendar_always.id,
                "sla_policy_id": cls.policy.id,
            }
        )
        contract.action_activate()
        return client, contact, site, equipment, contract

    @classmethod
    def _create_portal_request(cls, contact, summary, **values):
        client = contact.commercial_partner_id
        contract = cls.env["intervention.contract"].search(
            [("partner_id", "=", client.id)], limit=1
        )
        return cls.env["intervention.request"].create(
            {
                "requester_id": contact.id,
                "contract_id": contract.id,
                "site_id": contract.partner_id.child_ids.filtered(
                    lambda p: p.type == "other"
                )[:1].id,
                "equipment_id": cls.env["intervention.equipment"]
                .search([("partner_id", "=", client.id)], limit=1)
                .id,
                "summary": summary,
                "description": "<p>It stopped working this morning.</p>",
                "channel": "portal",
                "date_received": datetime.now() - timedelta(hours=1),
                **values,
            }
        )

    def _form(self, **values):
        """Valid creation form values of client A."""
        return {
            "contract_id": str(self.contract_a.id),
            "site_id": str(self.site_a.id),
            "equipment_id": str(self.equipment_a.id),
            "kind": "incident",
            "severity": "major",
            "summary": "Scanner offline",
            "description": "The scanner of dock 3 shows error E42 since 8:00.",
            "circumstances": "",
            "phone": "+33 4 73 00 00 01",
            "email": "alice@portal.example.com",
            "single_malfunction": "1",
            **values,
        }

    def _resolve(self, request):
        request.action_receive()
        request.action_qualify()
        request.write(
            {"cause": "Faulty power supply", "resolution": "Power supply replaced."}
        )
        request.action_resolve()
        return request
