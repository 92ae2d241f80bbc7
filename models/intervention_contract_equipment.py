from odoo import api, fields, models
from odoo.exceptions import ValidationError


class InterventionContractEquipment(models.Model):
    """An asset in a contract's scope, covered from a given date (A2)."""

    _name = "intervention.contract.equipment"
    _description = "Covered Equipment"
    _order = "contract_id, equipment_id"
    _rec_name = "equipment_id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "intervention.contract", required=True, ondelete="cascade", index=True
    )
    equipment_id = fields.Many2one(
        "intervention.equipment",
        string="Equipment / Software",
        required=True,
        check_company=True,
        ondelete="restrict",
        index=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    partner_id = fields.Many2one(related="contract_id.partner_id")
    date_from = fields.Date(
        string="Covered From",
        required=True,
        default=fields.Date.context_today,
        help="Requests about this asset are covered from this date on.",
    )
    note = fields.Char()
    company_id = fields.Many2one(related="contract_id.company_id", store=True)

    _equipment_uniq = models.UniqueIndex(
        "(contract_id, equipment_id)",
        "An asset is listed once per contract.",
    )

    @api.constrains("equipment_id", "contract_id")
    def _check_equipment_of_client(self):
        for line in self:
            if (
                line.equipment_id.partner_id.commercial_partner_id
                != line.contract_id.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(equipment)s belongs to %(owner)s, not to the contract's "
                        "client %(client)s.",
                        equipment=line.equipment_id.display_name,
                        owner=line.equipment_id.partner_id.display_name,
                        client=line.contract_id.partner_id.display_name,
                    )
                )
