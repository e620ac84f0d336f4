from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestEdrpouConstraint(TransactionCase):
    """Odoo's "Company ID" of a Ukrainian partner is its ЄДРПОУ: a wrong code is refused in the
    user's language, whoever writes it (form, import, RPC), and other countries are left alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ukraine = cls.env.ref("base.ua")
        cls.partner = cls.env["res.partner"].create({
            "name": "ТОВ «Тест-Меблі»", "is_company": True, "country_id": cls.ukraine.id,
            "company_registry": "32855961"})
        cls.foreign = cls.env["res.partner"].create({
            "name": "Foreign Ltd", "is_company": True, "country_id": cls.env.ref("base.be").id,
            "company_registry": "0477472701 RPM"})

    def _count(self, name):
        return self.env["res.partner"].with_context(active_test=False).search_count([("name", "=", name)])

    def test_valid_code_is_accepted(self):
        self.assertEqual(self.partner.company_registry, "32855961")
        self.partner.company_registry = "00032129"
        self.assertEqual(self.partner.company_registry, "00032129")

    def test_wrong_codes_are_refused_on_create(self):
        for code, reason in (("32855968", "checksum does not match"), ("1436057", "must have 8 digits"),
                             ("3285596A", "digits only")):
            with self.subTest(code=code), self.assertRaises(ValidationError) as caught:
                self.env["res.partner"].create({
                    "name": "ТОВ «Хибний код»", "is_company": True, "country_id": self.ukraine.id,
                    "company_registry": code})
            self.assertIn(code, str(caught.exception))
            self.assertIn(reason, str(caught.exception))
        self.assertEqual(self._count("ТОВ «Хибний код»"), 0)

    def test_wrong_code_is_refused_on_write_and_nothing_changes(self):
        with self.assertRaises(ValidationError):
            self.partner.write({"company_registry": "32855962"})
        self.env.invalidate_all()
        self.assertEqual(self.partner.company_registry, "32855961")

    def test_moving_a_foreign_partner_to_ukraine_checks_its_code(self):
        with self.assertRaises(ValidationError):
            self.foreign.write({"country_id": self.ukraine.id})
        self.env.invalidate_all()
        self.assertEqual(self.foreign.country_id, self.env.ref("base.be"))
        self.foreign.write({"country_id": self.ukraine.id, "company_registry": "14360570"})
        self.assertEqual(self.foreign.company_registry, "14360570")

    def test_other_countries_and_empty_codes_are_not_checked(self):
        self.assertEqual(self.foreign.company_registry, "0477472701 RPM")
        self.partner.company_registry = False
        self.assertFalse(self.partner.company_registry)

    def test_contacts_share_their_company_code(self):
        person = self.env["res.partner"].create({
            "name": "Петренко Іван", "parent_id": self.partner.id, "country_id": self.ukraine.id})
        self.assertEqual(person.company_registry, "32855961")
        with self.assertRaises(ValidationError):
            self.partner.write({"company_registry": "32855962"})
        self.env.invalidate_all()
        self.assertEqual(person.company_registry, "32855961")

    def test_company_registry_of_a_company_is_checked_through_its_partner(self):
        with self.assertRaises(ValidationError):
            self.env["res.company"].create({
                "name": "ТОВ «Хибний код»", "country_id": self.ukraine.id, "company_registry": "32855962"})
        self.assertFalse(self.env["res.company"].search_count([("name", "=", "ТОВ «Хибний код»")]))

    def test_label_and_message_in_ukrainian(self):
        self.env["res.lang"]._activate_lang("uk_UA")
        self.env["ir.module.module"]._load_module_terms(["crm_l10n_ua"], ["uk_UA"])
        self.env.invalidate_all()  # the label is computed in the reader's language
        partner = self.partner.with_context(lang="uk_UA")
        self.assertEqual(partner.company_registry_label, "Код ЄДРПОУ")
        self.assertNotEqual(self.foreign.with_context(lang="uk_UA").company_registry_label, "Код ЄДРПОУ",
                            "other countries keep Odoo's label")
        with self.assertRaises(ValidationError) as caught:
            partner.write({"company_registry": "32855962"})
        self.assertEqual(str(caught.exception),
                         "Код ЄДРПОУ 32855962 контрагента ТОВ «Тест-Меблі»: контрольна цифра коду ЄДРПОУ не збігається")
