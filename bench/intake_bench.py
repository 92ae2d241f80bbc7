# ruff: noqa: F821  (runs inside `odoo-bin shell`: env is given)
"""Single intake benchmark (issue 19, point 1), side by side with the peer.

Run with: BENCH_PEER=1 bench/run.sh intake_bench.py
          (BENCH_SINGLE=300 requests timed at each size, BENCH_REQUESTS=10000
          requests in the table for the second measure, BENCH_ROUNDS=10 turns)

One request per ``create()``, as the portal and the mail gateway create them,
chatter on (tracking, creation message, followers), the ORM cache emptied
between two requests as between two HTTP requests. Timed twice: on an
empty table, then with ``BENCH_REQUESTS`` requests in it, so that the
queries per request are seen not to grow with the table. The peer (OCA
``helpdesk_mgmt_sla``, installed by ``run.sh`` when ``BENCH_PEER=1``) does
the same with tickets on teams using the same three calendars and three SLA
rules each, taking turns with ours; the ratio is ours over the peer's, in
this same run.
"""

import os
import random
import sys
import time
from datetime import datetime, timedelta

from odoo import fields, sql_db

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import quiet_env, request_values, setup_contracts, timed_create

SINGLE = int(os.environ.get("BENCH_SINGLE", "300"))
# Ours and the peer's take turns, BENCH_ROUNDS times at each size, so that
# a change of the machine's load weighs on both alike.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
TOTAL = int(os.environ.get("BENCH_REQUESTS", "10000"))
random.seed(19)
PEER = "helpdesk.ticket" in env and "helpdesk.sla" in env


def intake_ours(contracts, count):
    values = request_values(contracts, count, fields.Datetime.now(), 60)
    Request = env["intervention.request"]
    queries, t0 = sql_db.sql_counter, time.perf_counter()
    for vals in values:
        vals["date_received"] = fields.Datetime.now()
        Request.create(vals)
        env.flush_all()
        env.invalidate_all()
    return time.perf_counter() - t0, sql_db.sql_counter - queries


def peer_setup(calendars):
    teams = env["helpdesk.ticket.team"].create(
        [
            {"name": f"Peer team {i}", "use_sla": True, "resource_calendar_id": c.id}
            for i, c in enumerate(calendars)
        ]
    )
    env["helpdesk.sla"].create(
        [
            {"name": name, "team_ids": [(6, 0, teams.ids)], "days": d, "hours": h}
            for name, d, h in (("take", 0, 3), ("workaround", 1, 0), ("fix", 5, 0))
        ]
    )
    partners = env["res.partner"].create(
        [{"name": f"Peer client {i}", "email": f"p{i}@peer.example"} for i in range(3)]
    )
    return teams, partners


def intake_peer(teams, partners, count):
    Ticket = env["helpdesk.ticket"]
    queries, t0 = sql_db.sql_counter, time.perf_counter()
    for _index in range(count):
        Ticket.create(
            {
                "name": "Bench request",
                "description": "<p>Bench request</p>",
                "team_id": random.choice(teams).id,
                "partner_id": random.choice(partners).id,
            }
        )
        env.flush_all()
        env.invalidate_all()
    return time.perf_counter() - t0, sql_db.sql_counter - queries


def fill(contracts, teams, partners, count):
    """Bring each table to ``count`` rows, in batches, chatter off."""
    quiet = quiet_env(env)
    have = quiet["intervention.request"].search_count([])
    start = datetime.now() - timedelta(days=200)
    values = request_values(contracts, count - have, start, 60 * 24 * 190)
    timed_create(quiet, values, 1000)
    if PEER:
        Ticket = quiet["helpdesk.ticket"]
        have = Ticket.search_count([])
        for offset in range(have, count, 1000):
            Ticket.create(
                [
                    {
                        "name": "Bench request",
                        "description": "<p>Bench request</p>",
                        "team_id": random.choice(teams).id,
                        "partner_id": random.choice(partners).id,
                    }
                    for _i in range(min(1000, count - offset))
                ]
            )
            env.flush_all()
            env.invalidate_all()
    env.cr.commit()


calendars, _policy, contracts = setup_contracts(env)
teams, partners = peer_setup(calendars) if PEER else (None, None)
env.cr.commit()
print("\n=== Single intake benchmark (one request per create, chatter on) ===")
intake_ours(contracts, 50)  # warm-up: templates, caches
if PEER:
    intake_peer(teams, partners, 50)
env.cr.commit()
for size in (0, TOTAL):
    if size:
        fill(contracts, teams, partners, size)
    rows = env["intervention.request"].search_count([])
    secs = queries = psecs = pqueries = 0
    for turn in range(ROUNDS):
        count = SINGLE // ROUNDS + (turn < SINGLE % ROUNDS)
        turn_secs, turn_queries = intake_ours(contracts, count)
        secs, queries = secs + turn_secs, queries + turn_queries
        if PEER:
            turn_secs, turn_queries = intake_peer(teams, partners, count)
            psecs, pqueries = psecs + turn_secs, pqueries + turn_queries
    line = (
        f"{rows:,} requests in the table: ours {SINGLE} requests in {secs:.2f} s, "
        f"{SINGLE / secs:,.1f} requests/s, {queries / SINGLE:.1f} queries/request"
    )
    if PEER:
        line += (
            f"; peer {SINGLE / psecs:,.1f} tickets/s, "
            f"{pqueries / SINGLE:.1f} queries/ticket; "
            f"ratio (ours/peer rate) {psecs / secs:.2f}"
        )
    print(f"{line} (load average {os.getloadavg()[0]:.1f})")
    env.cr.commit()
