"""Read-only entry points served from a read replica (Odoo's ``replica`` dev mode).

Odoo 19 serves a JSON-RPC call of an ``@api.readonly`` method, and an http route declared
``readonly=True``, with a cursor on ``db_replica_host``. In tests the registry hands out
read-only test cursors (``SET TRANSACTION READ ONLY``) for those requests, which is what a hot
standby does: a write raises, Odoo logs a warning and serves the request again on the primary.
Each request below records the cursors it was served with, so a test knows it was answered on
the replica alone, and compares the answer with the one computed on the primary.
"""

import json
import re
import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.fields import Command
from odoo.service import model as service_model
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config, json_default, mute_logger

OUR_ADDONS = ("crm_core", "crm_core_mrp", "crm_marketing", "crm_service", "crm_analytics", "test_crm_suite")

# every read-only model method of ours: a new read entry point is added here (and marked),
# a method that writes is never here
READONLY_METHODS = {
    ("crm.analytics.dashboard", "get_dashboard_data"),
    ("crm.analytics.dashboard", "get_report_action"),
    ("crm.competitor", "action_view_leads"),
    ("crm.competitor", "action_view_prices"),
    ("crm.distribution.rule", "action_view_runs"),
    ("crm.import.job", "action_view_preview_rows"),
    ("crm.import.job", "action_view_rows"),
    ("crm.lead", "action_crm_view_interactions"),
    ("crm.lead", "action_view_crm_productions"),
    ("crm.lead", "action_view_deal_invoices"),
    ("crm.lead", "action_view_deal_payments"),
    ("crm.sales.plan", "action_view_lines"),
    ("crm.sales.plan.line", "get_pipeline_progress"),
    ("crm.segment", "action_preview"),
    ("crm.service.agreement", "action_view_tickets"),
    ("crm.service.team", "action_view_tickets"),
    ("res.partner", "action_crm_view_interactions"),
    ("res.partner", "action_crm_view_open_deals"),
    ("res.partner", "action_crm_view_quotations"),
    ("res.partner", "action_crm_view_unpaid_invoices"),
    ("res.partner", "action_view_crm_service_tickets"),
    ("res.partner", "crm_timeline_get"),
    ("utm.campaign", "action_view_audience"),
    ("utm.campaign", "action_view_campaign_costs"),
    ("utm.campaign", "action_view_campaign_orders"),
}

# every read-only http route of ours, as (url, methods); the ticket list and page are not here:
# they print links with access tokens (``get_portal_url``, the record pager), and the portal
# writes a token on a document that has none yet
READONLY_ROUTES = {
    ("/my/service-articles", None),
    ("/my/service-articles/<int:article_id>", None),
    ("/my/reverse-pricing", ("GET",)),
    ("/my/reverse-pricing/thanks", None),
    ("/my/service-requests/new", ("GET",)),
}

# CSRF tokens differ from one rendering to the next (session and time), the rest of a page does not
CSRF_TOKEN = re.compile(r'(csrf_token["\']?(?:\s*[:=]\s*|\s+value=)["\'])[^"\']*')


def _addon_of(code):
    """The addon defining a class or function, or None outside addons."""
    parts = code.__module__.split(".")
    return parts[2] if parts[:2] == ["odoo", "addons"] and len(parts) > 2 else None


def _as_json(value):
    """What a value becomes once sent over JSON-RPC."""
    return json.loads(json.dumps(value, default=json_default))


@tagged("post_install", "-at_install")
class TestReadonlyReplica(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        # a time zone of their own, as the web client's session carries it: the dashboard's periods are
        # the reader's days, the same on the replica and in-process
        company_values = {"company_id": company.id, "company_ids": [Command.set(company.ids)], "tz": "Europe/Moscow"}
        cls.user_sales = new_test_user(
            cls.env, login="h20r_sales", groups="sales_team.group_sale_salesman", name="Пётр Продажин",
            **company_values)
        cls.user_manager = new_test_user(
            cls.env, login="h20r_manager", name="Анна Руководова", groups=",".join([
                "sales_team.group_sale_manager", "account.group_account_invoice", "mrp.group_mrp_user",
                "crm_service.group_crm_service_agent", "crm_marketing.group_crm_marketing_user",
                "crm_analytics.group_crm_analytics_viewer",
            ]), **company_values)
        cls.user_portal = new_test_user(
            cls.env, login="h20r_portal", groups="base.group_portal", name="Олег Клиентов",
            email="h20r_portal@example.com")

        cls.customer = cls.env["res.partner"].create({
            "name": "ООО Реплика", "is_company": True, "user_id": cls.user_sales.id})
        cls.contact = cls.env["res.partner"].create({"name": "Ирина Закупкина", "parent_id": cls.customer.id})
        cls.user_portal.partner_id.parent_id = cls.customer
        cls.product = cls.env["product.product"].create({"name": "Стеллаж", "list_price": 250.0})
        cls.team = cls.env["crm.team"].create({
            "name": "Север", "member_ids": [Command.link(cls.user_sales.id)]})
        cls.deal = cls.env["crm.lead"].create({
            "name": "Стеллажи для склада", "type": "opportunity", "partner_id": cls.customer.id,
            "user_id": cls.user_sales.id, "team_id": cls.team.id, "expected_revenue": 1200.0,
            "probability": 40.0})
        cls.deal_won = cls.env["crm.lead"].create({
            "name": "Стеллажи для офиса", "type": "opportunity", "partner_id": cls.customer.id,
            "user_id": cls.user_sales.id, "team_id": cls.team.id, "expected_revenue": 800.0})
        cls.deal_won.action_set_won()
        cls.env["crm.interaction"].create({
            "name": "Звонок по стеллажам", "partner_id": cls.customer.id, "contact_id": cls.contact.id,
            "lead_id": cls.deal.id, "user_id": cls.user_sales.id})
        cls.quotation = cls.env["sale.order"].create({
            "partner_id": cls.customer.id, "opportunity_id": cls.deal.id, "user_id": cls.user_sales.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 3})]})
        # a plan running around today, whatever the day: the counter shows it
        today = fields.Date.context_today(cls.env["crm.sales.plan"].with_user(cls.user_sales))
        cls.plan = cls.env["crm.sales.plan"].create({
            "name": "План реплики", "date_from": today - timedelta(days=10), "date_to": today + timedelta(days=10),
            "line_ids": [Command.create({"user_id": cls.user_sales.id, "target_count": 4,
                                         "target_amount": 5000.0})]})
        cls.plan.action_confirm()
        cls.import_job = cls.env["crm.import.job"].with_user(cls.user_manager).create({
            "file": "bmFtZTtlbWFpbAo=", "filename": "clients.csv"})
        cls.competitor = cls.env["crm.competitor"].create({"name": "ООО Стеллажпром"})
        cls.segment = cls.env["crm.segment"].create({
            "name": "Клиенты реплики", "domain": f"[('id', 'in', {cls.customer.ids})]"})
        cls.campaign = cls.env["utm.campaign"].create({
            "name": "Весна реплики", "segment_ids": [Command.link(cls.segment.id)]})
        cls.rule = cls.env["crm.distribution.rule"].create({
            "name": "Заявки реплики", "method": "round_robin", "team_ids": [Command.set(cls.team.ids)]})
        cls.service_team = cls.env["crm.service.team"].create({"name": "Поддержка реплики"})
        cls.agreement = cls.env["crm.service.agreement"].create({
            "name": "Договор реплики", "partner_id": cls.customer.id, "date_start": "2020-01-01",
            "sla_tier_id": cls.env["crm.service.sla.tier"].create({"name": "Реплика"}).id})
        cls.ticket = cls.env["crm.service.ticket"].create({
            "name": "Не собирается стеллаж", "partner_id": cls.user_portal.partner_id.id,
            "team_id": cls.service_team.id})
        cls.article = cls.env["crm.service.article"].create({
            "name": "Как собрать стеллаж", "is_published": True})

    def setUp(self):
        super().setUp()
        # Odoo's replica dev mode for the whole test: the server thread reads the same config
        self.startPatcher(patch.dict(config.options, {"dev_mode": [*config["dev_mode"], "replica"]}))
        self.served = []
        retrying = service_model.retrying

        def recording_retrying(func, env):
            # one entry per attempt: a request served on the replica alone is [True]
            self.served.append((env.cr.readonly, "replica" in config["dev_mode"]))
            return retrying(func, env)

        self.startPatcher(patch.object(service_model, "retrying", recording_retrying))

    def _call(self, model, method, args=(), kwargs=None):
        self.served.clear()
        result = self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs or {}})
        self.assertEqual(self.served, [(True, True)], f"{model}.{method} is served by the replica alone")
        return result

    def _primary(self, user, model, method, ids=None, *args, **kwargs):
        # the session's context: the user's language and time zone (not the test's own)
        records = self.env[model].with_user(user).with_context(**dict(user.context_get(), tz=user.tz))
        if ids is not None:
            records = records.browse(ids)
        return _as_json(getattr(records, method)(*args, **kwargs))

    def _assert_served_like_primary(self, user, calls):
        self.authenticate(user.login, user.login)
        for model, method, ids, kwargs in calls:
            with self.subTest(model=model, method=method):
                args = [ids] if ids is not None else []
                result = self._call(model, method, args, kwargs)
                self.assertEqual(result, self._primary(user, model, method, ids, **kwargs))

    def test_marked_methods_and_routes_are_the_expected_ones(self):
        marked = set()
        for model_name in self.env:
            for cls in type(self.env[model_name]).mro():
                if _addon_of(cls) in OUR_ADDONS:
                    marked.update(
                        (model_name, name) for name, attr in vars(cls).items()
                        if callable(attr) and getattr(attr, "_readonly", False))
        self.assertEqual(marked, READONLY_METHODS)

        routes = set()
        # the routing map is built for the database of the current thread (a request's, normally)
        with patch.object(threading.current_thread(), "dbname", self.env.cr.dbname, create=True):
            routing_map = self.env["ir.http"].routing_map()
        for rule in routing_map.iter_rules():
            endpoint = rule.endpoint
            if _addon_of(endpoint.original_endpoint) not in OUR_ADDONS:
                continue
            if endpoint.routing["readonly"]:
                methods = endpoint.routing["methods"]
                routes.add((rule.rule, tuple(methods) if methods else None))
        self.assertEqual(routes, READONLY_ROUTES)

    def test_salesperson_reads_served_by_replica(self):
        customer, deal = self.customer.ids, self.deal.ids
        self._assert_served_like_primary(self.user_sales, [
            ("res.partner", "crm_timeline_get", customer, {}),
            ("res.partner", "crm_timeline_get", customer, {"types": ["interaction", "deal"], "limit": 1}),
            ("crm.sales.plan.line", "get_pipeline_progress", None, {}),
            ("res.partner", "action_crm_view_open_deals", customer, {}),
            ("res.partner", "action_crm_view_quotations", customer, {}),
            ("res.partner", "action_crm_view_interactions", customer, {}),
            ("crm.lead", "action_crm_view_interactions", deal, {}),
        ])
        # the data is there: not a comparison of two empty answers
        timeline = self._call("res.partner", "crm_timeline_get", [customer])
        self.assertEqual({entry["type"] for entry in timeline["entries"]}, {"interaction", "deal", "sale_order"})
        self.assertEqual(len(self._call("crm.sales.plan.line", "get_pipeline_progress")), 1)

    def test_partner_key_figures_served_by_replica(self):
        specification = {name: {} for name in (
            "crm_open_deal_count", "crm_weighted_pipeline", "crm_won_amount_year", "crm_quotation_count",
            "crm_quoted_amount", "crm_interaction_count", "crm_last_interaction_date")
            if name in self.env["res.partner"]._fields}
        self.assertIn("crm_open_deal_count", specification)
        self._assert_served_like_primary(self.user_sales, [
            ("res.partner", "web_read", self.customer.ids, {"specification": specification}),
        ])
        [figures] = self._call("res.partner", "web_read", [self.customer.ids], {"specification": specification})
        self.assertEqual(figures["crm_open_deal_count"], 1)
        self.assertEqual(figures["crm_quotation_count"], 1)
        self.assertEqual(figures["crm_interaction_count"], 1)

    def test_manager_reports_served_by_replica(self):
        self._assert_served_like_primary(self.user_manager, [
            ("crm.analytics.dashboard", "get_dashboard_data", None, {}),
            ("crm.analytics.dashboard", "get_dashboard_data", None, {"period": "year", "team_id": self.team.id}),
            ("res.partner", "action_crm_view_unpaid_invoices", self.customer.ids, {}),
            ("res.partner", "action_view_crm_service_tickets", self.customer.ids, {}),
            ("crm.lead", "action_view_deal_invoices", self.deal.ids, {}),
            ("crm.lead", "action_view_deal_payments", self.deal.ids, {}),
            ("crm.lead", "action_view_crm_productions", self.deal.ids, {}),
            ("crm.sales.plan", "action_view_lines", self.plan.ids, {}),
            ("crm.import.job", "action_view_rows", self.import_job.ids, {}),
            ("crm.import.job", "action_view_preview_rows", self.import_job.ids, {}),
            ("crm.competitor", "action_view_prices", self.competitor.ids, {}),
            ("crm.competitor", "action_view_leads", self.competitor.ids, {}),
            ("utm.campaign", "action_view_campaign_costs", self.campaign.ids, {}),
            ("utm.campaign", "action_view_campaign_orders", self.campaign.ids, {}),
            ("crm.analytics.dashboard", "get_report_action", None, {"report": "deals", "period": "year"}),
            ("crm.analytics.dashboard", "get_report_action", None, {"report": "funnel", "team_id": self.team.id}),
            ("utm.campaign", "action_view_audience", self.campaign.ids, {}),
            ("crm.segment", "action_preview", self.segment.ids, {}),
            ("crm.distribution.rule", "action_view_runs", self.rule.ids, {}),
            ("crm.service.team", "action_view_tickets", self.service_team.ids, {}),
            ("crm.service.agreement", "action_view_tickets", self.agreement.ids, {}),
            ("crm.analytics.manager", "formatted_read_group", None,
             {"domain": [], "groupby": ["user_id"], "aggregates": ["won_count:sum", "pipeline_count:sum"]}),
        ])
        dashboard = self._call("crm.analytics.dashboard", "get_dashboard_data",
                               kwargs={"period": "year", "team_id": self.team.id})
        self.assertEqual(dashboard["kpis"]["won_count"], 1, "the deal won today is in this year's figures")
        audience = self._call("utm.campaign", "action_view_audience", [self.campaign.ids])
        self.assertEqual(audience["domain"], [["id", "in", self.customer.ids]])

    def test_portal_pages_served_by_replica(self):
        self.authenticate(self.user_portal.login, self.user_portal.login)
        for url in ("/my/service-articles", f"/my/service-articles/{self.article.id}", "/my/service-requests/new",
                    "/my/reverse-pricing", "/my/reverse-pricing/thanks"):
            with self.subTest(url=url):
                self.served.clear()
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.served, [(True, True)], f"{url} is served by the replica alone")
                # the same page rendered on the primary (read/write cursors)
                self.set_registry_readonly_mode(False)
                try:
                    primary = self.url_open(url)
                finally:
                    self.set_registry_readonly_mode(True)
                self.assertEqual(CSRF_TOKEN.sub(r"\1", response.text), CSRF_TOKEN.sub(r"\1", primary.text))
        self.assertIn(self.article.name, self.url_open(f"/my/service-articles/{self.article.id}").text)

    def test_write_in_readonly_request_falls_back_to_primary(self):
        """The harness sees a write: a read-only method that writes is served twice, replica then primary."""
        Partner = type(self.env["res.partner"])
        timeline_partners = Partner._crm_timeline_partners

        def writing_timeline_partners(partners):
            partners.env["res.partner"].sudo().browse(partners.ids[:1]).write({"comment": "written"})
            return timeline_partners(partners)

        self.authenticate(self.user_sales.login, self.user_sales.login)
        with patch.object(Partner, "_crm_timeline_partners", writing_timeline_partners), \
                mute_logger("odoo.http", "odoo.sql_db"):
            self.make_jsonrpc_request("/web/dataset/call_kw/res.partner/crm_timeline_get", {
                "model": "res.partner", "method": "crm_timeline_get", "args": [self.customer.ids], "kwargs": {}})
        self.assertEqual(self.served, [(True, True), (False, True)])
