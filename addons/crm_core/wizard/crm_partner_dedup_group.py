from odoo import api, fields, models
from odoo.exceptions import UserError


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
    choice_ids = fields.One2many("crm.partner.dedup.choice", "group_id", string="Values to Keep")
    merge_record_id = fields.Many2one("crm.partner.merge.record", readonly=True, string="Merge Log")

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for group in self:
            group.partner_count = len(group.partner_ids)

    def _get_dst_partner(self):
        partners = self.partner_ids.exists()
        return self.dst_partner_id if self.dst_partner_id in partners else (
            partners.sorted(lambda p: (p.create_date, p.id))[:1])

    def action_open_choices(self):
        """Per-field choice before merging: the differing contact values, each defaulting to the most
        complete and most recent one."""
        self.ensure_one()
        if not self.choice_ids:
            merge_wizard = self.env["base.partner.merge.automatic.wizard"]
            partners = self.partner_ids.exists()
            defaults = merge_wizard._crm_default_choices(partners)
            commands = []
            for name in merge_wizard._crm_choice_fields():
                texts = {merge_wizard._crm_value_text(partner, name) for partner in partners}
                if len(texts) > 1 and name in defaults:
                    commands.append(fields.Command.create({"field_name": name, "partner_id": defaults[name].id}))
            self.choice_ids = commands
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "view_id": self.env.ref("crm_core.view_crm_partner_dedup_group_form").id,
            "target": "new",
            "name": self.env._("Merge Contacts"),
        }

    def action_merge(self):
        """Merge through Odoo's own partner merge (references, followers, bank accounts, log), in steps
        of three contacts, into one card with the chosen values; the merge can be undone for 30 days."""
        merge_wizard = self.env["base.partner.merge.automatic.wizard"]
        for group in self:
            partners = group.partner_ids.exists()
            if len(partners) < 2:
                raise UserError(self.env._("Keep at least two contacts in a group to merge it."))
            dst_partner = group._get_dst_partner()
            choices = {line.field_name: line.partner_id for line in group.choice_ids if line.partner_id in partners}
            record = merge_wizard._crm_merge_group(partners, dst_partner, choices)
            group.write({
                "merged": True,
                "merge_record_id": record.id,
                "partner_ids": [fields.Command.set(dst_partner.exists().ids)],
            })
        return self.wizard_id[:1]._reopen()
