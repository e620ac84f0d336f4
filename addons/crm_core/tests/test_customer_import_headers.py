import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from . import import_samples as samples
from .common_import import CustomerImportCase


def digits(text):
    return re.sub(r"\D", "", text or "")


@tagged("post_install", "-at_install")
class TestCustomerImportHeaders(CustomerImportCase):
    """Headers as 1C, Bitrix24 and amoCRM write them; import profiles detected, saved and reused."""

    def mapping_of(self, job):
        return {column.header: column.target or "" for column in job.column_ids}

    def test_bitrix24_200_people_sharing_first_names_and_companies(self):
        header, rows = samples.bitrix24_contacts(200)
        content = samples.to_csv(header, rows, encoding="cp1251")
        job = self.new_job(content, "contacts_bitrix24.csv")
        self.assertEqual(job.profile_id, self.env.ref("crm_core.crm_import_profile_bitrix24_contacts"))
        mapping = self.mapping_of(job)
        self.assertEqual(
            {key: mapping[key] for key in ("Имя", "Фамилия", "Отчество", "Компания", "Рабочий телефон",
                                           "Мобильный телефон", "Рабочий e-mail", "Частный e-mail", "Город")},
            {"Имя": "name_first", "Фамилия": "name_last", "Отчество": "name_middle", "Компания": "company",
             "Рабочий телефон": "phone", "Мобильный телефон": "phone", "Рабочий e-mail": "email",
             "Частный e-mail": "email", "Город": "city"})
        job.action_import()
        self.assertEveryRowAccounted(job)
        self.assertEqual((job.created_count, job.skipped_count, job.rejected_count), (200, 0, 0),
                         "200 different people are 200 cards, whatever they share")
        people = job.row_ids.partner_id
        self.assertEqual(len(people), 200)
        self.assertEqual(len(set(people.mapped("name"))), 200)
        by_email = {partner.email: partner for partner in people}
        for index, row in enumerate(rows):
            partner = by_email[f"work{index:03d}@example.ru"]
            surname, first, patronymic = samples.person(index)
            self.assertEqual(partner.name, f"{surname} {first} {patronymic}")
            self.assertEqual(partner.parent_id.name, samples.COMPANIES[index % len(samples.COMPANIES)])
            # the first number is the card's phone; the others are kept beside it (crm_other_phones, once the
            # phone parser splits a cell of several numbers) or, before that, in the phone as typed
            others = partner.crm_other_phones if "crm_other_phones" in partner._fields else ""
            kept = "|".join(digits(text) for text in (partner.phone, others, partner.comment))
            for number in (row[8], row[9]):
                self.assertIn(digits(number)[-10:], kept, "both phones are read")
            if row[12]:
                self.assertIn(row[12], partner.comment or "", "the second e-mail is kept in the notes")
        self.assertEqual(len(people.parent_id), len(samples.COMPANIES), "each company once")

    def test_each_header_style_recognised_with_its_profile(self):
        cases = [
            ("1c_accounting.xlsx", samples.to_xlsx(*samples.onec_counterparties(), title_rows=[["Контрагенты"]]),
             "crm_core.crm_import_profile_1c_accounting",
             {"Наименование": "company", "ИНН": "inn", "КПП": "kpp", "Юридический адрес": "street",
              "Телефон": "phone", "Email": "email", "Код": ""}),
            ("1c_trade.xlsx", samples.to_xlsx(*samples.onec_trade_partners()),
             "crm_core.crm_import_profile_1c_trade",
             {"Наименование": "company", "ИНН": "inn", "Основной менеджер": "user", "Телефон": "phone",
              "Адрес электронной почты": "email", "Фактический адрес": "street"}),
            ("1c_crm.xlsx", samples.to_xlsx(*samples.onec_crm_contacts()),
             "crm_core.crm_import_profile_1c_crm",
             {"Контактное лицо": "name", "Клиент": "company", "Телефон": "phone", "Мобильный телефон": "phone",
              "Email": "email", "Ответственный": "user"}),
            ("bitrix_companies.csv", samples.to_csv(*samples.bitrix24_companies(), encoding="cp1251"),
             "crm_core.crm_import_profile_bitrix24_companies",
             {"Название компании": "company", "Рабочий телефон": "phone", "Рабочий e-mail": "email",
              "Корпоративный сайт": "website"}),
            ("amocrm.csv", samples.to_csv(*samples.amocrm_contacts(), delimiter=";", bom=True),
             "crm_core.crm_import_profile_amocrm_contacts",
             {"Наименование": "name", "Имя": "name_first", "Компания": "company", "Рабочий телефон": "phone",
              "Мобильный телефон": "phone", "Рабочий email": "email", "Личный email": "email", "Теги": "tag"}),
            ("amocrm.xlsx", samples.to_xlsx(*samples.amocrm_contacts()),
             "crm_core.crm_import_profile_amocrm_contacts",
             {"Наименование": "name", "Рабочий email": "email"}),
        ]
        for filename, content, profile, expected in cases:
            with self.subTest(filename):
                job = self.new_job(content, filename)
                self.assertEqual(job.profile_id, self.env.ref(profile))
                mapping = self.mapping_of(job)
                self.assertEqual({key: mapping[key] for key in expected}, expected)
                job.action_import()
                self.assertEveryRowAccounted(job)
                self.assertFalse(job.rejected_count, job.row_ids.mapped("reason"))

    def test_free_style_headers_recognised_by_their_words(self):
        header, rows = samples.free_style()
        job = self.new_job(samples.to_xlsx(header, rows), "clients.xlsx")
        self.assertFalse(job.profile_id, "no profile has these headers")
        columns = {column.header: column for column in job.column_ids}
        self.assertEqual(self.mapping_of(job), {
            "Наименование полное": "company", "ИНН контрагента": "inn", "Юр. адрес": "street",
            "Контактное лицо": "name", "Телефон контактного лица": "phone", "E-mail контрагента": "email",
            "Основной менеджер": "user", "Тип контакта": ""})
        self.assertEqual(columns["ИНН контрагента"].confidence, 1.0)
        self.assertLess(columns["Тип контакта"].confidence, 0.5, "unsure: left for the user")
        self.assertIn("Contact Name", columns["Тип контакта"].candidates)
        self.assertIn("Phone", columns["Тип контакта"].candidates)
        job.action_import()
        self.assertEqual(job.created_count, 3)
        org = job.row_ids.partner_id[:1].parent_id
        self.assertEqual(org.vat, samples.COMPANY_INNS[0], "the INN of the counterparty is read")
        self.assertEqual(org.street, f"{samples.CITY}, ул. Мира, 1")

    def test_salesperson_matched_by_name_never_created(self):
        header = ["ФИО", "Компания", "Ответственный"]
        content = self.make_csv([["Петров Пётр", "ООО «Альфа»", "Сергей Продавцов"],
                                 ["Сидоров Сидор", "ООО «Бета»", "Никто Неизвестный"]], header=header)
        users_before = self.env["res.users"].search_count([])
        job = self.import_file(content, "clients.csv")
        rows = job.row_ids.sorted("row_number")
        self.assertEqual(rows[0].partner_id.user_id, self.salesman)
        self.assertFalse(rows[1].partner_id.user_id)
        self.assertIn("Никто Неизвестный", rows[1].reason)
        self.assertEqual(self.env["res.users"].search_count([]), users_before, "nobody is created")

    def test_saved_profile_reused_and_private(self):
        header = ["Клиентский код", "Кто", "Куда звонить"]
        rows = [["K-1", "Орлов Олег", "+7 912 111-22-33"], ["K-2", "Лисина Лиза", "+7 912 111-22-44"]]
        content = self.make_csv(rows, header=header)
        with self.assertRaises(UserError):
            self.new_job(content, "own.csv")  # nothing known in the header: the user says where it is
        job = self.new_job(content, "own.csv", header_row=1)
        self.assertFalse(job.profile_id)
        columns = {column.header: column for column in job.column_ids}
        columns["Кто"].target = "name"
        columns["Куда звонить"].target = "phone"
        job.with_user(self.operator).action_save_profile()
        profile = job.profile_id
        self.assertEqual(profile.user_id, self.operator)
        self.assertFalse(profile.shared)
        self.assertEqual({line.header: line.target or "" for line in profile.line_ids},
                         {"Клиентский код": "", "Кто": "name", "Куда звонить": "phone"})

        again = self.new_job(content, "own_again.csv")
        self.assertEqual(again.profile_id, profile, "detected for the next import")
        self.assertEqual(self.mapping_of(again), {"Клиентский код": "", "Кто": "name", "Куда звонить": "phone"})
        again.action_import()
        self.assertEqual(again.created_count, 2)

        other = self.new_job(content, "theirs.csv", user=self.operator_2, header_row=1)
        self.assertFalse(other.profile_id, "a private profile is its owner's only")
        with self.assertRaises(AccessError):
            profile.with_user(self.operator_2).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            profile.line_ids[:1].with_user(self.operator_2).write({"target": "email"})
        self.assertEqual(profile.name, profile.sudo().name)
        self.assertEqual(profile.line_ids.mapped("target")[1:], ["name", "phone"])

    def test_shared_profiles_readable_not_writable_by_operators(self):
        builtin = self.env.ref("crm_core.crm_import_profile_bitrix24_contacts")
        operator_profiles = self.env["crm.import.profile"].with_user(self.operator).search([])
        self.assertIn(builtin, operator_profiles)
        name = builtin.name
        with self.assertRaises(AccessError):
            builtin.with_user(self.operator).write({"name": "Broken"})
        with self.assertRaises(AccessError):
            builtin.with_user(self.operator).unlink()
        with self.assertRaises(AccessError):
            builtin.line_ids[:1].with_user(self.operator).unlink()
        with self.assertRaises(AccessError):
            self.env["crm.import.profile"].with_user(self.operator).create(
                {"name": "Not mine", "user_id": self.operator_2.id, "shared": True})
        self.assertEqual(builtin.name, name)
        builtin.with_user(self.manager).write({"name": "Bitrix24 contacts (ours)"})
        self.assertEqual(builtin.name, "Bitrix24 contacts (ours)")
        salesman = new_test_user(self.env, login="imp_profile_salesman", groups="sales_team.group_sale_salesman")
        with self.assertRaises(AccessError):
            self.env["crm.import.profile"].with_user(salesman).search([])

    def test_choosing_another_profile_remaps_the_columns(self):
        header, rows = samples.amocrm_contacts(3)
        job = self.new_job(samples.to_csv(header, rows), "amo.csv")
        self.assertEqual(job.profile_id, self.env.ref("crm_core.crm_import_profile_amocrm_contacts"))
        mine = self.env["crm.import.profile"].with_user(self.operator).create({
            "name": "amo without names", "line_ids": [(0, 0, {"header": "Наименование", "target": "company"})]})
        job.profile_id = mine
        job.action_apply_profile()
        mapping = self.mapping_of(job)
        self.assertEqual(mapping["Наименование"], "company", "the profile's choice")
        self.assertEqual(mapping["Рабочий телефон"], "phone", "the other columns keep their recognition")
