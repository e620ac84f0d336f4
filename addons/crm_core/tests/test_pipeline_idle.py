from unittest.mock import patch

from odoo.addons.base.models.ir_cron import IrCron
from odoo.tests import freeze_time, tagged

from .common_pipeline import CrmPipelineCommon


@tagged("post_install", "-at_install")
class TestPipelineIdleDeals(CrmPipelineCommon):
    """Deals nobody touched for longer than their stage allows, and their reminders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref("crm_core.mail_activity_type_idle_deal")
        # stage_new: idle after 5 days; the deals' clock starts on 2030-01-10
        cls.deal_anna = cls._create_deal("Поставка стульев", cls.user_anna)
        cls.deal_boris = cls._create_deal("Поставка столов", cls.user_boris)
        cls.deal_unassigned = cls._create_deal("Без продавца", cls.user_anna)
        cls.deal_unassigned.user_id = False
        cls.deals = cls.deal_anna | cls.deal_boris | cls.deal_unassigned
        cls.deals.date_last_stage_update = "2030-01-10 09:00:00"

    def _run_cron(self):
        with patch.object(IrCron, "_commit_progress", return_value=float("inf")):
            self.env["crm.lead"]._cron_remind_idle_deals()

    def _reminders(self, deals):
        return self.env["mail.activity"].search([
            ("res_model", "=", "crm.lead"),
            ("res_id", "in", deals.ids),
            ("activity_type_id", "=", self.reminder_type.id),
        ])

    def test_idle_after_the_stage_limit(self):
        with freeze_time("2030-01-14 10:00:00"):
            self.deals.invalidate_recordset(["is_idle", "idle_days"])
            self.assertFalse(self.deal_anna.is_idle)
            self.assertEqual(self.deal_anna.idle_days, 0)
            self.assertNotIn(self.deal_anna, self.env["crm.lead"].search([("is_idle", "=", True)]))
        with freeze_time("2030-01-16 10:00:00"):
            self.deals.invalidate_recordset(["is_idle", "idle_days"])
            self.assertTrue(self.deal_anna.is_idle)
            self.assertEqual(self.deal_anna.idle_days, 6)
            idle = self.env["crm.lead"].search([("is_idle", "=", True)])
            self.assertLessEqual(self.deals, idle)
            self.assertFalse(self.deals & self.env["crm.lead"].search([("is_idle", "=", False)]))

    def test_a_note_or_an_interaction_restarts_the_clock(self):
        with freeze_time("2030-01-13 10:00:00"):
            self.deal_anna.message_post(body="Клиент просит перезвонить", message_type="comment")
            self.env["crm.interaction"].create({
                "name": "Звонок закупщику",
                "interaction_type": "call",
                "lead_id": self.deal_boris.id,
                "partner_id": self.customer.id,
                "user_id": self.user_boris.id,
            })
        with freeze_time("2030-01-16 10:00:00"):
            self.deals.invalidate_recordset(["is_idle", "idle_days", "date_last_touch"])
            self.assertFalse(self.deal_anna.is_idle, "the note on 13 January counts")
            self.assertFalse(self.deal_boris.is_idle, "the call on 13 January counts")
            self.assertEqual(str(self.deal_anna.date_last_touch), "2030-01-13 10:00:00")
            self.assertNotIn(self.deal_anna, self.env["crm.lead"].search([("is_idle", "=", True)]))
        with freeze_time("2030-01-19 10:00:00"):
            self.deals.invalidate_recordset(["is_idle", "idle_days"])
            self.assertTrue(self.deal_anna.is_idle)
            self.assertEqual(self.deal_anna.idle_days, 6)

    def test_won_deals_and_stages_without_limit_are_never_idle(self):
        self.deal_boris.stage_id = self.stage_won
        stage_no_limit = self.env["crm.stage"].create({"name": "Без лимита", "sequence": 5})
        self.deal_unassigned.stage_id = stage_no_limit
        self.deals.date_last_stage_update = "2030-01-10 09:00:00"
        with freeze_time("2030-03-01 10:00:00"):
            self.deals.invalidate_recordset(["is_idle"])
            self.assertEqual(self.deals.filtered("is_idle"), self.deal_anna)
            self.assertEqual(self.env["crm.lead"].search([("id", "in", self.deals.ids), ("is_idle", "=", True)]),
                             self.deal_anna)

    def test_cron_gives_one_reminder_per_idle_deal_and_none_on_rerun(self):
        with freeze_time("2030-01-14 10:00:00"):
            self._run_cron()
            self.assertFalse(self._reminders(self.deals), "nothing is idle yet")
        with freeze_time("2030-01-16 10:00:00"):
            self._run_cron()
            reminders = self._reminders(self.deals)
            self.assertEqual(len(reminders), 2, "the deal without salesperson gets no reminder")
            self.assertEqual(set(reminders.mapped("res_id")), {self.deal_anna.id, self.deal_boris.id})
            self.assertEqual(self._reminders(self.deal_anna).user_id, self.user_anna)
            self.assertEqual(self._reminders(self.deal_boris).user_id, self.user_boris)
            self._run_cron()
            self.assertEqual(self._reminders(self.deals), reminders, "a re-run creates no second reminder")
        with freeze_time("2030-01-17 10:00:00"):
            self._run_cron()
            self.assertEqual(self._reminders(self.deals), reminders, "nor does the next day's run")

    def test_reminder_done_restarts_the_clock_then_a_new_one_comes(self):
        with freeze_time("2030-01-16 10:00:00"):
            self._run_cron()
            reminder = self._reminders(self.deal_anna)
            reminder.with_user(self.user_anna).action_feedback(feedback="Позвонила, ждут счёт")
            self.deal_anna.invalidate_recordset(["is_idle"])
            self.assertFalse(self.deal_anna.is_idle, "finishing the reminder is a touch")
        with freeze_time("2030-01-22 10:00:00"):
            self._run_cron()
            new_reminder = self._reminders(self.deal_anna)
            self.assertEqual(len(new_reminder), 1)
            self.assertNotEqual(new_reminder, reminder)

    def test_reminders_checked_in_one_query_per_batch(self):
        more = self.env["crm.lead"].create([{
            "name": f"Сделка {index}",
            "type": "opportunity",
            "user_id": self.user_anna.id,
            "stage_id": self.stage_new.id,
        } for index in range(10)])
        more.date_last_stage_update = "2030-01-10 09:00:00"
        with freeze_time("2030-01-16 10:00:00"):
            small, large = self.deal_anna, self.deal_boris | more
            small._remind_idle_deals()
            large._remind_idle_deals()
            self.env.flush_all()
            # a second pass only checks, in a single query, and creates nothing
            with self.assertQueryCount(2):
                self.assertFalse(small._remind_idle_deals())
            with self.assertQueryCount(2):
                self.assertFalse(large._remind_idle_deals())

    def test_reminder_follows_the_reassigned_deal(self):
        with freeze_time("2030-01-16 10:00:00"):
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
