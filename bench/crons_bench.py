"""Scheduled actions benchmark (issue "Escalation ladders, client reminders
and auto-closure").

Run with: bench/run.sh crons_bench.py   (BENCH_REQUESTS=100000 by default)

Creates the requests in two steps (a tenth, then the rest), makes about 1 % of
the total due for each scheduled action (due dates moved into the past with
SQL, the rest left in the future), runs each action until nothing is due and
prints its time and SQL queries. The same number of due rows is processed at
both sizes: the cost follows the due rows, not the total.
"""

import os
import random
import sys
from datetime import timedelta

from odoo import fields

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import (
    measure,
    quiet_env,
    request_values,
    setup_contracts,
    timed_create,
)

TOTAL = int(os.environ.get("BENCH_REQUESTS", "100000"))
BATCH = 1000
env = quiet_env(env)  # noqa: F821
random.seed(7)
cr = env.cr


def make_ladder():
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
    ("escalation levels (_cron_fire_due)", run_escalations),
    ("SLA statuses (_cron_update_statuses)", run_sla_statuses),
]

ladder = make_ladder()
calendars, policy, contracts = setup_contracts(env, ladder)
cr.commit()
due = max(TOTAL // 100, 1)
print("\n=== Scheduled actions benchmark ===")
created = env["intervention.request"]
for size in (TOTAL // 10, TOTAL):
    more, secs = create(size - len(created))
    created |= more
    escalations, targets = make_due(created, due)
    print(
        f"\n{len(created):,} requests ({len(more):,} created in {secs:.0f} s); "
        f"due now: {escalations:,} escalation rows, {targets:,} SLA targets"
    )
    for label, function in CRONS:
        secs, queries, calls = measure(env, function)
        print(f"  {label}: {secs:.2f} s, {queries:,} queries in {calls} batch(es)")
    cr.commit()
