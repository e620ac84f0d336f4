from odoo.addons.crm_core.tests.common_settings import CrmSettingsCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCrmMarketingSettings(CrmSettingsCase):

    def test_budget_policy(self):
        self.assertSettingRead(
            "crm_marketing_budget_policy", self.env["utm.campaign"]._get_budget_policy,
            default="block", stored="approval", expected="approval", garbage="warn")
