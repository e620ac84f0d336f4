from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import Form, tagged
from odoo.tests.common import freeze_time

from .common_customer360 import Customer360Common


@tagged("post_install", "-at_install")
@freeze_time("2026-04-06 08:00:00")
class TestCustomer360LogWizard(Customer360Common):
    """The quick status logs the interaction; its activity type's chain plans the next step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create({
            "name": "Поставка стеллажей", "type": "opportunity", "partner_id": cls.ivan.id,
            "user_id": cls.user_team_a.id, "team_id": cls.team_a.id,
        })

    def _wizard_form(self, action, user):
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def test_quick_status_from_the_deal_plans_the_suggested_activity(self):
        action = self.lead.with_user(self.user_team_a).action_crm_log_interaction()
        with self._wizard_form(action, self.user_team_a) as form:
            form.status_id = self.status_no_answer
        result = form.record.action_log()

        self.assertEqual(result["type"], "ir.actions.act_window_close")
        interaction = self.lead.crm_interaction_ids
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.status_id, self.status_no_answer)
        self.assertEqual(interaction.partner_id, self.romashka)
        self.assertEqual(interaction.contact_id, self.ivan)
        self.assertEqual(interaction.user_id, self.user_team_a)
        self.assertEqual(interaction.name, f"Call: {self.status_no_answer.name}")
        activity = self.lead.activity_ids
        self.assertEqual(len(activity), 1)
        # planned by Odoo's chaining: the status's type triggers "call again", one day after the call
        self.assertEqual(activity.activity_type_id, self.type_call_again)
        self.assertEqual(activity.previous_activity_type_id, self.type_no_answer)
        self.assertEqual(activity.date_deadline, date(2026, 4, 7))
        self.assertEqual(activity.user_id, self.user_team_a)
        # the call itself is a done activity of the status's type, with the interaction's topic
        done = self.env["mail.activity"].with_context(active_test=False).search([
            ("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id), ("active", "=", False)])
        self.assertEqual(done.activity_type_id, self.type_no_answer)
        self.assertEqual((done.summary, done.date_deadline), (interaction.name, date(2026, 4, 6)))

    def test_chain_follows_the_activity_type_configuration(self):
        """Changing the chain of the activity type (Odoo's setting) changes the next step: no field of ours."""
        self.type_no_answer.triggered_next_type_id = self.env.ref("mail.mail_activity_data_todo")
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.romashka.id, "status_id": self.status_no_answer.id})
        wizard.action_log()
        activity = self.romashka.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(activity.date_deadline, date(2026, 4, 11), "To-Do's own delay: 5 days")

    def test_suggested_next_activities_open_odoo_scheduling_dialog(self):
        suggested = self.env.ref("mail.mail_activity_data_meeting")
        outcome = self.env["mail.activity.type"].create({
            "name": "Звонок: интерес (тест)", "chaining_type": "suggest",
            "suggested_next_type_ids": [(6, 0, suggested.ids)]})
        status = self.env["crm.interaction.status"].create({
            "name": "Интерес (тест)", "interaction_type": "call", "activity_type_id": outcome.id})
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.romashka.id, "lead_id": self.lead.id, "status_id": status.id})
        action = wizard.action_log()
        self.assertEqual(action["res_model"], "mail.activity")
        self.assertEqual(action["context"]["default_previous_activity_type_id"], outcome.id)
        self.assertEqual((action["context"]["default_res_model"], action["context"]["default_res_id"]),
                         ("crm.lead", self.lead.id))
        self.assertFalse(self.lead.activity_ids, "a suggestion plans nothing by itself")
        form = Form(self.env["mail.activity"].with_user(self.user_team_a).with_context(**action["context"]))
        self.assertTrue(form.has_recommended_activities)

    def test_status_without_activity_type_completes_the_interaction_types_activity(self):
        action = self.lead.with_user(self.user_team_a).action_crm_log_interaction()
        with self._wizard_form(action, self.user_team_a) as form:
            form.status_id = self.status_done
        form.record.action_log()
        done = self.env["mail.activity"].with_context(active_test=False).search([
            ("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)])
        self.assertEqual(done.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertFalse(done.active)
        self.assertFalse(self.lead.activity_ids, "Odoo's Call chains to nothing by default")

    def test_next_step_by_hand_does_not_follow_the_chain(self):
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.romashka.id, "status_id": self.status_no_answer.id, "next_step": "activity",
            "next_activity_type_id": self.env.ref("mail.mail_activity_data_todo").id})
        wizard.action_log()
        activity = self.romashka.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(activity.date_deadline, date(2026, 4, 11), "the type's delay when no date is given")
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.vasilek.id, "status_id": self.status_no_answer.id, "next_step": "none"})
        wizard.action_log()
        self.assertFalse(self.env["mail.activity"].with_context(active_test=False).search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.vasilek.id)]))

    def test_status_without_next_step_plans_nothing(self):
        action = self.romashka.with_user(self.user_team_a).action_crm_log_interaction()
        with self._wizard_form(action, self.user_team_a) as form:
            form.status_id = self.status_done
        form.record.action_log()
        self.assertEqual(self.romashka.crm_interaction_ids.status_id, self.status_done)
        self.assertFalse(self.romashka.activity_ids)

    def test_meeting_as_next_step(self):
        action = self.lead.with_user(self.user_team_a).action_crm_log_interaction()
        with self._wizard_form(action, self.user_team_a) as form:
            form.name = "Обсуждение спецификации"
            form.next_step = "meeting"
            form.next_date = datetime(2026, 4, 9, 11, 0)
            form.next_summary = "Визит на склад"
            form.status_id = self.status_done
        form.record.action_log()
        event = self.env["calendar.event"].search([("opportunity_id", "=", self.lead.id)])
        self.assertEqual(event.name, "Визит на склад")
        self.assertEqual(event.start, datetime(2026, 4, 9, 11, 0))
        self.assertEqual(event.partner_ids, self.ivan | self.user_team_a.partner_id)
        self.assertEqual(self.romashka.crm_next_interaction_date, datetime(2026, 4, 9, 11, 0))

    def test_meeting_next_step_needs_a_date(self):
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.romashka.id, "next_step": "meeting", "status_id": self.status_done.id})
        with self.assertRaises(UserError):
            wizard.action_log()
        self.assertFalse(self.romashka.crm_interaction_ids)

    def test_meeting_logged_without_result_is_refused(self):
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.romashka.id, "contact_id": self.ivan.id, "interaction_type": "meeting",
            "name": "Переговоры", "status_id": self.status_meeting_agreed.id})
        with self.assertRaises(ValidationError):
            wizard.action_log()
        wizard.result = "Подписали протокол"
        wizard.action_log()
        self.assertEqual(self.romashka.crm_interaction_ids.result, "Подписали протокол")

    def test_form_offers_the_statuses_of_the_type(self):
        """The statuses are records behind a radio widget, filtered by the interaction type."""
        arch = self.env["crm.interaction.log.wizard"].get_view(view_type="form")["arch"]
        self.assertIn('name="status_id" widget="radio"', arch)
        self.assertNotIn("action_log_status", arch)
        with Form(self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).with_context(
                default_partner_id=self.romashka.id)) as form:
            form.status_id = self.status_no_answer
            form.interaction_type = "meeting"
            self.assertFalse(form.status_id, "a call's status does not stay on a meeting")
            form.status_id = self.status_meeting_agreed
            form.result = "Подписали протокол"
            form.contact_id = self.ivan
            form.name = "Переговоры"

    def test_status_changes_leave_the_view_cache_alone(self):
        """Creating, renaming or archiving a status must not clear the registry's caches."""
        views = self.env.registry._Registry__caches["templates"]
        self.env["crm.interaction.log.wizard"].get_view(view_type="form")
        cached = len(views)
        self.assertTrue(cached)
        with patch.object(Registry, "clear_cache", autospec=True, side_effect=Registry.clear_cache) as clear_cache:
            status = self.env["crm.interaction.status"].create({"name": "Перезвонить завтра"})
            status.write({"name": "Перезвонить послезавтра"})
            status.action_archive()
            status.unlink()
            self.env.flush_all()
        self.assertFalse(clear_cache.call_args_list)
        self.assertGreaterEqual(len(views), cached, "the cached views are still there")
