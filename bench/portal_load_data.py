# ruff: noqa: F821  (runs inside `odoo-bin shell`: env is given)
"""Data of the portal load benchmark (issue 19, point 3); run by
``portal_load_bench.sh``, not on its own.

One portal user (password ``bench``) whose company has ``BENCH_REQUESTS``
requests on one contract (Mon-Fri 9-18 with the French holidays, the bench
SLA policy, one site and one asset), spread over the last 190 days and
100 of them moved through the lifecycle as a desk would (a fifth left
new, a fifth received, taken in charge, resolved, closed), and as many peer
tickets (OCA ``helpdesk_mgmt``) of the same partner, on a team with SLA.
Writes the ids the load generator opens to ``BENCH_IDS_FILE`` (JSON)."""

import json
import os
import random
import sys
from datetime import datetime, timedelta

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_common import quiet_env, request_values, setup_contracts, timed_create

COUNT = int(os.environ.get("BENCH_REQUESTS", "5000"))
PAGES = 50  # request pages opened in turn by the load generator
MOVED = 100  # requests moved through the lifecycle
random.seed(19)
env = quiet_env(env)

calendars, _policy, contracts = setup_contracts(env)
contract, contact = contracts[0]
client = contract.partner_id
site = env["res.partner"].create(
    {"name": "Bench site", "parent_id": client.id, "type": "other"}
)
equipment = env["intervention.equipment"].create(
    {"name": "Bench server", "partner_id": client.id, "site_id": site.id}
)
user = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        {
            "name": contact.name,
            "login": "bench_portal",
            "password": "bench",
            "partner_id": contact.id,
            "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )
)
values = request_values(
    [(contract, contact)], COUNT, datetime.now() - timedelta(days=200), 60 * 24 * 190
)
for vals in values:
    vals.update(site_id=site.id, equipment_id=equipment.id)
requests, _secs, _queries = timed_create(env, values, 1000)
env.cr.commit()
# A sample through the lifecycle as the desk moves them (each move e-mails
# the client, hence a sample): the pages then show deadlines met or
# breached, a timeline and the resolution.
Request = env["intervention.request"]
ids = random.sample(requests.ids, min(MOVED, len(requests)))
fifth = len(ids) // 5


def resolve(batch):
    batch.write({"cause": "Faulty power supply", "resolution": "<p>Replaced.</p>"})
    batch.action_resolve()


steps = (
    lambda batch: batch.action_receive(),
    lambda batch: batch.action_qualify(),
    resolve,
    lambda batch: batch.action_close(),
)
for step, action in enumerate(steps, start=1):
    moved = ids[fifth * step :]
    for offset in range(0, len(moved), 500):
        action(Request.browse(moved[offset : offset + 500]))
        env.flush_all()
        env.invalidate_all()
    env.cr.commit()
states = dict(Request._read_group([("id", "in", requests.ids)], ["state"], ["__count"]))
print(f"requests: {len(requests):,} ({states})")

peer_ids = []
if "helpdesk.ticket" in env:
    team = env["helpdesk.ticket.team"].create(
        {"name": "Peer team", "use_sla": True, "resource_calendar_id": calendars[0].id}
    )
    env["helpdesk.sla"].create(
        [
            {"name": name, "team_ids": [(6, 0, team.ids)], "days": d, "hours": h}
            for name, d, h in (("take", 0, 3), ("workaround", 1, 0), ("fix", 5, 0))
        ]
    )
    Ticket = env["helpdesk.ticket"]
    for offset in range(0, COUNT, 1000):
        peer_ids += Ticket.create(
            [
                {
                    "name": "Bench request",
                    "description": "<p>Bench request</p>",
                    "team_id": team.id,
                    "partner_id": contact.id,
                }
                for _i in range(min(1000, COUNT - offset))
            ]
        ).ids
        env.flush_all()
        env.invalidate_all()
    # Four tickets in five moved on, over every stage.
    stages = env["helpdesk.ticket.stage"].search([])
    for index, stage in enumerate(stages):
        Ticket.browse(
            [t for i, t in enumerate(peer_ids) if i % 5 and i % len(stages) == index]
        ).stage_id = stage
    env.flush_all()
    print(f"peer tickets: {len(peer_ids):,}")
env.cr.commit()
with open(os.environ["BENCH_IDS_FILE"], "w", encoding="utf-8") as out:
    json.dump(
        {
            "ours": random.sample(requests.ids, PAGES),
            "peer": random.sample(peer_ids, PAGES) if peer_ids else [],
        },
        out,
    )
