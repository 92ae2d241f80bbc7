# ruff: noqa: F821  (runs inside `odoo-bin shell`: env is given)
"""Queries per due call of the on-call escalation, by SQL statement.

Run with: bench/run.sh oncall_profile.py
          (PROF_AGENCIES=20 agencies, each with a technician and an on-call
          manager on duty now; PROF_DUE=100 calls due, one batch;
          PROF_TOP=30 statements listed; PROF_PY=1 adds a cProfile of the
          Python time; PROF_STACK=<text> prints the stack of the first three
          statements containing <text>)

Runs the scheduled action once (technician -> on-call manager), makes the
same calls due again and runs it once more (-> general management), each
with its time, its queries per due call and the statements run most often
(the ones run once per call or per person are what batching removes), then
prints the first call's chatter. Nothing is committed
(``_commit_progress`` replaced by a no-op, rolled back at the end); the
tracking of the writes is flushed (precommit) inside the measure.
"""

import cProfile
import io
import os
import pstats
import re
import sys
import time
import traceback
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, sql_db

from odoo.addons.base.models.ir_cron import IrCron

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import make_oncall_agencies, make_open_calls, quiet_env

AGENCIES = int(os.environ.get("PROF_AGENCIES", "20"))
DUE = int(os.environ.get("PROF_DUE", "100"))
TOP = int(os.environ.get("PROF_TOP", "30"))
PROFILE = os.environ.get("PROF_PY", "")
cron_env = env
env = quiet_env(env)
cr = env.cr
users, agencies = make_oncall_agencies(env, AGENCIES)
now = fields.Datetime.now()
Shift = env["intervention.oncall.shift"]
Shift.create(
    [
        {
            "agency_id": a.id,
            "level": lvl,
            "user_id": users[i * 5 + (0 if lvl == "1" else 3)].id,
            "date_start": now - timedelta(days=2),
            "date_end": now + timedelta(days=5),
        }
        for i, a in enumerate(agencies)
        for lvl in ("1", "2")
    ]
)
client = env["res.partner"].create({"name": "Bench client", "is_company": True})
calls = make_open_calls(env, agencies, client, DUE, due=True)
env.flush_all()
cr.commit()
Call = cron_env["intervention.oncall.call"]

statements = Counter()
stacks = Counter()
original_execute = sql_db.Cursor.execute


def counting_execute(self, query, params=None, log_exceptions=True):
    text = re.sub(r"\s+", " ", str(getattr(query, "code", query))).strip()
    statements[text[:160]] += 1
    pat = os.environ.get("PROF_STACK")
    if pat and pat in text and stacks[pat] < 3:
        stacks[pat] += 1
        print("---- STACK for", text[:80])
        print(
            "".join(
                l
                for l in traceback.format_stack(limit=30)[:-1]
                if "/odoo/orm/" not in l
            )
        )
    return original_execute(self, query, params, log_exceptions)


def run(label):
    env.invalidate_all()
    statements.clear()
    prof = cProfile.Profile() if PROFILE else None
    q, start = sql_db.sql_counter, time.perf_counter()
    with patch.object(sql_db.Cursor, "execute", counting_execute):
        if prof:
            prof.enable()
        Call._cron_escalate_unanswered(batch_size=DUE)
        env.flush_all()
        cr.precommit.run()
        env.flush_all()
        if prof:
            prof.disable()
    secs, q = time.perf_counter() - start, sql_db.sql_counter - q
    print(f"\n== {label}: {DUE} due, {secs:.2f} s, {q} queries, {q / DUE:.2f}/call")
    for text, count in statements.most_common(TOP):
        print(f"{count:6d}  {text}")
    if prof:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(45)
        print(s.getvalue())


with patch.object(IrCron, "_commit_progress", lambda *a, **k: float("inf")):
    run("technician -> manager")
    env.invalidate_all()
    print(Counter(calls.mapped("escalation_level")))
    cr.execute(
        "UPDATE intervention_oncall_call SET date_next_escalation = %s"
        " WHERE id = ANY(%s)",
        [now - timedelta(minutes=1), calls.ids],
    )
    run("manager -> general")
    env.invalidate_all()
    print(Counter(calls.mapped("escalation_level")))
    c = calls[0]
    for m in c.message_ids:
        print(
            m.message_type,
            m.subtype_id.name,
            repr(m.body)[:200],
            m.partner_ids.mapped("name"),
            [
                (t.field_id.name, t.old_value_char, t.new_value_char)
                for t in m.sudo().tracking_value_ids
            ],
        )
    print(
        "mails",
        env["mail.mail"].search_count([]),
        "activities",
        env["mail.activity"].search_count(
            [("res_model", "=", "intervention.oncall.call")]
        ),
    )
cr.rollback()
