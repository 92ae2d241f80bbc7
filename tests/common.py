from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

# Europe/Paris is UTC+1 in March: Tuesday 10 March 2026, 10:00 in Paris.
TUESDAY_10H = datetime(2026, 3, 10, 9, 0)


def create_calendar(env, name, days, hours, tz="Europe/Paris", day_period=None):
    """A working-time calendar open on ``days`` (a string of weekday digits,
    "0" = Monday) during each ``(start, stop)`` of ``hours``, in ``tz``.
    Each attendance is a morning or an afternoon by its start unless
    ``day_period`` says otherwise."""
    attendances = [
        Command.create(
            {
                "name": f"{day} {start}-{stop}",
                "dayofweek": day,
                "hour_from": start,
                "hour_to": stop,
                "day_period": day_period or ("morning" if start < 12 else "afternoon"),
            }
        )
        for day in days
        for start, stop in hours
    ]
    return env["resource.calendar"].create(
        {"name": name, "tz": tz, "attendance_ids": attendances}
    )


class InterventionCommon(BaseCommon):
    """Fixed calendars, one client with a contract, users per role, and
    factories. Holds no test itself: subclass it, never a class with tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.calendar_business = cls._create_calendar(
            "Mon-Fri 9-18", days="01234", hours=[(9, 18)]
        )
        cls.calendar_oncall = cls._create_calendar(
            "7/7 8-22", days="0123456", hours=[(8, 22)]
        )
        cls.service_curative = cls.env.ref("intervention_request.service_curative")
        cls.service_training = cls.env.ref("intervention_request.service_training")
        cls.domain_workstation = cls.env["intervention.domain"].create(
            {"name": "Workstations", "support_level": "n1"}
        )
        cls.domain_servers = cls.env["intervention.domain"].create(
            {"name": "Servers", "support_level": "n2"}
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Horizon Logistique", "is_company": True}
        )
        cls.contact = cls._create_contact(cls.client, "Alice Admin")
        cls.site = cls.env["res.partner"].create(
            {"name": "Horizon Lyon", "parent_id": cls.client.id, "type": "other"}
        )
        cls.equipment = cls.env["intervention.equipment"].create(
            {
                "name": "File server",
                "partner_id": cls.client.id,
                "site_id": cls.site.id,
                "acquisition_date": date(2025, 6, 1),
            }
        )
        cls.contract = cls._create_contract(cls.client)
        cls.user = new_test_user(
            cls.env,
            login="ir_user",
            groups="intervention_request.group_intervention_user",
            name="Desk User",
        )
        cls.manager = new_test_user(
            cls.env,
            login="ir_manager",
            groups="intervention_request.group_intervention_manager",
            name="Support Manager",
        )
        cls.technician = new_test_user(
            cls.env,
            login="ir_tech",
            groups="intervention_request.group_intervention_user",
            name="Field Technician",
        )
        # Time is logged in the timesheets, by employees at their cost.
        for user in (cls.env.user, cls.user, cls.manager):
            cls._create_employee(user)
        cls.technician_employee = cls._create_employee(cls.technician, 40.0)

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _create_calendar(cls, name, days, hours, tz="Europe/Paris"):
        return create_calendar(cls.env, name, days, hours, tz=tz)

    @classmethod
    def _create_employee(cls, user, hourly_cost=0.0):
        """The employee of ``user`` in the company, who logs time (H3)."""
        return cls.env["hr.employee"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "company_id": cls.company.id,
                "hourly_cost": hourly_cost,
            }
        )

    @classmethod
    def _create_contact(cls, client, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": client.id,
                "email": f"{name.split()[0].lower()}@example.com",
                "phone": "+33 4 73 00 00 00",
                **values,
            }
        )

    @classmethod
    def _create_contract(cls, client, activate=True, **values):
        contract = cls.env["intervention.contract"].create(
            {
                "partner_id": client.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
                "resource_calendar_id": cls.calendar_business.id,
                **values,
            }
        )
        if activate:
            contract.action_activate()
        return contract

    @classmethod
    def _create_policy(cls, name, *targets, **values):
        """An SLA policy with one line per target, each ``(target_type,
        duration)`` in business hours or ``(target_type, duration, unit)``."""
        lines = [
            Command.create(
                {
                    "target_type": target_type,
                    "duration": duration,
                    "unit": unit[0] if unit else "hours",
                }
            )
            for target_type, duration, *unit in targets
        ]
        return cls.env["intervention.sla.policy"].create(
            {"name": name, "line_ids": lines, **values}
        )

    @classmethod
    def _create_ladder(cls, name, *levels, **values):
        """An escalation ladder; each level is a dict over a first level at
        the take-in-charge deadline for the support manager."""
        level_values = [
            Command.create(
                {
                    "sequence": sequence,
                    "name": f"Level {sequence}",
                    "offset": 0,
                    "offset_unit": "business_hours",
                    "target_type": "take_in_charge",
                    "recipient_role": "support_manager",
                    **level,
                }
            )
            for sequence, level in enumerate(levels or [{}], start=1)
        ]
        return cls.env["intervention.escalation.ladder"].create(
            {"name": name, "level_ids": level_values, **values}
        )

    def _apply_holiday_changes(self):
        """Run the scheduled action that a public holiday change triggers at
        once, as a cron worker would: the deadlines move in the background."""
        cron = self.env.ref("intervention_request.ir_cron_holiday_resync")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            "a holiday change triggers the recomputation at once",
        )
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    @classmethod
    def _policy_line(cls, target, duration, unit, **values):
        """A ``line_ids`` command of an SLA policy."""
        return Command.create(
            {"target_type": target, "duration": duration, "unit": unit, **values}
        )

    @classmethod
    def _seed_003_lines(cls):
        """The ``line_ids`` commands of seed 003's blocking and major targets:
        take in charge 3 h, workaround 24 h / 72 h, resolution 5 / 8 days."""
        return [
            cls._policy_line("take_in_charge", 3, "hours", severity="blocking"),
            cls._policy_line("workaround", 24, "hours", severity="blocking"),
            cls._policy_line("resolution", 5, "days", severity="blocking"),
            cls._policy_line("take_in_charge", 3, "hours", severity="major"),
            cls._policy_line("workaround", 72, "hours", severity="major"),
            cls._policy_line("resolution", 8, "days", severity="major"),
        ]

    def _send_on_site(self, request, technician, when):
        """Acknowledge and qualify ``request`` and send ``technician`` on
        site, at ``when``."""
        with freeze_time(when):
            request.action_receive()
            request.action_qualify()
            request.action_assign_onsite(technician)
        return request

    def _received_request(self, **values):
        """A request received on Tuesday 10:00 Paris (or at ``date_received``),
        recorded at that instant."""
        with freeze_time(values.get("date_received", TUESDAY_10H)):
            return self._create_request(**{"date_received": TUESDAY_10H, **values})

    def _create_request(self, **values):
        """A complete request of the main client, received on a weekday.
        Pass a field as None to leave it out of the creation values."""
        return self.env["intervention.request"].create(self._request_values(**values))

    def _request_values(self, **values):
        """The creation values of ``_create_request``."""
        vals = {
            "requester_id": self.contact.id,
            "contract_id": self.contract.id,
            "site_id": self.site.id,
            "equipment_id": self.equipment.id,
            "summary": "Server does not boot",
            "description": "<p>The file server stops at the BIOS screen.</p>",
            "date_received": datetime(2026, 3, 10, 10, 0),
            "channel": "portal",
            # Resolving an incident needs its cause and scenario (B6).
            "cause": "Faulty power supply",
            "resolution": "<p>Power supply replaced.</p>",
            **values,
        }
        # None means "not given": let the request compute it (e.g. contract).
        return {key: value for key, value in vals.items() if value is not None}
