from odoo.tests import tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestCampaignForecast(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # channels of their own, so that other finished campaigns (demo data) stay out
        cls.channel_test, cls.channel_other = cls.env["crm.marketing.channel"].create([
            {"name": "Test webinars", "code": "test_webinar"}, {"name": "Test radio", "code": "test_radio"},
        ])
        # a finished e-mail campaign: 1000 spent, 10 leads, 2 won, 20000 revenue
        cls.past_email = cls._create_campaign("Прошлая рассылка", budget=1000.0, channels=cls.channel_test)
        cls.env["crm.campaign.cost"].create({
            "campaign_id": cls.past_email.id, "cost_type_id": cls.cost_media.id, "amount": 1000.0,
        })
        leads = cls._create_leads(cls.past_email, 10, type="opportunity")
        leads[:2].action_set_won()
        cls._create_confirmed_order(cls.past_email, 20000.0)
        # a finished print campaign: another channel, must be ignored
        cls.past_print = cls._create_campaign("Прошлый буклет", budget=500.0, channels=cls.channel_other)
        cls._create_leads(cls.past_print, 50)
        (cls.past_email | cls.past_print).write({"plan_state": "done"})

    def test_forecast_from_campaigns_sharing_channels(self):
        planned = self._create_campaign(
            "Новая рассылка", budget=2000.0, channels=self.channel_test).with_user(self.marketer)
        self.assertEqual(planned.forecast_based_on, 1)
        self.assertAlmostEqual(planned.forecast_leads, 20.0)
        self.assertAlmostEqual(planned.forecast_won, 4.0)
        self.assertAlmostEqual(planned.forecast_revenue, 40000.0)
        self.assertAlmostEqual(planned.forecast_roi, 1900.0)  # (40000 - 2000) / 2000

    def test_running_campaigns_do_not_feed_the_forecast(self):
        self.past_email.plan_state = "running"
        planned = self._create_campaign("Новая рассылка", budget=2000.0, channels=self.channel_test)
        self.assertEqual(planned.forecast_based_on, 0)
        self.assertEqual(planned.forecast_leads, 0.0)

    def test_forecast_stays_next_to_actuals(self):
        planned = self._create_campaign("Новая рассылка", budget=2000.0, channels=self.channel_test)
        planned.action_plan_start()
        self._create_leads(planned, 3)
        self.assertEqual(planned.result_lead_count, 3)
        self.assertAlmostEqual(planned.forecast_leads, 20.0)
