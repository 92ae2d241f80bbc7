from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.intervals import Intervals

from ..tools import business_time
from .intervention_oncall_shift import ONCALL_LEVELS

GAP_HORIZON_DAYS = 60


class InterventionOncallGap(models.Model):
    """A stretch of an on-call window with nobody on duty at a level (E2).

    Rebuilt by ``_cron_detect_gaps`` for the coming weeks; new gaps are
    given to the agency manager as activities."""

    _name = "intervention.oncall.gap"
    _description = "On-call Coverage Gap"
    _order = "date_start"

    agency_id = fields.Many2one(
        "intervention.agency", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="agency_id.company_id", store=True, index=True, precompute=True
    )
    level = fields.Selection(ONCALL_LEVELS, required=True)
    window_id = fields.Many2one("intervention.agency.window", ondelete="cascade")
    date_start = fields.Datetime(string="Start", required=True)
    date_end = fields.Datetime(string="End", required=True)
    duration = fields.Float(
        string="Hours Uncovered",
        compute="_compute_duration",
        store=True,
        aggregator="sum",
    )

    # Two runs at once cannot store the same gap twice (the agency row lock
    # makes the second one skip the agency; this index backs it up).
    _agency_level_span_uniq = models.UniqueIndex(
        "(agency_id, level, date_start, date_end)",
        "A coverage gap is recorded once per agency and level.",
    )

    @api.depends("date_start", "date_end")
    def _compute_duration(self):
        for gap in self:
            span = (gap.date_end or gap.date_start) - gap.date_start
            gap.duration = span.total_seconds() / 3600 if gap.date_start else 0.0

    @api.model
    def _compute_agency_gaps(self, agency, date_from, date_to):
        """Gaps of ``agency`` between two local dates (included): for each
        level, the parts of its windows that no shift covers, as a list of
        value dicts (not yet stored). Gaps that follow each other without a
        break (a weekend's evening and day-duty windows) make one period:
        one line per missing period, not one per window."""
        windows = agency._window_intervals(date_from, date_to)
        if not windows:
            return []
        start, stop = windows[0][0], max(item[1] for item in windows)
        shifts = self.env["intervention.oncall.shift"].search(
            [
                ("agency_id", "=", agency.id),
                ("date_start", "<", business_time.to_naive_utc(stop)),
                ("date_end", ">", business_time.to_naive_utc(start)),
            ]
        )
        gaps = []
        for level, _label in ONCALL_LEVELS:
            covered = Intervals(
                [
                    (
                        business_time.to_aware_utc(shift.date_start),
                        business_time.to_aware_utc(shift.date_end),
                        shift,
                    )
                    for shift in shifts.filtered(lambda s, lv=level: s.level == lv)
                ]
            )
            level_gaps = []
            for win_start, win_stop, window in windows:
                missing = Intervals([(win_start, win_stop, window)]) - covered
                for gap_start, gap_stop, _recs in missing:
                    start = business_time.to_naive_utc(gap_start)
                    stop = business_time.to_naive_utc(gap_stop)
                    if level_gaps and level_gaps[-1]["date_end"] == start:
                        level_gaps[-1]["date_end"] = stop
                        continue
                    level_gaps.append(
                        {
                            "agency_id": agency.id,
                            "level": level,
                            "window_id": window.id,
                            "date_start": start,
                            "date_end": stop,
                        }
                    )
            gaps += level_gaps
        return gaps

    @api.model
    def _cron_detect_gaps(self, horizon_days=GAP_HORIZON_DAYS):
        """Rebuild the gaps of every agency from now to the horizon and give
        the new ones to the agency manager (activity).

        Idempotent: each agency row is locked (``try_lock_for_update``: a
        second worker skips the agencies the first one holds), its gaps are
        compared with the stored ones by (level, start, end), which a unique
        index also guards, and only the new ones are created and notified.
        One savepoint per agency."""
        now = fields.Datetime.now()
        Failure = self.env["intervention.cron.failure"]
        agencies = self.env["intervention.agency"].search(
            Domain("window_ids", "!=", False)
            & Failure._blocked_domain("oncall_gaps", "intervention.agency", now)
        )
        locked = agencies.try_lock_for_update(allow_referencing=True)
        done = Failure._run_each(
            "oncall_gaps",
            locked,
            lambda agency: self._refresh_agency_gaps(agency, horizon_days),
            now,
            skipped=len(agencies - locked),
        )
        self.env["ir.cron"]._commit_progress(len(done))

    def _refresh_agency_gaps(self, agency, horizon_days):
        now = fields.Datetime.now()
        today = agency._local(now).date()
        values = [
            vals
            for vals in self._compute_agency_gaps(
                agency, today, today + timedelta(days=horizon_days)
            )
            if vals["date_end"] > now
        ]
        old = self.search([("agency_id", "=", agency.id)])
        known = {(g.level, g.date_start, g.date_end) for g in old}
        new_values = []
        for vals in values:
            key = (vals["level"], vals["date_start"], vals["date_end"])
            if key not in known:
                known.add(key)
                new_values.append(vals)
        wanted = {(v["level"], v["date_start"], v["date_end"]) for v in values}
        old.filtered(
            lambda g: (g.level, g.date_start, g.date_end) not in wanted
        ).unlink()
        new_gaps = self.create(new_values)
        if new_gaps:
            agency._notify_coverage_gaps(new_gaps)
        return new_gaps
