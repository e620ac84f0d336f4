from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_erp import CrmErpCommon


@tagged("post_install", "-at_install")
class TestCrmDealInvoicing(CrmErpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deal = cls._create_deal(user=cls.user_salesman, lines=[(cls.product_table, 5, 0.0)])
        action = cls.deal.with_user(cls.user_salesman).action_create_quotation()
        cls.order = cls.env["sale.order"].browse(action["res_id"])
        cls.order.with_user(cls.user_salesman).action_confirm()
        cls.open_deal = cls._create_deal(user=cls.user_salesman, lines=[(cls.product_chair, 1, 0.0)])

    def test_deals_to_invoice_list(self):
        Lead = self.env["crm.lead"].with_user(self.user_accountant)
        action = self.env.ref("crm_core.crm_lead_action_deals_to_invoice")
        domain = [*safe_eval(action.domain), ("crm_deal_to_invoice", "=", True)]
        self.assertEqual(Lead.search(domain), self.deal)
        self.assertFalse(Lead.search([("id", "=", self.open_deal.id)]), "accountants read only deals with orders")

    def test_accountant_invoices_and_deal_shows_paid(self):
        self.assertEqual(self.deal.crm_deal_payment_state, "none")
        invoices = self._invoice_deal(self.deal, user=self.user_accountant)
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoices.amount_total, 400.0)
        invoices.with_user(self.user_accountant).action_post()
        deal = self.deal.with_user(self.user_accountant)
        self.assertFalse(deal.crm_deal_to_invoice)
        self.assertEqual(deal.crm_deal_invoice_count, 1)
        self.assertEqual(deal.crm_deal_amount_invoiced, 400.0)
        self.assertEqual(deal.crm_deal_amount_residual, 400.0)
        self.assertEqual(deal.crm_deal_payment_state, "not_paid")
        self._pay(invoices, amount=100.0)
        self.assertEqual(deal.crm_deal_amount_paid, 100.0)
        self.assertEqual(deal.crm_deal_amount_residual, 300.0)
        self.assertEqual(deal.crm_deal_payment_state, "partial")
        self._pay(invoices, amount=300.0)
        self.assertEqual(deal.crm_deal_amount_residual, 0.0)
        self.assertIn(deal.crm_deal_payment_state, ("paid", "in_payment"))
        self.assertEqual(deal.crm_deal_payment_count, 2)
        action = deal.action_view_deal_payments()
        self.assertEqual(len(self.env["account.payment"].search(action["domain"])), 2)
        action = deal.action_view_deal_invoices()
        self.assertEqual(action["res_id"], invoices.id)

    def test_accountant_down_payment(self):
        invoices = self._invoice_deal(
            self.deal, user=self.user_accountant, advance_payment_method="percentage", amount=30)
        self.assertEqual(invoices.amount_total, 120.0)
        self.assertTrue(self.order.order_line.filtered("is_downpayment"))
        self.assertTrue(self.deal.crm_deal_to_invoice, "the rest is still to invoice")

    def test_accountant_cannot_edit_the_pipeline(self):
        deal = self.deal.with_user(self.user_accountant)
        self.assertEqual(deal.name, "Мебель для офиса")
        with self.assertRaises(AccessError):
            deal.write({"expected_revenue": 1.0})
        with self.assertRaises(AccessError):
            deal.crm_deal_line_ids.write({"product_uom_qty": 1.0})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.user_accountant).create({"name": "Чужая сделка"})

    def test_nothing_to_invoice(self):
        with self.assertRaises(UserError):
            self.open_deal.action_create_deal_invoice()

    def _count_queries(self, deals):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        deals.mapped("crm_deal_amount_invoiced")
        deals.mapped("crm_deal_payment_state")
        return self.cr.sql_log_count - before

    def test_invoicing_figures_query_count_does_not_grow(self):
        deals = self.deal
        for _index in range(3):
            deal = self._create_deal(user=self.user_salesman, lines=[(self.product_chair, 2, 0.0)])
            quotation = deal.with_user(self.user_salesman).action_create_quotation()
            order = self.env["sale.order"].browse(quotation["res_id"])
            order.with_user(self.user_salesman).action_confirm()
            self._invoice_deal(deal, user=self.user_accountant).with_user(self.user_accountant).action_post()
            deals |= deal
        deals = deals.with_user(self.user_accountant)
        self._count_queries(deals)  # warm the caches of the ORM (rules, currencies)
        two, four = self._count_queries(deals[:2]), self._count_queries(deals)
        self.assertEqual(two, four, "the figures of 4 deals cost the queries of 2")
        self.assertLessEqual(four, 6)

    def test_accountant_opens_the_invoicing_screens(self):
        Lead = self.env["crm.lead"].with_user(self.user_accountant)
        action = Lead.browse(self.deal.id).action_create_deal_invoice()
        self.assertEqual(action["res_model"], "sale.advance.payment.inv")
        views = Lead.get_views([
            (self.env.ref("crm_core.crm_lead_view_list_invoicing").id, "list"),
            (self.env.ref("crm_core.crm_lead_view_form_invoicing").id, "form"),
        ])
        form_fields = views["models"]["crm.lead"]["fields"]
        data = Lead.browse(self.deal.id).web_read({
            name: {} for name in form_fields if name != "order_ids"
        } | {"order_ids": {"fields": {"name": {}, "state": {}, "invoice_status": {}}}})
        self.assertEqual(data[0]["order_ids"][0]["invoice_status"], "to invoice")
        self.assertEqual(data[0]["partner_id"], self.customer.id)

    def test_customer_timeline_shows_orders_and_invoices(self):
        invoices = self._invoice_deal(self.deal, user=self.user_accountant)
        invoices.with_user(self.user_accountant).action_post()
        sources = self.customer._crm_timeline_sources()
        self.assertIn("sale_order", sources)
        self.assertIn("invoice", sources)
        entries = self.customer.crm_timeline_get(types=["sale_order", "invoice"], limit=10)["entries"]
        self.assertEqual(
            {(entry["type"], entry["res_model"], entry["res_id"]) for entry in entries},
            {("invoice", "account.move", invoices.id), ("sale_order", "sale.order", self.order.id)},
        )
        self.assertGreaterEqual(entries[0]["date"], entries[1]["date"], "newest first")
        self.assertTrue(all(entry["user_id"] == self.user_salesman.id for entry in entries))
