from unittest.mock import patch

from odoo.addons.crm.models.crm_lead import CrmLead as Lead
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestDistribution(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._create_campaign("Входящие заявки")
        cls.rule = cls.env["crm.distribution.rule"].create({
            "name": "Заявки с сайта",
            "method": "round_robin",
            "team_ids": [Command.set(cls.team.ids)],
            "lead_domain": f"[('campaign_id', '=', {cls.campaign.id}), ('user_id', '=', False)]",
        })

    def _counts(self, leads):
        counts = {}
        for lead in leads:
            counts[lead.user_id.login] = counts.get(lead.user_id.login, 0) + 1
        return counts

    def test_round_robin_even_and_continues(self):
        leads = self._create_leads(self.campaign, 6)
        self.rule._run_distribution(commit=True)
        self.assertEqual(self._counts(leads), {"mkt_s1": 2, "mkt_s2": 2, "mkt_s3": 1, "mkt_s4": 1})
        self.assertEqual(leads.team_id, self.team)
        more = self._create_leads(self.campaign, 2)
        self.rule._run_distribution(commit=True)
        self.assertEqual(self._counts(more), {"mkt_s3": 1, "mkt_s4": 1})

    @freeze_time("2026-03-10")
    def test_absent_salesperson_skipped(self):
        self.members[0].write({"absent_from": "2026-03-09", "absent_to": "2026-03-12"})
        self.members[1].write({"absent_from": "2026-03-01", "absent_to": "2026-03-05"})  # back already
        leads = self._create_leads(self.campaign, 6)
        self.rule._run_distribution(commit=True)
        self.assertNotIn("mkt_s1", self._counts(leads))
        self.assertEqual(self._counts(leads), {"mkt_s2": 2, "mkt_s3": 2, "mkt_s4": 2})

    def test_capacity_weights_and_maximum_open_leads(self):
        self.rule.method = "capacity"
        self.members[0].write({"distribution_weight": 3.0})
        self.members[1].write({"max_open_leads": 2})
        # s2 already owns one open lead, and one won deal that does not count
        self._create_leads(self.campaign, 1, user_id=self.sellers[1].id)
        won = self._create_leads(self.campaign, 1, user_id=self.sellers[1].id, type="opportunity")
        won.action_set_won()
        self.members[2:].write({"distribution_weight": 0.0})  # out of the game
        leads = self._create_leads(self.campaign, 8)
        run, _result = self.rule._run_distribution(leads, commit=True)
        self.assertEqual(self._counts(leads), {"mkt_s1": 7, "mkt_s2": 1})
        self.assertEqual(run.assigned_count, 8)
        self.assertEqual(run.unassigned_count, 0)

    def test_capacity_full_team_leaves_leads_unassigned(self):
        self.rule.method = "capacity"
        self.members.write({"max_open_leads": 1})
        leads = self._create_leads(self.campaign, 6)
        run, _result = self.rule._run_distribution(leads, commit=True)
        self.assertEqual(len(leads.filtered("user_id")), 4)
        self.assertEqual(run.unassigned_count, 2)

    def test_territory(self):
        moscow = self.env.ref("base.state_ru_mow")
        self.rule.write({"method": "territory", "fallback": "none"})
        self.members[0].write({"territory_cities": "Санкт-Петербург, Тверь"})
        self.members[1].write({"territory_state_ids": [Command.set(moscow.ids)]})
        self.members[2].write({"territory_country_ids": [Command.set(self.russia.ids)]})
        spb = self._create_leads(self.campaign, 1, city="санкт-петербург", country_id=self.russia.id)
        msk = self._create_leads(self.campaign, 1, city="Москва", state_id=moscow.id, country_id=self.russia.id)
        nsk = self._create_leads(self.campaign, 1, city="Новосибирск", country_id=self.russia.id)
        abroad = self._create_leads(self.campaign, 1, city="Алматы", country_id=self.env.ref("base.kz").id)
        run, _result = self.rule._run_distribution(commit=True)
        self.assertEqual(spb.user_id, self.sellers[0])
        self.assertEqual(msk.user_id, self.sellers[1])
        self.assertEqual(nsk.user_id, self.sellers[2])
        self.assertFalse(abroad.user_id)
        self.assertEqual(run.unassigned_count, 1)

    def test_product_interest(self):
        pumps, valves = self.env["crm.tag"].create([{"name": "Насосы"}, {"name": "Задвижки"}])
        self.rule.method = "product"
        self.members[0].interest_tag_ids = pumps
        self.members[3].interest_tag_ids = valves
        pump_leads = self._create_leads(self.campaign, 2, tag_ids=[Command.set(pumps.ids)])
        valve_leads = self._create_leads(self.campaign, 1, tag_ids=[Command.set(valves.ids)])
        self.rule._run_distribution(commit=True)
        self.assertEqual(pump_leads.user_id, self.sellers[0])
        self.assertEqual(valve_leads.user_id, self.sellers[3])

    def test_language(self):
        Lang = self.env["res.lang"].with_context(active_test=False)
        english, french = Lang.search([("code", "=", "en_US")]), Lang.search([("code", "=", "fr_FR")])
        self.rule.write({"method": "language", "fallback": "none"})
        self.members[1].language_ids = french
        self.members.filtered(lambda m: m != self.members[1]).write({"language_ids": [Command.set(english.ids)]})
        french_leads = self._create_leads(self.campaign, 2, lang_id=french.id)
        self.rule._run_distribution(commit=True)
        self.assertEqual(french_leads.user_id, self.sellers[1])

    def test_preview_writes_nothing(self):
        leads = self._create_leads(self.campaign, 5)
        wizard = self.env["crm.distribution.wizard"].with_user(self.sales_manager).create({"rule_id": self.rule.id})
        self.assertEqual(wizard.lead_count, 5)
        with patch.object(Lead, "write", autospec=True, side_effect=Lead.write) as lead_write:
            wizard.action_preview()
        self.assertFalse(lead_write.called)
        self.assertFalse(leads.user_id)
        run = wizard.preview_run_id
        self.assertEqual(run.mode, "preview")
        self.assertEqual(run.assigned_count, 5)
        self.assertEqual(sorted(run.line_ids.mapped("lead_count")), [1, 1, 1, 2])
        self.assertEqual(self.rule.rr_next_index, 0, "a preview does not move the round-robin position")

    def test_commit_writes_once_per_salesperson_and_logs(self):
        leads = self._create_leads(self.campaign, 40)
        wizard = self.env["crm.distribution.wizard"].with_user(self.sales_manager).create({"rule_id": self.rule.id})
        with patch.object(Lead, "write", autospec=True, side_effect=Lead.write) as lead_write:
            wizard.action_commit()
        self.assertEqual(lead_write.call_count, 4)
        self.assertEqual(len(leads.filtered("user_id")), 40)
        run = wizard.committed_run_id
        self.assertEqual(run.mode, "committed")
        self.assertEqual(run.lead_count, 40)
        self.assertEqual(set(run.line_ids.user_id), set(self.sellers))

    def test_marketing_user_cannot_commit(self):
        self._create_leads(self.campaign, 2)
        with self.assertRaises(AccessError):
            self.rule.with_user(self.marketer)._run_distribution(commit=True)
        run, _result = self.rule.with_user(self.marketer)._run_distribution(commit=False)
        self.assertEqual(run.mode, "preview")
