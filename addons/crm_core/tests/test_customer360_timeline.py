from datetime import datetime
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common_customer360 import Customer360Common


@tagged("post_install", "-at_install")
class TestCustomer360Timeline(Customer360Common):
    """One timeline per customer merging interactions, meetings, messages and deals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-02-01 10:00:00"):
            cls.lead = cls.env["crm.lead"].create({
                "name": "Поставка стеллажей", "type": "opportunity", "partner_id": cls.olga.id,
                "user_id": cls.user_team_a.id})
        with freeze_time("2026-02-05 10:00:00"):
            cls.lead.action_set_won()
        cls.call = cls._create_interaction(cls.user_team_a, cls.ivan, contact_id=cls.ivan.id,
                                           name="Звонок закупщику", date=datetime(2026, 2, 3, 9, 0))
        cls.event = cls.env["calendar.event"].create({
            "name": "Встреча на складе",
            "start": datetime(2026, 2, 10, 8, 0),
            "stop": datetime(2026, 2, 10, 9, 0),
            "partner_ids": [Command.set(cls.ivan.ids)],
        })
        with freeze_time("2026-02-07 12:00:00"):
            cls.note = cls.lead.message_post(body="Клиент просит скидку 5%", message_type="comment",
                                             subtype_xmlid="mail.mt_note")
        cls.other_call = cls._create_interaction(cls.user_team_b, cls.vasilek, date=datetime(2026, 2, 4, 9, 0))

    def test_timeline_merges_sources_newest_first(self):
        entries = self.romashka.crm_timeline_get(limit=50)["entries"]
        found = [(entry["type"], entry["res_model"], entry["res_id"]) for entry in entries]
        self.assertIn(("interaction", "crm.interaction", self.call.id), found)
        self.assertIn(("event", "calendar.event", self.event.id), found)
        self.assertIn(("message", "crm.lead", self.lead.id), found)
        deal_names = [entry["name"] for entry in entries if entry["type"] == "deal"]
        self.assertIn(f"Deal created: {self.lead.name}", deal_names)
        self.assertIn(f"Deal won: {self.lead.name}", deal_names)
        self.assertNotIn(("interaction", "crm.interaction", self.other_call.id), found, "other customers stay out")
        dates = [entry["date"] for entry in entries]
        self.assertEqual(dates, sorted(dates, reverse=True))
        won = next(entry for entry in entries if entry["name"].startswith("Deal won"))
        self.assertEqual(won["date"], datetime(2026, 2, 5, 10, 0))
        event_position = found.index(("event", "calendar.event", self.event.id))
        note_position = found.index(("message", "crm.lead", self.lead.id))
        self.assertLess(event_position, note_position, "the meeting of 10 February comes before the note of the 7th")
        for entry in entries:
            self.assertEqual(set(entry), {"date", "type", "name", "description", "res_model", "res_id", "user_id"})

    def test_organisation_partners_are_searched_once_per_page(self):
        """Every source of a page works on the partners searched once (a search per source was a third
        of a timeline's queries)."""
        Partner = type(self.env["res.partner"])
        searched = []
        timeline_partners = Partner._crm_timeline_partners

        def counted_timeline_partners(partners):
            searched.append(partners.ids)
            return timeline_partners(partners)

        with patch.object(Partner, "_crm_timeline_partners", counted_timeline_partners):
            entries = self.olga.with_user(self.user_team_a).crm_timeline_get(limit=50)["entries"]
        self.assertEqual(searched, [self.olga.ids])
        found = {(entry["type"], entry["res_id"]) for entry in entries}
        self.assertLessEqual({("interaction", self.call.id), ("event", self.event.id), ("deal", self.lead.id)}, found,
                             "the contact's page still shows the whole organisation")

    def test_contact_sees_the_whole_organisation(self):
        from_contact = self.olga.crm_timeline_get(types=["interaction"])["entries"]
        self.assertEqual([entry["res_id"] for entry in from_contact], [self.call.id])

    def test_pagination_and_type_filter(self):
        first = self.romashka.crm_timeline_get(limit=2)
        self.assertEqual(len(first["entries"]), 2)
        self.assertTrue(first["has_more"])
        everything = self.romashka.crm_timeline_get(limit=100)
        self.assertFalse(everything["has_more"])
        second = self.romashka.crm_timeline_get(offset=2, limit=2)
        self.assertEqual(second["entries"], everything["entries"][2:4])
        deals = self.romashka.crm_timeline_get(types=["deal"])
        self.assertEqual({entry["type"] for entry in deals["entries"]}, {"deal"})
        self.assertEqual(len(deals["entries"]), 2)
        self.assertFalse(deals["has_more"])

    def test_unknown_source_is_refused(self):
        with self.assertRaises(UserError):
            self.romashka._crm_timeline_entries("nothing", 10)

    def test_full_timeline_is_a_client_action_over_crm_timeline_get(self):
        action = self.romashka.with_user(self.user_team_a).action_crm_open_timeline()
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "crm_core.partner_timeline")
        self.assertEqual(action["params"], {"partner_id": self.romashka.id})
        # the breadcrumb shows the customer's name
        self.assertEqual(action["name"], f"Timeline of {self.romashka.display_name}")
        self.assertNotIn("crm.timeline", self.env, "no transient rows behind the timeline any more")
        self.assertNotIn("crm.timeline.entry", self.env)

    def test_component_paging_and_type_filter(self):
        """What the component asks: pages of a type, appended while has_more."""
        partner = self.romashka.with_user(self.user_team_a)
        everything = partner.crm_timeline_get(limit=100)["entries"]
        pages, offset, has_more = [], 0, True
        while has_more:
            page = partner.crm_timeline_get(offset=offset, limit=2)
            pages += page["entries"]
            offset, has_more = offset + 2, page["has_more"]
        self.assertEqual(pages, everything)
        only_calls = partner.crm_timeline_get(types=["interaction"], limit=2)
        self.assertEqual([entry["res_id"] for entry in only_calls["entries"]], [self.call.id])
        self.assertFalse(only_calls["has_more"])

    def test_odd_page_requests_are_refused(self):
        partner = self.romashka.with_user(self.user_team_a)
        for kwargs in ({"offset": -1}, {"limit": 0}, {"limit": 10**6}, {"limit": "10"}, {"offset": 1.5},
                       {"types": "interaction"}, {"types": [["interaction"]]}):
            with self.subTest(**{key: repr(value) for key, value in kwargs.items()}), self.assertRaises(UserError):
                partner.crm_timeline_get(**kwargs)

    def test_partner_form_shows_the_timeline_in_the_crm_tab(self):
        arch = self.env["res.partner"].with_user(self.user_team_a).get_views([(False, "form")])["views"]["form"]["arch"]
        page = etree.fromstring(arch).xpath("//page[@name='crm_360']")[0]
        self.assertTrue(page.xpath(".//widget[@name='crm_partner_timeline']"),
                        "the timeline is on the CRM tab, not behind a button under More")
        page_of_entries = self.romashka.with_user(self.user_team_a).crm_timeline_get(limit=10)
        self.assertEqual(page_of_entries["labels"], self.romashka._crm_timeline_sources(),
                         "the tab shows each entry's type with its translated label")
