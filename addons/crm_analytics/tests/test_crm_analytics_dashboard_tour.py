import functools

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.crm_core.tests.common_tour import CrmTourCase
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmAnalyticsDashboardTour(CrmTourCase):
    """The dashboard in a real (headless Chromium) browser.

    In Russian at 1366x768 and 1920x1080 (crm_core's CrmTourCase): every figure the tour checks was
    read by the test from the report its card links to, through the card's own link
    (``get_report_action``), so the dashboard and its reports cannot disagree unnoticed.
    With ``CRM_SCREENSHOTS`` set, the screenshots go to
    static/description/screenshots/crm_dashboard_<size>.png (see crm_core/tests/common_tour.py).
    """

    screenshot_addon = "crm_analytics"

    def test_dashboard_tour(self):
        head = new_test_user(self.env, login="an_tour_head", name="Tour Head",
                             groups="sales_team.group_sale_manager")
        seller = new_test_user(self.env, login="an_tour_seller", name="Tour Seller",
                               groups="sales_team.group_sale_salesman")
        seller_b = new_test_user(self.env, login="an_tour_seller_b", name="Tour Seller B",
                                 groups="sales_team.group_sale_salesman")
        team = self.env["crm.team"].create({"name": "Tour Team",
                                            "member_ids": [Command.link(seller.id), Command.link(seller_b.id)]})
        won_stage = self.env["crm.stage"].create({"name": "Tour Won", "sequence": 950, "is_won": True})
        reason = self.env["crm.lost.reason"].create({"name": "Tour: too expensive"})
        leads = self.env["crm.lead"].create([
            {"name": f"Tour deal {index}", "type": "opportunity", "expected_revenue": amount,
             "user_id": user.id, "team_id": team.id}
            for index, (amount, user) in enumerate(((1000.0, seller), (2500.0, seller), (700.0, seller),
                                                    (1000.0, seller_b), (4000.0, seller_b)))
        ])
        (leads[:2] | leads[3]).stage_id = won_stage
        leads[2].action_set_lost(lost_reason_id=reason.id)
        leads[4].probability = 25
        # this year's plan: 4500 won of a 9000 target, 50 %
        self.env["ir.config_parameter"].set_param("crm_core.plan_achievement_source", "won_deals")
        today = fields.Date.context_today(head)
        self.env["crm.sales.plan"].create({
            "name": "Tour plan", "date_from": today.replace(month=1, day=1), "date_to": today.replace(month=12, day=31),
            "line_ids": [Command.create({"team_id": team.id, "target_amount": 9000.0})],
        }).action_confirm()
        # month-start forecasts: the seller 2000 for 3500 won (error 43 %), seller B 9000 for 1000 (> 100 %)
        self.env["crm.forecast.snapshot"].create([
            {"month": today.replace(day=1), "user_id": user.id, "team_id": team.id,
             "company_id": self.env.company.id, "forecast_amount": amount}
            for user, amount in ((seller, 2000.0), (seller_b, 9000.0))])
        self.env.flush_all()
        expected = self._expected_figures(head, team)
        self.assertEqual(expected["won_lost"], "3 / 1")  # the figures are those of the data above
        self.assertEqual(expected["quarter_won_lost"], "3 / 1", "closed today: in this quarter too")
        self.start_crm_tour("/odoo/action-crm_analytics.crm_analytics_dashboard_action",
                            "crm_analytics_dashboard_tour", login=head.login, expected=expected)

    def test_dashboard_tour_on_russian_demo(self):
        """The sales director of the Russian demo (README: sales.orlov) reads his department's dashboard:
        every figure equals the report its card links to, on the demo's year of deals."""
        if not self.env["ir.module.module"].search([("name", "=", "crm_analytics")]).demo:
            self.skipTest("crm_analytics is installed without demo data")
        director = self.env.ref("crm_core.user_demo_sales_manager")
        team = self.env.ref("sales_team.team_sales_department")
        expected = self._expected_figures(director, team)
        Manager, domain = self._report(director, "deals", "year", team)
        self.assertTrue(Manager.search_count(domain), "the demo has deals closed this year")
        self.start_crm_tour("/odoo/action-crm_analytics.crm_analytics_dashboard_action",
                            "crm_analytics_dashboard_tour", login=director.login, expected=expected)

    def _report(self, user, key, period, team):
        """Model and domain of the report the dashboard's card ``key`` links to, as its link opens it."""
        action = self.env["crm.analytics.dashboard"].with_user(user).get_report_action(key, period, team.id)
        return self.env[action["res_model"]].with_user(user), action["domain"]

    def _percent(self, value, digits):
        """As the dashboard shows a percentage: a dash without data, capped above 100 for the forecast."""
        if value is None or value is False:
            return "\N{EM DASH}"
        return f"{self.tour_format(value, digits=digits)} %"

    def _expected_figures(self, user, team, period="year"):
        """Every figure of the dashboard, read from the reports its cards link to and formatted in Russian."""
        Manager, domain = self._report(user, "deals", period, team)
        [[won, lost, won_amount, win_rate, deal_size, cycle, confirmed, invoiced, done]] = Manager._read_group(
            domain, [], ["won_count:sum", "lost_count:sum", "won_amount:sum", "win_rate:avg", "deal_size:avg",
                         "cycle_days:avg", "revenue_confirmed:sum", "revenue_invoiced:sum", "activities_done:sum"])
        [[target, achieved]] = Manager._read_group(domain, [], ["target_amount:sum", "achieved_amount:sum"])
        # overdue activities and the open pipeline are states of today
        [[overdue, weighted]] = Manager._read_group(
            [("team_id", "=", team.id), ("fact", "in", ["activity_overdue", "pipeline"])], [],
            ["activities_overdue:sum", "weighted_amount:sum"])
        Funnel, funnel_domain = self._report(user, "funnel", period, team)
        funnel = {str(stage.id): [str(count), self._percent(conversion, 0)]
                  for stage, count, conversion in Funnel._read_group(
                      funnel_domain, ["stage_id"], ["nbr:sum", "conversion_rate:avg"])}
        Loss, loss_domain = self._report(user, "losses", period, team)
        losses = {str(reason.id): str(count)
                  for reason, count in Loss._read_group(loss_domain, ["lost_reason_id"], ["nbr:sum"])}
        Forecast, forecast_domain = self._report(user, "forecast", period, team)

        def forecast_error(value):
            return f"> {self.tour_format(100, 'integer')} %" if value and value > 100 else self._percent(value, 0)

        [[total_error]] = Forecast._read_group(forecast_domain, [], ["wape:avg"])
        forecast_users = {str(seller.id): forecast_error(error)
                          for seller, error in Forecast._read_group(forecast_domain, ["user_id"], ["wape:avg"])}
        Service, service_domain = self._report(user, "service", period, team)
        [[compliance]] = Service._read_group(service_domain, [], ["sla_compliance:avg"])
        date_from, date_to = self.env["crm.analytics.dashboard"]._get_period_bounds(period)
        money = functools.partial(self.tour_format, kind="monetary")
        Quarter, quarter_domain = self._report(user, "deals", "quarter", team)
        [[quarter_won, quarter_lost]] = Quarter._read_group(quarter_domain, [], ["won_count:sum", "lost_count:sum"])
        QuarterLoss, quarter_loss_domain = self._report(user, "losses", "quarter", team)
        return {
            "quarter_won_lost": f"{quarter_won} / {quarter_lost}",
            "quarter_has_losses": bool(QuarterLoss.search_count(quarter_loss_domain)),
            "team_id": str(team.id),
            "date_range": f"{self.tour_format(date_from, 'date_numeric')} \N{EN DASH} "
                          f"{self.tour_format(date_to - relativedelta(days=1), 'date_numeric')}",
            "won_amount": money(won_amount),
            "won_lost": f"{won} / {lost}",
            "win_rate": self._percent(win_rate, 1),
            "avg_deal": money(deal_size),
            "cycle": self.tour_format(cycle or 0.0, digits=1),
            "confirmed": money(confirmed),
            "invoiced": money(invoiced),
            "plan_achieved": money(achieved),
            "plan_target": money(target),
            "pipeline": money(weighted),
            "activities": f"{done} / {overdue}",
            "funnel": funnel,
            "losses": losses,
            "forecast_error": forecast_error(total_error),
            "forecast_users": forecast_users,
            "sla_compliance": self._percent(compliance, 1),
        }
