from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

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

    def test_losses_by_competitor(self):
        """crm_marketing's "Lost To" on the deal is the report's competitor."""
        Loss = self.env["crm.analytics.loss"].with_user(self.viewer)
        domain = [("lead_id", "=", self.lost_1.id)]
        self.assertEqual(Loss.search(domain).competitor, False)
        self.lost_1.crm_lost_competitor_id = self.env["crm.competitor"].create({"name": "AN: ООО Конкурент"})
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(Loss.search(domain).competitor, "AN: ООО Конкурент")


    def test_a_deal_won_in_the_second_it_was_created_has_no_negative_cycle(self):
        """date_closed is whole seconds, create_date keeps microseconds: such a deal's cycle is 0, not -0.0."""
        quick = self.create_opportunity("AN won at once", 100.0, user=self.seller_2)
        with freeze_time("2025-03-12 09:00:00"):
            quick.stage_id = self.stage_won
        self.set_create_date(quick, datetime(2025, 3, 12, 9, 0, 0, 400000))
        self.env.flush_all()
        [[cycle]] = self.env["crm.analytics.manager"].with_user(self.viewer)._read_group(
            [("id", "=", quick.id * 8), ("fact", "=", "deal")], [], ["cycle_days:min"])
        self.assertEqual(cycle, 0.0)

@tagged("post_install", "-at_install")
class TestCrmAnalyticsManagerPlans(CrmAnalyticsCommon):
    """Sales plan targets and achievement in the manager report.

    March 2025: Anna wins 1000 + 3000 and confirms an order of 3 x 500 = 1500 (AN Product 1);
    Boris wins 2000. Both are members (main team) of the Analytics Team.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        won = cls.create_opportunity("AN plan won 1", 1000.0) | cls.create_opportunity("AN plan won 2", 3000.0)
        won |= cls.create_opportunity("AN plan won 3", 2000.0, user=cls.seller_2)
        with freeze_time("2025-03-10 12:00:00"):
            won.write({"stage_id": cls.stage_won.id})
        cls.order = cls.create_order(cls.customers[0], [(cls.products[0], 3, 500.0)], date(2025, 3, 5))
        cls.other_team = cls.env["crm.team"].create({"name": "AN Other Team"})
        cls.category = cls.env["product.category"].create({"name": "AN Chairs"})
        cls.products[0].categ_id = cls.category
        cls.env.flush_all()

    def _set_source(self, source):
        self.env["ir.config_parameter"].set_param("crm_core.plan_achievement_source", source)

    def _confirmed_plan(self, date_from, date_to, lines):
        plan = self.env["crm.sales.plan"].create({
            "name": "AN plan", "date_from": date_from, "date_to": date_to,
            "line_ids": [Command.create(values) for values in lines],
        })
        plan.action_confirm()
        self.env.flush_all()
        return plan

    def _report(self, domain, groupby, aggregates):
        return self.env["crm.analytics.manager"].with_user(self.viewer)._read_group(domain, groupby, aggregates)

    def test_quarterly_target_gives_a_third_to_each_month(self):
        self._confirmed_plan(date(2025, 1, 1), date(2025, 3, 31),
                             [{"user_id": self.seller_1.id, "target_amount": 9000.0}])
        # a period not aligned on months: 15 of April's 30 days (weight 0.5) and all of May (weight 1)
        self._confirmed_plan(date(2025, 4, 16), date(2025, 5, 31),
                             [{"user_id": self.seller_1.id, "target_amount": 1500.0}])
        months = self._report([("user_id", "=", self.seller_1.id), ("fact", "=", "target")],
                              ["date:month"], ["target_amount:sum"])
        self.assertEqual([(month, round(target, 2)) for month, target in months], [
            (date(2025, 1, 1), 3000.0), (date(2025, 2, 1), 3000.0), (date(2025, 3, 1), 3000.0),
            (date(2025, 4, 1), 500.0), (date(2025, 5, 1), 1000.0),
        ])
        [[april_day]] = self._report([("user_id", "=", self.seller_1.id), ("fact", "=", "target"),
                                      ("date", ">=", date(2025, 4, 1)), ("date", "<", date(2025, 5, 1))],
                                     [], ["date:max"])
        self.assertEqual(april_day, date(2025, 4, 16), "a month's portion is dated on its first day in the period")

    def test_months_of_a_plan_line_are_estimated_not_counted_as_a_thousand(self):
        """The months a target spans come from ``crm_analytics_month_starts``: the months themselves,
        and a planner estimate of about a year (not 1000 rows per line, which pushed every read of
        the report over PostgreSQL's JIT threshold)."""
        cr = self.env.cr
        cr.execute("SELECT m::date FROM crm_analytics_month_starts('2025-01-16', '2025-03-31') AS m")
        self.assertEqual([row[0] for row in cr.fetchall()], [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)])
        cr.execute("EXPLAIN (FORMAT JSON) SELECT * FROM crm_analytics_month_starts('2025-01-01', '2025-12-31')")
        self.assertEqual(cr.fetchone()[0][0]["Plan"]["Plan Rows"], 12)
        self._confirmed_plan(date(2025, 1, 1), date(2025, 12, 31), [
            {"user_id": user.id, "target_amount": 1000.0} for user in (self.seller_1, self.seller_2)])
        cr.execute("SHOW jit_above_cost")
        jit_above_cost = float(cr.fetchone()[0])
        query = self.env["crm.analytics.manager"]._table_query
        cr.execute(SQL("EXPLAIN (FORMAT JSON) SELECT sum(target_amount) FROM (%s) r WHERE r.fact = 'target'", query))
        self.assertLess(cr.fetchone()[0][0]["Plan"]["Total Cost"], jit_above_cost,
                        "the report's targets never cost a JIT compilation")

    def test_member_team_and_category_targets_are_not_added_twice(self):
        self._confirmed_plan(date(2025, 3, 1), date(2025, 3, 31), [
            {"user_id": self.seller_1.id, "target_amount": 4000.0},
            {"user_id": self.seller_2.id, "target_amount": 2000.0},
            # stands for the team: its members' targets are a breakdown of it
            {"team_id": self.team.id, "target_amount": 10000.0},
            # nobody in this team has a target
            {"team_id": self.other_team.id, "target_amount": 5000.0},
            # a part of Anna's target, never added to it
            {"user_id": self.seller_1.id, "product_category_id": self.category.id, "target_amount": 1000.0},
        ])
        teams = dict(self._report([("fact", "=", "target")], ["team_id"], ["target_amount:sum"]))
        self.assertEqual((teams[self.team], teams[self.other_team]), (10000.0, 5000.0))
        users = dict(self._report([("fact", "=", "target"), ("team_id", "=", self.team.id)], ["user_id"],
                                  ["target_amount:sum"]))
        self.assertEqual(users, {self.seller_1: 4000.0, self.seller_2: 2000.0, self.env["res.users"]: 4000.0},
                         "the members' targets, and the part of the team's target nobody holds")
        # the test's teams only: a database with demo data has plans of its own
        [[total, category_total]] = self._report([("team_id", "in", (self.team | self.other_team).ids)], [],
                                                 ["target_amount:sum", "category_target_amount:sum"])
        self.assertEqual((total, category_total), (15000.0, 1000.0))

    def test_report_totals_agree_with_the_plan_form(self):
        """One rule in the plan form and the report: team 100 with Anna 30 and Boris 50 make 100, not 80
        nor 180; in the chairs category, the team's 60 with Anna's 20 make 60, and Anna's order of chairs
        (1500) counts once for the team."""
        self._set_source("sale_orders")
        plan = self._confirmed_plan(date(2025, 3, 1), date(2025, 3, 31), [
            {"team_id": self.team.id, "target_amount": 100.0},
            {"user_id": self.seller_1.id, "target_amount": 30.0},
            {"user_id": self.seller_2.id, "target_amount": 50.0},
            {"team_id": self.team.id, "product_category_id": self.category.id, "target_amount": 60.0},
            {"user_id": self.seller_1.id, "product_category_id": self.category.id, "target_amount": 20.0},
        ])
        category_lines = plan.line_ids.filtered("product_category_id")
        form_category_total = sum(category_lines._get_counted_lines().mapped("target_amount"))
        self.assertEqual((plan.target_amount, form_category_total), (100.0, 60.0))
        # the test's team only: a database with demo data has plans of its own
        team_domain = [("team_id", "=", self.team.id), ("fact", "in", ("target", "category_sale"))]
        [[total, category_total, category_achieved]] = self._report(
            team_domain, [], ["target_amount:sum", "category_target_amount:sum", "category_achieved_amount:sum"])
        self.assertEqual((total, category_total), (plan.target_amount, form_category_total))
        self.assertEqual(category_achieved, 1500.0, "Anna's chairs count once, for her target, not again for the team")
        users = {user: rest for user, *rest in self._report(
            team_domain, ["user_id"], ["target_amount:sum", "category_target_amount:sum",
                                       "category_achieved_amount:sum"])}
        self.assertEqual(users, {
            self.seller_1: [30.0, 20.0, 1500.0],
            self.seller_2: [50.0, 0.0, 0.0],
            self.env["res.users"]: [20.0, 40.0, 0.0],
        })

    def test_achievement_value_and_rate_per_person_team_and_category(self):
        """Won deals: Anna 4000 / 8000 = 50 %, Boris 2000 / 1000 = 200 %, team 6000 / 9000 = 66.7 %.

        Confirmed orders: Anna 1500 / 8000 = 18.75 %; her chairs target 1500 / 1000 = 150 %.
        """
        plan = self._confirmed_plan(date(2025, 3, 1), date(2025, 3, 31), [
            {"user_id": self.seller_1.id, "target_amount": 8000.0},
            {"user_id": self.seller_2.id, "target_amount": 1000.0},
            {"user_id": self.seller_1.id, "product_category_id": self.category.id, "target_amount": 1000.0},
        ])
        line_anna = plan.line_ids.filtered(lambda line: line.user_id == self.seller_1 and not line.product_category_id)
        line_chairs = plan.line_ids.filtered("product_category_id")
        march = [("date", ">=", date(2025, 3, 1)), ("date", "<=", date(2025, 3, 31))]
        aggregates = ["target_amount:sum", "achieved_amount:sum", "achievement_rate:avg"]

        self._set_source("won_deals")
        users = {user: rest for user, *rest in self._report(march, ["user_id"], aggregates)}
        self.assertEqual(users[self.seller_1], [8000.0, 4000.0, 50.0])
        self.assertEqual(users[self.seller_2], [1000.0, 2000.0, 200.0])
        [[team, target, achieved, rate]] = self._report(march + [("team_id", "=", self.team.id)], ["team_id"],
                                                        aggregates)
        self.assertEqual((team, target, achieved), (self.team, 9000.0, 6000.0))
        self.assertAlmostEqual(rate, 200.0 / 3)
        line_anna.invalidate_recordset()
        self.assertEqual(users[self.seller_1][1], line_anna.achieved_amount, "the report agrees with the plan")

        self._set_source("sale_orders")
        users = {user: rest for user, *rest in self._report(march, ["user_id"], aggregates)}
        self.assertEqual(users[self.seller_1], [8000.0, 1500.0, 18.75])
        self.assertEqual(users[self.seller_2], [1000.0, 0.0, 0.0])
        categories = {categ: rest for categ, *rest in self._report(
            march + [("product_category_id", "!=", False)], ["product_category_id"],
            ["category_target_amount:sum", "category_achieved_amount:sum", "category_achievement_rate:avg"])}
        self.assertEqual(categories[self.category], [1000.0, 1500.0, 150.0])
        (line_anna | line_chairs).invalidate_recordset()
        self.assertEqual((line_anna.achieved_amount, line_chairs.achieved_amount), (1500.0, 1500.0),
                         "the report agrees with the plan")
