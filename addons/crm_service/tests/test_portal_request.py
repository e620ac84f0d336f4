from lxml import html

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServicePortalRequest(CrmServiceCommon, HttpCase):
    """The customer's new-request form: description box, home entry, products that make sense."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.bought = Product.create({"name": "Принтер ЛП-100", "sale_ok": True, "list_price": 300})
        cls.invoiced = Product.create({"name": "Картридж К-7", "sale_ok": True, "list_price": 20})
        cls.saleable = Product.create({"name": "Сканер СК-2", "sale_ok": True, "list_price": 150})
        cls.expense = Product.create({
            "name": "Командировочные расходы", "sale_ok": True, "type": "service", "expense_policy": "cost"})
        cls.down_payment = Product.create({"name": "Аванс", "sale_ok": True, "type": "service"})
        cls.not_for_sale = Product.create({"name": "Запчасть для мастерской", "sale_ok": False})
        order = cls.env["sale.order"].create({
            "partner_id": cls.customer.id,
            "order_line": [Command.create({"product_id": cls.bought.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        # a down payment taken on some order: its product is money, not something to repair
        cls.env["sale.order"].create({
            "partner_id": cls.rival.id,
            "order_line": [Command.create({
                "product_id": cls.down_payment.id, "is_downpayment": True, "product_uom_qty": 1,
                "price_unit": 100})],
        })
        invoice = cls.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": cls.customer_contact.id,
            "invoice_line_ids": [Command.create({"product_id": cls.invoiced.id, "quantity": 2, "price_unit": 20})],
        })
        invoice.action_post()
        # a customer of its own, with no ticket and nothing bought
        cls.newcomer_company = cls.env["res.partner"].create({"name": "ООО Новичок", "is_company": True})
        cls.newcomer = cls.env["res.partner"].create({
            "name": "Нина Новикова", "parent_id": cls.newcomer_company.id, "email": "nina@novichok.example"})
        new_test_user(cls.env, "svc_portal_new", groups="base.group_portal", name="Нина Новикова",
                      partner_id=cls.newcomer.id, email="nina@novichok.example")

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)))

    def _form_products(self, login):
        self.authenticate(login, login)
        response = self.url_open("/my/service-requests/new")
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.text)
        return {int(value) for value in page.xpath("//select[@name='product_id']/optgroup/option/@value")}

    def _tickets(self):
        return self.env["crm.service.ticket"].search([("commercial_partner_id", "in", self.customer.ids)])

    def test_description_box_in_english_and_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["portal", "crm_service"], ["ru_RU"])
        for lang, label in (("en_US", "Description"), ("ru_RU", "Описание")):
            self.portal_user.lang = lang
            self.authenticate("svc_portal", "svc_portal")
            page = html.fromstring(self.url_open("/my/service-requests/new").text)
            textarea = page.xpath("//form[@action='/my/service-requests/new']//textarea[@name='description']")
            self.assertEqual(len(textarea), 1, lang)
            self.assertEqual(page.xpath("//label[@for='description']")[0].text_content().strip(), label)

    def test_description_stored_sanitized_and_shown(self):
        self.authenticate("svc_portal", "svc_portal")
        response = self._post("/my/service-requests/new", {
            "subject": "Принтер мнёт бумагу", "product_id": self.bought.id,
            "description": "Мнёт каждый второй лист\n<script>alert(1)</script>",
        })
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertIn("Мнёт каждый второй лист", ticket.description)
        self.assertNotIn("<script>", ticket.description)
        self.assertIn("&lt;script&gt;", ticket.description)
        self.assertEqual((ticket.partner_id, ticket.contact_id), (self.customer, self.customer_contact))
        page = html.fromstring(response.text)
        shown = page.xpath("//div[hasclass('o_crm_service_ticket_description')]")
        self.assertIn("Мнёт каждый второй лист", shown[0].text_content())
        form_arch = self.env["crm.service.ticket"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="description"', form_arch)

    def test_portal_home_shows_requests_entry_without_tickets(self):
        self.authenticate("svc_portal_new", "svc_portal_new")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        cards = html.fromstring(response.text).xpath(
            "//a[@href='/my/service-requests']/ancestor::div[hasclass('o_portal_index_card')]")
        self.assertEqual(len(cards), 1)
        self.assertNotIn("d-none", cards[0].get("class").split())
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["crm_service_ticket_count"]})
        self.assertEqual(counters, {"crm_service_ticket_count": 0})

    def test_products_bought_by_the_customer(self):
        self.assertEqual(self._form_products("svc_portal"), {self.bought.id, self.invoiced.id})

    def test_products_of_a_customer_who_bought_nothing(self):
        offered = self._form_products("svc_portal_new")
        self.assertIn(self.saleable.id, offered)
        self.assertIn(self.bought.id, offered)
        self.assertFalse(offered & {self.expense.id, self.down_payment.id, self.not_for_sale.id})

    def test_product_outside_the_list_is_refused(self):
        self.authenticate("svc_portal", "svc_portal")
        for product in (self.saleable, self.expense, self.down_payment, self.not_for_sale):
            response = self._post("/my/service-requests/new", {
                "subject": "Чужой товар", "description": "Проверка", "product_id": product.id})
            self.assertEqual(response.status_code, 400, product.name)
            self.assertIn("Please choose a product from the list.", response.text)
        self.assertFalse(self._tickets(), "nothing is created")
        self.authenticate("svc_portal_new", "svc_portal_new")
        response = self._post("/my/service-requests/new", {"subject": "Аванс", "product_id": self.down_payment.id})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["crm.service.ticket"].search([("name", "=", "Аванс")]))
