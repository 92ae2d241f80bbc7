"""Scheduled actions benchmark (issue "Escalation ladders, client reminders
and auto-closure").

Run with: bench/run.sh crons_bench.py   (BENCH_REQUESTS=100000 by default;
BENCH_DUE=1000 due rows per action by default, 1 % of the total;
BENCH_SIZES=10000,100000 the sizes measured, by default a tenth then the
total, the first one at least 5 x BENCH_DUE; BENCH_STATEMENTS=10
contracts whose statement of last month is due, BENCH_CONTRACTS=300
after-hours contracts)

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

The contract actions run on their own due rows, the same at every size:
the monthly compliance statements of BENCH_STATEMENTS contracts, between
which BENCH_DUE requests were received last month (ORM-created; their
statements deleted before each size, each statement built and sent with its
PDF), the weekly after-hours file listing BENCH_CONTRACTS on-call contracts
(and the bench's on-call contract), then those contracts ended yesterday
for the contract expiry. Escalation rows still due once every action has
run are counted (none expected).
"""

import os
import random
import sys
import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL, config

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import (
    make_after_hours_contracts,
    make_bench_ladder,
    make_contracts_expire,
    make_followup_rows_due,
    make_statement_contracts,
    measure,
    previous_month_start,
    quiet_env,
    request_values,
    reset_statements,
    setup_contracts,
    timed_create,
)

TOTAL = int(os.environ.get("BENCH_REQUESTS", "100000"))
DUE = int(os.environ.get("BENCH_DUE", str(max(TOTAL // 100, 1))))
SIZES = [
    int(size)
    for size in os.environ.get("BENCH_SIZES", f"{TOTAL // 10},{TOTAL}").split(",")
]
# The contract actions: contracts whose statement of last month is due
# (with the BENCH_DUE requests received last month), contracts in the weekly
# after-hours file, then due to expire.
STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "10"))
CONTRACTS = int(os.environ.get("BENCH_CONTRACTS", "300"))
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
    return escalations, targets, chosen


def park_all():
    """Everything taken in charge and answered: nothing due, nothing awaits."""
    cr.execute(
        "UPDATE intervention_request SET state = 'qualified', awaiting_answer = false,"
        " date_next_reminder = NULL, date_auto_close = NULL,"
        " date_reopen_deadline = NULL"
    )
    cr.commit()


def make_followup_due(requests, count, taken):
    """``count`` requests due for each follow-up action, ``count`` awaiting
    an answer for the digest, none among ``taken`` (the requests made due for
    the escalation and the SLA statuses: the statuses action re-syncs them,
    which moves a waiting request's reminder and closure dates on, so that
    fewer than ``count`` would stay due)."""
    past = fields.Datetime.now() - timedelta(minutes=1)
    taken = set(taken)
    free = [request_id for request_id in requests.ids if request_id not in taken]
    sample = random.sample(free, 4 * count)
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


def run_while_due(model, domain, call):
    """A step of ``measure``: ``call()`` while ``model`` has rows matching
    ``domain()``, as the scheduler runs an action again while it reports
    rows remaining."""

    last = {"count": None}

    def run():
        count = env[model].search_count(domain())
        # Stop when nothing is due, or when a run left the same rows due
        # (held by another worker, set aside after failures, or not due
        # yet for the action: statements before the month's first business
        # day).
        if not count or count == last["count"]:
            return False
        last["count"] = count
        call()
        return True

    return run


def run_followup(method, state, date_field):
    Request = env["intervention.request"]
    return run_while_due(
        Request._name,
        lambda: [("state", "=", state), (date_field, "<=", fields.Datetime.now())],
        lambda: getattr(Request, method)(batch_size=200),
    )


def run_once(action, label, due=lambda: True):
    """A measured function running ``action`` once, while ``due()``, and
    printing the e-mails it created (``label``)."""
    state = {"done": False}

    def run():
        if state["done"] or not due():
            return False
        mails = env["mail.mail"].search_count([])
        action()
        state["done"] = True
        sent = env["mail.mail"].search_count([]) - mails
        print(f"    ({label} e-mails created: {sent})")
        return True

    return run


def run_digest_once():
    return run_once(env["intervention.request"]._cron_send_digest, "digest")


def analyze_tables():
    """Bring the planner's statistics up to date after the bench's bulk
    writes (up to 95,000 requests copied with their targets and escalation
    rows, every request parked), as autovacuum does within a minute of such
    a change on a live database: with the statistics of the first size,
    PostgreSQL scans the 300,000 escalation rows for a batch's 200 requests
    (36-51 ms a query instead of 1.5 ms through the request index), a cost
    no real table of that size has."""
    for table in (
        "intervention_request",
        "intervention_request_sla",
        "intervention_request_escalation",
        "intervention_freeze",
        "mail_message",
    ):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    cr.commit()


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


def run_escalations():
    Escalation = env["intervention.request.escalation"]
    return run_while_due(
        Escalation._name,
        lambda: Escalation._due_domain(fields.Datetime.now()),
        lambda: Escalation._cron_fire_due(batch_size=200),
    )


def run_sla_statuses():
    Target = env["intervention.request.sla"]
    return run_while_due(
        Target._name,
        lambda: [
            ("status", "=", "running"),
            ("date_at_risk", "<=", fields.Datetime.now()),
        ],
        lambda: Target._cron_update_statuses(batch_size=200),
    )


def statements_due_domain():
    Statement = env["intervention.compliance.statement"]
    return Statement._due_contracts_domain(env.company, previous_month_start(env))


def run_statements():
    return run_while_due(
        "intervention.contract",
        statements_due_domain,
        env["intervention.compliance.statement"]._cron_send_monthly,
    )


def run_oncall_export():
    Export = env["intervention.oncall.export"]
    return run_once(
        Export._cron_send_weekly,
        "after-hours file",
        due=lambda: Export._export_due(env.company),
    )


def expiring_domain():
    today = fields.Date.context_today(env["res.users"])
    return [("state", "=", "active"), ("date_end", "<", today)]


def run_expiry():
    make_contracts_expire(cr, after_hours, expire=True)
    return run_while_due(
        "intervention.contract",
        expiring_domain,
        env["intervention.contract"]._cron_expire_contracts,
    )


def escalations_due_after():
    """Escalation rows due once every action has run, by level: none is
    expected (the levels 2 and 3 of a fired level 1 are planned 2 and 4
    business hours after the deadline, which the SLA statuses action does
    not move)."""
    cr.execute(
        """SELECT l.sequence, COUNT(*) FROM intervention_request_escalation e
           JOIN intervention_escalation_level l ON l.id = e.level_id
           WHERE e.state = 'pending' AND e.date_due <= %s
           GROUP BY l.sequence ORDER BY l.sequence""",
        [fields.Datetime.now()],
    )
    rows = cr.fetchall()
    return ", ".join(f"level {seq}: {count:,}" for seq, count in rows) or "none"


def prepare_size():
    """Every size measures the same due rows of the contract actions:
    statements of last month not sent, the weekly file not sent, the
    after-hours contracts in force (made to expire just before the expiry
    is measured)."""
    reset_statements(cr, previous_month_start(env))
    make_contracts_expire(cr, after_hours, expire=False)
    env.company.intervention_oncall_export_email = "answering@bench.example"
    env.company.intervention_oncall_export_date = False
    env.flush_all()
    cr.commit()
    env.invalidate_all()
    Contract = env["intervention.contract"]
    return {
        "statements": Contract.search_count(statements_due_domain()),
        "export": Contract.search_count(
            Contract._after_hours_domain(fields.Datetime.now())
        ),
        "expiring": len(after_hours),
    }


CRONS = [
    ("escalation levels (_cron_fire_due)", "escalations", run_escalations),
    ("SLA statuses (_cron_update_statuses)", "targets", run_sla_statuses),
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
    ("monthly statements (_cron_send_monthly)", "statements", run_statements),
    ("weekly after-hours file (_cron_send_weekly)", "export", run_oncall_export),
    ("contract expiry (_cron_expire_contracts)", "expiring", run_expiry),
]

ladder = make_bench_ladder(env)
calendars, policy, contracts = setup_contracts(env, ladder)
# The statements' PDF (wkhtmltopdf) loads its stylesheet from report.url:
# the shell serves no HTTP, so its own port refuses the connection at once
# (rather than whatever listens on web.base.url's port 8069); each PDF is
# rendered, without the stylesheet a server would have sent it.
env["ir.config_parameter"].set_param(
    "report.url", f"http://127.0.0.1:{config['http_port']}"
)
statement_contracts = make_statement_contracts(
    env, calendars[0], policy, STATEMENTS, DUE
)
after_hours = make_after_hours_contracts(env, calendars[2], policy, CONTRACTS)
cr.commit()
due = DUE
print("\n=== Scheduled actions benchmark ===")
print(
    f"Contract actions: {STATEMENTS} contracts with {DUE:,} requests received "
    f"last month (statements due), {CONTRACTS} after-hours contracts (the "
    "weekly file, then due to expire), beside the requests counted below."
)
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
    escalations, targets, chosen = make_due(orm_created, due)
    park_all()
    make_followup_due(orm_created, due, chosen)
    counts = {"escalations": escalations, "targets": targets, "due": due}
    counts.update(prepare_size())
    analyze_tables()
    print(
        f"\n{len(created):,} requests ({len(more):,} {how} in {secs:.0f} s); "
        f"due now: {escalations:,} escalation rows, {targets:,} SLA targets, "
        f"{due:,} reminders, {due:,} closures, {due:,} resolved closures, "
        f"{due:,} awaiting an answer (digest), {counts['statements']} statements, "
        f"{counts['export']} contracts in the after-hours file, "
        f"{counts['expiring']} contracts to expire"
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
    print(f"  escalation rows due after the actions: {escalations_due_after()}")
    cr.commit()
