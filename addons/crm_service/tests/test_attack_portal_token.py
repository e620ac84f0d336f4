from odoo import http
from odoo.tests import HttpCase, tagged

from .common import CrmServiceSharedTicketCommon


@tagged("post_install", "-at_install")
class TestAttackPortalToken(CrmServiceSharedTicketCommon, HttpCase):
    """A ticket's share link (its access token) opens the ticket page to whoever holds it, as Odoo's
    portal does; rating the service and replying stay with the ticket's own customer: a person of
    another company holding a forwarded link can neither rate the ticket nor write in it (and so
    become a follower of the customer's correspondence)."""

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)))

    def _state(self):
        self.env.invalidate_all()
        ticket = self.ticket.sudo()
        return (ticket.message_ids.ids, ticket.message_partner_ids.ids,
                ticket.rating_ids.filtered("consumed").ids, ticket.stage_id)

    def test_share_link_of_another_customer_opens_the_page_only(self):
        before = self._state()
        self.authenticate("svc_portal_rival", "svc_portal_rival")
        page = self.url_open(f"/my/service-requests/{self.ticket.id}?access_token={self.token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.ticket.number, page.text)
        cases = {
            "rate": {"rating": "1", "feedback": "Ужасный сервис (не мой тикет)", "access_token": self.token},
            "reply": {"message": "Подброшенный ответ", "access_token": self.token},
        }
        for route, values in cases.items():
            with self.subTest(route=route):
                response = self._post(f"/my/service-requests/{self.ticket.id}/{route}", values)
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self._state(), before)
        self.assertNotIn(self.rival_contact, self.ticket.sudo().message_partner_ids)

    def test_share_link_without_login_is_refused_for_writes(self):
        before = self._state()
        self.authenticate(None, None)
        for route, values in {"rate": {"rating": "5"}, "reply": {"message": "Аноним"}}.items():
            with self.subTest(route=route):
                response = self._post(f"/my/service-requests/{self.ticket.id}/{route}",
                                      dict(values, access_token=self.token))
                # auth="user": the visitor is sent to the login page, nothing is written
                self.assertIn("/web/login", response.url)
        self.assertEqual(self._state(), before)

    def test_csrf_less_posts_are_refused(self):
        before = self._state()
        self.authenticate("svc_portal", "svc_portal")
        for url, values in {
            f"/my/service-requests/{self.ticket.id}/rate": {"rating": "5"},
            f"/my/service-requests/{self.ticket.id}/reply": {"message": "Без токена CSRF"},
            "/my/service-requests/new": {"subject": "Без токена CSRF"},
            "/my/service-feedback": {"feedback": "Без токена CSRF"},
        }.items():
            with self.subTest(url=url), self.assertLogs("odoo.http", "WARNING") as logs:
                response = self.url_open(url, data=values)
                self.assertEqual(response.status_code, 400)
            self.assertIn("CSRF", "\n".join(logs.output))
        self.assertEqual(self._state(), before)
        self.assertFalse(self.env["crm.service.ticket"].sudo().search_count(
            [("name", "ilike", "Без токена CSRF")]))

    def test_own_customer_still_rates_and_replies(self):
        self.authenticate("svc_portal", "svc_portal")
        response = self._post(f"/my/service-requests/{self.ticket.id}/rate", {"rating": "5", "feedback": "Спасибо"})
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.ticket.sudo().rating_ids.filtered("consumed").mapped("rating"), [5.0])
        self._post(f"/my/service-requests/{self.ticket.id}/reply", {"message": "Ещё вопрос"})
        self.env.invalidate_all()
        self.assertTrue(self.ticket.sudo().message_ids.filtered(lambda message: "Ещё вопрос" in message.body))

    def test_nul_characters_are_refused_with_a_message(self):
        """PostgreSQL stores no NUL character: a form holding one is sent back with a message (400),
        never a server error, and nothing is written; the search box drops it."""
        tickets = self.env["crm.service.ticket"].sudo()
        before, tickets_before = self._state(), tickets.search_count([])
        self.authenticate("svc_portal", "svc_portal")
        for url, values in {
            "/my/service-requests/new": {"subject": "Принтер\x00", "description": "Не печатает"},
            "/my/service-requests/new?serial": {"subject": "Принтер", "serial_number": "SN\x001"},
            f"/my/service-requests/{self.ticket.id}/rate": {"rating": "5", "feedback": "Спасибо\x00"},
            f"/my/service-requests/{self.ticket.id}/reply": {"message": "Вопрос\x00"},
            "/my/service-feedback": {"feedback": "Отзыв\x00"},
        }.items():
            with self.subTest(url=url):
                response = self._post(url, values)
                self.assertEqual(response.status_code, 400)
                self.assertIn("invalid character", response.text)
        self.assertEqual(self._state(), before)
        self.assertEqual(tickets.search_count([]), tickets_before)
        article = self.env["crm.service.article"].create({"name": "Замена картриджа", "is_published": True})
        response = self.url_open("/my/service-articles?search=%D0%97%D0%B0%D0%BC%D0%B5%00%D0%BD")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/service-articles/{article.id}", response.text)
