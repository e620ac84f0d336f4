from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user


class CrmMrpCommon(TransactionCase):
    """A manufactured product (BoM + manufacture route), a bought one, a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.route_manufacture = cls.warehouse.manufacture_pull_id.route_id
        cls.route_manufacture.product_selectable = True
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_core_mrp.production_proposal_probability", "70")
        cls.user_salesman = new_test_user(
            cls.env, login="crm_mrp_salesman", groups="sales_team.group_sale_salesman",
            name="Анна Продажина", company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.component = cls.env["product.product"].create({
            "name": "Столешница ЛДСП", "type": "consu", "is_storable": True})
        cls.product_cabinet = cls.env["product.product"].create({
            "name": "Шкаф-купе",
            "type": "consu",
            "is_storable": True,
            "list_price": 300.0,
            "route_ids": [Command.set(cls.route_manufacture.ids)],
        })
        cls.bom = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.product_cabinet.product_tmpl_id.id,
            "product_qty": 1.0,
            "type": "normal",
            "bom_line_ids": [Command.create({"product_id": cls.component.id, "product_qty": 2.0})],
        })
        cls.product_bought = cls.env["product.product"].create({
            "name": "Ручка мебельная", "type": "consu", "list_price": 5.0})
        cls.customer = cls.env["res.partner"].create({"name": "ООО Ромашка", "is_company": True})

    def _create_deal(self, probability, lines, **values):
        return self.env["crm.lead"].with_user(self.user_salesman).create({
            "name": values.pop("name", "Шкафы для склада"),
            "type": "opportunity",
            "partner_id": self.customer.id,
            "user_id": self.user_salesman.id,
            "probability": probability,
            "crm_deal_line_ids": [
                Command.create({"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines
            ],
            **values,
        })

    def _proposals(self, deal, states=("draft",)):
        return self.env["mrp.production"].search([("crm_lead_id", "=", deal.id), ("state", "in", states)])
