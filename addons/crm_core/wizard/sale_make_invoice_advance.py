from odoo import models


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    def _create_invoices(self, sale_orders):
        """Let an accountant invoice a deal's orders, down payments included.

        A down payment adds lines to the sale order, which Odoo lets only
        salespeople create. An accountant invoicing from a deal (context key
        ``crm_deal_invoicing``) may write the orders but not create their lines.
        """
        if (
            self.env.context.get("crm_deal_invoicing")
            and self.advance_payment_method != "delivered"
            and not self.env.su
            and not self.env.user.has_group("sales_team.group_sale_salesman")
            and self.env.user.has_group("account.group_account_invoice")
        ):
            sale_orders.check_access("write")
            # sudo: the user may write these orders (checked above) and create
            # invoices; the only elevated step is Odoo's own down-payment line
            # on the order, computed by the wizard from the order itself.
            invoices = super(SaleAdvancePaymentInv, self.sudo())._create_invoices(sale_orders.sudo())
            return invoices.sudo(False)
        return super()._create_invoices(sale_orders)
