from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import CrmSuiteCommon


@tagged("post_install", "-at_install")
class TestDealCurrenciesAndCompanies(CrmSuiteCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")  # 2 EUR for 1 company currency
        cls.pricelist_eur = cls.env["product.pricelist"].create({
            "name": "Export EUR", "currency_id": cls.eur.id, "company_id": cls.company.id})
        cls.customer_eur = cls.env["res.partner"].create({
            "name": "Lindgren GmbH",
            "is_company": True,
            "property_product_pricelist": cls.pricelist_eur.id,
            "property_account_receivable_id": cls.company_data["default_account_receivable"].id,
        })
        cls.company_b_data = cls.setup_other_company(name="ООО Север")
        cls.company_b = cls.company_b_data["company"]
        cls.user_salesman_b = new_test_user(
            cls.env, login="suite_salesman_b", groups="sales_team.group_sale_salesman",
            company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])
        cls.product_chair = cls.env["product.product"].create({
            "name": "Стул", "type": "consu", "list_price": 40.0, "invoice_policy": "order",
            "taxes_id": [Command.clear()], "categ_id": cls.product_category.id})

    def test_deal_in_euros_invoiced_and_paid(self):
        deal = self.env["crm.lead"].with_user(self.user_salesman).create({
            "name": "Export order",
            "type": "opportunity",
            "partner_id": self.customer_eur.id,
            "crm_deal_line_ids": [Command.create({"product_id": self.product_chair.id, "product_uom_qty": 10})],
        })
        self.assertEqual(deal.crm_currency_id, self.eur)
        self.assertEqual(deal.crm_deal_line_amount, 800.0, "40 x 10 at 2 EUR per unit of company currency")
        self.assertEqual(deal.expected_revenue, 400.0, "in company currency")
        order = self.env["sale.order"].browse(deal.action_create_quotation()["res_id"])
        self.assertEqual((order.currency_id, order.amount_untaxed), (self.eur, 800.0))
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(deal.expected_revenue, 400.0)
        invoices = self._invoice_from_deal(deal, self.user_accountant)
        self.assertEqual((invoices.currency_id, invoices.amount_total), (self.eur, 800.0))
        deal_as_accountant = deal.with_user(self.user_accountant)
        self.assertEqual(deal_as_accountant.crm_deal_amount_invoiced, 400.0, "company currency")
        self._pay(invoices, self.user_accountant, amount=400.0, currency_id=self.eur.id)
        self.assertEqual(deal_as_accountant.crm_deal_payment_state, "partial")
        self.assertEqual(deal_as_accountant.crm_deal_amount_residual, 200.0)

    def test_two_companies(self):
        deal_b = self.env["crm.lead"].with_user(self.user_salesman_b).create({
            "name": "Поставка на север",
            "type": "opportunity",
            "partner_id": self.customer.id,
            "company_id": self.company_b.id,
            "crm_deal_line_ids": [Command.create({"product_id": self.product_chair.id, "product_uom_qty": 5})],
        })
        self.assertEqual(deal_b.crm_deal_line_ids.company_id, self.company_b)
        quotation = deal_b.with_user(self.user_salesman_b).action_create_quotation()
        order = self.env["sale.order"].browse(quotation["res_id"])
        self.assertEqual(order.company_id, self.company_b)
        order.with_user(self.user_salesman_b).action_confirm()
        self.assertEqual(deal_b.won_status, "won")
        # company A's accountant neither sees the deal nor its lines
        self.assertFalse(self.env["crm.lead"].with_user(self.user_accountant).search([("id", "=", deal_b.id)]))
        with self.assertRaises(AccessError):
            deal_b.crm_deal_line_ids.with_user(self.user_salesman).read(["price_unit"])
        forecast = self.env["crm.demand.forecast"].with_user(self.user_planner).search(
            [("product_id", "=", self.product_chair.id)])
        self.assertFalse(forecast, "company A's planner does not see company B's demand")
