from datetime import date, timedelta

from odoo.tests import tagged
from odoo.tools import SQL

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsRfm(CrmAnalyticsCommon):
    """Five customers, each one fifth apart on R, F and M (as of 2025-07-01, from orders).

    A: 5 orders, last 3 days ago, 5000  -> 555 champions
    B: 4 orders, last 30 days ago, 3000 -> 444 champions
    C: 3 orders, last 90 days ago, 800  -> 333 loyal
    D: 2 orders, last 200 days ago, 200 -> 222 hibernating
    E: 1 order, 400 days ago, 100       -> 111 lost
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = date(2025, 7, 1)
        product = cls.products[0]
        plan = [(5, 3, 1000.0), (4, 30, 750.0), (3, 90, None), (2, 200, 100.0), (1, 400, 100.0)]
        orders = cls.env["sale.order"]
        for customer, (count, last_days, price) in zip(cls.customers, plan, strict=True):
            prices = [300.0, 300.0, 200.0] if price is None else [price] * count
            for index, unit_price in enumerate(prices):
                day = cls.today - timedelta(days=last_days + 7 * index)
                orders |= cls.create_order(customer, [(product, 1, unit_price)], day)
        cls.env.flush_all()
        cls.env.cr.execute(SQL("UPDATE sale_order SET state = 'cancel' WHERE state = 'sale' AND id <> ALL(%s)",
                               orders.ids))
        cls.env["ir.config_parameter"].set_param("crm_analytics.rfm_source", "order")

    def test_scores_and_segments(self):
        self.env["crm.analytics.classifier"].recompute_rfm(today=self.today)
        self.assertEqual(self.customers.mapped("crm_rfm_score"), ["555", "444", "333", "222", "111"])
        self.assertEqual(self.customers.mapped("crm_rfm_segment"),
                         ["champions", "champions", "loyal", "hibernating", "lost"])
        self.assertEqual(self.customers[2].crm_rfm_recency, 3)

    def test_segments_are_searchable_for_marketing(self):
        self.env["crm.analytics.classifier"].recompute_rfm(today=self.today)
        champions = self.env["res.partner"].with_user(self.seller_1).search(
            [("crm_rfm_segment", "=", "champions"), ("id", "in", self.customers.ids)])
        self.assertEqual(champions, self.customers[:2])

    def test_rfm_period_leaves_old_customers_out(self):
        self.env["ir.config_parameter"].set_param("crm_analytics.rfm_months", "12")
        self.env["crm.analytics.classifier"].recompute_rfm(today=self.today)
        # E's only order is 400 days old: no score any more; the four others are re-ranked
        self.assertFalse(self.customers[4].crm_rfm_score)
        self.assertEqual(self.customers[0].crm_rfm_segment, "champions")
