from odoo.addons.sale.tests.common import TestSaleCommon
from odoo.fields import Command
from odoo.tests import Form, new_test_user


class CrmSuiteCommon(TestSaleCommon):
    """A furniture maker: a cabinet manufactured to order from a BoM, sold by a
    salesperson, invoiced by an accountant without sales rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.group_user").implied_ids = [
            Command.link(cls.env.ref("product.group_product_pricelist").id)]
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.route_mto = cls.env.ref("stock.route_warehouse0_mto")
        cls.route_mto.active = True
        cls.route_manufacture = cls.warehouse.manufacture_pull_id.route_id
        cls.route_manufacture.product_selectable = True
        cls.env["ir.config_parameter"].sudo().set_param("crm_core_mrp.production_proposal_probability", "70")

        company_values = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_salesman = new_test_user(
            cls.env, login="suite_salesman", groups="sales_team.group_sale_salesman",
            name="Иван Продавцов", **company_values)
        cls.user_accountant = new_test_user(
            cls.env, login="suite_accountant", groups="base.group_user,account.group_account_invoice",
            name="Мария Бухгалтерова", **company_values)
        cls.user_planner = new_test_user(
            cls.env, login="suite_planner", groups="mrp.group_mrp_user,stock.group_stock_user",
            name="Олег Плановиков", **company_values)

        cls.component = cls.env["product.product"].create({
            "name": "Панель ЛДСП", "is_storable": True, "type": "consu"})
        cls.product_cabinet = cls.env["product.product"].create({
            "name": "Шкаф-купе 2000",
            "type": "consu",
            "is_storable": True,
            "list_price": 500.0,
            "invoice_policy": "delivery",
            "taxes_id": [Command.clear()],
            "categ_id": cls.product_category.id,
            "route_ids": [Command.set((cls.route_mto | cls.route_manufacture).ids)],
        })
        cls.bom = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.product_cabinet.product_tmpl_id.id,
            "product_qty": 1.0,
            "type": "normal",
            "bom_line_ids": [Command.create({"product_id": cls.component.id, "product_qty": 4.0})],
        })
        cls.env["stock.quant"]._update_available_quantity(cls.component, cls.warehouse.lot_stock_id, 100.0)
        cls.pricelist_customer = cls.env["product.pricelist"].create({
            "name": "Дилерский",
            "company_id": cls.company.id,
            "currency_id": cls.company.currency_id.id,
            "item_ids": [Command.create({
                "applied_on": "0_product_variant",
                "product_id": cls.product_cabinet.id,
                "compute_price": "percentage",
                "percent_price": 10.0,
            })],
        })
        cls.customer = cls.env["res.partner"].create({
            "name": "ООО Ромашка",
            "is_company": True,
            "vat": "7701234567",
            "property_product_pricelist": cls.pricelist_customer.id,
            "property_payment_term_id": cls.pay_terms_a.id,
            "property_account_receivable_id": cls.company_data["default_account_receivable"].id,
        })

    def _produce(self, production):
        production.action_assign()
        with Form(production) as form:
            form.qty_producing = production.product_qty
        production.button_mark_done()

    def _deliver(self, order):
        for picking in order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            picking.action_assign()
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.button_validate()

    def _invoice_from_deal(self, deal, user):
        action = deal.with_user(user).action_create_deal_invoice()
        wizard = self.env["sale.advance.payment.inv"].with_user(user).with_context(**action["context"]).create({})
        wizard.create_invoices()
        invoices = deal.order_ids.invoice_ids.filtered(lambda move: move.state == "draft")
        invoices.with_user(user).action_post()
        return invoices

    def _pay(self, invoices, user, **values):
        self.env["account.payment.register"].with_user(user).with_context(
            active_model="account.move", active_ids=invoices.ids,
        ).create(values)._create_payments()


def create_portal_customers(cls, login_prefix, names, **ticket_values):
    """Portal customers of a test class (``AccountTestInvoicingCommon``): ``names`` maps a key to a name.

    Each one is a portal user (login ``<login_prefix>_<key>``) with a confirmed sale order, a posted
    invoice and a service ticket (``ticket_values`` added to it); returns ``{key: {"user", "partner",
    "order", "invoice", "ticket"}}``.
    """
    customers = {}
    for key, name in names.items():
        user = new_test_user(cls.env, f"{login_prefix}_{key}", groups="base.group_portal", name=name,
                             email=f"{login_prefix}_{key}@example.com")
        partner = user.partner_id
        # the accounting test user has no sales rights: documents are set up as superuser
        order = cls.env["sale.order"].sudo().create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": cls.product_a.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        invoice = cls.init_invoice("out_invoice", partner=partner, products=cls.product_a, post=True)
        ticket = cls.env["crm.service.ticket"].sudo().create({
            "name": f"Заявка {name}", "partner_id": partner.id, **ticket_values})
        customers[key] = {"user": user, "partner": partner, "order": order, "invoice": invoice, "ticket": ticket}
    return customers
