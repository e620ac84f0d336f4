from odoo.addons.sale.tests.common import TestSaleCommon
from odoo.fields import Command
from odoo.tests import new_test_user


def foreign_currency_pricelist(env, rate):
    """A pricelist in another currency worth ``rate`` units for one company currency unit."""
    company = env.company
    foreign = env["res.currency"].search(
        [("id", "!=", company.currency_id.id), ("active", "in", (True, False))], limit=1)
    foreign.active = True
    env["res.currency.rate"].create({
        "name": "2026-01-01", "currency_id": foreign.id, "company_id": company.id,
        "rate": rate * company.currency_id.rate})
    return env["product.pricelist"].create({"name": "Валютный", "currency_id": foreign.id})


class CrmErpCommon(TestSaleCommon):
    """A company with a chart of accounts, salespeople, an accountant, priced
    products, a customer with their own pricelist and payment terms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # pricelists are a feature switched on for everybody (as the setting does)
        cls.env.ref("base.group_user").implied_ids = [Command.link(cls.group_product_pricelist.id)]
        cls.company = cls.env.company
        cls.eur = cls.setup_other_currency("EUR")  # 2 EUR for 1 company currency

        company_values = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_salesman = new_test_user(
            cls.env, login="crm_erp_salesman", groups="sales_team.group_sale_salesman",
            name="Иван Продавцов", **company_values)
        cls.user_salesman_other = new_test_user(
            cls.env, login="crm_erp_salesman_other", groups="sales_team.group_sale_salesman",
            name="Пётр Другой", **company_values)
        cls.user_accountant = new_test_user(
            cls.env, login="crm_erp_accountant", groups="base.group_user,account.group_account_invoice",
            name="Мария Бухгалтерова", **company_values)
        cls.team = cls.env["crm.team"].create({
            "name": "Отдел продаж B2B",
            "company_id": cls.company.id,
            "member_ids": [Command.link(cls.user_salesman.id)],
        })

        cls.product_table, cls.product_chair = cls.env["product.product"].create([{
            "name": "Стол офисный",
            "type": "consu",
            "list_price": 100.0,
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
            "categ_id": cls.product_category.id,
        }, {
            "name": "Стул офисный",
            "type": "consu",
            "list_price": 50.0,
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
            "categ_id": cls.product_category.id,
        }])
        cls.pricelist_customer = cls.env["product.pricelist"].create({
            "name": "Оптовый",
            "currency_id": cls.company.currency_id.id,
            "company_id": cls.company.id,
            "item_ids": [Command.create({
                "applied_on": "0_product_variant",
                "product_id": cls.product_table.id,
                "compute_price": "fixed",
                "fixed_price": 80.0,
            })],
        })
        cls.pricelist_eur = cls.env["product.pricelist"].create({
            "name": "Экспорт EUR",
            "currency_id": cls.eur.id,
            "company_id": cls.company.id,
        })
        cls.customer = cls.env["res.partner"].create({
            "name": "ООО Ромашка",
            "is_company": True,
            "vat": "7701234567",
            "property_product_pricelist": cls.pricelist_customer.id,
            "property_payment_term_id": cls.pay_terms_b.id,
            "property_account_receivable_id": cls.company_data["default_account_receivable"].id,
        })
        cls.customer_eur = cls.env["res.partner"].create({
            "name": "Lindgren GmbH",
            "is_company": True,
            "property_product_pricelist": cls.pricelist_eur.id,
            "property_account_receivable_id": cls.company_data["default_account_receivable"].id,
        })
        cls.campaign = cls.env["utm.campaign"].create({"name": "Весенняя распродажа"})
        cls.source = cls.env["utm.source"].create({"name": "Выставка Мебель-2026"})
        cls.medium = cls.env["utm.medium"].create({"name": "Стенд"})

    @classmethod
    def _create_deal(cls, user=None, partner=None, lines=(), **values):
        """Create an opportunity as ``user`` with lines given as (product, qty, discount)."""
        env = cls.env(user=user) if user else cls.env
        return env["crm.lead"].create({
            "name": values.pop("name", "Мебель для офиса"),
            "type": "opportunity",
            "partner_id": (partner or cls.customer).id,
            "user_id": (user or cls.user_salesman).id,
            "team_id": cls.team.id,
            "company_id": cls.company.id,
            "crm_deal_line_ids": [
                Command.create({"product_id": product.id, "product_uom_qty": qty, "discount": discount})
                for product, qty, discount in lines
            ],
            **values,
        })

    def _invoice_deal(self, lead, user=None, **wizard_values):
        action = (lead.with_user(user) if user else lead).action_create_deal_invoice()
        wizard = self.env["sale.advance.payment.inv"].with_user(user or self.env.user).with_context(
            **action["context"]).create(wizard_values)
        wizard.create_invoices()
        return lead.order_ids.invoice_ids

    def _pay(self, invoices, amount=None):
        values = {"amount": amount} if amount is not None else {}
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids,
        ).create(values)._create_payments()
