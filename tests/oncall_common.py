from datetime import datetime

from odoo.tests import new_test_user

from .common import InterventionCommon


class OncallCommon(InterventionCommon):
    """An agency (Mon-Fri 9-18 Paris business days, evening window 18-21,
    day duty 8-20 on weekends and public holidays), technicians on weekly
    shifts, a regional manager, a collective on-call client and an
    individual 7/7 client. Holds no test itself.

    Dates: March 2026 is UTC+1 in Paris until Sunday 29 (then UTC+2);
    Friday 1 May 2026 is a public holiday of the business calendar.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Labour Day",
                "calendar_id": cls.calendar_business.id,
                "date_from": datetime(2026, 4, 30, 22, 0),
                "date_to": datetime(2026, 5, 1, 21, 59, 59),
                "time_type": "leave",
            }
        )
        cls.agency = cls.env["intervention.agency"].create(
            {
                "name": "Agence Annecy",
                "email": "agence.annecy@example.com",
                "regional_direction_email": "dr@example.com",
                "resource_calendar_id": cls.calendar_business.id,
                "manager_id": cls.manager.id,
                "window_ids": [
                    (0, 0, {"oncall_type": "evening", "hour_from": 18, "hour_to": 21}),
                    (0, 0, {"oncall_type": "day_duty", "hour_from": 8, "hour_to": 20}),
                ],
            }
        )
        cls.technician_2 = new_test_user(
            cls.env,
            login="ir_tech2",
            groups="intervention_request.group_intervention_user",
            name="Second Technician",
        )
        cls.regional = new_test_user(
            cls.env,
            login="ir_regional",
            groups="intervention_request.group_intervention_manager",
            name="Regional Manager",
        )
        cls.direction = new_test_user(
            cls.env,
            login="ir_direction",
            groups="intervention_request.group_intervention_manager",
            name="General Manager",
        )
        cls.company.intervention_oncall_direction_id = cls.direction
        # Weekly technician shifts handed over on Mondays 8:00 Paris.
        cls.shift_week_1 = cls._create_shift(
            cls.technician, datetime(2026, 3, 9, 7), datetime(2026, 3, 16, 7)
        )
        cls.shift_week_2 = cls._create_shift(
            cls.technician_2, datetime(2026, 3, 16, 7), datetime(2026, 3, 23, 7)
        )
        cls.shift_may = cls._create_shift(
            cls.technician, datetime(2026, 4, 27, 6), datetime(2026, 5, 4, 6)
        )
        cls.shift_regional = cls._create_shift(
            cls.regional, datetime(2026, 3, 9, 7), datetime(2026, 3, 23, 7), level="2"
        )
        cls.shift_regional_may = cls._create_shift(
            cls.regional, datetime(2026, 4, 27, 6), datetime(2026, 5, 4, 6), level="2"
        )
        (
            cls.residence,
            cls.residence_contact,
            cls.boiler_room,
            cls.contract_collective,
        ) = cls._create_oncall_client(
            {
                "name": "Résidence Les Pins",
                "street": "3 rue des Pins",
                "zip": "74000",
                "city": "Annecy",
                "phone": "+33 4 50 10 20 30",
            },
            "Gerard Syndic",
            {"name": "Boiler room B", "category": "Boiler room"},
            oncall_client_type="collective",
            oncall_delay="Within 4 hours",
        )
        (
            cls.dupont,
            cls.dupont_contact,
            cls.gas_boiler,
            cls.contract_individual,
        ) = cls._create_oncall_client(
            {"name": "Famille Dupont", "city": "Annecy", "phone": "+33 4 50 11 22 33"},
            "Martin Dupont",
            {"name": "Gas boiler", "category": "Individual gas boiler"},
            oncall_client_type="individual_77",
            oncall_delay="7/7 individual",
        )

    @classmethod
    def _create_oncall_client(cls, values, contact_name, equipment, **contract):
        """A client company of ``values`` with a contact, an asset of
        ``equipment`` bought in January 2025 and an on-call contract of the
        agency on the 7/7 calendar. Returns (client, contact, asset,
        contract)."""
        client = cls.env["res.partner"].create({"is_company": True, **values})
        contact = cls._create_contact(client, contact_name)
        asset = cls.env["intervention.equipment"].create(
            {
                "partner_id": client.id,
                "acquisition_date": datetime(2025, 1, 1).date(),
                **equipment,
            }
        )
        contract = cls._create_contract(
            client,
            coverage_type="oncall",
            coverage_calendar_id=cls.calendar_oncall.id,
            agency_id=cls.agency.id,
            **contract,
        )
        return client, contact, asset, contract

    @classmethod
    def _create_shift(cls, user, start, end, level="1", agency=None):
        return cls.env["intervention.oncall.shift"].create(
            {
                "agency_id": (agency or cls.agency).id,
                "level": level,
                "user_id": user.id,
                "date_start": start,
                "date_end": end,
            }
        )

    def _take_call(self, when, contract=None, **values):
        """Record and route a call of ``contract``'s client (the collective
        one by default) at ``when`` (naive UTC)."""
        contract = contract or self.contract_collective
        call = self.env["intervention.oncall.call"].create(
            {
                "date_call": when,
                "partner_id": contract.partner_id.id,
                "contract_id": contract.id,
                "caller_name": "Caller",
                "caller_phone": "+33 6 00 00 00 00",
                "description": "No heating",
                **values,
            }
        )
        call.action_route()
        return call

    def _summary_mails(self, call):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "intervention.oncall.call"),
                ("res_id", "=", call.id),
                ("email_to", "!=", False),
            ]
        )
