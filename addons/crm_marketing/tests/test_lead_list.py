from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestLeadList(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.callable = Partner.create([
            {"name": "ООО Звонок", "phone": "+7 495 123-45-67", "country_id": cls.russia.id, "crm_consent_phone": True},
            {"name": "АО Вызов", "phone": "+7 495 765-43-21", "country_id": cls.russia.id, "crm_consent_phone": True},
        ])
        cls.no_consent = Partner.create(
            {"name": "ООО Тишина", "phone": "+7 495 111-22-33", "country_id": cls.russia.id})
        cls.blacklisted = Partner.create({
            "name": "ООО Не звонить", "phone": "+7 495 999-88-77", "country_id": cls.russia.id,
            "crm_consent_phone": True,
        })
        cls.env["phone.blacklist"].sudo().add(cls.blacklisted.phone_sanitized)
        cls.no_phone = Partner.create({"name": "ИП Без телефона", "crm_consent_phone": True})
        cls.segment = cls.env["crm.segment"].create({
            "name": "Обзвон", "mode": "frozen",
            "partner_ids": [Command.set((cls.callable | cls.no_consent | cls.blacklisted | cls.no_phone).ids)],
        })
        cls.campaign = cls._create_campaign("Обзвон клиентов", channels=cls.channel_phone)

    def _wizard(self, **values):
        return self.env["crm.lead.list.wizard"].with_user(self.marketer).create({
            "segment_id": self.segment.id, "campaign_id": self.campaign.id, "channel": "phone", **values,
        })

    def _campaign_leads(self):
        return self.env["crm.lead"].search([("campaign_id", "=", self.campaign.id)])

    def test_call_list_respects_phone_consent_and_blacklist(self):
        self._wizard().action_generate()
        leads = self._campaign_leads()
        self.assertEqual(leads.partner_id, self.callable)
        self.assertEqual(set(leads.mapped("type")), {"lead"})

    def test_partners_with_open_lead_are_skipped(self):
        self.env["crm.lead"].create({
            "name": "Уже в работе", "partner_id": self.callable[0].id, "campaign_id": self.campaign.id,
        })
        self._wizard(lead_type="opportunity").action_generate()
        new_leads = self._campaign_leads().filtered(
            lambda lead: lead.type == "opportunity" and lead.name != "Уже в работе")
        self.assertEqual(new_leads.partner_id, self.callable[1])
        with self.assertRaises(UserError):
            self._wizard().action_generate()

    def test_generated_list_distributed_by_rule(self):
        rule = self.env["crm.distribution.rule"].create({
            "name": "Обзвон по кругу", "method": "round_robin", "team_ids": [Command.set(self.team.ids)],
        })
        self.env["crm.lead.list.wizard"].with_user(self.marketing_manager).create({
            "segment_id": self.segment.id, "campaign_id": self.campaign.id, "channel": "phone", "rule_id": rule.id,
        }).action_generate()
        leads = self._campaign_leads()
        self.assertEqual(leads.user_id, self.sellers[:2])
        self.assertEqual(rule.run_ids.mode, "committed")

    def test_call_list_from_imported_list(self):
        """Customers of a crm_core import (created or matched as duplicates) feed a call list."""
        job = self.env["crm.import.job"].create(
            {"name": "Клиенты с выставки", "file": b"ZmFrZQ==", "filename": "expo.xlsx"})
        self.env["crm.import.job.row"].create([
            {"job_id": job.id, "row_number": 2, "decision": "created", "partner_id": self.callable[0].id},
            {"job_id": job.id, "row_number": 3, "decision": "skipped", "duplicate_of_id": self.callable[1].id},
            {"job_id": job.id, "row_number": 4, "decision": "created", "partner_id": self.no_consent.id},
            {"job_id": job.id, "row_number": 5, "decision": "rejected"},
        ])
        self.env["crm.lead.list.wizard"].create({
            "source": "import", "import_job_id": job.id, "campaign_id": self.campaign.id, "channel": "phone",
        }).action_generate()
        self.assertEqual(self._campaign_leads().partner_id, self.callable)
