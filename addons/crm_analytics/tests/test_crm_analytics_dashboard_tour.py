from concurrent import futures
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser


@tagged("post_install", "-at_install")
class TestCrmAnalyticsDashboardTour(HttpCase):
    """The dashboard in a real (headless Chromium) browser; saves a screenshot once the tour passed.

    The screenshot goes to Odoo's screenshots folder (``--screenshots``, default
    /tmp/odoo_tests/<db>/screenshots/crm_dashboard_*.png); the path is logged.
    """

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

        def wait_then_capture(browser, *args, **kwargs):
            original_wait(browser, *args, **kwargs)
            # the tour passed: capture the page before the browser is stopped
            futures.wait([browser.take_screenshot("crm_dashboard_")], timeout=20)

        original_wait = ChromeBrowser._wait_code_ok
        with patch.object(ChromeBrowser, "_wait_code_ok", wait_then_capture):
            self.start_tour("/odoo/action-crm_analytics.crm_analytics_dashboard_action",
                            "crm_analytics_dashboard_tour", login=head.login, timeout=120)
