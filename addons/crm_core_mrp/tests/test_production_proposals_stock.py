from odoo.tests import tagged

from .common import CrmMrpCommon


@tagged("post_install", "-at_install")
class TestProductionProposalsStock(CrmMrpCommon):
    """Proposals leave out the free stock (on hand minus reserved) of the company's warehouse,
    shared between deals by expected closing date, then id."""

    def _put_in_stock(self, quantity, reserved=0.0, location=None):
        self.env["stock.quant"]._update_available_quantity(
            self.product_cabinet, location or self.warehouse.lot_stock_id, quantity, reserved_quantity=reserved)

    def test_stock_covers_part_proposal_for_the_rest(self):
        # 5 on hand, 2 of them reserved for another order: 3 free
        self._put_in_stock(5, reserved=2)
        # stock outside the company's warehouses is not available to it
        other_company = self.env["res.company"].create({"name": "АО «Вектор»"})
        other_warehouse = self.env["stock.warehouse"].search([("company_id", "=", other_company.id)], limit=1)
        self._put_in_stock(50, location=other_warehouse.lot_stock_id)
        deal = self._create_deal(80, [(self.product_cabinet, 5), (self.product_bought, 10)])
        production = self._proposals(deal)
        self.assertEqual(len(production), 1)
        self.assertEqual(production.product_qty, 2, "5 wanted, 3 free in stock: 2 to make")

    def test_stock_covers_all_draft_shrinks_then_is_cancelled(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        production = self._proposals(deal)
        self.assertEqual(production.product_qty, 4, "nothing in stock yet")
        self._put_in_stock(3)
        as_salesman = deal.with_user(self.user_salesman)
        as_salesman.crm_deal_line_ids.product_uom_qty = 6
        self.assertEqual(self._proposals(deal), production, "resized, not replaced")
        self.assertEqual(production.product_qty, 3, "6 wanted, 3 in stock")
        self._put_in_stock(7)
        as_salesman.stage_id = self.env["crm.stage"].create({"name": "Договор", "sequence": 900})
        self.assertEqual(production.state, "cancel", "the stock covers the deal")
        self.assertFalse(self._proposals(deal), "and nothing else is proposed")
        as_salesman.probability = 50
        as_salesman.probability = 90
        self.assertFalse(self._proposals(deal), "back and forth proposes nothing while stock covers it")

    def test_confirmed_order_and_stock_add_up(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        confirmed = self._proposals(deal)
        confirmed.action_confirm()
        self._put_in_stock(2)
        deal.crm_deal_line_ids.with_user(self.user_salesman).product_uom_qty = 10
        self.assertEqual(self._proposals(deal).product_qty, 4, "10 wanted - 4 confirmed - 2 in stock")
        self.assertEqual(confirmed.product_qty, 4)

    def test_two_deals_share_the_stock_by_closing_date(self):
        """5 free: the deal closing first takes 4, the other 1 and is proposed 3; never 8 counted."""
        self._put_in_stock(5)
        late = self._create_deal(80, [(self.product_cabinet, 4)], name="Шкафы: позже",
                                 date_deadline="2030-03-10")
        self.assertFalse(self._proposals(late), "alone, the stock covers it")
        early = self._create_deal(80, [(self.product_cabinet, 4)], name="Шкафы: раньше",
                                  date_deadline="2030-03-01")
        self.assertFalse(self._proposals(early), "closing first, it takes its 4 from stock")
        late_proposal = self._proposals(late)
        self.assertEqual(late_proposal.product_qty, 3, "the later deal keeps only the 1 left")
        # a third deal closing later still gets no stock at all
        last = self._create_deal(80, [(self.product_cabinet, 2)], name="Шкафы: последние")
        self.assertEqual(self._proposals(last).product_qty, 2, "no closing date: served last")
        self.assertEqual(late_proposal.product_qty, 3)
        # the early deal moves after the late one: the late one now takes 4, the early one 1
        early.with_user(self.user_salesman).date_deadline = "2030-04-01"
        self.assertEqual(late_proposal.state, "cancel")
        self.assertEqual(self._proposals(early).product_qty, 3)
        # lost: its share goes back to the others
        early.with_user(self.user_salesman).action_set_lost()
        self.assertFalse(self._proposals(early))
        self.assertFalse(self._proposals(late))
        self.assertEqual(self._proposals(last).product_qty, 1, "the 1 left after the late deal's 4")
        drafts = self.env["mrp.production"].search([
            ("product_id", "=", self.product_cabinet.id), ("state", "=", "draft")])
        self.assertEqual(sum(drafts.mapped("product_qty")), 6 - 5, "the open deals want 6, 5 are in stock")

    def test_deal_below_threshold_takes_no_stock(self):
        self._put_in_stock(3)
        unlikely = self._create_deal(50, [(self.product_cabinet, 3)], name="Шкафы: может быть",
                                     date_deadline="2030-01-01")
        deal = self._create_deal(80, [(self.product_cabinet, 5)], date_deadline="2030-02-01")
        self.assertEqual(self._proposals(deal).product_qty, 2, "only deals wanting proposals share the stock")
        unlikely.with_user(self.user_salesman).probability = 90
        self.assertFalse(self._proposals(unlikely), "closing first, it takes the 3 in stock")
        self.assertEqual(self._proposals(deal).product_qty, 5, "the other deal gives them back")
