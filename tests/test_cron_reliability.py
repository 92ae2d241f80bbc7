import re
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import models
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import html2plaintext, mute_logger

from ..models.intervention_cron_failure import CRON_JOBS, MAX_ATTEMPTS
from .common import TUESDAY_10H
from .oncall_common import OncallCommon

ADDON_MODULE = "odoo.addons.intervention_request."
CRON_LOGGER = "odoo.addons.intervention_request.models.intervention_cron_failure"
# Tuesday 10 March 2026, 10:00 Paris; take in charge within 3 business hours.
RECEIVED = TUESDAY_10H
TUESDAY_19H = datetime(2026, 3, 10, 18, 0)
DUE = datetime(2026, 3, 10, 12, 0)  # 13:00 Paris


@tagged("post_install", "-at_install")
class TestCronReliability(OncallCommon):
    """Every scheduled action of the addon, run as a worker runs it: one bad
    record among good ones, twice in a row, twice at once (a second worker
    doing the work between this one's search and its lock), and a record
    failing again and again.

    ``SCENARIOS`` maps each job to the method that sets up three due records,
    the instant to run at, the method the test breaks on one record, and the
    effect a person would notice on each record (a mail, a message, a state,
    gap rows), so that the tests below are the same for every action."""

    SCENARIOS = {
        "contract_expiry": "_scenario_contract_expiry",
        "sla_status": "_scenario_sla_status",
        "holiday_resync": "_scenario_holiday_resync",
        "escalation": "_scenario_escalation",
        "followup_reminder": "_scenario_followup_reminder",
        "followup_auto_close": "_scenario_followup_auto_close",
        "followup_close_resolved": "_scenario_followup_close_resolved",
        "followup_digest": "_scenario_followup_digest",
        "oncall_escalation": "_scenario_oncall_escalation",
        "oncall_gaps": "_scenario_oncall_gaps",
        "oncall_export": "_scenario_oncall_export",
        "compliance_statements": "_scenario_compliance_statements",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._create_policy(
            "3 h",
            ("take_in_charge", 3),
            reminder_line_ids=[
                (
                    0,
                    0,
                    {
                        "severity": "blocking",
                        "reminder_1_days": 1,
                        "reminder_2_days": 2,
                        "reminder_3_days": 3,
                        "close_after_days": 1,
                    },
                )
            ],
        )
        cls.ladder = cls._create_ladder("At the deadline")
        cls.contract.write(
            {
                "sla_policy_id": cls.policy.id,
                "escalation_ladder_id": cls.ladder.id,
                "support_manager_id": cls.manager.id,
            }
        )
        cls.company.intervention_reopen_days = 5
        cls.company.intervention_duty_desk_email = "desk@example.com"

    # ------------------------------------------------------------------
    # Scenarios: (records, when, class, method, effect)
    # ------------------------------------------------------------------
    def _requests(self, count=3, **values):
        with freeze_time(RECEIVED):
            return self.env["intervention.request"].concat(
                *(
                    self._create_request(
                        summary=f"Request {index}",
                        severity="blocking",
                        date_received=RECEIVED,
                        **values,
                    )
                    for index in range(count)
                )
            )

    def _scenario_contract_expiry(self):
        contracts = self.env["intervention.contract"].concat(
            *(
                self._create_contract(self.client, date_end=date(2026, 2, 28))
                for _index in range(3)
            )
        )
        return (
            contracts,
            datetime(2026, 3, 1, 8, 0),
            type(contracts),
            "_expire",
            lambda contract: contract.state == "expired",
        )

    def _scenario_sla_status(self):
        requests = self._requests()
        return (
            requests,
            datetime(2026, 3, 10, 12, 30),
            type(requests),
            "_sla_sync",
            lambda request: request.sla_ids.status == "breached",
        )

    def _scenario_holiday_resync(self):
        """Three requests due Tuesday 13:00 Paris; the site closes 11:00-12:00
        that day: the background recomputation moves them to 14:00."""
        requests = self._requests()
        self.assertEqual(set(requests.sla_ids.mapped("deadline")), {DUE})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Site closed for an hour",
                "calendar_id": self.contract.resource_calendar_id.id,
                "date_from": datetime(2026, 3, 10, 10, 0),
                "date_to": datetime(2026, 3, 10, 11, 0),
                "time_type": "leave",
            }
        )
        return (
            requests,
            datetime(2026, 3, 10, 9, 30),
            type(requests),
            "_sla_sync",
            lambda request: request.sla_ids.deadline == DUE + timedelta(hours=1),
        )

    def _scenario_escalation(self):
        requests = self._requests()
        rows = requests.escalation_ids
        self.assertEqual(len(rows), 3)
        return (
            rows,
            datetime(2026, 3, 10, 12, 1),
            type(rows),
            "_process",
            lambda row: len(
                row.request_id.message_ids.filtered(
                    lambda m: "Escalation Level 1" in (m.body or "")
                )
            ),
        )

    def _waiting_requests(self):
        requests = self._requests()
        with freeze_time(RECEIVED):
            requests.action_receive()
            requests.action_qualify()
            for request in requests:
                request.action_wait("client_tests", "Run the backup job again")
        return requests

    def _messages_about(self, subject):
        """The effect counter of the follow-up jobs: how many messages of a
        request have ``subject`` in their subject."""
        return lambda request: self.env["mail.message"].search_count(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("subject", "ilike", subject),
            ]
        )

    def _scenario_followup_reminder(self):
        requests = self._waiting_requests()
        return (
            requests,
            datetime(2026, 3, 11, 9, 5),  # one business day later
            type(requests),
            "_send_followup_reminder",
            self._messages_about("Reminder"),
        )

    def _scenario_followup_auto_close(self):
        requests = self._waiting_requests()
        requests.write(
            {"reminder_count": 3, "date_last_reminder": datetime(2026, 3, 13, 9, 0)}
        )
        return (
            requests,
            datetime(2026, 3, 16, 9, 5),  # one business day after the third
            type(requests),
            "_auto_close_unanswered",
            self._messages_about("closed without an answer"),
        )

    def _scenario_followup_close_resolved(self):
        requests = self._requests()
        with freeze_time(RECEIVED):
            requests.action_receive()
            requests.action_qualify()
            requests.action_resolve()
        return (
            requests,
            datetime(2026, 3, 20, 9, 0),  # the 5-day reopen window has passed
            type(requests),
            "_close_for_good",
            lambda request: len(
                request.message_ids.filtered(
                    lambda m: "The reopen window closed on" in (m.body or "")
                )
            ),
        )

    def _other_companies(self):
        return self.env["res.company"].create(
            [{"name": "Agence Lyon SAS"}, {"name": "Agence Nice SAS"}]
        )

    def _scenario_followup_digest(self):
        companies = self.company | self._other_companies()
        self._requests(count=1)
        for company in companies[1:]:
            client = self.env["res.partner"].create(
                {"name": f"Client of {company.name}", "is_company": True}
            )
            with freeze_time(RECEIVED):
                self._create_request(
                    company_id=company.id,
                    requester_id=self._create_contact(client, "Paul Client").id,
                    contract_id=None,
                    site_id=None,
                    equipment_id=None,
                    date_received=RECEIVED,
                )
        for index, company in enumerate(companies):
            company.intervention_duty_desk_email = f"desk{index}@example.com"
        return (
            companies,
            datetime(2026, 3, 11, 5, 0),
            type(self.env["intervention.request"]),
            "_send_followup_digest",
            lambda company: self.env["mail.mail"].search_count(
                [("email_to", "=", company.intervention_duty_desk_email)]
            ),
        )

    def _scenario_oncall_escalation(self):
        calls = self.env["intervention.oncall.call"].concat(
            *(self._take_call(TUESDAY_19H) for _index in range(3))
        )
        return (
            calls,
            datetime(2026, 3, 10, 18, 31),
            type(calls),
            "_escalate_unanswered",
            lambda call: len(
                call.activity_ids.filtered(lambda a: a.user_id == self.regional)
            ),
        )

    def _scenario_oncall_gaps(self):
        agencies = self.agency | self.env["intervention.agency"].create(
            [
                {
                    "name": name,
                    "resource_calendar_id": self.calendar_business.id,
                    "manager_id": self.manager.id,
                    "window_ids": [
                        (
                            0,
                            0,
                            {"oncall_type": "evening", "hour_from": 18, "hour_to": 21},
                        )
                    ],
                }
                for name in ("Agence Chambéry", "Agence Grenoble")
            ]
        )
        return (
            agencies,
            datetime(2026, 3, 20, 10, 0),
            type(self.env["intervention.oncall.gap"]),
            "_refresh_agency_gaps",
            lambda agency: (
                (
                    self.env["intervention.oncall.gap"].search_count(
                        [("agency_id", "=", agency.id)]
                    ),
                    len(agency.activity_ids),
                )
                if agency.activity_ids
                else 0
            ),
        )

    def _scenario_oncall_export(self):
        companies = self.company | self._other_companies()
        for index, company in enumerate(companies):
            company.intervention_oncall_export_email = f"file{index}@example.com"
        return (
            companies,
            datetime(2026, 3, 9, 6, 0),
            type(self.env["intervention.oncall.export"]),
            "_send_weekly",
            lambda company: self.env["mail.mail"].search_count(
                [("email_to", "=", company.intervention_oncall_export_email)]
            ),
        )

    def _scenario_compliance_statements(self):
        """Three contracts in force in February 2026; Monday 2 March, the
        first business day, each gets its February statement sent."""
        contracts = self.env["intervention.contract"].concat(
            *(self._create_contract(self.client) for _index in range(3))
        )
        Statement = self.env["intervention.compliance.statement"]
        return (
            contracts,
            datetime(2026, 3, 2, 8, 0),
            type(Statement),
            "_send_monthly_one",
            lambda contract: Statement.search_count(
                [
                    ("contract_id", "=", contract.id),
                    ("period_start", "=", date(2026, 2, 1)),
                    ("state", "=", "sent"),
                ]
            ),
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _scenario(self, job):
        return getattr(self, self.SCENARIOS[job])()

    def _run(self, job, when):
        cron = self.env.ref(CRON_JOBS[job])
        with freeze_time(when), self.enter_registry_test_mode():
            result = cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertIs(result, True)

    def _effects(self, records, effect):
        self.env.invalidate_all()
        return [effect(record) for record in records]

    @staticmethod
    def _subject(record_self, args):
        """The record a patched method works on: its first record argument
        (an agency, a company) or the record itself."""
        if args and isinstance(args[0], models.BaseModel):
            return args[0]
        return record_self

    def _breaking(self, cls, method, bad):
        """Patch ``cls.method`` to raise on ``bad`` (alone or in a batch)."""
        original = getattr(cls, method)
        subject = self._subject

        def broken(record_self, *args, **kwargs):
            records = subject(record_self, args)
            if records._name == bad._name and bad in records:
                raise RuntimeError(f"broken record {bad.display_name}")
            return original(record_self, *args, **kwargs)

        return patch.object(cls, method, broken)

    @staticmethod
    def _lock_after_other_worker(cron, original):
        """A ``try_lock_for_update`` that first lets another worker run the
        whole action (once), then locks what this run found."""
        other_worker = []

        def lock(found, *args, **kwargs):
            if not other_worker:
                other_worker.append(True)
                cron.method_direct_trigger()
            return original(found, *args, **kwargs)

        return lock, other_worker

    def _failure(self, job, record):
        return self.env["intervention.cron.failure"].search(
            [
                ("job", "=", job),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
            ]
        )

    # ------------------------------------------------------------------
    # Tests, the same for every scheduled action
    # ------------------------------------------------------------------
    def test_every_scheduled_action_has_a_scenario(self):
        """The figures of the README: every cron of the addon is covered.
        Counted two ways, so that a new scheduled action cannot be left out:
        the addon's ir.cron records, and every ir.cron of the database whose
        code calls a method of the addon."""
        crons = self.env["ir.model.data"].search(
            [("module", "=", "intervention_request"), ("model", "=", "ir.cron")]
        )
        self.assertEqual(
            {f"intervention_request.{data.name}" for data in crons},
            set(CRON_JOBS.values()),
        )
        calling_the_addon = set()
        every_cron = self.env["ir.cron"].with_context(active_test=False).search([])
        for cron in every_cron:
            method = re.match(r"\s*model\.(\w+)\(", cron.code or "")
            if not method or cron.model_id.model not in self.env:
                continue
            function = getattr(type(self.env[cron.model_id.model]), method[1], None)
            if getattr(function, "__module__", "").startswith(ADDON_MODULE):
                calling_the_addon.add(cron.get_external_id()[cron.id])
        self.assertEqual(calling_the_addon, set(CRON_JOBS.values()))
        self.assertEqual(set(self.SCENARIOS), set(CRON_JOBS))
        # The figure quoted in the README (section 8): 12 scheduled actions,
        # each run by the tests below.
        self.assertEqual(len(self.SCENARIOS), 12)

    @mute_logger(CRON_LOGGER)
    def test_one_bad_record_never_stops_a_batch(self):
        for job in self.SCENARIOS:
            with self.subTest(job=job), self.env.cr.savepoint() as savepoint:
                records, when, cls, method, effect = self._scenario(job)
                bad = records[1]
                with self._breaking(cls, method, bad):
                    self._run(job, when)
                effects = self._effects(records, effect)
                self.assertTrue(effects[0] and effects[2], f"{job}: others done")
                self.assertFalse(effects[1], f"{job}: the bad one rolled back")
                failure = self._failure(job, bad)
                self.assertEqual(failure.attempts, 1, job)
                self.assertEqual(failure.state, "retrying", job)
                self.assertIn("broken record", failure.last_error, job)
                # The next try, once the cause is gone, does it.
                self._run(job, failure.date_retry + timedelta(minutes=1))
                self.assertTrue(self._effects(bad, effect)[0], job)
                self.assertFalse(failure.exists(), job)
                savepoint.rollback()

    def test_twice_in_a_row_acts_once(self):
        for job in self.SCENARIOS:
            with self.subTest(job=job), self.env.cr.savepoint() as savepoint:
                records, when, _cls, _method, effect = self._scenario(job)
                self._run(job, when)
                first = self._effects(records, effect)
                self.assertTrue(all(first), f"{job}: done on the first run")
                self._run(job, when + timedelta(minutes=1))
                self.assertEqual(self._effects(records, effect), first, job)
                savepoint.rollback()

    def test_twice_at_once_acts_once(self):
        """A second worker does the whole job between this run's search and
        its row locks: this run re-checks what it locked and adds nothing."""
        original = models.BaseModel.try_lock_for_update
        for job in self.SCENARIOS:
            with self.subTest(job=job), self.env.cr.savepoint() as savepoint:
                records, when, _cls, _method, effect = self._scenario(job)
                lock, other_worker = self._lock_after_other_worker(
                    self.env.ref(CRON_JOBS[job]), original
                )
                with patch.object(models.BaseModel, "try_lock_for_update", lock):
                    self._run(job, when)
                self.assertTrue(other_worker, f"{job} locks its rows")
                once = self._effects(records, effect)
                self.assertTrue(all(once), job)
                self._run(job, when + timedelta(minutes=1))
                self.assertEqual(self._effects(records, effect), once, job)
                savepoint.rollback()

    def test_rows_held_by_another_worker_are_left_to_it(self):
        """Rows another worker holds are skipped, and the action is triggered
        again a few minutes later to pick up what that worker left."""
        original = models.BaseModel.try_lock_for_update
        IrCron = type(self.env["ir.cron"])
        original_trigger = IrCron._trigger_list
        # The triggers asked for during a run (the trigger rows themselves are
        # cleared by the cron runner against the database's clock, which the
        # frozen time does not move).
        asked = []

        def trigger(cron_self, at_list):
            asked.extend((cron_self.id, at) for at in at_list)
            return original_trigger(cron_self, at_list)

        for job in self.SCENARIOS:
            with self.subTest(job=job), self.env.cr.savepoint() as savepoint:
                records, when, _cls, _method, effect = self._scenario(job)
                cron = self.env.ref(CRON_JOBS[job])
                asked.clear()

                def lock(found, *args, held=records[1], **kw):
                    if found._name == held._name:
                        found -= held
                    return original(found, *args, **kw)

                with (
                    patch.object(models.BaseModel, "try_lock_for_update", lock),
                    patch.object(IrCron, "_trigger_list", trigger),
                ):
                    self._run(job, when)
                effects = self._effects(records, effect)
                self.assertTrue(effects[0] and effects[2], job)
                self.assertFalse(effects[1], job)
                self.assertTrue(
                    any(cron_id == cron.id and at > when for cron_id, at in asked),
                    f"{job} runs again a few minutes later for the held row",
                )
                savepoint.rollback()

    @mute_logger(CRON_LOGGER)
    def test_repeated_failures_are_set_aside_and_a_manager_is_told(self):
        job = "escalation"
        records, when, cls, method, effect = self._scenario(job)
        bad = records[1]
        with self._breaking(cls, method, bad):
            for attempt in range(MAX_ATTEMPTS):
                self._run(job, when + attempt * timedelta(minutes=16))
            failure = self._failure(job, bad)
            self.assertEqual(failure.attempts, MAX_ATTEMPTS)
            self.assertEqual(failure.state, "set_aside")
            self.assertFalse(failure.date_retry)
            activity = failure.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertTrue(
                activity.user_id.has_group(
                    "intervention_request.group_intervention_manager"
                )
            )
            self.assertIn("keeps failing", activity.summary)
            # Set aside: later runs leave it alone (no sixth attempt).
            self._run(job, when + timedelta(hours=3))
            self.assertEqual(failure.attempts, MAX_ATTEMPTS)
        self.assertFalse(self._effects(bad, effect)[0])
        # The cause fixed, the manager asks for another try.
        with freeze_time(when + timedelta(hours=3)):
            failure.with_user(self.manager).action_retry()
        self.assertFalse(failure.activity_ids)
        self._run(job, when + timedelta(hours=3, minutes=1))
        self.assertTrue(self._effects(bad, effect)[0])
        self.assertFalse(failure.exists())

    @mute_logger("odoo.sql_db")
    def test_a_gap_is_stored_once(self):
        """Two runs at once that both got past the agency lock still cannot
        store a gap twice: the database refuses the second row."""
        values = {
            "agency_id": self.agency.id,
            "level": "1",
            "date_start": datetime(2026, 3, 23, 17, 0),
            "date_end": datetime(2026, 3, 23, 20, 0),
        }
        Gap = self.env["intervention.oncall.gap"]
        Gap.create(values)
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Gap.create(values)

    def test_failures_are_for_managers_only(self):
        records, when, cls, method, _effect = self._scenario("oncall_export")
        with self._breaking(cls, method, records[0]), mute_logger(CRON_LOGGER):
            self._run("oncall_export", when)
        Failure = self.env["intervention.cron.failure"]
        self.assertEqual(Failure.with_user(self.manager).search_count([]), 1)
        with self.assertRaises(AccessError):
            Failure.with_user(self.user).search([])

    def test_notes_are_written_in_the_company_language(self):
        """Odoo runs a scheduled action with no language in its context: the
        notes it writes follow the company's language, as the desk's other
        notes do (a French company reads French notes)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company.partner_id.lang = "fr_FR"
        records, when, _cls, _method, _effect = self._scenario(
            "followup_close_resolved"
        )
        self._run("followup_close_resolved", when)
        for request in records:
            notes = [
                html2plaintext(body) for body in request.message_ids.mapped("body")
            ]
            self.assertTrue(
                any("Le délai de réouverture a expiré le" in note for note in notes),
                notes,
            )
            self.assertFalse(
                any("The reopen window closed" in note for note in notes), notes
            )
