from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common_erp import CrmErpCommon


@tagged("post_install", "-at_install")
class TestCrmDealLine(CrmErpCommon):

    def test_line_priced_from_customer_pricelist(self):
        deal = self._create_deal(
            user=self.user_salesman,
            lines=[(self.product_table, 3, 10.0), (self.product_chair, 4, 0.0)],
        )
        table_line, chair_line = deal.crm_deal_line_ids
        self.assertEqual(deal.crm_pricelist_id, self.pricelist_customer)
        self.assertEqual(table_line.price_unit, 80.0, "the customer's fixed price rule applies")
        self.assertEqual(chair_line.price_unit, 50.0, "no rule: the list price")
        self.assertEqual(table_line.price_subtotal, 216.0)  # 3 x 80 - 10 %
        self.assertEqual(deal.crm_deal_line_amount, 416.0)
        self.assertEqual(deal.expected_revenue, 416.0, "expected revenue follows the lines")
        self.assertIn("Стол офисный", table_line.name)

    def test_deal_without_company_keeps_company_consistency(self):
        """A deal of no company (portal requests, lead lists) never takes a company's pricelist: Odoo
        would refuse the record ("company inconsistencies")."""
        company_pricelist = self.env["product.pricelist"].create({
            "name": "Прайс компании", "company_id": self.env.company.id})
        self.customer.property_product_pricelist = company_pricelist
        deal = self.env["crm.lead"].sudo().create({
            "name": "Запрос с портала", "type": "opportunity", "partner_id": self.customer.id,
            "company_id": False, "user_id": False, "team_id": False})
        self.assertFalse(deal.company_id)
        self.assertFalse(deal.crm_pricelist_id)
        self.assertEqual(deal.crm_currency_id, self.env.company.currency_id)
        deal.company_id = self.env.company
        self.assertEqual(deal.crm_pricelist_id, company_pricelist, "with its company, the customer's pricelist")

    def test_expected_revenue_follows_line_changes(self):
        deal = self._create_deal(user=self.user_salesman, lines=[(self.product_table, 1, 0.0)])
        line = deal.crm_deal_line_ids
        line.with_user(self.user_salesman).product_uom_qty = 5
        self.assertEqual(deal.expected_revenue, 400.0)
        line.with_user(self.user_salesman).price_unit = 90.0
        self.assertEqual(deal.expected_revenue, 450.0, "a negotiated price is counted")
        line.with_user(self.user_salesman).product_uom_qty = 4
        self.assertEqual(line.price_unit, 90.0, "and kept when the quantity changes")
        line.with_user(self.user_salesman).product_uom_qty = 5
        deal.with_user(self.user_salesman).write({
            "crm_deal_line_ids": [Command.create({"product_id": self.product_chair.id, "product_uom_qty": 2})],
        })
        self.assertEqual(deal.expected_revenue, 550.0)
        line.with_user(self.user_salesman).unlink()
        self.assertEqual(deal.expected_revenue, 100.0)

    def test_manual_expected_revenue_without_lines(self):
        deal = self._create_deal(user=self.user_salesman, expected_revenue=12345.0)
        self.assertEqual(deal.expected_revenue, 12345.0)
        deal.with_user(self.user_salesman).expected_revenue = 777.0
        self.assertEqual(deal.expected_revenue, 777.0, "a deal without lines keeps a manual revenue")
        deal.with_user(self.user_salesman).probability = 40
        self.assertEqual(deal.expected_revenue, 777.0)

    def test_price_recomputed_on_quantity_rule_and_pricelist(self):
        self.pricelist_customer.item_ids = [Command.create({
            "applied_on": "0_product_variant",
            "product_id": self.product_chair.id,
            "compute_price": "fixed",
            "fixed_price": 40.0,
            "min_quantity": 10,
        })]
        deal = self._create_deal(user=self.user_salesman, lines=[(self.product_chair, 1, 0.0)])
        line = deal.crm_deal_line_ids
        self.assertEqual(line.price_unit, 50.0)
        line.product_uom_qty = 10
        self.assertEqual(line.price_unit, 40.0, "quantity breaks of the pricelist apply")

    def test_deal_form_adds_line(self):
        deal = self._create_deal(user=self.user_salesman)
        with Form(deal.with_user(self.user_salesman)) as form:
            with form.crm_deal_line_ids.new() as line:
                line.product_id = self.product_table
                line.product_uom_qty = 2
                self.assertEqual(line.price_unit, 80.0)
        self.assertEqual(deal.crm_deal_line_amount, 160.0)
        self.assertEqual(deal.expected_revenue, 160.0)
        self.pricelist_customer.item_ids = [Command.create({
            "applied_on": "0_product_variant",
            "product_id": self.product_table.id,
            "compute_price": "fixed",
            "fixed_price": 70.0,
            "min_quantity": 10,
        })]
        with Form(deal.with_user(self.user_salesman)) as form:
            with form.crm_deal_line_ids.edit(0) as line:
                line.product_uom_qty = 10
        self.assertEqual(deal.crm_deal_line_ids.price_unit, 70.0, "a pricelist price follows the quantity")

    def test_deal_in_foreign_currency(self):
        deal = self._create_deal(
            user=self.user_salesman, partner=self.customer_eur, lines=[(self.product_table, 2, 0.0)])
        self.assertEqual(deal.crm_currency_id, self.eur)
        self.assertEqual(deal.crm_deal_line_ids.currency_id, self.eur)
        self.assertEqual(deal.crm_deal_line_ids.price_unit, 200.0, "list price converted to EUR (rate 2)")
        self.assertEqual(deal.crm_deal_line_amount, 400.0)
        self.assertEqual(deal.expected_revenue, 200.0, "expected revenue stays in company currency")

    def test_lines_follow_deal_visibility(self):
        deal = self._create_deal(user=self.user_salesman_other, lines=[(self.product_table, 1, 0.0)])
        with self.assertRaises(AccessError):
            deal.crm_deal_line_ids.with_user(self.user_salesman).read(["price_unit"])
        self.assertFalse(
            self.env["crm.deal.line"].with_user(self.user_salesman).search([("lead_id", "=", deal.id)]))
        with self.assertRaises(AccessError):
            self.env["crm.deal.line"].with_user(self.user_accountant).create({
                "lead_id": deal.id, "product_id": self.product_table.id})
