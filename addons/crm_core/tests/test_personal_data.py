from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

PARAM = "crm_core.personal_data_salesperson_edit"


@tagged("post_install", "-at_install")
class TestPersonalData(TransactionCase):
    """Personal data of contacts: data operators and managers change it, the
    customer's own salesperson only while the setting allows it; every change
    lands in the chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "pd_sales", groups="sales_team.group_sale_salesman", name="Пётр Продажин")
        cls.other_salesperson = new_test_user(
            cls.env, "pd_sales2", groups="sales_team.group_sale_salesman", name="Сергей Чужой")
        cls.operator = new_test_user(
            cls.env, "pd_operator", groups="crm_core.group_crm_data_operator", name="Ольга Операторова")
        cls.operator_salesperson = new_test_user(
            cls.env, "pd_both", groups="crm_core.group_crm_data_operator,sales_team.group_sale_salesman",
            name="Дарья Двойная")
        cls.manager = new_test_user(
            cls.env, "pd_manager", groups="sales_team.group_sale_manager", name="Марина Руководова")
        cls.company = cls.env["res.partner"].create({
            "name": "ООО Ромашка", "is_company": True, "user_id": cls.salesperson.id})
        cls.person = cls.env["res.partner"].create({
            "name": "Анна Закупкина", "parent_id": cls.company.id, "email": "anna@romashka.example",
            "function": "Закупщик"})
        cls.env["ir.config_parameter"].set_param(PARAM, "True")
        cls.env.cr.flush()  # write the set-up's pending tracking now, not in the first test

    def test_own_salesperson_edits_while_setting_allows(self):
        person = self.person.with_user(self.salesperson)
        self.assertTrue(person.crm_can_edit_personal_data)
        person.write({"email": "a.zakupkina@romashka.example", "city": "Тверь"})
        self.assertEqual(self.person.email, "a.zakupkina@romashka.example")

        self.env["ir.config_parameter"].set_param(PARAM, False)
        person.invalidate_recordset(["crm_can_edit_personal_data"])
        self.assertFalse(person.crm_can_edit_personal_data)
        with self.assertRaisesRegex(AccessError, "Email"):
            person.write({"email": "other@romashka.example"})
        with self.assertRaises(AccessError):
            person.write({"name": "Анна Иванова"})
        # non-personal fields stay editable, writing the same value is no change
        person.write({"crm_preferred_channel": "phone", "email": "a.zakupkina@romashka.example"})
        self.assertEqual(self.person.crm_preferred_channel, "phone")

    def test_a_deal_does_not_push_contact_data_the_user_may_not_change(self):
        deal = self.env["crm.lead"].create({
            "name": "Стеллажи", "type": "opportunity", "partner_id": self.person.id,
            "user_id": self.other_salesperson.id})
        deal.with_user(self.other_salesperson).write({"email_from": "zakupki@romashka.example"})
        self.assertEqual(deal.email_from, "zakupki@romashka.example", "the deal keeps what was typed")
        self.assertEqual(self.person.email, "anna@romashka.example", "the contact is not overwritten")
        deal.user_id = self.salesperson
        deal.with_user(self.salesperson).write({"email_from": "a.z@romashka.example"})
        self.assertEqual(self.person.email, "a.z@romashka.example", "the customer's salesperson updates the contact")

    def test_other_salesperson_is_refused(self):
        person = self.person.with_user(self.other_salesperson)
        self.assertFalse(person.crm_can_edit_personal_data)
        for vals in ({"phone": "+7 495 000-00-00"}, {"street": "ул. Ленина, 1"}, {"function": "Директор"},
                     {"comment": "<p>Любит звонки утром</p>"}, {"country_id": self.env.ref("base.kz").id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                person.write(vals)
        # a company's name is no personal data
        company = self.company.with_user(self.other_salesperson)
        company.write({"name": "ООО Ромашка-Плюс"})
        self.assertEqual(self.company.name, "ООО Ромашка-Плюс")

    def test_data_operator_and_manager_edit_anyone(self):
        for user, phone in ((self.operator, "+79160000001"), (self.manager, "+79160000002")):
            person = self.person.with_user(user)
            self.assertTrue(person.crm_can_edit_personal_data)
            person.write({"phone": phone, "name": "Анна Закупкина-Петрова"})
            self.assertEqual(self.person.phone, phone)

    def test_salesperson_creates_customer_and_becomes_its_salesperson(self):
        self.env["ir.config_parameter"].set_param(PARAM, False)
        partner = self.env["res.partner"].with_user(self.other_salesperson).create({
            "name": "Иван Новиков", "email": "novikov@example.com", "street": "пр. Мира, 5"})
        self.assertEqual(partner.user_id, self.other_salesperson)
        contact = self.env["res.partner"].with_user(self.other_salesperson).create({
            "name": "Ирина Контактова", "parent_id": self.company.id})
        self.assertEqual(contact.user_id, self.salesperson, "a contact follows its company's salesperson")

    def test_changes_are_tracked_in_the_chatter(self):
        person = self.person.with_user(self.operator)
        person.write({"function": "Главный закупщик", "email": "chief@romashka.example", "city": "Клин"})
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written when the cursor flushes
        tracked = self.env["mail.tracking.value"].search([
            ("mail_message_id.model", "=", "res.partner"), ("mail_message_id.res_id", "=", self.person.id)])
        self.assertEqual(
            set(tracked.field_id.mapped("name")) & {"function", "email", "contact_address_inline"},
            {"function", "email", "contact_address_inline"})
        values = tracked.filtered(lambda value: value.field_id.name == "function")
        self.assertEqual((values.old_value_char, values.new_value_char), ("Закупщик", "Главный закупщик"))
        person.write({"comment": "<p>Новая заметка</p>"})
        notes = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", self.person.id)])
        self.assertIn("Notes about the contact were changed", notes[0].body)

    def test_superuser_portal_and_own_account_are_not_blocked(self):
        self.env["ir.config_parameter"].set_param(PARAM, False)
        self.person.write({"phone": "+79161112233"})  # superuser (tests run as OdooBot/admin)
        portal = new_test_user(self.env, "pd_portal", groups="base.group_portal", name="Клиент Порталов")
        portal.partner_id.with_user(portal).sudo().write({"city": "Самара"})  # /my/account writes with sudo
        self.assertEqual(portal.partner_id.city, "Самара")
        self.other_salesperson.partner_id.with_user(self.other_salesperson).write({"phone": "+79160009988"})
        self.assertEqual(self.other_salesperson.partner_id.phone, "+79160009988")

    def test_form_makes_personal_fields_readonly(self):
        self.env["ir.config_parameter"].set_param(PARAM, False)
        form = Form(self.person.with_user(self.other_salesperson))
        for name in ("email", "phone", "street", "city", "zip", "function"):
            with self.subTest(field=name), self.assertRaises(AssertionError):
                setattr(form, name, "x")
        form = Form(self.person.with_user(self.operator))
        form.email = "operator@romashka.example"
        form.save()
        self.assertEqual(self.person.email, "operator@romashka.example")


@tagged("post_install", "-at_install")
class TestDataOperatorOnDeals(TransactionCase):
    """A data operator fixes the customer's contact data on deals but never
    their amounts or stages; with a sales role too, the sales rights apply."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env, "deal_operator", groups="crm_core.group_crm_data_operator", name="Ольга Операторова")
        cls.operator_salesperson = new_test_user(
            cls.env, "deal_both", groups="crm_core.group_crm_data_operator,sales_team.group_sale_salesman",
            name="Дарья Двойная")
        stages = cls.env["crm.stage"].search([], limit=2)
        cls.stage_new, cls.stage_next = stages[0], stages[1]
        cls.deal = cls.env["crm.lead"].create({
            "name": "Поставка станков", "type": "opportunity", "expected_revenue": 100000,
            "stage_id": cls.stage_new.id, "user_id": cls.operator_salesperson.id,
            "contact_name": "Анна", "email_from": "anna@romashka.example"})

    def test_operator_changes_contact_data_only(self):
        deal = self.deal.with_user(self.operator)
        deal.write({"contact_name": "Анна Закупкина", "phone": "+79165550000"})
        self.assertEqual(self.deal.contact_name, "Анна Закупкина")
        for vals in ({"expected_revenue": 1}, {"stage_id": self.stage_next.id}, {"probability": 90},
                     {"user_id": self.operator.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                deal.write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.operator).create({"name": "Своя сделка"})
        with self.assertRaises(AccessError):
            deal.unlink()
        self.assertEqual((self.deal.expected_revenue, self.deal.stage_id), (100000, self.stage_new))

    def test_operator_who_sells_has_sales_rights(self):
        deal = self.deal.with_user(self.operator_salesperson)
        deal.write({"expected_revenue": 150000, "stage_id": self.stage_next.id})
        self.assertEqual((self.deal.expected_revenue, self.deal.stage_id), (150000, self.stage_next))
