# ruff: noqa: F821  (runs inside `odoo-bin shell`: env is given)
"""Queries and Python time of a single intake, by SQL statement and function.

Run with: bench/run.sh intake_profile.py   (PROF_SINGLE=100 requests timed
at each size, PROF_SIZES=0,3000 requests in the table, PROF_HOURS=in to
run the clocks on a 24/7 calendar (no out-of-hours hold), =out on one closed
now (every request held), default: the bench's calendars as the clock goes;
PROF_TOP=25 lines, PROF_DUMP=PATH to save the statistics, PROF_STACK=1 for
the call stack of each statement of one creation)

Creates requests one per ``create()`` as intake_bench.py does (chatter on,
ORM cache emptied between two), at each table size, and prints the time,
the queries per request with the statements run and their time, and the
functions taking the most time (cProfile). The scratch database is dropped
by run.sh.
"""

import cProfile
import io
import os
import pstats
import random
import re
import sys
import threading
import time
import traceback
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from odoo import fields, sql_db

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import make_calendar, request_values, setup_contracts, timed_create

SINGLE = int(os.environ.get("PROF_SINGLE", "100"))
SIZES = [int(size) for size in os.environ.get("PROF_SIZES", "0,3000").split(",")]
HOURS = os.environ.get("PROF_HOURS", "")
TOP = int(os.environ.get("PROF_TOP", "25"))
# PROF_DUMP=PATH: the cProfile statistics of each size saved to PATH.SIZE.
DUMP = os.environ.get("PROF_DUMP")
# PROF_STACK=1: the call stack of each statement of one creation.
STACK = os.environ.get("PROF_STACK")
random.seed(19)


def statement_key(query):
    if isinstance(query, bytes):
        query = query.decode()
    query = re.sub(r"\s+", " ", str(query)).strip()
    query = re.sub(r"'[^']*'", "'?'", query)
    query = re.sub(r"\b\d+\b", "N", query)
    return query[:170]


class Statements:
    """Counts and times the statements run while ``active``."""

    def __init__(self):
        self.count = Counter()
        self.delay = defaultdict(float)
        self.active = False
        self.stacks = None

    def hook(self, cr, query, params, start, depth):
        if not self.active:
            return None
        key = statement_key(query)
        self.count[key] += 1
        if self.stacks is not None:
            frames = [
                f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_stack()[:-2]
                if "intervention_request" in frame.filename
                or "/mail/" in frame.filename
                or "/orm/" in frame.filename
            ]
            self.stacks.append((key, frames[-14:]))

        def done(delay):
            self.delay[key] += delay

        return done


def intake(contracts, count, statements, profiler):
    values = request_values(contracts, count, fields.Datetime.now(), 60)
    Request = env["intervention.request"]
    queries, t0 = sql_db.sql_counter, time.perf_counter()
    statements.active = True
    profiler.enable()
    for vals in values:
        vals["date_received"] = fields.Datetime.now()
        Request.create(vals)
        env.flush_all()
        env.invalidate_all()
    profiler.disable()
    statements.active = False
    return time.perf_counter() - t0, sql_db.sql_counter - queries


def fill(contracts, count):
    quiet = env(
        context=dict(env.context, tracking_disable=True, mail_create_nolog=True)
    )
    have = quiet["intervention.request"].search_count([])
    if count <= have:
        return
    start = datetime.now() - timedelta(days=200)
    values = request_values(contracts, count - have, start, 60 * 24 * 190)
    timed_create(quiet, values, 1000)
    env.cr.commit()


calendars, _policy, contracts = setup_contracts(env)
if HOURS in ("in", "out"):
    if HOURS == "in":
        days, hours = "0123456", [(0, 24)]
    else:  # open one hour, three days from today: closed now
        days, hours = str((datetime.now().weekday() + 3) % 7), [(9, 10)]
    calendar = make_calendar(env, f"Profile hours {HOURS}", days, hours)
    for contract, _contact in contracts:
        values = {"resource_calendar_id": calendar.id}
        if contract.coverage_calendar_id:
            values["coverage_calendar_id"] = calendar.id
        contract.write(values)
env.cr.commit()
statements = Statements()
threading.current_thread().query_hooks = (statements.hook,)
print(f"\n=== Single intake profile (hours: {HOURS or 'as the clock goes'}) ===")
intake(contracts, 20, statements, cProfile.Profile())  # warm-up
env.cr.commit()
if STACK:
    statements.stacks = []
    intake(contracts, 1, statements, cProfile.Profile())
    for key, frames in statements.stacks:
        print(f"\n# {key}")
        for frame in frames:
            print(f"    {frame}")
    env.cr.rollback()
for size in SIZES:
    fill(contracts, size)
    rows = env["intervention.request"].search_count([])
    statements = Statements()
    threading.current_thread().query_hooks = (statements.hook,)
    profiler = cProfile.Profile()
    secs, queries = intake(contracts, SINGLE, statements, profiler)
    sql_secs = sum(statements.delay.values())
    print(
        f"\n--- {rows:,} requests in the table: {SINGLE} in {secs:.2f} s "
        f"({SINGLE / secs:.1f}/s), {queries / SINGLE:.2f} queries/request, "
        f"SQL {1000 * sql_secs / SINGLE:.1f} ms/request, "
        f"Python {1000 * (secs - sql_secs) / SINGLE:.1f} ms/request"
    )
    for key, count in statements.count.most_common():
        print(
            f"{count / SINGLE:6.2f}  {1000 * statements.delay[key] / SINGLE:6.2f} ms"
            f"  {key}"
        )
    if DUMP:
        profiler.dump_stats(f"{DUMP}.{size}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(TOP)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(TOP)
    print(out.getvalue())
    env.cr.commit()
