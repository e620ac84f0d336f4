from odoo import Command
from odoo.addons.crm_core.tests.common_tour import CrmTourCase
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmMarketingTours(CrmTourCase):
    """Campaign and distribution preview in a real browser, values computed here from the data."""

    screenshot_addon = "crm_marketing"

    def test_campaign_form_tour(self):
        marketer = new_test_user(
            self.env, login="tour_mkt_marketer", name="Тур Маркетологова",
            groups="crm_marketing.group_crm_marketing_user,sales_team.group_sale_salesman")
        cost_type = self.env["crm.campaign.cost.type"].create({"name": "Тур: выставка"})
        campaign = self.env["utm.campaign"].create({
            "title": "Тур: выставка Иннопром",
            "user_id": marketer.id,
            "plan_state": "running",
            "budget_line_ids": [Command.create({"cost_type_id": cost_type.id, "planned_amount": 50000.0})],
        })
        costs = (20000.0, 4000.0)
        self.env["crm.campaign.cost"].create([
            {"campaign_id": campaign.id, "cost_type_id": cost_type.id, "amount": amount} for amount in costs])
        customer = self.env["res.partner"].create({"name": "ООО «Тур-Металл»", "is_company": True})
        product = self.env["product.product"].create({"name": "Тур: станок", "list_price": 1.0})
        orders = (30000.0, 12000.0)
        for amount in orders:
            self.env["sale.order"].create({
                "partner_id": customer.id, "campaign_id": campaign.id,
                "order_line": [Command.create({
                    "product_id": product.id, "product_uom_qty": 1, "price_unit": amount, "tax_ids": False})],
            }).action_confirm()
        leads = self.env["crm.lead"].create([
            {"name": f"Тур: заявка {index}", "campaign_id": campaign.id, "user_id": False, "type": "opportunity"}
            for index in range(5)])
        leads[0].action_set_won()

        # the figures as a person computes them from the data above
        budget, cost, revenue = 50000.0, sum(costs), sum(orders)
        roi = 100.0 * (revenue - cost) / cost
        currency = campaign.currency_id
        self.start_crm_tour(
            f"/odoo/action-crm_marketing.utm_campaign_action_crm_marketing/{campaign.id}",
            "crm_marketing_campaign_tour", login=marketer.login,
            expected={
                "budget": self.tour_format(budget, "monetary", currency=currency),
                "cost": self.tour_format(cost, "monetary", currency=currency),
                "revenue": self.tour_format(revenue, "monetary", currency=currency),
                "roi": self.tour_format(roi, "float", digits=1),
                "leads": self.tour_format(len(leads), "integer"),
                "won": self.tour_format(1, "integer"),
            })
        self.assertEqual(campaign.plan_state, "running", "the tour only reads")

    def test_distribution_preview_tour(self):
        manager = new_test_user(
            self.env, login="tour_mkt_manager", name="Тур Руководителева",
            groups="crm_marketing.group_crm_marketing_manager,sales_team.group_sale_salesman")
        weights = {"Тур Анна Продажина": 3.0, "Тур Борис Сделкин": 1.0, "Тур Вера Паузова": 1.0}
        sellers = self.env["res.users"]
        for index, name in enumerate(weights):
            sellers |= new_test_user(self.env, login=f"tour_mkt_s{index}", name=name,
                                     groups="sales_team.group_sale_salesman")
        team = self.env["crm.team"].create({
            "name": "Тур: отдел продаж",
            "crm_team_member_ids": [Command.create({"user_id": user.id}) for user in sellers],
        })
        for member in team.crm_team_member_ids:
            member.crm_distribution_weight = weights[member.user_id.name]
        # Odoo's assignment fields rule the preview: Борис has room for 1 lead over 30 days, Вера is paused
        members = {member.user_id.name: member for member in team.crm_team_member_ids}
        members["Тур Борис Сделкин"].assignment_max = 1
        members["Тур Вера Паузова"].assignment_optout = True
        campaign = self.env["utm.campaign"].create({"title": "Тур: входящие заявки"})
        rule = self.env["crm.distribution.rule"].create({
            "name": "Тур: по загрузке",
            "method": "capacity",
            "team_ids": [Command.set(team.ids)],
            "lead_domain": f"[('campaign_id', '=', {campaign.id}), ('user_id', '=', False)]",
        })
        leads = self.env["crm.lead"].create([
            {"name": f"Тур: заявка {index}", "campaign_id": campaign.id, "user_id": False, "type": "lead"}
            for index in range(8)])

        # weighted 3 to 1 would give 6 and 2: Борис stops at his capacity of 1, Вера is left out
        per_salesperson = {"Тур Анна Продажина": 7, "Тур Борис Сделкин": 1}
        self.start_crm_tour(
            f"/odoo/action-crm_marketing.crm_distribution_rule_action/{rule.id}",
            "crm_marketing_distribution_preview_tour", login=manager.login,
            expected={
                "lead_count": self.tour_format(len(leads), "integer"),
                "per_salesperson": {name: self.tour_format(share, "integer")
                                    for name, share in per_salesperson.items()},
                "assigned": self.tour_format(len(leads), "integer"),
                "unassigned": self.tour_format(0, "integer"),
            })
        self.assertFalse(leads.user_id, "a preview assigns nothing")
        self.assertEqual(rule.run_ids.mapped("mode"), ["preview"])
