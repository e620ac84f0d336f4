from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestCompetitor(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Насос ЦН-200", "list_price": 100000.0})
        cls.rival = cls.env["crm.competitor"].create({"name": "ООО НасосПром", "website": "https://nasosprom.example.ru"})
        cls.other = cls.env["crm.competitor"].create({"name": "АО Гидромаш"})

    def test_price_comparison_uses_latest_price(self):
        Price = self.env["crm.competitor.price"].with_user(self.marketer)
        Price.create([
            {"competitor_id": self.rival.id, "product_id": self.product.id, "price": 95000.0, "date": "2026-01-10",
             "source": "прайс-лист"},
            {"competitor_id": self.rival.id, "product_id": self.product.id, "price": 90000.0, "date": "2026-03-01",
             "source": "тендер"},
            {"competitor_id": self.other.id, "product_id": self.product.id, "price": 110000.0, "date": "2026-02-01"},
        ])
        rows = self.env["crm.competitor.price.report"].with_user(self.sellers[0]).search(
            [("product_id", "=", self.product.id)])
        by_competitor = {row.competitor_id: row for row in rows}
        self.assertEqual(len(rows), 2)
        self.assertEqual(by_competitor[self.rival].competitor_price, 90000.0)
        self.assertEqual(by_competitor[self.rival].source, "тендер")
        self.assertEqual(by_competitor[self.rival].our_price, 100000.0)
        self.assertAlmostEqual(by_competitor[self.rival].difference_pct, -10.0)
        self.assertAlmostEqual(by_competitor[self.other].difference, 10000.0)

    def test_price_needs_a_product(self):
        with self.assertRaises(ValidationError):
            self.env["crm.competitor.price"].create({"competitor_id": self.rival.id, "price": 1.0})

    def test_lost_to_competitor(self):
        reason = self.env["crm.lost.reason"].create(
            {"name": "Дешевле у конкурента", "crm_competitor_id": self.rival.id})
        lead = self.env["crm.lead"].with_user(self.sellers[0]).create({
            "name": "Поставка насосов", "type": "opportunity", "user_id": self.sellers[0].id,
            "crm_competitor_ids": [Command.set((self.rival | self.other).ids)],
        })
        wizard_form = Form(self.env["crm.lead.lost"].with_user(self.sellers[0]).with_context(
            active_ids=lead.ids, default_lead_ids=lead.ids))
        wizard_form.lost_reason_id = reason
        self.assertEqual(wizard_form.crm_competitor_id, self.rival)
        wizard_form.crm_competitor_id = self.other
        wizard_form.save().action_lost_reason_apply()
        self.assertEqual(lead.won_status, "lost")
        self.assertEqual(lead.crm_lost_competitor_id, self.other)
        self.assertEqual(self.other.lost_count, 1)
        self.assertEqual(self.rival.lead_count, 1)

    def test_lost_reason_gives_default_competitor(self):
        reason = self.env["crm.lost.reason"].create({"name": "Ушли к НасосПром", "crm_competitor_id": self.rival.id})
        lead = self.env["crm.lead"].create({"name": "Запрос КП", "type": "opportunity"})
        lead.action_set_lost(lost_reason_id=reason.id)
        self.assertEqual(lead.crm_lost_competitor_id, self.rival)
