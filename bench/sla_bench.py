"""SLA benchmark (issue "SLA policies and business-time clocks").

Run with: bench/run.sh sla_bench.py   (BENCH_REQUESTS=10000 by default)

Creates requests over 3 calendars (Mon-Fri 9-18, split 9-12/14-17:30,
7/7 8-22, French public holidays) with their SLA deadlines, adds freezes to a
fifth of them, then adds a public holiday to one calendar and to all, and
prints: requests per second for creation including deadlines, SQL queries per
request for two batch sizes (must not grow with the count), and the time to
recompute the deadlines after each holiday.
"""

# ruff: noqa: F821  (env is given by odoo-bin shell)
import os
import random
import time
from datetime import date, datetime, timedelta

from odoo import sql_db

TOTAL = int(os.environ.get("BENCH_REQUESTS", "10000"))
BATCH = int(os.environ.get("BENCH_BATCH", "500"))
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
env = env(context=dict(env.context, **QUIET))
random.seed(42)


def calendar(name, days, hours):
    attendances = [
        (
            0,
            0,
            {
                "name": f"{d} {a}-{b}",
                "dayofweek": d,
                "hour_from": a,
                "hour_to": b,
                "day_period": "morning" if a < 12 else "afternoon",
            },
        )
        for d in days
        for a, b in hours
    ]
    return env["resource.calendar"].create(
        {"name": name, "tz": "Europe/Paris", "attendance_ids": attendances}
    )


def french_holidays():
    days = [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 3, 29),
        date(2027, 5, 1),
        date(2027, 5, 6),
        date(2027, 5, 8),
        date(2027, 5, 17),
        date(2027, 7, 14),
        date(2027, 8, 15),
        date(2027, 11, 1),
        date(2027, 11, 11),
        date(2027, 12, 25),
    ]
    env["resource.calendar.leaves"].create(
        [
            {
                "name": f"Holiday {d}",
                "calendar_id": False,
                "date_from": datetime.combine(d, datetime.min.time())
                - timedelta(hours=2),
                "date_to": datetime.combine(d, datetime.min.time())
                + timedelta(hours=22),
            }
            for d in days
        ]
    )


def setup():
    french_holidays()
    calendars = [
        calendar("Bench Mon-Fri 9-18", "01234", [(9, 18)]),
        calendar("Bench split 9-12/14-17:30", "01234", [(9, 12), (14, 17.5)]),
        calendar("Bench 7/7 8-22", "0123456", [(8, 22)]),
    ]
    line = lambda t, d, u, s: (
        0,
        0,
        {"target_type": t, "duration": d, "unit": u, "severity": s},
    )
    policy = env["intervention.sla.policy"].create(
        {
            "name": "Bench policy",
            "line_ids": [
                line("take_in_charge", 3, "hours", "blocking"),
                line("workaround", 24, "hours", "blocking"),
                line("resolution", 5, "days", "blocking"),
                line("take_in_charge", 3, "hours", "major"),
                line("workaround", 72, "hours", "major"),
                line("resolution", 8, "days", "major"),
                line("take_in_charge", 2, "days", "minor"),
                line("resolution", 0, "none", "minor"),
            ],
        }
    )
    contracts = []
    for index, cal in enumerate(calendars):
        client = env["res.partner"].create(
            {"name": f"Bench client {index}", "is_company": True}
        )
        contact = env["res.partner"].create(
            {
                "name": f"Bench contact {index}",
                "parent_id": client.id,
                "email": f"c{index}@bench.example",
            }
        )
        values = {
            "partner_id": client.id,
            "date_start": date(2026, 1, 1),
            "resource_calendar_id": cal.id,
            "sla_policy_id": policy.id,
        }
        if index == 2:
            values.update(coverage_type="oncall", coverage_calendar_id=cal.id)
        contract = env["intervention.contract"].create(values)
        contract.action_activate()
        contracts.append((contract, contact))
    return calendars, contracts


def request_values(contracts, count):
    start = datetime(2026, 1, 5, 7, 0)
    values = []
    for _ in range(count):
        contract, contact = random.choice(contracts)
        values.append(
            {
                "contract_id": contract.id,
                "requester_id": contact.id,
                "summary": "Bench request",
                "severity": random.choice(["blocking", "major", "minor"]),
                "channel": "portal",
                "date_received": start
                + timedelta(minutes=random.randrange(0, 60 * 24 * 330)),
            }
        )
    return values


def timed_create(contracts, count, batch):
    Request = env["intervention.request"]
    created = Request.browse()
    queries_before, t0 = sql_db.sql_counter, time.perf_counter()
    values = request_values(contracts, count)
    for offset in range(0, count, batch):
        created |= Request.create(values[offset : offset + batch])
        env.flush_all()
        env.invalidate_all()
    elapsed = time.perf_counter() - t0
    return created, elapsed, sql_db.sql_counter - queries_before


calendars, contracts = setup()
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
