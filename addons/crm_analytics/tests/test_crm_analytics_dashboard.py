from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsDashboard(CrmAnalyticsCommon):
    """In May 2025 the team wins 1000 + 3000 and loses 500 (too expensive): win rate 66.7 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        won_1 = cls.create_opportunity("AN dash 1", 1000.0)
        won_2 = cls.create_opportunity("AN dash 2", 3000.0, user=cls.seller_2)
        lost = cls.create_opportunity("AN dash 3", 500.0)
        cls.open = cls.create_opportunity("AN dash 4", 8000.0, probability=25)
        with freeze_time("2025-05-10 12:00:00"):
            (won_1 | won_2).stage_id = cls.stage_won
            lost.action_set_lost(lost_reason_id=cls.reason_price.id)
        cls.set_create_date(won_1 | won_2 | lost, datetime(2025, 5, 1, 12))
        cls.env.flush_all()

    def test_dashboard_figures_for_a_team(self):
        with freeze_time("2025-05-20 12:00:00"):
            data = self.env["crm.analytics.dashboard"].with_user(self.viewer).get_dashboard_data("month", self.team.id)
        kpis = data["kpis"]
        self.assertEqual((data["date_from"], data["date_to"]), ("2025-05-01", "2025-05-31"))
        self.assertEqual((kpis["won_count"], kpis["lost_count"], kpis["won_amount"]), (2, 1, 4000.0))
        self.assertEqual(kpis["win_rate"], 66.7)
        self.assertEqual(kpis["avg_deal_size"], 2000.0)
        self.assertEqual(kpis["cycle_days"], 9.0)
        self.assertEqual((kpis["pipeline_count"], kpis["pipeline_weighted"]), (1, 2000.0))
        self.assertEqual([(row["user"], row["won_amount"]) for row in data["managers"]],
                         [("Boris Seller", 3000.0), ("Anna Seller", 1000.0)])
        self.assertEqual(data["losses"], [{"reason": "AN: too expensive", "count": 1, "value": 500.0}])
        self.assertEqual([row["segment"] for row in data["rfm"]][:2], ["champions", "loyal"])

    def test_other_period_and_unknown_period(self):
        with freeze_time("2025-08-20 12:00:00"):
            data = self.env["crm.analytics.dashboard"].with_user(self.viewer).get_dashboard_data("quarter",
                                                                                                self.team.id)
            self.assertEqual(data["date_from"], "2025-07-01")
            self.assertEqual(data["kpis"]["won_count"], 0)
            data = self.env["crm.analytics.dashboard"].with_user(self.viewer).get_dashboard_data("bogus")
            self.assertEqual(data["period"], "month")

    def test_reserved_to_viewers(self):
        with self.assertRaises(AccessError):
            self.env["crm.analytics.dashboard"].with_user(self.seller_1).get_dashboard_data("month")
