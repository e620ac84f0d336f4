from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestRpcGuards(CrmMarketingCommon):
    """Buttons reachable over ``/web/dataset/call_kw`` check who calls them before doing anything.

    Calls go through ``odoo.service.model.call_kw``, the function behind the
    JSON-RPC route: private helpers are refused there, public buttons refuse
    by themselves.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, login="mkt_employee", groups="base.group_user", name="Eve Employee")
        cls.campaign = cls._create_campaign("Весенняя рассылка", budget=1000.0)
        cls.rule = cls.env["crm.distribution.rule"].create({
            "name": "Заявки кампании",
            "method": "round_robin",
            "team_ids": [Command.set(cls.team.ids)],
            "lead_domain": f"[('campaign_id', '=', {cls.campaign.id}), ('user_id', '=', False)]",
        })
        cls.leads = cls._create_leads(cls.campaign, 4)
        cls.customer = cls.env["res.partner"].create({
            "name": "ООО Подписчик", "email": "news@podpischik.example.ru", "crm_consent_email": True})
        cls.segment = cls.env["crm.segment"].create({
            "name": "Подписчики", "domain": f"[('id', '=', {cls.customer.id})]"})

    def _call(self, records, user, method, *args):
        return call_kw(records.with_user(user).env[records._name], method, [records.ids, *args], {})

    def test_distribution_commit_needs_a_manager(self):
        wizard = self.env["crm.distribution.wizard"].with_user(self.sales_manager).create({"rule_id": self.rule.id})
        runs = self.env["crm.distribution.run"].search_count([])
        for user in (self.marketer, self.sellers[0], self.employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._call(wizard, user, "action_commit")
                with self.assertRaises(AccessError):
                    self._call(wizard, user, "action_preview")
        # the worker is private whoever calls, the manager included
        with self.assertRaises(AccessError):
            self._call(self.rule, self.sales_manager, "_run_distribution")
        with self.assertRaises(AccessError):
            self.rule.with_user(self.marketer)._run_distribution(commit=True)
        self.assertFalse(self.leads.user_id)
        self.assertEqual(self.env["crm.distribution.run"].search_count([]), runs)
        self.assertEqual(self.rule.rr_next_index, 0)
        self._call(wizard, self.sales_manager, "action_commit")
        self.assertEqual(len(self.leads.user_id), 4)

    def test_segment_sync_and_freeze_need_write_access(self):
        lists = self.env["mailing.list"].search_count([])
        for user in (self.sellers[0], self.employee):
            for method in ("action_sync_mailing_list", "action_freeze", "action_unfreeze"):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    self._call(self.segment, user, method)
        self.assertEqual(self.env["mailing.list"].search_count([]), lists)
        self.assertEqual((self.segment.mode, self.segment.mailing_list_id, self.segment.partner_ids),
                         ("dynamic", self.env["mailing.list"], self.env["res.partner"]))
        self._call(self.segment, self.marketer, "action_sync_mailing_list")
        self.assertEqual(self.segment.mailing_list_id.contact_ids.email, "news@podpischik.example.ru")

    def test_campaign_lifecycle_is_for_marketers(self):
        """Every employee may write Odoo's campaigns; starting or closing one is the marketers' call."""
        self.assertTrue(self.campaign.with_user(self.employee).has_access("write"))
        for method in ("action_plan_start", "action_plan_done", "action_plan_cancel", "action_plan_reset"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                self._call(self.campaign, self.employee, method)
        for method in ("action_view_campaign_costs", "action_view_audience"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                self._call(self.campaign, self.employee, method)
        self.assertEqual(self.campaign.plan_state, "planned")
        self.assertFalse(self.campaign.date_start)
        self._call(self.campaign, self.marketer, "action_plan_start")
        self.assertEqual(self.campaign.plan_state, "running")

    def test_campaign_cost_approval_is_for_marketing_managers(self):
        cost = self.env["crm.campaign.cost"].create({
            "campaign_id": self.campaign.id, "cost_type_id": self.cost_media.id, "amount": 100.0})
        cost.state = "to_approve"
        for user in (self.marketer, self.employee):
            for method in ("action_approve", "action_refuse"):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    self._call(cost, user, method)
        self.assertEqual(cost.state, "to_approve")
        # the campaign's budget policy is a private helper, whoever calls
        with self.assertRaises(AccessError):
            self._call(self.campaign, self.marketing_manager, "_apply_budget_policy", [cost.id])

    def test_lead_list_and_mailing_list_sync_refused_to_employees(self):
        wizard = self.env["crm.lead.list.wizard"].with_user(self.marketer).create({
            "segment_id": self.segment.id, "campaign_id": self.campaign.id, "channel": "none"})
        leads = self.env["crm.lead"].search_count([])
        with self.assertRaises(AccessError):
            self._call(wizard, self.employee, "action_generate")
        self.assertEqual(self.env["crm.lead"].search_count([]), leads)
        mailing_list = self.env["mailing.list"].create({"name": "Подписчики"})
        self.segment.mailing_list_id = mailing_list
        with self.assertRaises(AccessError):
            self._call(mailing_list, self.employee, "action_sync_crm_segments")
        self.assertFalse(mailing_list.contact_ids)
