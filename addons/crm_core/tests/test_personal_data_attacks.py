from contextlib import contextmanager

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

PARAM = "crm_core.personal_data_salesperson_edit"
PERSONAL = ("name", "email", "phone", "street", "street2", "zip", "city", "state_id", "country_id", "function",
            "comment", "parent_id", "user_id", "commercial_partner_id", "type")


@tagged("post_install", "-at_install")
class TestPersonalDataAttacks(TransactionCase):
    """Ways around the personal data rule: a context key, a new parent company whose address the
    sync copies, the fields deciding who may edit, the import, the form's onchange, the merge.
    Each is refused with an AccessError and leaves the contact as it was."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(PARAM, "True")
        cls.owner = new_test_user(
            cls.env, "pda_owner", groups="sales_team.group_sale_salesman", name="Пётр Владелец")
        cls.attacker = new_test_user(
            cls.env, "pda_attacker", groups="sales_team.group_sale_salesman,base.group_partner_manager",
            name="Сергей Чужой")
        cls.customer = cls.env["res.partner"].create({
            "name": "ООО Ромашка", "is_company": True, "user_id": cls.owner.id,
            "street": "ул. Ленина, 1", "city": "Тверь", "zip": "170000"})
        cls.person = cls.env["res.partner"].create({
            "name": "Анна Закупкина", "parent_id": cls.customer.id, "email": "anna@romashka.example",
            "phone": "+79161112233", "function": "Закупщик"})
        # the attacker's own company, somewhere else
        cls.own_company = cls.env["res.partner"].with_user(cls.attacker).create({
            "name": "ООО Подстава", "is_company": True, "street": "ул. Чужая, 13", "city": "Омск", "zip": "644000"})
        cls.env.flush_all()

    @contextmanager
    def _refused(self, pattern):
        """An AccessError whose message matches ``pattern``; the savepoint of assertRaises undoes the rest."""
        with self.assertRaises(AccessError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def _snapshot(self, *partners):
        partners = partners or (self.person,)
        self.env.invalidate_all()
        return [{name: partner[name] for name in PERSONAL} for partner in partners]

    def test_context_key_is_no_pass(self):
        """The old bypass: a context key the client chooses."""
        before = self._snapshot()
        person = self.person.with_user(self.attacker)
        for key in ("crm_personal_data_creating", "crm_core.personal_data_cleared"):
            with self.subTest(key=key), self._refused("Email"):
                person.with_context(**{key: True}).write({"email": "attacker@example.com"})
        self.assertEqual(self._snapshot(), before)
        self.assertNotIn("crm_core.personal_data_cleared", self.env.cr.cache, "nothing stays cleared")

    def test_moving_a_contact_under_another_company_is_refused(self):
        before = self._snapshot()
        person = self.person.with_user(self.attacker)
        with self._refused("Related Company"):
            person.write({"parent_id": self.own_company.id})
        # (through the company's side, child_ids, Odoo writes as the request's user: see test_crm_suite's HTTP test)
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(self.person.street, "ул. Ленина, 1", "the contact keeps its company's address")

    def test_fields_deciding_who_may_edit_are_refused(self):
        before = self._snapshot()
        person = self.person.with_user(self.attacker)
        for vals in ({"user_id": self.attacker.id}, {"commercial_partner_id": self.own_company.id},
                     {"type": "invoice"}, {"parent_id": False}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                person.write(vals)
        # a company's name is no personal data, a person's is even while made a company for a moment
        with self._refused("Name"):
            person.write({"is_company": True, "name": "Анна Иванова"})
        self.assertEqual(self._snapshot(), before)

    def test_address_sync_from_a_company_is_checked(self):
        """The company's salesperson changes its address: Odoo copies it into the contacts, a child company
        of another salesperson included — that one refuses."""
        branch = self.env["res.partner"].create({
            "name": "Филиал Ромашки", "is_company": True, "parent_id": self.customer.id,
            "user_id": self.attacker.id, "street": "ул. Ленина, 1", "city": "Тверь", "zip": "170000"})
        before = self._snapshot(self.customer, self.person, branch)
        with self._refused("Филиал Ромашки"):
            self.customer.with_user(self.owner).write({"street": "пр. Мира, 2"})
        self.assertEqual(self._snapshot(self.customer, self.person, branch), before)
        branch.parent_id = False
        self.customer.with_user(self.owner).write({"street": "пр. Мира, 2"})
        self.assertEqual(self.person.street, "пр. Мира, 2", "the owner's contacts follow their company")

    def _importer(self):
        # Odoo's load reads the parent's commercial fields, credit limit included: an invoicing user
        return new_test_user(self.env, "pda_importer", name="Олег Импортов", groups=(
            "sales_team.group_sale_salesman,base.group_partner_manager,account.group_account_invoice"))

    def test_import_into_a_protected_person_is_refused(self):
        """load(): a first contact with an address under a person without one copies it to the person."""
        private = self.env["res.partner"].create({"name": "Иван Частников", "user_id": self.owner.id})
        before = self._snapshot(private)
        result = self.env["res.partner"].with_user(self._importer()).load(
            ["name", "parent_id/.id", "street", "city"],
            [["Жена Ивана", str(private.id), "ул. Поддельная, 1", "Москва"]])
        self.assertFalse(result["ids"])
        self.assertIn("You may not change the personal data", result["messages"][0]["message"])
        self.assertEqual(self._snapshot(private), before)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Жена Ивана")]))

    def test_import_of_new_customers_still_syncs(self):
        """A company imported with its contacts: Odoo copies the company's address into the new contacts
        after creating them; new partners stay cleared until the import is done, whatever the setting."""
        self.env["ir.config_parameter"].set_param(PARAM, False)
        importer = self._importer()
        result = self.env["res.partner"].with_user(importer).load(
            ["name", "is_company", "street", "city", "child_ids/name"],
            [["ООО Своя", "1", "ул. Своя, 5", "Омск", "Ольга Своя"]])
        self.assertFalse(result["messages"])
        company = self.env["res.partner"].browse(result["ids"])
        self.assertEqual((company.user_id, company.child_ids.name, company.child_ids.street),
                         (importer, "Ольга Своя", "ул. Своя, 5"))

    def test_form_onchange_keeps_fields_readonly(self):
        form = Form(self.person.with_user(self.attacker))
        form.parent_id = self.own_company
        self.assertFalse(form.crm_can_edit_personal_data, "a new parent in the form grants nothing")
        with self.assertRaises(AssertionError):
            form.email = "attacker@example.com"
        before = self._snapshot()
        with self.assertRaises(AccessError):
            form.save()
        self.assertEqual(self._snapshot(), before)

    def test_merge_is_refused(self):
        duplicate = self.env["res.partner"].with_user(self.attacker).create({
            "name": "Анна Закупкина", "email": "anna@romashka.example", "parent_id": self.own_company.id})
        before = self._snapshot(self.person, duplicate)
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(self.attacker)
        with self._refused("merge"):
            wizard._merge((self.person | duplicate).ids, duplicate)
        with self._refused("merge"):
            wizard._merge((self.person | duplicate).ids, self.person)
        self.assertTrue(self.person.exists() and duplicate.exists())
        self.assertEqual(self._snapshot(self.person, duplicate), before)

    def test_allowed_users_keep_moving_contacts(self):
        """The customer's salesperson moves the contact to another company of theirs; the contact follows."""
        other = self.env["res.partner"].create({
            "name": "ООО Лютик", "is_company": True, "user_id": self.owner.id, "street": "ул. Садовая, 3",
            "city": "Клин", "zip": "141600"})
        self.person.with_user(self.owner).write({"parent_id": other.id})
        self.assertEqual((self.person.street, self.person.city), ("ул. Садовая, 3", "Клин"))
        # a contact created under someone else's customer takes its address (create is cleared)
        created = self.env["res.partner"].with_user(self.attacker).create({
            "name": "Новый Контакт", "parent_id": self.customer.id})
        self.assertEqual(created.street, "ул. Ленина, 1")
        self.assertNotIn("crm_core.personal_data_cleared", self.env.cr.cache)
