from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.rating.models import rating_data

from ..models.request_lifecycle import SEVERITIES
from .report_view import create_report_view


class InterventionRatingReport(models.Model):
    """Client ratings analysis (B7, seed 002 "Suivi qualité"): one row per
    rating a client gave a request (``rating.rating`` of the request, filled
    in), with the request's team, contract, client, assignee and severity
    read live from the request. Averages by team, contract and month of the
    rating come from grouping the rows; the satisfaction is the share of
    "satisfied" ratings (4 or 5 out of 5, Odoo's "great" grade)."""

    _name = "intervention.rating.report"
    _description = "Client Ratings Analysis"
    _auto = False
    _order = "rated_on desc"
    _rec_name = "request_id"
    # Flushed before the view is read, so it shows what was just rated.
    _depends = {
        "rating.rating": [
            "res_model",
            "res_id",
            "consumed",
            "rating",
            "rating_text",
            "feedback",
            "rated_on",
            "partner_id",
        ],
        "intervention.request": [
            "company_id",
            "date_resolved",
            "partner_id",
            "team_id",
            "contract_id",
            "user_id",
            "severity",
        ],
    }

    request_id = fields.Many2one("intervention.request", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    rated_on = fields.Datetime(readonly=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    rater_id = fields.Many2one("res.partner", string="Rated By", readonly=True)
    team_id = fields.Many2one("intervention.team", readonly=True)
    contract_id = fields.Many2one("intervention.contract", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    severity = fields.Selection(
        SEVERITIES,
        readonly=True,
    )
    rating = fields.Float(
        string="Average Rating (1-5)", readonly=True, aggregator="avg"
    )
    rating_text = fields.Selection(
        rating_data.RATING_TEXT, string="Rating", readonly=True
    )
    satisfaction_rate = fields.Float(
        string="Satisfied (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the ratings that are satisfied (4 or 5 out of 5).",
    )
    rating_count = fields.Integer(string="Ratings", readonly=True)
    feedback = fields.Text(string="Remarks", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT rat.id AS id,
                   req.id AS request_id,
                   req.company_id AS company_id,
                   COALESCE(rat.rated_on, rat.write_date) AS rated_on,
                   req.date_resolved AS date_resolved,
                   req.partner_id AS partner_id,
                   rat.partner_id AS rater_id,
                   req.team_id AS team_id,
                   req.contract_id AS contract_id,
                   req.user_id AS user_id,
                   req.severity AS severity,
                   rat.rating AS rating,
                   rat.rating_text AS rating_text,
                   CASE WHEN rat.rating >= %(satisfied)s THEN 100.0 ELSE 0.0 END
                       AS satisfaction_rate,
                   1 AS rating_count,
                   rat.feedback AS feedback
              FROM rating_rating rat
              JOIN intervention_request req ON req.id = rat.res_id
             WHERE rat.res_model = 'intervention.request'
               AND rat.consumed
               AND rat.rating >= %(minimum)s
            """,
            satisfied=rating_data.RATING_LIMIT_SATISFIED,
            minimum=rating_data.RATING_LIMIT_MIN,
        )

    def init(self):
        create_report_view(self)

    def action_open_request(self):
        """The rated request, from a row of the analysis."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "intervention.request",
            "res_id": self.request_id.id,
            "views": [[False, "form"]],
        }
