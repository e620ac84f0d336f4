from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAttackAssignment(HttpCase):
    """The distribution rules give leads by Odoo's assignment fields of the team members: a salesman
    cannot raise their own capacity or opt out over JSON-RPC, and a manager's malformed values are
    refused with a ValidationError (never a server error when the distribution later reads them)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, login="host_dist_sm", groups="sales_team.group_sale_salesman")
        new_test_user(cls.env, login="host_dist_mgr", groups="sales_team.group_sale_manager")
        cls.team = cls.env["crm.team"].create({"name": "host Команда"})
        cls.member = cls.env["crm.team.member"].create({
            "crm_team_id": cls.team.id, "user_id": cls.salesman.id, "assignment_max": 30})

    def _call(self, method, args):
        response = self.opener.post(f"{self.base_url()}/web/dataset/call_kw/crm.team.member/{method}", json={
            "id": 0, "jsonrpc": "2.0", "method": "call",
            "params": {"model": "crm.team.member", "method": method, "args": args, "kwargs": {}}})
        return response.json().get("error", {}).get("data", {}).get("name")

    def _state(self):
        self.env.invalidate_all()
        return self.member.read(["assignment_max", "assignment_optout", "assignment_domain", "crm_distribution_weight",
                                 "crm_absent_from", "crm_absent_to"])

    def test_salesman_cannot_change_their_own_assignment(self):
        before = self._state()
        self.authenticate("host_dist_sm", "host_dist_sm")
        for values in ({"assignment_max": 10**6}, {"assignment_optout": True}, {"crm_distribution_weight": 100},
                       {"assignment_domain": "[]"}):
            with self.subTest(values=values), mute_logger("odoo.http"):
                self.assertEqual(self._call("write", [self.member.ids, values]), "odoo.exceptions.AccessError")
        self.assertEqual(self._state(), before)

    def test_malformed_assignment_values_are_refused(self):
        before = self._state()
        self.authenticate("host_dist_mgr", "host_dist_mgr")
        for values in ({"assignment_domain": "[('no_such_field', '=', 1)]"}, {"assignment_domain": "__import__('os')"},
                       {"assignment_domain": "[" * 500}, {"crm_distribution_weight": -1},
                       {"crm_absent_from": "2025-02-10", "crm_absent_to": "2025-02-01"}):
            with self.subTest(values=values), mute_logger("odoo.http", "odoo.sql_db"):
                self.assertEqual(self._call("write", [self.member.ids, values]), "odoo.exceptions.ValidationError")
        self.assertEqual(self._state(), before)
