from odoo.tests import TransactionCase, tagged
from odoo.tools.sql import column_exists

from .common_migration import load_migration


def _load_migration():
    return load_migration("crm_core", "19.0.1.1.0", "post-next-step")


@tagged("post_install", "-at_install")
class TestInteractionNextStepMigration(TransactionCase):
    """19.0.1.1.0: a status's stored next step becomes the chain of the activity type it completes."""

    def test_old_next_steps_become_activity_type_chains(self):
        migration = _load_migration()
        Status = self.env["crm.interaction.status"]
        custom = Status.create({"name": "Перезвонить в пятницу", "interaction_type": "call"})
        untouched = Status.create({"name": "Без следующего шага"})
        shipped = self.env.ref("crm_core.crm_interaction_status_call_no_answer")
        shipped.activity_type_id = False
        call = self.env.ref("mail.mail_activity_data_call")
        in_five_days = Status.create({"name": "Напомнить через 5 дней", "interaction_type": "call"})
        # the state of a database before the upgrade: the next step stored on the status
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE crm_interaction_status ADD COLUMN next_activity_type_id integer,"
                            " ADD COLUMN next_delay_days integer")
        self.env.cr.execute("UPDATE crm_interaction_status SET next_activity_type_id = %s, next_delay_days = %s"
                            " WHERE id IN %s", [call.id, call.delay_count, (custom.id, shipped.id)])
        self.env.cr.execute("UPDATE crm_interaction_status SET next_activity_type_id = %s, next_delay_days = 5"
                            " WHERE id = %s", [call.id, in_five_days.id])

        migration.migrate_next_steps(self.env)

        self.assertEqual(shipped.activity_type_id, self.env.ref("crm_core.mail_activity_type_call_no_answer"))
        self.assertEqual(custom.activity_type_id.name, "Перезвонить в пятницу")
        self.assertEqual(custom.activity_type_id.chaining_type, "trigger")
        self.assertEqual(custom.activity_type_id.triggered_next_type_id, call)
        self.assertEqual(custom.triggered_next_type_id, call)
        self.assertFalse(untouched.activity_type_id)
        # its own delay is kept: the call it triggers is planned 5 days after the outcome, as before
        next_type = in_five_days.activity_type_id.triggered_next_type_id
        self.assertNotEqual(next_type, call)
        self.assertEqual((next_type.category, next_type.delay_count, next_type.delay_unit, next_type.delay_from),
                         (call.category, 5, "days", "current_date"))
        # run twice (a second upgrade): nothing more is created
        types = self.env["mail.activity.type"].search_count([])
        migration.migrate_next_steps(self.env)
        self.assertEqual(self.env["mail.activity.type"].search_count([]), types)

    def test_nothing_to_do_on_a_new_database(self):
        self.assertFalse(column_exists(self.env.cr, "crm_interaction_status", "next_activity_type_id"))
        types = self.env["mail.activity.type"].search_count([])
        _load_migration().migrate_next_steps(self.env)
        self.assertEqual(self.env["mail.activity.type"].search_count([]), types)
