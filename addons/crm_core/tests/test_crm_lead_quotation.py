from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_erp import CrmErpCommon


@tagged("post_install", "-at_install")
class TestCrmLeadQuotation(CrmErpCommon):

    def _quote(self, deal, user=None):
        action = deal.with_user(user or self.user_salesman).action_create_quotation()
        return self.env["sale.order"].browse(action["res_id"])

    def test_quotation_carries_the_deal(self):
        deal = self._create_deal(
            user=self.user_salesman,
            lines=[(self.product_table, 3, 10.0), (self.product_chair, 4, 0.0)],
            campaign_id=self.campaign.id, source_id=self.source.id, medium_id=self.medium.id,
        )
        order = self._quote(deal)
        self.assertEqual(order.opportunity_id, deal)
        self.assertIn(order, deal.order_ids)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.pricelist_id, self.pricelist_customer)
        self.assertEqual(order.payment_term_id, self.pay_terms_b)
        self.assertEqual(order.user_id, self.user_salesman)
        self.assertEqual(order.team_id, self.team)
        self.assertEqual(
            (order.campaign_id, order.source_id, order.medium_id), (self.campaign, self.source, self.medium))
        self.assertEqual(order.state, "draft")
        self.assertEqual(
            [(line.product_id, line.product_uom_qty, line.price_unit, line.discount) for line in order.order_line],
            [(self.product_table, 3, 80.0, 10.0), (self.product_chair, 4, 50.0, 0.0)],
        )
        self.assertEqual(order.amount_untaxed, 416.0)
        self.assertEqual(deal.quotation_count, 1)

    def test_negotiated_price_survives_on_the_quotation(self):
        deal = self._create_deal(user=self.user_salesman, lines=[(self.product_table, 2, 0.0)])
        deal.crm_deal_line_ids.with_user(self.user_salesman).price_unit = 75.0
        order = self._quote(deal)
        self.assertEqual(order.order_line.price_unit, 75.0)
        order.order_line.product_uom_qty = 3
        self.assertEqual(order.order_line.price_unit, 75.0, "Odoo keeps a manual price on the order")
        plain = self._quote(self._create_deal(user=self.user_salesman, lines=[(self.product_chair, 1, 0.0)]))
        plain.order_line.product_uom_qty = 2
        self.assertEqual(plain.order_line.price_unit, 50.0)

    def test_several_quotations_and_confirmation_wins_the_deal(self):
        deal = self._create_deal(user=self.user_salesman, lines=[(self.product_table, 10, 0.0)])
        first = self._quote(deal)
        second = self._quote(deal)
        self.assertEqual(deal.quotation_count, 2)
        self.assertEqual(deal.expected_revenue, 800.0)
        second.order_line.product_uom_qty = 5
        second.with_user(self.user_salesman).action_confirm()
        self.assertEqual(deal.won_status, "won")
        self.assertEqual(deal.expected_revenue, 400.0, "revenue follows the confirmed amount")
        first.with_user(self.user_salesman).action_confirm()
        self.assertEqual(deal.expected_revenue, 1200.0, "sum of confirmed orders")
        first.with_user(self.user_salesman)._action_cancel()
        self.assertEqual(deal.expected_revenue, 400.0, "a cancelled order stops counting")

    def test_confirmed_amount_in_company_currency(self):
        deal = self._create_deal(
            user=self.user_salesman, partner=self.customer_eur, lines=[(self.product_table, 1, 0.0)])
        order = self._quote(deal)
        self.assertEqual(order.currency_id, self.eur)
        self.assertEqual(order.amount_untaxed, 200.0)
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(deal.expected_revenue, 100.0, "200 EUR at rate 2")

    def test_setting_off_keeps_deal_open(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.crm_deal_won_on_order_confirm, "on by default")
        settings.crm_deal_won_on_order_confirm = False
        settings.execute()
        self.assertFalse(self.env["res.config.settings"].create({}).crm_deal_won_on_order_confirm)
        deal = self._create_deal(user=self.user_salesman, lines=[(self.product_table, 1, 0.0)])
        self._quote(deal).with_user(self.user_salesman).action_confirm()
        self.assertEqual(deal.won_status, "pending")
        self.assertEqual(deal.expected_revenue, 80.0)

    def test_quotation_needs_a_customer(self):
        deal = self._create_deal(user=self.user_salesman, lines=[(self.product_table, 1, 0.0)])
        deal.partner_id = False
        with self.assertRaises(UserError):
            deal.with_user(self.user_salesman).action_create_quotation()

    def test_odoo_new_quotation_button_quotes_the_deal_lines(self):
        deal = self._create_deal(user=self.user_salesman, lines=[(self.product_table, 3, 10.0)])
        action = deal.with_user(self.user_salesman).action_sale_quotations_new()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.opportunity_id, deal, "Odoo's button made the quotation of the deal")
        self.assertEqual(
            [(line.product_id, line.product_uom_qty, line.discount) for line in order.order_line],
            [(self.product_table, 3, 10.0)])
        self.assertEqual(order.currency_id.compare_amounts(order.amount_untaxed, deal.crm_deal_line_amount), 0)

    def test_odoo_new_quotation_without_lines_keeps_odoo_form(self):
        deal = self._create_deal(user=self.user_salesman)
        orders_before = self.env["sale.order"].search_count([])
        action = deal.with_user(self.user_salesman).action_sale_quotations_new()
        self.assertFalse(action.get("res_id"), "an empty quotation form, as in Odoo")
        self.assertEqual(action["context"]["default_opportunity_id"], deal.id)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before, "nothing created")

    def test_deal_form_has_one_quotation_button(self):
        arch = self.env["crm.lead"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="action_create_quotation"', arch, "our second quotation button is gone")
        self.assertEqual(arch.count('name="action_sale_quotations_new"'), 1)

    def test_deal_lines_show_amounts_with_the_deal_currency(self):
        views = self.env["crm.lead"].get_views([(False, "form")])
        tree = etree.fromstring(views["views"]["form"]["arch"])
        page = tree.xpath("//page[@name='crm_products']")[0]
        self.assertTrue(page.xpath(".//field[@name='crm_currency_id'][not(@groups)]"),
                        "the currency is in the form for every user, so amounts show it")
        subtotal = page.xpath(".//field[@name='crm_deal_line_ids']//field[@name='price_subtotal']")[0]
        self.assertEqual(subtotal.get("widget"), "monetary")
        self.assertIn("currency_id", subtotal.get("options"))
