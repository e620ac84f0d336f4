from odoo import fields, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    crm_lead_id = fields.Many2one(
        "crm.lead", string="Deal", index="btree_not_null", ondelete="set null", copy=False,
        help="The probable deal this draft production proposal was made for.")

    def _is_crm_production_proposal(self):
        """A draft the deal still resizes: not yet taken over by a sales order."""
        self.ensure_one()
        return self.state == "draft" and not self.sale_line_id
