from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import dedup

MAX_GROUPS = 500


class CrmPartnerDedupWizard(models.TransientModel):
    """Find duplicate contacts with the import's keys and merge them with Odoo's merge."""

    _name = "crm.partner.dedup.wizard"
    _description = "Find Duplicate Contacts"

    partner_ids = fields.Many2many(
        "res.partner", "crm_partner_dedup_wizard_partner_rel", "wizard_id", "partner_id",
        string="Search Among", help="Empty: all the active contacts.")
    group_ids = fields.One2many("crm.partner.dedup.group", "wizard_id", string="Groups")
    group_count = fields.Integer(compute="_compute_group_count")
    searched = fields.Boolean(readonly=True)

    @api.depends("group_ids")
    def _compute_group_count(self):
        for wizard in self:
            wizard.group_count = len(wizard.group_ids)

    @api.model
    def action_open_for_partners(self, partner_ids=None):
        """Server action of the contacts list: search among the selected contacts (or all)."""
        wizard = self.create({"partner_ids": [fields.Command.set(partner_ids or [])]})
        wizard.action_find()
        return wizard._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Find Duplicates"),
        }

    def _partner_keys(self):
        """The keys of the contacts in one SQL read (no ORM record per partner)."""
        Partner = self.env["res.partner"]
        Partner.flush_model(["name", "email", "phone_sanitized", "vat", "city", "is_company", "active",
                             "parent_id"])
        # the user's record rules on partners apply to what the wizard shows
        query = Partner._search([("id", "in", self.partner_ids.ids)] if self.partner_ids else [])
        # a person's company (its parent organisation's name) tells namesakes of two companies apart
        self.env.cr.execute(SQL(
            """SELECT p.id, p.name, p.email, p.phone_sanitized, p.vat, p.city, p.is_company, parent.name
                 FROM res_partner p
            LEFT JOIN res_partner parent ON parent.id = p.parent_id AND parent.is_company AND NOT p.is_company
                WHERE p.id IN %s
             ORDER BY p.id""",
            query.subselect()))
        return [
            {"id": pid, "name": name, "email": email, "phone": phone, "inn": vat, "city": city,
             "is_company": is_company, "company": company}
            for pid, name, email, phone, vat, city, is_company, company in self.env.cr.fetchall()
        ]

    def action_find(self):
        self.ensure_one()
        records = self._partner_keys()
        groups = dedup.find_duplicate_groups(records)[:MAX_GROUPS]
        in_groups = {pid for group in groups for pid in group}
        by_id = {record["id"]: dedup.record_keys(record) for record in records if record["id"] in in_groups}
        self.group_ids.unlink()
        self.write({
            "searched": True,
            "group_ids": [fields.Command.create({
                "partner_ids": [fields.Command.set(group)],
                "reason": self._group_reason([by_id[pid] for pid in group]),
            }) for group in groups],
        })
        return self._reopen()

    def _group_reason(self, keys):
        def shared(key):
            values = {k[key] for k in keys}
            return len(values) == 1 and "" not in values

        if shared("inn"):
            return self.env._("Same INN")
        if shared("email"):
            return self.env._("Same email")
        if shared("phone"):
            return self.env._("Same phone, similar name")
        return self.env._("Same or similar name in the same city")
