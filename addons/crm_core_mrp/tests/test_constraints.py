from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmCoreMrpConstraints(TransactionCase):

    def test_proposal_probability_is_a_percentage(self):
        for value in (-1, 101):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create({"crm_production_proposal_probability": value})
        self.env["res.config.settings"].create({"crm_production_proposal_probability": 100}).execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("crm_core_mrp.production_proposal_probability"), "100")
