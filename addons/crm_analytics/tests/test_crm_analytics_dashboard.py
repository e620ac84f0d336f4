from datetime import datetime

from odoo import Command
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
        self.assertEqual(data["losses"], [{"reason_id": self.reason_price.id, "reason": "AN: too expensive",
                                           "count": 1, "value": 500.0}])
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

    def test_plan_achievement_agrees_with_the_report(self):
        """May 2025 plan: Anna 2000 (won 1000: 50 %), Boris 1500 (won 3000: 200 %);
        team 4000 / 5000 (its own target)."""
        plan = self.env["crm.sales.plan"].create({
            "name": "AN May", "date_from": "2025-05-01", "date_to": "2025-05-31",
            "line_ids": [Command.create({"user_id": self.seller_1.id, "target_amount": 2000.0}),
                         Command.create({"user_id": self.seller_2.id, "target_amount": 1500.0}),
                         Command.create({"team_id": self.team.id, "target_amount": 5000.0})],
        })
        plan.action_confirm()
        self.env["ir.config_parameter"].set_param("crm_core.plan_achievement_source", "won_deals")
        self.env.flush_all()
        with freeze_time("2025-05-20 12:00:00"):
            data = self.env["crm.analytics.dashboard"].with_user(self.viewer).get_dashboard_data("month", self.team.id)
        kpis = data["kpis"]
        self.assertEqual((kpis["plan_target"], kpis["plan_achieved"], kpis["plan_rate"], kpis["plan_source"]),
                         (5000.0, 4000.0, 80.0, "won_deals"))
        [[target, achieved, rate]] = self.env["crm.analytics.manager"].with_user(self.viewer)._read_group(
            [("team_id", "=", self.team.id), ("date", ">=", "2025-05-01"), ("date", "<", "2025-06-01")], [],
            ["target_amount:sum", "achieved_amount:sum", "achievement_rate:avg"])
        self.assertEqual((target, achieved, round(rate, 1)), (5000.0, 4000.0, 80.0))
        managers = {row["user"]: (row["plan_target"], row["plan_achieved"], row["plan_rate"])
                    for row in data["managers"]}
        self.assertEqual(managers, {"Anna Seller": (2000.0, 1000.0, 50.0), "Boris Seller": (1500.0, 3000.0, 200.0)})

    def test_dashboard_query_count(self):
        """One grouped read per figure set: the period's figures with the plan, the managers, today's pipeline,
        the funnel, the losses, the forecast (months, total, salespeople), service (period, backlog) and both
        customer segmentations at once; the rest reads access rules and the names of teams, stages, reasons and
        users."""
        Dashboard = self.env["crm.analytics.dashboard"].with_user(self.viewer)
        with freeze_time("2025-05-20 12:00:00"):
            Dashboard.get_dashboard_data("month", self.team.id)  # warms up the registry's caches
            self.env.invalidate_all()
            with self.assertQueryCount(28):
                Dashboard.get_dashboard_data("month", self.team.id)
