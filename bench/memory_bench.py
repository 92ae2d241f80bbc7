# ruff: noqa: F821  (runs inside `odoo-bin shell`: env is given)
"""Memory of a batch creation (issue 19, point 5), side by side with the peer.

Run with: BENCH_PEER=1 bench/run.sh memory_bench.py
          (BENCH_REQUESTS=10000 records in one create() call,
          BENCH_TRACE=1 also prints where Python allocated the memory kept)

The set-up (three calendars with the French holidays, the bench SLA policy,
three contracts; the peer's three teams with three SLA rules each on the
same calendars) is committed, then each side runs in a fresh
``odoo-bin shell`` process of its own, so that neither inherits the other's
heap: a warm-up creation of 100 records (registry, caches, templates),
then one ``create()`` of ``BENCH_REQUESTS`` requests (chatter off, as a
batch import) or as many peer tickets, flushed. Each process prints its
resident memory (``/proc/self/status``) before, its peak during the
creation and what it keeps after, and rolls back. The ratio is our growth
over the peer's, peak to peak, in this same run.
"""

import gc
import json
import os
import random
import subprocess
import sys
import time
from datetime import datetime

from odoo import sql_db
from odoo.tools import config

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import quiet_env, request_values, setup_contracts

TOTAL = int(os.environ.get("BENCH_REQUESTS", "10000"))
SIDE = os.environ.get("BENCH_MEMORY_SIDE")
random.seed(5)


def memory_kb():
    """(resident, peak resident) memory of this process in kB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _sep, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def reset_peak():
    """Let VmHWM restart from the current resident size (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")


def ours_values(count):
    quiet = quiet_env(env)
    contracts = []
    for contract in quiet["intervention.contract"].search(
        [("partner_id.name", "like", "Bench client")], order="id"
    ):
        contact = contract.partner_id.child_ids[:1]
        contracts.append((contract, contact))
    start = datetime(2026, 1, 5, 7, 0)
    return quiet["intervention.request"], request_values(
        contracts, count, start, 60 * 24 * 330
    )


def peer_values(count):
    quiet = quiet_env(env)
    teams = quiet["helpdesk.ticket.team"].search([("name", "like", "Peer team")])
    partners = quiet["res.partner"].search([("email", "like", "@peer.example")])
    return quiet["helpdesk.ticket"], [
        {
            "name": "Bench request",
            "description": "<p>Bench request</p>",
            "team_id": random.choice(teams).id,
            "partner_id": random.choice(partners).id,
        }
        for _i in range(count)
    ]


def child():
    """One side in this process: warm up, create, print one JSON line."""
    make = ours_values if SIDE == "ours" else peer_values
    Model, values = make(100)
    Model.create(values)
    env.flush_all()
    env.invalidate_all()
    Model, values = make(TOTAL)
    if os.environ.get("BENCH_TRACE"):
        import tracemalloc

        tracemalloc.start(10)
    gc.collect()
    reset_peak()
    before, _peak = memory_kb()
    queries, t0 = sql_db.sql_counter, time.perf_counter()
    records = Model.create(values)
    env.flush_all()
    secs = time.perf_counter() - t0
    queries = sql_db.sql_counter - queries
    _rss, peak = memory_kb()
    if os.environ.get("BENCH_TRACE"):
        snapshot = tracemalloc.take_snapshot()
        for stat in snapshot.statistics("traceback")[:12]:
            print(f"{stat.size / 1024:10.0f} kB {stat.count:8} blocks")
            for line in stat.traceback.format()[-8:]:
                print("    " + line)
    del records, values
    env.invalidate_all()
    gc.collect()
    after, _peak = memory_kb()
    env.cr.rollback()
    print(
        "BENCH "
        + json.dumps(
            {
                "before": before,
                "peak": peak,
                "after": after,
                "secs": secs,
                "queries": queries,
            }
        )
    )


def run_side(side):
    """Run ``child()`` in a new ``odoo-bin shell`` on this database."""
    command = [
        sys.executable,
        sys.argv[0],
        "shell",
        "-c",
        config["config"],
        "-d",
        env.cr.dbname,
        "--addons-path",
        ",".join(path for path in config["addons_path"] if os.path.isdir(path)),
        "--http-port",
        str(int(config["http_port"]) + 1),
        "--log-level=warn",
    ]
    with open(os.path.join(os.environ["BENCH_DIR"], "memory_bench.py"), "rb") as code:
        result = subprocess.run(
            command,
            stdin=code,
            capture_output=True,
            env={**os.environ, "BENCH_MEMORY_SIDE": side},
            check=False,
        )
    output = result.stdout.decode()
    lines = [line for line in output.splitlines() if line.startswith("BENCH ")]
    if not lines:
        print(output, result.stderr.decode()[-3000:])
        raise SystemExit(f"The {side} side failed.")
    for line in output.splitlines():
        if not line.startswith("BENCH ") and os.environ.get("BENCH_TRACE"):
            print(line)
    return json.loads(lines[-1][len("BENCH ") :])


def parent():
    quiet = quiet_env(env)
    calendars, _policy, _contracts = setup_contracts(quiet)
    peer = "helpdesk.ticket" in env and "helpdesk.sla" in env
    if peer:
        teams = quiet["helpdesk.ticket.team"].create(
            [
                {
                    "name": f"Peer team {i}",
                    "use_sla": True,
                    "resource_calendar_id": c.id,
                }
                for i, c in enumerate(calendars)
            ]
        )
        quiet["helpdesk.sla"].create(
            [
                {"name": name, "team_ids": [(6, 0, teams.ids)], "days": d, "hours": h}
                for name, d, h in (("take", 0, 3), ("workaround", 1, 0), ("fix", 5, 0))
            ]
        )
        quiet["res.partner"].create(
            [
                {"name": f"Peer client {i}", "email": f"p{i}@peer.example"}
                for i in range(3)
            ]
        )
    quiet["intervention.holiday.change"]._cron_apply()
    env.cr.commit()
    print(
        f"\n=== Memory of a batch creation: {TOTAL:,} records in one create() ===\n"
        f"load average {os.getloadavg()[0]:.1f}"
    )
    results = {
        side: run_side(side) for side in (("ours", "peer") if peer else ("ours",))
    }
    for side, figures in results.items():
        print(
            f"{side}: {TOTAL:,} in {figures['secs']:.1f} s, "
            f"{figures['queries'] / TOTAL:.2f} queries/record; resident "
            f"{figures['before'] / 1024:.0f} MB before, peak "
            f"{figures['peak'] / 1024:.0f} MB "
            f"(+{(figures['peak'] - figures['before']) / 1024:.0f} MB), "
            f"{figures['after'] / 1024:.0f} MB kept after "
            f"(+{(figures['after'] - figures['before']) / 1024:.0f} MB)"
        )
    if peer:
        ours, theirs = results["ours"], results["peer"]
        ratio = (ours["peak"] - ours["before"]) / max(
            1, theirs["peak"] - theirs["before"]
        )
        print(
            f"growth ratio (ours/peer, peak): {ratio:.2f}; load average "
            f"{os.getloadavg()[0]:.1f}"
        )


if SIDE:
    child()
else:
    parent()
