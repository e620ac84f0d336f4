from odoo import fields, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    crm_lead_id = fields.Many2one(
        "crm.lead", string="Deal", index="btree_not_null", ondelete="set null", copy=False,
        help="The probable deal this draft production proposal was made for.")
