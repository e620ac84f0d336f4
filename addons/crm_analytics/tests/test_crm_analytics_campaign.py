from odoo import Command
from odoo.tests import tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsCampaign(CrmAnalyticsCommon):
    """Campaign "AN Spring": 4 leads, 1 won -> conversion 25 %; by medium email 2 leads / 1 won;
    revenue = one confirmed order of 5000 (a 7000 quotation is no revenue)."""

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
        orders = cls.env["sale.order"].create([
            {"partner_id": cls.customers[0].id, "campaign_id": cls.campaign.id,
             "order_line": [Command.create({"product_id": cls.products[0].id, "product_uom_qty": 1,
                                            "price_unit": amount, "tax_ids": False})]}
            for amount in (5000.0, 7000.0)
        ])
        orders[0].action_confirm()
        cls.env.flush_all()

    def test_conversion_by_campaign_and_medium(self):
        Report = self.env["crm.analytics.campaign"].with_user(self.viewer)
        [[leads, won, revenue, conversion]] = Report._read_group(
            [("campaign_id", "=", self.campaign.id), ("lead_id", "!=", False)], [],
            ["lead_count:sum", "won_count:sum", "revenue:sum", "conversion_rate:avg"])
        self.assertEqual((leads, won, revenue, conversion), (4, 1, 0.0, 25.0), "lead rows carry no money")
        [[revenue]] = Report._read_group([("campaign_id", "=", self.campaign.id)], [], ["revenue:sum"])
        self.assertEqual(revenue, 5000.0)
        by_medium = dict(Report._read_group([("campaign_id", "=", self.campaign.id), ("lead_id", "!=", False)],
                                            ["medium_id"], ["conversion_rate:avg"]))
        self.assertEqual(by_medium, {self.email: 50.0, self.phone: 0.0})

    def test_roi_list(self):
        roi = self.env["crm.analytics.campaign.roi"].with_user(self.viewer).search(
            [("campaign_id", "=", self.campaign.id)])
        self.assertEqual((roi.lead_count, roi.won_count, roi.revenue), (4, 1, 5000.0))
        self.assertAlmostEqual(roi.conversion_rate, 25.0)

    def test_cost_per_lead_per_won_deal_and_roi_from_marketing_costs(self):
        """Approved costs 1500 + 500 = 2000 (a refused 700 does not count):
        cost per lead 2000 / 4 = 500, per won deal 2000 / 1 = 2000, ROI (5000 - 2000) / 2000 = 150 %."""
        cost_type = self.env["crm.campaign.cost.type"].create({"name": "AN Print"})
        Cost = self.env["crm.campaign.cost"]
        Cost.create([
            {"campaign_id": self.campaign.id, "cost_type_id": cost_type.id, "amount": 1500.0},
            {"campaign_id": self.campaign.id, "cost_type_id": cost_type.id, "amount": 500.0},
            {"campaign_id": self.campaign.id, "cost_type_id": cost_type.id, "amount": 700.0, "state": "refused"},
        ])
        self.env.flush_all()
        roi = self.env["crm.analytics.campaign.roi"].with_user(self.viewer).search(
            [("campaign_id", "=", self.campaign.id)])
        self.assertEqual(roi.cost, 2000.0)
        self.assertAlmostEqual(roi.cost_per_lead, 500.0)
        self.assertAlmostEqual(roi.cost_per_won, 2000.0)
        self.assertAlmostEqual(roi.roi, 150.0)
        [[cost]] = self.env["crm.analytics.campaign"].with_user(self.viewer)._read_group(
            [("campaign_id", "=", self.campaign.id)], [], ["cost:sum"])
        self.assertEqual(cost, 2000.0)
