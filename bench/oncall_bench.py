# ruff: noqa: F821  (runs inside `odoo-bin shell`: env is given)
"""On-call benchmark (issue 19, point 6): the rota, its coverage gaps and
the escalation of unanswered after-hours calls, with a year of data.

Run with: bench/run.sh oncall_bench.py
          (BENCH_AGENCIES=20 agencies, BENCH_DUE_CALLS=1000 calls due for
          escalation, BENCH_CLOSED_CALLS=100000 calls already done)

1. The rota wizard generates a year of weekly shifts from this week, for
   each agency a technicians' rotation (level 1) and a regional managers'
   one (level 2); then each agency's technicians' rota is generated again
   over the year, replacing the first one (the wizard's "replace").
2. A few shifts are deleted (a week here and there): those are the gaps.
   The gaps are computed over the year, the daily scheduled action stores
   them (60-day horizon, then a year), twice in a row (the second run finds
   nothing new), and the manager's list opens as the menu does: grouped by
   agency and week, groups unfolded, uncovered hours summed.
3. Calls: ``BENCH_DUE_CALLS`` open after-hours calls whose person on duty
   has not answered in time, as many open calls not due yet, among
   ``BENCH_CLOSED_CALLS`` / 10 then ``BENCH_CLOSED_CALLS`` calls done. The
   escalation scheduled action runs until nothing is due, twice (technician
   -> on-call manager, then -> general management), at both sizes: the same
   due rows, ten times the table, so the cost is seen to follow the due rows.

Each line prints the records, seconds, SQL queries and queries per record.
The scheduled actions run as the scheduler runs them: chatter on (tracking,
activities, notifications), batches of their default size, a commit per batch.
The peer (OCA helpdesk_mgmt_sla) has no on-call rota, gaps or after-hours
calls: there is nothing of it to run side by side.
"""

import os
import sys
import time
from datetime import timedelta

from odoo import fields, sql_db
from odoo.tools import SQL

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import (
    add_french_holidays,
    make_oncall_agencies,
    make_open_calls,
    quiet_env,
)

AGENCIES = int(os.environ.get("BENCH_AGENCIES", "20"))
DUE_CALLS = int(os.environ.get("BENCH_DUE_CALLS", "1000"))
CLOSED_CALLS = int(os.environ.get("BENCH_CLOSED_CALLS", "100000"))
WEEKS = 52
cron_env = env  # the scheduler's environment: chatter on
env = quiet_env(env)  # data set-up only
cr = env.cr


def timed(function):
    """(result, seconds, queries) of ``function()``, flush included."""
    queries, start = sql_db.sql_counter, time.perf_counter()
    result = function()
    env.flush_all()
    return result, time.perf_counter() - start, sql_db.sql_counter - queries


def report(label, rows, secs, queries, unit="row"):
    per = f"{queries / rows:.1f} queries/{unit}" if rows else "-"
    units = unit[:-1] + "ies" if unit.endswith("y") else unit + "s"
    print(f"  {label}: {rows:,} {units}, {secs:.2f} s, {queries:,} queries ({per})")


# ----------------------------------------------------------------------
# Agencies and people
# ----------------------------------------------------------------------
add_french_holidays(env)
users, agencies = make_oncall_agencies(env, AGENCIES, windows=True)
cr.commit()
today = fields.Date.context_today(env["res.users"])
monday = today - timedelta(days=today.weekday())
year_end = monday + timedelta(weeks=WEEKS)
print("\n=== On-call benchmark ===")
print(
    f"{AGENCIES} agencies (evenings 18-22 on business days, day duty 8-20 on "
    f"weekends and public holidays), rota from {monday} to {year_end}"
)
print(
    "Peer (OCA helpdesk_mgmt_sla): no on-call rota, coverage gaps or after-hours "
    "calls; nothing to run side by side."
)


# ----------------------------------------------------------------------
# 1. Rota wizard
# ----------------------------------------------------------------------
def generate(level, people_of, replace=True):
    Wizard = cron_env["intervention.oncall.rota.wizard"]
    for index, agency in enumerate(agencies):
        Wizard.create(
            {
                "agency_id": agency.id,
                "level": level,
                "user_ids": [(6, 0, people_of(index).ids)],
                "date_from": monday,
                "date_to": year_end,
                "replace": replace,
            }
        ).action_generate()


def technicians(index):
    return users[index * 5 : index * 5 + 3]


def regional(index):
    return users[index * 5 + 3 : index * 5 + 5]


Shift = env["intervention.oncall.shift"]
print("\n1. Rota wizard (a year of weekly shifts per agency and level)")
_r, secs, queries = timed(lambda: generate("1", technicians))
_r, secs2, queries2 = timed(lambda: generate("2", regional))
shifts = Shift.search_count([])
report("generate, empty rota", shifts, secs + secs2, queries + queries2, "shift")
cr.commit()
_r, secs, queries = timed(lambda: generate("1", lambda i: technicians(i)[::-1]))
replaced = Shift.search_count([("level", "=", "1")])
report(
    "generate again, replacing the technicians' year", replaced, secs, queries, "shift"
)
cr.commit()

# A few holes: a technicians' week in summer for every fourth agency, a
# regional managers' week in winter for every seventh.
holes = Shift.browse()
for index, agency in enumerate(agencies):
    agency_shifts = Shift.search([("agency_id", "=", agency.id)], order="date_start")
    if index % 4 == 0:
        holes |= agency_shifts.filtered(lambda s: s.level == "1")[30]
    if index % 7 == 3:
        holes |= agency_shifts.filtered(lambda s: s.level == "2")[8]
holes.unlink()
cr.commit()
print(f"  then {len(holes)} weekly shifts deleted: the gaps of the year")

# ----------------------------------------------------------------------
# 2. Coverage gaps
# ----------------------------------------------------------------------
Gap = cron_env["intervention.oncall.gap"]
print("\n2. Coverage gaps")
found, secs, queries = timed(
    lambda: sum(
        len(Gap._compute_agency_gaps(agency, today, today + timedelta(days=364)))
        for agency in agencies
    )
)
report(f"gaps over a year, computed ({found} gaps)", AGENCIES, secs, queries, "agency")
env.invalidate_all()
for horizon in (60, 365):
    for run in ("first run", "second run"):
        before = Gap.search_count([])
        _r, secs, queries = timed(lambda h=horizon: Gap._cron_detect_gaps(h))
        env.invalidate_all()
        stored = Gap.search_count([])
        report(
            f"scheduled action, {horizon}-day horizon, {run} "
            f"({stored - before:+d} gaps, {stored} stored)",
            AGENCIES,
            secs,
            queries,
            "agency",
        )

list_fields = {
    name: {}
    for name in (
        "agency_id",
        "level",
        "date_start",
        "date_end",
        "duration",
        "window_id",
    )
}
list_fields["agency_id"] = {"fields": {"display_name": {}}}
list_fields["window_id"] = {"fields": {"display_name": {}}}


def open_gap_list():
    env.invalidate_all()
    return Gap.web_read_group(
        [],
        ["agency_id", "date_start:week"],
        ["duration:sum"],
        auto_unfold=True,
        unfold_read_specification=list_fields,
    )


groups, secs, queries = timed(open_gap_list)
rows = Gap.search_count([])
print(
    f"  gap list as the menu opens it (grouped by agency and week, "
    f"{groups['length']} agency groups, hours summed): {secs:.2f} s, {queries} "
    f"queries for {rows} gaps"
)
counts, secs, queries = timed(
    lambda: (env.invalidate_all(), sum(agencies.mapped("gap_count")))[1]
)
print(
    f"  gap count of every agency (agency list): {counts} gaps, {secs:.2f} s, "
    f"{queries} queries"
)
cr.commit()

# ----------------------------------------------------------------------
# 3. Call escalation
# ----------------------------------------------------------------------
Call = cron_env["intervention.oncall.call"]
client = env["res.partner"].create({"name": "Bench client", "is_company": True})


def add_closed_calls(first, last):
    """Calls already handled (routed, reached): never due again."""
    cr.execute(
        """INSERT INTO intervention_oncall_call (name, company_id, state,
               date_call, partner_id, agency_id, outcome, escalation_level,
               is_reached, summary_sent, create_uid, write_uid, create_date,
               write_date)
           SELECT 'DONE/' || n, %(company)s, 'done',
                  %(now)s - (n %% 50000) * interval '10 minutes', %(client)s,
                  (%(agencies)s)[1 + n %% %(agency_count)s], 'call_technician',
                  'none', true, true, 1, 1, %(now)s, %(now)s
           FROM generate_series(%(first)s, %(last)s) n""",
        {
            "company": env.company.id,
            "now": fields.Datetime.now(),
            "client": client.id,
            "agencies": agencies.ids,
            "agency_count": AGENCIES,
            "first": first,
            "last": last,
        },
    )


def add_open_calls(count, due):
    """Open after-hours calls routed to the technician on duty: ``due`` ones
    unanswered past their escalation delay, the others not yet."""
    return make_open_calls(env, agencies, client, count, due)


def due_domain():
    return [
        ("state", "=", "open"),
        ("date_next_escalation", "<=", fields.Datetime.now()),
    ]


def escalate_all():
    """Run the scheduled action as the scheduler re-runs it while rows
    remain: (seconds, queries, runs), the due count between runs left out."""
    secs = queries = runs = 0
    while Call.search_count(due_domain()):
        _r, run_secs, run_queries = timed(Call._cron_escalate_unanswered)
        env.invalidate_all()
        secs, queries, runs = secs + run_secs, queries + run_queries, runs + 1
    return secs, queries, runs


def search_plan():
    query = Call._search(due_domain(), order="date_next_escalation", limit=100)
    cr.execute(SQL("EXPLAIN %s", query.select()))
    plan = " ".join(row[0] for row in cr.fetchall())
    return "partial index" if "escalation_due_idx" in plan else "sequential scan"


print("\n3. Escalation of unanswered after-hours calls (every 5 minutes)")
closed = 0
for size in (CLOSED_CALLS // 10, CLOSED_CALLS):
    add_closed_calls(closed + 1, size)
    closed = size
    due_calls = add_open_calls(DUE_CALLS, due=True)
    add_open_calls(DUE_CALLS, due=False)
    cr.commit()
    cr.execute("ANALYZE intervention_oncall_call")
    total = Call.search_count([])
    print(
        f"  {total:,} calls: {closed:,} done, {DUE_CALLS:,} open not due, "
        f"{DUE_CALLS:,} due (search: {search_plan()})"
    )
    secs, queries, runs = escalate_all()
    env.invalidate_all()
    managers = due_calls.filtered(lambda c: c.escalation_level == "manager")
    report(
        f"technician -> on-call manager ({len(managers):,} escalated, {runs} runs)",
        DUE_CALLS,
        secs,
        queries,
        "due call",
    )
    cr.execute(
        "UPDATE intervention_oncall_call SET date_next_escalation = %s"
        " WHERE id = ANY(%s)",
        [fields.Datetime.now() - timedelta(minutes=1), due_calls.ids],
    )
    cr.commit()
    env.invalidate_all()
    secs, queries, runs = escalate_all()
    env.invalidate_all()
    general = due_calls.filtered(lambda c: c.escalation_level == "general")
    report(
        f"on-call manager -> general management ({len(general):,} escalated, "
        f"{runs} runs)",
        DUE_CALLS,
        secs,
        queries,
        "due call",
    )
    activities = env["mail.activity"].search_count(
        [
            ("res_model", "=", "intervention.oncall.call"),
            ("res_id", "in", due_calls.ids),
        ]
    )
    print(f"    ({activities:,} activities on the due calls)")
    cr.commit()
