from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsDashboardReports(CrmAnalyticsCommon):
    """Each figure of the dashboard equals the report its card links to, opened through the link's action.

    May 2025 (frozen on the 20th), the analytics team:
    - won: W1 created in April, moved to the won stage on May 10 (tracked); W2 created in April directly
      in the won stage, closed on May 12 (no tracked move);
    - lost: L1 opportunity lost on May 11; a lead (not a deal) lost on May 11; L2 opportunity lost in March;
    - funnel: P1 moved New -> Offer on May 5 and still open there; P2 open in New; L1 lost in New.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        with freeze_time("2025-04-02 10:00:00"):
            cls.won_1 = cls.create_opportunity("AN rep won 1", 1000.0)
            cls.won_2 = cls.create_opportunity("AN rep won 2", 3000.0, user=cls.seller_2, stage=cls.stage_won)
        with freeze_time("2025-05-03 10:00:00"):
            cls.pending_1 = cls.create_opportunity("AN rep open 1", 500.0)
            cls.pending_2 = cls.create_opportunity("AN rep open 2", 700.0)
            cls.lost_1 = cls.create_opportunity("AN rep lost 1", 400.0)
            cls.lost_lead = Lead.create({"name": "AN rep lost lead", "type": "lead", "team_id": cls.team.id,
                                         "user_id": cls.seller_1.id, "expected_revenue": 900.0})
        with freeze_time("2025-03-03 10:00:00"):
            cls.lost_old = cls.create_opportunity("AN rep lost old", 800.0)
        cls.flush_tracking()
        cls.set_create_date(cls.won_1 | cls.won_2, datetime(2025, 4, 2, 10))
        cls.set_create_date(cls.pending_1 | cls.pending_2 | cls.lost_1 | cls.lost_lead, datetime(2025, 5, 3, 10))
        cls.set_create_date(cls.lost_old, datetime(2025, 3, 3, 10))
        with freeze_time("2025-03-20 10:00:00"):
            cls.lost_old.action_set_lost(lost_reason_id=cls.reason_price.id)
            cls.flush_tracking()
        with freeze_time("2025-05-05 10:00:00"):
            cls.pending_1.stage_id = cls.stage_offer
            cls.flush_tracking()
        with freeze_time("2025-05-10 10:00:00"):
            cls.won_1.stage_id = cls.stage_won
            cls.flush_tracking()
        with freeze_time("2025-05-11 10:00:00"):
            (cls.lost_1 | cls.lost_lead).action_set_lost(lost_reason_id=cls.reason_price.id)
            cls.flush_tracking()
        # W2 was won on May 12: Odoo's closing date, the deal never moved between stages
        cls.env.cr.execute(SQL("UPDATE crm_lead SET date_closed = %s WHERE id = %s",
                               datetime(2025, 5, 12, 9), cls.won_2.id))
        cls.won_2.invalidate_recordset(["date_closed"])
        cls.env.flush_all()

    def dashboard(self, period="month", lang="en_US"):
        with freeze_time("2025-05-20 12:00:00"):
            return self.env["crm.analytics.dashboard"].with_user(self.viewer).with_context(
                lang=lang).get_dashboard_data(period, self.team.id)

    def report(self, key, period="month"):
        """The report model and domain the dashboard's "Details" link opens."""
        with freeze_time("2025-05-20 12:00:00"):
            action = self.env["crm.analytics.dashboard"].with_user(self.viewer).get_report_action(
                key, period, self.team.id)
        self.assertFalse([key for key in action["context"] if key.startswith("search_default_filter_")])
        return self.env[action["res_model"]].with_user(self.viewer), action["domain"]

    def test_won_and_lost_deals_agree_with_the_reports(self):
        kpis = self.dashboard()["kpis"]
        Manager, domain = self.report("deals")
        [[won, lost, amount, rate]] = Manager._read_group(
            domain, [], ["won_count:sum", "lost_count:sum", "won_amount:sum", "win_rate:avg"])
        self.assertEqual((kpis["won_count"], kpis["lost_count"], kpis["won_amount"]), (won, lost, amount))
        self.assertEqual((won, lost, amount), (2, 1, 4000.0))
        self.assertEqual(kpis["win_rate"], round(rate, 1))
        # losses by reason count the same lost deals: the lost lead is not a deal, lost deals are archived
        Loss, loss_domain = self.report("losses")
        [[loss_count]] = Loss._read_group(loss_domain, [], ["nbr:sum"])
        self.assertEqual(loss_count, kpis["lost_count"])
        self.assertEqual(sum(row["count"] for row in self.dashboard()["losses"]), kpis["lost_count"])
        # lost leads are not in the loss report at all, whatever its filters
        self.assertFalse(Loss.search_count([("lead_id", "=", self.lost_lead.id)]))

    def test_won_deals_agree_with_the_funnel(self):
        """A deal won without moving (created in the won stage) entered it when it was won."""
        data = self.dashboard()
        Funnel, domain = self.report("funnel")
        [[won_stays]] = Funnel._read_group(domain + [("stage_id.is_won", "=", True)], [], ["nbr:sum"])
        self.assertEqual(won_stays, data["kpis"]["won_count"])
        row = next(row for row in data["funnel"] if row["stage_id"] == self.stage_won.id)
        self.assertEqual(row["count"], data["kpis"]["won_count"])

    def test_funnel_conversion_counts_decided_stays(self):
        """New: P1 moved on (100), L1 lost (0), P2 still there (undecided): 50 %; Offer: only P1, open: no figure."""
        funnel = {row["stage_id"]: row for row in self.dashboard()["funnel"]}
        Funnel, domain = self.report("funnel")
        report = {stage.id: conversion for stage, conversion in Funnel._read_group(
            domain, ["stage_id"], ["conversion_rate:avg"])}
        for stage in (self.stage_new, self.stage_offer):
            expected = report[stage.id]
            self.assertEqual(funnel[stage.id]["conversion"],
                             None if expected is None or expected is False else round(expected, 1))
        self.assertEqual(funnel[self.stage_new.id]["conversion"], 50.0)
        self.assertIsNone(funnel[self.stage_offer.id]["conversion"])

    def test_sla_compliance_agrees_with_the_report(self):
        """Two closed tickets in time (one closed without closing date: crm_service's "Within SLA" stays
        unset) and one breached: 2 of 3 kept the SLA, as the breached count says."""
        team = self.env["crm.service.team"].create({"name": "AN rep service"})
        tickets = self.env["crm.service.ticket"].create([
            {"name": f"AN rep ticket {index}", "team_id": team.id, "partner_id": self.customers[0].id}
            for index in range(3)])
        self.env.flush_all()
        rows = [(datetime(2025, 5, 13, 9), "in_time", True), (None, "in_time", False),
                (datetime(2025, 5, 15, 9), "breached", False)]
        for ticket, (closed, status, reached) in zip(tickets, rows, strict=True):
            self.env.cr.execute(SQL(
                """UPDATE crm_service_ticket SET is_closed = TRUE, date_open = %s, closed_date = %s,
                          sla_status = %s, sla_reached = %s WHERE id = %s""",
                datetime(2025, 5, 12, 9), closed, status, reached, ticket.id))
        service = self.dashboard()["service"]
        Service, domain = self.report("service")
        [[compliance, count]] = Service._read_group(domain, [], ["sla_compliance:avg", "nbr:sum"])
        self.assertEqual(service["sla_compliance"], round(compliance, 1))
        self.assertEqual((service["tickets"], service["sla_compliance"]), (count, 66.7))

    def test_forecast_error_is_weighted_and_agrees_with_the_report(self):
        """March 2025 forecasts: Anna 6000, Boris 1000; Anna wins 10000, Boris nothing.
        Error = (|10000 - 6000| + |0 - 1000|) / 10000 = 50 %; Anna 40 %; Boris won nothing: no figure."""
        self.env["crm.forecast.snapshot"].create([
            {"month": date(2025, 3, 1), "user_id": self.seller_1.id, "team_id": self.team.id,
             "company_id": self.company.id, "forecast_amount": 6000.0},
            {"month": date(2025, 3, 1), "user_id": self.seller_2.id, "team_id": self.team.id,
             "company_id": self.company.id, "forecast_amount": 1000.0},
        ])
        deal = self.create_opportunity("AN rep fc", 10000.0)
        with freeze_time("2025-03-20 10:00:00"):
            deal.stage_id = self.stage_won
        self.env.flush_all()
        forecast = self.dashboard()["forecast"]
        Forecast, domain = self.report("forecast")
        [[error]] = Forecast._read_group(domain, [], ["wape:avg"])
        self.assertEqual(forecast["error"], round(error, 1))
        self.assertEqual(forecast["error"], 50.0)
        self.assertEqual({row["user"]: row["error"] for row in forecast["users"]},
                         {"Anna Seller": 40.0, "Boris Seller": None})

    def test_amounts_dates_and_segments_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.model.fields.selection"].search([
            ("field_id.model", "=", "res.partner"), ("field_id.name", "=", "crm_rfm_segment"),
            ("value", "=", "champions")]).with_context(lang="fr_FR").name = "Champions (fr)"
        data = self.dashboard(lang="fr_FR")
        self.assertEqual(data["rfm"][0]["label"], "Champions (fr)")
        self.assertEqual(data["date_range"], "01/05/2025 – 31/05/2025")
        self.assertEqual(data["currency"]["id"], self.company.currency_id.id)
        # the ABC/XYZ report's revenue is an amount in the company currency
        field = self.env["crm.analytics.abc.xyz"]._fields["revenue"]
        self.assertEqual((field.type, field.currency_field), ("monetary", "company_currency_id"))
        # and so are the customers' and products' own ABC revenues (RFM/ABC list, product form)
        self.assertEqual(self.env["res.partner"]._fields["crm_abc_revenue"].type, "monetary")
        self.assertEqual(self.customers[0].crm_abc_currency_id, self.company.currency_id)
        self.assertEqual(self.env["product.template"]._fields["crm_abc_revenue"].type, "monetary")

    def test_unknown_report(self):
        with self.assertRaises(UserError):
            self.env["crm.analytics.dashboard"].with_user(self.viewer).get_report_action("res.users")

    def test_malformed_arguments_are_refused_clearly(self):
        """A caller sending a list as the report or a word as the team gets a UserError, not a crash."""
        dashboard = self.env["crm.analytics.dashboard"].with_user(self.viewer)
        with self.assertRaises(UserError):
            dashboard.get_report_action(["deals"])
        for call in (lambda: dashboard.get_report_action("deals", team_id="abc"),
                     lambda: dashboard.get_dashboard_data("month", team_id={"id": 1})):
            with self.assertRaises(UserError):
                call()
