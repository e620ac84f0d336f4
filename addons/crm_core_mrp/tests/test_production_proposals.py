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
        self.assertEqual(deal.production_count, 1)
        self.assertEqual(production.move_raw_ids.product_uom_qty, 8, "components follow the BoM")

    def test_unlikely_deal_gets_nothing(self):
        deal = self._create_deal(30, [(self.product_cabinet, 4)])
        self.assertFalse(self._proposals(deal, states=("draft", "cancel")))

    def test_proposal_follows_deal_changes(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        production = self._proposals(deal)
        deal.lead_line_ids.with_user(self.user_salesman).product_uom_qty = 6
        self.assertEqual(production.product_qty, 6, "resized, not replaced")
        self.assertEqual(self._proposals(deal), production)
        deal.with_user(self.user_salesman).write({
            "lead_line_ids": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": 1})]})
        self.assertEqual(production.product_qty, 7, "lines of the same product add up")
        deal.with_user(self.user_salesman).probability = 50
        self.assertEqual(production.state, "cancel", "below the threshold the proposal is cancelled")
        deal.with_user(self.user_salesman).probability = 90
        new_production = self._proposals(deal)
        self.assertEqual(len(new_production), 1)
        self.assertEqual(new_production.product_qty, 7)
        deal.lead_line_ids.with_user(self.user_salesman).unlink()
        self.assertEqual(new_production.state, "cancel", "no line, no proposal")

    def test_lost_deal_cancels_its_proposals(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        production = self._proposals(deal)
        deal.with_user(self.user_salesman).action_set_lost()
        self.assertEqual(production.state, "cancel")
        self.assertEqual(deal.production_count, 0)

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
        self.assertEqual(deal.with_user(self.user_salesman).production_count, 1)
        with self.assertRaises(AccessError):
            deal.with_user(self.user_salesman).read(["production_ids"])
