import io

from lxml import html

from odoo import Command, http
from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import create_portal_customers


@tagged("post_install", "-at_install")
class TestAttackPortal(AccountTestInvoicingHttpCommon):
    """A hostile portal customer and a careless agent against the real routes.

    Every refusal is clear (a 400 page with the message, a 404, or a ValidationError over
    JSON-RPC) and leaves the database as it was.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="ООО Филиал")["company"]
        cls.agent = new_test_user(cls.env, "atk_agent", groups="crm_service.group_crm_service_agent",
                                  name="Анна Агент")
        # the accounting test user configures no service desk: the team is set up as superuser
        cls.team = cls.env["crm.service.team"].sudo().create({
            "name": "Поддержка", "company_id": cls.env.company.id, "member_ids": [Command.set(cls.agent.ids)]})
        cls.customers = create_portal_customers(
            cls, "atk", {"a": "Алиса Атакующая", "b": "Борис Пострадавший"}, team_id=cls.team.id)
        cls.foreign_company_invoice = cls.init_invoice(
            "out_invoice", partner=cls.customers["a"]["partner"], products=cls.product_a, post=True,
            company=cls.company_2)
        cls.expense = cls.env["product.product"].create({"name": "Такси до клиента", "sale_ok": False})
        cls.branch_product = cls.env["product.product"].create({
            "name": "Станок филиала", "company_id": cls.company_2.id})

    # ------------------------------------------------------------ helpers

    def _post(self, url, data, files=None):
        return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)), files=files)

    def _tickets_of(self, key):
        partner = self.customers[key]["partner"]
        return self.env["crm.service.ticket"].sudo().search([("partner_id", "=", partner.id)])

    def _assert_refused_form(self, response, message):
        self.assertEqual(response.status_code, 400, response.text[:300])
        document = html.fromstring(response.content)
        alerts = " ".join(node.text_content() for node in document.xpath("//div[hasclass('alert-danger')]"))
        self.assertIn(message, alerts)

    # ------------------------------------------------------------ the new request form

    def test_new_request_form_has_a_description_box_that_is_saved(self):
        self.authenticate("atk_a", "atk_a")
        response = self.url_open("/my/service-requests/new")
        self.assertEqual(response.status_code, 200)
        form = html.fromstring(response.content).xpath("//form[@action='/my/service-requests/new']")[0]
        self.assertEqual(len(form.xpath(".//textarea[@name='description']")), 1)
        self.assertEqual(len(form.xpath(".//label[@for='description']")), 1)
        # the products offered: the customer's ordered product, not the expense nor the branch's product
        offered = set(form.xpath(".//select[@name='product_id']/descendant::option/@value"))
        self.assertIn(str(self.product_a.id), offered)
        self.assertNotIn(str(self.expense.id), offered)
        self.assertNotIn(str(self.branch_product.id), offered)
        self.assertEqual(set(form.xpath(".//select[@name='sale_order_id']/option/@value")) - {""},
                         {str(self.customers["a"]["order"].id)})

        response = self._post("/my/service-requests/new", {
            "subject": "Станок не включается", "description": "После обновления прошивки\nэкран гаснет",
            "product_id": str(self.product_a.id), "sale_order_id": str(self.customers["a"]["order"].id)})
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets_of("a").filtered(lambda t: t.name == "Станок не включается")
        self.assertEqual(len(ticket), 1)
        self.assertIn("После обновления прошивки", ticket.description)
        self.assertIn("экран гаснет", ticket.description)
        self.assertEqual(ticket.sale_order_id, self.customers["a"]["order"])
        self.assertIn("После обновления прошивки", response.text)

    def test_new_request_form_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["crm_service"], ["ru_RU"])
        self.customers["a"]["user"].lang = "ru_RU"
        self.authenticate("atk_a", "atk_a")
        page = html.fromstring(self.url_open("/my/service-requests/new").content)
        form = page.xpath("//form[@action='/my/service-requests/new']")[0]
        self.assertEqual(form.xpath(".//label[@for='description']")[0].text_content().strip(), "Описание")
        self.assertEqual(len(form.xpath(".//textarea[@name='description']")), 1)

    def test_portal_home_shows_service_requests_before_the_first_ticket(self):
        newcomer = new_test_user(self.env, "atk_new", groups="base.group_portal", name="Вера Новая")
        self.assertFalse(self.env["crm.service.ticket"].sudo().search_count(
            [("commercial_partner_id", "=", newcomer.partner_id.id)]))
        self.authenticate("atk_new", "atk_new")
        document = html.fromstring(self.url_open("/my").content)
        cards = document.xpath("//a[@href='/my/service-requests']/ancestor::div[hasclass('o_portal_index_card')]")
        self.assertEqual(len(cards), 1)
        self.assertNotIn("d-none", cards[0].get("class").split())
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["crm_service_ticket_count"]})
        self.assertEqual(counters, {"crm_service_ticket_count": 0})

    def test_new_request_refuses_hostile_input(self):
        order_b = self.customers["b"]["order"]
        base = {"subject": "Атака", "description": "Текст"}
        cases = [
            ({"subject": "Ж" * 201}, "Subject"),
            ({"description": "Ж" * 10001}, "Description"),
            ({"serial_number": "S" * 65}, "Serial number"),
            ({"subject": "   "}, "Subject"),
            ({"product_id": str(self.expense.id)}, "product"),
            ({"product_id": str(self.branch_product.id)}, "product"),
            ({"product_id": "nan"}, "product"),
            ({"product_id": "1e300"}, "product"),
            ({"product_id": "-1"}, "product"),
            ({"product_id": "99999999999999999999"}, "product"),
            ({"sale_order_id": str(order_b.id)}, "order"),
            ({"sale_order_id": "inf"}, "order"),
            ({"category_id": "١٢"}, "category"),
            ({"category_id": "999999999"}, "category"),
        ]
        self.authenticate("atk_a", "atk_a")
        before = self._tickets_of("a")
        for values, message in cases:
            with self.subTest(values={key: value[:20] for key, value in values.items()}):
                response = self._post("/my/service-requests/new", dict(base, **values))
                self._assert_refused_form(response, message)
        self.assertEqual(self._tickets_of("a"), before, "nothing may be created by a refused form")

    def test_reverse_pricing_refuses_nan_inf_and_huge_numbers(self):
        Lead = self.env["crm.lead"].sudo()
        leads_before = Lead.search_count([])
        base = {"product_id": str(self.product_a.id), "target_price": "100", "quantity": "2"}
        cases = [
            {"target_price": "nan"}, {"target_price": "inf"}, {"target_price": "-inf"},
            {"target_price": "1e300"}, {"target_price": "-5"}, {"target_price": "0"}, {"target_price": "сто"},
            {"quantity": "NaN"}, {"quantity": "1e300"}, {"quantity": "-1"},
            {"requirements": "Ж" * 10001},
            {"product_id": str(self.expense.id)}, {"product_id": str(self.branch_product.id)}, {"product_id": ""},
        ]
        self.authenticate("atk_a", "atk_a")
        for values in cases:
            with self.subTest(values={key: value[:20] for key, value in values.items()}):
                response = self._post("/my/reverse-pricing", dict(base, **values))
                self.assertEqual(response.status_code, 400)
                self.assertTrue(html.fromstring(response.content).xpath("//div[hasclass('alert-danger')]"))
        self.assertEqual(Lead.search_count([]), leads_before)
        # the same form with sane values goes through
        response = self._post("/my/reverse-pricing", base)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Lead.search_count([]), leads_before + 1)

    def test_feedback_refuses_foreign_products_and_huge_text(self):
        self.authenticate("atk_a", "atk_a")
        before = self._tickets_of("a")
        for values, message in (({"product_id": str(self.branch_product.id), "feedback": "Шумит"}, "product"),
                                ({"product_id": "", "feedback": "Ж" * 10001}, "Your feedback"),
                                ({"product_id": "", "feedback": " "}, "Your feedback")):
            with self.subTest(message=message):
                self._assert_refused_form(self._post("/my/service-feedback", values), message)
        self.assertEqual(self._tickets_of("a"), before)

    # ------------------------------------------------------------ another customer's ticket

    def test_guessing_another_customers_ticket(self):
        ticket_b = self.customers["b"]["ticket"]
        ticket_b.sudo().stage_id = self.env.ref("crm_service.stage_solved")
        messages_before = ticket_b.sudo().message_ids
        attachments = self.env["ir.attachment"].sudo()
        attachments_before = attachments.search_count([])
        self.authenticate("atk_a", "atk_a")
        for url in (f"/my/service-requests/{ticket_b.id}", f"/my/service-requests/{ticket_b.id}?access_token=guess",
                    "/my/service-requests/99999999999999999999", "/my/service-articles/99999999999999999999"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(ticket_b.number, response.text)
        for url, values in ((f"/my/service-requests/{ticket_b.id}/reply", {"message": "Чужой ответ"}),
                            (f"/my/service-requests/{ticket_b.id}/rate", {"rating": "1", "feedback": "Чужая оценка"})):
            with self.subTest(url=url):
                self.assertEqual(self._post(url, values).status_code, 404)
        with mute_logger("odoo.http"):
            response = self._post("/mail/attachment/upload", {
                "thread_model": "crm.service.ticket", "thread_id": str(ticket_b.id)},
                files={"ufile": ("virus.txt", io.BytesIO(b"payload"), "text/plain")})
        self.assertIn(response.status_code, (403, 404))
        self.env.invalidate_all()
        self.assertEqual(ticket_b.sudo().message_ids, messages_before)
        self.assertFalse(ticket_b.sudo().rating_ids.filtered("consumed"))
        self.assertEqual(attachments.search_count([]), attachments_before)

    def test_reply_and_rating_of_own_ticket_are_bounded(self):
        ticket_a = self.customers["a"]["ticket"]
        ticket_a.sudo().stage_id = self.env.ref("crm_service.stage_solved")
        messages_before = ticket_a.sudo().message_ids
        self.authenticate("atk_a", "atk_a")
        self._assert_refused_form(
            self._post(f"/my/service-requests/{ticket_a.id}/reply", {"message": "Ж" * 10001}), "Reply")
        self._assert_refused_form(
            self._post(f"/my/service-requests/{ticket_a.id}/rate", {"rating": "5", "feedback": "Ж" * 2001}), "Comment")
        self._post(f"/my/service-requests/{ticket_a.id}/rate", {"rating": "nan"})
        self.env.invalidate_all()
        self.assertEqual(ticket_a.sudo().message_ids, messages_before)
        self.assertFalse(ticket_a.sudo().rating_ids.filtered("consumed"))

    # ------------------------------------------------------------ the agent over JSON-RPC

    def _call_kw(self, model, method, args):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": args, "kwargs": {"context": {}}})

    def test_agent_cannot_link_foreign_documents_over_rpc(self):
        ticket_a = self.customers["a"]["ticket"]
        self.authenticate("atk_agent", "atk_agent")
        cases = {
            "another customer's invoice": {"invoice_id": self.customers["b"]["invoice"].id},
            "the customer's invoice in another company": {"invoice_id": self.foreign_company_invoice.id},
            "another customer's order": {"sale_order_id": self.customers["b"]["order"].id},
        }
        for case, values in cases.items():
            with self.subTest(case), mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
                self._call_kw("crm.service.ticket", "write", [[ticket_a.id], values])
            self.assertEqual(str(caught.exception), "odoo.exceptions.ValidationError")
        self.env.invalidate_all()
        self.assertFalse(ticket_a.sudo().invoice_id)
        self.assertFalse(ticket_a.sudo().sale_order_id)
        # the customer's own invoice is accepted, and the portal then links to it
        self._call_kw("crm.service.ticket", "write", [[ticket_a.id], {"invoice_id": self.customers["a"]["invoice"].id}])
        self.authenticate("atk_a", "atk_a")
        page = self.url_open(f"/my/service-requests/{ticket_a.id}").text
        self.assertIn(self.customers["a"]["invoice"].name, page)

    def test_mail_gateway_methods_are_not_callable_over_rpc(self):
        ticket_a = self.customers["a"]["ticket"]
        stage_before = ticket_a.stage_id
        self.authenticate("atk_agent", "atk_agent")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._call_kw("crm.service.ticket", "message_update", [[ticket_a.id], {}, {"name": "Взлом"}])
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertEqual(ticket_a.name, "Заявка Алиса Атакующая")
        self.assertEqual(ticket_a.stage_id, stage_before)

    def test_portal_page_never_links_another_customers_document(self):
        ticket_a = self.customers["a"]["ticket"]
        order_b, invoice_b = self.customers["b"]["order"], self.customers["b"]["invoice"]
        # a link stored before the constraints existed (written in SQL, as a migration would leave it)
        self.env.cr.execute("UPDATE crm_service_ticket SET sale_order_id = %s, invoice_id = %s WHERE id = %s",
                            (order_b.id, invoice_b.id, ticket_a.id))
        self.env.invalidate_all()
        self.authenticate("atk_a", "atk_a")
        response = self.url_open(f"/my/service-requests/{ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        for secret in (order_b.name, invoice_b.name, f"/my/orders/{order_b.id}", f"/my/invoices/{invoice_b.id}"):
            self.assertNotIn(secret, response.text)
        for token in filter(None, (order_b.sudo().access_token, invoice_b.sudo().access_token)):
            self.assertNotIn(token, response.text)
