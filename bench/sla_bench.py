"""SLA benchmark (issue "SLA policies and business-time clocks").

Run with: bench/run.sh sla_bench.py   (BENCH_REQUESTS=10000 by default;
BENCH_PROFILE=1 profiles the creation, BENCH_PROFILE=holiday the
recomputations after the public holiday changes)

Creates requests over 3 calendars (Mon-Fri 9-18, split 9-12/14-17:30,
7/7 8-22, French public holidays) with their SLA deadlines, adds freezes to a
fifth of them, then adds a public holiday to one calendar and to all, and
prints: requests per second for creation including deadlines, SQL queries per
request for two batch sizes (must not grow with the count), and, for a public
holiday added, moved and removed, the time the edit takes, the time of the
background recomputation (the scheduled action it triggers) and the rows it
rewrote (only those whose values change).
"""

import os
import random
import sys
import time
from datetime import datetime, timedelta

from odoo import fields, sql_db

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
env["intervention.holiday.change"]._cron_apply()  # the French holidays: no request yet
env.cr.commit()

print("\n=== SLA benchmark ===")
_r, secs, queries = timed_create(contracts, 100, 100)
print(
    f"warm-up: 100 requests in {secs:.2f} s, "
    f"{queries / 100:.1f} queries/request (batch 100)"
)
_r, secs, queries = timed_create(contracts, 1000, 1000)
print(f"1,000 requests in one batch: {queries / 1000:.1f} queries/request")

PROFILE = os.environ.get("BENCH_PROFILE")
if PROFILE:
    import cProfile
    import pstats

if PROFILE and PROFILE != "holiday":
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


def holiday_change(label, make_change):
    """Time the edit (what the person waits for), then the background
    recomputation, and count the rows it rewrote."""
    env.cr.commit()
    # write_date keeps whole seconds: start in a second of our own, so that
    # the rows the previous change rewrote are not counted again.
    time.sleep(1.01 - datetime.now().microsecond / 1e6)
    since = fields.Datetime.now()
    t0, q0 = time.perf_counter(), sql_db.sql_counter
    make_change()
    env.flush_all()
    edit = time.perf_counter() - t0
    env.cr.commit()
    profiler = cProfile.Profile() if PROFILE == "holiday" else None
    t0, q0 = time.perf_counter(), sql_db.sql_counter
    if profiler:
        profiler.enable()
    env["intervention.holiday.change"]._cron_apply()
    env.flush_all()
    env.cr.commit()
    secs, queries = time.perf_counter() - t0, sql_db.sql_counter - q0
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    env.invalidate_all()
    written = {
        model: env[model].search_count([("write_date", ">=", since)])
        for model in ("intervention.request", "intervention.request.sla")
    }
    print(
        f"{label}: edit {edit:.2f} s; background recomputation {secs:.2f} s, "
        f"{queries:,} queries, rewrote {written['intervention.request']:,} "
        f"requests and {written['intervention.request.sla']:,} SLA targets "
        f"(of {all_open:,} open requests)"
    )


all_open = env["intervention.request"].search_count([("sla_ids", "!=", False)])
Leaves = env["resource.calendar.leaves"]
holiday = Leaves.browse()


def add_one_calendar():
    global holiday
    holiday = Leaves.create(
        {
            "name": "Bench holiday (one calendar)",
            "calendar_id": calendars[0].id,
            "date_from": datetime(2026, 6, 9, 22, 0),
            "date_to": datetime(2026, 6, 10, 22, 0),
        }
    )


holiday_change("holiday added on one calendar", add_one_calendar)
holiday_change(
    "same holiday moved a week on",
    lambda: holiday.write(
        {
            "date_from": datetime(2026, 6, 16, 22, 0),
            "date_to": datetime(2026, 6, 17, 22, 0),
        }
    ),
)
holiday_change("same holiday removed", lambda: holiday.unlink())
holiday_change(
    "holiday added on every calendar",
    lambda: Leaves.create(
        {
            "name": "Bench holiday (all calendars)",
            "calendar_id": False,
            "date_from": datetime(2026, 6, 23, 22, 0),
            "date_to": datetime(2026, 6, 24, 22, 0),
        }
    ),
)
env.cr.rollback()
