from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import format_amount, mute_logger

from .common_pipeline import CrmPipelineCommon


@tagged("post_install", "-at_install")
class TestSalesPlan(CrmPipelineCommon):
    """Targets per salesperson and team, achievement from won deals or confirmed orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["crm.sales.plan"].create({
            "name": "I квартал 2030",
            "date_from": "2030-01-01",
            "date_to": "2030-03-31",
            "line_ids": [
                Command.create({"user_id": cls.user_anna.id, "target_count": 4, "target_amount": 3000.0}),
                Command.create({"user_id": cls.user_boris.id, "target_count": 2, "target_amount": 1000.0}),
                Command.create({"team_id": cls.team.id, "target_count": 10, "target_amount": 5000.0}),
                Command.create({"team_id": cls.team.id, "product_category_id": cls.categ_furniture.id,
                                "target_count": 2, "target_amount": 1000.0}),
            ],
        })
        cls.line_anna, cls.line_boris, cls.line_team, cls.line_furniture = cls.plan.line_ids.sorted("id")
        cls.customer_company_values = {"partner_id": cls.customer.id}

    def _set_source(self, source):
        settings = self.env["res.config.settings"].create({"crm_plan_achievement_source": source})
        settings.execute()
        self.assertEqual(self.plan.achievement_source, source)

    def _win(self, name, user, revenue, when, **values):
        deal = self._create_deal(name, user, expected_revenue=revenue, **values)
        with freeze_time(when):
            deal.action_set_won()
        return deal

    def _confirmed_order(self, user, lines, when, team=None):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "user_id": user.id,
            "team_id": (team or self.team).id,
            "order_line": [Command.create({
                "product_id": product.id, "product_uom_qty": qty, "price_unit": price,
            }) for product, qty, price in lines],
        })
        with freeze_time(when):
            order.action_confirm()
        return order

    def _team_member_with_team_rights(self, login):
        user = self.env["res.users"].create({
            "name": "Галина Тимлидова",
            "login": login,
            "group_ids": [Command.link(self.env.ref("crm_core.group_crm_salesman_team").id)],
        })
        self.team.member_ids = [Command.link(user.id)]
        return user

    def _achievement(self, line):
        line.invalidate_recordset()
        return line.achieved_amount, line.achieved_count

    def test_achievement_from_won_deals(self):
        self._set_source("won_deals")
        self._win("Стулья для «Ромашки»", self.user_anna, 1000.0, "2030-02-10 10:00:00")
        self._win("Столы для «Ромашки»", self.user_anna, 500.0, "2030-03-31 20:00:00")
        self._win("Сборка", self.user_boris, 300.0, "2030-01-05 10:00:00")
        self._win("Прошлый год", self.user_anna, 9999.0, "2029-12-31 20:00:00")
        self._win("Другой отдел", self.user_anna, 700.0, "2030-02-01 10:00:00", team_id=self.team_other.id)
        self._create_deal("Ещё в работе", self.user_boris, expected_revenue=5000.0)
        lost = self._create_deal("Проиграна", self.user_boris, expected_revenue=4000.0)
        with freeze_time("2030-02-01 10:00:00"):
            lost.action_set_lost()

        self.assertEqual(self._achievement(self.line_anna), (2200.0, 3), "Anna's deals, whatever the team")
        self.assertEqual(self._achievement(self.line_boris), (300.0, 1))
        self.assertEqual(self._achievement(self.line_team), (1800.0, 3), "the team's deals, whoever won them")
        self.assertAlmostEqual(self.line_anna.amount_rate, 2200.0 / 3000.0 * 100)
        self.assertEqual(self.line_anna.count_rate, 75.0)
        self.assertEqual(self.line_anna.progress_label, "3 / 4 deals won")
        # plan totals: the team targets (they contain their members' results)
        self.plan.invalidate_recordset()
        self.assertEqual((self.plan.achieved_count, self.plan.target_count), (3, 10))
        self.assertEqual(self.plan.progress_label, "3 / 10 deals won")

    def test_category_achievement_from_won_deals_product_lines(self):
        self._set_source("won_deals")
        deal = self._create_deal("Стулья и сборка", self.user_anna, partner_id=self.customer.id)
        self.env["crm.deal.line"].create([{
            "lead_id": deal.id, "product_id": self.product_chair.id, "product_uom_qty": 3, "price_unit": 100.0,
        }, {
            "lead_id": deal.id, "product_id": self.product_assembly.id, "product_uom_qty": 1, "price_unit": 50.0,
        }])
        with freeze_time("2030-02-10 10:00:00"):
            deal.action_set_won()
        chairs = sum(deal.crm_deal_line_ids.filtered(lambda line: line.product_id == self.product_chair)
                     .mapped("price_subtotal"))
        self.assertEqual(self._achievement(self.line_furniture), (chairs, 1), "subcategories count, services do not")

    def test_achievement_from_confirmed_orders(self):
        self._set_source("sale_orders")
        self._confirmed_order(self.user_anna, [(self.product_chair, 10, 100.0), (self.product_assembly, 2, 50.0)],
                              "2030-02-10 10:00:00")
        self._confirmed_order(self.user_boris, [(self.product_assembly, 4, 50.0)], "2030-03-01 10:00:00")
        self._confirmed_order(self.user_boris, [(self.product_chair, 1, 100.0)], "2030-04-01 10:00:00")
        self.env["sale.order"].create({  # a quotation never counts
            "partner_id": self.customer.id,
            "user_id": self.user_anna.id,
            "order_line": [Command.create({"product_id": self.product_chair.id, "price_unit": 999.0})],
        })
        # a won deal does not count when orders are the source
        self._win("Сделка без заказа", self.user_anna, 5000.0, "2030-02-10 10:00:00")

        self.assertEqual(self._achievement(self.line_anna), (1100.0, 1))
        self.assertEqual(self._achievement(self.line_boris), (200.0, 1))
        self.assertEqual(self._achievement(self.line_team), (1300.0, 2))
        self.assertEqual(self._achievement(self.line_furniture), (1000.0, 1), "only the chairs of Anna's order")

    def test_progress_label_follows_what_the_plan_counts(self):
        """Orders mode: "orders confirmed", not "deals won"; an amount-only target shows the amounts."""
        self._set_source("sale_orders")
        self._confirmed_order(self.user_anna, [(self.product_chair, 10, 100.0)], "2030-02-10 10:00:00")
        self._confirmed_order(self.user_boris, [(self.product_assembly, 4, 50.0)], "2030-03-01 10:00:00")
        self.line_boris.target_count = 0
        self.env.invalidate_all()
        self.assertEqual(self.line_anna.progress_label, "1 / 4 orders confirmed")
        currency = self.plan.currency_id
        self.assertEqual(
            self.line_boris.progress_label,
            f"{format_amount(self.env, 200.0, currency)} / {format_amount(self.env, 1000.0, currency)}"
            " in confirmed orders")
        self.assertEqual(self.plan.progress_label, "2 / 10 orders confirmed")
        self._set_source("won_deals")
        self.env.invalidate_all()
        self.assertEqual(self.line_anna.progress_label, "0 / 4 deals won")
        self.assertEqual(
            self.line_boris.progress_label,
            f"{format_amount(self.env, 0.0, currency)} / {format_amount(self.env, 1000.0, currency)} in won deals")

    def test_achievement_is_computed_in_a_few_queries_whatever_the_number_of_lines(self):
        self._set_source("won_deals")
        self._win("Стулья", self.user_anna, 1000.0, "2030-02-10 10:00:00")
        users = self.env["res.users"].create([{
            "name": f"Продавец {index}", "login": f"pipe_seller_{index}",
            "group_ids": [Command.link(self.env.ref("sales_team.group_sale_salesman").id)],
        } for index in range(8)])
        big_plan = self.plan.copy({"name": "Большой план"})
        big_plan.line_ids = [Command.create({"user_id": user.id, "target_count": 1}) for user in users]
        self.env.flush_all()

        def count_queries(plan):
            # as the web client does: browse the ids, read the computed columns
            lines = self.env["crm.sales.plan.line"].browse(plan.line_ids.ids)
            lines.invalidate_recordset()
            before = self.env.cr.sql_log_count
            lines.read(["achieved_amount", "achieved_count", "amount_rate", "progress_label"])
            return self.env.cr.sql_log_count - before

        count_queries(self.plan)  # warm the caches (configuration, currencies)
        self.assertEqual(len(big_plan.line_ids), 12)
        self.assertEqual(count_queries(big_plan), count_queries(self.plan), "no query per target line")

    def test_salesperson_reads_own_targets_only_and_cannot_edit(self):
        plan_anna = self.plan.with_user(self.user_anna)
        self.assertEqual(plan_anna.line_ids, self.line_anna, "a salesperson sees their own targets")
        self.assertEqual(plan_anna.target_count, 4, "the plan shows Anna her own target")
        with self.assertRaises(AccessError):
            self.line_boris.with_user(self.user_anna).read(["target_amount"])
        with self.assertRaises(AccessError):
            self.line_anna.with_user(self.user_anna).write({"target_amount": 1.0})
        with self.assertRaises(AccessError):
            plan_anna.write({"date_to": "2030-12-31"})
        with self.assertRaises(AccessError):
            self.env["crm.sales.plan"].with_user(self.user_anna).create({
                "name": "Свой план", "date_from": "2030-01-01", "date_to": "2030-12-31"})

    def test_manager_plans_and_confirms(self):
        with Form(self.env["crm.sales.plan"].with_user(self.user_manager)) as plan_form:
            plan_form.name = "II квартал 2030"
            plan_form.date_from = "2030-04-01"
            plan_form.date_to = "2030-06-30"
            with plan_form.line_ids.new() as line:
                line.user_id = self.user_anna
                line.target_count = 5
                line.target_amount = 4000.0
        plan = plan_form.record
        plan.action_confirm()
        self.assertEqual(plan.state, "confirmed")
        plan.action_close()
        self.assertEqual(plan.state, "closed")
        with self.assertRaises(UserError):
            plan.action_close()
        empty = self.env["crm.sales.plan"].with_user(self.user_manager).create({
            "name": "Пустой", "date_from": "2030-04-01", "date_to": "2030-06-30"})
        with self.assertRaises(UserError):
            empty.action_confirm()

    def test_team_target_stands_for_its_members_without_double_counting(self):
        """Team «Север» 100 with Anna 30 and Boris 50: 100, not 180 nor 80; a salesperson of «Юг»
        (no team target) adds 40; the category target of «Север» is never added: 140."""
        user_south = new_test_user(self.env, login="pipe_south", groups="sales_team.group_sale_salesman",
                                   name="Семён Южный")
        self.team_other.member_ids = [Command.link(user_south.id)]
        plan = self.env["crm.sales.plan"].create({
            "name": "Апрель 2030", "date_from": "2030-04-01", "date_to": "2030-04-30",
            "line_ids": [
                Command.create({"team_id": self.team.id, "target_amount": 100.0, "target_count": 10}),
                Command.create({"user_id": self.user_anna.id, "target_amount": 30.0, "target_count": 3}),
                Command.create({"user_id": self.user_boris.id, "target_amount": 50.0, "target_count": 5}),
                Command.create({"user_id": user_south.id, "target_amount": 40.0, "target_count": 4}),
                Command.create({"team_id": self.team.id, "product_category_id": self.categ_furniture.id,
                                "target_amount": 60.0}),
            ],
        })
        line_team, line_anna, line_boris, line_south, line_category = plan.line_ids.sorted("id")
        self.assertEqual(dict(plan.line_ids._get_target_breakdown()), {line_team: line_anna | line_boris})
        self.assertEqual(plan.line_ids._get_counted_lines(), line_team | line_south | line_category)
        self.assertEqual((plan.target_amount, plan.target_count), (140.0, 14))
        plan.invalidate_recordset()
        self.assertEqual(plan.with_user(self.user_anna).target_amount, 30.0, "Anna's own plan: her target")

    def test_a_target_is_for_a_salesperson_or_a_team(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["crm.sales.plan.line"].create({
                "plan_id": self.plan.id, "user_id": self.user_anna.id, "team_id": self.team.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["crm.sales.plan"].create({"name": "Наоборот", "date_from": "2030-02-01", "date_to": "2030-01-01"})

    def test_team_lead_reads_the_team_targets_not_other_teams(self):
        lead_of_team = self._team_member_with_team_rights("pipe_team_lead")
        line_south = self.env["crm.sales.plan.line"].create({
            "plan_id": self.plan.id, "team_id": self.team_other.id, "target_count": 3})
        visible = self.env["crm.sales.plan.line"].with_user(lead_of_team).search([("plan_id", "=", self.plan.id)])
        self.assertEqual(visible, self.line_anna | self.line_boris | self.line_team | self.line_furniture)
        self.assertNotIn(line_south, visible)

    def test_plans_of_another_company_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "АО «Вектор»"})
        plan_other = self.env["crm.sales.plan"].create({
            "name": "План «Вектора»",
            "company_id": other_company.id,
            "date_from": "2030-01-01",
            "date_to": "2030-03-31",
            "line_ids": [Command.create({"user_id": self.user_anna.id, "target_count": 1})],
        })
        manager = self.user_manager
        self.assertFalse(self.env["crm.sales.plan"].with_user(manager).search([("id", "=", plan_other.id)]))
        with self.assertRaises(AccessError):
            plan_other.line_ids.with_user(self.user_anna).read(["target_count"])

    def test_team_dashboard_shows_the_current_target(self):
        self._set_source("won_deals")
        self._win("Стулья", self.user_boris, 1000.0, "2030-02-10 10:00:00")
        team = self.team.with_user(self.user_manager)
        with freeze_time("2030-02-15 10:00:00"):
            self.assertFalse(team.crm_current_plan_line_id, "a draft plan is not shown")
            self.plan.action_confirm()
            team.invalidate_recordset()
            self.assertEqual(team.crm_current_plan_line_id, self.line_team)
            self.assertEqual(team.crm_current_plan_progress, "1 / 10 deals won")
        with freeze_time("2030-04-15 10:00:00"):
            team.invalidate_recordset()
            self.assertFalse(team.crm_current_plan_line_id, "the plan's period is over")

    def test_pipeline_counters_show_the_users_running_targets(self):
        self._set_source("won_deals")
        self._win("Стулья", self.user_anna, 1000.0, "2030-02-10 10:00:00")
        self._win("Столы", self.user_anna, 500.0, "2030-02-11 10:00:00")
        self._win("Сборка", self.user_boris, 300.0, "2030-02-12 10:00:00")
        lines = self.env["crm.sales.plan.line"]
        lead_of_team = self._team_member_with_team_rights("pipe_progress_lead")
        with freeze_time("2030-02-15 10:00:00"):
            self.assertEqual(lines.with_user(self.user_anna).get_pipeline_progress(), [], "a draft plan counts nothing")
            self.plan.action_confirm()
            anna = lines.with_user(self.user_anna).get_pipeline_progress()
            self.assertEqual([p["id"] for p in anna], [self.line_anna.id], "Anna sees her own target only")
            self.assertEqual(anna[0]["label"], "My plan: 2 of 4 deals won")
            self.assertEqual((anna[0]["achieved_amount"], anna[0]["target_amount"]), (1500.0, 3000.0))
            self.assertEqual((anna[0]["count_rate"], anna[0]["amount_rate"]), (50.0, 50.0))
            team = lines.with_user(lead_of_team).get_pipeline_progress()
            self.assertEqual([p["id"] for p in team], [self.line_team.id, self.line_furniture.id],
                             "a team member without a personal target sees the team's targets")
            self.assertEqual(team[0]["label"], f"{self.team.name}: 3 of 10 deals won")
            self.assertIn(self.categ_furniture.name, team[1]["label"])
            self.line_anna.target_count = 0
            anna = lines.with_user(self.user_anna).get_pipeline_progress()
            self.assertEqual(anna[0]["label"], "My plan: 50% of the amount in won deals", "a target without deal count")
            self.assertEqual(anna[0]["rate"], 50.0)
            self.line_anna.target_count = 4
            self._set_source("sale_orders")
            self.env.invalidate_all()  # a new request computes again
            anna = lines.with_user(self.user_anna).get_pipeline_progress()
            self.assertEqual(anna[0]["label"], "My plan: 0 of 4 orders confirmed")
        with freeze_time("2030-04-15 10:00:00"):
            self.assertEqual(lines.with_user(self.user_anna).get_pipeline_progress(), [], "the period is over")
        operator = self.env["res.users"].create({
            "name": "Ольга Операторова", "login": "pipe_progress_operator",
            "group_ids": [Command.link(self.env.ref("crm_core.group_crm_data_operator").id)],
        })
        self.assertEqual(lines.with_user(operator).get_pipeline_progress(), [],
                         "a user without access to targets gets no counter, and no error")

    def test_pipeline_counter_period_reads_in_the_users_date_format(self):
        self.plan.action_confirm()
        self.env["res.lang"]._activate_lang("ru_RU")
        lines = self.env["crm.sales.plan.line"].with_user(self.user_anna).with_context(lang="ru_RU")
        with freeze_time("2030-02-15 10:00:00"):
            anna = lines.get_pipeline_progress()
        self.assertEqual(anna[0]["period"], "I квартал 2030, 01.01.2030 – 31.03.2030",
                         "the user's date format, not ISO dates")
