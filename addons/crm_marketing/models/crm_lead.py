from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_competitor_ids = fields.Many2many("crm.competitor", string="Competitors")
    crm_lost_competitor_id = fields.Many2one(
        "crm.competitor", "Lost To", index="btree_not_null", tracking=True,
        compute="_compute_crm_lost_competitor_id", store=True, readonly=False,
    )

    @api.depends("lost_reason_id")
    def _compute_crm_lost_competitor_id(self):
        for lead in self:
            if lead.lost_reason_id.crm_competitor_id and not lead.crm_lost_competitor_id:
                lead.crm_lost_competitor_id = lead.lost_reason_id.crm_competitor_id

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """Leads made by the lead list wizard: which campaign reached the person."""
        return [
            sheet._replace(fields=[*sheet.fields, "campaign_id", "source_id", "medium_id"])
            for sheet in super()._crm_privacy_lookup(persons, emails)
        ]
