from odoo import fields, models
from odoo.tools import SQL

from ..models.intervention_domain import SUPPORT_LEVELS
from ..models.intervention_request_sla import SLA_STATUSES
from ..models.intervention_sla_policy_line import TARGET_TYPES
from ..models.request_lifecycle import CHANNELS, PRIORITIES, SEVERITIES
from .report_view import create_report_view


class InterventionSlaReport(models.Model):
    """SLA compliance analysis (I2): one row per SLA target of a request,
    with the request's month, severity, team (support level, domain,
    assignee) and client. Counts add up; compliance and times are averages
    over the rows where they apply (NULL elsewhere, which AVG skips)."""

    _name = "intervention.sla.report"
    _description = "SLA Analysis"
    _auto = False
    _order = "date_received desc"
    _rec_name = "request_id"

    request_id = fields.Many2one("intervention.request", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_received = fields.Datetime(string="Received On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    contract_id = fields.Many2one("intervention.contract", readonly=True)
    severity = fields.Selection(
        SEVERITIES,
        readonly=True,
    )
    priority = fields.Selection(
        PRIORITIES,
        readonly=True,
    )
    channel = fields.Selection(
        CHANNELS,
        readonly=True,
    )
    support_level = fields.Selection(SUPPORT_LEVELS, string="Team", readonly=True)
    domain_id = fields.Many2one(
        "intervention.domain", string="Service Domain", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    target_type = fields.Selection(TARGET_TYPES, string="Target", readonly=True)
    status = fields.Selection(SLA_STATUSES, readonly=True)
    target_count = fields.Integer(string="Targets", readonly=True)
    met_count = fields.Integer(string="Met", readonly=True)
    breached_count = fields.Integer(string="Breached", readonly=True)
    pending_count = fields.Integer(
        string="Pending", readonly=True, help="Running, at risk or paused."
    )
    compliance_rate = fields.Float(
        string="Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the targets met among those met or breached.",
    )
    take_in_charge_hours = fields.Float(
        string="Take in Charge (business hours)",
        readonly=True,
        aggregator="avg",
        help="Average business hours from reception to taking in charge, freezes "
        "excluded, over the requests taken in charge.",
    )
    resolution_hours = fields.Float(
        string="Resolution (business hours)",
        readonly=True,
        aggregator="avg",
        help="Average business hours from reception to resolution, freezes "
        "excluded, over the resolved requests with a resolution target.",
    )

    def _query(self):
        reached = SQL(
            "sla.date_reached IS NOT NULL AND sla.status IN ('met', 'breached')"
        )
        return SQL(
            """
            SELECT sla.id AS id,
                   sla.request_id AS request_id,
                   req.company_id AS company_id,
                   req.date_received AS date_received,
                   req.partner_id AS partner_id,
                   req.contract_id AS contract_id,
                   req.severity AS severity,
                   req.priority AS priority,
                   req.channel AS channel,
                   req.support_level AS support_level,
                   req.domain_id AS domain_id,
                   req.user_id AS user_id,
                   sla.target_type AS target_type,
                   sla.status AS status,
                   1 AS target_count,
                   (sla.status = 'met')::int AS met_count,
                   (sla.status = 'breached')::int AS breached_count,
                   (sla.status IN ('running', 'at_risk', 'paused'))::int
                       AS pending_count,
                   CASE WHEN sla.status = 'met' THEN 100.0
                        WHEN sla.status = 'breached' THEN 0.0 END
                       AS compliance_rate,
                   CASE WHEN sla.target_type = 'take_in_charge' AND %(reached)s
                        THEN sla.business_hours_used END AS take_in_charge_hours,
                   CASE WHEN sla.target_type = 'resolution' AND %(reached)s
                        THEN sla.business_hours_used END AS resolution_hours
              FROM intervention_request_sla sla
              JOIN intervention_request req ON req.id = sla.request_id
             WHERE sla.status NOT IN ('no_target', 'cancelled')
            """,
            reached=reached,
        )

    def init(self):
        create_report_view(self)
