from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import freeze_time

from .common_customer360 import Customer360Common


@tagged("post_install", "-at_install")
class TestCustomer360Interaction(Customer360Common):

    def test_meeting_requires_date_contact_topic_result(self):
        Interaction = self.env["crm.interaction"].with_user(self.user_team_a)
        with self.assertRaises(ValidationError) as error:
            Interaction.create({"name": "Встреча в офисе", "interaction_type": "meeting",
                                "partner_id": self.romashka.id})
        message = str(error.exception)
        self.assertIn("Contact Person", message)
        self.assertIn("Result / Notes", message)
        self.assertNotIn("Topic", message.split("Missing:")[1])

        meeting = Interaction.create({
            "name": "Встреча в офисе", "interaction_type": "meeting", "contact_id": self.ivan.id,
            "result": "Согласовали график поставок",
        })
        self.assertEqual(meeting.partner_id, self.romashka, "the organisation follows the contact")
        with self.assertRaises(ValidationError):
            meeting.result = " "

    def test_call_needs_no_result(self):
        call = self._create_interaction(self.user_team_a, self.romashka, status_id=self.status_no_answer.id)
        self.assertEqual(call.status_id, self.status_no_answer)
        self.assertFalse(call.result)

    def test_status_must_fit_the_type(self):
        with self.assertRaises(ValidationError):
            self._create_interaction(self.user_team_a, self.romashka, interaction_type="letter",
                                     status_id=self.status_no_answer.id)

    def test_contact_must_belong_to_the_customer(self):
        with self.assertRaises(ValidationError):
            self.env["crm.interaction"].create({
                "name": "Звонок", "partner_id": self.romashka.id, "contact_id": self.petr.id})
        interaction = self.env["crm.interaction"].create({"name": "Звонок", "contact_id": self.petr.id})
        self.assertEqual(interaction.partner_id, self.vasilek)

    def test_form_fills_customer_from_deal(self):
        lead = self.env["crm.lead"].create({"name": "Стеллажи", "type": "opportunity", "partner_id": self.ivan.id,
                                            "user_id": self.user_team_a.id})
        with Form(self.env["crm.interaction"].with_user(self.user_team_a)) as form:
            form.name = "Уточнение объёма"
            form.lead_id = lead
        self.assertEqual(form.record.partner_id, self.romashka)
        self.assertEqual(form.record.user_id, self.user_team_a)
        self.assertEqual(lead.crm_interaction_count, 1)

    @freeze_time("2026-03-02 09:00:00")
    def test_consent_dates(self):
        self.ivan.crm_consent_email = True
        self.assertEqual(self.ivan.crm_consent_email_date, date(2026, 3, 2))
        self.assertFalse(self.ivan.crm_consent_sms_date)
        self.ivan.write({"crm_consent_sms": True, "crm_consent_sms_date": date(2025, 1, 10)})
        self.assertEqual(self.ivan.crm_consent_sms_date, date(2025, 1, 10), "an explicit date is kept")
        self.ivan.crm_consent_email = False
        self.assertFalse(self.ivan.crm_consent_email_date)

    def test_lifecycle_and_tier_belong_to_the_organisation(self):
        self.romashka.write({"crm_tier_id": self.tier_key.id, "crm_lifecycle_stage": "former"})
        self.assertEqual(self.ivan.crm_tier_id, self.tier_key)
        self.assertEqual(self.olga.crm_lifecycle_stage, "former")
        new_contact = self.env["res.partner"].create({"name": "Семён Складов", "parent_id": self.romashka.id})
        self.assertEqual(new_contact.crm_tier_id, self.tier_key)

    def test_roles_are_searchable(self):
        purchasers = self.env["res.partner"].search([("crm_role_ids", "in", self.role_purchaser.ids),
                                                     ("parent_id", "=", self.romashka.id)])
        self.assertEqual(purchasers, self.ivan)

    def test_last_interaction_ignores_future_dates(self):
        self._create_interaction(self.user_team_a, self.romashka, date=datetime(2020, 1, 1, 10, 0))
        self._create_interaction(self.user_team_a, self.romashka, date=datetime(2999, 1, 1, 10, 0))
        self.assertEqual(self.romashka.crm_last_interaction_date, datetime(2020, 1, 1, 10, 0))

    def test_crm_tab_in_the_partner_form(self):
        """A team salesperson edits the CRM tab; a contact card sets roles and channel."""
        with Form(self.romashka.with_user(self.user_team_a)) as form:
            form.crm_lifecycle_stage = "partner"
            form.crm_consent_post = True
            self.assertEqual(form.user_id, self.user_team_a)
        self.assertEqual(self.romashka.crm_lifecycle_stage, "partner")
        self.assertTrue(self.romashka.crm_consent_post_date)
        self.assertEqual(self.ivan.crm_lifecycle_stage, "partner")
        with Form(self.olga.with_user(self.user_team_a)) as form:
            form.crm_role_ids.add(self.role_purchaser)
            form.crm_preferred_channel = "sms"
        self.assertEqual(self.olga.crm_role_ids, self.role_accountant | self.role_purchaser)
