from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmServiceSecurityGroups(TransactionCase):
    def test_service_manager_implies_agent_and_admin_is_manager(self):
        agent = self.env.ref("crm_service.group_crm_service_agent")
        manager = self.env.ref("crm_service.group_crm_service_manager")
        self.assertIn(agent, manager.implied_ids)
        self.assertTrue(self.env.ref("base.user_admin").has_group("crm_service.group_crm_service_manager"))

    def test_service_app_menu_is_reserved_to_agents(self):
        menu = self.env.ref("crm_service.menu_crm_service_root")
        self.assertEqual(menu.group_ids, self.env.ref("crm_service.group_crm_service_agent"))
