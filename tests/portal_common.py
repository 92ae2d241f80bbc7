from datetime import date, datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from .common import create_calendar


class InterventionPortalCommon(HttpCase):
    """Two client companies, each with a portal user, a contract in force
    today on a 24/7 calendar (never out of hours), a site, an asset and a
    request. Holds no test itself: subclass it, never a class with tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar_always = create_calendar(
            cls.env,
            "Portal tests 24/7",
            "0123456",
            [(0, 24)],
            day_period="full_day",
        )
        # Take in charge within half an hour: a request received an hour ago
        # and not qualified is overdue (the client may escalate).
        cls.policy = cls._create_policy(
            "Portal tests", take_in_charge_hours=0.5, resolution_hours=40
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

    def _chatter_post(self, request, body, subtype_xmlid="mail.mt_comment"):
        """Post ``body`` in ``request``'s chatter as the portal page does (no
        subtype when ``subtype_xmlid`` is None). Returns the response."""
        post_data = {"body": body, "message_type": "comment"}
        if subtype_xmlid:
            post_data["subtype_xmlid"] = subtype_xmlid
        return self.url_open(
            "/mail/message/post",
            json={
                "params": {
                    "thread_model": request._name,
                    "thread_id": request.id,
                    "post_data": post_data,
                }
            },
        )

    @classmethod
    def _create_policy(cls, name, take_in_charge_hours, resolution_hours):
        """An SLA policy: taken in charge and resolved within these business
        hours, whatever the severity."""
        return cls.env["intervention.sla.policy"].create(
            {
                "name": name,
                "line_ids": [
                    Command.create(
                        {
                            "target_type": target,
                            "duration": duration,
                            "unit": "hours",
                        }
                    )
                    for target, duration in (
                        ("take_in_charge", take_in_charge_hours),
                        ("resolution", resolution_hours),
                    )
                ],
            }
        )

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
