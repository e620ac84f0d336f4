import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPrivacyScope(TransactionCase):
    """A personal data request reads what the requester may handle, not everything sudo sees: no
    colleague's own data (administrators only), no other company's records, no colleague's private
    meeting, no internal note nor discussion channel, no record name the requester may not read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "ООО Лютик"})
        company_a = {"company_id": cls.company_a.id, "company_ids": [Command.set(cls.company_a.ids)]}
        cls.operator = new_test_user(
            cls.env, "ps_operator", groups="crm_core.group_crm_data_operator", name="Дарья Оператор", **company_a)
        cls.colleague = new_test_user(
            cls.env, "ps_colleague", groups="sales_team.group_sale_salesman", name="Игорь Коллегин",
            email="igor@our.example", **company_a)
        cls.person = cls.env["res.partner"].create({"name": "Анна Клиентова", "email": "anna@client.example"})
        # the person's data in both companies
        cls.lead_a = cls.env["crm.lead"].create({
            "name": "Заявка А", "partner_id": cls.person.id, "company_id": cls.company_a.id})
        cls.lead_b = cls.env["crm.lead"].create({
            "name": "Заявка Б", "partner_id": cls.person.id, "company_id": cls.company_b.id})
        cls.interaction_b = cls.env["crm.interaction"].create({
            "name": "Встреча в Лютике", "interaction_type": "meeting", "partner_id": cls.person.id,
            "contact_id": cls.person.id,
            "company_id": cls.company_b.id, "result": "Обсудили долг"})
        Message = cls.env["mail.message"]
        cls.message_a = Message.create({
            "model": "crm.lead", "res_id": cls.lead_a.id, "message_type": "comment", "author_id": cls.person.id,
            "subtype_id": cls.env.ref("mail.mt_comment").id, "body": "Пришлите счёт"})
        cls.message_b = Message.create({
            "model": "crm.lead", "res_id": cls.lead_b.id, "message_type": "comment", "author_id": cls.person.id,
            "subtype_id": cls.env.ref("mail.mt_comment").id, "body": "Счёт Лютика"})
        cls.note = cls.person.message_post(body="Клиент сложный, скидок не давать", message_type="comment",
                                           subtype_xmlid="mail.mt_note")
        channel = cls.env["discuss.channel"].create({"name": "Личное", "channel_type": "channel"})
        cls.chat = Message.create({
            "model": "discuss.channel", "res_id": channel.id, "message_type": "comment",
            "author_id": cls.person.id, "body": "Игорь, это личное"})
        # the colleague's own mail, and a customer card someone made with the colleague's address
        internal_lead = cls.env["crm.lead"].create({"name": "Внутренняя заявка", "company_id": cls.company_a.id})
        cls.colleague_mail = Message.create({
            "model": "crm.lead", "res_id": internal_lead.id, "message_type": "email",
            "email_from": "Игорь <igor@our.example>", "body": "Личное письмо Игоря"})
        cls.colleague_card = cls.env["res.partner"].create({"name": "Игорь (клиент)", "email": "igor@our.example"})
        # meetings: a colleague's private one with the person, a public one
        cls.private_event = cls.env["calendar.event"].create({
            "name": "Собеседование Игоря", "privacy": "private", "user_id": cls.colleague.id,
            "partner_ids": [Command.set((cls.person | cls.colleague.partner_id).ids)],
            "start": "2030-01-10 10:00:00", "stop": "2030-01-10 11:00:00"})
        cls.public_event = cls.env["calendar.event"].create({
            "name": "Презентация", "privacy": "public", "user_id": cls.colleague.id,
            "partner_ids": [Command.set(cls.person.ids)],
            "start": "2030-01-11 10:00:00", "stop": "2030-01-11 11:00:00"})

    def _wizard(self, partner, user=None, email=None):
        return self.env["privacy.lookup.wizard"].with_user(user or self.operator).create({
            "crm_partner_id": partner.id if partner else False, "name": partner.name if partner else "Игорь",
            "email": email or partner.email})

    def _found(self, wizard):
        wizard.action_lookup()
        return {(line.res_model, line.res_id) for line in wizard.line_ids}

    def assertLookup(self, wizard, found=(), hidden=()):
        """The lookup of ``wizard`` lists every record of ``found`` and none of ``hidden``."""
        lines = self._found(wizard)
        for record in found:
            self.assertIn((record._name, record.id), lines)
        for record in hidden:
            self.assertNotIn((record._name, record.id), lines)

    def _sheets(self, wizard):
        _filename, content = wizard._crm_privacy_export()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        return {sheet.title: " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
                for sheet in workbook}

    def test_colleagues_data_is_for_administrators(self):
        logs = self.env["privacy.log"].search_count([])
        wizard = self._wizard(self.colleague.partner_id)
        for action in (wizard.action_lookup, wizard._crm_privacy_export, wizard.action_crm_anonymize):
            with self.subTest(action=action.__name__), self.assertRaisesRegex(AccessError, "administrators"):
                action()
        # typing the colleague's address finds a customer card at most: never the colleague's mail
        self.assertLookup(self._wizard(False, email="igor@our.example"), found=[self.colleague_card],
                          hidden=[self.colleague.partner_id, self.colleague_mail, self.colleague])
        self.assertEqual(self.env["privacy.log"].search_count([]), logs, "nothing exported, nothing logged")
        # an administrator handles colleagues' requests
        admin_wizard = self._wizard(self.colleague.partner_id, user=self.env.ref("base.user_admin"))
        self.assertIn(("res.users", self.colleague.id), self._found(admin_wizard))

    def test_other_companies_records_are_not_read(self):
        wizard = self._wizard(self.person)
        self.assertLookup(wizard, found=[self.lead_a, self.message_a],
                          hidden=[self.lead_b, self.interaction_b, self.message_b])
        sheets = self._sheets(wizard)
        self.assertIn("Заявка А", sheets["Leads and Deals"])
        self.assertNotIn("Заявка Б", sheets["Leads and Deals"])
        self.assertNotIn("Interactions", sheets)
        self.assertNotIn("Лютика", sheets["Messages"])

    def test_private_matters_stay_private(self):
        wizard = self._wizard(self.person)
        self.assertLookup(wizard, found=[self.public_event], hidden=[self.private_event, self.note, self.chat])
        sheets = self._sheets(wizard)
        self.assertNotIn("Собеседование", sheets["Meetings"])
        self.assertNotIn("скидок", sheets["Messages"])
        self.assertNotIn("личное", sheets["Messages"])

    def test_anonymization_still_blanks_internal_notes(self):
        """Notes about the person are not shown to the requester, but an erasure erases them."""
        self._wizard(self.person).action_crm_anonymize()
        self.assertFalse(self.note.body)
        self.assertIn("Лютика", self.message_b.body, "another company's")
        self.assertIn("это личное", self.chat.body, "no document of the suite")

    def test_lines_do_not_name_unreadable_records(self):
        wizard = self._wizard(self.person)
        lead_model = self.env["ir.model"]._get("crm.lead")
        wizard.write({"line_ids": [Command.create({"res_model_id": lead_model.id, "res_id": self.lead_b.id}),
                                   Command.create({"res_model_id": lead_model.id, "res_id": self.lead_a.id})]})
        names = dict(zip(wizard.line_ids.mapped("res_id"), wizard.line_ids.mapped("res_name"), strict=True))
        self.assertEqual(names[self.lead_b.id], f"{lead_model.name}/{self.lead_b.id}")
        self.assertEqual(names[self.lead_a.id], "Заявка А")

    def test_line_bulk_actions_are_for_administrators(self):
        wizard = self._wizard(self.person)
        wizard.action_lookup()
        for action in ("action_unlink_all", "action_archive_all"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(wizard.line_ids, action)()
        self.assertTrue(self.lead_a.exists() and self.lead_a.active)

    def test_typed_address_of_a_colleague_alone_finds_nobody(self):
        self.colleague_card.unlink()
        wizard = self._wizard(False, email="igor@our.example")
        with self.assertRaises(UserError):
            wizard._crm_privacy_export()
        self.assertFalse(self._found(wizard))
