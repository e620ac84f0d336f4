from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_import import CustomerImportCase


@tagged("post_install", "-at_install")
class TestCustomerImportFindDuplicates(CustomerImportCase):
    """"Find duplicates" over existing partners, merged through Odoo's partner merge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.romashka = Partner.create({"name": "ООО «Ромашка»", "is_company": True, "vat": "7707083893"})
        cls.romashka_2 = Partner.create({"name": "Ромашка", "is_company": True, "vat": "7707083893"})
        cls.petrov = Partner.create({"name": "Петров Пётр", "email": "petrov@example.com", "city": "Казань"})
        cls.petrov_2 = Partner.create({"name": "ПЕТРОВ ПЕТР", "email": "petrov@example.com", "city": "Казань"})
        cls.sidorov = Partner.create({"name": "Сидоров Иван", "phone": "+7 912 000 11 22", "city": "Тула"})
        cls.sidorov_2 = Partner.create({"name": "Сидоров Иван", "phone": "89120001122"})
        cls.alone = Partner.create({"name": "Одинокий Контакт", "email": "alone@example.com"})
        cls.ours = cls.romashka | cls.romashka_2 | cls.petrov | cls.petrov_2 | cls.sidorov | cls.sidorov_2 | cls.alone

    def find(self, user=None):
        Wizard = self.env["crm.partner.dedup.wizard"].with_user(user or self.operator)
        action = Wizard.action_open_for_partners(self.ours.ids)
        return Wizard.browse(action["res_id"])

    def test_groups_by_inn_email_phone(self):
        wizard = self.find()
        groups = {frozenset(group.partner_ids.ids): group.reason for group in wizard.group_ids}
        self.assertEqual(groups[frozenset((self.romashka | self.romashka_2).ids)], "Same INN")
        self.assertEqual(groups[frozenset((self.petrov | self.petrov_2).ids)], "Same email")
        self.assertIn(frozenset((self.sidorov | self.sidorov_2).ids), groups)
        self.assertEqual(wizard.group_count, 3)
        self.assertNotIn(self.alone, wizard.group_ids.partner_ids)

    def test_merge_through_odoo_merge(self):
        lead = self.env["crm.lead"].create({"name": "Поставка", "partner_id": self.petrov_2.id})
        wizard = self.find()
        group = wizard.group_ids.filtered(lambda g: self.petrov in g.partner_ids)
        group.dst_partner_id = self.petrov
        group.with_user(self.operator).action_merge()
        self.assertFalse(self.petrov_2.active, "the other card is merged away (archived: undo for 30 days)")
        self.assertEqual(lead.partner_id, self.petrov, "its documents now point at the kept card")
        self.assertTrue(group.merged)

    def test_merge_group_of_five_in_steps(self):
        """Odoo merges 3 contacts at most: a group of 5 is merged in steps and ends as one card."""
        Partner = self.env["res.partner"]
        clones = Partner.create([{"name": f"Кузнецова Анна {'.' * n}", "email": "anna@example.com",
                                  "city": "Самара"} for n in range(5)])
        leads = self.env["crm.lead"].create([{"name": f"Сделка {n}", "partner_id": clone.id}
                                             for n, clone in enumerate(clones)])
        Wizard = self.env["crm.partner.dedup.wizard"].with_user(self.operator)
        wizard = Wizard.browse(Wizard.action_open_for_partners(clones.ids)["res_id"])
        self.assertEqual(len(wizard.group_ids), 1)
        group = wizard.group_ids
        self.assertEqual(group.partner_count, 5)
        group.dst_partner_id = clones[2]
        group.with_user(self.operator).action_merge()
        self.assertEqual(clones.filtered("active"), clones[2], "the four others are merged away (archived)")
        self.assertEqual(leads.partner_id, clones[2], "every document points at the kept card")
        self.assertTrue(group.merged)
        self.assertEqual(group.partner_ids, clones[2])

    def test_merge_different_emails_by_data_operator(self):
        """Odoo keeps this to the administrator; data operators may (see test_partner_merge for the others)."""
        other = self.env["res.partner"].create({"name": "Петров Пётр", "email": "p.petrov@example.com",
                                                "city": "Казань"})
        wizard = self.find()
        group = wizard.group_ids.filtered(lambda g: self.petrov in g.partner_ids)
        group.partner_ids = self.petrov | other
        group.with_user(self.operator).action_merge()
        self.assertFalse(other.active)
        self.assertTrue(group.merged)


@tagged("post_install", "-at_install")
class TestPartnerPhoneNormalization(CustomerImportCase):
    """Partners typed by hand get the import's phone normalization (through phone_validation)."""

    def test_phones_typed_by_hand(self):
        Partner = self.env["res.partner"].with_user(self.operator)
        cases = {
            "8 912 345 67 89": "+79123456789",
            "7912 345 67 89": "+79123456789",
            "(495) 123-45-67": "+74951234567",
            "+7 912 345-67-89 доб. 123": "+79123456789 ext. 123",
            "044 123 45 67": "+380441234567",
            "123-45-67": "123-45-67",
        }
        for typed, stored in cases.items():
            partner = Partner.create({"name": f"Контакт {typed}", "phone": typed})
            self.assertEqual(partner.phone, stored, typed)
        with_extension = Partner.search([("phone", "=", "+79123456789 ext. 123")], limit=1)
        self.assertEqual(with_extension.phone_sanitized, "+79123456789", "phone_validation still sanitizes it")

    def test_write_uses_the_partner_country(self):
        partner = self.env["res.partner"].create({"name": "Київ Контакт", "country_id": self.env.ref("base.ua").id})
        partner.write({"phone": "044 123 45 67"})
        self.assertEqual(partner.phone, "+380441234567")

    def test_form_and_kpp_check(self):
        with Form(self.env["res.partner"].with_user(self.operator)) as form:
            form.name = "ООО «Вектор»"
            form.company_type = "company"
            form.phone = "8 (812) 123-45-67"
            form.crm_kpp = "781001001"
        self.assertEqual(form.record.phone, "+78121234567")
        with self.assertRaises(UserError):
            form.record.crm_kpp = "12345"


@tagged("post_install", "-at_install")
class TestCustomerImportNamesakes(CustomerImportCase):
    """A first name shared by many people, or a name shared across companies, is not a duplicate."""

    FIRST_NAMES = ("Иван", "Пётр", "Сергей", "Андрей", "Олег", "Дмитрий", "Михаил", "Николай", "Павел", "Юрий")
    COMPANIES = ("ООО «Ромашка»", "АО «Вектор»", "ООО «Гранит»", "ПАО «Север»", "ООО «Заря»")
    ROOTS = ("Петр", "Сидор", "Кузнец", "Смирн", "Волк", "Соколов", "Лебед", "Козл", "Новик", "Морозов",
             "Голуб", "Виноград", "Богдан", "Воробь", "Беляк", "Тарас", "Белоус", "Комар", "Орл", "Макар",
             "Ковал", "Гусь", "Титов", "Баран", "Куликов", "Сорок", "Захар", "Королёв", "Герасим", "Пономар",
             "Лазар", "Медвед", "Ершов", "Никит", "Соболев", "Рябов", "Поляков", "Жуков", "Фролов", "Журавл")
    SUFFIXES = ("ов", "ин", "ский", "енко", "ук")

    def rows_of_people(self, full_names=True):
        rows = []
        for n in range(200):
            first = self.FIRST_NAMES[n % 10]
            company = self.COMPANIES[n % 5]
            surname = self.ROOTS[n % 40] + self.SUFFIXES[n // 40]
            name = f"{surname} {first}" if full_names else first
            email = f"p{n:03d}@firm{n % 5}.example" if full_names else ""
            rows.append([name, company, "", "", "", "", email, "Москва"])
        return rows

    def test_200_people_sharing_first_names_and_companies(self):
        job = self.import_file(self.make_csv(self.rows_of_people()), "people.csv", duplicate_policy="skip")
        self.assertEveryRowAccounted(job)
        self.assertEqual(job.created_count, 200)
        self.assertEqual(job.skipped_count, 0, "none skipped as duplicate")
        people = job.row_ids.partner_id
        self.assertEqual(len(people), 200)
        self.assertEqual(len(people.parent_id), 5, "five organisations, each once")

    def test_first_names_only_are_never_duplicates(self):
        """A CRM export where only the first name was mapped: 200 rows are 200 people, not 10."""
        job = self.import_file(self.make_csv(self.rows_of_people(full_names=False)), "first_names.csv",
                               duplicate_policy="skip")
        self.assertEveryRowAccounted(job)
        self.assertEqual(job.skipped_count, 0, "a first name alone never makes two people the same")
        self.assertEqual(len(job.row_ids.partner_id), 200)

    def test_namesake_of_another_company_is_not_a_duplicate(self):
        Partner = self.env["res.partner"]
        vector = Partner.create({"name": "АО «Вектор»", "is_company": True, "city": "Москва"})
        existing = Partner.create({"name": "Щукин Сергей", "parent_id": vector.id, "city": "Москва"})
        rows = [
            ["Schukin Sergei", "АО Вектор", "", "", "", "", "", "Москва"],  # the same man, transliterated
            ["Щукин Сергей", "ООО «Ромашка»", "", "", "", "", "", "Москва"],  # a namesake elsewhere
        ]
        job = self.import_file(self.make_csv(rows), "namesakes.csv", duplicate_policy="skip")
        first, second = job.row_ids.sorted("row_number")
        self.assertEqual((first.decision, first.duplicate_of_id), ("skipped", existing))
        self.assertEqual(second.decision, "created")
        self.assertEqual(second.partner_id.parent_id.name, "ООО «Ромашка»")
