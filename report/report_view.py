from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists


def create_report_view(report):
    """(Re)create the SQL view of ``report``, a model with ``_auto = False``,
    from the query its ``_query()`` returns."""
    drop_view_if_exists(report.env.cr, report._table)
    report.env.cr.execute(
        SQL(
            "CREATE OR REPLACE VIEW %s AS (%s)",
            SQL.identifier(report._table),
            report._query(),
        )
    )
