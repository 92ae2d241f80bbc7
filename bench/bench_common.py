"""Set-up shared by the benchmarks (imported from scripts run by run.sh)."""

import os
import random
import time
from collections import defaultdict
from contextlib import nullcontext
from datetime import date, datetime, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields, sql_db

QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
FRENCH_HOLIDAYS = [
    date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8),
    date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15),
    date(2026, 11, 1), date(2026, 11, 11), date(2026, 12, 25), date(2027, 1, 1),
    date(2027, 3, 29), date(2027, 5, 1), date(2027, 5, 6), date(2027, 5, 8),
    date(2027, 5, 17), date(2027, 7, 14), date(2027, 8, 15), date(2027, 11, 1),
    date(2027, 11, 11), date(2027, 12, 25),
]  # fmt: skip


def quiet_env(env):
    return env(context=dict(env.context, **QUIET))


def make_bench_manager(env):
    """An active internal user, intervention manager with an e-mail address:
    the contracts' support manager, whom the escalation levels notify (the
    shell's user is the archived OdooBot, whom a level leaves out)."""
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench support manager",
                "login": "bench.manager",
                "email": "manager@bench.example",
                "group_ids": [
                    (4, env.ref("intervention_request.group_intervention_manager").id)
                ],
            }
        )
    )


def make_bench_ladder(env):
    """Three escalation levels at 0, 2 and 4 business hours that notify the
    contract's support manager (crons_bench.py, crons_profile.py), a real
    active user (``make_bench_manager``, set by ``setup_contracts``)."""

    def level(sequence, offset):
        values = {
            "sequence": sequence,
            "name": f"Level {sequence}",
            "offset": offset,
            "offset_unit": "business_hours",
            "target_type": "take_in_charge",
            "recipient_role": "support_manager",
            "activity_type_id": False,
        }
        return (0, 0, values)

    return env["intervention.escalation.ladder"].create(
        {
            "name": "Bench ladder",
            "business_hours_only": False,
            "level_ids": [level(1, 0), level(2, 2), level(3, 4)],
        }
    )


def make_followup_rows_due(cr, past, reminders, closures, resolved):
    """Make the request ids ``reminders`` due for their first reminder,
    ``closures`` for their automatic closure (three reminders sent) and
    ``resolved`` for their closure after the reopen window, at ``past``."""
    cr.execute(
        "UPDATE intervention_request SET state = 'waiting', reminder_count = 0,"
        " state_before_waiting = 'qualified', followup_cycle_start = %s,"
        " date_next_reminder = %s WHERE id = ANY(%s)",
        [past - timedelta(hours=1), past, reminders],
    )
    cr.execute(
        "UPDATE intervention_request SET state = 'waiting', reminder_count = 3,"
        " state_before_waiting = 'qualified', date_auto_close = %s"
        " WHERE id = ANY(%s)",
        [past, closures],
    )
    cr.execute(
        "UPDATE intervention_request SET state = 'resolved', date_resolved = %s,"
        " date_reopen_deadline = %s WHERE id = ANY(%s)",
        [past - timedelta(days=6), past, resolved],
    )


def make_calendar(env, name, days, hours):
    attendances = [
        (0, 0, {"name": f"{d} {a}-{b}", "dayofweek": d, "hour_from": a, "hour_to": b,
                "day_period": "morning" if a < 12 else "afternoon"})
        for d in days for a, b in hours
    ]  # fmt: skip
    return env["resource.calendar"].create(
        {"name": name, "tz": "Europe/Paris", "attendance_ids": attendances}
    )


def make_open_calls(env, agencies, client, count, due):
    """``count`` open after-hours calls of ``client``, routed in turn to the
    technician on duty of each of ``agencies``: ``due`` ones unanswered
    past their escalation delay, the others not yet. Created 1,000 at a
    time."""
    now = fields.Datetime.now()
    values = []
    for n in range(count):
        agency = agencies[n % len(agencies)]
        shift = agency._shift_at("1", now)
        values.append(
            {
                "date_call": now - timedelta(minutes=45),
                "partner_id": client.id,
                "agency_id": agency.id,
                "caller_name": f"Caller {n}",
                "description": "No heating",
                "state": "open",
                "outcome": "call_technician",
                "callee_id": shift.user_id.id,
                "callee_shift_id": shift.id,
                "date_due": now - timedelta(minutes=45),
                "date_next_escalation": now
                + (timedelta(minutes=-15) if due else timedelta(hours=2)),
            }
        )
    calls = env["intervention.oncall.call"]
    for offset in range(0, count, 1000):
        calls |= calls.create(values[offset : offset + 1000])
        env.flush_all()
    return calls


def make_oncall_agencies(env, count, windows=False):
    """The on-call benchmarks' people and agencies: a Mon-Fri 9-18
    calendar, five users per agency (three technicians, then a regional
    manager, then the agency's manager), a general manager named as the
    company's direction, and ``count`` agencies on that calendar; with
    ``windows``, each agency's evening (18-22) and day-duty (8-20) windows.
    Returns (users, agencies)."""
    business = make_calendar(env, "Mon-Fri 9-18", "01234", [(9, 18)])
    users = env["res.users"].create(
        [
            {
                "name": f"Tech {i:03d}",
                "login": f"bench_tech_{i}",
                "email": f"t{i}@b.example",
            }
            for i in range(count * 5)
        ]
    )
    director = env["res.users"].create(
        {"name": "General Manager", "login": "bench_direction", "email": "gm@b.example"}
    )
    env.company.intervention_oncall_direction_id = director
    window_ids = [
        (0, 0, {"oncall_type": "evening", "hour_from": 18, "hour_to": 22}),
        (0, 0, {"oncall_type": "day_duty", "hour_from": 8, "hour_to": 20}),
    ]
    agencies = env["intervention.agency"].create(
        [
            {
                "name": f"Agency {i:03d}",
                "email": f"agency{i}@bench.example",
                "resource_calendar_id": business.id,
                "manager_id": users[i * 5 + 4].id,
                **({"window_ids": window_ids} if windows else {}),
            }
            for i in range(count)
        ]
    )
    return users, agencies


def add_french_holidays(env):
    env["resource.calendar.leaves"].create(
        [
            {
                "name": f"Holiday {day}",
                "calendar_id": False,
                "date_from": datetime.combine(day, datetime.min.time())
                - timedelta(hours=2),
                "date_to": datetime.combine(day, datetime.min.time())
                + timedelta(hours=22),
            }
            for day in FRENCH_HOLIDAYS
        ]
    )


def setup_contracts(env, ladder=None):
    """Three calendars, one policy (seed 003 table), one contract each."""
    add_french_holidays(env)
    env.company.intervention_duty_desk_email = "desk@bench.example"
    calendars = [
        make_calendar(env, "Bench Mon-Fri 9-18", "01234", [(9, 18)]),
        make_calendar(env, "Bench split 9-12/14-17:30", "01234", [(9, 12), (14, 17.5)]),
        make_calendar(env, "Bench 7/7 8-22", "0123456", [(8, 22)]),
    ]

    def line(target, duration, unit, severity):
        return (0, 0, {"target_type": target, "duration": duration, "unit": unit,
                       "severity": severity})  # fmt: skip

    policy = env["intervention.sla.policy"].create(
        {
            "name": "Bench policy",
            "line_ids": [
                line("take_in_charge", 3, "hours", "blocking"),
                line("workaround", 24, "hours", "blocking"),
                line("resolution", 5, "days", "blocking"),
                line("take_in_charge", 3, "hours", "major"),
                line("workaround", 72, "hours", "major"),
                line("resolution", 8, "days", "major"),
                line("take_in_charge", 2, "days", "minor"),
                line("resolution", 0, "none", "minor"),
            ],
            "reminder_line_ids": [
                (
                    0,
                    0,
                    {
                        "severity": "blocking",
                        "reminder_1_days": 1,
                        "reminder_2_days": 2,
                        "reminder_3_days": 3,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "severity": "major",
                        "reminder_1_days": 3,
                        "reminder_2_days": 6,
                        "reminder_3_days": 9,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "severity": "minor",
                        "reminder_1_days": 5,
                        "reminder_2_days": 10,
                        "reminder_3_days": 15,
                    },
                ),
            ],
        }
    )
    manager = make_bench_manager(env)
    contracts = []
    for index, calendar in enumerate(calendars):
        values = {
            "date_start": date(2026, 1, 1),
            "resource_calendar_id": calendar.id,
            "sla_policy_id": policy.id,
            "escalation_ladder_id": ladder.id if ladder else False,
            "support_manager_id": manager.id,
        }
        if index == 2:
            values.update(coverage_type="oncall", coverage_calendar_id=calendar.id)
        contracts += make_client_contracts(env, [index], values)
    return calendars, policy, contracts


def make_client_contracts(env, indexes, values, contact_list=False):
    """One client company, one contact with an e-mail address and one active
    contract of ``values`` per index of ``indexes``: [(contract, contact)].
    ``contact_list``: the contact is the contract's authorised contact (who
    receives its compliance statements)."""
    Partner = env["res.partner"]
    clients = Partner.create(
        [{"name": f"Bench client {index}", "is_company": True} for index in indexes]
    )
    contacts = Partner.create(
        [
            {
                "name": f"Bench contact {index}",
                "parent_id": client.id,
                "email": f"c{str(index).replace(' ', '-')}@bench.example",
            }
            for index, client in zip(indexes, clients, strict=True)
        ]
    )
    contracts = env["intervention.contract"].create(
        [
            {
                **values,
                "partner_id": client.id,
                "contact_ids": [(6, 0, contact.ids if contact_list else [])],
            }
            for client, contact in zip(clients, contacts, strict=True)
        ]
    )
    contracts.action_activate()
    return list(zip(contracts, contacts, strict=True))


def previous_month_start(env):
    """First day of last month (the month the statements sent now cover)."""
    return fields.Date.context_today(env["res.users"]).replace(day=1) - relativedelta(
        months=1
    )


def make_statement_contracts(env, calendar, policy, count, requests):
    """``count`` contracts in force last month whose statement of last month
    is due, with ``requests`` requests received last month between them
    (ORM-created: the SLA engine sets their targets, met or breached, as a
    month of real requests). No escalation ladder, and nothing left due for
    the other actions. Returns the contracts."""
    month = previous_month_start(env)
    pairs = make_client_contracts(
        env,
        [f"statement {index}" for index in range(count)],
        {
            "date_start": month - relativedelta(months=1),
            "resource_calendar_id": calendar.id,
            "sla_policy_id": policy.id,
        },
        contact_list=True,
    )
    start = datetime.combine(month, datetime.min.time())
    minutes = (month + relativedelta(months=1) - month).days * 24 * 60 - 60
    timed_create(env, request_values(pairs, requests, start, minutes), 1000)
    return env["intervention.contract"].browse(c.id for c, _contact in pairs)


def reset_statements(cr, month):
    """Nothing sent for ``month`` yet: every contract in force then is due
    again (statements deleted with their rows, as at the first run)."""
    cr.execute(
        "DELETE FROM intervention_compliance_statement WHERE period_start = %s",
        [month],
    )


def make_after_hours_contracts(env, calendar, policy, count):
    """``count`` on-call contracts in force from today: the clients of the
    weekly after-hours file, then (``make_contracts_expire``) the contracts
    due to expire. From today, so none of them is due a statement of last
    month."""
    pairs = make_client_contracts(
        env,
        [f"after-hours {index}" for index in range(count)],
        {
            "date_start": fields.Date.context_today(env["res.users"]),
            "resource_calendar_id": calendar.id,
            "sla_policy_id": policy.id,
            "coverage_type": "oncall",
            "coverage_calendar_id": calendar.id,
        },
    )
    return env["intervention.contract"].browse(c.id for c, _contact in pairs)


def make_contracts_expire(cr, contracts, expire):
    """``expire``: the contracts ended yesterday (due to expire); else back
    in force from today, open-ended (as ``make_after_hours_contracts``)."""
    today = fields.Date.context_today(contracts.env["res.users"])
    start, end = (
        (today - timedelta(days=1), today - timedelta(days=1))
        if expire
        else (today, None)
    )
    cr.execute(
        "UPDATE intervention_contract SET state = 'active', date_start = %s,"
        " date_end = %s WHERE id = ANY(%s)",
        [start, end, contracts.ids],
    )
    contracts.invalidate_recordset()


def request_values(contracts, count, start, spread_minutes):
    values = []
    for _index in range(count):
        contract, contact = random.choice(contracts)
        values.append(
            {
                "contract_id": contract.id,
                "requester_id": contact.id,
                "summary": "Bench request",
                "severity": random.choice(["blocking", "major", "minor"]),
                "channel": "portal",
                "date_received": start
                + timedelta(minutes=random.randrange(0, spread_minutes)),
            }
        )
    return values


def timed_create(env, values, batch):
    """Create requests in batches; (requests, seconds, queries)."""
    Request = env["intervention.request"]
    ids = []
    queries_before, t0 = sql_db.sql_counter, time.perf_counter()
    for offset in range(0, len(values), batch):
        ids += Request.create(values[offset : offset + batch]).ids
        env.flush_all()
        env.invalidate_all()
    return (
        Request.browse(ids),
        time.perf_counter() - t0,
        sql_db.sql_counter - queries_before,
    )


def measure(env, function):
    """Run ``function`` until it returns a falsy value; (seconds, queries, calls).
    With BENCH_SLOW=N, also prints the N SQL statements that took the most
    time in all (their first words, count, seconds): where the seconds go
    when the queries stay the same at every size."""
    slow = int(os.environ.get("BENCH_SLOW", "0"))
    timings = defaultdict(lambda: [0, 0.0])
    original = sql_db.Cursor.execute

    def timed_execute(cursor, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return original(cursor, query, params, log_exceptions)
        finally:
            timing = timings[" ".join(str(query).split())[:110]]
            timing[0] += 1
            timing[1] += time.perf_counter() - start

    queries_before, t0, calls = sql_db.sql_counter, time.perf_counter(), 0
    timer = patch.object(sql_db.Cursor, "execute", timed_execute)
    with timer if slow else nullcontext():
        while function():
            calls += 1
    env.invalidate_all()
    elapsed = time.perf_counter() - t0
    for statement, (count, seconds) in sorted(
        timings.items(), key=lambda item: -item[1][1]
    )[:slow]:
        print(f"      {seconds:6.3f} s {count:5} x {statement}")
    return elapsed, sql_db.sql_counter - queries_before, calls
