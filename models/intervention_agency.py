from datetime import datetime, time, timedelta

from pytz import timezone

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime, plaintext2html

from ..tools import business_time

# Gaps listed in the manager's activity; the rest are in the gap list.
GAPS_LISTED = 10


class InterventionAgency(models.Model):
    """A local agency: contact details, on-call phones, on-call windows per
    type (weekday evenings, weekend / public-holiday day duty) and the rota of
    its on-call shifts (E1, E2). Its working calendar says which days are
    business days (public holidays included) and gives the time zone."""

    _name = "intervention.agency"
    _description = "Agency"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(string="Agency Number", help="Internal agency number (CIA).")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    phone = fields.Char()
    fax = fields.Char()
    email = fields.Char(help="Receives the summary of each after-hours call (E4).")
    zip_prefixes = fields.Char(
        string="Postcodes Served",
        help="Postcodes (or their first digits) of the addresses the agency serves, "
        "comma separated, e.g. '74, 73200'. Finds the agency of a caller whose "
        "contract names none (safety emergencies of any client).",
    )
    oncall_phones = fields.Char(
        string="On-call Phones",
        help="Mobile phone number(s) of the agency's on-call duty, comma separated.",
    )
    regional_direction = fields.Char(help="Name of the regional direction.")
    regional_direction_email = fields.Char(
        help="Notified of safety emergencies (gas leak, fire, explosion, intoxication)."
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Agency Manager",
        help="Receives the coverage gaps of the rota as activities.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business Hours",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Business days and hours (with public holidays) and time zone of the "
        "agency: evening windows apply on business days, day-duty windows on "
        "the other days.",
    )
    window_ids = fields.One2many(
        "intervention.agency.window", "agency_id", string="On-call Windows"
    )
    shift_ids = fields.One2many(
        "intervention.oncall.shift", "agency_id", string="On-call Shifts"
    )
    gap_count = fields.Integer(string="Coverage Gaps", compute="_compute_gap_count")
    unreachable_threshold = fields.Integer(
        string="Unreachable Alert After",
        default=2,
        help="Consecutive unanswered attempts on the technician within one "
        "on-call shift after which the regional on-call manager is alerted.",
    )
    escalation_delay = fields.Integer(
        string="Escalation Delay (minutes)",
        default=30,
        help="Without an answer from the technician this many minutes after a "
        "call is due, the on-call manager is alerted; again without an answer, "
        "the general management (D3).",
    )

    _unreachable_threshold_positive = models.Constraint(
        "CHECK(unreachable_threshold > 0)",
        "The unreachable alert threshold must be at least one attempt.",
    )
    _escalation_delay_positive = models.Constraint(
        "CHECK(escalation_delay > 0)",
        "The escalation delay must be at least one minute.",
    )

    def _compute_gap_count(self):
        counts = dict(
            self.env["intervention.oncall.gap"]._read_group(
                [("agency_id", "in", self.ids)], ["agency_id"], ["__count"]
            )
        )
        for agency in self:
            agency.gap_count = counts.get(agency, 0)

    def action_view_gaps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "intervention_request.intervention_oncall_gap_action"
        )
        action["domain"] = [("agency_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Days and windows
    # ------------------------------------------------------------------
    @property
    def _tz(self):
        return timezone(self.resource_calendar_id.tz or "UTC")

    def _local(self, when):
        """``when`` (naive UTC or aware) in the agency's time zone."""
        return business_time.to_aware_utc(when).astimezone(self._tz)

    def _business_days(self, first_day, last_day):
        """Local dates between the two days (included) that are business days
        of the agency's calendar (public holidays excluded)."""
        self.ensure_one()
        start = self._tz.localize(datetime.combine(first_day, time.min))
        stop = self._tz.localize(
            datetime.combine(last_day + timedelta(days=1), time.min)
        )
        timeline = self.resource_calendar_id._intervention_timeline(start, stop)
        return set(timeline.working_days)

    def _is_business_day(self, day):
        return day in self._business_days(day, day)

    def _window_intervals(self, first_day, last_day):
        """On-call windows from ``first_day`` to ``last_day`` (local dates,
        included) as sorted ``(start, stop, window)`` with aware UTC bounds.

        Evening windows apply on business days, day-duty windows on weekends
        and public holidays. A window whose end hour is not after its start
        hour runs past midnight.
        """
        self.ensure_one()
        business_days = self._business_days(first_day, last_day)
        intervals = []
        day = first_day
        while day <= last_day:
            kind = "evening" if day in business_days else "day_duty"
            for window in self.window_ids.filtered(
                lambda w, k=kind: w.oncall_type == k
            ):
                intervals.append((*window._bounds(day, self._tz), window))
            day += timedelta(days=1)
        return sorted(intervals, key=lambda item: item[0])

    def _window_at(self, when):
        """The on-call window covering ``when``, or an empty recordset."""
        self.ensure_one()
        instant = business_time.to_aware_utc(when)
        day = self._local(instant).date()
        for start, stop, window in self._window_intervals(day - timedelta(days=1), day):
            if start <= instant < stop:
                return window
        return self.env["intervention.agency.window"]

    def _next_day_duty_start(self, when):
        """Start of the next day-duty window after ``when`` when the next
        local day is a day-duty day (weekend, public holiday), else None:
        the evening before a day-duty day the technician is called the next
        morning (seed 001 §5.2)."""
        self.ensure_one()
        tomorrow = self._local(when).date() + timedelta(days=1)
        if self._is_business_day(tomorrow):
            return None
        windows = [
            start
            for start, _stop, window in self._window_intervals(tomorrow, tomorrow)
            if window.oncall_type == "day_duty"
        ]
        return min(windows) if windows else None

    def _next_business_opening(self, when):
        """The next business opening of the agency at or after ``when``."""
        self.ensure_one()
        start = business_time.to_aware_utc(when)
        return self.resource_calendar_id._intervention_compute(
            start, lambda timeline: timeline.next_opening(start), days=31
        )

    def _next_morning(self, when):
        """The first on-call window or business opening after ``when``, on a
        later local day: "call the technician next morning"."""
        self.ensure_one()
        tomorrow = self._local(when).date() + timedelta(days=1)
        midnight = self._tz.localize(datetime.combine(tomorrow, time.min))
        candidates = [self._next_business_opening(midnight)]
        candidates += [
            start
            for start, _stop, _window in self._window_intervals(tomorrow, tomorrow)
            if start >= midnight
        ]
        return min(candidates)

    # ------------------------------------------------------------------
    # Area served
    # ------------------------------------------------------------------
    @api.model
    def _find_for_address(self, *partners):
        """The agency serving the first of ``partners`` (site, then client)
        whose address gives exactly one: the longest matching postcode
        prefix, else the same city. Empty when none or several match."""
        agencies = self.search([("company_id", "in", self.env.companies.ids)])
        for partner in partners:
            partner = partner._origin if partner else partner
            if not partner:
                continue
            found = agencies._match_zip(partner.zip) or agencies._match_city(
                partner.city
            )
            if len(found) == 1:
                return found
        return self.browse()

    def _match_zip(self, zip_code):
        zip_code = (zip_code or "").replace(" ", "")
        best, length = self.browse(), 0
        for agency in self:
            for prefix in (agency.zip_prefixes or "").split(","):
                prefix = prefix.strip().replace(" ", "")
                if not prefix or not zip_code.startswith(prefix):
                    continue
                if len(prefix) > length:
                    best, length = agency, len(prefix)
                elif len(prefix) == length:
                    best |= agency
        return best

    def _match_city(self, city):
        city = (city or "").strip().casefold()
        return self.filtered(
            lambda agency: city and (agency.city or "").strip().casefold() == city
        )

    # ------------------------------------------------------------------
    # Rota
    # ------------------------------------------------------------------
    def _shift_at(self, level, when):
        """The shift of ``level`` ("1" technician, "2" regional manager) on
        duty at ``when``: its start is inside, its end is not."""
        self.ensure_one()
        instant = business_time.to_naive_utc(business_time.to_aware_utc(when))
        return self.env["intervention.oncall.shift"].search(
            [
                ("agency_id", "=", self.id),
                ("level", "=", level),
                ("date_start", "<=", instant),
                ("date_end", ">", instant),
            ],
            limit=1,
        )

    def _notify_coverage_gaps(self, gaps):
        """Tell the agency manager (else the intervention managers) about new
        coverage gaps: one activity listing them."""
        self.ensure_one()
        users = self.manager_id or self.env.ref(
            "intervention_request.group_intervention_manager"
        ).all_user_ids.filtered(lambda u: self.company_id in u.company_ids and u.active)
        tz = self.resource_calendar_id.tz
        levels = dict(gaps._fields["level"]._description_selection(self.env))
        lines = "\n".join(
            f"- {levels[gap.level]}: "
            f"{format_datetime(self.env, gap.date_start, tz=tz)} - "
            f"{format_datetime(self.env, gap.date_end, tz=tz)}"
            for gap in gaps[:GAPS_LISTED]
        )
        if len(gaps) > GAPS_LISTED:
            lines += "\n" + self.env._(
                "... and %(count)s more (On-call > Coverage Gaps).",
                count=len(gaps) - GAPS_LISTED,
            )
        note = self.env._(
            "Nobody is on call during these on-call windows:\n%(gaps)s", gaps=lines
        )
        for user in users[:1] if self.manager_id else users:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("On-call coverage gaps"),
                note=plaintext2html(note),
            )

    @api.constrains("resource_calendar_id")
    def _check_calendar_tz(self):
        for agency in self:
            if not agency.resource_calendar_id.tz:
                raise ValidationError(
                    self.env._(
                        "Agency %(agency)s: its business hours need a time zone.",
                        agency=agency.name,
                    )
                )
