from unittest.mock import patch

from lxml import etree

from odoo.addons.crm.models.crm_lead import CrmLead as Lead
from odoo.addons.crm_core.tests.common_migration import load_migration
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

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
        self.members[0].write({"crm_absent_from": "2026-03-09", "crm_absent_to": "2026-03-12"})
        self.members[1].write({"crm_absent_from": "2026-03-01", "crm_absent_to": "2026-03-05"})  # back already
        leads = self._create_leads(self.campaign, 6)
        self.rule._run_distribution(commit=True)
        self.assertNotIn("mkt_s1", self._counts(leads))
        self.assertEqual(self._counts(leads), {"mkt_s2": 2, "mkt_s3": 2, "mkt_s4": 2})

    @freeze_time("2026-03-10 09:00:00")
    def test_capacity_weights_and_odoo_assignment_max(self):
        """Capacity is Odoo's assignment_max over Odoo's 30-day count (lead_month_count)."""
        self.rule.method = "capacity"
        self.members[0].write({"crm_distribution_weight": 3.0})
        self.members[1].write({"assignment_max": 2})
        # s2 was given a deal this month (won since: it still counts, as in Odoo's "Leads (30 days)")
        # and a lead 40 days ago (out of the 30 days: it does not)
        won = self._create_leads(self.campaign, 1, user_id=self.sellers[1].id, team_id=self.team.id,
                                 type="opportunity")
        won.action_set_won()
        old = self._create_leads(self.campaign, 1, user_id=self.sellers[1].id, team_id=self.team.id)
        old.date_open = "2026-01-29 09:00:00"
        self.assertEqual(self.members[1].lead_month_count, 1)
        self.members[2:].write({"assignment_optout": True})  # Odoo's pause: out of the game
        leads = self._create_leads(self.campaign, 8)
        run, _result = self.rule._run_distribution(leads, commit=True)
        self.assertEqual(self._counts(leads), {"mkt_s1": 7, "mkt_s2": 1})
        self.assertEqual(run.assigned_count, 8)
        self.assertEqual(run.unassigned_count, 0)
        self.env.invalidate_all()
        self.assertEqual(self.members[1].lead_month_count, self.members[1].assignment_max,
                         "Odoo shows the member full, as the distribution left them")

    def test_capacity_full_team_leaves_leads_unassigned(self):
        self.rule.method = "capacity"
        self.members.write({"assignment_max": 1})
        leads = self._create_leads(self.campaign, 6)
        run, _result = self.rule._run_distribution(leads, commit=True)
        self.assertEqual(len(leads.filtered("user_id")), 4)
        self.assertEqual(run.unassigned_count, 2)
        self.assertEqual(self.members.mapped("lead_month_count"), [1, 1, 1, 1])

    def test_zero_capacity_and_optout_take_no_lead(self):
        """Odoo's assignment_max = 0 and assignment_optout keep a member out of every method."""
        self.members[0].assignment_max = 0
        self.members[1].assignment_optout = True
        self.members[2:].write({"crm_territory_country_ids": [Command.set(self.russia.ids)]})
        for method, fallback in (("round_robin", "none"), ("capacity", "none"), ("territory", "round_robin")):
            with self.subTest(method=method):
                self.rule.write({"method": method, "fallback": fallback})
                leads = self._create_leads(self.campaign, 6, country_id=self.russia.id)
                run, _result = self.rule._run_distribution(leads, commit=False)
                self.assertEqual(run.line_ids.user_id, self.sellers[2:])
                self.assertEqual(run.assigned_count, 6)
                leads.unlink()

    def test_member_assignment_domain_honoured(self):
        """A member with Odoo's assignment_domain gets only the leads matching it, whatever the method."""
        kazakhstan = self.env.ref("base.kz")
        self.members[0].assignment_domain = str([("country_id", "=", kazakhstan.id)])
        self.members[1].assignment_domain = str([("country_id", "=", self.russia.id)])
        self.members[2:].write({"assignment_optout": True})
        self.members[1].crm_language_ids = self.members[0].crm_language_ids = self.env["res.lang"].with_context(
            active_test=False).search([("code", "=", "en_US")])
        for method in ("round_robin", "capacity", "language"):
            with self.subTest(method=method):
                self.rule.write({"method": method, "fallback": "none"})
                english = self.env.ref("base.lang_en").id
                kz = self._create_leads(self.campaign, 3, country_id=kazakhstan.id, lang_id=english)
                ru = self._create_leads(self.campaign, 2, country_id=self.russia.id, lang_id=english)
                nowhere = self._create_leads(self.campaign, 1, lang_id=english)
                self.rule._run_distribution(commit=True)
                self.assertEqual(kz.user_id, self.sellers[0])
                self.assertEqual(ru.user_id, self.sellers[1])
                self.assertFalse(nowhere.user_id, "no member's filter takes it")
                (kz | ru | nowhere).unlink()

    def test_invalid_member_assignment_domain_refused(self):
        before = self.members[0].assignment_domain
        with self.assertRaises(ValidationError):
            self.members[0].assignment_domain = "[('no_such_field', '=', 1)]"
        self.assertEqual(self.members[0].assignment_domain, before)

    @freeze_time("2026-03-10 09:00:00")
    def test_odoo_assignment_and_ours_agree_on_capacity(self):
        """Leads Odoo's assignment gives count against our capacity, and ours against Odoo's."""
        member = self.members[0]
        member.assignment_max = 60  # Odoo's daily quota: 60 / 30 = 2
        self.members[1:].write({"assignment_optout": True})  # skipped by Odoo's assignment and by ours
        odoo_leads = self._create_leads(self.campaign, 3, team_id=self.team.id)
        self.team._assign_and_convert_leads(force_quota=True)
        self.assertEqual(len(odoo_leads.filtered("user_id")), 2)
        self.assertEqual(odoo_leads.user_id, self.sellers[0])
        self.assertEqual(member.lead_month_count, 2)
        # capacity lowered to 3: our distribution gives one more lead, and no one else gets any
        member.assignment_max = 3
        ours = self._create_leads(self.campaign, 4)
        run, _result = self.rule._run_distribution(ours, commit=True)
        self.assertEqual(self._counts(ours), {"mkt_s1": 1, False: 3})
        self.assertEqual(run.unassigned_count, 3)
        self.env.invalidate_all()
        self.assertEqual((member.lead_month_count, member.lead_day_count), (3, 3),
                         "Odoo counts the lead our distribution gave")
        # and Odoo's own assignment, sharing that count, now has no daily quota left for the member
        self.assertLessEqual(member._get_assignment_quota(), 0)

    def test_one_member_form_with_odoo_assignment_and_ours(self):
        """Capacity, pause and filter are Odoo's fields; ours sit beside them on Odoo's own form."""
        form_views = self.env["ir.ui.view"].search([("model", "=", "crm.team.member"), ("type", "=", "form")])
        self.assertFalse(form_views.filtered(lambda view: view.mode == "primary" and view.xml_id.startswith(
            "crm_marketing.")), "no second member form")
        self.assertNotIn("max_open_leads", self.env["crm.team.member"]._fields)
        with Form(self.members[0].with_user(self.sales_manager)) as form:
            form.assignment_max = 12
            form.assignment_domain = str([("country_id", "=", self.russia.id)])
            form.crm_absent_from = "2026-03-09"
            form.crm_absent_to = "2026-03-12"
            form.crm_territory_cities = "Тверь"
        self.assertEqual(self.members[0].assignment_max, 12)
        self.assertEqual(self.members[0].crm_territory_cities, "Тверь")
        arch = etree.fromstring(self.env["crm.team.member"].get_view(view_type="form")["arch"])
        page = arch.xpath("//page[@name='lead_assign']")[0]
        for name in ("assignment_max", "assignment_optout", "assignment_domain", "crm_distribution_weight",
                     "crm_absent_from", "crm_territory_country_ids", "crm_interest_tag_ids", "crm_language_ids"):
            self.assertTrue(page.xpath(f".//field[@name='{name}']"), name)
        domain_field = page.xpath(".//field[@name='assignment_domain']")[0]
        self.assertNotIn("assignment_enabled", domain_field.get("invisible"),
                         "shown even when Odoo's rule-based assignment is off: the rules honour it")

    def test_migration_copies_max_open_leads_into_assignment_max(self):
        migration = load_migration("crm_marketing", "19.0.1.1.0", "post-assignment")
        self.assertEqual(migration.copy_max_open_leads(self.env.cr), 0, "nothing to do without the column")
        self.members.write({"assignment_max": 30})
        self.env.flush_all()
        # the column of the previous version, rolled back with the test
        self.env.cr.execute("ALTER TABLE crm_team_member ADD COLUMN max_open_leads integer DEFAULT 0")
        self.env.cr.execute("UPDATE crm_team_member SET max_open_leads = 5 WHERE id = %s", [self.members[0].id])
        self.env.cr.execute("UPDATE crm_team_member SET max_open_leads = 30 WHERE id = %s", [self.members[1].id])
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.members.mapped("assignment_max"), [5, 30, 30, 30],
                         "set values copied; 0 (no limit) keeps Odoo's capacity")

    def test_territory(self):
        moscow = self.env.ref("base.state_ru_mow")
        self.rule.write({"method": "territory", "fallback": "none"})
        self.members[0].write({"crm_territory_cities": "Санкт-Петербург, Тверь"})
        self.members[1].write({"crm_territory_state_ids": [Command.set(moscow.ids)]})
        self.members[2].write({"crm_territory_country_ids": [Command.set(self.russia.ids)]})
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
        self.members[0].crm_interest_tag_ids = pumps
        self.members[3].crm_interest_tag_ids = valves
        pump_leads = self._create_leads(self.campaign, 2, tag_ids=[Command.set(pumps.ids)])
        valve_leads = self._create_leads(self.campaign, 1, tag_ids=[Command.set(valves.ids)])
        self.rule._run_distribution(commit=True)
        self.assertEqual(pump_leads.user_id, self.sellers[0])
        self.assertEqual(valve_leads.user_id, self.sellers[3])

    def test_language(self):
        Lang = self.env["res.lang"].with_context(active_test=False)
        english, french = Lang.search([("code", "=", "en_US")]), Lang.search([("code", "=", "fr_FR")])
        self.rule.write({"method": "language", "fallback": "none"})
        self.members[1].crm_language_ids = french
        self.members.filtered(lambda m: m != self.members[1]).write({"crm_language_ids": [Command.set(english.ids)]})
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
