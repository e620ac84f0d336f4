from odoo.addons.sale.tests.common import TestSaleCommon
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user


class Customer360World:
    """Two sales teams, salespeople at every level, two customer organisations
    with contact persons in roles, and the quick statuses of a call."""

    @classmethod
    def _build_customer360_world(cls):
        cls.company = cls.env.company
        company_values = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_own = new_test_user(
            cls.env, login="c360_own", name="Олег Одиночкин",
            groups="sales_team.group_sale_salesman", **company_values)
        cls.user_team_a = new_test_user(
            cls.env, login="c360_team_a", name="Анна Командная",
            groups="crm_core.group_crm_salesman_team", **company_values)
        cls.user_team_a2 = new_test_user(
            cls.env, login="c360_team_a2", name="Алексей Напарников",
            groups="crm_core.group_crm_salesman_team", **company_values)
        cls.user_team_b = new_test_user(
            cls.env, login="c360_team_b", name="Борис Чужаков",
            groups="crm_core.group_crm_salesman_team", **company_values)
        cls.user_manager = new_test_user(
            cls.env, login="c360_manager", name="Мария Руководитель",
            groups="sales_team.group_sale_manager", **company_values)
        cls.team_a, cls.team_b = cls.env["crm.team"].create([{
            "name": "Продажи Москва",
            "company_id": cls.company.id,
            "member_ids": [Command.set((cls.user_team_a | cls.user_team_a2 | cls.user_own).ids)],
        }, {
            "name": "Продажи Казань",
            "company_id": cls.company.id,
            "member_ids": [Command.set(cls.user_team_b.ids)],
        }])

        cls.role_purchaser = cls.env.ref("crm_core.crm_contact_role_purchaser")
        cls.role_accountant = cls.env.ref("crm_core.crm_contact_role_accountant")
        cls.tier_key = cls.env.ref("crm_core.crm_customer_tier_key")
        cls.romashka, cls.vasilek = cls.env["res.partner"].create([{
            "name": "ООО Ромашка",
            "is_company": True,
            "vat": "7701234567",
            "user_id": cls.user_team_a.id,
            "crm_lifecycle_stage": "customer",
        }, {
            "name": "АО Василёк",
            "is_company": True,
            "user_id": cls.user_team_b.id,
            "crm_lifecycle_stage": "prospect",
        }])
        cls.ivan, cls.olga = cls.env["res.partner"].create([{
            "name": "Иван Закупкин",
            "parent_id": cls.romashka.id,
            "function": "Начальник отдела закупок",
            "crm_role_ids": [Command.set(cls.role_purchaser.ids)],
            "crm_preferred_channel": "phone",
        }, {
            "name": "Ольга Счетова",
            "parent_id": cls.romashka.id,
            "function": "Главный бухгалтер",
            "crm_role_ids": [Command.set(cls.role_accountant.ids)],
            "crm_preferred_channel": "email",
        }])
        cls.petr = cls.env["res.partner"].create({"name": "Пётр Васильков", "parent_id": cls.vasilek.id})

        ActivityType = cls.env["mail.activity.type"]
        cls.type_call_again = ActivityType.create({
            "name": "Перезвонить (тест)", "icon": "fa-phone", "delay_count": 1, "delay_from": "previous_activity"})
        cls.type_no_answer = ActivityType.create({
            "name": "Звонок: нет ответа (тест)", "icon": "fa-phone",
            "chaining_type": "trigger", "triggered_next_type_id": cls.type_call_again.id})
        Status = cls.env["crm.interaction.status"]
        cls.status_no_answer = Status.create({
            "name": "Нет ответа (тест)",
            "interaction_type": "call",
            "activity_type_id": cls.type_no_answer.id,
        })
        cls.status_done = Status.create({
            "name": "Выполнено (тест)",
            "interaction_type": "call",
            "is_success": True,
        })
        cls.status_meeting_agreed = Status.create({
            "name": "Договорились (тест)",
            "interaction_type": "meeting",
            "is_success": True,
        })

    @classmethod
    def _create_interaction(cls, user, partner, **values):
        return cls.env["crm.interaction"].create({
            "name": values.pop("name", "Звонок по поставке"),
            "interaction_type": values.pop("interaction_type", "call"),
            "user_id": user.id,
            "partner_id": partner.commercial_partner_id.id,
            **values,
        })


class Customer360Common(TransactionCase, Customer360World):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_customer360_world()


class Customer360SaleCommon(TestSaleCommon, Customer360World):
    """The same world in a company with a chart of accounts, for orders and invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_customer360_world()
        cls.product = cls.env["product.product"].create({
            "name": "Стеллаж складской",
            "type": "consu",
            "list_price": 100.0,
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
        })
