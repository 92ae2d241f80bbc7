from odoo import Command, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .intervention_contract_extension import KIND_FIELDS, REASON_KINDS


class InterventionContract(models.Model):
    """A contract's scope through time (A2, A4): the signed scope (sites,
    domains, excluded services, assets owned at signature or listed with
    their date) plus the items added later by a scope extension, each
    covered from its own date (seed 004 §3: the desk may propose an
    extension of the contract, or a new contract). The scope checks of the
    coverage verdict live here and read those dates."""

    _inherit = "intervention.contract"

    extension_ids = fields.One2many(
        "intervention.contract.extension",
        "contract_id",
        string="Scope Extensions",
        help="Items added to the scope after signature: what, covered from when, "
        "recorded by whom, for which request.",
    )

    # ------------------------------------------------------------------
    # From when an item is covered
    # ------------------------------------------------------------------
    def _scope_date(self, kind, item):
        """The first day this contract covers ``item`` (an asset, site,
        domain or service, per ``kind``), or None when it never does. The
        signed scope covers from the contract's start, an extension from its
        own date (the earliest, if the item was added twice). Assets follow
        their equipment line, which an extension writes."""
        self.ensure_one()
        if kind == "equipment":
            return self._equipment_scope_date(item)
        if self._in_signed_scope(kind, item):
            return self.date_start
        fname = KIND_FIELDS[kind]
        extensions = self.extension_ids.filtered(
            lambda e: e.kind == kind and e[fname] == item
        )
        return min(extensions.mapped("date_from"), default=None)

    def _in_signed_scope(self, kind, item):
        """Whether ``item`` is in the scope lists of the contract (an empty
        list of sites or domains restricts nothing)."""
        if kind == "site":
            return item.commercial_partner_id == self.partner_id and (
                not self.site_ids or item in self.site_ids
            )
        if kind == "domain":
            return not self.domain_ids or item in self.domain_ids
        return not self.has_excluded_services or item not in self.excluded_service_ids

    def _equipment_scope_date(self, equipment):
        """An asset listed on the contract is covered from its line's date;
        otherwise, under "owned" scope, from the start when it was acquired
        by then (seed 004 §4.2: one bought later is not covered)."""
        if equipment.partner_id.commercial_partner_id != self.partner_id:
            return None
        line = self.equipment_line_ids.filtered(lambda l: l.equipment_id == equipment)
        if line:
            return line.date_from
        acquired = equipment.acquisition_date
        if self.equipment_scope == "owned" and not (
            acquired and acquired > self.date_start
        ):
            return self.date_start
        return None

    # ------------------------------------------------------------------
    # Scope checks of the coverage verdict (A4)
    # ------------------------------------------------------------------
    def _covered_only_from(self, reason, item, since):
        return self._verdict(
            reason,
            self.env._(
                "%(item)s is covered by contract %(contract)s only from %(date)s.",
                item=item.display_name,
                contract=self.name,
                date=format_date(self.env, since),
            ),
        )

    def _check_site_scope(self, site, day):
        if not site:
            return None
        since = self._scope_date("site", site)
        if since and since <= day:
            return None
        if since:
            return self._covered_only_from("site", site, since)
        return self._verdict(
            "site",
            self.env._(
                "Site %(site)s is not covered by contract %(contract)s.",
                site=site.display_name,
                contract=self.name,
            ),
        )

    def _check_equipment_scope(self, equipment, day):
        """Seed 004 §4.2: an asset acquired after the contract and not added
        to it is not covered. See ``equipment_scope`` for the two rules."""
        if not equipment:
            return None
        since = self._equipment_scope_date(equipment)
        if since and since <= day:
            return None
        if since:
            return self._covered_only_from("equipment", equipment, since)
        if equipment.partner_id.commercial_partner_id != self.partner_id:
            message = self.env._(
                "%(equipment)s does not belong to %(client)s.",
                equipment=equipment.display_name,
                client=self.partner_id.display_name,
            )
        elif self.equipment_scope == "listed":
            message = self.env._(
                "%(equipment)s is not listed on contract %(contract)s.",
                equipment=equipment.display_name,
                contract=self.name,
            )
        else:
            message = self.env._(
                "%(equipment)s was acquired on %(date)s, after contract "
                "%(contract)s started, and has not been added to it.",
                equipment=equipment.display_name,
                date=format_date(self.env, equipment.acquisition_date),
                contract=self.name,
            )
        return self._verdict("equipment", message)

    def _check_domain_scope(self, domain, day):
        if not domain:
            return None
        since = self._scope_date("domain", domain)
        if since and since <= day:
            return None
        if since:
            return self._covered_only_from("domain", domain, since)
        return self._verdict(
            "domain",
            self.env._(
                "The domain %(domain)s is not covered by contract %(contract)s.",
                domain=domain.display_name,
                contract=self.name,
            ),
        )

    def _check_service_scope(self, service, day):
        if not service:
            return None
        since = self._scope_date("service", service)
        if since and since <= day:
            return None
        if since:
            return self._covered_only_from("excluded_service", service, since)
        return self._verdict(
            "excluded_service",
            self.env._(
                "%(service)s is excluded from contract %(contract)s.",
                service=service.display_name,
                contract=self.name,
            ),
        )

    # ------------------------------------------------------------------
    # Extending the scope
    # ------------------------------------------------------------------
    def _check_extension_date(self, date_from):
        """An extension covers from a day within the contract's dates."""
        self.ensure_one()
        values = {
            "contract": self.name,
            "date": format_date(self.env, date_from),
            "start": format_date(self.env, self.date_start),
            "end": format_date(self.env, self.date_end),
        }
        if date_from < self.date_start:
            raise ValidationError(
                self.env._(
                    "Contract %(contract)s starts on %(start)s: it cannot cover "
                    "anything from %(date)s.",
                    **values,
                )
            )
        if self.date_end and date_from > self.date_end:
            raise ValidationError(
                self.env._(
                    "Contract %(contract)s ends on %(end)s: it cannot cover anything "
                    "from %(date)s. Start a new contract instead.",
                    **values,
                )
            )

    def _describe_scope_item(self, kind, item):
        if kind == "equipment":
            return self.env._("asset %(asset)s", asset=item.display_name)
        if kind == "site":
            return self.env._("site %(site)s", site=item.display_name)
        if kind == "domain":
            return self.env._("domain %(domain)s", domain=item.display_name)
        return self.env._("service %(service)s", service=item.display_name)

    def _extend_scope_for(self, request, date_from, note=None, check_covered=True):
        """Add to this contract what made ``request`` out of scope (its
        verdict's reason), covered from ``date_from``. Returns the
        extension."""
        self.ensure_one()
        kind = REASON_KINDS.get(request.coverage_reason)
        item = kind and request[KIND_FIELDS[kind]]
        if not item:
            raise UserError(
                self.env._(
                    "%(request)s is not out of scope for an asset, a site, a domain "
                    "or a service: there is nothing to add to a contract.",
                    request=request.name,
                )
            )
        return self._extend_scope(
            kind, item, date_from, request, note, check_covered=check_covered
        )

    def _extend_scope(
        self, kind, item, date_from, request=None, note=None, check_covered=True
    ):
        """Add ``item`` to the scope from ``date_from``: an extension line
        (the dated scope and its history), and for an asset its equipment
        line dated so. Refused when the item is already covered from that
        date or earlier (unless ``check_covered`` is False). Posts the dated
        note on the contract."""
        self.ensure_one()
        self._check_extension_date(date_from)
        since = self._scope_date(kind, item)
        if check_covered and since and since <= date_from:
            raise UserError(
                self.env._(
                    "%(item)s is already covered by contract %(contract)s from "
                    "%(date)s: there is nothing to add.",
                    item=item.display_name,
                    contract=self.name,
                    date=format_date(self.env, since),
                )
            )
        extension = self.env["intervention.contract.extension"].create(
            {
                "contract_id": self.id,
                "kind": kind,
                KIND_FIELDS[kind]: item.id,
                "date_from": date_from,
                "request_id": request.id if request else False,
                "note": note or False,
            }
        )
        if kind == "equipment":
            self._list_equipment(item, date_from)
        self.message_post(
            body=self._extension_sentence(extension), subtype_xmlid="mail.mt_note"
        )
        if note:
            self.message_post(body=note, subtype_xmlid="mail.mt_note")
        return extension

    def _extension_sentence(self, extension):
        what = self._describe_scope_item(extension.kind, extension._get_item())
        date = format_date(self.env, extension.date_from)
        if extension.request_id:
            return self.env._(
                "Scope extended from %(date)s: %(what)s added (request %(request)s).",
                date=date,
                what=what,
                request=extension.request_id.name,
            )
        return self.env._(
            "Scope extended from %(date)s: %(what)s added.", date=date, what=what
        )

    def _list_equipment(self, equipment, date_from):
        line = self.equipment_line_ids.filtered(lambda l: l.equipment_id == equipment)
        if line:
            line.date_from = min(line.date_from, date_from)
        else:
            self.env["intervention.contract.equipment"].create(
                {
                    "contract_id": self.id,
                    "equipment_id": equipment.id,
                    "date_from": date_from,
                }
            )

    def _prepare_follow_up_contract_values(self, date_from):
        """A new draft contract taking over this one's terms from
        ``date_from``, with its scope as it stands on that day: the items
        extensions cover by then join the scope lists, later ones stay
        dated, listed assets are covered from the new start at the
        earliest."""
        self.ensure_one()
        values = {"date_start": date_from}
        if self.date_end and self.date_end < date_from:
            values["date_end"] = False
        effective = self.extension_ids.filtered(lambda e: e.date_from <= date_from)
        if self.site_ids:
            values["site_ids"] = [Command.set((self.site_ids | effective.site_id).ids)]
        if self.domain_ids:
            domains = self.domain_ids | effective.domain_id
            values["domain_ids"] = [Command.set(domains.ids)]
        excluded = self.excluded_service_ids - effective.service_id
        values["excluded_service_ids"] = [Command.set(excluded.ids)]
        values["equipment_line_ids"] = [
            Command.create(
                {
                    "equipment_id": line.equipment_id.id,
                    "date_from": max(line.date_from, date_from),
                    "note": line.note,
                }
            )
            for line in self.equipment_line_ids
        ]
        values["extension_ids"] = [
            Command.create(
                {
                    "kind": extension.kind,
                    KIND_FIELDS[extension.kind]: extension._get_item().id,
                    "date_from": extension.date_from,
                    "user_id": extension.user_id.id,
                    "request_id": extension.request_id.id,
                    "note": extension.note,
                }
            )
            for extension in self.extension_ids - effective
        ]
        return values
