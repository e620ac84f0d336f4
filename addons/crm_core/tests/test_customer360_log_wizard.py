from datetime import date, datetime

from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import freeze_time

from .common_customer360 import Customer360Common


@tagged("post_install", "-at_install")
@freeze_time("2026-04-06 08:00:00")
class TestCustomer360LogWizard(Customer360Common):
    """One click per quick status logs the interaction and plans the next step."""

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
        wizard = self._wizard_form(action, self.user_team_a).save()
        result = wizard.with_context(crm_status_id=self.status_no_answer.id).action_log_status()

        self.assertEqual(result["type"], "ir.actions.act_window_close")
        interaction = self.lead.interaction_ids
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.status_id, self.status_no_answer)
        self.assertEqual(interaction.partner_id, self.romashka)
        self.assertEqual(interaction.contact_id, self.ivan)
        self.assertEqual(interaction.user_id, self.user_team_a)
        self.assertEqual(interaction.name, f"Call: {self.status_no_answer.name}")
        activity = self.lead.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.date_deadline, date(2026, 4, 7))
        self.assertEqual(activity.user_id, self.user_team_a)

    def test_status_without_next_step_plans_nothing(self):
        action = self.romashka.with_user(self.user_team_a).action_crm_log_interaction()
        wizard = self._wizard_form(action, self.user_team_a).save()
        wizard.with_context(crm_status_id=self.status_done.id).action_log_status()
        self.assertEqual(self.romashka.crm_interaction_ids.status_id, self.status_done)
        self.assertFalse(self.romashka.activity_ids)

    def test_meeting_as_next_step(self):
        action = self.lead.with_user(self.user_team_a).action_crm_log_interaction()
        with self._wizard_form(action, self.user_team_a) as form:
            form.name = "Обсуждение спецификации"
            form.next_step = "meeting"
            form.next_date = datetime(2026, 4, 9, 11, 0)
            form.next_summary = "Визит на склад"
        form.record.with_context(crm_status_id=self.status_done.id).action_log_status()
        event = self.env["calendar.event"].search([("opportunity_id", "=", self.lead.id)])
        self.assertEqual(event.name, "Визит на склад")
        self.assertEqual(event.start, datetime(2026, 4, 9, 11, 0))
        self.assertEqual(event.partner_ids, self.ivan | self.user_team_a.partner_id)
        self.assertEqual(self.romashka.crm_next_interaction_date, datetime(2026, 4, 9, 11, 0))

    def test_meeting_next_step_needs_a_date(self):
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.romashka.id, "next_step": "meeting"})
        with self.assertRaises(UserError):
            wizard.with_context(crm_status_id=self.status_done.id).action_log_status()

    def test_meeting_logged_without_result_is_refused(self):
        wizard = self.env["crm.interaction.log.wizard"].with_user(self.user_team_a).create({
            "partner_id": self.romashka.id, "contact_id": self.ivan.id, "interaction_type": "meeting",
            "name": "Переговоры"})
        with self.assertRaises(ValidationError):
            wizard.with_context(crm_status_id=self.status_meeting_agreed.id).action_log_status()
        wizard.result = "Подписали протокол"
        wizard.with_context(crm_status_id=self.status_meeting_agreed.id).action_log_status()
        self.assertEqual(self.romashka.crm_interaction_ids.result, "Подписали протокол")

    def test_form_has_one_button_per_quick_status(self):
        def status_buttons():
            arch = self.env["crm.interaction.log.wizard"].get_view(view_type="form")["arch"]
            return {
                button.get("string"): button
                for button in etree.fromstring(arch).iterfind(".//button[@name='action_log_status']")
            }
        buttons = status_buttons()
        self.assertIn(self.status_no_answer.name, buttons)
        self.assertIn(str(self.status_no_answer.id), buttons[self.status_no_answer.name].get("context"))
        self.assertIn("interaction_type", buttons[self.status_no_answer.name].get("invisible"))
        new_status = self.env["crm.interaction.status"].create({"name": "Перезвонить завтра"})
        self.assertIn(new_status.name, status_buttons(), "a new status gets its button at once")
        self.status_no_answer.active = False
        self.assertNotIn(self.status_no_answer.name, status_buttons())

    def test_unknown_status_is_refused(self):
        wizard = self.env["crm.interaction.log.wizard"].create({"partner_id": self.romashka.id})
        with self.assertRaises(UserError):
            wizard.with_context(crm_status_id=0).action_log_status()
