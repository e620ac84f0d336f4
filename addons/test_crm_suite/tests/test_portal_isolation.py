import json

from requests.exceptions import HTTPError

from odoo import http
from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import create_portal_customers


@tagged("post_install", "-at_install")
class TestPortalIsolation(AccountTestInvoicingHttpCommon):
    """Two portal customers, each with a ticket, a confirmed order and a posted
    invoice: guessing the other's ids never shows the other's documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = create_portal_customers(cls, "iso", {"a": "Алексей Первый", "b": "Борис Второй-Секретный"})
        cls.article_draft = cls.env["crm.service.article"].sudo().create({"name": "Внутренняя инструкция Бориса"})

    def _secrets(self, key):
        data = self.customers[key]
        return (data["partner"].name, data["order"].name, data["invoice"].name, data["ticket"].number)

    def _assert_no_secret(self, response, key, url):
        for secret in self._secrets(key):
            self.assertNotIn(secret, response.text, f"{url} shows {secret}")

    def _document_urls(self, key):
        data = self.customers[key]
        order, invoice, ticket = data["order"].id, data["invoice"].id, data["ticket"].id
        return [
            f"/my/orders/{order}",
            f"/my/orders/{order}?report_type=pdf",
            f"/my/orders/{order}?report_type=html&download=true",
            f"/my/orders/{order}?access_token=guessed",
            f"/my/invoices/{invoice}",
            f"/my/invoices/{invoice}?report_type=pdf",
            f"/my/invoices/{invoice}?access_token=guessed",
            f"/my/service-requests/{ticket}",
            f"/my/service-requests/{ticket}?access_token=guessed",
        ]

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)))

    def test_own_documents_open(self):
        self.authenticate("iso_a", "iso_a")
        data = self.customers["a"]
        for url, secret in ((f"/my/orders/{data['order'].id}", data["order"].name),
                            (f"/my/invoices/{data['invoice'].id}", data["invoice"].name),
                            (f"/my/service-requests/{data['ticket'].id}", data["ticket"].number)):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(secret, response.text, url)
            self._assert_no_secret(response, "b", url)

    def test_lists_show_only_own_documents(self):
        self.authenticate("iso_a", "iso_a")
        for url in ("/my", "/my/orders", "/my/invoices", "/my/service-requests"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self._assert_no_secret(response, "b", url)
        self.assertIn(self.customers["a"]["ticket"].number, self.url_open("/my/service-requests").text)

    def test_guessing_another_customers_ids(self):
        self.authenticate("iso_a", "iso_a")
        for url in self._document_urls("b"):
            with self.subTest(url=url):
                response = self.url_open(url)
                # Odoo answers 404, or redirects to /my (orders, invoices): never the document
                self.assertFalse(response.status_code == 200 and response.url.endswith(url.split("?")[0]), url)
                self._assert_no_secret(response, "b", url)
        # the same for ids that do not exist
        ticket_b = self.customers["b"]["ticket"]
        response = self.url_open(f"/my/service-requests/{ticket_b.id + 1000}")
        self.assertEqual(response.status_code, 404)

    def test_write_routes_refuse_another_customers_records(self):
        self.authenticate("iso_a", "iso_a")
        ticket_b, order_b = self.customers["b"]["ticket"], self.customers["b"]["order"]
        ticket_b.sudo().stage_id = self.env.ref("crm_service.stage_solved")
        for url, values in ((f"/my/service-requests/{ticket_b.id}/reply", {"message": "Чужой ответ"}),
                            (f"/my/service-requests/{ticket_b.id}/rate", {"rating": "1", "feedback": "Чужая оценка"}),
                            (f"/my/orders/{order_b.id}/decline", {"decline_message": "Отказ"})):
            with self.subTest(url=url):
                response = self._post(url, values)
                self._assert_no_secret(response, "b", url)
        self.assertFalse(ticket_b.message_ids.filtered(lambda message: "Чужой ответ" in (message.body or "")))
        self.assertFalse(ticket_b.rating_ids.filtered("consumed"))
        self.assertEqual(order_b.state, "sale")
        draft = self.article_draft.id
        for url in (f"/my/service-articles/{draft}", f"/my/service-articles/{draft}/vote"):
            response = self._post(url, {"helpful": "yes"}) if url.endswith("vote") else self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(self.article_draft.name, response.text)

    def _jsonrpc_or_none(self, route, params):
        try:
            return self.make_jsonrpc_request(route, params)
        except (JsonRpcException, HTTPError):
            return None

    def test_chatter_routes_refuse_another_customers_ticket(self):
        ticket_b = self.customers["b"]["ticket"]
        ticket_b.sudo().message_post(body="Секретная переписка Бориса", message_type="comment")
        self.authenticate("iso_a", "iso_a")
        result = self._jsonrpc_or_none("/mail/thread/messages", {
            "thread_model": "crm.service.ticket", "thread_id": ticket_b.id})
        self.assertNotIn("Секретная переписка Бориса", json.dumps(result, ensure_ascii=False))
        self._jsonrpc_or_none("/mail/message/post", {
            "thread_model": "crm.service.ticket", "thread_id": ticket_b.id,
            "post_data": {"body": "Подброшенное сообщение", "message_type": "comment"}})
        self.assertFalse(ticket_b.message_ids.filtered(lambda message: "Подброшенное" in (message.body or "")))

    def test_anonymous_visitor_sees_nothing(self):
        for key in ("a", "b"):
            for url in self._document_urls(key):
                with self.subTest(url=url):
                    response = self.url_open(url)
                    self._assert_no_secret(response, key, url)
        for url in ("/my/orders", "/my/invoices", "/my/service-requests"):
            response = self.url_open(url)
            self.assertIn("/web/login", response.url, url)
