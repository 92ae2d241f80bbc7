"""Invoicing benchmark (issue "Time entries and invoicing of billable
interventions").

Run with: bench/run.sh invoicing_bench.py   (BENCH_REQUESTS=2000 by default)

Creates phone requests (each gets the automatic 1 UT surcharge cause) for
three clients, declares half of them abnormal use, records two time entries
on each, then invoices them all at once (one draft invoice per client) and
tries again (nothing left). Prints times and SQL queries.
"""

import os
import random
import sys
import time
from datetime import date, datetime

from odoo import sql_db

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import quiet_env, request_values, setup_contracts, timed_create

TOTAL = int(os.environ.get("BENCH_REQUESTS", "2000"))
BATCH = 500
env = quiet_env(env)  # noqa: F821
random.seed(7)


def timed(function):
    queries_before, t0 = sql_db.sql_counter, time.perf_counter()
    result = function()
    env.flush_all()
    return result, time.perf_counter() - t0, sql_db.sql_counter - queries_before


_calendars, _policy, contracts = setup_contracts(env)
for contract, _contact in contracts:
    contract.write({"hourly_rate": 95.0, "time_unit_rate": 47.5})
income = env["account.account"].create(
    {"name": "Bench services", "code": "706900", "account_type": "income"}
)
receivable = env["account.account"].create(
    {
        "name": "Bench clients",
        "code": "411900",
        "account_type": "asset_receivable",
        "reconcile": True,
    }
)
journal = env["account.journal"].create(
    {
        "name": "Bench sales",
        "code": "BSAL",
        "type": "sale",
        "default_account_id": income.id,
    }
)
for contract, _contact in contracts:
    contract.partner_id.property_account_receivable_id = receivable

values = request_values(contracts, TOTAL, datetime(2026, 3, 2, 8, 0), 60 * 24 * 20)
for vals in values:
    vals["channel"] = "phone"
requests, seconds, queries = timed_create(env, values, BATCH)
print("\n=== Invoicing benchmark ===")
print(
    f"created {len(requests):,} phone requests with their surcharge cause in "
    f"{seconds:.2f} s: {len(requests) / seconds:.0f} requests/s, "
    f"{queries / len(requests):.1f} queries/request"
)
_r, seconds, queries = timed(lambda: requests.write({"state": "received"}))
abuse = requests[: TOTAL // 2]
_r, seconds, queries = timed(
    lambda: [r._add_billable_cause("abnormal_use", "Bench misuse") for r in abuse]
)
print(f"declared {len(abuse):,} abnormal-use causes in {seconds:.2f} s ({queries} q.)")
# Time is logged in the timesheets (hr_timesheet), by an employee.
if not env.user.employee_ids:
    env["hr.employee"].create({"name": "Bench technician", "user_id": env.user.id})
entry_values = [
    {
        "request_id": request.id,
        "user_id": env.user.id,
        "date": date(2026, 3, 20),
        "duration": duration,
        "kind": kind,
    }
    for request in requests
    for duration, kind in ((0.75, "remote"), (1.5, "onsite"))
]
_r, seconds, queries = timed(
    lambda: env["intervention.time.entry"].create(entry_values)
)
print(
    f"created {len(entry_values):,} time entries in {seconds:.2f} s "
    f"({queries / len(entry_values):.1f} queries/entry)"
)
env.invalidate_all()
invoices, seconds, queries = timed(lambda: requests._create_invoices(journal))
lines = invoices.invoice_line_ids.filtered(lambda line: line.display_type == "product")
print(
    f"invoiced {len(requests):,} requests into {len(invoices)} draft invoices and "
    f"{len(lines):,} lines in {seconds:.2f} s ({queries} queries)"
)
for invoice in invoices.sorted(lambda move: move.partner_id.name):
    print(
        f"  {invoice.partner_id.name}: {len(invoice.invoice_line_ids)} lines, "
        f"untaxed {invoice.amount_untaxed:,.2f} {invoice.currency_id.name}"
    )
print(f"  total untaxed: {sum(invoices.mapped('amount_untaxed')):,.2f}")
t0 = time.perf_counter()
try:
    requests._create_invoices(journal)
except Exception as error:  # noqa: BLE001 - the expected refusal is printed
    print(f"second run refused in {time.perf_counter() - t0:.2f} s: {error}")
env.cr.rollback()
