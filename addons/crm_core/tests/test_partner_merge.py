from datetime import datetime

from freezegun import freeze_time

from odoo.addons.sale.tests.common import TestSaleCommon
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

MERGED_AT = datetime(2026, 3, 2, 9, 0)


class PartnerMergeWorld:
    """Five cards of one person, each with different contact data and links of every kind."""

    @classmethod
    def _build_world(cls):
        cls.operator = new_test_user(
            cls.env, login="h17m_operator", groups="crm_core.group_crm_data_operator", name="Ольга Операторова")
        cls.salesman = new_test_user(
            cls.env, login="h17m_salesman", groups="sales_team.group_sale_salesman", name="Иван Продавцов")
        cls.contact_manager = new_test_user(
            cls.env, login="h17m_contacts", groups="sales_team.group_sale_salesman,base.group_partner_manager",
            name="Павел Контактов")
        cls.tag_a, cls.tag_b = cls.env["res.partner.category"].create([{"name": "h17m A"}, {"name": "h17m B"}])
        Partner = cls.env["res.partner"]
        cls.cards = Partner.create([
            {"name": "Анна Смирнова", "email": "anna@h17m.example", "phone": "+7 912 000-00-01",
             "city": "Москва", "category_id": [Command.set(cls.tag_a.ids)]},
            {"name": "Смирнова Анна Петровна", "email": "a.smirnova@h17m.example", "city": "Москва",
             "category_id": [Command.set(cls.tag_b.ids)]},
            {"name": "А. Смирнова", "email": "anna.smirnova@h17m.example", "phone": "+7 912 000-00-03",
             "function": "Главный бухгалтер"},
            {"name": "Анна Смирнова", "email": "not an email", "phone": "+7 (912) 000-00-04",
             "street": "ул. Ленина, 1", "category_id": [Command.set((cls.tag_a | cls.tag_b).ids)]},
            {"name": "Анна Смирнова", "email": "anna@h17m.example", "city": "Санкт-Петербург",
             "website": "https://h17m.example", "zip": "190000"},
        ])
        # recency of the cards: the last one was edited last
        for days, card in enumerate(cls.cards):
            cls.env.cr.execute("UPDATE res_partner SET write_date = %s WHERE id = %s",
                               (datetime(2026, 1, 1 + days), card.id))
        cls.cards.invalidate_recordset(["write_date"])
        cls.dst = cls.cards[0]
        cls.others = cls.cards[1:]

    @classmethod
    def _link_world(cls):
        """Links of every kind to each merged card."""
        cls.leads = cls.env["crm.lead"].create([
            {"name": f"Сделка {card.id}", "partner_id": card.id, "type": "opportunity"} for card in cls.others])
        cls.interactions = cls.env["crm.interaction"].create([
            {"name": f"Звонок {card.id}", "partner_id": card.id, "user_id": cls.operator.id}
            for card in cls.others])
        cls.children = cls.env["res.partner"].create([
            {"name": f"Помощник {card.id}", "parent_id": card.id, "type": "other"} for card in cls.others])
        for card in cls.others:
            card.message_post(body=f"Заметка о карточке {card.id}")
        cls.activities = cls.env["mail.activity"].create([{
            "res_model_id": cls.env["ir.model"]._get_id("res.partner"), "res_id": card.id,
            "activity_type_id": cls.env.ref("mail.mail_activity_data_todo").id, "summary": f"Перезвонить {card.id}",
            "user_id": cls.operator.id, "date_deadline": "2026-03-10",
        } for card in cls.others])
        cls.attachments = cls.env["ir.attachment"].create([
            {"name": f"скан {card.id}.txt", "raw": b"scan", "res_model": "res.partner", "res_id": card.id}
            for card in cls.others])
        # the card follows a deal: its follower row moves too
        cls.leads[0].message_subscribe(partner_ids=cls.others[0].ids)

    def _links(self):
        """Where every link points, read from the database."""
        self.env.invalidate_all()
        return {
            "leads": [lead.partner_id.id for lead in self.leads],
            "interactions": [item.partner_id.id for item in self.interactions],
            "children": [child.parent_id.id for child in self.children],
            "activities": self.activities.mapped("res_id"),
            "attachments": self.attachments.mapped("res_id"),
            "messages": sorted(self.env["mail.message"].search([
                ("model", "=", "res.partner"), ("res_id", "in", self.cards.ids),
                ("body", "ilike", "Заметка о карточке")]).mapped(lambda m: (m.id, m.res_id))),
            "follower": self.leads[0].message_partner_ids.ids,
            "tags": {card.id: card.category_id.ids for card in self.cards.exists()},
        }

    def _card_values(self):
        self.env.invalidate_all()
        fields = ["name", "email", "phone", "city", "street", "zip", "website", "function", "active"]
        return {card["id"]: card for card in self.cards.with_context(active_test=False).read(fields)}

    def _make_contact_manager_their_salesperson(self):
        """Past our personal-data check (the cards are theirs), so that Odoo's own email rule is what refuses."""
        self.env["ir.config_parameter"].set_param(self.env["res.partner"]._CRM_PERSONAL_DATA_SALESPERSON_PARAM, "1")
        self.cards.user_id = self.contact_manager

    def _merge_group(self, user, choices=None):
        wizard = self.env["crm.partner.dedup.wizard"].with_user(user).create({})
        group = self.env["crm.partner.dedup.group"].with_user(user).create({
            "wizard_id": wizard.id, "partner_ids": [Command.set(self.cards.ids)], "dst_partner_id": self.dst.id})
        group.action_open_choices()
        for line in group.choice_ids:
            if line.field_name in (choices or {}):
                line.partner_id = choices[line.field_name]
        group.action_merge()
        return group


@tagged("post_install", "-at_install")
class TestPartnerMerge(TestSaleCommon, PartnerMergeWorld):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_world()
        cls._link_world()
        cls.orders = cls.env["sale.order"].create([{"partner_id": card.id} for card in cls.others])
        cls.invoices = cls.env["account.move"].create([{
            "move_type": "out_invoice", "partner_id": card.id, "invoice_date": "2026-02-01",
            "invoice_line_ids": [Command.create({"name": "Услуга", "quantity": 1, "price_unit": 10})],
        } for card in cls.others])

    def _links(self):
        links = super()._links()
        links["orders"] = [order.partner_id.id for order in self.orders]
        links["invoices"] = [move.partner_id.id for move in self.invoices]
        return links

    def _set_merged_at(self, record, when):
        self.env.cr.execute("UPDATE crm_partner_merge_record SET create_date = %s WHERE id = %s", (when, record.id))
        record.invalidate_recordset()

    def test_choices_default_to_the_most_complete_and_recent_value(self):
        defaults = self.env["base.partner.merge.automatic.wizard"]._crm_default_choices(self.cards)
        self.assertEqual(defaults["name"], self.cards[1], "the longest name")
        self.assertEqual(defaults["email"], self.cards[2], "the longest valid email; 'not an email' is not one")
        self.assertEqual(defaults["phone"], self.cards[3], "the longest typed number")
        self.assertEqual(defaults["city"], self.cards[4], "the longest city")
        self.assertEqual(defaults["street"], self.cards[3])

    def test_choice_fields_are_contact_fields(self):
        """The per-field choices name res.partner's fields directly: fails loudly if one disappears."""
        Partner = self.env["res.partner"]
        for name in self.env["base.partner.merge.automatic.wizard"]._crm_choice_fields():
            with self.subTest(name=name):
                self.assertIn(name, Partner._fields)
                self.assertTrue(Partner._fields[name].store)

    def test_operator_merges_five_cards_with_different_emails(self):
        phones = self.cards.mapped("phone")  # as stored (normalized on entry)
        group = self._merge_group(self.operator, {
            "name": self.dst, "email": self.cards[1], "phone": self.cards[2], "city": self.cards[1]})
        record = group.merge_record_id
        self.assertTrue(record)
        self.assertEqual(record.src_partner_ids, self.others)
        values = self._card_values()
        self.assertEqual(
            {key: values[self.dst.id][key] for key in ("name", "email", "phone", "city", "street", "website")},
            {"name": "Анна Смирнова", "email": "a.smirnova@h17m.example", "phone": phones[2],
             "city": "Москва", "street": "ул. Ленина, 1", "website": "https://h17m.example"})
        self.assertEqual(values[self.dst.id]["function"], "Главный бухгалтер", "filled from the only card that has it")
        # the merged cards are archived, not deleted
        self.assertEqual([values[card.id]["active"] for card in self.others], [False] * 4)
        # every link is on the kept card
        links = self._links()
        for kind in ("leads", "interactions", "children", "orders", "invoices"):
            self.assertEqual(links[kind], [self.dst.id] * 4, kind)
        self.assertEqual(set(links["activities"]), {self.dst.id})
        self.assertEqual(set(links["attachments"]), {self.dst.id})
        self.assertEqual({res_id for __, res_id in links["messages"]}, {self.dst.id})
        self.assertIn(self.dst.id, links["follower"])
        self.assertNotIn(self.others[0].id, links["follower"])
        self.assertEqual(set(links["tags"][self.dst.id]), {self.tag_a.id, self.tag_b.id}, "tags: the union")
        # the discarded values are in the chatter of the kept card
        note = self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", self.dst.id), ("body", "ilike", "Values not kept")])
        self.assertEqual(len(note), 1)
        for text in ("anna@h17m.example", "anna.smirnova@h17m.example", "not an email", "Смирнова Анна Петровна",
                     "Санкт-Петербург", phones[0], phones[3]):
            self.assertIn(text, str(note.body))
        self.assertNotIn("Email: a.smirnova@h17m.example", str(note.body), "the kept value is not discarded")

    def test_undo_restores_cards_links_and_values(self):
        before_links, before_values = self._links(), self._card_values()
        group = self._merge_group(self.operator, {"email": self.cards[1], "city": self.cards[4]})
        record = group.merge_record_id
        self.assertNotEqual(self._links(), before_links)
        self._set_merged_at(record, MERGED_AT)
        with freeze_time("2026-03-31 08:00:00"):  # 29 days later
            record.with_user(self.operator).action_undo()
        self.assertEqual(record.state, "undone")
        self.assertEqual(self._links(), before_links)
        self.assertEqual(self._card_values(), before_values)
        with self.assertRaises(UserError):
            record.with_user(self.operator).action_undo()

    def test_undo_after_30_days_is_refused_and_purged(self):
        group = self._merge_group(self.operator)
        record = group.merge_record_id
        self._set_merged_at(record, MERGED_AT)
        after_links, after_values = self._links(), self._card_values()
        with freeze_time("2026-04-02 09:00:00"):  # 31 days later
            with self.assertRaises(UserError):
                record.with_user(self.operator).action_undo()
            self.assertEqual(self._links(), after_links)
            self.assertEqual(self._card_values(), after_values)
            self.env["crm.partner.merge.record"].sudo()._cron_purge_expired()  # the cron runs as superuser
        self.assertFalse(record.exists())
        self.assertFalse(self.others.exists(), "the archived cards are deleted when the undo period ends")
        self.assertEqual(self._links()["leads"], [self.dst.id] * 4)

    def test_merge_log_visible_to_its_author_and_managers_only(self):
        record = self._merge_group(self.operator).merge_record_id
        other_operator = new_test_user(self.env, login="h17m_operator2", groups="crm_core.group_crm_data_operator")
        manager = new_test_user(self.env, login="h17m_manager", groups="sales_team.group_sale_manager")
        Record = self.env["crm.partner.merge.record"]
        self.assertEqual(Record.with_user(self.operator).search([("id", "=", record.id)]), record)
        self.assertFalse(Record.with_user(other_operator).search([("id", "=", record.id)]))
        self.assertEqual(Record.with_user(manager).search([("id", "=", record.id)]), record)
        with self.assertRaises(AccessError):
            record.with_user(other_operator).action_undo()
        with self.assertRaises(AccessError):
            record.with_user(self.operator).write({"link_data": [["res_users", "partner_id", "id", 1, 1, 1]]})
        with self.assertRaises(AccessError):
            Record.with_user(self.operator).create({"dst_partner_id": self.dst.id})
        self.assertEqual(record.state, "done")

    def test_contact_manager_keeps_odoo_email_rule(self):
        """A user who is neither data operator nor manager still meets Odoo's refusal."""
        self._make_contact_manager_their_salesperson()
        before = self._card_values()
        merge = self.env["base.partner.merge.automatic.wizard"].with_user(self.contact_manager)
        with self.assertRaisesRegex(UserError, "same email"):
            merge._merge(self.cards[:3].ids, self.dst)
        self.assertEqual(self._card_values(), before)
        self.assertFalse(self.env["crm.partner.merge.record"].search([("dst_partner_id", "=", self.dst.id)]))


@tagged("post_install", "-at_install")
class TestPartnerMergeOverHttp(HttpCase, PartnerMergeWorld):
    """Hostile callers over JSON-RPC: refused, nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_world()
        cls._link_world()

    def _call(self, model, method, args, kwargs=None):
        with mute_logger("odoo.http"):  # the refusals below are expected
            return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
                "model": model, "method": method, "args": args, "kwargs": kwargs or {"context": {}}})

    def test_salesman_cannot_merge(self):
        before_links, before_values = self._links(), self._card_values()
        self.authenticate("h17m_salesman", "h17m_salesman")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("base.partner.merge.automatic.wizard", "create", [{
                "partner_ids": [[6, 0, self.cards[:3].ids]], "dst_partner_id": self.dst.id}])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("crm.partner.dedup.wizard", "create", [{}])
        self.assertEqual(self._links(), before_links)
        self.assertEqual(self._card_values(), before_values)

    def test_contact_manager_refused_on_different_emails(self):
        self._make_contact_manager_their_salesperson()
        before_links, before_values = self._links(), self._card_values()
        self.authenticate("h17m_contacts", "h17m_contacts")
        wizard_id = self._call("base.partner.merge.automatic.wizard", "create", [{
            "partner_ids": [[6, 0, self.cards[:3].ids]], "dst_partner_id": self.dst.id, "state": "selection"}])
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call("base.partner.merge.automatic.wizard", "action_merge", [[wizard_id]],
                       {"context": {"crm_partner_merge_archive_ids": self.cards.ids}})
        self.assertEqual(self._links(), before_links)
        self.assertEqual(self._card_values(), before_values)

    def test_operator_cannot_forge_an_undo_log(self):
        self.authenticate("h17m_operator", "h17m_operator")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("crm.partner.merge.record", "create", [{
                "dst_partner_id": self.dst.id,
                "link_data": [["res_users", "partner_id", "id", 2, self.dst.id, 3]]}])
        self.assertFalse(self.env["crm.partner.merge.record"].search([("dst_partner_id", "=", self.dst.id)]))

    def test_salesman_cannot_undo(self):
        group = self._merge_group(self.operator)
        record = group.merge_record_id
        after_links, after_values = self._links(), self._card_values()
        self.authenticate("h17m_salesman", "h17m_salesman")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("crm.partner.merge.record", "action_undo", [record.ids])
        self.assertEqual(record.state, "done")
        self.assertEqual(self._links(), after_links)
        self.assertEqual(self._card_values(), after_values)
