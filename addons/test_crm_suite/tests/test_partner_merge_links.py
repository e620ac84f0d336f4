from datetime import datetime

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPartnerMergeLinks(TransactionCase):
    """Links other addons add to contacts (service tickets, their commercial partner and followers)
    follow a merge through Odoo's generic foreign-key update, and come back on undo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(cls.env, login="h17m_links_operator", groups="crm_core.group_crm_data_operator")
        cls.cards = cls.env["res.partner"].create([
            {"name": "Ирина Ковалёва", "email": "irina@h17m-links.example"},
            {"name": "Ирина Ковалева", "email": "i.kovaleva@h17m-links.example"},
            {"name": "И. Ковалёва", "email": "kovaleva@h17m-links.example"},
            {"name": "Ковалёва Ирина", "email": "irina.k@h17m-links.example"},
        ])
        cls.dst, cls.others = cls.cards[0], cls.cards[1:]
        cls.tickets = cls.env["crm.service.ticket"].create([
            {"name": f"Не печатает принтер {card.id}", "partner_id": card.id} for card in cls.others])

    def _ticket_links(self):
        self.env.invalidate_all()
        return [(ticket.partner_id.id, ticket.commercial_partner_id.id) for ticket in self.tickets]

    def test_tickets_follow_the_merge_and_its_undo(self):
        before = self._ticket_links()
        self.assertEqual(before, [(card.id, card.id) for card in self.others])
        wizard = self.env["crm.partner.dedup.wizard"].with_user(self.operator).create({})
        group = self.env["crm.partner.dedup.group"].with_user(self.operator).create({
            "wizard_id": wizard.id, "partner_ids": [Command.set(self.cards.ids)], "dst_partner_id": self.dst.id})
        group.action_merge()
        self.assertEqual(self._ticket_links(), [(self.dst.id, self.dst.id)] * 3)
        record = group.merge_record_id
        self.env.cr.execute("UPDATE crm_partner_merge_record SET create_date = %s WHERE id = %s",
                            (datetime(2026, 5, 4, 10, 0), record.id))
        record.invalidate_recordset()
        with freeze_time("2026-05-20 10:00:00"):
            record.with_user(self.operator).action_undo()
        self.assertEqual(self._ticket_links(), before)
        self.assertTrue(all(self.others.mapped("active")))
