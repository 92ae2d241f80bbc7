from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from odoo.addons.rating.models import rating_data

TEMPLATE_RATING = "intervention_request.mail_template_request_rating"
SUBTYPE_RATING = "intervention_request.mt_request_rating"
# The three faces of Odoo's rating (the e-mail's links and the portal's form).
RATING_VALUES = (
    rating_data.RATING_HAPPY_VALUE,
    rating_data.RATING_NEUTRAL_VALUE,
    rating_data.RATING_UNHAPPY_VALUE,
)
# States in which a request may be rated, within the window (B7).
RATEABLE_STATES = ("resolved", "closed")


class InterventionRequestRatingMixin(models.AbstractModel):
    """The client's rating of a resolved request (B7) through Odoo's
    ``rating.mixin``.

    - On resolution the requester is sent a rating request
      (``rating_send_request``): an e-mail whose faces link to Odoo's
      ``/rate/<token>/<rate>`` page, where the client confirms and adds
      remarks. The portal page of the request offers the same faces.
    - The ratings are ``rating.rating`` records of the request: the mixin's
      fields (last rating, remarks, average) show on the form, each rating
      is posted in the chatter, and the team is the ratings' parent
      (``rating.parent.mixin`` on ``intervention.team``).
    - Window (seed 002: "8 days to tell us your remarks"): a rating is
      accepted while the request is resolved or closed, up to the company's
      feedback window after its resolution (or closure). ``rating_apply``
      refuses it afterwards, whichever way it comes (e-mail link, portal,
      RPC), with the date the window closed.
    - A rating is posted under its own subtype, never as a client answer: a
      client message on a resolved request would reopen it.
    """

    _name = "intervention.request.rating.mixin"
    _description = "Request Client Rating"
    # rating.mixin derives from mail.thread: this concern comes before
    # mail.thread in the request's ``_inherit``, so its fields win.
    _inherit = ["rating.mixin"]

    # Precomputed, so that the value ``create`` gives is kept: a stored
    # computed field that is not is recomputed after the INSERT anyway.
    rating_last_value = fields.Float(
        compute="_compute_rating_last_value", store=True, precompute=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A new request has no rating yet: its last rating is 0, given
        rather than computed by ``rating.mixin`` (a query on the ratings
        for each request created, a single intake's included)."""
        for vals in vals_list:
            vals.setdefault("rating_last_value", 0.0)
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Rating configuration (rating.mixin hooks)
    # ------------------------------------------------------------------
    def _rating_get_partner(self):
        """The requester rates; without one, the client company."""
        return self.requester_id or self.partner_id or super()._rating_get_partner()

    def _rating_get_parent_field_name(self):
        return "team_id"

    def _rating_apply_get_default_subtype_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id(SUBTYPE_RATING)

    # ------------------------------------------------------------------
    # Window (B7)
    # ------------------------------------------------------------------
    def _rating_deadline(self):
        """Last instant the client may rate: the company's feedback window
        after the resolution (or the closure of a request closed without
        one); False while the request is not resolved or closed."""
        self.ensure_one()
        if self.state not in RATEABLE_STATES:
            return False
        start = self.date_resolved or self.date_closed
        days = self.company_id.intervention_feedback_days
        return start and start + timedelta(days=days)

    def _rating_refusal(self, now=None):
        """Why the client may not rate the request now, or None."""
        self.ensure_one()
        deadline = self._rating_deadline()
        if not deadline:
            return self.env._(
                "%(request)s is not resolved: you can rate it once it is.",
                request=self.name,
            )
        if (now or fields.Datetime.now()) > deadline:
            return self.env._(
                "The rating of %(request)s was open for %(days)s days after its "
                "resolution and closed on %(date)s: it can no longer be rated. Please "
                "contact us to share your remarks.",
                request=self.name,
                days=self.company_id.intervention_feedback_days,
                date=format_datetime(self.env, deadline, tz=self._rating_tz()),
            )
        return None

    def _rating_can_rate(self, now=None):
        self.ensure_one()
        return not self._rating_refusal(now)

    def _rating_tz(self):
        return (
            self.requester_id.tz
            or self.contract_id.resource_calendar_id.tz
            or self.env.user.tz
            or "UTC"
        )

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        """Refuse a rating outside the window (B7), whichever way it comes."""
        self.ensure_one()
        refusal = self._rating_refusal()
        if refusal:
            raise UserError(refusal)
        return super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )

    # ------------------------------------------------------------------
    # Rating request on resolution
    # ------------------------------------------------------------------
    def _transition_rating(self, target, previous, when):
        """Resolving a request sends the requester the rating request."""
        if target == "resolved":
            self._send_rating_request()

    def _send_rating_request(self):
        """E-mail the requester the rating request with its links, in the
        requester's language, through the mail queue. Archiving the template
        stops the requests."""
        template = self.env.ref(TEMPLATE_RATING, raise_if_not_found=False)
        if not template or not template.active:
            return
        for request in self.filtered(lambda r: r._rating_get_partner().email):
            request.rating_send_request(
                template, lang=request._rating_get_partner().lang, force_send=False
            )

    def _rating_mine(self, partner):
        """The rating ``partner`` gave this request (the latest), if any."""
        self.ensure_one()
        return (
            self.sudo()
            .rating_ids.filtered(lambda r: r.consumed and r.partner_id == partner)
            .sorted("rated_on", reverse=True)[:1]
        )

    def _rating_portal_rater(self):
        """Who rates from the portal page: the signed-in client, or the
        requester when the page is opened from an e-mail's link."""
        self.ensure_one()
        if self.env.user._is_public():
            return self._rating_get_partner()
        return self.env.user.partner_id

    def _portal_rate(self, rate, remark=""):
        """B7 from the portal page: the client's rating (one of Odoo's three
        faces) and remarks, recorded as ``rating.rating``. Rating again
        within the window changes the client's rating, as Odoo's e-mail page
        does; another contact of the client gives a rating of their own."""
        self.ensure_one()
        remark = (remark or "").strip()
        self._portal_check_note(remark)
        try:
            rate = int(rate)
        except (TypeError, ValueError):
            rate = 0
        if rate not in RATING_VALUES:
            raise UserError(self.env._("Choose how satisfied you are."))
        refusal = self._rating_refusal()
        if refusal:
            raise UserError(refusal)
        partner = self._rating_portal_rater()
        rating = self._rating_mine(partner)
        if not rating:
            token = self.sudo()._rating_get_access_token(partner=partner)
            rating = (
                self.env["rating.rating"]
                .sudo()
                .search([("access_token", "=", token)], limit=1)
            )
        self.sudo().rating_apply(rate, rating=rating, feedback=remark or False)
        return True

    def action_open_ratings(self):
        """The ratings of the request (smart button)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "intervention_request.rating_rating_action_request"
        )
        action["domain"] = [
            ("res_model", "=", self._name),
            ("res_id", "=", self.id),
            ("consumed", "=", True),
        ]
        return action

    def _portal_rating_values(self):
        """What the portal page shows of the ratings (B7): the ratings given,
        the current client's own (pre-selected in the form), the form while
        the window is open, and its end."""
        self.ensure_one()
        given = self.sudo().rating_ids.filtered("consumed")
        return {
            "can_rate": self._rating_can_rate(),
            "rating_deadline": self._rating_deadline(),
            "ratings_given": given.sorted("rated_on", reverse=True),
            "my_rating": self._rating_mine(self._rating_portal_rater()),
            "rating_faces": [
                (rating_data.RATING_HAPPY_VALUE, self.env._("Satisfied")),
                (rating_data.RATING_NEUTRAL_VALUE, self.env._("Neutral")),
                (rating_data.RATING_UNHAPPY_VALUE, self.env._("Dissatisfied")),
            ],
        }
