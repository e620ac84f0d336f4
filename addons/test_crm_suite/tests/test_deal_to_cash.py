from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import CrmSuiteCommon


@tagged("post_install", "-at_install")
class TestDealToCash(CrmSuiteCommon):

    def test_lead_to_paid_deal(self):
        salesman = self.user_salesman
        # lead -> deal with lines, priced by the customer's pricelist
        lead = self.env["crm.lead"].with_user(salesman).create({
            "name": "Шкафы для нового офиса", "type": "lead", "contact_name": "Анна Ромашкина"})
        lead.convert_opportunity(self.customer)
        deal = lead
        self.assertEqual(deal.type, "opportunity")
        deal.write({
            "probability": 80,
            "crm_deal_line_ids": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": 3})],
        })
        self.assertEqual(deal.crm_deal_line_ids.price_unit, 450.0, "10 % off the list price")
        self.assertEqual(deal.expected_revenue, 1350.0)

        # a probable deal proposes production to planners
        proposal = self.env["mrp.production"].search([("crm_lead_id", "=", deal.id)])
        self.assertEqual((proposal.state, proposal.product_qty), ("draft", 3))

        # quotation in one click, confirmed: the deal is won, the proposal becomes the order's production
        action = deal.action_create_quotation()
        order = self.env["sale.order"].with_user(salesman).browse(action["res_id"])
        self.assertEqual(order.opportunity_id, deal)
        order.action_confirm()
        self.assertEqual(deal.won_status, "won")
        self.assertEqual(deal.expected_revenue, 1350.0)
        # make-to-order + manufacture: the order took over the proposal, no second manufacturing order
        production = order.sudo().mrp_production_ids
        self.assertEqual(len(production), 1)
        self.assertEqual((production.product_id, production.product_qty), (self.product_cabinet, 3))
        self.assertEqual(production, proposal)
        self.assertEqual(production.sale_line_id, order.order_line)
        self.assertEqual(self.env["mrp.production"].search_count([("product_id", "=", self.product_cabinet.id),
                                                                 ("state", "!=", "cancel")]), 1)
        self._produce(production.with_user(self.user_planner))
        self.assertEqual(production.state, "done")

        # delivery
        self._deliver(order.sudo())
        self.assertEqual(order.order_line.qty_delivered, 3)
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertTrue(deal.crm_deal_to_invoice)

        # the accountant invoices from the deal and registers the payment
        accountant = self.user_accountant
        self.assertFalse(accountant.has_group("sales_team.group_sale_salesman"))
        to_invoice = self.env["crm.lead"].with_user(accountant).search([("crm_deal_to_invoice", "=", True)])
        self.assertIn(deal, to_invoice)
        invoices = self._invoice_from_deal(deal, accountant)
        self.assertEqual(invoices.amount_total, 1350.0)
        deal_seen_by_accountant = deal.with_user(accountant)
        self.assertEqual(deal_seen_by_accountant.crm_deal_payment_state, "not_paid")
        self.assertEqual(deal_seen_by_accountant.crm_deal_amount_residual, 1350.0)
        self._pay(invoices, accountant)
        self.assertIn(deal_seen_by_accountant.crm_deal_payment_state, ("paid", "in_payment"))
        self.assertEqual(deal_seen_by_accountant.crm_deal_amount_paid, 1350.0)
        self.assertEqual(deal_seen_by_accountant.crm_deal_amount_residual, 0.0)
        self.assertFalse(deal_seen_by_accountant.crm_deal_to_invoice)
        with self.assertRaises(AccessError):
            deal_seen_by_accountant.write({"stage_id": self.env["crm.stage"].search([], limit=1).id})

        # the customer's timeline shows the order, the delivery and the invoice
        timeline = self.customer.crm_timeline_get(types=["sale_order", "picking", "invoice"], limit=10)
        self.assertEqual(
            {(entry["res_model"], entry["res_id"]) for entry in timeline["entries"]},
            {("sale.order", order.id), ("stock.picking", order.picking_ids.id), ("account.move", invoices.id)},
        )

    def test_losing_a_deal_cancels_its_proposals(self):
        deal = self.env["crm.lead"].with_user(self.user_salesman).create({
            "name": "Шкафы для склада",
            "type": "opportunity",
            "partner_id": self.customer.id,
            "probability": 90,
            "crm_deal_line_ids": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": 2})],
        })
        proposal = self.env["mrp.production"].search([("crm_lead_id", "=", deal.id)])
        self.assertEqual(proposal.state, "draft")
        self.assertEqual(proposal.with_user(self.user_planner).crm_lead_id, deal)
        deal.action_set_lost()
        self.assertEqual(proposal.state, "cancel")
        forecast = self.env["crm.demand.forecast"].search([("lead_id", "=", deal.id)])
        self.assertFalse(forecast, "a lost deal leaves the demand forecast")
