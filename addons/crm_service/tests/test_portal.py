from odoo import http
from odoo.tests import HttpCase, tagged

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServicePortal(CrmServiceCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_ticket = cls._ticket(name="Наш принтер", partner_id=cls.customer_contact.id)
        cls.rival_ticket = cls._ticket(name="Секрет Василька", partner_id=cls.rival_contact.id)
        cls.product = cls.env["product.product"].create({"name": "Станок ЧПУ", "sale_ok": True, "list_price": 1000})
        cls.article = cls.env["crm.service.article"].create({
            "name": "Как заменить картридж", "body": "<p>Откройте крышку</p>", "is_published": True})
        cls.internal_article = cls.env["crm.service.article"].create({"name": "Внутренняя кухня"})

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)))

    def test_list_and_detail_show_own_company_tickets(self):
        self.authenticate("svc_portal", "svc_portal")
        response = self.url_open("/my/service-requests")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Наш принтер", response.text)
        self.assertNotIn("Секрет Василька", response.text)
        response = self.url_open(f"/my/service-requests/{self.own_ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_ticket.number, response.text)

    def test_guessing_ids_of_another_customer_gives_404(self):
        self.authenticate("svc_portal", "svc_portal")
        rival = self.rival_ticket.id
        for url in (f"/my/service-requests/{rival}", f"/my/service-requests/{rival + 1000}"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Секрет Василька", response.text)
        response = self._post(f"/my/service-requests/{self.rival_ticket.id}/reply", {"message": "Ха-ха"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.rival_ticket.message_ids.filtered(lambda m: "Ха-ха" in (m.body or "")))
        self.assertEqual(self.url_open(f"/my/service-articles/{self.internal_article.id}").status_code, 404)

    def test_anonymous_visitor_cannot_read_a_ticket(self):
        response = self.url_open(f"/my/service-requests/{self.own_ticket.id}")
        self.assertEqual(response.status_code, 404)

    def test_submit_ticket(self):
        self.authenticate("svc_portal", "svc_portal")
        response = self._post("/my/service-requests/new", {
            "subject": "Станок не включается", "description": "После обновления",
            "category_id": self.category.id, "product_id": self.product.id, "serial_number": "SN-42",
        })
        self.assertEqual(response.status_code, 200)
        ticket = self.env["crm.service.ticket"].search([("name", "=", "Станок не включается")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.contact_id, self.customer_contact)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.serial_number, "SN-42")
        self.assertEqual(ticket.agreement_id, self.agreement)
        self.assertIn(self.customer_contact, ticket.message_partner_ids)
        self.assertTrue(response.url.endswith(f"/my/service-requests/{ticket.id}"))

    def test_reply(self):
        self.own_ticket.stage_id = self.stage_waiting
        self.authenticate("svc_portal", "svc_portal")
        response = self._post(f"/my/service-requests/{self.own_ticket.id}/reply", {"message": "Прикладываю фото"})
        self.assertEqual(response.status_code, 200)
        message = self.own_ticket.message_ids.filtered(lambda m: "Прикладываю фото" in (m.body or ""))
        self.assertEqual(message.author_id, self.customer_contact)
        self.assertEqual(self.own_ticket.stage_id, self.stage_new)
        self.assertFalse(self.own_ticket.first_response_date, "a customer's message is no response")

    def test_rate_resolution(self):
        self.authenticate("svc_portal", "svc_portal")
        self._post(f"/my/service-requests/{self.own_ticket.id}/rate", {"rating": "5"})
        self.assertFalse(self.own_ticket.rating_ids.filtered("consumed"), "open tickets cannot be rated")
        self.own_ticket.stage_id = self.stage_solved
        response = self._post(f"/my/service-requests/{self.own_ticket.id}/rate", {"rating": "5", "feedback": "Спасибо"})
        self.assertEqual(response.status_code, 200)
        rating = self.own_ticket.rating_ids.filtered("consumed")
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Спасибо")
        self.assertEqual(rating.partner_id, self.customer_contact)
        self.assertEqual(self.own_ticket.rating_last_value, 5)

    def test_reverse_pricing_creates_opportunity(self):
        self.authenticate("svc_portal", "svc_portal")
        response = self._post("/my/reverse-pricing", {
            "product_id": self.product.id, "target_price": "850", "quantity": "3",
            "requirements": "Нужна доставка в Казань",
        })
        self.assertEqual(response.status_code, 200)
        lead = self.env["crm.lead"].search([("crm_target_product_id", "=", self.product.id)])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.customer_contact)
        self.assertEqual(lead.crm_target_price, 850)
        self.assertEqual(lead.crm_target_quantity, 3)
        self.assertEqual(lead.expected_revenue, 2550)
        self.assertTrue(lead.crm_from_portal)
        self.assertFalse(lead.user_id, "the portal user must not become the salesperson")
        self.assertIn("Казань", lead.description)
        # a nonsense price is refused, no lead created
        self._post("/my/reverse-pricing", {"product_id": self.product.id, "target_price": "-1"})
        self.assertEqual(self.env["crm.lead"].search_count([("crm_target_product_id", "=", self.product.id)]), 1)

    def test_knowledge_base_and_helpful_vote(self):
        self.authenticate("svc_portal", "svc_portal")
        response = self.url_open("/my/service-articles")
        self.assertIn("Как заменить картридж", response.text)
        self.assertNotIn("Внутренняя кухня", response.text)
        self._post(f"/my/service-articles/{self.article.id}/vote", {"helpful": "yes"})
        self._post(f"/my/service-articles/{self.article.id}/vote", {"helpful": "no"})
        # one vote per article and user: their "no" replaces their "yes"
        self.env.invalidate_all()
        self.assertEqual((self.article.helpful_yes, self.article.helpful_no), (0, 1))
        self.assertEqual(self._post(f"/my/service-articles/{self.internal_article.id}/vote",
                                    {"helpful": "yes"}).status_code, 404)

    def test_product_feedback_creates_ticket(self):
        self.authenticate("svc_portal", "svc_portal")
        self._post("/my/service-feedback", {"product_id": self.product.id, "feedback": "Шумит при работе"})
        ticket = self.env["crm.service.ticket"].search([("product_id", "=", self.product.id)])
        self.assertEqual(ticket.channel, "web")
        self.assertEqual(ticket.commercial_partner_id, self.customer)

    def test_portal_home_counts_tickets(self):
        self.authenticate("svc_portal", "svc_portal")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/service-requests", response.text)
