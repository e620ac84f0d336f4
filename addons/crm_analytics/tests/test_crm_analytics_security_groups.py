from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmAnalyticsSecurityGroups(TransactionCase):
    def test_sales_managers_read_the_reports(self):
        viewer = self.env.ref("crm_analytics.group_crm_analytics_viewer")
        self.assertIn(viewer, self.env.ref("sales_team.group_sale_manager").all_implied_ids)
        salesman = self.env["res.users"].create({
            "name": "Sam Seller",
            "login": "sam.seller@example.com",
            "group_ids": [(6, 0, [self.env.ref("sales_team.group_sale_salesman").id])],
        })
        self.assertFalse(salesman.has_group("crm_analytics.group_crm_analytics_viewer"))
