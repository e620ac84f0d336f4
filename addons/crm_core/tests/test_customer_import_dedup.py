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
        self.assertFalse(self.petrov_2.exists(), "the other card is merged away")
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
        self.assertEqual(clones.exists(), clones[2], "the four others are merged away")
        self.assertEqual(leads.partner_id, clones[2], "every document points at the kept card")
        self.assertTrue(group.merged)
        self.assertEqual(group.partner_ids, clones[2])

    def test_merge_refuses_different_emails_for_non_admin(self):
        other = self.env["res.partner"].create({"name": "Петров Пётр", "email": "p.petrov@example.com",
                                                "city": "Казань"})
        wizard = self.find()
        group = wizard.group_ids.filtered(lambda g: self.petrov in g.partner_ids)
        group.partner_ids = self.petrov | other
        with self.assertRaisesRegex(UserError, "same email"):
            group.with_user(self.operator).action_merge()


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
