from odoo.addons.crm_core.tests.common_settings import CrmSettingsCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCrmAnalyticsSettings(CrmSettingsCase):
    """The classifier reads its periods, thresholds and RFM source through the one settings reader."""

    def test_classifier_settings(self):
        classifier = self.env["crm.analytics.classifier"]
        cases = [
            ("abc_months", 12, "6", 6, "half a year"),
            ("abc_a", 80.0, "70.5", 70.5, "80%"),
            ("abc_b", 15.0, "10", 10.0, "x"),
            ("xyz_x", 10.0, "12.5", 12.5, "10,5"),
            ("xyz_y", 25.0, "30", 30.0, "none"),
            ("rfm_months", 24, "36", 36, "2y"),
            ("rfm_source", "invoice", "order", "order", "payments"),
        ]
        for key, default, stored, expected, garbage in cases:
            with self.subTest(key=key):
                self.assertSettingRead(
                    f"crm_analytics_{key}", lambda key=key: classifier._get_setting(key),
                    default=default, stored=stored, expected=expected, garbage=garbage)

    def test_abc_period_falls_back_to_twelve_months(self):
        self._store("crm_analytics_abc_months", "twelve")
        with self.assertLogs("odoo.addons.crm_core.models.res_config_settings", "WARNING"):
            date_from, date_to, months = self.env["crm.analytics.classifier"]._get_abc_period()
        self.assertEqual(months, 12)
        self.assertEqual((date_to.year - date_from.year) * 12 + date_to.month - date_from.month, 12)
