from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServiceConstraints(CrmServiceCommon):
    """Service agreements, SLA policies, escalation rules and reverse-pricing
    requests refuse impossible values."""

    def test_impossible_values_are_refused(self):
        policy = self.env["crm.service.sla.policy"].create({"name": "Стандарт"})
        rule = self.env["crm.service.escalation.rule"].create({"name": "Эскалация"})
        lead = self.env["crm.lead"].create({"name": "Запрос цены"})
        cases = [
            (self.agreement, {"renewal_reminder_days": -1}),
            (self.agreement, {"hours_included": -5}),
            (self.agreement, {"date_start": "2030-05-01", "date_end": "2030-04-01"}),
            (policy, {"resolve_hours": 0}),
            (policy, {"at_risk_percent": 120}),
            (rule, {"threshold_percent": 0}),
            (lead, {"crm_target_price": -1}),
            (lead, {"crm_target_quantity": -3}),
        ]
        for record, values in cases:
            with self.subTest(model=record._name, values=values), mute_logger("odoo.sql_db"), \
                    self.assertRaises(IntegrityError), self.env.cr.savepoint():
                record.write(values)
                record.flush_recordset()
        lead.write({"crm_target_price": 0, "crm_target_quantity": 2})
        self.assertEqual(lead.crm_target_quantity, 2)
