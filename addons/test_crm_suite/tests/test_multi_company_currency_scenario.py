from datetime import date, datetime

from odoo.fields import Command
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged
from odoo.tools import SQL

NOON = " 12:00:00"


@tagged("post_install", "-at_install")
class TestMultiCompanyCurrencyScenario(TransactionCase):
    """A RUB company and a UAH company selling in USD, a quarter of business, every report checked by hand.

    Rates (units of the currency for one unit of the company currency), company-specific, fixed dates:
      RUB company:  USD 0.0125 from 2025-12-01 (80 RUB), 0.01 from 2026-02-01 (100 RUB),
                    0.008 from 2026-03-01 (125 RUB);  EUR 0.01 from 2025-12-01 (100 RUB),
                    0.00625 from 2026-03-01 (160 RUB).
      UAH company:  USD 0.025 from 2025-12-01 (40 UAH), 0.02 from 2026-03-01 (50 UAH);
                    EUR 0.02 from 2025-12-01 (50 UAH), 0.016 from 2026-03-01 (62.5 UAH).
    One USD pricelist (no company, fixed prices): machine 1250 USD, lathe 1250 USD.

    RUB company, team "Продажи RU" (Ivan, Petr), campaign "Металлообработка-2026":
      D5 2025-12-15 Ivan, open, campaign, 8 machines = 10000 USD at 80 = 800000 RUB, 80 % then 90 %,
         closing 2026-05-20: proposal of 8, the planner confirms 4, the deal proposes the other 4.
      D1 2026-01-20 Ivan, campaign, 2 machines = 2500 USD; ordered and won 2026-02-15 at 100 = 250000 RUB.
      D3 2026-02-20 Petr, campaign, 1 machine = 1250 USD (125000 RUB at 100, 30 %); won 2026-03-05
         at 125 = 156250 RUB.
      D4 2026-02-25 Petr, campaign, 50000 RUB by hand, 20 %; lost 2026-03-12 ("Дорого").
      D2 2026-02-27 Ivan, RUB pricelist, 3 machines x 100000 = 300000 RUB, 50 %; won 2026-03-10.
      March forecast snapshot taken 2026-03-01: Ivan 300000 x 50 % = 150000;
         Petr 125000 x 30 % + 50000 x 20 % = 47500.
      Quarterly plan Q1 2026: Ivan 3000000, Petr 1500000 (a third a month); achievement = confirmed orders.
      Campaign costs: 2000 USD on 2026-02-10 (200000 RUB) + 1000 USD on 2026-03-10 (125000 RUB).
    UAH company, team "Продажі UA" (Oksana):
      D6 2026-02-26 Oksana, 2 lathes = 2500 USD at 40 = 100000 UAH, 60 %; won 2026-03-12 at 50 = 125000 UAH.
      Monthly plan March 2026: Oksana 250000 UAH.  March snapshot: 100000 x 60 % = 60000.
    Reports are read on 2026-03-20.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # no tracking: the funnel then has one stay per deal, from its creation (set below) in its stage
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["ir.config_parameter"].set_param("crm_core.plan_achievement_source", "sale_orders")
        cls.env["ir.config_parameter"].set_param("crm_core_mrp.production_proposal_probability", "70")
        Currency = cls.env["res.currency"].with_context(active_test=False)
        cls.usd, cls.eur, cls.rub, cls.uah = (
            Currency.search([("name", "=", code)]) for code in ("USD", "EUR", "RUB", "UAH"))
        (cls.usd | cls.eur | cls.rub | cls.uah).active = True
        cls.rub_company = cls.env["res.company"].create({"name": "ООО Станкомаш", "currency_id": cls.rub.id})
        cls.uah_company = cls.env["res.company"].create({"name": "ТОВ Верстат", "currency_id": cls.uah.id})
        cls.env["res.currency.rate"].create([
            {"name": day, "currency_id": currency.id, "rate": rate, "company_id": company.id}
            for company, day, currency, rate in (
                (cls.rub_company, "2025-12-01", cls.rub, 1.0),
                (cls.rub_company, "2025-12-01", cls.usd, 0.0125),
                (cls.rub_company, "2026-02-01", cls.usd, 0.01),
                (cls.rub_company, "2026-03-01", cls.usd, 0.008),
                (cls.rub_company, "2025-12-01", cls.eur, 0.01),
                (cls.rub_company, "2026-03-01", cls.eur, 0.00625),
                (cls.uah_company, "2025-12-01", cls.uah, 1.0),
                (cls.uah_company, "2025-12-01", cls.usd, 0.025),
                (cls.uah_company, "2026-03-01", cls.usd, 0.02),
                (cls.uah_company, "2025-12-01", cls.eur, 0.02),
                (cls.uah_company, "2026-03-01", cls.eur, 0.016),
            )
        ])
        cls._setup_people()
        cls._setup_products()
        cls._setup_marketing()
        cls._play_the_quarter()
        cls.env.flush_all()

    @classmethod
    def _setup_people(cls):
        def user(login, name, groups, company):
            return new_test_user(cls.env, login=login, name=name, groups=groups, company_id=company.id,
                                 company_ids=[Command.set(company.ids)])

        seller = "sales_team.group_sale_salesman"
        viewer = "base.group_user,crm_analytics.group_crm_analytics_viewer"
        cls.ivan = user("scn_ivan", "Иван Станков", seller, cls.rub_company)
        cls.petr = user("scn_petr", "Пётр Фрезеров", seller, cls.rub_company)
        cls.oksana = user("scn_oksana", "Оксана Токарчук", seller, cls.uah_company)
        cls.planner = user("scn_planner", "Олег Плановиков", "mrp.group_mrp_user,stock.group_stock_user",
                           cls.rub_company)
        cls.viewer_ru = user("scn_viewer_ru", "Вера Смотрова", viewer, cls.rub_company)
        cls.viewer_ua = user("scn_viewer_ua", "Віра Дивна", viewer, cls.uah_company)
        cls.marketer = user("scn_marketer", "Марк Кетов", "crm_marketing.group_crm_marketing_user",
                            cls.rub_company)
        cls.team_ru = cls.env["crm.team"].create({
            "name": "Продажи RU", "company_id": cls.rub_company.id,
            "member_ids": [Command.link(cls.ivan.id), Command.link(cls.petr.id)]})
        cls.team_ua = cls.env["crm.team"].create({
            "name": "Продажі UA", "company_id": cls.uah_company.id, "member_ids": [Command.link(cls.oksana.id)]})
        cls.stage_new = cls.env["crm.stage"].create({
            "name": "Сценарий: новая", "sequence": 0,
            "team_ids": [Command.link(cls.team_ru.id), Command.link(cls.team_ua.id)]})
        cls.reason_price = cls.env["crm.lost.reason"].create({"name": "Дорого"})
        cls.customer = cls.env["res.partner"].create({"name": "АО Заводчанин", "is_company": True})
        cls.env["crm.sales.plan"].create([{
            "name": "Q1 2026", "company_id": cls.rub_company.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31),
            "line_ids": [Command.create({"user_id": cls.ivan.id, "target_amount": 3000000.0}),
                         Command.create({"user_id": cls.petr.id, "target_amount": 1500000.0})],
        }, {
            "name": "Березень 2026", "company_id": cls.uah_company.id,
            "date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31),
            "line_ids": [Command.create({"user_id": cls.oksana.id, "target_amount": 250000.0})],
        }]).action_confirm()

    @classmethod
    def _setup_products(cls):
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.rub_company.id)], limit=1)
        cls.route_manufacture = warehouse.manufacture_pull_id.route_id
        cls.route_manufacture.product_selectable = True
        cls.component = cls.env["product.product"].create({
            "name": "Станина", "type": "consu", "is_storable": True, "company_id": cls.rub_company.id})
        cls.machine = cls.env["product.product"].create({
            "name": "Станок ЧПУ-500", "type": "consu", "is_storable": True, "list_price": 100000.0,
            "taxes_id": [Command.clear()], "company_id": cls.rub_company.id,
            "route_ids": [Command.set(cls.route_manufacture.ids)]})
        cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.machine.product_tmpl_id.id, "product_qty": 1.0, "type": "normal",
            "company_id": cls.rub_company.id,
            "bom_line_ids": [Command.create({"product_id": cls.component.id, "product_qty": 1.0})]})
        cls.lathe = cls.env["product.product"].create({
            "name": "Токарний верстат", "type": "consu", "list_price": 50000.0,
            "taxes_id": [Command.clear()], "company_id": cls.uah_company.id})
        cls.pricelist_usd = cls.env["product.pricelist"].create({
            "name": "Export USD", "currency_id": cls.usd.id, "company_id": False,
            "item_ids": [Command.create({"applied_on": "0_product_variant", "product_id": product.id,
                                         "compute_price": "fixed", "fixed_price": 1250.0})
                         for product in (cls.machine, cls.lathe)]})
        cls.pricelist_rub = cls.env["product.pricelist"].create({
            "name": "Рубли", "currency_id": cls.rub.id, "company_id": cls.rub_company.id})

    @classmethod
    def _setup_marketing(cls):
        cls.campaign = cls.env["utm.campaign"].create({
            "title": "Металлообработка-2026", "company_id": cls.rub_company.id})
        cost_type = cls.env["crm.campaign.cost.type"].create({"name": "Стенд на выставке"})
        cls.env["crm.campaign.cost"].create([
            {"campaign_id": cls.campaign.id, "cost_type_id": cost_type.id, "amount": amount,
             "currency_id": cls.usd.id, "date": day}
            for amount, day in ((2000.0, "2026-02-10"), (1000.0, "2026-03-10"))
        ])
        Competitor = cls.env["crm.competitor"]
        cls.rival_de, cls.rival_it = Competitor.create([{"name": "Werkzeug GmbH"}, {"name": "Torni SpA"}])
        cls.env["crm.competitor.price"].create([
            {"competitor_id": competitor.id, "product_id": product.id, "price": price,
             "currency_id": cls.eur.id, "date": day}
            for competitor, product, price, day in (
                (cls.rival_de, cls.machine, 900.0, "2026-02-10"),
                (cls.rival_de, cls.machine, 700.0, "2026-03-10"),  # the latest observation is compared
                (cls.rival_it, cls.machine, 950.0, "2026-02-12"),
                (cls.rival_de, cls.lathe, 1000.0, "2026-03-10"),
            )
        ])

    @classmethod
    def _deal(cls, user, team, name, probability, deadline, lines=(), pricelist=None, **values):
        return cls.env["crm.lead"].with_user(user).create({
            "name": name, "type": "opportunity", "partner_id": cls.customer.id,
            "user_id": user.id, "team_id": team.id, "stage_id": cls.stage_new.id,
            "probability": probability, "date_deadline": deadline,
            "crm_pricelist_id": (pricelist or cls.pricelist_usd).id,
            "crm_deal_line_ids": [Command.create({"product_id": product.id, "product_uom_qty": qty})
                              for product, qty in lines],
            **values,
        })

    @classmethod
    def _order_and_win(cls, deal, user):
        order = cls.env["sale.order"].browse(deal.with_user(user).action_create_quotation()["res_id"])
        order.with_user(user).action_confirm()
        return order

    @classmethod
    def _play_the_quarter(cls):
        with freeze_time("2025-12-15" + NOON):
            cls.deal_open = cls._deal(cls.ivan, cls.team_ru, "Модернизация цеха", 80, date(2026, 5, 20),
                                      [(cls.machine, 8)], campaign_id=cls.campaign.id)
            first_proposal = cls.env["mrp.production"].search([("crm_lead_id", "=", cls.deal_open.id)])
            cls.first_proposal_qty = first_proposal.product_qty
            # the planner can make half now: shrinks the proposal and confirms it
            first_proposal.with_user(cls.planner).product_qty = 4
            first_proposal.with_user(cls.planner).action_confirm()
            cls.confirmed_production = first_proposal
        with freeze_time("2026-01-20" + NOON):
            cls.deal_1 = cls._deal(cls.ivan, cls.team_ru, "Два станка", 30, date(2026, 2, 15),
                                   [(cls.machine, 2)], campaign_id=cls.campaign.id)
        with freeze_time("2026-02-15" + NOON):
            cls.order_1 = cls._order_and_win(cls.deal_1, cls.ivan)
        with freeze_time("2026-02-20" + NOON):
            cls.deal_3 = cls._deal(cls.petr, cls.team_ru, "Станок для училища", 30, date(2026, 3, 5),
                                   [(cls.machine, 1)], campaign_id=cls.campaign.id)
        with freeze_time("2026-02-25" + NOON):
            cls.deal_4 = cls._deal(cls.petr, cls.team_ru, "Тендер", 20, date(2026, 3, 12),
                                   expected_revenue=50000.0, pricelist=cls.pricelist_rub,
                                   campaign_id=cls.campaign.id)
        with freeze_time("2026-02-26" + NOON):
            cls.deal_6 = cls._deal(cls.oksana, cls.team_ua, "Два верстати", 60, date(2026, 3, 12),
                                   [(cls.lathe, 2)])
        with freeze_time("2026-02-27" + NOON):
            cls.deal_2 = cls._deal(cls.ivan, cls.team_ru, "Три станка", 50, date(2026, 3, 10),
                                   [(cls.machine, 3)], pricelist=cls.pricelist_rub)
        with freeze_time("2026-03-01" + NOON):
            cls.env["crm.forecast.snapshot"]._take_snapshot()
        with freeze_time("2026-03-05" + NOON):
            cls.order_3 = cls._order_and_win(cls.deal_3, cls.petr)
        with freeze_time("2026-03-10" + NOON):
            cls.order_2 = cls._order_and_win(cls.deal_2, cls.ivan)
        with freeze_time("2026-03-12" + NOON):
            cls.deal_4.with_user(cls.petr).action_set_lost(lost_reason_id=cls.reason_price.id)
            cls.order_6 = cls._order_and_win(cls.deal_6, cls.oksana)
        with freeze_time("2026-03-16" + NOON):
            # the deal becomes more probable: only the half not confirmed is proposed
            cls.deal_open.with_user(cls.ivan).probability = 90
        # create_date is the transaction's time: put each deal on its creation day
        cls.env.flush_all()
        for deal, day in ((cls.deal_open, "2025-12-15"), (cls.deal_1, "2026-01-20"), (cls.deal_3, "2026-02-20"),
                          (cls.deal_4, "2026-02-25"), (cls.deal_6, "2026-02-26"), (cls.deal_2, "2026-02-27")):
            cls.env.cr.execute(SQL("UPDATE crm_lead SET create_date = %s WHERE id = %s", day + NOON, deal.id))
        cls.env["crm.lead"].invalidate_model(["create_date"])

    def _dashboard(self, user, period, team):
        with freeze_time("2026-03-20" + NOON):
            return self.env["crm.analytics.dashboard"].with_user(user).get_dashboard_data(period, team.id)

    # ------------------------------------------------------------------ documents

    def test_deals_and_orders_in_company_currency(self):
        # each order is converted at the rate of its own date, each deal follows its orders
        self.assertEqual((self.order_1.currency_id, self.order_1.amount_untaxed), (self.usd, 2500.0))
        self.assertEqual(self.order_1.date_order, datetime(2026, 2, 15, 12))
        self.assertAlmostEqual(self.order_1.currency_rate, 0.01)
        self.assertEqual(self.deal_1.won_status, "won")
        self.assertAlmostEqual(self.deal_1.expected_revenue, 2500.0 / 0.01)  # 250000 RUB
        self.assertAlmostEqual(self.deal_3.expected_revenue, 1250.0 / 0.008)  # 156250 RUB
        self.assertAlmostEqual(self.deal_2.expected_revenue, 3 * 100000.0)  # RUB pricelist: list price
        self.assertAlmostEqual(self.deal_6.expected_revenue, 2500.0 / 0.02)  # 125000 UAH
        self.assertEqual(self.deal_6.company_id, self.uah_company)
        # the open deal keeps the rate of the day its lines were priced: 10000 USD at 80
        self.assertAlmostEqual(self.deal_open.crm_deal_line_amount, 10000.0)
        self.assertAlmostEqual(self.deal_open.expected_revenue, 10000.0 / 0.0125)  # 800000 RUB
        self.assertEqual((self.deal_4.won_status, self.deal_4.date_closed), ("lost", datetime(2026, 3, 12, 12)))

    # ------------------------------------------------------------------ plans and the managers' report

    def test_plan_lines_and_managers_report_rows(self):
        """Quarter 3000000 / 1500000: a third a month; achieved = untaxed confirmed orders in RUB:
        Ivan 250000 (Feb) + 300000 (Mar), Petr 156250 (Mar); Oksana 125000 UAH of 250000 UAH."""
        lines = self.env["crm.sales.plan.line"].search([("user_id", "in", (self.ivan | self.petr | self.oksana).ids)])
        self.assertEqual({line.user_id: (line.target_amount, line.achieved_amount, round(line.amount_rate, 4))
                          for line in lines}, {
            self.ivan: (3000000.0, 550000.0, 18.3333),  # 550000 / 3000000
            self.petr: (1500000.0, 156250.0, 10.4167),  # 156250 / 1500000
            self.oksana: (250000.0, 125000.0, 50.0),
        })
        Report = self.env["crm.analytics.manager"].with_user(self.viewer_ru)
        rows = Report._read_group(
            [("user_id", "!=", False), ("date", ">=", date(2026, 1, 1)), ("date", "<", date(2026, 4, 1))],
            ["user_id", "date:month"], ["target_amount:sum", "achieved_amount:sum", "achievement_rate:avg"])
        self.assertEqual([(user, month, round(target, 2), round(achieved, 2), rate and round(rate, 2))
                          for user, month, target, achieved, rate in rows], [
            (self.ivan, date(2026, 1, 1), 1000000.0, 0.0, 0.0),
            (self.ivan, date(2026, 2, 1), 1000000.0, 250000.0, 25.0),  # 250000 / 1000000
            (self.ivan, date(2026, 3, 1), 1000000.0, 300000.0, 30.0),  # 300000 / 1000000
            (self.petr, date(2026, 1, 1), 500000.0, 0.0, 0.0),
            (self.petr, date(2026, 2, 1), 500000.0, 0.0, 0.0),
            (self.petr, date(2026, 3, 1), 500000.0, 156250.0, 31.25),  # 156250 / 500000
        ], "the UAH company's rows are not the RUB viewer's")
        [[currency, target, achieved, rate]] = Report._read_group(
            [("team_id", "=", self.team_ru.id), ("date", ">=", date(2026, 1, 1)), ("date", "<", date(2026, 4, 1))],
            ["company_currency_id"], ["target_amount:sum", "achieved_amount:sum", "achievement_rate:avg"])
        # team: 4500000 target, 250000 + 300000 + 156250 = 706250 achieved, 15.69 %
        self.assertEqual((currency, target, achieved, round(rate, 2)), (self.rub, 4500000.0, 706250.0, 15.69))
        [[currency, target, achieved, rate]] = self.env["crm.analytics.manager"].with_user(self.viewer_ua)._read_group(
            [("date", ">=", date(2026, 3, 1)), ("date", "<", date(2026, 4, 1))],
            ["company_currency_id"], ["target_amount:sum", "achieved_amount:sum", "achievement_rate:avg"])
        self.assertEqual((currency, target, achieved, rate), (self.uah, 250000.0, 125000.0, 50.0))

    def test_category_target_of_won_deals_uses_odoo_rates(self):
        """Won deals count: Ivan's machines, 2500 USD won 2026-02-15 at the company's 100 RUB (250000) and
        300000 RUB won 2026-03-10, are 550000 of a 1000000 category target (55 %). A shared rate of another
        date (2026-02-10, no company) does not outrank the company's own rate, as in Odoo."""
        self.env["ir.config_parameter"].set_param("crm_core.plan_achievement_source", "won_deals")
        self.env["res.currency.rate"].create({"name": "2026-02-10", "currency_id": self.usd.id, "rate": 0.02,
                                          "company_id": False})
        machines = self.env["product.category"].create({"name": "Станки"})
        self.machine.categ_id = machines
        plan = self.env["crm.sales.plan"].create({
            "name": "Q1 2026: станки", "company_id": self.rub_company.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31),
            "line_ids": [Command.create({"user_id": self.ivan.id, "product_category_id": machines.id,
                                         "target_amount": 1000000.0})],
        })
        plan.action_confirm()
        self.env.flush_all()
        self.assertEqual((plan.line_ids.achieved_amount, plan.line_ids.amount_rate), (550000.0, 55.0))
        [[target, achieved, rate]] = self.env["crm.analytics.manager"].with_user(self.viewer_ru)._read_group(
            [("user_id", "=", self.ivan.id), ("product_category_id", "=", machines.id)], [],
            ["category_target_amount:sum", "category_achieved_amount:sum", "category_achievement_rate:avg"])
        self.assertEqual((round(target, 2), round(achieved, 2), round(rate, 2)), (1000000.0, 550000.0, 55.0),
                         "the report agrees with the plan")

    # ------------------------------------------------------------------ dashboard

    def test_dashboard_quarter_of_the_rub_company(self):
        data = self._dashboard(self.viewer_ru, "quarter", self.team_ru)
        self.assertEqual((data["period"], data["date_from"], data["date_to"], data["team_id"]),
                         ("quarter", "2026-01-01", "2026-03-31", self.team_ru.id))
        self.assertEqual(data["currency"],
                         {"id": self.rub.id, "symbol": self.rub.symbol, "position": self.rub.position})
        team_ids = {team["id"] for team in data["teams"]}
        self.assertIn(self.team_ru.id, team_ids)
        self.assertNotIn(self.team_ua.id, team_ids, "the UAH company's team is not offered")
        self.assertEqual(data["kpis"], {
            "won_count": 3,  # D1, D3, D2
            "lost_count": 1,  # D4
            "won_amount": 706250.0,  # 250000 + 156250 + 300000
            "win_rate": 75.0,  # 3 won of 4 closed
            "avg_deal_size": 235416.67,  # 706250 / 3
            "cycle_days": 16.7,  # (26 + 13 + 11) / 3
            "revenue_confirmed": 706250.0,  # the same three orders, untaxed, at their dates' rates
            "revenue_invoiced": 0.0,
            "activities_done": 0,
            "activities_overdue": 0,
            "pipeline_count": 1,  # D5, whatever its closing date
            "pipeline_weighted": 720000.0,  # 800000 x 90 %
            "pipeline_expected": 800000.0,
            "plan_target": 4500000.0,  # 3000000 + 1500000
            "plan_achieved": 706250.0,
            "plan_rate": 15.7,  # 706250 / 4500000 = 15.69 %
            "plan_source": "sale_orders",
        })
        self.assertEqual(data["managers"], [{
            "user_id": self.ivan.id, "user": self.ivan.name,
            "won_amount": 550000.0, "won_count": 2, "lost_count": 0, "win_rate": 100.0,
            "revenue_confirmed": 550000.0, "activities_done": 0,
            "plan_target": 3000000.0, "plan_achieved": 550000.0, "plan_rate": 18.3,  # 550000 / 3000000
        }, {
            "user_id": self.petr.id, "user": self.petr.name,
            "won_amount": 156250.0, "won_count": 1, "lost_count": 1, "win_rate": 50.0,
            "revenue_confirmed": 156250.0, "activities_done": 0,
            "plan_target": 1500000.0, "plan_achieved": 156250.0, "plan_rate": 10.4,  # 156250 / 1500000
        }])
        # one stay per deal of the quarter (no stage tracking): the won ones enter their won stage on
        # their closing date (0 days there, no conversion for a won stage), D4 stays in the new stage
        # from 2026-02-25 to its loss on 2026-03-12 (15 days, an ended stay that did not move on: 0 %);
        # D5, created in December, is not in the quarter's funnel
        won_stage = self.deal_1.stage_id
        self.assertEqual((self.deal_2.stage_id, self.deal_3.stage_id, self.deal_4.stage_id),
                         (won_stage, won_stage, self.stage_new))
        self.assertEqual(sorted(data["funnel"], key=lambda row: row["stage"]), sorted([
            {"stage_id": won_stage.id, "stage": won_stage.name, "count": 3, "value": 706250.0, "conversion": None,
             "days": 0.0},
            {"stage_id": self.stage_new.id, "stage": self.stage_new.name, "count": 1, "value": 50000.0,
             "conversion": 0.0, "days": 15.0},
        ], key=lambda row: row["stage"]))
        self.assertEqual(data["losses"], [{"reason_id": self.deal_4.lost_reason_id.id, "reason": "Дорого", "count": 1,
                                           "value": 50000.0}])
        # March snapshot (2026-03-01) beside the month's wins, weighted error sum |won - f| / sum won:
        # Ivan |300000 - 150000| / 300000 = 50 %, Petr 108750 / 156250 = 69.6 %, both 258750 / 456250
        # = 56.7 %; February has wins (250000) but no snapshot, so no error is measured for it
        self.assertEqual(data["forecast"], {
            "months": [{"month": "2026-02-01", "forecast": 0.0, "won": 250000.0},
                       {"month": "2026-03-01", "forecast": 197500.0, "won": 456250.0}],
            "error": 56.7, "forecast": 197500.0, "won": 456250.0,
            "users": [{"user_id": self.ivan.id, "user": self.ivan.name, "error": 50.0, "forecast": 150000.0,
                       "won": 300000.0},
                      {"user_id": self.petr.id, "user": self.petr.name, "error": 69.6, "forecast": 47500.0,
                       "won": 156250.0}],
        })
        self.assertEqual(data["service"], {
            "backlog": 0, "breached": 0, "tickets": 0, "first_response_hours": None, "resolution_hours": None,
            "sla_compliance": None, "satisfaction": None})

    def test_dashboard_month_of_the_uah_company(self):
        data = self._dashboard(self.viewer_ua, "month", self.team_ua)
        self.assertEqual((data["date_from"], data["date_to"]), ("2026-03-01", "2026-03-31"))
        self.assertEqual(data["currency"],
                         {"id": self.uah.id, "symbol": self.uah.symbol, "position": self.uah.position})
        self.assertEqual(data["kpis"], {
            "won_count": 1, "lost_count": 0,
            "won_amount": 125000.0,  # 2500 USD at 50 UAH on 2026-03-12
            "win_rate": 100.0, "avg_deal_size": 125000.0,
            "cycle_days": 14.0,  # 2026-02-26 to 2026-03-12
            "revenue_confirmed": 125000.0, "revenue_invoiced": 0.0,
            "activities_done": 0, "activities_overdue": 0,
            "pipeline_count": 0, "pipeline_weighted": 0.0, "pipeline_expected": 0.0,
            "plan_target": 250000.0, "plan_achieved": 125000.0, "plan_rate": 50.0, "plan_source": "sale_orders",
        })
        self.assertEqual(data["managers"], [{
            "user_id": self.oksana.id, "user": self.oksana.name,
            "won_amount": 125000.0, "won_count": 1, "lost_count": 0, "win_rate": 100.0,
            "revenue_confirmed": 125000.0, "activities_done": 0,
            "plan_target": 250000.0, "plan_achieved": 125000.0, "plan_rate": 50.0,
        }])
        # snapshot 100000 UAH x 60 % = 60000 against 125000 won: 65000 / 125000 = 52 %
        self.assertEqual(data["forecast"], {
            "months": [{"month": "2026-03-01", "forecast": 60000.0, "won": 125000.0}],
            "error": 52.0, "forecast": 60000.0, "won": 125000.0,
            "users": [{"user_id": self.oksana.id, "user": self.oksana.name, "error": 52.0, "forecast": 60000.0,
                       "won": 125000.0}],
        })

    def test_dashboard_never_adds_two_currencies(self):
        """A head of both companies sees the active company's figures in its currency, not RUB + UAH."""
        head = new_test_user(
            self.env, login="scn_head", name="Глава Холдинга",
            groups="base.group_user,crm_analytics.group_crm_analytics_viewer", company_id=self.rub_company.id,
            company_ids=[Command.set((self.rub_company | self.uah_company).ids)])
        for companies, currency, won_amount, plan_target in (
            (self.rub_company | self.uah_company, self.rub, 706250.0, 4500000.0),  # not 706250 + 125000
            (self.uah_company | self.rub_company, self.uah, 125000.0, 250000.0),
        ):
            with freeze_time("2026-03-20" + NOON):
                data = self.env["crm.analytics.dashboard"].with_user(head).with_context(
                    allowed_company_ids=companies.ids).get_dashboard_data("quarter")
            self.assertEqual(data["currency"]["symbol"], currency.symbol)
            self.assertEqual((data["kpis"]["won_amount"], data["kpis"]["plan_target"]), (won_amount, plan_target))
            self.assertEqual(sum(row["won_amount"] for row in data["managers"]), won_amount)
            self.assertEqual(sum(row["won"] for row in data["forecast"]["months"]), won_amount)

    # ------------------------------------------------------------------ campaign

    def test_campaign_figures_on_the_form_and_in_the_reports(self):
        """Revenue: D1's order 2500 USD at 100 (250000) + D3's 1250 USD at 125 (156250) = 406250 RUB;
        cost: 2000 USD at 100 (200000) + 1000 USD at 125 (125000) = 325000 RUB;
        ROI = (406250 - 325000) / 325000 = 25 %; 4 leads (the lost one too): 81250 a lead; 2 won: 162500."""
        campaign = self.campaign.with_user(self.marketer)
        self.assertEqual(campaign.currency_id, self.rub)
        self.assertEqual(
            (campaign.result_lead_count, campaign.result_won_count, campaign.result_revenue, campaign.cost_actual,
             campaign.cost_per_lead, campaign.cost_per_won, campaign.roi, campaign.win_rate),
            (4, 2, 406250.0, 325000.0, 81250.0, 162500.0, 25.0, 50.0))
        self.assertEqual((self.order_1.campaign_id, self.order_3.campaign_id), (self.campaign, self.campaign))
        [roi_row] = self.env["crm.analytics.campaign.roi"].with_user(self.viewer_ru).search(
            [("campaign_id", "=", self.campaign.id)])
        self.assertEqual(
            (roi_row.company_currency_id, roi_row.lead_count, roi_row.won_count, roi_row.revenue, roi_row.cost,
             roi_row.conversion_rate, roi_row.cost_per_lead, roi_row.cost_per_won, roi_row.roi),
            (self.rub, 4, 2, 406250.0, 325000.0, 50.0, 81250.0, 162500.0, 25.0))
        [[currency, leads, won, revenue, cost]] = self.env["crm.analytics.campaign"].with_user(
            self.viewer_ru)._read_group([("campaign_id", "=", self.campaign.id)], ["company_currency_id"],
                                        ["lead_count:sum", "won_count:sum", "revenue:sum", "cost:sum"])
        self.assertEqual((currency, leads, won, revenue, cost), (self.rub, 4, 2, 406250.0, 325000.0))
        months = self.env["crm.analytics.campaign"].with_user(self.viewer_ru)._read_group(
            [("campaign_id", "=", self.campaign.id), ("lead_id", "=", False)], ["date:month"],
            ["revenue:sum", "cost:sum"])
        # money rows are dated by their document: February 250000 / 200000, March 156250 / 125000
        self.assertEqual(months, [(date(2026, 2, 1), 250000.0, 200000.0), (date(2026, 3, 1), 156250.0, 125000.0)])

    def test_campaign_order_date_is_the_utc_date_whatever_the_database_time_zone(self):
        """An order at 2026-02-28 23:30 UTC is a February order (Odoo's own rate: 0.01) even when the
        PostgreSQL session runs in Moscow time, where it is already March 1st (rate 0.008)."""
        campaign = self.env["utm.campaign"].create({"title": "Поздний заказ", "company_id": self.rub_company.id})
        order = self.env["sale.order"].with_company(self.rub_company).create({
            "partner_id": self.customer.id, "company_id": self.rub_company.id, "campaign_id": campaign.id,
            "pricelist_id": self.pricelist_usd.id,
            "order_line": [Command.create({"product_id": self.machine.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        order.date_order = "2026-02-28 23:30:00"
        self.assertAlmostEqual(order.currency_rate, 0.01)
        self.env.flush_all()
        self.env.cr.execute(SQL("SET LOCAL timezone TO 'Europe/Moscow'"))
        self.addCleanup(self.env.cr.execute, SQL("RESET timezone"))
        self.assertAlmostEqual(campaign.result_revenue, 1250.0 / 0.01)  # 125000 RUB, not 1250 / 0.008
        money = self.env["crm.analytics.campaign"]._read_group(
            [("campaign_id", "=", campaign.id)], ["date:day"], ["revenue:sum"])
        self.assertEqual(money, [(date(2026, 2, 28), 125000.0)])

    # ------------------------------------------------------------------ competitor prices

    def test_competitor_prices_in_euros(self):
        rows = self.env["crm.competitor.price.report"].search(
            [("product_id", "in", (self.machine | self.lathe).ids)])
        self.assertEqual(sorted(
            (row.product_id.name, row.competitor_id.name, str(row.date), row.currency_id.name, row.competitor_price,
             row.our_currency_id.name, row.competitor_price_converted, row.our_price, row.difference,
             round(row.difference_pct, 2))
            for row in rows), sorted([
            # 700 EUR at 160 RUB (2026-03-10) = 112000 RUB against 100000: +12000, +12 %
            ("Станок ЧПУ-500", "Werkzeug GmbH", "2026-03-10", "EUR", 700.0, "RUB", 112000.0, 100000.0, 12000.0,
             12.0),
            # 950 EUR at 100 RUB (2026-02-12) = 95000 RUB: -5000, -5 %
            ("Станок ЧПУ-500", "Torni SpA", "2026-02-12", "EUR", 950.0, "RUB", 95000.0, 100000.0, -5000.0, -5.0),
            # 1000 EUR at 62.5 UAH (2026-03-10) = 62500 UAH against 50000 UAH: +12500, +25 %
            ("Токарний верстат", "Werkzeug GmbH", "2026-03-10", "EUR", 1000.0, "UAH", 62500.0, 50000.0, 12500.0,
             25.0),
        ]))

    # ------------------------------------------------------------------ production and demand

    def test_production_proposals_and_demand_forecast(self):
        productions = self.env["mrp.production"].with_user(self.planner).search(
            [("crm_lead_id", "=", self.deal_open.id)], order="id")
        # 8 proposed at 80 %, 4 confirmed by the planner, the other 8 - 4 = 4 proposed again at 90 %
        self.assertEqual(self.first_proposal_qty, 8.0)
        self.assertEqual([(production.state, production.product_qty, production.company_id)
                          for production in productions],
                         [("confirmed", 4.0, self.rub_company), ("draft", 4.0, self.rub_company)])
        self.assertEqual(productions[0], self.confirmed_production)
        self.assertEqual(self.deal_open.crm_production_count, 2)
        self.assertFalse(self.env["mrp.production"].search([("crm_lead_id", "in", (self.deal_1 | self.deal_2).ids),
                                                            ("state", "!=", "cancel")]),
                         "deals below 70 % never had proposals")
        forecast = self.env["crm.demand.forecast"].with_user(self.planner)._read_group(
            [("product_id", "=", self.machine.id)], ["date:month", "source"],
            ["pipeline_qty:sum", "expected_qty:sum", "confirmed_qty:sum", "total_qty:sum"])
        self.assertEqual([(month, source, pipeline, round(expected, 2), confirmed, round(total, 2))
                          for month, source, pipeline, expected, confirmed, total in forecast], [
            (date(2026, 2, 1), "order", 0.0, 0.0, 2.0, 2.0),  # D1's order
            (date(2026, 3, 1), "order", 0.0, 0.0, 4.0, 4.0),  # D3's 1 + D2's 3
            (date(2026, 5, 1), "pipeline", 8.0, 7.2, 0.0, 7.2),  # D5: 8 x 90 %, closing in May
        ])
        self.assertFalse(self.env["crm.demand.forecast"].with_user(self.planner).search(
            [("product_id", "=", self.lathe.id)]), "the UAH company's demand is not the RUB planner's")
