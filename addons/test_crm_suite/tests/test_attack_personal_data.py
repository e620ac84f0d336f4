import io
from contextlib import contextmanager

import openpyxl

from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

PARTNER_FIELDS = ("name", "email", "phone", "street", "city", "zip", "parent_id", "user_id",
                  "commercial_partner_id", "type")


@tagged("post_install", "-at_install")
class TestAttackPersonalData(HttpCase):
    """Hostile callers over real JSON-RPC: a salesperson going around the personal data rule, a data
    operator using the privacy export to read what is not theirs to read. Every attack is refused with a
    clear error and leaves the database as it was (re-read as superuser)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("crm_core.personal_data_salesperson_edit", "True")
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "ООО Лютик"})
        in_a = {"company_id": cls.company_a.id, "company_ids": [Command.set(cls.company_a.ids)]}
        cls.owner = new_test_user(cls.env, "atk_owner", groups="sales_team.group_sale_salesman",
                                  name="Пётр Владелец", **in_a)
        cls.attacker = new_test_user(cls.env, "atk_sales", groups="sales_team.group_sale_salesman",
                                     name="Сергей Чужой", **in_a)
        cls.operator = new_test_user(cls.env, "atk_operator", groups="crm_core.group_crm_data_operator",
                                     name="Дарья Оператор", **in_a)
        cls.colleague = new_test_user(cls.env, "atk_colleague", groups="sales_team.group_sale_salesman",
                                      name="Игорь Коллегин", email="igor@our.example", **in_a)
        cls.customer = cls.env["res.partner"].create({
            "name": "ООО Ромашка", "is_company": True, "user_id": cls.owner.id,
            "street": "ул. Ленина, 1", "city": "Тверь", "zip": "170000"})
        cls.person = cls.env["res.partner"].create({
            "name": "Анна Закупкина", "parent_id": cls.customer.id, "email": "anna@romashka.example",
            "phone": "+79161112233"})
        # the person's data in the operator's company and in another one
        cls.lead_a = cls.env["crm.lead"].create({
            "name": "Заявка А", "partner_id": cls.person.id, "company_id": cls.company_a.id,
            "user_id": cls.attacker.id, "type": "opportunity"})
        cls.lead_b = cls.env["crm.lead"].create({
            "name": "Заявка Лютика", "partner_id": cls.person.id, "company_id": cls.company_b.id})
        # a colleague's private matters: their mail, a chat, a private meeting with the person
        internal_lead = cls.env["crm.lead"].create({"name": "Внутреннее", "company_id": cls.company_a.id})
        cls.colleague_mail = cls.env["mail.message"].create({
            "model": "crm.lead", "res_id": internal_lead.id, "message_type": "email",
            "email_from": "igor@our.example", "body": "Письмо Игоря о зарплате"})
        channel = cls.env["discuss.channel"].create({"name": "Курилка", "channel_type": "channel"})
        cls.chat = cls.env["mail.message"].create({
            "model": "discuss.channel", "res_id": channel.id, "message_type": "comment",
            "author_id": cls.person.id, "body": "Игорь, между нами"})
        cls.env["calendar.event"].create({
            "name": "Собеседование Игоря", "privacy": "private", "user_id": cls.colleague.id,
            "partner_ids": [Command.set((cls.person | cls.colleague.partner_id).ids)],
            "start": "2030-01-10 10:00:00", "stop": "2030-01-10 11:00:00"})
        cls.colleague_card = cls.env["res.partner"].create({"name": "Игорь (клиент)", "email": "igor@our.example"})

    # -- helpers ---------------------------------------------------------------

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    @contextmanager
    def _refused(self, error, message):
        """The call fails with ``error`` (class name sent back by JSON-RPC) and the server logs ``message``."""
        with self.assertLogs("odoo.http", "WARNING") as logs, self.assertRaises(JsonRpcException) as caught:
            yield
        self.assertEqual(str(caught.exception), f"odoo.exceptions.{error}")
        self.assertIn(message, "\n".join(logs.output))

    def _state(self, *records, names=PARTNER_FIELDS):
        self.env.invalidate_all()
        return [{name: record.sudo()[name] for name in names} for record in records]

    def _export(self, wizard_id):
        return self.url_open(f"/crm_core/privacy/export/{wizard_id}",
                             data={"csrf_token": http.Request.csrf_token(self)})

    def _logs(self):
        return self.env["privacy.log"].sudo().search_count([])

    # -- a salesperson and the personal data rule --------------------------------

    def test_context_key_injection_on_write(self):
        before = self._state(self.person)
        self.authenticate("atk_sales", "atk_sales")
        with self._refused("AccessError", "You may not change the personal data (Email)"):
            self._call("res.partner", "write", [self.person.id], {"email": "attacker@evil.example"},
                       context={"crm_personal_data_creating": True})
        with self._refused("AccessError", "You may not change the personal data"):
            self._call("res.partner", "web_save", [self.person.id], {"street": "ул. Поддельная, 1"},
                       specification={"street": {}}, context={"crm_personal_data_creating": True})
        self.assertEqual(self._state(self.person), before)

    def test_moving_a_contact_under_own_company(self):
        before = self._state(self.person, self.customer)
        self.authenticate("atk_sales", "atk_sales")
        own_id = self._call("res.partner", "create", [{
            "name": "ООО Подстава", "is_company": True, "street": "ул. Чужая, 13", "city": "Омск"}])[0]
        with self._refused("AccessError", "You may not change Related Company of"):
            self._call("res.partner", "write", [self.person.id], {"parent_id": own_id})
        with self._refused("AccessError", "You may not change Related Company of"):
            self._call("res.partner", "write", [own_id], {"child_ids": [Command.link(self.person.id)]})
        with self._refused("AccessError", "You may not change Salesperson of"):
            self._call("res.partner", "write", [self.person.id], {"user_id": self.attacker.id})
        self.assertEqual(self._state(self.person, self.customer), before)
        self.assertFalse(self.env["res.partner"].browse(own_id).child_ids)

    def test_writes_through_related_fields(self):
        before = self._state(self.person)
        colleague_before = self._state(self.colleague, names=("email", "name"))
        self.authenticate("atk_sales", "atk_sales")
        # the deal keeps what was typed, the contact is not pushed
        self._call("crm.lead", "write", [self.lead_a.id], {"email_from": "x@evil.example", "phone": "+70000000000"},
                   context={"crm_personal_data_creating": True})
        # a colleague's user card, whose fields are their partner's
        with self._refused("AccessError", "You are not allowed to modify 'User' (res.users) records"):
            self._call("res.users", "write", [self.colleague.id], {"email": "attacker@evil.example"})
        self.assertEqual(self._state(self.person), before)
        self.assertEqual(self._state(self.colleague, names=("email", "name")), colleague_before)
        self.assertEqual(self.lead_a.sudo().email_from, "x@evil.example")

    # -- a data operator and the privacy export -----------------------------------

    def test_export_of_an_internal_users_data(self):
        logs = self._logs()
        self.authenticate("atk_operator", "atk_operator")
        wizard_id = self._call("privacy.lookup.wizard", "create", [{
            "crm_partner_id": self.colleague.partner_id.id, "name": self.colleague.name,
            "email": "igor@our.example"}])[0]
        with self._refused("AccessError", "is a user of this database"):
            self._call("privacy.lookup.wizard", "action_lookup", [wizard_id])
        with self.assertLogs("odoo.http", "WARNING"):
            response = self._export(wizard_id)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._logs(), logs, "nothing exported, nothing logged")

    def test_export_skips_other_companies_and_private_matters(self):
        self.authenticate("atk_operator", "atk_operator")
        wizard_id = self._call("privacy.lookup.wizard", "create", [{
            "crm_partner_id": self.person.id, "name": self.person.name, "email": self.person.email}])[0]
        self._call("privacy.lookup.wizard", "action_lookup", [wizard_id])
        response = self._export(wizard_id)
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        text = " ".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row)
        self.assertIn("Заявка А", text)
        for secret in ("Заявка Лютика", "Собеседование", "между нами", "зарплате"):
            self.assertNotIn(secret, text)
        # nor do the lookup lines list them
        lines = self.env["privacy.lookup.wizard"].browse(wizard_id).line_ids
        self.assertNotIn(("crm.lead", self.lead_b.id), {(line.res_model, line.res_id) for line in lines})
        self.assertIn(("crm.lead", self.lead_a.id), {(line.res_model, line.res_id) for line in lines})

    def test_export_of_a_colleagues_mail_through_a_customer_card(self):
        self.authenticate("atk_operator", "atk_operator")
        wizard_id = self._call("privacy.lookup.wizard", "create", [{
            "crm_partner_id": self.colleague_card.id, "name": self.colleague_card.name,
            "email": "igor@our.example"}])[0]
        self._call("privacy.lookup.wizard", "action_lookup", [wizard_id])
        response = self._export(wizard_id)
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertNotIn("Messages", workbook.sheetnames)
        self.assertEqual(workbook["Contacts"]["A2"].value, "Игорь (клиент)")

    def test_export_route_refuses_get(self):
        logs = self._logs()
        self.authenticate("atk_operator", "atk_operator")
        wizard_id = self._call("privacy.lookup.wizard", "create", [{
            "crm_partner_id": self.person.id, "name": self.person.name, "email": self.person.email}])[0]
        response = self.url_open(f"/crm_core/privacy/export/{wizard_id}")
        self.assertEqual(response.status_code, 405)
        # a POST without the session's CSRF token (another site's form) is refused as well
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open(f"/crm_core/privacy/export/{wizard_id}", data={"csrf_token": "forged"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._logs(), logs, "nothing exported, nothing logged")
