from odoo.addons.crm_marketing.tests.common_currency import TwoCurrencyCampaignMixin
from odoo.tests import tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsCampaignMoney(TwoCurrencyCampaignMixin, CrmAnalyticsCommon):
    """The analytics campaign reports and the campaign form give the same figures for a campaign
    with costs in USD and RUB and orders in EUR (see TwoCurrencyCampaignMixin for the world)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_money_world()
        cls.viewer.company_ids |= cls.money_company

    def test_roi_report_equals_campaign_form(self):
        roi = self.env["crm.analytics.campaign.roi"].with_user(self.viewer).search(
            [("campaign_id", "=", self.money_campaign.id)])
        # revenue: confirmed orders 1000 EUR at 0.5 + 640 EUR at 0.8, not the won deal's 99999
        self.assertAlmostEqual(roi.roi, 100.0 * (2800.0 - 1600.0) / 1600.0)
        self.assertAlmostEqual(roi.cost, 1000.0 + 40000.0 / 100.0 + 16000.0 / 80.0)
        self.assertAlmostEqual(roi.cost_per_lead, 1600.0 / 4)
        self.assertAlmostEqual(roi.cost_per_won, 1600.0)
        self.assertAlmostEqual(roi.revenue, 1000.0 / 0.5 + 640.0 / 0.8)
        self.assertEqual(roi.company_currency_id, self.usd)
        campaign = self.money_campaign
        self.assertAlmostEqual(campaign.roi, roi.roi)
        self.assertAlmostEqual(campaign.result_revenue, roi.revenue)
        self.assertAlmostEqual(campaign.cost_actual, roi.cost)
        self.assertAlmostEqual(campaign.cost_per_lead, roi.cost_per_lead)

    def test_detail_report_sums_converted_money(self):
        Report = self.env["crm.analytics.campaign"].with_user(self.viewer)
        [[leads, won, cost]] = Report._read_group(
            [("campaign_id", "=", self.money_campaign.id)], [], ["lead_count:sum", "won_count:sum", "cost:sum"])
        self.assertEqual((leads, won), (4, 1))
        self.assertAlmostEqual(cost, 1000.0 + 40000.0 / 100.0 + 16000.0 / 80.0)
        [[revenue]] = Report._read_group([("campaign_id", "=", self.money_campaign.id)], [], ["revenue:sum"])
        self.assertAlmostEqual(revenue, 1000.0 / 0.5 + 640.0 / 0.8)
