from odoo import api, fields, models


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    crm_competitor_id = fields.Many2one(
        "crm.competitor", "Lost To", compute="_compute_crm_competitor_id", store=True, readonly=False,
    )

    @api.depends("lost_reason_id")
    def _compute_crm_competitor_id(self):
        for wizard in self:
            wizard.crm_competitor_id = wizard.lost_reason_id.crm_competitor_id or wizard.crm_competitor_id

    def action_lost_reason_apply(self):
        res = super().action_lost_reason_apply()
        if self.crm_competitor_id:
            self.lead_ids.write({"crm_lost_competitor_id": self.crm_competitor_id.id})
        return res
