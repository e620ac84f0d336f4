import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common_import import shared_data_dir
from .common_tour import CrmTourCase


@tagged("post_install", "-at_install")
class TestCrmCoreTours(CrmTourCase):
    """Customer 360 and deal-to-invoice in a real browser (headless Chromium).

    Each test builds its own data; screenshots: see common_tour.py (CRM_SCREENSHOTS).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="tour_c360_salesman", name="Тур Продавцов",
            groups="sales_team.group_sale_salesman", tz="Europe/Moscow")
        cls.customer = cls.env["res.partner"].create({
            "name": "ООО «Тур-Ромашка»",
            "is_company": True,
            "vat": "7707083893",
            "crm_kpp": "770701001",
            "user_id": cls.salesman.id,
            "crm_lifecycle_stage": "customer",
            "phone": "+7 495 123-45-67",
            "city": "Москва",
        })
        cls.purchaser, cls.accountant = cls.env["res.partner"].create([{
            "name": "Тур Закупкин",
            "parent_id": cls.customer.id,
            "function": "Начальник отдела закупок",
            "crm_role_ids": [Command.set(cls.env.ref("crm_core.crm_contact_role_purchaser").ids)],
            "crm_preferred_channel": "phone",
        }, {
            "name": "Тур Счетова",
            "parent_id": cls.customer.id,
            "function": "Главный бухгалтер",
            "crm_role_ids": [Command.set(cls.env.ref("crm_core.crm_contact_role_accountant").ids)],
            "crm_preferred_channel": "email",
        }])

    def _deal(self, name, revenue, **values):
        return self.env["crm.lead"].create({
            "name": name,
            "type": "opportunity",
            "partner_id": self.customer.id,
            "user_id": self.salesman.id,
            "expected_revenue": revenue,
            **values,
        })

    def test_partner_crm_tab_tour(self):
        self._deal("Тур: кресла для переговорных", 60000.0)
        self._deal("Тур: столы для склада", 40000.0)
        won = self._deal("Тур: выигранная поставка", 150000.0)
        won.action_set_won()
        self.assertEqual(won.won_status, "won")
        self.start_crm_tour(f"/odoo/contacts/{self.customer.id}", "crm_core_partner_crm_tab_tour",
                            login=self.salesman.login)

    def test_log_call_tour(self):
        call = self.env.ref("mail.mail_activity_data_call")
        status = self.env["crm.interaction.status"].create({
            "name": "Тур: перезвонить",
            "interaction_type": "call",
            "sequence": 0,
            "next_activity_type_id": call.id,
            "next_delay_days": 1,
        })
        self.start_crm_tour(f"/odoo/contacts/{self.customer.id}", "crm_core_log_call_tour",
                            login=self.salesman.login)

        interaction = self.env["crm.interaction"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(interaction), 1, "one click logged one interaction")
        self.assertEqual(interaction.status_id, status)
        self.assertEqual(interaction.interaction_type, "call")
        self.assertEqual(interaction.result, "Просит перезвонить завтра после 10:00")
        self.assertEqual(interaction.user_id, self.salesman)
        activity = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)])
        self.assertEqual(len(activity), 1, "the same click planned the next step")
        self.assertEqual(activity.activity_type_id, call)
        self.assertEqual(activity.user_id, self.salesman)
        today = fields.Date.context_today(self.customer.with_user(self.salesman))
        self.assertEqual(activity.date_deadline, today + timedelta(days=1))

    def test_deal_to_invoice_tour(self):
        company = self.env.company
        if not self.env["account.journal"].search_count([("type", "=", "sale"), ("company_id", "=", company.id)]):
            # a database without demo data may have no chart of accounts yet
            self.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        billing_seller = new_test_user(
            self.env, login="tour_erp_seller", name="Тур Менеджеров", tz="Europe/Moscow",
            groups="sales_team.group_sale_salesman,account.group_account_invoice")
        chair = self.env["product.product"].create({
            "name": "Тур: кресло для переговорной",
            "type": "service",
            "list_price": 12000.0,
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
        })
        deal = self._deal("Тур: переговорные", 0.0, user_id=billing_seller.id, lead_line_ids=[
            Command.create({"product_id": chair.id, "product_uom_qty": 5.0}),
        ])
        self.assertEqual(deal.lead_line_amount, 60000.0)
        self.start_crm_tour(f"/odoo/crm/{deal.id}", "crm_core_deal_to_invoice_tour", login=billing_seller.login)

        order = deal.order_ids
        self.assertEqual(len(order), 1, "one quotation from the deal")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_id, chair)
        self.assertEqual(order.amount_untaxed, 60000.0)
        self.assertEqual(deal.won_status, "won", "confirming the order won the deal")
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 60000.0)
        self.assertEqual(order.invoice_status, "invoiced")


@tagged("post_install", "-at_install")
class TestCrmCoreImportTour(CrmTourCase):
    """The customer import wizard on the 1C sample file of shared/data."""

    def test_customer_import_tour(self):
        data = shared_data_dir()
        if data is None or not (data / "customers_1c.csv").is_file():
            self.skipTest("shared/data/customers_1c.csv (sample customer files) is not beside this repository")
        operator = new_test_user(
            self.env, login="tour_imp_operator", name="Тур Операторова",
            groups="base.group_user,crm_core.group_crm_data_operator")
        job = self.env["crm.import.job"].with_user(operator).create({
            "file": base64.b64encode((data / "customers_1c.csv").read_bytes()),
            "filename": "customers_1c.csv",
            "region_country_id": self.env.ref("base.ru").id,
            "duplicate_policy": "skip",
        })
        self.start_crm_tour(f"/odoo/action-crm_core.action_crm_import_job/{job.id}",
                            "crm_core_customer_import_tour", login=operator.login)

        self.assertEqual(job.state, "done")
        self.assertEqual(job.rows_total, 150)
        self.assertEqual(len(job.row_ids), 150, "one log row per input row")
        self.assertEqual(
            job.created_count + job.updated_count + job.skipped_count + job.rejected_count, 150)
        self.assertTrue(job.created_count, "new customers were created")
        row = job.row_ids.filtered(lambda r: r.email == "client1@mail.example")
        self.assertEqual(row.phone, "+79123456789", "phones end in the international format")
        if row.decision == "created":
            self.assertEqual(row.partner_id.phone, "+79123456789")
            self.assertEqual(row.partner_id.parent_id.crm_kpp, "665801001")
