"""Scheduled actions benchmark (issue "Escalation ladders, client reminders
and auto-closure").

Run with: bench/run.sh crons_bench.py   (BENCH_REQUESTS=100000 by default;
BENCH_DUE=1000 due rows per action by default, 1 % of the total;
BENCH_SIZES=10000,100000 the sizes measured, by default a tenth then the
total)

Creates the requests in steps (by default a tenth, then the rest), makes
BENCH_DUE rows due for each scheduled action (due dates moved into the past
with SQL on a random sample, every other request parked in a state where
nothing is due), runs each action until nothing is due and prints its time,
its SQL queries and the queries per due row. The same number of due rows is
processed at every size: the cost follows the due rows, not the total.
"""

import os
import random
import sys
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import (
    make_bench_ladder,
    make_followup_rows_due,
    measure,
    quiet_env,
    request_values,
    setup_contracts,
    timed_create,
)

TOTAL = int(os.environ.get("BENCH_REQUESTS", "100000"))
DUE = int(os.environ.get("BENCH_DUE", str(max(TOTAL // 100, 1))))
SIZES = [
    int(size)
    for size in os.environ.get("BENCH_SIZES", f"{TOTAL // 10},{TOTAL}").split(",")
]
BATCH = 1000
env = quiet_env(env)  # noqa: F821
random.seed(7)
cr = env.cr


def create(count):
    now = fields.Datetime.now()
    values = request_values(contracts, count, now - timedelta(minutes=60), 60)
    requests, secs, _queries = timed_create(env, values, BATCH)
    cr.commit()
    return requests, secs


def make_due(requests, count):
    """Move the first level and the at-risk instant of ``count`` requests
    into the past; everything else stays in the future."""
    chosen = random.sample(requests.ids, count)
    past = fields.Datetime.now() - timedelta(minutes=1)
    cr.execute(
        """UPDATE intervention_request_escalation e SET date_due = %s
           FROM intervention_escalation_level l
           WHERE l.id = e.level_id AND l.sequence = 1 AND e.state = 'pending'
             AND e.request_id = ANY(%s)""",
        [past, chosen],
    )
    escalations = cr.rowcount
    cr.execute(
        """UPDATE intervention_request_sla SET date_at_risk = %s
           WHERE status = 'running' AND target_type = 'take_in_charge'
             AND request_id = ANY(%s)""",
        [past, chosen],
    )
    targets = cr.rowcount
    cr.commit()
    env.invalidate_all()
    return escalations, targets


def park_all():
    """Everything taken in charge and answered: nothing due, nothing awaits."""
    cr.execute(
        "UPDATE intervention_request SET state = 'qualified', awaiting_answer = false,"
        " date_next_reminder = NULL, date_auto_close = NULL,"
        " date_reopen_deadline = NULL"
    )
    cr.commit()


def make_followup_due(requests, count):
    """``count`` requests due for each follow-up action, ``count`` awaiting
    an answer for the digest."""
    past = fields.Datetime.now() - timedelta(minutes=1)
    sample = random.sample(requests.ids, 4 * count)
    reminders, closures, resolved, awaiting = (
        sample[i * count : (i + 1) * count] for i in range(4)
    )
    make_followup_rows_due(cr, past, reminders, closures, resolved)
    cr.execute(
        "UPDATE intervention_request SET awaiting_answer = true, state = 'received'"
        " WHERE id = ANY(%s)",
        [awaiting],
    )
    cr.execute("UPDATE res_company SET intervention_digest_date = NULL")
    cr.commit()
    env.invalidate_all()


def run_followup(method, state, date_field):
    def run():
        now = fields.Datetime.now()
        domain = [("state", "=", state), (date_field, "<=", now)]
        if not due_count("intervention.request", domain):
            return False
        getattr(env["intervention.request"], method)(batch_size=200)
        return True

    return run


def run_digest_once():
    state = {"done": False}

    def run():
        if state["done"]:
            return False
        mails = env["mail.mail"].search_count([])
        env["intervention.request"]._cron_send_digest()
        state["done"] = True
        sent = env["mail.mail"].search_count([]) - mails
        print(f"    (digest e-mails created: {sent})")
        return True

    return run


def digest_plan():
    """Whether the digest's search reads the partial index: the query the
    ORM generates, explained by PostgreSQL."""
    Request = env["intervention.request"]
    query = Request._search(Request._awaiting_answer_domain())
    cr.execute(SQL("EXPLAIN %s", query.select()))
    plan = " ".join(row[0] for row in cr.fetchall())
    used = "intervention_request_awaiting_answer_idx" in plan
    return "partial index" if used else "sequential scan"


def due_count(model, domain):
    return env[model].search_count(domain)


def run_escalations():
    now = fields.Datetime.now()
    domain = [("state", "=", "pending"), ("date_due", "<=", now)]
    if not due_count("intervention.request.escalation", domain):
        return False
    env["intervention.request.escalation"]._cron_fire_due(batch_size=200)
    return True


def run_sla_statuses():
    now = fields.Datetime.now()
    domain = [("status", "=", "running"), ("date_at_risk", "<=", now)]
    if not due_count("intervention.request.sla", domain):
        return False
    env["intervention.request.sla"]._cron_update_statuses(batch_size=200)
    return True


CRONS = [
    ("escalation levels (_cron_fire_due)", "escalations", lambda: run_escalations),
    ("SLA statuses (_cron_update_statuses)", "targets", lambda: run_sla_statuses),
    (
        "reminders (_cron_send_reminders)",
        "due",
        lambda: run_followup("_cron_send_reminders", "waiting", "date_next_reminder"),
    ),
    (
        "automatic closures (_cron_auto_close_waiting)",
        "due",
        lambda: run_followup("_cron_auto_close_waiting", "waiting", "date_auto_close"),
    ),
    (
        "resolved closures (_cron_close_resolved)",
        "due",
        lambda: run_followup(
            "_cron_close_resolved", "resolved", "date_reopen_deadline"
        ),
    ),
    ("daily digest (_cron_send_digest)", None, run_digest_once),
]

ladder = make_bench_ladder(env)
calendars, policy, contracts = setup_contracts(env, ladder)
cr.commit()
due = DUE
print("\n=== Scheduled actions benchmark ===")
created = env["intervention.request"]
for size in SIZES:
    more, secs = create(size - len(created))
    created |= more
    escalations, targets = make_due(created, due)
    park_all()
    make_followup_due(created, due)
    counts = {"escalations": escalations, "targets": targets, "due": due}
    print(
        f"\n{len(created):,} requests ({len(more):,} created in {secs:.0f} s); "
        f"due now: {escalations:,} escalation rows, {targets:,} SLA targets, "
        f"{due:,} reminders, {due:,} closures, {due:,} resolved closures, "
        f"{due:,} awaiting an answer (digest)"
    )
    for label, rows, make_function in CRONS:
        secs, queries, calls = measure(env, make_function())
        per_row = (
            f", {queries / counts[rows]:.1f} per due row"
            if rows and counts[rows]
            else ""
        )
        print(
            f"  {label}: {secs:.2f} s, {queries:,} queries in {calls} batch(es)"
            f"{per_row}"
        )
    print(f"  daily digest search: {digest_plan()}")
    cr.commit()
