"""Queries per due row of the scheduled actions, by SQL statement.

Run with: bench/run.sh crons_profile.py   (PROF_REQUESTS=3000 requests,
PROF_DUE=60 due rows per action, or BENCH_REQUESTS and BENCH_DUE;
PROF_ONLY=escalation,reminders,... to run some, PROF_TOP=14 statements
listed; PROF_PYTHON=1 also lists the Python functions taking the most time,
cProfile's cumulative time, when the seconds are not in the queries)

Makes PROF_DUE rows due for the escalation levels, the reminders, the
automatic closures and the closures after the reopen window (as
crons_bench.py does), runs each action once on all of them, and prints its
time, its queries per due row and the statements run most often: the ones
run once per due row are what batching removes. Nothing is committed
(``_commit_progress`` is replaced by a no-op; rolled back at the end), so
the same database can be measured again, e.g. with an older checkout of the
addon.
"""

import cProfile
import os
import pstats
import random
import re
import sys
import time
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, sql_db

from odoo.addons.base.models.ir_cron import IrCron

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import (
    make_bench_ladder,
    make_followup_rows_due,
    quiet_env,
    request_values,
    setup_contracts,
    timed_create,
)

env = quiet_env(env)  # noqa: F821
cr = env.cr
random.seed(11)
TOTAL = int(os.environ.get("PROF_REQUESTS", os.environ.get("BENCH_REQUESTS", "3000")))
DUE = int(os.environ.get("PROF_DUE", os.environ.get("BENCH_DUE", "60")))
ONLY = [name for name in os.environ.get("PROF_ONLY", "").split(",") if name]
TOP = int(os.environ.get("PROF_TOP", "14"))
PYTHON = bool(os.environ.get("PROF_PYTHON"))
Request = env["intervention.request"]


def populate():
    ladder = make_bench_ladder(env)
    _calendars, _policy, contracts = setup_contracts(env, ladder)
    now = fields.Datetime.now()
    timed_create(
        env, request_values(contracts, TOTAL, now - timedelta(minutes=60), 60), 1000
    )
    cr.commit()


def make_due():
    ids = Request.search([]).ids
    past = fields.Datetime.now() - timedelta(minutes=1)
    cr.execute(
        """UPDATE intervention_request_escalation e SET date_due = %s
           FROM intervention_escalation_level l
           WHERE l.id = e.level_id AND l.sequence = 1 AND e.state = 'pending'
             AND e.request_id = ANY(%s)""",
        [past, random.sample(ids, DUE)],
    )
    cr.execute(
        "UPDATE intervention_request SET state = 'qualified', awaiting_answer = false,"
        " date_next_reminder = NULL, date_auto_close = NULL,"
        " date_reopen_deadline = NULL"
    )
    sample = random.sample(ids, 3 * DUE)
    reminders, closures, resolved = (sample[i * DUE : (i + 1) * DUE] for i in range(3))
    make_followup_rows_due(cr, past, reminders, closures, resolved)
    env.invalidate_all()


statements = Counter()
original_execute = sql_db.Cursor.execute


def counting_execute(self, query, params=None, log_exceptions=True):
    text = re.sub(r"\s+", " ", str(getattr(query, "code", query))).strip()
    statements[text[:140]] += 1
    return original_execute(self, query, params, log_exceptions)


RUNS = [
    (
        "escalation",
        lambda: env["intervention.request.escalation"]._cron_fire_due(batch_size=DUE),
    ),
    ("reminders", lambda: Request._cron_send_reminders(batch_size=DUE)),
    ("auto_close", lambda: Request._cron_auto_close_waiting(batch_size=DUE)),
    ("close_resolved", lambda: Request._cron_close_resolved(batch_size=DUE)),
]

if not Request.search_count([]):
    populate()
make_due()
with patch.object(IrCron, "_commit_progress", lambda *args, **kwargs: float("inf")):
    for name, run in RUNS:
        if ONLY and name not in ONLY:
            continue
        env.invalidate_all()
        mails = env["mail.mail"].search_count([])
        statements.clear()
        queries, start = sql_db.sql_counter, time.perf_counter()
        profiler = cProfile.Profile() if PYTHON else None
        with patch.object(sql_db.Cursor, "execute", counting_execute):
            if profiler:
                profiler.enable()
            run()
            env.flush_all()
            if profiler:
                profiler.disable()
        secs, queries = time.perf_counter() - start, sql_db.sql_counter - queries
        mails = env["mail.mail"].search_count([]) - mails
        print(
            f"\n== {name}: {DUE} due, {secs:.2f} s, {queries} queries, "
            f"{queries / DUE:.1f} per due row, {mails} e-mails queued"
        )
        for text, count in statements.most_common(TOP):
            print(f"{count:6d}  {text}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(3 * TOP)
cr.rollback()
