from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from .common import CrmMrpCommon


@tagged("post_install", "-at_install")
class TestRpcGuards(CrmMrpCommon):
    """Production proposals are made as superuser from the deal's own lines: only the deal's
    writers trigger them, and the sync itself is not reachable over ``/web/dataset/call_kw``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, login="crm_mrp_employee", groups="base.group_user")
        cls.planner = new_test_user(cls.env, login="crm_mrp_planner",
                                    groups="sales_team.group_sale_salesman_all_leads,mrp.group_mrp_user")

    def test_proposals_not_triggered_by_outsiders(self):
        deal = self._create_deal(50, [(self.product_cabinet, 4)])
        self.assertFalse(self._proposals(deal))
        with self.assertRaises(AccessError):
            call_kw(self.env["crm.lead"].with_user(self.employee), "write", [deal.ids, {"probability": 90}], {})
        for user in (self.employee, self.user_salesman):
            for method in ("_sync_production_proposals", "_crm_deal_lines_changed"):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    call_kw(self.env["crm.lead"].with_user(user), method, [deal.ids], {})
        self.assertFalse(self._proposals(deal))
        self.assertEqual(deal.probability, 50)

    def test_productions_button_needs_read_access(self):
        deal = self._create_deal(80, [(self.product_cabinet, 4)])
        with self.assertRaises(AccessError):
            call_kw(self.env["crm.lead"].with_user(self.employee), "action_view_crm_productions", [deal.ids], {})
        action = call_kw(self.env["crm.lead"].with_user(self.planner), "action_view_crm_productions", [deal.ids], {})
        self.assertEqual(action["domain"], [("crm_lead_id", "=", deal.id)])
