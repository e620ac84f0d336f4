from datetime import date, datetime, timedelta

from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsDashboardPeriods(CrmAnalyticsCommon):
    """The dashboard's periods start at the viewer's local midnight, and the reports its cards open agree.

    For each zone, the clock is frozen half an hour after the local midnight that starts a month, and a
    won deal, a lost deal, a confirmed order, an opportunity entering the funnel and a ticket are dated
    half an hour before that midnight (last month: not counted) and ten minutes after it (counted).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_team = cls.env["crm.service.team"].create({"name": "AN periods service"})

    def _dated_facts(self, label, when):
        """One of each fact the dashboard counts, dated at the UTC instant ``when``; the orders' amount
        tells which side of the boundary they are on."""
        with freeze_time(when):
            won = self.create_opportunity(f"AN {label} won", 1000.0)
            lost = self.create_opportunity(f"AN {label} lost", 300.0)
            pending = self.create_opportunity(f"AN {label} pending", 50.0)
            self.set_create_date(won | lost | pending, when)
            won.stage_id = self.stage_won
            lost.action_set_lost(lost_reason_id=self.reason_price.id)
            self.flush_tracking()
            order = self.create_order(self.customers[0],
                                      [(self.products[0], 1, 100.0 if label == "after" else 7.0)], date(2020, 1, 1))
            ticket = self.env["crm.service.ticket"].create({
                "name": f"AN {label} ticket", "team_id": self.service_team.id, "partner_id": self.customers[0].id})
            self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE crm_lead SET date_closed = %s WHERE id = ANY(%s)", when, (won | lost).ids))
        self.env.cr.execute(SQL("UPDATE sale_order SET date_order = %s WHERE id = %s", when, order.id))
        self.env.cr.execute(SQL("UPDATE crm_service_ticket SET date_open = %s WHERE id = %s", when, ticket.id))
        self.env.invalidate_all()

    def _check_month(self, tz, now, midnight, month_start):
        """``midnight``: the UTC instant of the local midnight starting ``month_start``, passed at ``now``."""
        self.viewer.tz = tz
        self._dated_facts("before", midnight - timedelta(minutes=30))
        self._dated_facts("after", midnight + timedelta(minutes=10))
        Dashboard = self.env["crm.analytics.dashboard"].with_user(self.viewer)
        with freeze_time(now):
            data = Dashboard.get_dashboard_data("month", self.team.id)
            actions = {key: Dashboard.get_report_action(key, "month", self.team.id)
                       for key in ("deals", "funnel", "losses", "service")}
        self.assertEqual(data["date_from"], month_start.isoformat(), tz)
        kpis = data["kpis"]
        self.assertEqual((kpis["won_count"], kpis["lost_count"], kpis["revenue_confirmed"]), (1, 1, 100.0), tz)
        self.assertEqual([(row["stage_id"], row["count"]) for row in data["funnel"]],
                         [(self.stage_new.id, 2), (self.stage_won.id, 1)], tz)
        self.assertEqual([row["count"] for row in data["losses"]], [1], tz)
        self.assertEqual(data["service"]["tickets"], 1, tz)

        def report(key, aggregates, groupby=()):
            action = actions[key]
            return self.env[action["res_model"]].with_user(self.viewer)._read_group(
                action["domain"], list(groupby), aggregates)

        # each card equals the report its link opens, read by the same viewer (in their time zone)
        self.assertEqual(report("deals", ["won_count:sum", "lost_count:sum", "revenue_confirmed:sum"]),
                         [(1, 1, 100.0)], tz)
        self.assertEqual(report("funnel", ["nbr:sum"], ["stage_id"]), [(self.stage_new, 2), (self.stage_won, 1)], tz)
        self.assertEqual(report("losses", ["nbr:sum"]), [(1,)], tz)
        self.assertEqual(report("service", ["nbr:sum"]), [(1,)], tz)
        # the salesperson report dates the deals on the viewer's local day
        deals = self.env["crm.analytics.manager"].with_user(self.viewer).search([
            ("fact", "=", "deal"), ("team_id", "=", self.team.id), ("date", ">=", month_start.isoformat())])
        self.assertEqual(len(deals), 2, tz)

    def test_moscow_month_starts_at_moscow_midnight(self):
        """2026-04-01 00:00 in Moscow (UTC+3) is 2026-03-31 21:00 UTC."""
        self._check_month("Europe/Moscow", "2026-03-31 21:30:00", datetime(2026, 3, 31, 21, 0), date(2026, 4, 1))

    def test_kyiv_month_across_summer_time(self):
        """March 2026 in Kyiv runs from 2026-02-28 22:00 UTC (UTC+2) to 2026-03-31 21:00 UTC (UTC+3 since
        March 29): its start is checked on March 1, 00:30 local (UTC+2), its end on March 31, 00:30 local
        (UTC+3), where a fixed winter offset would end the month an hour late."""
        self._check_month("Europe/Kyiv", "2026-02-28 22:30:00",
                          datetime(2026, 2, 28, 22, 0), date(2026, 3, 1))
        # the month's end is at summer time: a deal closed at 23:30 on March 31 in Kyiv (20:30 UTC) counts in
        # March, one closed at 00:10 on April 1 (21:10 UTC) in April
        late = self.create_opportunity("AN late March", 1000.0)
        early = self.create_opportunity("AN early April", 1000.0)
        (late | early).stage_id = self.stage_won
        self.env.flush_all()
        for deal, when in ((late, datetime(2026, 3, 31, 20, 30)), (early, datetime(2026, 3, 31, 21, 10))):
            self.env.cr.execute(SQL("UPDATE crm_lead SET date_closed = %s WHERE id = %s", when, deal.id))
        self.env.invalidate_all()
        with freeze_time("2026-03-30 21:30:00"):
            kpis = self.env["crm.analytics.dashboard"].with_user(self.viewer).get_dashboard_data(
                "month", self.team.id)["kpis"]
        self.assertEqual(kpis["won_count"], 2)

    def test_new_york_month_starts_at_new_york_midnight(self):
        """2026-04-01 00:00 in New York (UTC-4 in summer) is 2026-04-01 04:00 UTC: at 04:30 UTC it is April
        there, while at that instant in UTC a month-to-date from UTC midnight would be four hours too long."""
        self._check_month("America/New_York", "2026-04-01 04:30:00", datetime(2026, 4, 1, 4, 0), date(2026, 4, 1))

    def test_new_york_evening_is_still_last_month(self):
        """At 2026-04-01 02:00 UTC it is still March 31 in New York: the month shown is March."""
        self.viewer.tz = "America/New_York"
        with freeze_time("2026-04-01 02:00:00"):
            data = self.env["crm.analytics.dashboard"].with_user(self.viewer).get_dashboard_data(
                "month", self.team.id)
        self.assertEqual((data["date_from"], data["date_to"]), ("2026-03-01", "2026-03-31"))
