from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmAnalyticsConstraints(TransactionCase):
    """The classifier's periods and thresholds must make sense before they are saved."""

    def test_impossible_thresholds_are_refused(self):
        cases = [
            {"crm_analytics_abc_months": 0},
            {"crm_analytics_rfm_months": -1},
            {"crm_analytics_abc_a": 0},
            {"crm_analytics_abc_a": 90, "crm_analytics_abc_b": 15},
            {"crm_analytics_xyz_x": 30, "crm_analytics_xyz_y": 25},
            {"crm_analytics_xyz_x": -5},
        ]
        for values in cases:
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create(values)

    def test_sensible_thresholds_are_saved(self):
        settings = self.env["res.config.settings"].create({
            "crm_analytics_abc_a": 70, "crm_analytics_abc_b": 20,
            "crm_analytics_xyz_x": 15, "crm_analytics_xyz_y": 30,
        })
        settings.execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("crm_analytics.abc_a"), "70.0")
