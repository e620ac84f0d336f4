from odoo.addons.crm_core.tests.common_erp import foreign_currency_pricelist
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestCampaignResults(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._create_campaign("Выставка Металлообработка", budget=10000.0)
        cls.env["crm.campaign.cost"].create([
            {"campaign_id": cls.campaign.id, "cost_type_id": cls.cost_media.id, "amount": 4000.0},
            {"campaign_id": cls.campaign.id, "cost_type_id": cls.cost_print.id, "amount": 2000.0},
        ])
        cls.leads = cls._create_leads(cls.campaign, 2)
        cls.opportunities = cls._create_leads(cls.campaign, 2, type="opportunity")
        cls.opportunities[0].action_set_won()
        cls._create_confirmed_order(cls.campaign, 30000.0)
        cls._create_confirmed_order(cls.campaign, 5000.0, confirm=False)  # a quotation is no revenue

    def test_roi_and_costs_per_result(self):
        campaign = self.campaign.with_user(self.marketer)
        self.assertEqual(campaign.cost_actual, 6000.0)
        self.assertEqual(campaign.result_lead_count, 4)
        self.assertEqual(campaign.result_opportunity_count, 2)
        self.assertEqual(campaign.result_won_count, 1)
        self.assertEqual(campaign.result_revenue, 30000.0)
        self.assertEqual(campaign.cost_per_lead, 1500.0)
        self.assertEqual(campaign.cost_per_won, 6000.0)
        self.assertAlmostEqual(campaign.roi, 400.0)  # (30000 - 6000) / 6000
        self.assertAlmostEqual(campaign.opportunity_rate, 50.0)
        self.assertAlmostEqual(campaign.win_rate, 25.0)
        self.assertAlmostEqual(campaign.budget_consumption, 60.0)
        self.assertFalse(campaign.budget_warning)

    def test_revenue_in_another_currency_counts_in_the_campaign_currency(self):
        order = self._create_confirmed_order(self.campaign, 0.0, confirm=False)
        order.pricelist_id = foreign_currency_pricelist(self.env, 2.0)
        foreign = order.pricelist_id.currency_id
        order.order_line.price_unit = 1000.0
        order.action_confirm()
        self.assertEqual(order.currency_id, foreign)
        self.campaign.invalidate_recordset()
        self.assertAlmostEqual(self.campaign.result_revenue, 30000.0 + 500.0,
                               msg="1000 in a currency worth half a company unit count 500")

    def test_lost_leads_still_count_as_generated(self):
        self.leads[0].action_set_lost()
        self.assertFalse(self.leads[0].active)
        self.campaign.invalidate_recordset()
        self.assertEqual(self.campaign.result_lead_count, 4)

    def test_marketing_only_user_reads_aggregates(self):
        """Results are aggregates: a marketer without sales rights still sees them."""
        marketer_only = new_test_user(
            self.env, login="mkt_only", groups="crm_marketing.group_crm_marketing_user",
        )
        campaign = self.campaign.with_user(marketer_only)
        self.assertEqual(campaign.result_revenue, 30000.0)
        self.assertEqual(campaign.result_won_count, 1)

    def test_results_computed_in_constant_queries(self):
        others = self.env["utm.campaign"]
        for index in range(5):
            others |= self._create_campaign(f"Рассылка {index}", budget=100.0)
            self._create_leads(others[-1], 2)
        fields_to_read = ["result_lead_count", "result_won_count", "result_revenue", "cost_per_lead", "roi"]

        def count_queries(campaigns):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            campaigns.read(fields_to_read)
            return self.env.cr.sql_log_count - before

        count_queries(self.campaign)  # warm the registry caches (access rules, currencies)
        self.assertEqual(count_queries(self.campaign), count_queries(self.campaign | others))

    def test_campaign_lifecycle(self):
        campaign = self._create_campaign("Жизненный цикл")
        self.assertEqual(campaign.plan_state, "planned")
        campaign.action_plan_start()
        self.assertEqual(campaign.plan_state, "running")
        self.assertTrue(campaign.date_start)
        campaign.action_plan_done()
        self.assertEqual(campaign.plan_state, "done")
        with self.assertRaises(UserError):
            campaign.action_plan_cancel()
