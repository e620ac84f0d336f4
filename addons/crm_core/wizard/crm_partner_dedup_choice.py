from odoo import api, fields, models


class CrmPartnerDedupChoice(models.TransientModel):
    """Which card gives its value to one field of the merged contact."""

    _name = "crm.partner.dedup.choice"
    _description = "Find Duplicates: Value to Keep"
    _order = "id"

    group_id = fields.Many2one("crm.partner.dedup.group", required=True, ondelete="cascade")
    field_name = fields.Char(required=True, readonly=True)
    field_label = fields.Char("Field", compute="_compute_field_label")
    group_partner_ids = fields.Many2many(related="group_id.partner_ids")
    partner_id = fields.Many2one(
        "res.partner", "Take From", domain="[('id', 'in', group_partner_ids)]")
    value = fields.Char("Value Kept", compute="_compute_value")

    @api.depends("field_name")
    def _compute_field_label(self):
        Partner = self.env["res.partner"]
        for choice in self:
            field = Partner._fields.get(choice.field_name)
            choice.field_label = field._description_string(self.env) if field else choice.field_name

    @api.depends("field_name", "partner_id")
    def _compute_value(self):
        merge_wizard = self.env["base.partner.merge.automatic.wizard"]
        for choice in self:
            partner = choice.partner_id
            choice.value = (merge_wizard._crm_value_text(partner, choice.field_name)
                            if partner and choice.field_name in partner._fields else "")
