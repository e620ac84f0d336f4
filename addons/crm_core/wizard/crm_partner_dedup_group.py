from odoo import api, fields, models
from odoo.exceptions import UserError

# Odoo's merge wizard refuses more than 3 contacts at a time: the kept card and 2 others per step
MERGE_STEP = 2


class CrmPartnerDedupGroup(models.TransientModel):
    """One group of probable duplicates found by the "Find duplicates" wizard."""

    _name = "crm.partner.dedup.group"
    _description = "Find Duplicates: Group of Contacts"
    _order = "id"

    wizard_id = fields.Many2one("crm.partner.dedup.wizard", required=True, ondelete="cascade")
    partner_ids = fields.Many2many(
        "res.partner", "crm_partner_dedup_group_partner_rel", "group_id", "partner_id", string="Contacts")
    partner_count = fields.Integer(compute="_compute_partner_count")
    dst_partner_id = fields.Many2one(
        "res.partner", "Keep", domain="[('id', 'in', partner_ids)]",
        help="The contact that stays; the others are merged into it. Empty: the oldest one.")
    reason = fields.Char("Why")
    merged = fields.Boolean(readonly=True)

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for group in self:
            group.partner_count = len(group.partner_ids)

    def action_merge(self):
        """Merge through Odoo's own partner merge (references, followers, bank accounts, log).

        Odoo merges at most 3 contacts at once; a bigger group is merged in steps
        (the kept card and two others each time) until one card remains.
        """
        merge_wizard = self.env["base.partner.merge.automatic.wizard"]
        for group in self:
            partners = group.partner_ids.exists()
            if len(partners) < 2:
                raise UserError(self.env._("Keep at least two contacts in a group to merge it."))
            dst_partner = group.dst_partner_id or partners.sorted(lambda p: (p.create_date, p.id))[0]
            others = (partners - dst_partner).sorted("id")
            for start in range(0, len(others), MERGE_STEP):
                merge_wizard._merge((dst_partner | others[start:start + MERGE_STEP]).ids, dst_partner)
            group.write({"merged": True, "partner_ids": [fields.Command.set(dst_partner.exists().ids)]})
        return self.wizard_id[:1]._reopen()
