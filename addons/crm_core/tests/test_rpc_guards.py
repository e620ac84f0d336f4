from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRpcGuards(TransactionCase):
    """Buttons of deals, sales plans and the log wizard refuse callers who may not do what they do,
    whatever ids they send to ``/web/dataset/call_kw``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.employee = new_test_user(cls.env, login="rpc_employee", groups="base.group_user")
        cls.seller = new_test_user(cls.env, login="rpc_seller", groups="sales_team.group_sale_salesman")
        cls.customer = cls.env["res.partner"].create({"name": "ООО Гарант", "is_company": True})
        cls.deal = cls.env["crm.lead"].create({
            "name": "Поставка станков", "type": "opportunity", "partner_id": cls.customer.id,
            "user_id": cls.seller.id})
        cls.plan = cls.env["crm.sales.plan"].create({
            "name": "I квартал 2030", "date_from": "2030-01-01", "date_to": "2030-03-31",
            "line_ids": [Command.create({"user_id": cls.seller.id, "target_count": 4})],
        })

    def _call(self, records, user, method, *args):
        return call_kw(self.env(user=user)[records._name], method, [records.ids, *args], {})

    def test_deal_buttons_refused_to_employees_without_sales_rights(self):
        orders = self.env["sale.order"].search_count([])
        for method in ("action_crm_log_interaction", "action_crm_view_interactions", "action_create_quotation",
                       "action_create_deal_invoice", "action_view_deal_invoices", "action_view_deal_payments"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                self._call(self.deal, self.employee, method)
        self.assertEqual(self.env["sale.order"].search_count([]), orders)
        action = self._call(self.deal, self.seller, "action_view_deal_payments")
        self.assertEqual(action["res_model"], "account.payment")

    def test_sales_plan_states_need_write_access(self):
        for user in (self.employee, self.seller):
            for method in ("action_confirm", "action_close", "action_reset_to_draft"):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    self._call(self.plan, user, method)
        with self.assertRaises(AccessError):
            self._call(self.plan, self.employee, "action_view_lines")
        self.assertEqual(self.plan.state, "draft")
        self.assertEqual(self._call(self.plan, self.seller, "action_view_lines")["domain"],
                         [("plan_id", "=", self.plan.id)])

    @freeze_time("2030-02-15 10:00:00")  # inside the plan's period: its targets are running
    def test_pipeline_progress_shows_only_readable_targets(self):
        self.plan.action_confirm()
        self.assertEqual(call_kw(self.env(user=self.employee)["crm.sales.plan.line"], "get_pipeline_progress",
                                 [], {}), [])

    def test_log_wizard_refused_to_employees_without_sales_rights(self):
        status = self.env["crm.interaction.status"].create({"name": "Дозвонились"})
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.seller).create({
            "partner_id": self.customer.id, "lead_id": self.deal.id, "status_id": status.id})
        interactions = self.env["crm.interaction"].search_count([])
        activities = self.env["mail.activity"].with_context(active_test=False).search_count([])
        with self.assertRaises(AccessError):
            call_kw(self.env(user=self.employee)["crm.interaction.log.wizard"], "action_log", [wizard.ids], {})
        self.assertEqual(self.env["crm.interaction"].search_count([]), interactions)
        self.assertEqual(self.env["mail.activity"].with_context(active_test=False).search_count([]), activities)

    def test_timeline_action_refused_to_users_who_cannot_read_the_customer(self):
        portal = new_test_user(self.env, login="rpc_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self._call(self.customer, portal, "action_crm_open_timeline")
        action = self._call(self.customer, self.seller, "action_crm_open_timeline")
        self.assertEqual((action["type"], action["tag"]), ("ir.actions.client", "crm_core.partner_timeline"))
        self.assertEqual(action["params"], {"partner_id": self.customer.id})
