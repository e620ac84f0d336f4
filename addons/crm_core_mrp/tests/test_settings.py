from odoo.addons.crm_core.tests.common_settings import CrmSettingsCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCrmCoreMrpSettings(CrmSettingsCase):

    def test_production_proposal_probability(self):
        self.assertSettingRead(
            "crm_production_proposal_probability", self.env["crm.lead"]._get_production_proposal_probability,
            default=70, stored="40", expected=40, garbage="high")
