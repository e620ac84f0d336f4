from odoo import api, models
from odoo.fields import Domain

from .models import PrivacySheet

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

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """Exported; kept as they are by an anonymization (legal documents): their partner is anonymized."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        ids = persons.ids
        sheets.append(PrivacySheet(
            self.env._("Sales Orders"),
            Domain("partner_id", "in", ids) | Domain("partner_invoice_id", "in", ids)
            | Domain("partner_shipping_id", "in", ids),
            ["name", "date_order", "state", "partner_id", "amount_total", "currency_id"]))
        return sheets
