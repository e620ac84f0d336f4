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
        self.start_crm_tour("/odoo/action-crm.crm_lead_action_pipeline", "crm_core_plan_progress_tour",
                            login=seller.login)
