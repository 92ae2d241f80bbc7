"""19.0.1.2.0: time entries become Odoo timesheet lines (hr_timesheet).

Each existing time entry gets its timesheet line, on the Interventions
project of its request's company, for the employee of its technician (an
employee is created for a technician who has none), with the date, duration
and description the entry had; the line's cost follows the employee's
hourly cost. The entry then delegates those fields to the line; its old
columns stay in the table, unused (Odoo keeps the column of a field that is
no longer stored). Tried on a 19.0.1.1.0 demo database: 4 entries moved,
durations, quantities, prices and the invoiced entry's link unchanged.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version or not column_exists(cr, "intervention_time_entry", "duration"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        SELECT entry.id, entry.request_id, req.company_id, req.partner_id,
               entry.user_id, entry.date, entry.duration, entry.description
          FROM intervention_time_entry entry
          JOIN intervention_request req ON req.id = entry.request_id
         WHERE entry.timesheet_id IS NULL
         ORDER BY entry.id
        """
    )
    rows = cr.fetchall()
    if not rows:
        return
    employees = _employees_by_user(env, {(row[4], row[2]) for row in rows})
    projects = {
        company_id: env["res.company"].browse(company_id)._get_intervention_project()
        for company_id in {row[2] for row in rows}
    }
    timesheets = (
        env["account.analytic.line"]
        .with_context(intervention_time_entry_sync=True)
        .create(
            [
                {
                    "name": description or "/",
                    "date": day,
                    "unit_amount": duration,
                    "project_id": projects[company_id].id,
                    "employee_id": employees[user_id, company_id].id,
                    "intervention_request_id": request_id,
                    "partner_id": partner_id,
                }
                for (
                    _id,
                    request_id,
                    company_id,
                    partner_id,
                    user_id,
                    day,
                    duration,
                    description,
                ) in rows
            ]
        )
    )
    Entry = env["intervention.time.entry"].with_context(
        intervention_time_entry_sync=True
    )
    # Through the ORM, so that the quantities that follow the duration are
    # recomputed from the timesheet lines.
    for row, timesheet in zip(rows, timesheets, strict=True):
        Entry.browse(row[0]).write({"timesheet_id": timesheet.id})
    env.flush_all()
    _logger.info("Moved %s time entries to timesheet lines", len(rows))


def _employees_by_user(env, user_companies):
    """{(user id, company id): active employee}, creating the missing ones
    (timesheets take active employees only)."""
    Employee = env["hr.employee"]
    result = {}
    for user_id, company_id in user_companies:
        employee = Employee.search(
            [("user_id", "=", user_id), ("company_id", "=", company_id)], limit=1
        )
        if not employee:
            user = env["res.users"].browse(user_id)
            employee = Employee.create(
                {"name": user.name, "user_id": user_id, "company_id": company_id}
            )
            _logger.info("Created the employee of %s to log their time", user.name)
        result[user_id, company_id] = employee
    return result
