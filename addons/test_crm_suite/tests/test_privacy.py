import io

import openpyxl

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPrivacyAcrossAddons(TransactionCase):
    """A private customer known to marketing (segment, mailing list, mailing sent), to service
    (portal user, ticket and its messages, agreement) and to analytics (ABC/RFM profile)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="suite_privacy_manager", groups="sales_team.group_sale_manager",
            name="Ольга Руководитель")
        cls.person = cls.env["res.partner"].create({
            "name": "Сергей Клиентов",
            "email": "s.klientov@example.ru",
            "phone": "+7 903 111-22-33",
            "crm_abc_class": "A",
            "crm_rfm_segment": "champions",
            "crm_rfm_score": "555",
        })
        cls.portal_user = new_test_user(
            cls.env, login="s.klientov@example.ru", groups="base.group_portal", name="Сергей Клиентов",
            partner_id=cls.person.id, email="s.klientov@example.ru")
        # marketing
        cls.segment = cls.env["crm.segment"].create({
            "name": "VIP Москва", "mode": "frozen", "partner_ids": [Command.set(cls.person.ids)]})
        cls.mailing_contact = cls.env["mailing.contact"].create({
            "name": "Сергей Клиентов", "email": "S.Klientov@example.ru", "company_name": "ИП Клиентов"})
        cls.trace = cls.env["mailing.trace"].create({
            "model": "res.partner", "res_id": cls.person.id, "email": "s.klientov@example.ru"})
        # service
        cls.ticket = cls.env["crm.service.ticket"].create({
            "name": "Не работает принтер",
            "partner_id": cls.person.id,
            "description": "<p>Забрать по адресу: ул. Мира, 5, кв. 12</p>",
        })
        cls.customer_message = cls.ticket.message_post(
            body="Мой телефон изменился: +7 903 444-55-66", author_id=cls.person.id,
            message_type="comment", subtype_xmlid="mail.mt_comment")
        cls.agent_message = cls.ticket.message_post(
            body="Сергей, мастер приедет в четверг", message_type="comment", subtype_xmlid="mail.mt_note")
        # written from the web form, no customer linked: the address in "Name" <address> form
        cls.form_ticket = cls.env["crm.service.ticket"].create({
            "name": "Вопрос по гарантии", "channel": "web",
            "email_from": '"Сергей К." <S.Klientov@example.ru>', "description": "<p>Чек утерян</p>"})
        # another customer's ticket: the person is only in copy, next to someone else
        cls.other_customer = cls.env["res.partner"].create({"name": "Ксения Соседова", "email": "ksenia@example.ru"})
        cls.cc_ticket = cls.env["crm.service.ticket"].create({
            "name": "Сломан сканер", "partner_id": cls.other_customer.id,
            "email_cc": '"Сергей" <s.klientov@example.ru>, "Марк" <mark.klientov@example.ru>',
            "description": "<p>Сканер в бухгалтерии</p>"})
        # a longer address containing the person's: someone else
        cls.lookalike_ticket = cls.env["crm.service.ticket"].create({
            "name": "Нужна консультация", "email_from": "Vas.s.klientov@example.ru",
            "description": "<p>Другой клиент</p>"})
        tier = cls.env["crm.service.sla.tier"].create({"name": "Стандарт"})
        cls.agreement = cls.env["crm.service.agreement"].create({
            "name": "Обслуживание принтеров", "partner_id": cls.person.id, "sla_tier_id": tier.id,
            "date_start": "2026-01-01"})

    def _wizard(self):
        wizard = self.env["privacy.lookup.wizard"].with_user(self.manager).create({
            "crm_partner_id": self.person.id, "name": self.person.name, "email": self.person.email})
        wizard.action_lookup()
        return wizard

    def test_lookup_finds_every_addon(self):
        found = {(line.res_model, line.res_id) for line in self._wizard().line_ids}
        for record in (self.segment, self.mailing_contact, self.trace, self.ticket, self.customer_message,
                       self.agreement, self.portal_user):
            self.assertIn((record._name, record.id), found)
        # agents' internal notes are no part of what the person is shown (still blanked when anonymizing)
        self.assertNotIn((self.agent_message._name, self.agent_message.id), found)

    def test_export_has_a_sheet_per_addon_model(self):
        _filename, content = self._wizard()._crm_privacy_export()
        workbook = openpyxl.load_workbook(io.BytesIO(content))

        def rows(title):
            header, *values = workbook[title].iter_rows(values_only=True)
            return [dict(zip(header, row, strict=True)) for row in values]

        self.assertEqual(rows("Segments")[0]["Name"], "VIP Москва")
        self.assertEqual(rows("Mailing Contacts")[0]["Email"], "S.Klientov@example.ru")
        self.assertEqual(rows("Mailings Sent")[0]["Email"], "s.klientov@example.ru")
        tickets = {row["Ticket No."]: row for row in rows("Tickets")}
        self.assertEqual(set(tickets), {self.ticket.number, self.form_ticket.number})
        ticket = tickets[self.ticket.number]
        self.assertEqual(ticket["Email"], "s.klientov@example.ru")
        self.assertIn("ул. Мира", ticket["Description"])
        self.assertEqual([row["Contents"] for row in rows("Ticket Messages")],
                         ["Мой телефон изменился: +7 903 444-55-66"])
        self.assertEqual(rows("Tickets in Copy")[0]["Ticket No."], self.cc_ticket.number)
        self.assertEqual(rows("Service Agreements")[0]["Name"], "Обслуживание принтеров")
        profile = rows("Customer Profile")[0]
        self.assertEqual((profile["ABC Class"], profile["RFM Segment"]), ("A", "Champions"))

    def test_anonymize_every_addon(self):
        self._wizard().action_crm_anonymize()
        self.assertEqual(self.person.name, f"Anonymized contact #{self.person.id}")
        self.assertNotIn(self.person, self.segment.partner_ids)
        self.assertFalse(self.mailing_contact.email or self.mailing_contact.company_name)
        self.assertNotIn("Клиентов", self.mailing_contact.name)
        self.assertFalse(self.trace.email)
        self.assertFalse(self.ticket.email_from or self.ticket.description)
        self.assertEqual(self.ticket.partner_id, self.person)
        self.assertFalse(self.customer_message.body or self.agent_message.body)
        self.assertEqual(self.agreement.partner_id, self.person, "contracts are kept")
        self.assertFalse(self.person.crm_abc_class or self.person.crm_rfm_segment or self.person.crm_rfm_score)
        self.assertFalse(self.form_ticket.email_from or self.form_ticket.description)
        self.assertEqual(self.cc_ticket.email_cc, '"Марк" <mark.klientov@example.ru>')
        self.assertIn("Сканер", self.cc_ticket.description)
        self.assertEqual(self.lookalike_ticket.email_from, "Vas.s.klientov@example.ru")
        self.assertIn("Другой клиент", self.lookalike_ticket.description)
        self.assertFalse(self.portal_user.active)
        self.assertEqual(self.portal_user.login, f"anonymized-{self.portal_user.id}")
