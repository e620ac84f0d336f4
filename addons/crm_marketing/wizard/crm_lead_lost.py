from odoo import api, fields, models


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    competitor_id = fields.Many2one(
        "crm.competitor", "Lost To", compute="_compute_competitor_id", store=True, readonly=False,
    )

    @api.depends("lost_reason_id")
    def _compute_competitor_id(self):
        for wizard in self:
            wizard.competitor_id = wizard.lost_reason_id.competitor_id or wizard.competitor_id

    def action_lost_reason_apply(self):
        res = super().action_lost_reason_apply()
        if self.competitor_id:
            self.lead_ids.write({"lost_competitor_id": self.competitor_id.id})
        return res
