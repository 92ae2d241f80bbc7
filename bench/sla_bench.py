"""SLA benchmark (issue "SLA policies and business-time clocks").

Run with: bench/run.sh sla_bench.py   (BENCH_REQUESTS=10000 by default)

Creates requests over 3 calendars (Mon-Fri 9-18, split 9-12/14-17:30,
7/7 8-22, French public holidays) with their SLA deadlines, adds freezes to a
fifth of them, then adds a public holiday to one calendar and to all, and
prints: requests per second for creation including deadlines, SQL queries per
request for two batch sizes (must not grow with the count), and the time to
recompute the deadlines after each holiday.
"""

import os
import random
import sys
import time
from datetime import datetime, timedelta

from odoo import sql_db

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import quiet_env, request_values, setup_contracts

TOTAL = int(os.environ.get("BENCH_REQUESTS", "10000"))
BATCH = int(os.environ.get("BENCH_BATCH", "500"))
env = quiet_env(env)  # noqa: F821
random.seed(42)


def timed_create(contracts, count, batch):
    Request = env["intervention.request"]
    created = Request.browse()
    queries_before, t0 = sql_db.sql_counter, time.perf_counter()
    values = request_values(contracts, count, datetime(2026, 1, 5, 7, 0), 60 * 24 * 330)
    for offset in range(0, count, batch):
        created |= Request.create(values[offset : offset + batch])
        env.flush_all()
        env.invalidate_all()
    elapsed = time.perf_counter() - t0
    return created, elapsed, sql_db.sql_counter - queries_before


calendars, _policy, contracts = setup_contracts(env)
env.cr.commit()

print("\n=== SLA benchmark ===")
_r, secs, queries = timed_create(contracts, 100, 100)
print(
    f"warm-up: 100 requests in {secs:.2f} s, "
    f"{queries / 100:.1f} queries/request (batch 100)"
)
_r, secs, queries = timed_create(contracts, 1000, 1000)
print(f"1,000 requests in one batch: {queries / 1000:.1f} queries/request")

if os.environ.get("BENCH_PROFILE"):
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    requests, secs, queries = timed_create(contracts, TOTAL, BATCH)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
else:
    requests, secs, queries = timed_create(contracts, TOTAL, BATCH)
targets = env["intervention.request.sla"].search_count(
    [("request_id", "in", requests.ids)]
)
print(
    f"created {len(requests):,} requests ({targets:,} SLA targets) in {secs:.2f} s: "
    f"{len(requests) / secs:,.0f} requests/s, "
    f"{queries / len(requests):.1f} queries/request "
    f"(batches of {BATCH})"
)
env.cr.commit()

frozen = requests.filtered(lambda r: r.id % 5 == 0)
t0 = time.perf_counter()
env["intervention.freeze"].create(
    [
        {
            "request_id": r.id,
            "reason": "client_info",
            "date_start": r.date_received + timedelta(hours=2),
            "date_end": r.date_received + timedelta(days=3),
        }
        for r in frozen
    ]
)
env.flush_all()
print(
    f"added {len(frozen):,} freezes (deadlines recomputed) "
    f"in {time.perf_counter() - t0:.2f} s"
)
env.cr.commit()

all_open = env["intervention.request"].search_count([("sla_ids", "!=", False)])
on_first = env["intervention.request"]._sla_requests_on_calendars(calendars[0])
t0, q0 = time.perf_counter(), sql_db.sql_counter
env["resource.calendar.leaves"].create(
    {
        "name": "Bench holiday (one calendar)",
        "calendar_id": calendars[0].id,
        "date_from": datetime(2026, 6, 9, 22, 0),
        "date_to": datetime(2026, 6, 10, 22, 0),
    }
)
env.flush_all()
secs = time.perf_counter() - t0
print(
    f"holiday on one calendar: recomputed {len(on_first):,} requests in {secs:.2f} s "
    f"({sql_db.sql_counter - q0:,} queries)"
)
env.cr.commit()

t0, q0 = time.perf_counter(), sql_db.sql_counter
env["resource.calendar.leaves"].create(
    {
        "name": "Bench holiday (all calendars)",
        "calendar_id": False,
        "date_from": datetime(2026, 6, 16, 22, 0),
        "date_to": datetime(2026, 6, 17, 22, 0),
    }
)
env.flush_all()
secs = time.perf_counter() - t0
print(
    f"holiday on every calendar: recomputed {all_open:,} requests in {secs:.2f} s "
    f"({sql_db.sql_counter - q0:,} queries)"
)
env.cr.rollback()
