import lxml.html

from odoo.tests import HttpCase, tagged

from .common import CrmServiceSharedTicketCommon


@tagged("post_install", "-at_install")
class TestPortalShareLinkForms(CrmServiceSharedTicketCommon, HttpCase):
    """A ticket's share link opens the page to a person of another company, but replying and rating
    are its customer's (the routes answer them 404): the page shows them neither form."""

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return lxml.html.fromstring(response.text)

    def _forms(self, page):
        return {route: bool(page.xpath(f"//form[@action='/my/service-requests/{self.ticket.id}/{route}']"))
                for route in ("rate", "reply")}

    def test_share_link_of_another_customer_shows_no_form(self):
        self.authenticate("svc_portal_rival", "svc_portal_rival")
        page = self._page(f"/my/service-requests/{self.ticket.id}?access_token={self.token}")
        self.assertIn(self.ticket.number, page.xpath("string(//h4)"))
        self.assertEqual(self._forms(page), {"rate": False, "reply": False})
        self.assertFalse(page.xpath("//*[@id='ticket_rating' or @id='ticket_reply']"))

    def test_share_link_without_login_shows_no_form(self):
        page = self._page(f"/my/service-requests/{self.ticket.id}?access_token={self.token}")
        self.assertIn(self.ticket.number, page.xpath("string(//h4)"))
        self.assertEqual(self._forms(page), {"rate": False, "reply": False})

    def test_customer_sees_both_forms(self):
        self.authenticate("svc_portal", "svc_portal")
        for url in (f"/my/service-requests/{self.ticket.id}",
                    f"/my/service-requests/{self.ticket.id}?access_token={self.token}"):
            with self.subTest(url=url):
                self.assertEqual(self._forms(self._page(url)), {"rate": True, "reply": True})
        self.ticket.stage_id = self.stage_progress
        page = self._page(f"/my/service-requests/{self.ticket.id}")
        self.assertEqual(self._forms(page), {"rate": False, "reply": True}, "an open ticket is not rated yet")
