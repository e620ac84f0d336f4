from odoo import api, fields, models

from .crm_sales_plan import ACHIEVEMENT_SOURCE_PARAM, ACHIEVEMENT_SOURCES
from .sale_order import WIN_ON_CONFIRM_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------
    # Sales plans: where achievement comes from
    # ------------------------------------------------------------------

    crm_plan_achievement_source = fields.Selection(
        ACHIEVEMENT_SOURCES,
        string="Sales Plan Achievement",
        default="won_deals",
        config_parameter=ACHIEVEMENT_SOURCE_PARAM,
        help="Count won deals (expected revenue, closed in the period) or confirmed sales orders "
        "(untaxed amount, ordered in the period) towards the sales plans' targets.")

    # ------------------------------------------------------------------
    # ERP integration: quotations and invoicing from deals
    # ------------------------------------------------------------------

    crm_deal_won_on_order_confirm = fields.Boolean(
        string="Win Deals on Order Confirmation",
        help="When a quotation created from a deal is confirmed, the deal is marked as won.")

    @api.model
    def get_values(self):
        res = super().get_values()
        res["crm_deal_won_on_order_confirm"] = self.env["crm.lead"]._is_win_on_order_confirm_enabled()
        return res

    def set_values(self):
        res = super().set_values()
        # stored as text so that "off" survives (an unset parameter means "on");
        # sudo: only administrators reach the settings screen
        self.env["ir.config_parameter"].sudo().set_param(
            WIN_ON_CONFIRM_PARAM, str(bool(self.crm_deal_won_on_order_confirm)))
        return res


    # ------------------------------------------------------------------
    # Personal data: may the customer's salesperson change it?
    # ------------------------------------------------------------------

    crm_personal_data_salesperson_edit = fields.Boolean(
        string="Salespeople Edit Their Customers' Personal Data",
        config_parameter="crm_core.personal_data_salesperson_edit",
        help="Besides data operators and sales managers, the customer's own salesperson may change "
        "the names, phones, emails, addresses and notes of the customer's contacts.")
