from odoo import fields, models


class CrmLostReason(models.Model):
    _inherit = "crm.lost.reason"

    crm_competitor_id = fields.Many2one(
        "crm.competitor", "Competitor", help="Deals lost for this reason are lost to this competitor by default.",
    )
