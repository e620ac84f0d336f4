from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import format_amount


@tagged("post_install", "-at_install")
class TestKyivSalesperson(TransactionCase):
    """A salesperson of a Ukrainian company sees that company's deals, in hryvnias, and not the
    deals of the other companies of the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uah = cls.env.ref("base.UAH")
        cls.uah.active = True
        cls.kyiv = cls.env["res.company"].create({
            "name": "ТОВ «Київ-Тест»", "country_id": cls.env.ref("base.ua").id, "currency_id": cls.uah.id})
        cls.other = cls.env["res.company"].create({"name": "Other Company", "currency_id": cls.env.ref("base.EUR").id})
        cls.seller = new_test_user(
            cls.env, login="ua_seller", groups="sales_team.group_sale_salesman_all_leads", lang="en_US",
            company_id=cls.kyiv.id, company_ids=[Command.set(cls.kyiv.ids)])
        team = cls.env["crm.team"].create({"name": "Відділ продажів", "company_id": cls.kyiv.id})
        cls.kyiv_deals = cls.env["crm.lead"].create([{
            "name": name, "type": "opportunity", "company_id": cls.kyiv.id, "team_id": team.id,
            "user_id": cls.seller.id, "expected_revenue": revenue,
        } for name, revenue in (("Крісла для переговорних", 97200), ("Столи керівників", 40000))])
        cls.other_deal = cls.env["crm.lead"].create({
            "name": "Desks", "type": "opportunity", "company_id": cls.other.id, "expected_revenue": 5000})

    def test_sees_only_the_company_deals(self):
        deals = self.env(user=self.seller)["crm.lead"].search([("id", "in", (self.kyiv_deals | self.other_deal).ids)])
        self.assertEqual(deals, self.kyiv_deals)

    def test_amounts_are_in_hryvnias(self):
        leads = self.env(user=self.seller)["crm.lead"]
        rows = leads.web_search_read(
            [("id", "in", (self.kyiv_deals | self.other_deal).ids)],
            {"expected_revenue": {}, "company_currency": {"fields": {"display_name": {}}}})["records"]
        self.assertEqual({row["company_currency"]["id"] for row in rows}, {self.uah.id})
        self.assertEqual(sorted(row["expected_revenue"] for row in rows), [40000, 97200])
        groups = leads.formatted_read_group(
            [("id", "in", (self.kyiv_deals | self.other_deal).ids)], ["company_currency"], ["expected_revenue:sum"])
        self.assertEqual([(g["company_currency"][0], g["expected_revenue:sum"]) for g in groups],
                         [(self.uah.id, 137200)])
        self.assertIn("₴", format_amount(leads.env, 137200, self.uah))
