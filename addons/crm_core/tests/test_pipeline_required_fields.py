from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_pipeline import CrmPipelineCommon


@tagged("post_install", "-at_install")
class TestPipelineRequiredFields(CrmPipelineCommon):
    """A deal enters a stage only with the data that stage requires."""

    def test_missing_data_blocks_stage_change_and_names_every_field(self):
        deal = self._create_deal("Поставка стульев", self.user_anna)
        with self.assertRaises(ValidationError) as error:
            deal.with_user(self.user_anna).write({"stage_id": self.stage_proposal.id})
        message = str(error.exception)
        for fname in ("expected_revenue", "date_deadline", "partner_id"):
            self.assertIn(self.field_by_name[fname].field_description, message)
        self.assertIn("Поставка стульев", message)
        self.assertIn(self.stage_proposal.name, message)
        self.assertEqual(deal.stage_id, self.stage_new, "the stage change was rolled back")

    def test_only_the_missing_fields_are_named(self):
        deal = self._create_deal(
            "Поставка столов", self.user_anna, partner_id=self.customer.id, expected_revenue=1000.0)
        with self.assertRaises(ValidationError) as error:
            deal.with_user(self.user_anna).write({"stage_id": self.stage_proposal.id})
        message = str(error.exception)
        self.assertIn(self.field_by_name["date_deadline"].field_description, message)
        self.assertNotIn(self.field_by_name["expected_revenue"].field_description, message)
        self.assertNotIn(self.field_by_name["partner_id"].field_description, message)

    def test_filled_in_deal_enters_the_stage(self):
        deal = self._create_deal("Поставка стульев", self.user_anna)
        # the values written with the stage count
        deal.with_user(self.user_anna).write({
            "stage_id": self.stage_proposal.id,
            "partner_id": self.customer.id,
            "expected_revenue": 25000.0,
            "date_deadline": "2030-03-01",
        })
        self.assertEqual(deal.stage_id, self.stage_proposal)

    def test_creating_a_deal_in_the_stage_is_checked(self):
        with self.assertRaises(ValidationError):
            self._create_deal("Сразу в предложение", self.user_anna, stage=self.stage_proposal)
        deal = self._create_deal(
            "Сразу в предложение", self.user_anna, stage=self.stage_proposal,
            partner_id=self.customer.id, expected_revenue=500.0, date_deadline="2030-03-01")
        self.assertEqual(deal.stage_id, self.stage_proposal)

    def test_one_error_lists_every_deal_of_a_batch(self):
        deals = self._create_deal("Сделка А", self.user_anna) | self._create_deal(
            "Сделка Б", self.user_anna, expected_revenue=100.0)
        with self.assertRaises(ValidationError) as error:
            deals.write({"stage_id": self.stage_proposal.id})
        message = str(error.exception)
        self.assertIn("Сделка А", message)
        self.assertIn("Сделка Б", message)

    def test_leads_are_checked_when_converted_to_opportunities(self):
        lead = self.env["crm.lead"].create({
            "name": "Заявка с сайта",
            "type": "lead",
            "user_id": self.user_anna.id,
            "stage_id": self.stage_proposal.id,
        })
        self.assertEqual(lead.stage_id, self.stage_proposal, "unqualified leads are not blocked")
        with self.assertRaises(ValidationError):
            lead.write({"type": "opportunity"})

    def test_sales_manager_configures_required_fields(self):
        stage = self.env["crm.stage"].with_user(self.user_manager).create({
            "name": "Переговоры",
            "crm_required_field_ids": [(6, 0, self.field_by_name["date_deadline"].ids)],
        })
        self.assertEqual(stage.crm_required_field_ids, self.field_by_name["date_deadline"])
        self.assertEqual(stage.crm_required_field_ids.read(["field_description"])[0]["field_description"],
                         self.field_by_name["date_deadline"].field_description,
                         "the manager reads the field labels in the stage form")
        field = stage._fields["crm_required_field_ids"]
        allowed = self.env["ir.model.fields"].search(field.get_comodel_domain(stage))
        self.assertTrue(allowed)
        self.assertEqual(set(allowed.mapped("model")), {"crm.lead"})
        self.assertTrue(all(allowed.mapped("store")))
        self.assertFalse(allowed.filtered(lambda f: f.ttype in ("boolean", "one2many")))
