import ast

from odoo import fields, models


class InterventionTeam(models.Model):
    """A support team and its incoming mailbox (B1: the e-mail channel).

    Like ``project.project`` for tasks, a team is a ``mail.alias.mixin``: an
    e-mail to its alias (e.g. ``support@``) creates an intervention request
    through Odoo's mail gateway (``intervention.request.message_new``).

    Why a team rather than one alias on the company: a company often runs
    several mailboxes (the help desk, an on-call address, one per product
    line) that route to different domains and levels; a team carries these
    defaults for the requests it receives, and a company with a single
    mailbox simply has one team. The alias belongs to the team's company, so
    its domain is the company's alias domain.

    The team is the parent of its requests' ratings (``rating.parent.mixin``,
    as a project for its tasks): its average rating and share of satisfied
    clients show on its form.
    """

    _name = "intervention.team"
    _description = "Support Team"
    # rating.parent.mixin before mail.thread: both define ``rating_ids``; the
    # team's are its requests' ratings (parent), not ratings of the team.
    _inherit = ["mail.alias.mixin", "rating.parent.mixin", "mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        help="Followed the requests received by e-mail: notified of each new one.",
    )
    domain_id = fields.Many2one(
        "intervention.domain",
        string="Default Domain",
        check_company=True,
        help="Service domain given to the requests this team receives by e-mail.",
    )
    alias_id = fields.Many2one(
        help="Incoming address of the team: each e-mail sent to it opens an "
        "intervention request; replies to a request's e-mails go on that request."
    )
    request_ids = fields.One2many("intervention.request", "team_id", string="Requests")

    def action_open_ratings(self):
        """The rating analysis of the team's requests (smart button)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "intervention_request.intervention_rating_report_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Mail alias
    # ------------------------------------------------------------------
    def _alias_get_creation_values(self):
        """Aliases create requests of the team's company, channel e-mail."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("intervention.request").id
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults.update(team_id=self.id, company_id=self.company_id.id)
            if self.domain_id:
                defaults["domain_id"] = self.domain_id.id
            values["alias_defaults"] = defaults
        return values

    def write(self, vals):
        result = super().write(vals)
        if {"company_id", "domain_id"} & set(vals):
            # Keep the alias defaults in step with the team.
            for team in self:
                team.alias_id.sudo().write(
                    {
                        "alias_defaults": team._alias_get_creation_values()[
                            "alias_defaults"
                        ]
                    }
                )
        return result
