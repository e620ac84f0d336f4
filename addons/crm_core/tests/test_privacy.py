import base64
import io
import json

import openpyxl

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common_erp import CrmErpCommon


@tagged("post_install", "-at_install")
class TestPrivacy(CrmErpCommon):
    """A private customer (a person) with interactions, deals, an import row, chatter, a confirmed
    order and a posted, hashed invoice: looked up, exported, then anonymized."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_values = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_manager = new_test_user(
            cls.env, login="crm_privacy_manager", groups="sales_team.group_sale_manager",
            name="Ольга Руководитель", **company_values)
        cls.user_operator = new_test_user(
            cls.env, login="crm_privacy_operator", groups="crm_core.group_crm_data_operator",
            name="Дарья Оператор", **company_values)
        cls.person = cls.env["res.partner"].create({
            "name": "Анна Ромашкина",
            "email": "anna.romashkina@example.ru",
            "phone": "+7 912 345-67-89",
            "street": "ул. Ленина, 1",
            "city": "Екатеринбург",
            "zip": "620000",
            "comment": "Предпочитает звонки после 18:00",
            "crm_consent_email": True,
            "property_account_receivable_id": cls.company_data["default_account_receivable"].id,
        })
        cls.interaction = cls.env["crm.interaction"].create({
            "name": "Выбор стола для кабинета",
            "interaction_type": "meeting",
            "contact_id": cls.person.id,
            "partner_id": cls.person.id,
            "result": "Живёт одна, переезжает в июне",
        })
        cls.deal = cls.env["crm.lead"].create({
            "name": "Стол для кабинета", "type": "opportunity", "partner_id": cls.person.id})
        cls.web_lead = cls.env["crm.lead"].create({
            "name": "Заявка с сайта", "type": "lead", "contact_name": "Анна Р.",
            "email_from": "Anna.Romashkina@example.ru", "phone": "+79123456789"})
        job = cls.env["crm.import.job"].create({
            "file": base64.b64encode(b"name;email\n"), "filename": "clients.csv"})
        cls.row = cls.env["crm.import.job.row"].sudo().create({
            "job_id": job.id,
            "row_number": 2,
            "decision": "created",
            "partner_id": cls.person.id,
            "name": "Анна Ромашкина",
            "email": "anna.romashkina@example.ru",
            "values_json": json.dumps({"ФИО": "Анна Ромашкина", "E-mail": "anna.romashkina@example.ru"},
                                      ensure_ascii=False),
        })
        # written by the person (a message, not an internal note: notes are not exported)
        cls.message = cls.person.message_post(
            body="Паспорт 6500 123456, просила счёт на домашний адрес", message_type="comment",
            author_id=cls.person.id, subtype_xmlid="mail.mt_comment")

        cls.company_data["default_journal_sale"].restrict_mode_hash_table = True
        cls.order = cls.env["sale.order"].create({
            "partner_id": cls.person.id,
            "order_line": [Command.create({"product_id": cls.product_table.id, "product_uom_qty": 2})],
        })
        cls.order.action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    def _wizard(self, user, partner=None):
        partner = partner or self.person
        wizard = self.env["privacy.lookup.wizard"].with_user(user).create({
            "crm_partner_id": partner.id, "name": partner.name, "email": partner.email or "x@example.ru"})
        wizard.action_lookup()
        return wizard

    def _found(self, wizard):
        return {(line.res_model, line.res_id) for line in wizard.line_ids}

    def test_lookup_finds_the_person_everywhere(self):
        found = self._found(self._wizard(self.user_operator))
        for record in (self.person, self.interaction, self.deal, self.web_lead, self.row, self.message,
                       self.order, self.invoice):
            self.assertIn((record._name, record.id), found)

    def test_export_xlsx(self):
        wizard = self._wizard(self.user_operator)
        attachments_before = self.env["ir.attachment"].search([])
        action = wizard.action_crm_export_xlsx()
        # downloaded by a POST with the CSRF token (the export writes the privacy log)
        self.assertEqual((action["tag"], action["params"]), ("crm_core_privacy_export", {"wizard_id": wizard.id}))
        filename, content = wizard._crm_privacy_export()
        self.assertEqual(filename, f"personal_data_{self.person.id}.xlsx")
        # the file is streamed, never kept: no attachment anywhere, the log has none
        self.assertFalse(self.env["ir.attachment"].search([]) - attachments_before)
        log = self.env["privacy.log"].search([("execution_details", "ilike", "Exported")])
        self.assertEqual(log.user_id, self.user_operator)
        self.assertIn(f"#{self.person.id}", log.records_description)
        # the audit log cannot be edited by those who write it
        with self.assertRaises(AccessError):
            log.with_user(self.user_operator).write({"execution_details": "nothing happened"})

        workbook = openpyxl.load_workbook(io.BytesIO(content))
        for title in ("Contacts", "Interactions", "Leads and Deals", "Import Rows", "Messages",
                      "Sales Orders", "Invoices"):
            self.assertIn(title, workbook.sheetnames)

        def rows(title):
            header, *values = workbook[title].iter_rows(values_only=True)
            return [dict(zip(header, row, strict=True)) for row in values]

        contact = rows("Contacts")[0]
        self.assertEqual(contact["Email"], "anna.romashkina@example.ru")
        self.assertEqual(contact["City"], "Екатеринбург")
        self.assertIs(contact["Consent: Email"], True)
        self.assertEqual(rows("Interactions")[0]["Result / Notes"], "Живёт одна, переезжает в июне")
        self.assertIn("Анна Ромашкина", rows("Import Rows")[0]["Original Values"])
        self.assertIn("Анна Р.", {row["Contact Name"] for row in rows("Leads and Deals")})
        self.assertEqual(rows("Invoices")[0]["Number"], self.invoice.name)
        self.assertIn("Паспорт", " ".join(str(row["Contents"]) for row in rows("Messages")))

    def test_anonymize_blanks_the_person_and_keeps_documents_valid(self):
        invoice, order = self.invoice, self.order
        hash_before, total_before = invoice.inalterable_hash, invoice.amount_total
        self.assertTrue(hash_before, "the sale journal hashes posted invoices")

        wizard = self._wizard(self.user_manager)
        wizard.action_crm_anonymize()

        person = self.person
        self.assertEqual(person.name, f"Anonymized contact #{person.id}")
        for name in ("email", "phone", "street", "city", "zip", "comment", "crm_consent_email"):
            self.assertFalse(person[name], name)
        self.assertEqual(self.interaction.result, "Anonymized")
        self.assertEqual(self.interaction.contact_id, person)
        self.assertFalse(self.web_lead.email_from or self.web_lead.contact_name or self.web_lead.phone)
        self.assertFalse(self.row.values_json or self.row.name or self.row.email)
        self.assertFalse(self.message.body)
        log = self.env["privacy.log"].search([("execution_details", "ilike", "Anonymized")])
        self.assertEqual(log.user_id, self.user_manager)
        self.assertTrue(wizard.crm_anonymized)

        # the documents: untouched and still usable
        self.assertEqual(order.state, "sale")
        self.assertEqual((invoice.state, invoice.partner_id, invoice.amount_total, invoice.inalterable_hash),
                         ("posted", person, total_before, hash_before))
        results = self.company._check_hash_integrity()["results"]
        journal_result = next(r for r in results if r["journal_name"].startswith(invoice.journal_id.name))
        self.assertEqual(journal_result["status"], "verified")
        content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", invoice.ids)
        self.assertTrue(content)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_anonymize_refuses_companies(self):
        wizard = self._wizard(self.user_manager, partner=self.customer)
        with self.assertRaises(UserError):
            wizard.action_crm_anonymize()
        self.assertEqual(self.customer.name, "ООО Ромашка")

    def test_rights(self):
        with self.assertRaises(AccessError):
            self.env["privacy.lookup.wizard"].with_user(self.user_salesman).create(
                {"crm_partner_id": self.person.id, "name": self.person.name, "email": self.person.email})
        wizard = self._wizard(self.user_manager)
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_salesman).action_crm_anonymize()
        # Odoo's delete-with-sudo stays an administrator's tool
        with self.assertRaises(AccessError):
            wizard.line_ids[:1].action_unlink()
        self.assertEqual(self.person.email, "anna.romashkina@example.ru")

    def test_anonymize_matches_the_exact_address_only(self):
        """Messages and import rows are found by the person's exact address: not by a longer address
        containing it, and "_" of an address is no wildcard."""
        Message = self.env["mail.message"]
        marianna = Message.create({
            "model": "res.partner", "res_id": self.customer.id, "message_type": "email",
            "email_from": "Marianna <marianna.romashkina@example.ru>", "body": "Счёт для Марианны"})
        anna_named = Message.create({
            "model": "res.partner", "res_id": self.customer.id, "message_type": "email",
            "email_from": '"Анна" <Anna.Romashkina@example.ru>', "body": "Анна пишет с домашнего адреса"})
        wizard = self._wizard(self.user_manager)
        found = self._found(wizard)
        self.assertIn(("mail.message", anna_named.id), found)
        self.assertNotIn(("mail.message", marianna.id), found)
        wizard.action_crm_anonymize()
        self.assertFalse(anna_named.body)
        self.assertEqual(marianna.email_from, "Marianna <marianna.romashkina@example.ru>")
        self.assertIn("Марианны", marianna.body)

        underscored = self.env["res.partner"].create({"name": "Анна Р.", "email": "anna_r@example.ru"})
        other_row = self.env["crm.import.job.row"].sudo().create({
            "job_id": self.row.job_id.id, "row_number": 3, "decision": "created",
            "name": "Анна Рыбкина", "email": "annaxr@example.ru"})
        other_message = Message.create({
            "model": "res.partner", "res_id": self.customer.id, "message_type": "email",
            "email_from": "annaxr@example.ru", "body": "Другая Анна"})
        wizard = self._wizard(self.user_manager, partner=underscored)
        found = self._found(wizard)
        self.assertNotIn(("crm.import.job.row", other_row.id), found)
        self.assertNotIn(("mail.message", other_message.id), found)
        wizard.action_crm_anonymize()
        self.assertEqual((other_row.email, other_message.email_from), ("annaxr@example.ru", "annaxr@example.ru"))

    def test_lookup_of_non_administrators_stays_in_the_suite_sources(self):
        """Odoo's generic lookup reads every table around access rights: only administrators get it."""
        stranger = self.env["res.partner"].create({"name": "Посторонний Человек", "email": "stranger@example.ru"})
        wizard = self.env["privacy.lookup.wizard"].with_user(self.user_manager).create({
            "crm_partner_id": self.person.id, "name": "%", "email": self.person.email})
        wizard.action_lookup()
        allowed = {model for model, _sheet in wizard._crm_privacy_sheets(wizard._crm_privacy_persons())}
        self.assertTrue(wizard.line_ids)
        self.assertLessEqual(set(wizard.line_ids.mapped("res_model")), allowed)
        found = self._found(wizard)
        self.assertNotIn(("res.partner", stranger.id), found)
        self.assertNotIn(("res.partner", self.customer.id), found)
        # an administrator still gets Odoo's generic lookup (a name "%" matches everybody)
        admin_wizard = self._wizard(self.env.ref("base.user_admin"))
        admin_wizard.name = "%"
        admin_wizard.action_lookup()
        self.assertIn(("res.partner", stranger.id), self._found(admin_wizard))

    def test_typed_address_must_be_the_contacts(self):
        """Choosing Anna and typing Bob's address must not touch Bob's data."""
        bob = self.env["res.partner"].create({"name": "Борис Лютиков", "email": "bob@example.ru"})
        bob_lead = self.env["crm.lead"].create({
            "name": "Заявка Бориса", "contact_name": "Борис", "email_from": "bob@example.ru"})
        wizard = self.env["privacy.lookup.wizard"].with_user(self.user_manager).create({
            "crm_partner_id": self.person.id, "name": self.person.name, "email": bob.email})
        for action in (wizard.action_lookup, wizard.action_crm_export_xlsx, wizard.action_crm_anonymize):
            with self.assertRaises(UserError):
                action()
        self.assertEqual((bob.name, bob_lead.email_from), ("Борис Лютиков", "bob@example.ru"))
        self.assertEqual(self.person.email, "anna.romashkina@example.ru")

    def test_other_company_partner_is_refused(self):
        """A manager of one company cannot export or anonymize a partner of another company."""
        other_company = self.env["res.company"].create({"name": "ООО Лютик"})
        foreign = self.env["res.partner"].create({
            "name": "Глеб Чужой", "email": "gleb@example.ru", "company_id": other_company.id})
        self.env["crm.lead"].create({"name": "Чужая заявка", "email_from": "gleb@example.ru"})
        wizard = self.env["privacy.lookup.wizard"].with_user(self.user_manager).create({
            "crm_partner_id": foreign.id, "name": foreign.name, "email": foreign.email})
        for action in (wizard.action_lookup, wizard._crm_privacy_export, wizard.action_crm_anonymize):
            with self.assertRaises(AccessError):
                action()
        # typing the address instead of choosing the contact finds no person the manager may handle
        wizard = self.env["privacy.lookup.wizard"].with_user(self.user_manager).create({
            "name": foreign.name, "email": foreign.email})
        with self.assertRaises(UserError):
            wizard.action_crm_anonymize()
        self.assertEqual((foreign.name, foreign.email), ("Глеб Чужой", "gleb@example.ru"))

    def test_anonymize_removes_attachments_of_blanked_messages(self):
        attachment = self.env["ir.attachment"].create({
            "name": "passport.pdf", "raw": b"%PDF passport", "res_model": "res.partner", "res_id": self.person.id})
        message = self.person.message_post(
            body="Скан паспорта", message_type="comment", attachment_ids=attachment.ids)
        self._wizard(self.user_operator).action_crm_anonymize()
        self.assertFalse(message.body)
        self.assertFalse(attachment.exists())


@tagged("post_install", "-at_install")
class TestPrivacyExportRoute(HttpCase):
    """The export is streamed to the user who made the request, and stored nowhere."""

    def test_download_is_streamed_to_its_requester_only(self):
        operator, other = (new_test_user(self.env, login=login, groups="crm_core.group_crm_data_operator")
                           for login in ("crm_privacy_route_a", "crm_privacy_route_b"))
        person = self.env["res.partner"].create({"name": "Анна Ромашкина", "email": "anna.r@example.ru"})
        wizard = self.env["privacy.lookup.wizard"].with_user(operator).create({
            "crm_partner_id": person.id, "name": person.name, "email": person.email})
        wizard.action_lookup()
        url = f"/crm_core/privacy/export/{wizard.id}"
        attachments_before = self.env["ir.attachment"].search_count([])

        self.authenticate(other.login, other.login)
        self.assertEqual(self.url_open(url, data={"csrf_token": http.Request.csrf_token(self)}).status_code, 404)
        self.authenticate(operator.login, operator.login)
        response = self.url_open(url, data={"csrf_token": http.Request.csrf_token(self)})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(workbook["Contacts"]["A2"].value, "Анна Ромашкина")
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments_before)
        self.assertEqual(self.env["privacy.log"].search([("execution_details", "ilike", "Exported")]).user_id, operator)
