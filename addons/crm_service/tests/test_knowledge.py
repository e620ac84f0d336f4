from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServiceKnowledge(CrmServiceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kb_printers = cls.env["crm.service.article.category"].create({
            "name": "Printers", "ticket_category_id": cls.category.id})
        cls.article_queue, cls.article_jam, cls.article_invoice = cls.env["crm.service.article"].create([
            {"name": "Clear the printer queue", "category_id": cls.kb_printers.id, "is_published": True},
            {"name": "Paper jam", "keywords": "printer paper", "is_published": True},
            {"name": "Invoice reminders", "keywords": "invoice payment"},
        ])

    def test_suggestions_from_subject_and_category(self):
        ticket = self._ticket(name="Printer queue stuck", category_id=self.category.id)
        self.assertEqual(ticket.suggested_article_ids.ids[:2], [self.article_queue.id, self.article_jam.id])
        self.assertNotIn(self.article_invoice, ticket.suggested_article_ids)
        ticket.with_user(self.agent).action_link_suggested_articles()
        self.assertIn(self.article_queue, ticket.article_ids)
        self.assertNotIn(self.article_queue, ticket.suggested_article_ids)

    def test_create_article_from_solved_ticket_only(self):
        ticket = self._ticket(name="Toner smudges", category_id=self.category.id,
                              description="<p>Replace the drum.</p>")
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).action_create_article()
        ticket.stage_id = self.stage_solved
        action = ticket.with_user(self.agent).action_create_article()
        article = self.env["crm.service.article"].browse(action["res_id"])
        self.assertEqual(article.name, "Toner smudges")
        self.assertEqual(article.category_id, self.kb_printers)
        self.assertEqual(article.source_ticket_id, ticket)
        self.assertIn(ticket, article.ticket_ids)
        self.assertFalse(article.is_published, "a new article stays internal until published")

    def test_helpful_counter(self):
        # one vote per person and article: three people vote
        self.article_jam._vote(True)
        self.article_jam.with_user(self.agent)._vote(True)
        self.article_jam.with_user(self.agent_2)._vote(False)
        self.assertEqual((self.article_jam.helpful_yes, self.article_jam.helpful_no), (2, 1))
        self.assertAlmostEqual(self.article_jam.helpful_percent, 66.67, places=2)
        with self.assertRaises(UserError):
            self.article_invoice.with_user(self.portal_user).sudo()._vote(True)
