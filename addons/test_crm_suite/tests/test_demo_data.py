from dateutil.relativedelta import relativedelta

from odoo.addons.crm_core.tools import inn as inn_tools
from odoo.tests import TransactionCase, tagged

SUITE_ADDONS = ("crm_core", "crm_core_mrp", "crm_marketing", "crm_service", "crm_analytics")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """What the Russian demo promises (README): a Moscow company in roubles, named
    salespeople, valid and unique INNs, a year of closed deals and a portal customer.
    Skipped on databases installed without demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["ir.module.module"].search([("name", "=", "crm_core")]).demo:
            cls.skipTest(cls, "crm_core is installed without demo data")

    def _suite_demo_records(self, model):
        """Records of ``model`` created by the demo of our addons."""
        data = self.env["ir.model.data"].search([("module", "in", SUITE_ADDONS), ("model", "=", model)])
        return self.env[model].browse(data.mapped("res_id")).with_context(active_test=False).exists()

    def _install_date(self):
        """When the demo was loaded: its dates are relative to that day, not to today."""
        return max(self._suite_demo_records("crm.lead").mapped("create_date"))

    def test_company_in_moscow_in_roubles(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.city, "Москва")
        self.assertEqual(company.country_id, self.env.ref("base.ru"))
        self.assertEqual(company.currency_id, self.env.ref("base.RUB"))
        self.assertTrue(inn_tools.is_valid_inn(company.vat), company.vat)
        orders = self._suite_demo_records("sale.order")
        self.assertTrue(orders)
        self.assertEqual(orders.currency_id, self.env.ref("base.RUB"), "every demo order is in roubles")

    def test_inn_unique_and_valid(self):
        partners = self.env["res.partner"].with_context(active_test=False).search(
            [("vat", "!=", False), ("country_id.code", "=", "RU")])
        self.assertGreaterEqual(len(partners), 10)
        for partner in partners:
            self.assertTrue(inn_tools.is_valid_inn(partner.vat), f"{partner.name}: INN {partner.vat}")
            if partner.crm_kpp:
                self.assertTrue(inn_tools.is_valid_kpp(partner.crm_kpp), f"{partner.name}: KPP {partner.crm_kpp}")
        companies = partners.filtered(lambda p: not p.parent_id)
        by_inn = {}
        for partner in companies:
            by_inn.setdefault(inn_tools.clean_number(partner.vat), []).append(partner.name)
        shared = {inn: names for inn, names in by_inn.items() if len(names) > 1}
        self.assertFalse(shared, "one organisation per INN")
        names = companies.mapped("name")
        self.assertEqual(len(names), len(set(names)), "no two organisations share a name")

    def test_named_people_not_odoobot(self):
        odoobot = self.env.ref("base.user_root")
        admin = self.env.ref("base.user_admin")
        for model in ("crm.lead", "sale.order", "crm.service.ticket", "crm.service.agreement", "crm.interaction"):
            records = self._suite_demo_records(model)
            self.assertTrue(records, model)
            self.assertFalse(records.filtered(lambda r: r.user_id in odoobot | admin), f"{model}: OdooBot or admin")
        deals = self._suite_demo_records("crm.lead").filtered(lambda lead: lead.type == "opportunity")
        self.assertFalse(deals.filtered(lambda lead: not lead.user_id), "every deal has a salesperson")
        self.assertFalse(self.env["crm.lead"].with_context(active_test=False).search_count(
            [("user_id", "=", odoobot.id)]), "no deal assigned to OdooBot")
        self.assertFalse(self.env["crm.service.ticket"].search_count([("user_id", "=", odoobot.id)]))

    def test_year_of_closed_deals(self):
        installed = self._install_date()
        leads = self.env["crm.lead"].with_context(active_test=False)
        won = leads.search([("won_status", "=", "won")])
        self.assertFalse(won.filtered(lambda lead: not lead.date_closed), "every won deal has a close date")
        ours = won & self._suite_demo_records("crm.lead")
        self.assertGreaterEqual(len(ours), 8)
        for lead in ours:
            self.assertLessEqual(lead.date_closed, installed + relativedelta(days=1), lead.name)
            self.assertGreaterEqual(lead.date_closed, installed - relativedelta(months=12), lead.name)
        self.assertGreaterEqual(len({(d.year, d.month) for d in ours.mapped("date_closed")}), 6,
                                "won deals are spread over the year")
        lost = leads.search([("won_status", "=", "lost")]) & self._suite_demo_records("crm.lead")
        self.assertGreaterEqual(len(lost), 3)
        self.assertFalse(lost.filtered(lambda lead: not lead.lost_reason_id), "every lost deal says why")
        self.assertFalse(lost.filtered(lambda lead: not lead.date_closed))

    def test_round_robin_teams_have_several_members(self):
        rules = self.env["crm.distribution.rule"].search(
            ["|", ("method", "=", "round_robin"), ("fallback", "=", "round_robin")])
        self.assertTrue(rules)
        for rule in rules:
            self.assertGreaterEqual(len(rule._get_members().user_id), 3, rule.name)
        teams = self.env["crm.service.team"].search([("assignment_method", "=", "round_robin")])
        self.assertTrue(teams)
        for team in teams:
            self.assertGreaterEqual(len(team.member_ids), 3, team.name)

    def test_portal_customer_has_tickets_and_orders(self):
        portal = self.env["res.users"].search([("login", "=", "portal.customer")])
        self.assertTrue(portal.share)
        self.assertTrue(portal._is_portal())
        as_customer = self.env(user=portal)
        self.assertGreaterEqual(as_customer["crm.service.ticket"].search_count([]), 2)
        self.assertGreaterEqual(as_customer["sale.order"].search_count([("state", "=", "sale")]), 1)
        self.assertGreaterEqual(as_customer["account.move"].search_count([("move_type", "=", "out_invoice")]), 1)
