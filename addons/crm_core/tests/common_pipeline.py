from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user


class CrmPipelineCommon(TransactionCase):
    """Two salespeople of one team, a manager, stages with pipeline rules,
    products in a small category tree. No demo data is used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        company_values = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_anna = new_test_user(
            cls.env, login="pipe_anna", groups="sales_team.group_sale_salesman",
            name="Анна Продажина", **company_values)
        cls.user_boris = new_test_user(
            cls.env, login="pipe_boris", groups="sales_team.group_sale_salesman",
            name="Борис Сделкин", **company_values)
        cls.user_manager = new_test_user(
            cls.env, login="pipe_manager", groups="sales_team.group_sale_manager",
            name="Вера Руководова", **company_values)
        cls.team = cls.env["crm.team"].create({
            "name": "Отдел продаж «Север»",
            "company_id": cls.company.id,
            "member_ids": [Command.set([cls.user_anna.id, cls.user_boris.id])],
        })
        cls.team_other = cls.env["crm.team"].create({"name": "Отдел продаж «Юг»", "company_id": cls.company.id})

        lead_fields = cls.env["ir.model.fields"].search([("model", "=", "crm.lead")])
        cls.field_by_name = {field.name: field for field in lead_fields}
        cls.stage_new, cls.stage_proposal, cls.stage_won = cls.env["crm.stage"].create([{
            "name": "Новая (тест)",
            "sequence": 1,
            "rotting_threshold_days": 5,
        }, {
            "name": "Предложение (тест)",
            "sequence": 2,
            "rotting_threshold_days": 3,
            "crm_required_field_ids": [Command.set([
                cls.field_by_name["expected_revenue"].id,
                cls.field_by_name["date_deadline"].id,
                cls.field_by_name["partner_id"].id,
            ])],
        }, {
            "name": "Выиграна (тест)",
            "sequence": 3,
            "is_won": True,
        }])
        cls.customer = cls.env["res.partner"].create({"name": "ООО «Ромашка»", "is_company": True, "vat": "7701234567"})

        cls.categ_furniture = cls.env["product.category"].create({"name": "Мебель (тест)"})
        cls.categ_chairs = cls.env["product.category"].create({
            "name": "Стулья (тест)", "parent_id": cls.categ_furniture.id})
        cls.categ_service = cls.env["product.category"].create({"name": "Услуги (тест)"})
        cls.product_chair, cls.product_assembly = cls.env["product.product"].create([{
            "name": "Стул офисный",
            "type": "consu",
            "list_price": 100.0,
            "categ_id": cls.categ_chairs.id,
            "taxes_id": [Command.clear()],
        }, {
            "name": "Сборка мебели",
            "type": "service",
            "list_price": 50.0,
            "categ_id": cls.categ_service.id,
            "taxes_id": [Command.clear()],
        }])

    @classmethod
    def _create_deal(cls, name, user, stage=None, **values):
        return cls.env["crm.lead"].create({
            "name": name,
            "type": "opportunity",
            "user_id": user.id,
            "team_id": cls.team.id,
            "stage_id": (stage or cls.stage_new).id,
            **values,
        })
