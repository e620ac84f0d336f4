from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common_customer360 import Customer360Common


@tagged("post_install", "-at_install")
class TestCustomer360Access(Customer360Common):
    """Own, own team's and all interactions and deals; one company's data stays in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_a = cls._create_interaction(cls.user_team_a, cls.vasilek)
        cls.call_a2 = cls._create_interaction(cls.user_team_a2, cls.vasilek)
        cls.call_b = cls._create_interaction(cls.user_team_b, cls.vasilek)
        cls.call_b_on_own_customer = cls._create_interaction(cls.user_team_b, cls.romashka)
        cls.lead_a2, cls.lead_b = cls.env["crm.lead"].create([{
            "name": "Сделка команды А", "type": "opportunity", "user_id": cls.user_team_a2.id,
            "team_id": cls.team_a.id,
        }, {
            "name": "Сделка команды Б", "type": "opportunity", "user_id": cls.user_team_b.id,
            "team_id": cls.team_b.id,
        }])

    def test_team_member_reads_own_team_interactions_not_other_teams(self):
        Interaction = self.env["crm.interaction"].with_user(self.user_team_a)
        visible = Interaction.search([("id", "in", (self.call_a | self.call_a2 | self.call_b).ids)])
        self.assertEqual(visible, self.call_a | self.call_a2)
        self.call_a2.with_user(self.user_team_a).read(["name"])
        with self.assertRaises(AccessError):
            self.call_b.with_user(self.user_team_a).read(["name"])

    def test_own_documents_salesperson(self):
        """Only own documents: not a teammate's call, but every call on a customer they manage."""
        self.romashka.user_id = self.user_own
        visible = self.env["crm.interaction"].with_user(self.user_own).search([])
        self.assertEqual(visible, self.call_b_on_own_customer)
        with self.assertRaises(AccessError):
            self.call_a.with_user(self.user_own).read(["name"])
        mine = self._create_interaction(self.user_own, self.vasilek).with_user(self.user_own)
        mine.result = "Перезвонить в пятницу"
        with self.assertRaises(AccessError):
            self.call_a.with_user(self.user_own).write({"result": "чужой звонок"})

    def test_team_member_reads_own_team_deals_not_other_teams(self):
        Lead = self.env["crm.lead"].with_user(self.user_team_a)
        self.assertEqual(Lead.search([("id", "in", (self.lead_a2 | self.lead_b).ids)]), self.lead_a2)
        with self.assertRaises(AccessError):
            self.lead_b.with_user(self.user_team_a).read(["name"])
        with self.assertRaises(AccessError):
            self.lead_a2.with_user(self.user_own).read(["name"])

    def test_joining_a_team_takes_effect(self):
        with self.assertRaises(AccessError):
            self.call_b.with_user(self.user_team_a).read(["name"])
        self.team_b.member_ids = [Command.link(self.user_team_a.id)]
        self.env.invalidate_all()
        self.call_b.with_user(self.user_team_a).read(["name"])

    def test_manager_sees_all(self):
        every = self.call_a | self.call_a2 | self.call_b | self.call_b_on_own_customer
        Interaction = self.env["crm.interaction"].with_user(self.user_manager)
        self.assertEqual(Interaction.search([("id", "in", every.ids)]), every)

    def test_other_company_interactions_stay_hidden(self):
        other_company = self.env["res.company"].create({"name": "ООО Филиал"})
        user_other = new_test_user(
            self.env, login="c360_other_company", groups="sales_team.group_sale_manager",
            company_id=other_company.id, company_ids=[Command.set(other_company.ids)])
        other_call = self._create_interaction(user_other, self.vasilek, company_id=other_company.id)
        self.assertFalse(self.env["crm.interaction"].with_user(self.user_manager).search([("id", "=", other_call.id)]))
        with self.assertRaises(AccessError):
            self.call_a.with_user(user_other).read(["name"])
        self.assertEqual(other_call.with_user(user_other).name, other_call.name)
