from contextlib import contextmanager
from unittest.mock import patch

from odoo import fields
from odoo.addons.base.models.ir_cron import IrCron
from odoo.tests import TransactionCase, freeze_time, tagged

from .common_migration import load_migration
from .common_pipeline import CrmPipelineCommon


@tagged("post_install", "-at_install")
class TestPipelineRottingDeals(CrmPipelineCommon):
    """Odoo's rotting deals, where any touch restarts the clock, and their reminders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref("crm_core.mail_activity_type_rotting_deal")
        # stage_new: rotting after 5 days; the deals' clock starts on 2030-01-10
        cls.deal_anna = cls._create_deal("Поставка стульев", cls.user_anna)
        cls.deal_boris = cls._create_deal("Поставка столов", cls.user_boris)
        cls.deal_unassigned = cls._create_deal("Без продавца", cls.user_anna)
        cls.deal_unassigned.user_id = False
        cls.deals = cls.deal_anna | cls.deal_boris | cls.deal_unassigned
        cls.deals.date_last_stage_update = "2030-01-10 09:00:00"

    @contextmanager
    def _at(self, moment):
        """Odoo's rotting reads the transaction's clock (``cr.now()``): freeze it with the rest."""
        moment = fields.Datetime.to_datetime(moment)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            self.env["crm.lead"].invalidate_model(["is_rotting", "rotting_days"])
            yield

    def _rotting(self):
        return self.env["crm.lead"].search([("id", "in", self.deals.ids), ("is_rotting", "=", True)])

    def _run_cron(self):
        with patch.object(IrCron, "_commit_progress", return_value=float("inf")):
            self.env["crm.lead"]._cron_remind_rotting_deals()

    def _reminders(self, deals):
        return self.env["mail.activity"].search([
            ("res_model", "=", "crm.lead"),
            ("res_id", "in", deals.ids),
            ("activity_type_id", "=", self.reminder_type.id),
        ])

    def test_one_concept_odoo_rotting(self):
        """No second "idle" flag beside Odoo's rotting: its fields, filter and badge are the only ones."""
        Lead = self.env["crm.lead"]
        for name in ("is_idle", "idle_days", "date_last_touch"):
            self.assertNotIn(name, Lead._fields)
        search_arch = Lead.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="filter_rotting"', search_arch)
        self.assertNotIn("filter_idle", search_arch)
        self.assertNotIn("idle_limit", self.env["crm.stage"]._fields)

    def test_rotting_after_the_stage_limit(self):
        with self._at("2030-01-14 10:00:00"):
            self.assertFalse(self.deal_anna.is_rotting)
            self.assertEqual(self.deal_anna.rotting_days, 0)
            self.assertFalse(self._rotting())
        with self._at("2030-01-16 10:00:00"):
            self.assertTrue(self.deal_anna.is_rotting)
            self.assertEqual(self.deal_anna.rotting_days, 6)
            self.assertEqual(self._rotting(), self.deals)
            self.assertFalse(self.deals & self.env["crm.lead"].search([("is_rotting", "=", False)]))

    def test_a_note_or_an_interaction_restarts_the_clock(self):
        with self._at("2030-01-13 10:00:00"):
            self.deal_anna.message_post(body="Клиент просит перезвонить", message_type="comment")
            self.env["crm.interaction"].create({
                "name": "Звонок закупщику",
                "interaction_type": "call",
                "lead_id": self.deal_boris.id,
                "partner_id": self.customer.id,
                "user_id": self.user_boris.id,
            })
        with self._at("2030-01-16 10:00:00"):
            self.assertFalse(self.deal_anna.is_rotting, "the note on 13 January counts")
            self.assertFalse(self.deal_boris.is_rotting, "the call on 13 January counts")
            self.assertTrue(self.deal_unassigned.is_rotting, "untouched since 10 January")
            self.assertEqual(self._rotting(), self.deal_unassigned)
            self.assertEqual(self.env["crm.lead"].search([("id", "in", self.deals.ids), ("is_rotting", "=", False)]),
                             self.deal_anna | self.deal_boris)
        with self._at("2030-01-19 10:00:00"):
            self.assertTrue(self.deal_anna.is_rotting)
            self.assertEqual(self.deal_anna.rotting_days, 6, "counted from the note, not from the stage change")
            self.assertEqual(self._rotting(), self.deals)

    def test_a_tracked_change_is_no_touch(self):
        with self._at("2030-01-13 10:00:00"):
            self.deal_anna.expected_revenue = 1000  # tracked: a notification, not a note
            self.env.flush_all()
        with self._at("2030-01-16 10:00:00"):
            self.assertTrue(self.deal_anna.is_rotting)
            self.assertEqual(self.deal_anna.rotting_days, 6)

    def test_won_deals_and_stages_without_limit_never_rot(self):
        self.deal_boris.stage_id = self.stage_won
        stage_no_limit = self.env["crm.stage"].create({"name": "Без лимита", "sequence": 5})
        self.deal_unassigned.stage_id = stage_no_limit
        self.deals.date_last_stage_update = "2030-01-10 09:00:00"
        with self._at("2030-03-01 10:00:00"):
            self.assertEqual(self.deals.filtered("is_rotting"), self.deal_anna)
            self.assertEqual(self._rotting(), self.deal_anna)

    def test_cron_gives_one_reminder_per_rotting_deal_and_none_on_rerun(self):
        with self._at("2030-01-14 10:00:00"):
            self._run_cron()
            self.assertFalse(self._reminders(self.deals), "nothing rots yet")
        with self._at("2030-01-16 10:00:00"):
            self._run_cron()
            reminders = self._reminders(self.deals)
            self.assertEqual(len(reminders), 2, "the deal without salesperson gets no reminder")
            self.assertEqual(set(reminders.mapped("res_id")), {self.deal_anna.id, self.deal_boris.id})
            self.assertEqual(self._reminders(self.deal_anna).user_id, self.user_anna)
            self.assertEqual(self._reminders(self.deal_boris).user_id, self.user_boris)
            self.assertEqual(self._reminders(self.deal_anna).summary,
                             "Days without progress: 6. Plan the next step.")
            self._run_cron()
            self.assertEqual(self._reminders(self.deals), reminders, "a re-run creates no second reminder")
        with self._at("2030-01-17 10:00:00"):
            self._run_cron()
            self.assertEqual(self._reminders(self.deals), reminders, "nor does the next day's run")

    def test_reminder_done_restarts_the_clock_then_a_new_one_comes(self):
        with self._at("2030-01-16 10:00:00"):
            self._run_cron()
            reminder = self._reminders(self.deal_anna)
            reminder.with_user(self.user_anna).action_feedback(feedback="Позвонила, ждут счёт")
            self.deal_anna.invalidate_recordset(["is_rotting"])
            self.assertFalse(self.deal_anna.is_rotting, "finishing the reminder is a touch")
            self._run_cron()
            self.assertFalse(self._reminders(self.deal_anna), "the episode is over")
        with self._at("2030-01-22 10:00:00"):
            self._run_cron()
            new_reminder = self._reminders(self.deal_anna)
            self.assertEqual(len(new_reminder), 1, "a new rot, a new reminder")
            self.assertNotEqual(new_reminder, reminder)

    def test_batch_reminds_only_deals_still_rotting(self):
        """The cron's search and the batch are apart in time: a deal touched in between is skipped."""
        with self._at("2030-01-16 10:00:00"):
            self.deal_boris.message_post(body="Договорились о встрече", message_type="comment")
            reminders = self.env["crm.lead"]._remind_rotting_batch((self.deal_anna | self.deal_boris).ids)
            self.assertEqual(reminders.mapped("res_id"), self.deal_anna.ids)

    def test_reminders_checked_in_one_query_per_batch(self):
        more = self.env["crm.lead"].create([{
            "name": f"Сделка {index}",
            "type": "opportunity",
            "user_id": self.user_anna.id,
            "stage_id": self.stage_new.id,
        } for index in range(10)])
        more.date_last_stage_update = "2030-01-10 09:00:00"
        with self._at("2030-01-16 10:00:00"):
            small, large = self.deal_anna, self.deal_boris | more
            small._remind_rotting_deals()
            large._remind_rotting_deals()
            self.env.flush_all()
            # a second pass only checks, in a single query, and creates nothing
            with self.assertQueryCount(2):
                self.assertFalse(small._remind_rotting_deals())
            with self.assertQueryCount(2):
                self.assertFalse(large._remind_rotting_deals())

    def test_reminder_follows_the_reassigned_deal(self):
        with self._at("2030-01-16 10:00:00"):
            self._run_cron()
            reminder = self._reminders(self.deal_anna)
            self.assertEqual(reminder.user_id, self.user_anna)
            self.deal_anna.with_user(self.user_anna).user_id = self.user_boris
            self.assertEqual(self._reminders(self.deal_anna), reminder, "moved, not replaced")
            self.assertEqual(reminder.user_id, self.user_boris)
            self._run_cron()
            self.assertEqual(self._reminders(self.deal_anna), reminder, "the cron adds no second reminder")
            self.assertEqual(reminder.user_id, self.user_boris)
            # a reminder left behind by a reassignment outside write() is caught by the cron
            self.env.cr.execute("UPDATE crm_lead SET user_id = %s WHERE id = %s",
                                (self.user_anna.id, self.deal_anna.id))
            self.deal_anna.invalidate_recordset(["user_id"])
            self._run_cron()
            self.assertEqual(reminder.user_id, self.user_anna)
            # no salesperson, nobody to remind
            self.deal_anna.user_id = False
            self.assertFalse(self._reminders(self.deal_anna))


@tagged("post_install", "-at_install")
class TestRottingMigration(TransactionCase):
    """19.0.1.1.0 pre-migration: the idle reminder's records keep their ids under their new names."""

    def _load_migration(self):
        return load_migration("crm_core", "19.0.1.1.0", "pre-rotting")

    def _xmlid_name(self, name):
        return self.env["ir.model.data"].search([("module", "=", "crm_core"), ("name", "=", name)])

    def test_idle_records_renamed_in_place(self):
        activity_type = self.env.ref("crm_core.mail_activity_type_rotting_deal")
        cron = self.env.ref("crm_core.ir_cron_remind_rotting_deals")
        # the state of a database on 19.0.1.0.0, summary customized by its users
        for old, new in self._load_migration().RENAMED_XMLIDS.items():
            self._xmlid_name(new).name = old
        self.env.flush_all()
        self.env.cr.execute("""UPDATE mail_activity_type
                                  SET name = '{"en_US": "Idle Deal Follow-up", "ru_RU": "Старое имя"}',
                                      summary = '{"en_US": "Call them"}'
                                WHERE id = %s""", [activity_type.id])
        self.env.cr.execute("""UPDATE ir_act_server
                                  SET name = '{"en_US": "CRM: remind salespeople of idle deals"}',
                                      code = 'model._cron_remind_idle_deals()'
                                WHERE id = %s""", [cron.ir_actions_server_id.id])
        self.env.cr.execute("UPDATE ir_cron SET cron_name = 'CRM: remind salespeople of idle deals' WHERE id = %s",
                            [cron.id])

        self._load_migration().rename_idle_records(self.env.cr)
        self.env.registry.clear_cache()
        self.env.invalidate_all()

        self.assertEqual(self.env.ref("crm_core.mail_activity_type_rotting_deal"), activity_type)
        self.assertEqual(self.env.ref("crm_core.ir_cron_remind_rotting_deals"), cron)
        self.assertFalse(self.env.ref("crm_core.mail_activity_type_idle_deal", raise_if_not_found=False))
        self.assertFalse(self.env.ref("crm_core.ir_cron_remind_idle_deals", raise_if_not_found=False))
        self.assertEqual(activity_type.with_context(lang="en_US").name, "Rotting Deal Follow-up")
        self.env.cr.execute("SELECT name, summary FROM mail_activity_type WHERE id = %s", [activity_type.id])
        self.assertEqual(self.env.cr.fetchone(), ({"en_US": "Rotting Deal Follow-up"}, {"en_US": "Call them"}),
                         "the stale translation goes, a customized text stays")
        self.assertEqual(cron.code, "model._cron_remind_rotting_deals()")
        self.assertEqual(cron.cron_name, "CRM: remind salespeople of rotting deals")

    def test_nothing_to_rename_on_a_new_database(self):
        before = self.env["ir.model.data"].search_read([("module", "=", "crm_core")], ["name", "res_id"])
        self._load_migration().rename_idle_records(self.env.cr)
        self.env.invalidate_all()
        self.assertEqual(self.env["ir.model.data"].search_read([("module", "=", "crm_core")], ["name", "res_id"]),
                         before)
        self.assertEqual(self.env.ref("crm_core.ir_cron_remind_rotting_deals").code,
                         "model._cron_remind_rotting_deals()")
