from datetime import date, datetime
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .billing_common import InterventionBillingCommon
from .test_report import pdf_text


def paris(month, day, hour, minute=0):
    """A 2026 Paris wall-clock time (April/May: UTC+2) as naive UTC."""
    return datetime(2026, month, day, hour - 2, minute)


# When the statement of April is computed: Mon 4 May 08:00 Paris, before the
# opening (Fri 1 May is a public holiday, so this is the first business day).
STATEMENT_TIME = paris(5, 4, 8)


@tagged("post_install", "-at_install")
class TestComplianceStatement(InterventionBillingCommon):
    """The monthly compliance statement (I3) of April 2026 on the Mon-Fri
    9-18 Paris calendar (9 business hours a day), with Easter Monday 6 April
    and 1 May as public holidays. Policy: take in charge 2 business hours,
    resolution 18 business hours, every severity. One escalation level at
    the take-in-charge deadline.

    Every expected figure below is computed by hand from the scenario (see
    the comments), never read back from the code.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Global public holidays, midnight to midnight Paris (UTC+2): Easter
        # Monday 6 April and Fri 1 May.
        for start, stop in (
            (datetime(2026, 4, 5, 22), datetime(2026, 4, 6, 22)),
            (datetime(2026, 4, 30, 22), datetime(2026, 5, 1, 22)),
        ):
            cls.env["resource.calendar.leaves"].create(
                {
                    "name": "Public holiday",
                    "calendar_id": False,
                    "resource_id": False,
                    "time_type": "leave",
                    "date_from": start,
                    "date_to": stop,
                }
            )
        cls.company.resource_calendar_id = cls.calendar_business
        cls.policy = cls._create_policy(
            "2 h / 18 h", ("take_in_charge", 2), ("resolution", 18)
        )
        cls.ladder = cls._create_ladder(
            "At the take-in-charge deadline", {"name": "Support manager"}
        )
        cls.contract.write(
            {
                "sla_policy_id": cls.policy.id,
                "escalation_ladder_id": cls.ladder.id,
                "support_manager_id": cls.manager.id,
                "contact_ids": [(4, cls.contact.id)],
            }
        )
        cls.other_contract = cls._create_contract(
            cls.other_client, sla_policy_id=cls.policy.id
        )
        cls.escalation_cron = cls.env.ref("intervention_request.ir_cron_escalations")
        cls.statement_cron = cls.env.ref(
            "intervention_request.ir_cron_compliance_statements"
        )
        cls.Statement = cls.env["intervention.compliance.statement"]

    # ------------------------------------------------------------------
    # Scenario
    # ------------------------------------------------------------------
    def _at(self, when, request, method, *args):
        with freeze_time(when):
            getattr(request, method)(*args)

    def _new(self, when, **values):
        with freeze_time(when):
            request = self._create_request(date_received=when, **values)
            request.action_receive()
        return request

    def _fire_escalations(self, when):
        with freeze_time(when), self.enter_registry_test_mode():
            self.escalation_cron.method_direct_trigger()
        self.env.invalidate_all()

    def _build_april(self):
        """Five requests of the contract in April, plus noise that must not
        count (March, another contract, a cancelled request)."""
        # R1 major: Thu 2 Apr 10:00, taken in charge 11:00 (1 h, met),
        # resolved Fri 3 10:00: Thu 10-18 = 8 h + Fri 9-10 = 1 h = 9 h (met).
        r1 = self._new(paris(4, 2, 10), summary="R1")
        self._at(paris(4, 2, 11), r1, "action_qualify")
        self._at(paris(4, 3, 10), r1, "action_resolve")
        # R2 blocking: Fri 3 Apr 16:00; take in charge due Fri 18:00 (2 h to
        # the closing). Easter Monday is off; the level fires Tue 7 09:30;
        # taken in charge Tue 10:00: 2 h + 0 + 1 h = 3 h (breached, 1 h
        # late). Resolved Wed 8 12:00: 2 + 9 + 3 = 14 h (met, due Wed 16:00).
        r2 = self._new(paris(4, 3, 16), severity="blocking", summary="R2")
        self._fire_escalations(paris(4, 7, 9, 30))
        self._at(paris(4, 7, 10), r2, "action_qualify")
        self._at(paris(4, 8, 12), r2, "action_resolve")
        # R3 major: Wed 8 Apr 09:00, taken in charge 09:30 (0.5 h, met);
        # waiting on the client Wed 10:00 -> Thu 9 15:00: frozen Wed 10-18
        # 8 h + Thu 9-15 6 h = 14 h. Resolution due: 1 h (Wed) + 3 h (Thu)
        # + 9 h (Fri) + 5 h -> Mon 13 14:00. Resolved Mon 13 17:00:
        # 1 + 3 + 9 + 8 = 21 h (breached, 3 h late).
        r3 = self._new(paris(4, 8, 9), summary="R3")
        self._at(paris(4, 8, 9, 30), r3, "action_qualify")
        self._at(paris(4, 8, 10), r3, "action_wait", "client_info")
        self._at(paris(4, 9, 15), r3, "action_resume")
        self._at(paris(4, 13, 17), r3, "action_resolve")
        # R4 major: Tue 14 Apr 09:00, taken in charge 10:00 (1 h, met),
        # resolved Tue 17:00, reopened Wed 15 09:00, resolved again Thu 16
        # 11:00: 9 + 9 + 2 = 20 h; due Wed 18:00 (breached, 2 h late).
        r4 = self._new(paris(4, 14, 9), summary="R4")
        self._at(paris(4, 14, 10), r4, "action_qualify")
        self._at(paris(4, 14, 17), r4, "action_resolve")
        self._at(paris(4, 15, 9), r4, "action_reopen")
        self._at(paris(4, 16, 11), r4, "action_resolve")
        # R5 minor: Sat 18 Apr 10:00, out of hours: frozen until Mon 20
        # 09:00 (0 business hours). Take in charge due Mon 11:00; the level
        # fires 11:15; taken in charge 11:30: 2.5 h (breached, 0.5 h late).
        # Never resolved: due Mon 9 h + Tue 9 h -> Tue 21 18:00; late until
        # Mon 4 May 08:00: Apr 22, 23, 24, 27, 28, 29, 30 = 7 x 9 = 63 h
        # (1 May off, 4 May not open yet).
        r5 = self._new(paris(4, 18, 10), severity="minor", summary="R5")
        self._fire_escalations(paris(4, 20, 11, 15))
        self._at(paris(4, 20, 11, 30), r5, "action_qualify")
        # Noise: received in March, on another contract, cancelled.
        self._new(paris(3, 31, 12), summary="March")
        self._new(
            paris(4, 9, 10),
            requester_id=self.other_contact.id,
            contract_id=self.other_contract.id,
            site_id=None,
            equipment_id=None,
        )
        cancelled = self._new(paris(4, 10, 10), summary="Cancelled")
        self._at(paris(4, 10, 11), cancelled, "action_cancel", "duplicate")
        # After-hours calls: two in April, one in May, one of another client.
        Call = self.env["intervention.oncall.call"]
        for when, contract in (
            (paris(4, 18, 22), self.contract),
            (paris(4, 19, 3), self.contract),
            (paris(5, 2, 22), self.contract),
            (paris(4, 18, 23), self.other_contract),
        ):
            Call.create(
                {
                    "date_call": when,
                    "partner_id": contract.partner_id.id,
                    "contract_id": contract.id,
                    "caller_name": "Caller",
                    "description": "Server room alarm",
                }
            )
        return r1, r2, r3, r4, r5

    def _april(self, **penalties):
        if penalties:
            self.contract.write(penalties)
        requests = self._build_april()
        with freeze_time(STATEMENT_TIME):
            statement = self.Statement.with_user(self.manager).create(
                {"contract_id": self.contract.id, "period_start": date(2026, 4, 1)}
            )
        return statement, requests

    def _penalties(self):
        return {
            "compliance_penalty_ids": [
                (0, 0, {"target_type": "take_in_charge", "amount": 50.0}),
                (
                    0,
                    0,
                    {
                        "target_type": "take_in_charge",
                        "severity": "blocking",
                        "amount": 200.0,
                    },
                ),
                (0, 0, {"target_type": "resolution", "amount": 100.0}),
            ],
            "compliance_period_fee": 3000.0,
            "compliance_threshold": 80.0,
            "compliance_credit_percent": 10.0,
            "compliance_penalty_cap": 800.0,
        }

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def test_figures_by_target_and_severity(self):
        statement, _requests = self._april()
        figures = {
            (line.target_type, line.severity): (
                line.target_count,
                line.met_count,
                line.breached_count,
                line.compliance_rate,
                line.median_hours,
                line.worst_hours,
                line.frozen_hours,
                line.frozen_client_hours,
                line.escalation_count,
            )
            for line in statement.line_ids
        }
        self.assertEqual(
            figures,
            {
                # R2: 3 h, breached; its level fired.
                ("take_in_charge", "blocking"): (1, 0, 1, 0.0, 3.0, 3.0, 0, 0, 1),
                # R1 1 h, R3 0.5 h, R4 1 h: median 1 h.
                ("take_in_charge", "major"): (3, 3, 0, 100.0, 1.0, 1.0, 0, 0, 0),
                # R5: 2.5 h; the out-of-hours freeze covers no business time.
                ("take_in_charge", "minor"): (1, 0, 1, 0.0, 2.5, 2.5, 0, 0, 1),
                # R2: 14 h.
                ("resolution", "blocking"): (1, 1, 0, 100.0, 14.0, 14.0, 0, 0, 0),
                # R1 9 h met, R4 20 h and R3 21 h breached: 1/3 = 33.3 %,
                # median 20 h; R3 frozen 14 h waiting on the client.
                ("resolution", "major"): (3, 1, 2, 33.3, 20.0, 21.0, 14, 14, 0),
                # R5 never resolved: breached, no time to meet.
                ("resolution", "minor"): (1, 0, 1, 0.0, 0.0, 0.0, 0, 0, 0),
            },
        )
        # 5 requests, 10 targets: met R1 x2, R3 and R4 take in charge, R2
        # resolution = 5; breached 5: 50 %.
        self.assertEqual(
            (
                statement.request_count,
                statement.target_count,
                statement.met_count,
                statement.breached_count,
                statement.pending_count,
                statement.compliance_rate,
                statement.escalation_count,
                statement.after_hours_call_count,
            ),
            (5, 10, 5, 5, 0, 50.0, 2, 2),
        )
        freezes = {
            f.reason: (f.is_client, f.freeze_count, f.business_hours)
            for f in statement.freeze_ids
        }
        self.assertEqual(
            freezes,
            {"client_info": (True, 1, 14.0), "out_of_hours": (False, 1, 0.0)},
        )
        self.assertEqual(
            (statement.frozen_hours, statement.frozen_client_hours), (14, 14)
        )

    def test_breaches_listed_with_why_late(self):
        statement, (_r1, r2, r3, r4, r5) = self._april()
        breaches = [
            (
                b.request_id,
                b.target_type,
                b.deadline,
                b.date_reached,
                b.late_hours,
                b.frozen_client_hours,
                b.reopen_count,
            )
            for b in statement.breach_ids
        ]
        self.assertEqual(
            breaches,
            [
                (r2, "take_in_charge", paris(4, 3, 18), paris(4, 7, 10), 1.0, 0, 0),
                (r3, "resolution", paris(4, 13, 14), paris(4, 13, 17), 3.0, 14, 0),
                (r4, "resolution", paris(4, 15, 18), paris(4, 16, 11), 2.0, 0, 1),
                (
                    r5,
                    "take_in_charge",
                    paris(4, 20, 11),
                    paris(4, 20, 11, 30),
                    0.5,
                    0,
                    0,
                ),
                (r5, "resolution", paris(4, 21, 18), False, 63.0, 0, 0),
            ],
        )
        why = statement.breach_ids.mapped("explanation")
        self.assertIn("14.00", why[1])
        self.assertIn("Waiting for information from the client", why[1])
        self.assertIn("reopened 1", why[2].lower())
        self.assertIn("no freeze", why[0])

    def test_figures_agree_with_the_sla_analysis(self):
        statement, _requests = self._april()
        self.env.flush_all()
        # April in Paris (UTC+2): 31 Mar 22:00 UTC to 30 Apr 22:00 UTC.
        start, end = datetime(2026, 3, 31, 22), datetime(2026, 4, 30, 22)
        groups = (
            self.env["intervention.sla.report"]
            .with_user(self.manager)
            .formatted_read_group(
                [
                    ("contract_id", "=", self.contract.id),
                    ("date_received", ">=", start),
                    ("date_received", "<", end),
                ],
                ["target_type", "severity"],
                ["target_count:sum", "met_count:sum", "breached_count:sum"],
            )
        )
        analysis = {
            (g["target_type"], g["severity"]): (
                g["target_count:sum"],
                g["met_count:sum"],
                g["breached_count:sum"],
            )
            for g in groups
        }
        ours = {
            (line.target_type, line.severity): (
                line.target_count,
                line.met_count,
                line.breached_count,
            )
            for line in statement.line_ids
        }
        self.assertEqual(ours, analysis)

    def test_recompute_while_draft_only(self):
        statement, _requests = self._april()
        # A request of Thu 30 Apr 17:00 reaches the statement on recompute:
        # take in charge due Thu 18:00 + 1 h after the 1 May holiday = Mon
        # 4 May 10:00, so both its targets are still pending at 08:00.
        self._new(paris(4, 30, 17), severity="blocking", summary="Late")
        with freeze_time(STATEMENT_TIME):
            statement.with_user(self.manager).action_recompute()
        self.assertEqual(
            (statement.request_count, statement.target_count, statement.pending_count),
            (6, 12, 2),
        )
        with freeze_time(STATEMENT_TIME):
            statement.with_user(self.manager).action_send()
        self.assertEqual(statement.state, "sent")
        with self.assertRaises(UserError):
            statement.with_user(self.manager).action_recompute()
        with self.assertRaises(UserError):
            statement.with_user(self.manager).unlink()

    def test_one_statement_per_contract_and_month(self):
        self.Statement.create(
            {"contract_id": self.contract.id, "period_start": date(2026, 4, 1)}
        )
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.Statement.create(
                {"contract_id": self.contract.id, "period_start": date(2026, 4, 15)}
            )

    def test_created_from_the_form(self):
        self.contract.compliance_penalty_ids = [
            (0, 0, {"target_type": "take_in_charge", "amount": 50.0})
        ]
        with freeze_time(STATEMENT_TIME):
            form = Form(self.Statement.with_user(self.manager))
            form.contract_id = self.contract
            # The default is last month.
            self.assertEqual(form.period_start, date(2026, 4, 1))
            statement = form.save()
        self.assertEqual(statement.name, f"{self.contract.name} 2026-04")
        self.assertEqual(statement.period_end, date(2026, 4, 30))
        self.assertEqual(statement.state, "draft")

    # ------------------------------------------------------------------
    # Penalties and credit note
    # ------------------------------------------------------------------
    def test_no_penalty_by_default(self):
        statement, _requests = self._april()
        self.assertEqual(statement.penalty_amount, 0)
        self.assertFalse(statement.line_ids.filtered("penalty_amount"))
        with self.assertRaises(UserError):
            statement.with_user(self.finance).action_create_credit_note()

    def test_penalties_threshold_and_cap(self):
        statement, _requests = self._april(**self._penalties())
        amounts = {
            (line.target_type, line.severity): line.penalty_amount
            for line in statement.line_ids
        }
        # Rates: take in charge 50 (200 when blocking), resolution 100.
        self.assertEqual(
            amounts,
            {
                ("take_in_charge", "blocking"): 200.0,  # 1 x 200
                ("take_in_charge", "major"): 0.0,
                ("take_in_charge", "minor"): 50.0,  # 1 x 50
                ("resolution", "blocking"): 0.0,
                ("resolution", "major"): 200.0,  # 2 x 100
                ("resolution", "minor"): 100.0,  # 1 x 100
            },
        )
        # 550 per breach; 50 % < 80 %: 10 % of 3000 = 300; 850 capped to 800.
        self.assertEqual(statement.penalty_breach_amount, 550.0)
        self.assertEqual(statement.penalty_threshold_amount, 300.0)
        self.assertEqual(statement.penalty_amount, 800.0)

    def test_credit_note_once(self):
        statement, _requests = self._april(**self._penalties())
        with self.assertRaises(AccessError):
            statement.with_user(self.manager).action_create_credit_note()
        action = statement.with_user(self.finance).action_create_credit_note()
        move = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.partner_id, self.client)
        self.assertEqual(move.compliance_statement_id, statement)
        self.assertEqual(statement.credit_note_id, move)
        # 200 + 50 + 200 + 100 + 300 - 50 (cap) = 800.
        self.assertEqual(
            sorted(move.invoice_line_ids.mapped("price_subtotal")),
            [-50.0, 50.0, 100.0, 200.0, 200.0, 300.0],
        )
        self.assertEqual(move.amount_untaxed, 800.0)
        with self.assertRaises(UserError):
            statement.with_user(self.finance).action_create_credit_note()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("compliance_statement_id", "=", statement.id)]
            ),
            1,
        )
        with self.assertRaises(UserError):
            statement.with_user(self.manager).action_recompute()

    def test_contract_penalty_settings_validated(self):
        with self.assertRaises(ValidationError):
            self.contract.compliance_threshold = 120

    # ------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------
    def test_pdf(self):
        statement, _requests = self._april(**self._penalties())
        report = self.env.ref("intervention_request.action_report_compliance_statement")
        with self.allow_pdf_render():
            pdf, kind = report.with_context(
                force_report_rendering=True
            )._render_qweb_pdf(report.report_name, statement.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        self.assertIn("Compliance Statement 04/2026", text)
        self.assertIn(self.contract.name, text)
        self.assertIn("50.0 %", text)
        # R3's breach: deadline Mon 13 Apr 14:00 Paris, met at 17:00.
        self.assertIn("04/13/2026", text)
        self.assertIn("02:00:00 PM", text)
        self.assertIn("Waiting for information from the client", text)
        self.assertIn("800.00", text)

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    def _run_statement_cron(self, when):
        with freeze_time(when), self.enter_registry_test_mode():
            self.statement_cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_sent_on_the_first_business_day_once(self):
        self._build_april()
        # Fri 1 May is a public holiday: nothing is sent.
        self._run_statement_cron(paris(5, 1, 10))
        self.assertFalse(self.Statement.search([]))
        # Mon 4 May, first business day: every contract in force in April.
        broken = self.other_contract

        original = type(self.Statement)._compute_figures

        def compute(statements):
            if broken in statements.contract_id:
                raise ValueError("broken contract")
            return original(statements)

        with (
            patch.object(type(self.Statement), "_compute_figures", compute),
            mute_logger(
                "odoo.addons.intervention_request.models.intervention_cron_failure"
            ),
        ):
            self._run_statement_cron(STATEMENT_TIME)
            statement = self.Statement.search([("contract_id", "=", self.contract.id)])
            self.assertEqual(statement.state, "sent")
            self.assertEqual(statement.period_start, date(2026, 4, 1))
            self.assertEqual(statement.breached_count, 5)
            self.assertFalse(
                self.Statement.search([("contract_id", "=", broken.id)]),
                "the broken contract's savepoint was rolled back",
            )
            mails = statement.message_ids.filtered(
                lambda m: m.message_type == "comment"
            )
            self.assertEqual(len(mails), 1)
            self.assertEqual(mails.partner_ids, self.contact)
            self.assertTrue(mails.attachment_ids)
            # Run again (later that day): nothing sent twice.
            self._run_statement_cron(paris(5, 4, 15))
            statement.invalidate_recordset()
            self.assertEqual(
                len(
                    statement.message_ids.filtered(
                        lambda m: m.message_type == "comment"
                    )
                ),
                1,
            )
            self.assertEqual(
                self.Statement.search_count([("contract_id", "=", self.contract.id)]),
                1,
            )
        # The broken contract is caught up on the next run.
        self._run_statement_cron(paris(5, 5, 8))
        self.assertEqual(
            self.Statement.search([("contract_id", "=", broken.id)]).state, "sent"
        )

    def test_sent_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["intervention_request"], ["fr_FR"], overwrite=True
        )
        self.client.lang = "fr_FR"
        statement, _requests = self._april()
        with freeze_time(STATEMENT_TIME):
            statement.with_user(self.manager).action_send()
        mail = statement.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("relevé de conformité", mail.body)
        # The reasons of the breaches are written in the client's language.
        self.assertIn(
            "Retard de notre fait : ni gel, ni réouverture.",
            statement.breach_ids.mapped("explanation"),
        )

    def test_users_read_only(self):
        statement, _requests = self._april()
        user = new_test_user(
            self.env,
            login="ir_stmt_user",
            groups="intervention_request.group_intervention_user",
        )
        self.assertEqual(statement.with_user(user).met_count, 5)
        with self.assertRaises(AccessError):
            statement.with_user(user).action_recompute()
