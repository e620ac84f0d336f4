from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_import import CustomerImportCase


@tagged("post_install", "-at_install")
class TestCustomerImportPhones(CustomerImportCase):
    """Phones as people type them: several per cell, extensions, the row's country, numbers without
    area code completed from the city's only code (flagged) or kept as typed (flagged)."""

    HEADER = ["Контактное лицо", "Телефон", "E-mail", "Город", "Страна"]
    ROWS = [
        ["Анна Двухномерная", "+7 912 000-00-00, 8 (343) 000-00-00 доб. 12", "anna.phones@example.com",
         "Екатеринбург", ""],
        ["Борис Городской", "123-45-67", "boris.phones@example.com", "г. Екатеринбург", ""],
        ["Вера Столичная", "123-45-68", "vera.phones@example.com", "Москва", ""],
        ["Глеб Неизвестный", "123-45-69", "gleb.phones@example.com", "Нигдеград", ""],
        ["Дарья Минская", "8 044 123-45-67", "darya.phones@example.com", "Минск", "BY"],
        ["Евгений Киевский", "8 044 765-43-21; 067 000 00 00", "evgeny.phones@example.com", "Київ", "UA"],
        ["Жанна Алматинская", "+7 727 250 12 34 или 250-12-35", "zhanna.phones@example.com", "Алматы", "KZ"],
    ]

    def new_phones_job(self, rows=None):
        job = self.new_job(self.make_csv(rows or self.ROWS, header=self.HEADER), "phones.csv")
        # the mapping is the user's to check: these are the targets of the columns
        targets = {"Контактное лицо": "name", "Телефон": "phone", "E-mail": "email", "Город": "city",
                   "Страна": "country"}
        for column in job.column_ids:
            column.target = targets[column.header]
        job.action_refresh_preview()
        return job

    def partner(self, email):
        return self.env["res.partner"].search([("email", "=", email)])

    def test_import_keeps_every_number_of_the_cell(self):
        job = self.new_phones_job()
        job.action_import()
        self.assertEveryRowAccounted(job)
        self.assertEqual(job.created_count, len(self.ROWS))
        expected = {
            "anna.phones@example.com": ("+79120000000", "+73430000000 ext. 12"),
            "boris.phones@example.com": ("+73431234567", False),
            "vera.phones@example.com": ("123-45-68", False),
            "gleb.phones@example.com": ("123-45-69", False),
            "darya.phones@example.com": ("+375441234567", False),      # 8 044 in Belarus: a mobile
            "evgeny.phones@example.com": ("+380447654321", "+380670000000"),  # 8 044 in Ukraine: Kyiv
            "zhanna.phones@example.com": ("+77272501234", "+77272501235"),
        }
        for email, (phone, others) in expected.items():
            partner = self.partner(email)
            self.assertEqual((partner.phone, partner.crm_other_phones), (phone, others), email)
        # the first number is the sanitized one phone_validation works with
        self.assertEqual(self.partner("anna.phones@example.com").phone_sanitized, "+79120000000")
        self.assertEqual(self.partner("boris.phones@example.com").phone_sanitized, "+73431234567")

    def test_row_warnings_tell_what_was_inferred_or_kept(self):
        job = self.new_phones_job()
        preview = {row.name: row for row in job.preview_row_ids}
        self.assertEqual(len(preview), len(self.ROWS))
        boris = preview["Борис Городской"]
        self.assertEqual(boris.phone, "+73431234567")
        self.assertEqual(boris.phone_flag, "area code 343 inferred from г. Екатеринбург")
        self.assertIn("Phone 123-45-67: area code 343 inferred from г. Екатеринбург", boris.reason)
        self.assertEqual(preview["Вера Столичная"].phone_flag,
                         "no area code, Москва has several (496, 499): kept as typed")
        self.assertEqual(preview["Глеб Неизвестный"].phone_flag, "no area code: kept as typed")
        self.assertIn("area code 727 inferred from Алматы", preview["Жанна Алматинская"].reason)
        self.assertFalse(preview["Анна Двухномерная"].phone_flag)
        self.assertFalse(self.env["res.partner"].search([("email", "like", "%.phones@example.com")]),
                         "the preview created nobody")

    def test_duplicate_keys_hold_every_number_of_the_cell(self):
        job = self.new_phones_job(self.ROWS[:1])
        norm = job.preview_row_ids.normalized_json
        self.assertIn('"phone_keys": ["+79120000000", "+73430000000"]', norm)
        self.assertIn('"phone_key": "+79120000000"', norm)

    def test_existing_partner_found_by_one_of_its_other_phones(self):
        existing = self.env["res.partner"].create({
            "name": "Петров Иван", "phone": "+7 912 000-00-07, +7 343 222-33-44"})
        self.assertEqual(existing.crm_other_phones, "+73432223344")
        job = self.new_phones_job([["Иван Петров", "8 (343) 222-33-44", "", "Екатеринбург", ""]])
        job.action_import()
        self.assertEveryRowAccounted(job)
        self.assertEqual(job.row_ids.decision, "skipped", "the file's number is one of the card's other phones")
        self.assertEqual(job.row_ids.duplicate_of_id, existing)


@tagged("post_install", "-at_install")
class TestPartnerOtherPhones(CustomerImportCase):
    """Typed on the partner form (create/write): the same rules as the import."""

    def test_several_numbers_typed_in_phone(self):
        partner = self.env["res.partner"].with_user(self.operator).create({
            "name": "Зоя Многономерная", "country_id": self.russia.id, "city": "Екатеринбург",
            "phone": "+7 912 000-00-00; 8 (343) 000-00-00 доб. 5",
        })
        self.assertEqual(partner.phone, "+79120000000")
        self.assertEqual(partner.crm_other_phones, "+73430000000 ext. 5")

        # new numbers typed in phone come first among the other phones, the ones kept stay
        partner.with_user(self.operator).write({"phone": "8 912 000 00 01, 123-45-67"})
        self.assertEqual(partner.phone, "+79120000001")
        self.assertEqual(partner.crm_other_phones, "+73431234567, +73430000000 ext. 5")

        # the other phones typed by hand are normalized too, without repeating the main number
        partner.with_user(self.operator).write({"crm_other_phones": "8 912 000 00 01 / 8 (343) 000-00-01"})
        self.assertEqual(partner.crm_other_phones, "+73430000001")

    def test_ukrainian_partner_keeps_its_national_form(self):
        partner = self.env["res.partner"].create({
            "name": "Іван Київський", "country_id": self.env.ref("base.ua").id, "phone": "8 044 123 45 67"})
        self.assertEqual(partner.phone, "+380441234567")
        self.assertFalse(partner.crm_other_phones)

    def test_several_partners_keep_their_own_other_phones(self):
        partners = self.env["res.partner"].create([
            {"name": "Первый Контакт", "country_id": self.russia.id, "crm_other_phones": "+7 912 000-00-02"},
            {"name": "Второй Контакт", "country_id": self.russia.id, "crm_other_phones": "+7 912 000-00-03"},
        ])
        partners.write({"phone": "+7 912 000-00-04, +7 912 000-00-05"})
        self.assertEqual(partners.mapped("phone"), ["+79120000004", "+79120000004"])
        self.assertEqual(partners.mapped("crm_other_phones"), ["+79120000005, +79120000002",
                                                               "+79120000005, +79120000003"])

    def test_other_phones_are_personal_data(self):
        owner = new_test_user(self.env, login="imp_owner", groups="sales_team.group_sale_salesman")
        partner = self.env["res.partner"].create({
            "name": "Юлия Чужая", "user_id": owner.id, "crm_other_phones": "+7 912 000-00-06"})
        with self.assertRaisesRegex(AccessError, "Other Phones"):
            partner.with_user(self.salesman).write({"crm_other_phones": "+7 912 000-00-07"})
        self.assertEqual(partner.crm_other_phones, "+79120000006")
        # anonymization clears them with the phone
        values = partner._crm_privacy_neutral_values()
        self.assertIs(values["crm_other_phones"], False)
