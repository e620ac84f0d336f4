from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmMarketingSecurityGroups(TransactionCase):
    def test_marketing_user_can_use_campaigns_and_mailings(self):
        user = self.env["res.users"].create({
            "name": "Mark Marketer",
            "login": "mark.marketer@example.com",
            "group_ids": [(6, 0, [self.env.ref("crm_marketing.group_crm_marketing_user").id])],
        })
        self.assertTrue(user.has_group("mass_mailing.group_mass_mailing_user"))
        self.assertFalse(user.has_group("crm_marketing.group_crm_marketing_manager"))
        self.assertTrue(self.env["utm.campaign"].with_user(user).has_access("create"))
