from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestSegment(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.consenting = Partner.create([
            {"name": "ООО Тверьхим", "city": "Тверь", "email": "info@tverhim.example.ru", "crm_consent_email": True},
            {"name": "Иван Петров", "city": "Тверь", "email": "petrov@tverhim.example.ru", "crm_consent_email": True},
        ])
        cls.no_consent = Partner.create({"name": "ООО Молчун", "city": "Тверь", "email": "no@molchun.example.ru"})
        cls.blacklisted = Partner.create({
            "name": "ООО Отписка", "city": "Тверь", "email": "stop@otpiska.example.ru", "crm_consent_email": True,
        })
        cls.env["mail.blacklist"]._add("stop@otpiska.example.ru")
        cls.no_email = Partner.create({"name": "ИП Без почты", "city": "Тверь", "crm_consent_email": True})
        cls.segment = cls.env["crm.segment"].create({
            "name": "Тверь", "domain": "[('city', '=', 'Тверь')]",
        })

    def test_dynamic_segment_evaluated_when_used(self):
        segment = self.segment.with_user(self.marketer)
        self.assertEqual(segment.partner_count, 5)
        newcomer = self.env["res.partner"].create({"name": "ООО Новичок", "city": "Тверь"})
        segment.invalidate_recordset()
        self.assertEqual(segment.partner_count, 6)
        self.assertIn(newcomer, segment._get_partners())
        self.assertIn(newcomer.id, segment.action_preview()["domain"][0][2] if segment.mode == "frozen"
                      else self.env["res.partner"].search(segment.action_preview()["domain"]).ids)

    def test_freeze_keeps_snapshot(self):
        self.segment.with_user(self.marketer).action_freeze()
        self.assertEqual(self.segment.mode, "frozen")
        self.assertTrue(self.segment.frozen_date)
        self.env["res.partner"].create({"name": "ООО Опоздавший", "city": "Тверь"})
        self.assertEqual(self.segment.partner_count, 5)
        self.assertEqual(len(self.segment._get_partners()), 5)

    def test_invalid_domain_rejected(self):
        with self.assertRaises(ValidationError):
            self.env["crm.segment"].create({"name": "Broken", "domain": "[('no_such_field', '=', 1)]"})

    def test_channel_filter_respects_consent_and_blacklist(self):
        reachable = self.segment._get_partners(channel="email")
        self.assertEqual(reachable, self.consenting)

    def test_sync_mailing_list(self):
        action = self.segment.with_user(self.marketer).action_sync_mailing_list()
        # label + number: no plural form needed in any language
        self.assertEqual(
            action["params"]["message"],
            f"{self.segment.name} — subscribed: {len(self.consenting)}, removed: 0",
        )
        mailing_list = self.segment.mailing_list_id
        self.assertTrue(mailing_list)
        self.assertEqual(
            sorted(mailing_list.contact_ids.mapped("email_normalized")),
            sorted(self.consenting.mapped("email_normalized")),
        )
        # consent withdrawn: the next sync unsubscribes, and a new partner is added
        self.consenting[1].crm_consent_email = False
        self.env["res.partner"].create({
            "name": "ООО Свежий", "city": "Тверь", "email": "new@svezhiy.example.ru", "crm_consent_email": True,
        })
        self.segment.with_user(self.marketer).action_sync_mailing_list()
        self.assertEqual(
            sorted(mailing_list.contact_ids.mapped("email_normalized")),
            ["info@tverhim.example.ru", "new@svezhiy.example.ru"],
        )
        # syncing again changes nothing
        contacts = mailing_list.contact_ids
        self.segment.action_sync_mailing_list()
        self.assertEqual(mailing_list.contact_ids, contacts)

    def test_segment_as_campaign_audience(self):
        other = self.env["crm.segment"].create({"name": "Молчун", "mode": "frozen", "partner_ids": self.no_consent.ids})
        campaign = self._create_campaign("Тверская рассылка", segment_ids=[(6, 0, (self.segment | other).ids)])
        self.assertEqual(campaign.audience_count, 5)  # union, no double count
