import base64
import io
import json
from unittest.mock import patch

import openpyxl

from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.fields import Command, Domain
from odoo.tests import HttpCase, JsonRpcException, TransactionCase, new_test_user, tagged

PERSON_FIELDS = ("name", "email", "phone", "street", "city", "zip", "country_id", "comment", "function",
                 "crm_consent_email", "crm_role_ids")


class PrivacyHooksCommon(TransactionCase):
    """Two private customers with the same kinds of records in each of crm_core's models holding personal
    data: a request about Anna finds and anonymizes Anna's share, and leaves Boris's records as they are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(cls.env, "ph_operator", groups="crm_core.group_crm_data_operator",
                                     name="Дарья Оператор")
        russia = cls.env.ref("base.ru")
        role = cls.env["crm.contact.role"].create({"name": "Закупщик"})
        cls.anna, cls.boris = cls.env["res.partner"].create([{
            "name": name, "email": email, "phone": phone, "street": "ул. Ленина, 1", "city": "Тверь",
            "zip": "170000", "country_id": russia.id, "comment": "Звонить вечером", "function": "Закупщик",
            "crm_consent_email": True, "crm_role_ids": [Command.set(role.ids)],
        } for name, email, phone in (("Анна Хукова", "anna.hook@example.ru", "+79161110001"),
                                     ("Борис Хуков", "boris.hook@example.ru", "+79161110002"))])
        job = cls.env["crm.import.job"].create({"file": base64.b64encode(b"name;email\n"), "filename": "clients.csv"})
        cls.records = {}
        for person in (cls.anna, cls.boris):
            cls.records[person] = {
                "crm.lead": cls.env["crm.lead"].create({
                    "name": f"Заявка {person.name}", "contact_name": person.name,
                    "email_from": person.email, "phone": person.phone, "city": "Тверь"}),
                "crm.interaction": cls.env["crm.interaction"].create({
                    "name": f"Звонок {person.name}", "interaction_type": "call", "partner_id": person.id,
                    "contact_id": person.id, "result": f"Разговор с {person.name}"}),
                "crm.import.job.row": cls.env["crm.import.job.row"].sudo().create({
                    "job_id": job.id, "row_number": person.id, "decision": "created", "name": person.name,
                    "email": person.email, "values_json": json.dumps({"ФИО": person.name}, ensure_ascii=False)}),
                "mail.message": person.message_post(
                    body=f"Письмо от {person.name}", message_type="comment", author_id=person.id,
                    subtype_xmlid="mail.mt_comment"),
                "calendar.event": cls.env["calendar.event"].create({
                    "name": f"Встреча {person.name}", "partner_ids": [Command.set(person.ids)],
                    "start": "2030-01-10 10:00:00", "stop": "2030-01-10 11:00:00"}),
                "res.users": new_test_user(
                    cls.env, person.email, groups="base.group_portal", partner_id=person.id, name=person.name),
            }

    def _wizard(self, person):
        wizard = self.env["privacy.lookup.wizard"].with_user(self.operator).create({
            "crm_partner_id": person.id, "name": person.name, "email": person.email})
        wizard.action_lookup()
        return wizard

    def _state(self, records):
        """Every stored field of ``records`` (to compare before/after)."""
        self.env.invalidate_all()
        names = [name for name, field in records._fields.items()
                 if field.store and field.type not in ("binary", "one2many")
                 and name not in ("write_date", "__last_update")]
        return records.sudo().read(names)


@tagged("post_install", "-at_install")
class TestPrivacyHooks(PrivacyHooksCommon):

    def test_each_model_finds_the_persons_records_only(self):
        emails = [self.anna.email_normalized]
        for model_name, anna_record in self.records[self.anna].items():
            boris_record = self.records[self.boris][model_name]
            with self.subTest(model=model_name):
                sheets = self.env[model_name].with_user(self.operator)._crm_privacy_lookup(self.anna, emails)
                self.assertTrue(sheets, "the model declares where it keeps personal data")
                found = self.env[model_name].sudo().with_context(active_test=False).search(
                    Domain.OR(sheet.domain for sheet in sheets))
                self.assertIn(anna_record, found)
                self.assertNotIn(boris_record, found)
        contacts = self.env["res.partner"]._crm_privacy_lookup(self.anna, emails)
        self.assertEqual(self.env["res.partner"].search(contacts[0].domain), self.anna)

    def test_anonymize_touches_the_persons_records_only(self):
        boris_records = self.records[self.boris]
        before = {model_name: self._state(record) for model_name, record in boris_records.items()}
        boris_before = self._state(self.boris)
        self._wizard(self.anna).action_crm_anonymize()

        anna = self.records[self.anna]
        self.assertEqual(self.anna.name, f"Anonymized contact #{self.anna.id}")
        for name in PERSON_FIELDS[1:]:
            self.assertFalse(self.anna[name], name)
        self.assertFalse(anna["crm.lead"].email_from or anna["crm.lead"].contact_name or anna["crm.lead"].city)
        self.assertEqual(anna["crm.lead"].name, "Заявка Анна Хукова", "the deal itself is kept")
        self.assertEqual(anna["crm.interaction"].result, "Anonymized")
        self.assertFalse(anna["crm.import.job.row"].values_json or anna["crm.import.job.row"].email)
        self.assertFalse(anna["mail.message"].body)
        self.assertEqual(anna["calendar.event"].name, "Встреча Анна Хукова", "other attendees' calendars")
        self.assertEqual((anna["res.users"].active, anna["res.users"].login),
                         (False, f"anonymized-{anna['res.users'].id}"))

        for model_name, record in boris_records.items():
            with self.subTest(model=model_name):
                self.assertEqual(self._state(record), before[model_name])
        self.assertEqual(self._state(self.boris), boris_before)

    def test_one_list_of_personal_fields(self):
        """What a person's export shows of their card is what their anonymization empties, the card's
        place in the suite (company, type, tier) aside; no field is guessed."""
        Partner = self.env["res.partner"]
        personal = Partner._crm_privacy_personal_fields()
        self.assertLessEqual(set(Partner._CRM_PERSONAL_DATA_FIELDS), set(personal))
        self.assertTrue(all(name in Partner._fields for name in personal))
        contacts = next(sheet for sheet in Partner._crm_privacy_lookup(self.anna, []) if sheet.label == "Contacts")
        self.assertEqual([name for name in contacts.fields if name in personal],
                         [name for name in personal if Partner._fields[name].type != "binary"])
        # every personal field is emptied; whatever an anonymization empties, the export shows (photo aside)
        emptied = set(self.anna._crm_privacy_neutral_values())
        self.assertLessEqual(set(personal), emptied)
        exported = {name for sheet in Partner._crm_privacy_lookup(self.anna, []) for name in sheet.fields}
        self.assertLessEqual(emptied - exported, {"image_1920"})
        company = Partner.create({"name": "ООО Хук", "is_company": True, "vat": "7701234567"})
        employee = Partner.create({"name": "Глеб Сотрудников", "parent_id": company.id})
        self.assertEqual(set(employee._crm_privacy_neutral_values()), emptied - {"vat"},
                         "a company's contact shares the company's tax id")

    def test_a_model_overriding_the_hooks_is_looked_up_exported_and_anonymized(self):
        """The wizard asks every model: a model overriding the hooks needs nothing else."""
        anna_tag, boris_tag = self.env["crm.tag"].create([{"name": "Тег Анна Хукова"}, {"name": "Тег Борис"}])
        calls = []

        def lookup(model, persons, emails):
            return [PrivacySheet("Tags", Domain("name", "=", f"Тег {persons[:1].name}"), ["name"])]

        def anonymize(records, persons, emails):
            calls.append((records, persons))
            records.write({"name": f"Тег #{records.id}"})
            return ["name"]

        CrmTag = type(self.env["crm.tag"])
        with patch.object(CrmTag, "_crm_privacy_lookup", lookup, create=True), \
                patch.object(CrmTag, "_crm_privacy_anonymize", anonymize, create=True):
            wizard = self._wizard(self.anna)
            lines = {(line.res_model, line.res_id) for line in wizard.line_ids}
            self.assertIn(("crm.tag", anna_tag.id), lines)
            self.assertNotIn(("crm.tag", boris_tag.id), lines)
            _filename, content = wizard._crm_privacy_export()
            sheet = openpyxl.load_workbook(io.BytesIO(content))["Tags"]
            self.assertEqual(list(sheet.iter_rows(values_only=True)), [("Tag Name",), ("Тег Анна Хукова",)])
            wizard.action_crm_anonymize()
        self.assertEqual(calls, [(anna_tag, self.anna)])
        self.assertEqual((anna_tag.name, boris_tag.name), (f"Тег #{anna_tag.id}", "Тег Борис"))


@tagged("post_install", "-at_install")
class TestPrivacyHooksOverRpc(HttpCase):
    """The hooks act with sudo on whatever they are given: no client may call them."""

    def test_hooks_are_private(self):
        new_test_user(self.env, "ph_rpc_operator", groups="crm_core.group_crm_data_operator")
        person = self.env["res.partner"].create({"name": "Анна Хукова", "email": "anna.rpc@example.ru"})
        lead = self.env["crm.lead"].create({"name": "Заявка", "partner_id": person.id,
                                            "email_from": "anna.rpc@example.ru"})
        self.authenticate("ph_rpc_operator", "ph_rpc_operator")
        calls = [("res.partner", "_crm_privacy_anonymize", [[person.id], [person.id], []]),
                 ("crm.lead", "_crm_privacy_anonymize", [[lead.id], [person.id], ["anna.rpc@example.ru"]]),
                 ("res.partner", "_crm_privacy_lookup", [[], [person.id], []]),
                 ("privacy.lookup.wizard", "_get_query", [[]])]
        for model, method, args in calls:
            with self.subTest(method=f"{model}.{method}"), self.assertLogs("odoo.http", "WARNING"), \
                    self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
                    "model": model, "method": method, "args": args, "kwargs": {}})
            self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertEqual((person.name, person.email, lead.email_from),
                         ("Анна Хукова", "anna.rpc@example.ru", "anna.rpc@example.ru"))
