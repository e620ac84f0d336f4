from odoo import models

WIN_ON_CONFIRM_PARAM = "crm_core.deal_won_on_order_confirm"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        self.opportunity_id._win_deals_on_order_confirm()
        return res

    def _action_cancel(self):
        leads = self.opportunity_id
        res = super()._action_cancel()
        # a cancelled order no longer counts in the deal's revenue
        leads._sync_expected_revenue()
        return res
