from odoo.tests import tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsCampaign(CrmAnalyticsCommon):
    """Campaign "AN Spring": 4 leads, 1 won for 5000 -> conversion 25 %; by medium email 2 leads / 1 won."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create({"name": "AN Spring"})
        cls.email = cls.env["utm.medium"].create({"name": "AN email"})
        cls.phone = cls.env["utm.medium"].create({"name": "AN phone"})
        leads = cls.env["crm.lead"]
        for index, medium in enumerate((cls.email, cls.email, cls.phone, cls.phone)):
            leads |= cls.create_opportunity(f"AN camp {index}", 5000.0, campaign_id=cls.campaign.id,
                                            medium_id=medium.id)
        leads[0].stage_id = cls.stage_won
        cls.env.flush_all()

    def test_conversion_by_campaign_and_medium(self):
        Report = self.env["crm.analytics.campaign"].with_user(self.viewer)
        [[leads, won, revenue, conversion]] = Report._read_group(
            [("campaign_id", "=", self.campaign.id), ("lead_id", "!=", False)], [],
            ["lead_count:sum", "won_count:sum", "won_revenue:sum", "conversion_rate:avg"])
        self.assertEqual((leads, won, revenue, conversion), (4, 1, 5000.0, 25.0))
        by_medium = dict(Report._read_group([("campaign_id", "=", self.campaign.id), ("lead_id", "!=", False)],
                                            ["medium_id"], ["conversion_rate:avg"]))
        self.assertEqual(by_medium, {self.email: 50.0, self.phone: 0.0})

    def test_roi_list(self):
        roi = self.env["crm.analytics.campaign.roi"].with_user(self.viewer).search(
            [("campaign_id", "=", self.campaign.id)])
        self.assertEqual((roi.lead_count, roi.won_count, roi.won_revenue), (4, 1, 5000.0))
        self.assertAlmostEqual(roi.conversion_rate, 25.0)
