from dateutil.relativedelta import relativedelta

from odoo.addons.crm_l10n_ua.tools import edrpou as edrpou_tools
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoDataUa(TransactionCase):
    """What the Ukrainian demo promises (README): a Kyiv company in hryvnias on l10n_ua, named
    salespeople and agents in teams of several, valid and unique ЄДРПОУ, a year of closed deals,
    orders and invoices in UAH, tickets with SLA and a portal customer; all of it in the Kyiv company.
    Skipped on databases where this addon was installed without demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["ir.module.module"].search([("name", "=", "crm_l10n_ua")]).demo:
            cls.skipTest(cls, "crm_l10n_ua is installed without demo data")
        cls.kyiv = cls.env.ref("base.demo_company_ua")
        cls.uah = cls.env.ref("base.UAH")

    def _demo_records(self, model):
        """Records of ``model`` created by this addon's demo."""
        data = self.env["ir.model.data"].search([("module", "=", "crm_l10n_ua"), ("model", "=", model)])
        return self.env[model].browse(data.mapped("res_id")).with_context(active_test=False).exists()

    def _install_date(self):
        """When the demo was loaded: its dates are relative to that day, not to today."""
        return max(self._demo_records("crm.lead").mapped("create_date"))

    def test_company_in_kyiv_in_hryvnias_on_l10n_ua(self):
        self.assertEqual(self.kyiv.name, "ТОВ «Офіс-Комплект Україна»")
        self.assertEqual(self.kyiv.city, "Київ")
        self.assertEqual(self.kyiv.country_id, self.env.ref("base.ua"))
        self.assertEqual(self.kyiv.currency_id, self.uah)
        self.assertEqual(self.kyiv.chart_template, "ua_psbo")
        self.assertTrue(edrpou_tools.is_valid_edrpou(self.kyiv.company_registry), self.kyiv.company_registry)
        self.assertTrue(self.kyiv.phone.replace(" ", "").startswith("+380"), self.kyiv.phone)
        self.assertEqual(self.env.ref("base.main_company").currency_id, self.env.ref("base.RUB"),
                         "the Moscow company keeps its roubles")

    def test_everything_is_bound_to_the_kyiv_company(self):
        for model in ("res.users", "crm.team", "crm.lead", "sale.order", "product.product", "product.pricelist",
                      "crm.service.team", "crm.service.ticket", "crm.service.agreement", "crm.service.sla.policy",
                      "crm.service.category", "resource.calendar"):
            records = self._demo_records(model)
            with self.subTest(model=model):
                self.assertTrue(records)
                self.assertEqual(records.company_id, self.kyiv)
                records._check_company()
        customers = self._demo_records("res.partner").filtered(lambda p: p != self.kyiv.partner_id)
        self.assertEqual(customers.company_id, self.kyiv)
        users = self._demo_records("res.users")
        self.assertEqual(users.company_ids, self.kyiv)

    def test_edrpou_unique_and_valid(self):
        partners = self.env["res.partner"].with_context(active_test=False).search(
            [("company_registry", "!=", False), ("country_id.code", "=", "UA"), ("parent_id", "=", False)])
        self.assertGreaterEqual(len(partners), 8)
        for partner in partners:
            self.assertTrue(edrpou_tools.is_valid_edrpou(partner.company_registry),
                            f"{partner.name}: {partner.company_registry}")
        codes = partners.mapped("company_registry")
        self.assertEqual(len(codes), len(set(codes)), "one organisation per ЄДРПОУ")
        names = partners.mapped("name")
        self.assertEqual(len(names), len(set(names)), "no two organisations share a name")
        people = self._demo_records("res.partner").filtered("parent_id")
        self.assertTrue(people)
        self.assertFalse(people.filtered(lambda p: not p.phone.startswith("+380")), "Ukrainian phones")

    def test_named_salespeople_in_a_team_with_a_leader(self):
        sellers = self.env["res.users"].search([("login", "=like", "prodazhi.%")])
        self.assertGreaterEqual(len(sellers), 4)
        for user in sellers:
            with self.subTest(login=user.login):
                # the README's login works with the password it gives (= the login)
                user.with_user(user)._check_credentials(
                    {"type": "password", "login": user.login, "password": user.login}, {"interactive": False})
                self.assertEqual(user.tz, "Europe/Kyiv")
                self.assertEqual(user.lang, "uk_UA")
                self.assertEqual(user.company_id, self.kyiv)
        team = self.env.ref("crm_l10n_ua.crm_team_demo_kyiv")
        self.assertEqual(team.company_id, self.kyiv)
        self.assertIn(team.user_id, sellers)
        self.assertGreaterEqual(len(team.member_ids), 3)
        self.assertLessEqual(team.member_ids, sellers)

    def test_named_agents_in_a_round_robin_team(self):
        agents = self.env["res.users"].search([("login", "=like", "servis.%")])
        self.assertGreaterEqual(len(agents), 4)
        self.assertEqual(set(agents.mapped("tz")), {"Europe/Kyiv"})
        team = self.env.ref("crm_l10n_ua.crm_service_team_demo_kyiv")
        self.assertEqual(team.assignment_method, "round_robin")
        self.assertGreaterEqual(len(team.member_ids), 3)
        self.assertLessEqual(team.member_ids | team.leader_id, agents)
        self.assertEqual(team.resource_calendar_id.tz, "Europe/Kyiv")

    def test_year_of_closed_deals(self):
        installed = self._install_date()
        deals = self._demo_records("crm.lead")
        self.assertEqual(deals.company_currency, self.uah)
        self.assertFalse(deals.filtered(lambda lead: not lead.user_id.login.startswith("prodazhi.")))
        won = deals.filtered(lambda lead: lead.won_status == "won")
        self.assertGreaterEqual(len(won), 8)
        for lead in won:
            self.assertLessEqual(lead.date_closed, installed + relativedelta(days=1), lead.name)
            self.assertGreaterEqual(lead.date_closed, installed - relativedelta(months=12), lead.name)
        self.assertGreaterEqual(len({(d.year, d.month) for d in won.mapped("date_closed")}), 6,
                                "won deals are spread over the year")
        lost = deals.filtered(lambda lead: lead.won_status == "lost")
        self.assertGreaterEqual(len(lost), 3)
        self.assertFalse(lost.filtered(lambda lead: not lead.lost_reason_id), "every lost deal says why")
        self.assertLessEqual(set(lost.lost_reason_id.with_context(lang="uk_UA").mapped("name")), {
            "Ціна вища, ніж у конкурентів", "Клієнт не отримав бюджет", "Не влаштували терміни поставки"})
        self.assertFalse(lost.filtered(lambda lead: not lead.date_closed))
        self.assertTrue(deals.filtered(lambda lead: lead.won_status == "pending" and lead.date_deadline))

    def test_orders_and_invoices_in_hryvnias(self):
        orders = self._demo_records("sale.order")
        self.assertEqual(orders.currency_id, self.uah)
        self.assertEqual(orders.pricelist_id.company_id, self.kyiv)
        self.assertEqual(set(orders.mapped("state")), {"draft", "sale"})
        invoices = orders.invoice_ids
        self.assertTrue(invoices)
        self.assertEqual(invoices.company_id, self.kyiv)
        self.assertEqual(invoices.currency_id, self.uah)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})

    def test_tickets_have_an_sla_of_the_kyiv_team(self):
        tickets = self._demo_records("crm.service.ticket")
        self.assertGreaterEqual(len(tickets), 4)
        for ticket in tickets:
            with self.subTest(ticket=ticket.name):
                self.assertEqual(ticket.sla_policy_id.company_id, self.kyiv)
                self.assertTrue(ticket.sla_resolve_deadline)
                self.assertTrue(ticket.user_id.login.startswith("servis."))

    def test_portal_customer_has_tickets_and_orders(self):
        portal = self.env["res.users"].search([("login", "=", "portal.klient")])
        self.assertTrue(portal._is_portal())
        portal.with_user(portal)._check_credentials(
            {"type": "password", "login": "portal.klient", "password": "portal.klient"}, {"interactive": False})
        self.assertEqual(portal.lang, "uk_UA")
        self.assertEqual(portal.company_id, self.kyiv)
        as_customer = self.env(user=portal)
        self.assertGreaterEqual(as_customer["crm.service.ticket"].search_count([]), 2)
        self.assertGreaterEqual(as_customer["sale.order"].search_count([("state", "=", "sale")]), 1)
        self.assertGreaterEqual(as_customer["account.move"].search_count([("move_type", "=", "out_invoice")]), 1)
