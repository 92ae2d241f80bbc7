# ruff: noqa: F821  (runs inside `odoo-bin shell`: env is given)
"""On-call figures: a year of rota for N agencies, gap detection over the
cron's 60-day horizon and over a year, and call routing.

    bench/run.sh oncall_bench.py      (BENCH_AGENCIES=20 by default)
"""

import os
import sys
import time
from datetime import date, datetime

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import add_french_holidays, make_calendar, quiet_env

AGENCIES = int(os.environ.get("BENCH_AGENCIES", "20"))
env = quiet_env(env)
add_french_holidays(env)
business = make_calendar(env, "Mon-Fri 9-18", "01234", [(9, 18)])
oncall = make_calendar(env, "7/7 8-22", "0123456", [(8, 22)])
users = env["res.users"].create(
    [{"name": f"Tech {i}", "login": f"bench_tech_{i}"} for i in range(AGENCIES * 3)]
)
agencies = env["intervention.agency"].create(
    [
        {
            "name": f"Agency {i}",
            "email": f"agency{i}@bench.example",
            "resource_calendar_id": business.id,
            "window_ids": [
                (0, 0, {"oncall_type": "evening", "hour_from": 18, "hour_to": 22}),
                (0, 0, {"oncall_type": "day_duty", "hour_from": 8, "hour_to": 20}),
            ],
        }
        for i in range(AGENCIES)
    ]
)

start = time.perf_counter()
for index, agency in enumerate(agencies):
    for level, people in (
        ("1", users[index * 3 : index * 3 + 2]),
        ("2", users[index * 3 + 2]),
    ):
        env["intervention.oncall.rota.wizard"].create(
            {
                "agency_id": agency.id,
                "level": level,
                "user_ids": [(6, 0, people.ids)],
                "date_from": date(2026, 1, 5),
                "date_to": date(2027, 1, 4),
            }
        ).action_generate()
elapsed = time.perf_counter() - start
shifts = env["intervention.oncall.shift"].search_count([])
print(f"rota: {shifts} weekly shifts, {AGENCIES} agencies x 2 levels: {elapsed:.2f} s")

Gap = env["intervention.oncall.gap"]
start = time.perf_counter()
found = sum(
    len(Gap._compute_agency_gaps(a, date(2026, 1, 5), date(2027, 1, 3)))
    for a in agencies
)
elapsed = time.perf_counter() - start
print(
    f"gaps over a year, full rota: {found} gaps, {elapsed:.2f} s ({AGENCIES} agencies)"
)
env["intervention.oncall.shift"].search(
    [("date_start", ">=", "2026-06-01"), ("date_start", "<", "2026-06-15")]
).unlink()
start = time.perf_counter()
found = sum(
    len(Gap._compute_agency_gaps(a, date(2026, 1, 5), date(2027, 1, 3)))
    for a in agencies
)
elapsed = time.perf_counter() - start
print(f"gaps over a year, two weeks missing: {found} gaps, {elapsed:.2f} s")

client = env["res.partner"].create({"name": "Bench client", "is_company": True})
contract = env["intervention.contract"].create(
    {
        "partner_id": client.id,
        "date_start": date(2026, 1, 1),
        "resource_calendar_id": business.id,
        "coverage_type": "oncall",
        "coverage_calendar_id": oncall.id,
        "agency_id": agencies[0].id,
    }
)
contract.action_activate()
calls = env["intervention.oncall.call"].create(
    [
        {
            "date_call": datetime(2026, 3, 10, 18, m),
            "partner_id": client.id,
            "contract_id": contract.id,
        }
        for m in range(50)
    ]
)
start = time.perf_counter()
calls.action_route()
elapsed = time.perf_counter() - start
print(
    f"routing: 50 calls (outcome + request): {elapsed:.2f} s, "
    f"{elapsed / 50 * 1000:.0f} ms per call"
)
env.cr.rollback()
