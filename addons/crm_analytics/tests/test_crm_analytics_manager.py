from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsManager(CrmAnalyticsCommon):
    """Anna: won 1000 (10-day cycle) and 3000 (20-day cycle), lost 500; Boris: won 2000 (30 days).

    Anna: win rate 2/3 = 66.7 %, average deal 2000, cycle 15 days; team: 3/4 = 75 %, average deal 2000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won_1 = cls.create_opportunity("AN won 1", 1000.0)
        cls.won_2 = cls.create_opportunity("AN won 2", 3000.0)
        cls.lost_1 = cls.create_opportunity("AN lost 1", 500.0)
        cls.won_3 = cls.create_opportunity("AN won 3", 2000.0, user=cls.seller_2)
        with freeze_time("2025-03-10 12:00:00"):
            (cls.won_1 | cls.won_2 | cls.won_3).write({"stage_id": cls.stage_won.id})
            cls.lost_1.action_set_lost(lost_reason_id=cls.reason_price.id)
        cls.set_create_date(cls.won_1, datetime(2025, 2, 28, 12))
        cls.set_create_date(cls.won_2, datetime(2025, 2, 18, 12))
        cls.set_create_date(cls.won_3, datetime(2025, 2, 8, 12))
        cls.set_create_date(cls.lost_1, datetime(2025, 2, 1, 12))
        cls.order = cls.create_order(cls.customers[0], [(cls.products[0], 3, 500.0)], date(2025, 3, 5))
        activity_type = cls.env.ref("mail.mail_activity_data_call")
        with freeze_time("2025-03-05 09:00:00"):
            cls.won_1.activity_schedule(activity_type_id=activity_type.id, user_id=cls.seller_1.id,
                                        date_deadline=date(2025, 3, 6)).action_done()
        cls.won_2.activity_schedule(activity_type_id=activity_type.id, user_id=cls.seller_1.id,
                                    date_deadline=date(2025, 1, 6))
        cls.env.flush_all()

    def _team_figures(self, groupby):
        Report = self.env["crm.analytics.manager"].with_user(self.viewer)
        return Report._read_group(
            [("team_id", "=", self.team.id)], groupby,
            ["won_count:sum", "lost_count:sum", "win_rate:avg", "deal_size:avg", "cycle_days:avg",
             "won_amount:sum", "revenue_confirmed:sum", "activities_done:sum", "activities_overdue:sum"])

    def test_win_rate_deal_size_and_cycle_per_salesperson(self):
        figures = {user: rest for user, *rest in self._team_figures(["user_id"])}
        won, lost, win_rate, deal_size, cycle, won_amount, confirmed, done, overdue = figures[self.seller_1]
        self.assertEqual((won, lost), (2, 1))
        self.assertAlmostEqual(win_rate, 200 / 3, places=2)
        self.assertAlmostEqual(deal_size, 2000.0)
        self.assertAlmostEqual(cycle, 15.0)
        self.assertAlmostEqual(won_amount, 4000.0)
        self.assertAlmostEqual(confirmed, 1500.0)
        self.assertEqual((done, overdue), (1, 1))
        won, lost, win_rate, _deal, cycle, *_rest = figures[self.seller_2]
        self.assertEqual((won, lost, win_rate, cycle), (1, 0, 100.0, 30.0))

    def test_team_totals(self):
        [[won, lost, win_rate, deal_size, *_rest]] = self._team_figures([])
        self.assertEqual((won, lost), (3, 1))
        self.assertAlmostEqual(win_rate, 75.0)
        self.assertAlmostEqual(deal_size, 2000.0)

    def test_plan_target_beside_the_results(self):
        """crm_core's confirmed sales plan: Anna's March target 8000 beside her 4000 won (draft plans ignored)."""
        if "crm.sales.plan.line" not in self.env:
            self.skipTest("crm_core has no sales plans")
        plans = self.env["crm.sales.plan"].create([{
            "name": name, "date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31),
            "line_ids": [Command.create({"user_id": self.seller_1.id, "target_amount": amount})],
        } for name, amount in (("AN plan March", 8000.0), ("AN draft plan", 99000.0))])
        plans[0].action_confirm()
        self.env.flush_all()
        Report = self.env["crm.analytics.manager"].with_user(self.viewer)
        [[target, won_amount]] = Report._read_group(
            [("user_id", "=", self.seller_1.id), ("date", ">=", date(2025, 3, 1)), ("date", "<=", date(2025, 3, 31))],
            [], ["target_amount:sum", "won_amount:sum"])
        self.assertEqual((target, won_amount), (8000.0, 4000.0))

    def test_salespeople_cannot_read_the_reports(self):
        for model in ("crm.analytics.manager", "crm.analytics.funnel", "crm.analytics.loss",
                      "crm.analytics.forecast", "crm.analytics.campaign"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.seller_1).search_count([])

    def test_losses_by_reason_stage_and_salesperson(self):
        Loss = self.env["crm.analytics.loss"].with_user(self.viewer)
        groups = Loss._read_group([("team_id", "=", self.team.id)], ["lost_reason_id", "stage_id", "user_id"],
                                  ["nbr:sum", "expected_revenue:sum"])
        self.assertEqual(groups, [(self.reason_price, self.stage_new, self.seller_1, 1, 500.0)])
