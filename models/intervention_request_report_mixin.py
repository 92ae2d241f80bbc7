from odoo import models

from .request_lifecycle import FIRST_DATE_FIELDS, LAST_DATE_FIELDS


class InterventionRequestReportMixin(models.AbstractModel):
    """What the PDF intervention report (I1) prints: the timeline of states,
    the SLA targets against the actual times, the freezes and the time spent.
    The template is ``report/intervention_request_report.xml``."""

    _name = "intervention.request.report.mixin"
    _description = "Request Intervention Report"

    def _get_report_base_filename(self):
        """Name of the PDF the portal downloads (portal's _show_report)."""
        self.ensure_one()
        return self.env._("Intervention Report - %s", self.name)

    def _report_tz(self):
        """Time zone the report's dates are printed in: the request's
        calendar, so the client reads the times of the contract."""
        self.ensure_one()
        calendar = self._sla_calendar()[0]
        return calendar.tz or self.env.user.tz or "UTC"

    def _report_timeline_lines(self):
        """The moves of the request, oldest first, as dicts (date, state label,
        author): the tracked changes of state, completed by the stamped dates
        of the states no tracking shows (imported or untracked requests)."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        lines = [
            {
                "date": self.date_received,
                "label": self.env._("Reception"),
                "author": False,
            }
        ]
        tracked = self._report_tracked_states()
        tracked_labels = {line["label"] for line in tracked}
        lines += tracked
        stamped = {**FIRST_DATE_FIELDS, **LAST_DATE_FIELDS}
        for state, fname in stamped.items():
            if not self[fname] or (fname == "date_closed" and self.state != state):
                continue
            # A move made in the transaction that created the request is
            # not tracked: its stamped date stands in.
            if labels[state] not in tracked_labels:
                lines.append(
                    {"date": self[fname], "label": labels[state], "author": False}
                )
        if self.date_onsite_arrival:
            lines.append(
                {
                    "date": self.date_onsite_arrival,
                    "label": self.env._("Technician on site"),
                    "author": False,
                }
            )
        return sorted(lines, key=lambda line: line["date"])

    def _report_tracked_states(self):
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                    ("field_id.name", "=", "state"),
                    ("field_id.model", "=", self._name),
                ],
                order="id",
            )
        )
        return [
            {
                "date": tracking.mail_message_id.date,
                "label": tracking.new_value_char,
                "author": tracking.mail_message_id.author_id.name,
            }
            for tracking in trackings
        ]

    def _report_sla_lines(self):
        """The SLA targets with their targets and actual times."""
        self.ensure_one()
        return self.sla_ids.sorted(lambda t: (t.date_start or t.create_date, t.id))

    def _report_time_spent_lines(self):
        """The time spent on the request, as dicts (date, user, description,
        hours), from its time entries (H3) in date order."""
        self.ensure_one()
        entries = self.sudo().time_entry_ids.sorted(lambda e: (e.date, e.id))
        return [
            {
                "date": entry.date,
                "user": entry.user_id.name,
                "description": entry._get_description()
                or dict(entry._fields["kind"]._description_selection(self.env)).get(
                    entry.kind
                ),
                "hours": entry.duration,
            }
            for entry in entries
        ]
