from odoo import Command, fields
from odoo.addons.crm_core.tests.common_tour import CrmTourCase
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmAnalyticsDashboardTour(CrmTourCase):
    """The dashboard in a real (headless Chromium) browser.

    With ``CRM_SCREENSHOTS`` set, the tour's screenshot goes to
    static/description/screenshots/crm_dashboard.png (see crm_core/tests/common_tour.py).
    """

    screenshot_addon = "crm_analytics"

    def test_dashboard_tour(self):
        head = new_test_user(self.env, login="an_tour_head", name="Tour Head",
                             groups="sales_team.group_sale_manager")
        seller = new_test_user(self.env, login="an_tour_seller", name="Tour Seller",
                               groups="sales_team.group_sale_salesman")
        team = self.env["crm.team"].create({"name": "Tour Team", "member_ids": [Command.link(seller.id)]})
        won_stage = self.env["crm.stage"].create({"name": "Tour Won", "sequence": 950, "is_won": True})
        reason = self.env["crm.lost.reason"].create({"name": "Tour: too expensive"})
        leads = self.env["crm.lead"].create([
            {"name": f"Tour deal {index}", "type": "opportunity", "expected_revenue": amount,
             "user_id": seller.id, "team_id": team.id}
            for index, amount in enumerate((1000.0, 2500.0, 700.0))
        ])
        leads[:2].stage_id = won_stage
        leads[2].action_set_lost(lost_reason_id=reason.id)
        # this year's plan: 3500 won of a 7000 target, 50 %
        self.env["ir.config_parameter"].set_param("crm_core.plan_achievement_source", "won_deals")
        today = fields.Date.context_today(head)
        self.env["crm.sales.plan"].create({
            "name": "Tour plan", "date_from": today.replace(month=1, day=1), "date_to": today.replace(month=12, day=31),
            "line_ids": [Command.create({"user_id": seller.id, "target_amount": 7000.0})],
        }).action_confirm()

        self.start_crm_tour("/odoo/action-crm_analytics.crm_analytics_dashboard_action",
                            "crm_analytics_dashboard_tour", login=head.login)
