from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsFunnel(CrmAnalyticsCommon):
    """Stage history from Odoo's tracking.

    L1: New (2 days) -> Offer (3 days) -> Won.  L2: New, lost after 4 days.
    New: 2 stays, average 3 days, conversion 50 %; Offer: 1 stay, 3 days, 100 %; Won: no conversion.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-05 10:00:00"):
            cls.lead_1 = cls.create_opportunity("AN funnel 1", 1000.0, campaign_id=False)
            cls.lead_2 = cls.create_opportunity("AN funnel 2", 400.0, user=cls.seller_2)
        # Odoo does not track changes made in the transaction that created the record
        cls.flush_tracking()
        cls.set_create_date(cls.lead_1 | cls.lead_2, datetime(2025, 1, 5, 10))
        with freeze_time("2025-01-07 10:00:00"):
            cls.lead_1.stage_id = cls.stage_offer
            cls.flush_tracking()
        with freeze_time("2025-01-09 10:00:00"):
            cls.lead_2.action_set_lost(lost_reason_id=cls.reason_price.id)
            cls.flush_tracking()
        with freeze_time("2025-01-10 10:00:00"):
            cls.lead_1.stage_id = cls.stage_won
            cls.flush_tracking()

    def test_counts_days_and_conversion_per_stage(self):
        Funnel = self.env["crm.analytics.funnel"].with_user(self.viewer)
        groups = Funnel._read_group([("team_id", "=", self.team.id)], ["stage_id"],
                                    ["nbr:sum", "expected_revenue:sum", "days_in_stage:avg", "conversion_rate:avg"])
        by_stage = {stage: rest for stage, *rest in groups}
        self.assertEqual(list(by_stage), [self.stage_new, self.stage_offer, self.stage_won])
        count, revenue, days, conversion = by_stage[self.stage_new]
        self.assertEqual((count, revenue), (2, 1400.0))
        self.assertAlmostEqual(days, 3.0)
        self.assertAlmostEqual(conversion, 50.0)
        count, _revenue, days, conversion = by_stage[self.stage_offer]
        self.assertEqual(count, 1)
        self.assertAlmostEqual(days, 3.0)
        self.assertAlmostEqual(conversion, 100.0)
        self.assertFalse(by_stage[self.stage_won][3])  # no conversion out of a won stage

    def test_funnel_by_salesperson(self):
        Funnel = self.env["crm.analytics.funnel"].with_user(self.viewer)
        groups = Funnel._read_group([("team_id", "=", self.team.id), ("stage_id", "=", self.stage_new.id)],
                                    ["user_id"], ["conversion_rate:avg"])
        self.assertEqual(groups, [(self.seller_1, 100.0), (self.seller_2, 0.0)])
