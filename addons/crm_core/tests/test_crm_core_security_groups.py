from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmCoreSecurityGroups(TransactionCase):
    """The sales roles form one ladder: own documents < own team < all < manager."""

    def test_team_level_sits_between_own_and_all_documents(self):
        own = self.env.ref("sales_team.group_sale_salesman")
        team = self.env.ref("crm_core.group_crm_salesman_team")
        everything = self.env.ref("sales_team.group_sale_salesman_all_leads")
        manager = self.env.ref("sales_team.group_sale_manager")
        self.assertIn(own, team.implied_ids)
        self.assertIn(team, everything.implied_ids)
        self.assertIn(team, manager.all_implied_ids)
        self.assertEqual(team.privilege_id, own.privilege_id, "the team level belongs to Odoo's Sales privilege")

    def test_data_operator_is_an_internal_user_without_sales_rights(self):
        operator_group = self.env.ref("crm_core.group_crm_data_operator")
        user = self.env["res.users"].create({
            "name": "Olga Operator",
            "login": "olga.operator@example.com",
            "group_ids": [(6, 0, [operator_group.id])],
        })
        self.assertTrue(user.has_group("base.group_user"))
        self.assertTrue(user.has_group("base.group_partner_manager"))
        self.assertFalse(user.has_group("sales_team.group_sale_salesman"))
