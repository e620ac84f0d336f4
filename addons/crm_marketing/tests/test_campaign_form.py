from lxml import etree

from odoo.tests import tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestCampaignForm(CrmMarketingCommon):
    """The marketers' campaign form: one status and one revenue figure, amounts with currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._create_campaign("Выставка Иннопром", budget=50000.0)
        cls.orders = cls._create_confirmed_order(cls.campaign, 30000.0) | cls._create_confirmed_order(
            cls.campaign, 12000.0)
        cls.quotation = cls._create_confirmed_order(cls.campaign, 5000.0, confirm=False)

    def _form_arch(self, user):
        action = self.env.ref("crm_marketing.utm_campaign_action_crm_marketing")
        form_view = next(view for view, mode in action.views if mode == "form")
        views = self.env["utm.campaign"].with_user(user).get_views([(form_view, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    @staticmethod
    def _shown(nodes):
        return [node for node in nodes if node.get("invisible") not in ("1", "True", "true")]

    def test_one_status_ours(self):
        arch = self._form_arch(self.marketer)
        self.assertFalse(self._shown(arch.xpath("//header//field[@name='stage_id']")),
                         "utm's stage bar is not shown beside our status")
        statusbars = self._shown(arch.xpath("//field[@widget='statusbar']"))
        self.assertEqual([node.get("name") for node in statusbars], ["plan_state"])
        self.assertFalse(self._shown(arch.xpath("//sheet//field[@name='plan_state']")),
                         "the status is shown once, in the header")

    def test_one_revenue_figure_with_currency(self):
        arch = self._form_arch(self.marketer)
        self.assertFalse(self._shown(arch.xpath("//button[@name='action_redirect_to_invoiced']")),
                         "sale's invoiced balance is not a second revenue figure")
        self.assertFalse(arch.xpath("//field[@name='invoiced_amount'][not(ancestor::*[@invisible='1'])]"
                                    "[not(@invisible='1')]"))
        revenue = arch.xpath("//button[@name='action_view_campaign_orders']//field[@name='result_revenue']")
        self.assertEqual(len(revenue), 1)
        self.assertEqual(revenue[0].get("widget"), "monetary")
        spent = arch.xpath("//button[@name='action_view_campaign_costs']//field[@name='cost_actual']")
        self.assertEqual(spent[0].get("widget"), "monetary", "the amount spent shows its currency")

    def test_revenue_button_opens_the_orders_it_sums(self):
        campaign = self.campaign.with_user(self.marketer)
        action = campaign.action_view_campaign_orders()
        self.assertEqual(action["res_model"], "sale.order")
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(orders, self.orders, "confirmed orders only, not the quotation")
        self.assertEqual(campaign.result_revenue, sum(orders.mapped("amount_untaxed")))
        self.assertEqual(campaign.result_revenue, 42000.0)
