from lxml import html

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestCampaignBudget(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._create_campaign("Весенняя рассылка", budget=1000.0, user_id=cls.marketer.id)

    def _add_cost(self, amount, user=None):
        return self.env["crm.campaign.cost"].with_user(user or self.marketer).create({
            "campaign_id": self.campaign.id, "cost_type_id": self.cost_media.id, "amount": amount,
        })

    def _set_policy(self, policy):
        self.env["ir.config_parameter"].sudo().set_param("crm_marketing.budget_policy", policy)

    def _warning_activities(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "utm.campaign"), ("res_id", "=", self.campaign.id),
            ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_warning").id),
        ])

    def test_warning_past_90_percent(self):
        self._add_cost(850.0)
        self.assertFalse(self.campaign.budget_warning)
        self.assertFalse(self._warning_activities())
        self._add_cost(60.0)
        self.assertTrue(self.campaign.budget_warning)
        self.assertFalse(self.campaign.budget_exceeded)
        activity = self._warning_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.marketer)
        self._add_cost(10.0)
        self.assertEqual(len(self._warning_activities()), 1, "The responsible is warned once")

    def test_warning_in_responsible_language_with_formatted_amounts(self):
        """The warning is written for its reader: their language, amounts formatted with currency."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["crm_marketing"], ["ru_RU"])
        self.marketer.lang = "ru_RU"
        self.campaign.budget_line_ids.planned_amount = 1234567.0
        # the cost is entered by an English-speaking manager: the warning still speaks Russian
        self.env["crm.campaign.cost"].with_user(self.marketing_manager).with_context(lang="en_US").create({
            "campaign_id": self.campaign.id, "cost_type_id": self.cost_media.id, "amount": 1200000.5,
        })
        activity = self._warning_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Использовано 97% бюджета")
        currency = self.campaign.currency_id
        spent, budget = (format_amount(self.env, amount, currency, lang_code="ru_RU")
                         for amount in (1200000.5, 1234567.0))
        self.assertIn("\N{NO-BREAK SPACE}", spent, "ru_RU groups thousands")
        ru_env = self.env(context=dict(self.env.context, lang="ru_RU"))
        self.assertEqual(
            html.fromstring(str(activity.note)).text_content(),
            ru_env._("Campaign %(campaign)s has used %(spent)s of its %(budget)s budget.",
                     campaign=self.campaign.title, spent=spent, budget=budget),
        )

    def test_block_policy_message_formats_amounts(self):
        self._set_policy("block")
        self._add_cost(900.0)
        with self.assertRaises(ValidationError) as caught:
            self._add_cost(1100.0)
        currency = self.campaign.currency_id
        message = str(caught.exception)
        self.assertIn(format_amount(self.env, 2000.0, currency), message)
        self.assertIn(format_amount(self.env, 1000.0, currency), message)
        self.assertEqual(self.campaign.cost_actual, 900.0, "the refused cost is not recorded")

    def test_block_policy_refuses_cost_past_budget(self):
        self._set_policy("block")
        self._add_cost(900.0)
        with self.assertRaises(ValidationError):
            self._add_cost(101.0)
        cost = self._add_cost(100.0)  # exactly the budget is allowed
        self.assertEqual(self.campaign.cost_actual, 1000.0)
        with self.assertRaises(ValidationError):
            cost.amount = 150.0

    def test_campaign_without_budget_has_no_limit(self):
        free = self._create_campaign("Без бюджета")
        cost = self.env["crm.campaign.cost"].create({
            "campaign_id": free.id, "cost_type_id": self.cost_media.id, "amount": 1e6,
        })
        self.assertEqual(cost.state, "approved")

    def test_approval_policy(self):
        self._set_policy("approval")
        self._add_cost(700.0)
        over = self._add_cost(500.0)
        self.assertEqual(over.state, "to_approve")
        self.assertEqual(self.campaign.cost_actual, 700.0)
        self.assertEqual(self.campaign.cost_to_approve, 500.0)
        with self.assertRaises(AccessError):
            over.with_user(self.marketer).action_approve()
        over.with_user(self.marketing_manager).action_approve()
        self.assertEqual(over.state, "approved")
        self.assertEqual(self.campaign.cost_actual, 1200.0)
        self.assertTrue(self.campaign.budget_exceeded)
        self.assertAlmostEqual(self.campaign.budget_consumption, 120.0)

    def test_refused_cost_does_not_count(self):
        self._set_policy("approval")
        over = self._add_cost(1500.0)
        over.with_user(self.marketing_manager).action_refuse()
        self.assertEqual(over.state, "refused")
        self.assertEqual(self.campaign.cost_actual, 0.0)

    def test_approval_context_cannot_bypass_block(self):
        self._set_policy("block")
        self._add_cost(1000.0)
        with self.assertRaises(ValidationError):
            self.env["crm.campaign.cost"].with_user(self.marketer).with_context(
                crm_marketing_budget_approved=True,
            ).create({"campaign_id": self.campaign.id, "cost_type_id": self.cost_media.id, "amount": 1.0})
