from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCrmCoreConstraints(TransactionCase):
    """Amounts, durations and thresholds refuse impossible values in the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "ООО Ромашка", "is_company": True})

    def _records(self):
        return {
            "interaction": self.env["crm.interaction"].create({"name": "Звонок", "partner_id": self.partner.id}),
            "wizard": self.env["crm.interaction.log.wizard"].create({"partner_id": self.partner.id}),
            "import": self.env["crm.import.job"].create({"file": "YQ==", "filename": "a.csv"}),
            "plan": self.env["crm.sales.plan"].create({
                "name": "Q1", "date_from": "2030-01-01", "date_to": "2030-03-31"}),
        }

    def test_impossible_values_are_refused(self):
        records = self._records()
        cases = [
            ("interaction", {"duration": -0.5}),
            ("wizard", {"duration": -1}),
            ("import", {"header_row": -1}),
            ("plan", {"date_from": "2030-04-01"}),
        ]
        for key, values in cases:
            with self.subTest(record=key, values=values), mute_logger("odoo.sql_db"), \
                    self.assertRaises(IntegrityError), self.env.cr.savepoint():
                records[key].write(values)
                records[key].flush_recordset()

    def test_possible_values_are_kept(self):
        records = self._records()
        records["interaction"].duration = 0.25
        records["import"].header_row = 0
        self.env.flush_all()
        self.assertEqual(records["interaction"].duration, 0.25)
