from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsForecast(CrmAnalyticsCommon):
    """March 2025, snapshot taken on the 1st.

    Anna: 10000 x 50 % + 2000 x 50 % = 6000 forecast; wins the 10000 deal: error 4000, APE 66.7 %.
    Boris: 4000 x 25 % = 1000 forecast; wins nothing: error 1000, APE 100 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        march = date(2025, 3, 20)
        cls.opp_1 = cls.create_opportunity("AN fc 1", 10000.0, probability=50, date_deadline=march)
        cls.opp_2 = cls.create_opportunity("AN fc 2", 2000.0, probability=50, date_deadline=march)
        cls.opp_3 = cls.create_opportunity("AN fc 3", 4000.0, user=cls.seller_2, probability=25, date_deadline=march)
        # an April deal does not count in March
        cls.create_opportunity("AN fc 4", 7000.0, probability=90, date_deadline=date(2025, 4, 2))

    def _take_march_snapshot(self):
        with freeze_time("2025-03-01 00:30:00"):
            self.env["crm.forecast.snapshot"]._cron_take_snapshot()
        return self.env["crm.forecast.snapshot"].search([("month", "=", date(2025, 3, 1)),
                                                         ("team_id", "=", self.team.id)])

    def test_snapshot_freezes_the_weighted_pipeline(self):
        snapshots = self._take_march_snapshot()
        self.assertEqual({s.user_id: s.forecast_amount for s in snapshots}, {self.seller_1: 6000.0,
                                                                            self.seller_2: 1000.0})
        # later changes do not move the snapshot, and the daily cron does not retake it
        self.opp_2.expected_revenue = 9999.0
        with freeze_time("2025-03-02 00:30:00"):
            self.env["crm.forecast.snapshot"]._cron_take_snapshot()
        self.assertEqual(snapshots.exists(), snapshots)
        self.assertEqual(snapshots.filtered(lambda s: s.user_id == self.seller_1).forecast_amount, 6000.0)

    def test_forecast_error_per_salesperson_and_team(self):
        self._take_march_snapshot()
        with freeze_time("2025-03-20 15:00:00"):
            self.opp_1.stage_id = self.stage_won
        self.env.flush_all()
        Forecast = self.env["crm.analytics.forecast"].with_user(self.viewer)
        rows = Forecast._read_group([("team_id", "=", self.team.id), ("month", "=", date(2025, 3, 1))],
                                    ["user_id"], ["forecast_amount:sum", "won_amount:sum", "abs_error:sum", "ape:avg"])
        by_user = {user: rest for user, *rest in rows}
        forecast, won, error, ape = by_user[self.seller_1]
        self.assertEqual((forecast, won, error), (6000.0, 10000.0, 4000.0))
        self.assertAlmostEqual(ape, 66.667, places=2)
        self.assertEqual(by_user[self.seller_2], [1000.0, 0.0, 1000.0, 100.0])
        [[team_ape]] = Forecast._read_group([("team_id", "=", self.team.id), ("month", "=", date(2025, 3, 1))],
                                            [], ["ape:avg"])
        self.assertAlmostEqual(team_ape, (200 / 3 + 100) / 2, places=2)

    def test_only_managers_take_snapshots_by_hand(self):
        with self.assertRaises(AccessError):
            self.env["crm.forecast.snapshot"].with_user(self.viewer).action_take_snapshot()
        self.env["crm.forecast.snapshot"].with_user(self.head).action_take_snapshot()

    def test_row_ids_are_stable_across_reads_and_inserts(self):
        self._take_march_snapshot()
        with freeze_time("2025-03-20 15:00:00"):
            self.opp_1.stage_id = self.stage_won
        with freeze_time("2025-04-10 15:00:00"):
            # April has no snapshot: the row comes from the won deals alone
            self.opp_3.stage_id = self.stage_won
        self.env.flush_all()
        Forecast = self.env["crm.analytics.forecast"].with_user(self.viewer)
        domain = [("team_id", "=", self.team.id)]

        def ids_by_key():
            rows = Forecast.search(domain)
            self.assertEqual(len(rows.ids), len(set(rows.ids)), "row ids are unique")
            return {(row.month, row.user_id): row.id for row in rows}

        before = ids_by_key()
        self.assertEqual(set(before), {(date(2025, 3, 1), self.seller_1), (date(2025, 3, 1), self.seller_2),
                                       (date(2025, 4, 1), self.seller_2)})
        self.assertEqual(ids_by_key(), before, "the same ids on every read")
        # a row appearing before all others (an older month) must not renumber them
        self.env["crm.forecast.snapshot"].create({
            "month": date(2025, 1, 1), "user_id": self.seller_1.id, "team_id": self.team.id,
            "company_id": self.company.id, "forecast_amount": 500.0,
        })
        self.env.flush_all()
        after = ids_by_key()
        self.assertEqual(len(after), 4)
        self.assertEqual({key: after[key] for key in before}, before)
        april = Forecast.browse(before[(date(2025, 4, 1), self.seller_2)])
        self.assertEqual((april.month, april.user_id, april.won_amount), (date(2025, 4, 1), self.seller_2, 4000.0))
