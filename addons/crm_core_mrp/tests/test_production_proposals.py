from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import CrmMrpCommon


@tagged("post_install", "-at_install")
class TestProductionProposals(CrmMrpCommon):

    def test_probable_deal_gets_draft_production(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4), (self.product_bought, 10)])
        production = self._proposals(deal)
        self.assertEqual(len(production), 1, "only the manufactured product is proposed")
        self.assertEqual(production.product_id, self.product_cabinet)
        self.assertEqual(production.product_qty, 4)
        self.assertEqual(production.bom_id, self.bom)
        self.assertEqual(production.origin, deal.name)
        self.assertEqual(deal.crm_production_count, 1)
        self.assertEqual(production.move_raw_ids.product_uom_qty, 8, "components follow the BoM")

    def test_unlikely_deal_gets_nothing(self):
        deal = self._create_deal(30, [(self.product_cabinet, 4)])
        self.assertFalse(self._proposals(deal, states=("draft", "cancel")))

    def test_proposal_follows_deal_changes(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        production = self._proposals(deal)
        deal.crm_deal_line_ids.with_user(self.user_salesman).product_uom_qty = 6
        self.assertEqual(production.product_qty, 6, "resized, not replaced")
        self.assertEqual(self._proposals(deal), production)
        deal.with_user(self.user_salesman).write({
            "crm_deal_line_ids": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": 1})]})
        self.assertEqual(production.product_qty, 7, "lines of the same product add up")
        deal.with_user(self.user_salesman).probability = 50
        self.assertEqual(production.state, "cancel", "below the threshold the proposal is cancelled")
        deal.with_user(self.user_salesman).probability = 90
        new_production = self._proposals(deal)
        self.assertEqual(len(new_production), 1)
        self.assertEqual(new_production.product_qty, 7)
        deal.crm_deal_line_ids.with_user(self.user_salesman).unlink()
        self.assertEqual(new_production.state, "cancel", "no line, no proposal")

    def test_lost_deal_cancels_its_proposals(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        production = self._proposals(deal)
        deal.with_user(self.user_salesman).action_set_lost()
        self.assertEqual(production.state, "cancel")
        self.assertEqual(deal.crm_production_count, 0)

    def test_threshold_is_a_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.crm_production_proposal_probability, 70)
        settings.crm_production_proposal_probability = 40
        settings.execute()
        deal = self._create_deal(50, [(self.product_cabinet, 2)])
        self.assertEqual(len(self._proposals(deal)), 1)

    def test_confirmed_manufacturing_order_is_left_alone(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        production = self._proposals(deal)
        production.action_confirm()
        deal.with_user(self.user_salesman).action_set_lost()
        self.assertEqual(production.state, "confirmed", "only drafts are proposals")

    def test_salesperson_sees_count_not_manufacturing_details(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        self.assertFalse(self.user_salesman.has_group("mrp.group_mrp_user"))
        self.assertEqual(deal.with_user(self.user_salesman).crm_production_count, 1)
        with self.assertRaises(AccessError):
            deal.with_user(self.user_salesman).read(["crm_production_ids"])

    def test_confirmed_production_is_not_proposed_again(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        confirmed = self._proposals(deal)
        confirmed.action_confirm()
        stages = self.env["crm.stage"].create([{"name": "Переговоры", "sequence": 900},
                                               {"name": "Договор", "sequence": 901}])
        as_salesman = deal.with_user(self.user_salesman)
        for stage in stages + stages[:1]:
            as_salesman.stage_id = stage
        as_salesman.probability = 50
        as_salesman.probability = 90
        self.assertFalse(self._proposals(deal), "what is confirmed is not proposed again")
        as_salesman.crm_deal_line_ids.product_uom_qty = 6
        extra = self._proposals(deal)
        self.assertEqual(extra.product_qty, 2, "only the quantity not yet covered is proposed")
        as_salesman.stage_id = stages[1]
        as_salesman.crm_deal_line_ids.product_uom_qty = 7
        self.assertEqual(self._proposals(deal), extra, "resized, not duplicated")
        self.assertEqual(extra.product_qty, 3)
        as_salesman.crm_deal_line_ids.product_uom_qty = 3
        self.assertEqual(extra.state, "cancel", "the confirmed order already covers the deal")
        self.assertEqual(confirmed.state, "confirmed")
        self.assertEqual(confirmed.product_qty, 4, "a confirmed order is the planner's, never resized")
        self.assertEqual(self._proposals(deal, states=("draft", "confirmed")), confirmed)

    def test_won_order_takes_over_the_proposals(self):
        route_mto = self.env.ref("stock.route_warehouse0_mto")
        route_mto.active = True
        self.product_cabinet.route_ids = [Command.set((route_mto | self.route_manufacture).ids)]
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        confirmed = self._proposals(deal)
        confirmed.action_confirm()
        deal.crm_deal_line_ids.with_user(self.user_salesman).product_uom_qty = 6
        draft = self._proposals(deal)
        self.assertEqual(draft.product_qty, 2)
        order = self.env["sale.order"].with_user(self.user_salesman).create({
            "partner_id": self.customer.id,
            "opportunity_id": deal.id,
            "order_line": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": 6})],
        })
        order.action_confirm()
        self.assertEqual(deal.won_status, "won")
        productions = self.env["mrp.production"].search([
            ("product_id", "=", self.product_cabinet.id), ("state", "!=", "cancel")])
        self.assertEqual(productions, confirmed | draft, "the order makes no second manufacturing order")
        self.assertEqual(draft.state, "confirmed",
                         "the won deal's proposal is not cancelled but confirmed as the order's own")
        self.assertEqual(draft.product_qty, 2)
        self.assertEqual(productions.sale_line_id, order.order_line)
        self.assertEqual(order.sudo().mrp_production_ids, productions, "the order lists them as its own")
        delivery_move = order.picking_ids.move_ids
        self.assertEqual(len(delivery_move), 1)
        self.assertEqual(delivery_move.move_orig_ids.production_id, productions, "both feed the delivery")
        self.assertEqual(draft.move_finished_ids.sale_line_id, order.order_line)

    def test_won_order_makes_only_what_the_proposals_miss(self):
        route_mto = self.env.ref("stock.route_warehouse0_mto")
        route_mto.active = True
        self.product_cabinet.route_ids = [Command.set((route_mto | self.route_manufacture).ids)]
        big_deal = self._create_deal(80, [(self.product_cabinet, 3)], name="Шкафы: большой заказ")
        small_deal = self._create_deal(80, [(self.product_cabinet, 5)], name="Шкафы: малый заказ")
        big_proposal, small_proposal = self._proposals(big_deal), self._proposals(small_deal)
        orders = self.env["sale.order"].with_user(self.user_salesman).create([{
            "partner_id": self.customer.id,
            "opportunity_id": deal.id,
            "order_line": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": qty})],
        } for deal, qty in ((big_deal, 5), (small_deal, 2))])
        orders.action_confirm()
        self.assertEqual(small_proposal.product_qty, 2, "a proposal bigger than the order shrinks to it")
        self.assertEqual(small_proposal.sale_line_id, orders[1].order_line)
        self.assertEqual(big_proposal.product_qty, 3)
        big_order_productions = orders[0].sudo().mrp_production_ids
        self.assertIn(big_proposal, big_order_productions)
        self.assertEqual(sum(big_order_productions.mapped("product_qty")), 5, "Odoo makes the 2 missing")
        self.assertEqual(len(self.env["mrp.production"].search([
            ("product_id", "=", self.product_cabinet.id), ("state", "!=", "cancel")])), 3)
