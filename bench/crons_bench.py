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

The first size is created through the ORM (batches of 1,000, as a desk or
an import would); the further requests are, by default, SQL copies of
those (``copy_requests``: ``INSERT ... SELECT`` of the requests with a new
reference, then of their SLA targets and escalation rows), which makes a
100,000-request table in minutes rather than hours. The copies are parked
with the rest (nothing due) and the due rows are sampled among the
ORM-created requests, so the actions find what they would find among
100,000 real requests: the same tables and indexes, 1 % due.
BENCH_FILL=orm creates every request through the ORM instead.
"""

import os
import random
import sys
import time
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
FILL = os.environ.get("BENCH_FILL", "copy")
env = quiet_env(env)  # noqa: F821
random.seed(7)
cr = env.cr


def create(count):
    now = fields.Datetime.now()
    values = request_values(contracts, count, now - timedelta(minutes=60), 60)
    requests, secs, _queries = timed_create(env, values, BATCH)
    cr.commit()
    return requests, secs


def table_columns(table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s"
        " AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def copy_rows(table, columns, replace, where, params):
    """INSERT ... SELECT of ``table``'s rows matching ``where``, with the
    SQL expressions ``replace`` ({column: expression}) for some columns."""
    select = ", ".join(replace.get(column, f"t.{column}") for column in columns)
    cr.execute(
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" SELECT {select} FROM {table} t {where}",
        params,
    )


def copy_requests(source, count):
    """``count`` more requests as SQL copies of ``source`` (ORM-created),
    each with a new reference, its SLA targets and escalation rows; returns
    (new requests, seconds)."""
    start = time.perf_counter()
    env.flush_all()
    ids = []
    columns = table_columns("intervention_request")
    while len(ids) < count:
        chunk = source.ids[: count - len(ids)]
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM intervention_request")
        offset = cr.fetchone()[0]
        # The copy of request r gets id r + offset: the map is arithmetic.
        copy_rows(
            "intervention_request",
            ["id", *columns],
            {
                "id": "t.id + %(offset)s",
                "name": "t.name || '-' || (t.id + %(offset)s)",
                "access_token": "NULL",
            },
            "WHERE t.id = ANY(%(ids)s)",
            {"offset": offset, "ids": chunk},
        )
        for table in ("intervention_request_sla", "intervention_request_escalation"):
            copy_rows(
                table,
                table_columns(table),
                {"request_id": "t.request_id + %(offset)s"},
                "WHERE t.request_id = ANY(%(ids)s)",
                {"offset": offset, "ids": chunk},
            )
        ids += [request_id + offset for request_id in chunk]
    cr.execute(
        "SELECT setval('intervention_request_id_seq',"
        " (SELECT MAX(id) FROM intervention_request))"
    )
    cr.commit()
    env.invalidate_all()
    return env["intervention.request"].browse(ids), time.perf_counter() - start


def make_due(requests, count):
    """Move the first level and the at-risk instant of ``count`` requests
    into the past; everything else stays in the future. Chosen among the
    requests whose first level is still pending (not fired at a smaller
    size), so that ``count`` rows are due at every size."""
    cr.execute(
        """SELECT e.request_id FROM intervention_request_escalation e
           JOIN intervention_escalation_level l ON l.id = e.level_id
           WHERE l.sequence = 1 AND e.state = 'pending' AND e.request_id = ANY(%s)
           ORDER BY e.request_id""",
        [requests.ids],
    )
    pending = [row[0] for row in cr.fetchall()]
    chosen = random.sample(pending, min(count, len(pending)))
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
        # Requests received out of hours have their targets paused until the
        # next opening: made running here, so that the SLA statuses action
        # has due rows whenever the benchmark runs.
        """UPDATE intervention_request_sla SET date_at_risk = %s, status = 'running',
                  date_resume = NULL
           WHERE status IN ('running', 'paused') AND target_type = 'take_in_charge'
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
    ORM generates, explained by PostgreSQL once the table's statistics are
    up to date (as autovacuum keeps them: the bench has just rewritten every
    row, which stale statistics would not show)."""
    cr.execute("ANALYZE intervention_request")
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
created = orm_created = env["intervention.request"]
for size in SIZES:
    if orm_created and FILL == "copy":
        how = "copied"
        more, secs = copy_requests(orm_created, size - len(created))
    else:
        how = "created"
        more, secs = create(size - len(created))
        orm_created |= more
    created |= more
    # Due rows among the ORM-created requests (the copies are plain rows).
    escalations, targets = make_due(orm_created, due)
    park_all()
    make_followup_due(orm_created, due)
    counts = {"escalations": escalations, "targets": targets, "due": due}
    print(
        f"\n{len(created):,} requests ({len(more):,} {how} in {secs:.0f} s); "
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
