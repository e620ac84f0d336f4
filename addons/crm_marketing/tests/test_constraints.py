from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCrmMarketingConstraints(TransactionCase):
    """Campaign expectations, budgets, costs and periods refuse impossible values."""

    def test_impossible_values_are_refused(self):
        campaign = self.env["utm.campaign"].create({"name": "Весна"})
        cost_type = self.env["crm.campaign.cost.type"].create({"name": "Баннеры"})
        cases = [
            (campaign, {"expected_leads": -1}),
            (campaign, {"expected_revenue": -100}),
            (campaign, {"date_start": "2030-05-01", "date_end": "2030-04-01"}),
            (self.env["crm.campaign.cost"].create({
                "campaign_id": campaign.id, "cost_type_id": cost_type.id, "amount": 10}), {"amount": -10}),
        ]
        for record, values in cases:
            with self.subTest(model=record._name, values=values), mute_logger("odoo.sql_db"), \
                    self.assertRaises(IntegrityError), self.env.cr.savepoint():
                record.write(values)
                record.flush_recordset()
        campaign.write({"expected_leads": 0, "expected_revenue": 0})
        self.assertEqual(campaign.expected_leads, 0)
