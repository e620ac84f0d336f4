from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common_tour import CrmTourCase


@tagged("post_install", "-at_install")
class TestSalesPlanTour(CrmTourCase):
    """The plan counter in the pipeline's control panel, in a real browser."""

    def test_pipeline_shows_my_plan_progress(self):
        seller = new_test_user(self.env, login="plan_tour_seller", name="Тур Продавцова",
                               groups="sales_team.group_sale_salesman")
        team = self.env["crm.team"].create({"name": "Тур: отдел продаж", "member_ids": [Command.link(seller.id)]})
        customer = self.env["res.partner"].create({"name": "ООО «Ромашка» (тур)", "is_company": True})
        deals = self.env["crm.lead"].create([
            {"name": name, "type": "opportunity", "partner_id": customer.id, "user_id": seller.id,
             "team_id": team.id, "expected_revenue": revenue}
            for name, revenue in (("Тур: стулья для «Ромашки»", 1000.0), ("Тур: столы", 400.0))
        ])
        deals[1].action_set_won()
        # the counter says "deals won" because the plan counts won deals
        self.env["ir.config_parameter"].set_param("crm_core.plan_achievement_source", "won_deals")
        today = fields.Date.context_today(seller)
        plan = self.env["crm.sales.plan"].create({
            "name": "Тур: план месяца",
            "date_from": today.replace(day=1),
            "date_to": fields.Date.end_of(today, "month"),
            "line_ids": [Command.create({"user_id": seller.id, "target_count": 2, "target_amount": 2000.0})],
        })
        plan.action_confirm()
        # the figures the pipeline must show: the counters' own source, read as the seller in the tour's language
        progress = self.env["crm.sales.plan.line"].with_user(seller).with_context(
            lang=self.tour_lang).get_pipeline_progress()
        self.assertEqual(len(progress), 1)
        counter = progress[0]
        line = plan.line_ids.with_context(lang=self.tour_lang)
        currency = self.env["res.currency"].browse(counter["currency_id"])
        self.start_crm_tour("/odoo/action-crm.crm_lead_action_pipeline", "crm_core_plan_progress_tour",
                            login=seller.login, expected={
                                "line_id": counter["id"],
                                "counter_count": len(progress),
                                "label": counter["label"],
                                "amounts": "{} / {}".format(
                                    self.tour_format(counter["achieved_amount"], "monetary", currency=currency),
                                    self.tour_format(counter["target_amount"], "monetary", currency=currency)),
                                "rate": counter["rate"],
                                "target_progress": line.progress_label,
                            })
