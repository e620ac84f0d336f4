from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmMarketingCommon
from .common_currency import TwoCurrencyCampaignMixin


@tagged("post_install", "-at_install")
class TestCampaignMoneyCurrencies(TwoCurrencyCampaignMixin, CrmMarketingCommon):
    """Campaign figures add amounts of several currencies at the rate of each document's date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_money_world()

    def test_orders_and_costs_are_converted_at_their_date(self):
        campaign = self.money_campaign.with_user(self.marketer)
        self.assertEqual(campaign.currency_id, self.usd)
        self.assertEqual(self.money_orders[0].currency_id, self.eur)
        self.assertAlmostEqual(campaign.result_revenue, 2000.0 + 800.0)  # 1000 / 0.5 + 640 / 0.8
        self.assertAlmostEqual(campaign.cost_actual, 1000.0 + 40000.0 / 100.0 + 16000.0 / 80.0)
        self.assertEqual(campaign.result_lead_count, 4)
        self.assertEqual(campaign.result_won_count, 1)
        self.assertAlmostEqual(campaign.roi, 100.0 * (2800.0 - 1600.0) / 1600.0)  # 75
        self.assertAlmostEqual(campaign.cost_per_lead, 1600.0 / 4)
        self.assertAlmostEqual(campaign.cost_per_won, 1600.0)

    def test_cost_line_keeps_its_own_currency(self):
        costs = self.money_campaign.cost_ids.sorted("amount")
        self.assertEqual(costs.mapped("currency_id"), self.usd | self.rub)
        self.assertEqual(costs.filtered(lambda c: c.amount == 40000.0).currency_id, self.rub)
        self.assertEqual(self.money_company.currency_id, self.usd, "a cost in RUB leaves the company's currency")

    def test_budget_is_checked_in_the_campaign_currency(self):
        """A budget of 2000 USD: 1600 spent, another 30000 RUB on 2026-03-15 is 375 USD (1975), allowed;
        then 3000 RUB more (37.5 USD, 2012.5) is past the budget and blocked."""
        self.env["crm.campaign.budget.line"].create({
            "campaign_id": self.money_campaign.id, "cost_type_id": self.cost_media.id, "planned_amount": 2000.0})
        self.marketer.company_ids |= self.money_company
        Cost = self.env["crm.campaign.cost"].with_user(self.marketer).with_company(self.money_company)
        values = {"campaign_id": self.money_campaign.id, "cost_type_id": self.cost_print.id,
                  "currency_id": self.rub.id, "date": "2026-03-15"}
        Cost.create({**values, "amount": 30000.0})
        self.assertAlmostEqual(self.money_campaign.cost_actual, 1975.0)
        with self.assertRaises(ValidationError):
            Cost.create({**values, "amount": 3000.0})
        self.assertEqual(len(self.money_campaign.cost_ids), 5, "the refused cost was not recorded")
        self.money_campaign.invalidate_recordset()
        self.assertAlmostEqual(self.money_campaign.cost_actual, 1975.0)


@tagged("post_install", "-at_install")
class TestCompetitorPriceCurrencies(CrmMarketingCommon):
    """Competitor prices in EUR against our list price in RUB, at the rate of the observation date.

    Rates of the RUB company (units for one RUB): EUR 0.01 from 2026-01-01 (1 EUR = 100 RUB),
    0.0125 from 2026-03-01 (1 EUR = 80 RUB).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Currency = cls.env["res.currency"].with_context(active_test=False)
        cls.eur, cls.rub = (Currency.search([("name", "=", code)]) for code in ("EUR", "RUB"))
        (cls.eur | cls.rub).active = True
        cls.rub_company = cls.env["res.company"].create({"name": "ООО Рубль", "currency_id": cls.rub.id})
        cls.env["res.currency.rate"].create([
            {"name": day, "currency_id": currency.id, "rate": rate, "company_id": cls.rub_company.id}
            for day, currency, rate in (
                ("2026-01-01", cls.rub, 1.0), ("2026-01-01", cls.eur, 0.01), ("2026-03-01", cls.eur, 0.0125),
            )
        ])
        cls.product = cls.env["product.product"].create({
            "name": "Насос ЦН-300", "list_price": 100000.0, "company_id": cls.rub_company.id})
        cls.rival = cls.env["crm.competitor"].create({"name": "Pumpen GmbH"})
        cls.other = cls.env["crm.competitor"].create({"name": "Pompe SpA"})
        cls.env["crm.competitor.price"].create([
            {"competitor_id": cls.rival.id, "product_id": cls.product.id, "price": 1100.0,
             "currency_id": cls.eur.id, "date": "2026-02-10"},
            {"competitor_id": cls.other.id, "product_id": cls.product.id, "price": 1100.0,
             "currency_id": cls.eur.id, "date": "2026-03-10"},
        ])

    def test_eur_price_compared_with_rub_list_price(self):
        rows = self.env["crm.competitor.price.report"].with_user(self.sellers[0]).search(
            [("product_id", "=", self.product.id)])
        by_competitor = {row.competitor_id: row for row in rows}
        rival, other = by_competitor[self.rival], by_competitor[self.other]
        # 1100 EUR at 100 RUB on 2026-02-10 = 110000 RUB: 10000 above our 100000
        self.assertAlmostEqual(rival.difference, 1100.0 * 100 - 100000.0)
        self.assertAlmostEqual(rival.difference_pct, 10.0)
        self.assertEqual(rival.competitor_price, 1100.0, "the observed price stays as observed")
        self.assertEqual(rival.currency_id, self.eur)
        self.assertEqual(rival.our_currency_id, self.rub)
        self.assertAlmostEqual(rival.competitor_price_converted, 110000.0)
        # 1100 EUR at 80 RUB on 2026-03-10 = 88000 RUB: 12000 below
        self.assertAlmostEqual(other.difference, 1100.0 * 80 - 100000.0)
        self.assertAlmostEqual(other.difference_pct, -12.0)
