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

    def _arch(self, user, view_type, action_xmlid=None):
        """The arch the web client gets for ``view_type``: the action's own view, else the default one."""
        view_id = False
        if action_xmlid:
            action = self.env.ref(action_xmlid)
            view_id = next((view for view, mode in action.views if mode == view_type), False)
        views = self.env["utm.campaign"].with_user(user).get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_email_marketing_form_one_status_one_revenue(self):
        """Odoo's Email Marketing opens the default campaign form: its stage bar is the only status there
        (no plan buttons nor plan badge beside it) and the only revenue is ours."""
        arch = self._arch(self.marketer, "form", "mass_mailing.action_view_utm_campaigns")
        statusbars = self._shown(arch.xpath("//field[@widget='statusbar']"))
        self.assertEqual([node.get("name") for node in statusbars], ["stage_id"])
        self.assertFalse(arch.xpath("//field[@name='plan_state']"), "no second status on Odoo's form")
        self.assertFalse(arch.xpath("//button[starts-with(@name, 'action_plan_')]"))
        self.assertFalse(self._shown(arch.xpath("//button[@name='action_redirect_to_invoiced']")))
        self.assertEqual(len(arch.xpath("//button[@name='action_view_campaign_orders']")), 1)

    def test_every_kanban_one_revenue_ours(self):
        for action in ("mass_mailing.action_view_utm_campaigns", "crm_marketing.utm_campaign_action_crm_marketing"):
            with self.subTest(action=action):
                arch = self._arch(self.marketer, "kanban", action)
                self.assertFalse(arch.xpath("//field[@name='invoiced_amount']"), "sale's invoiced badge is gone")
                self.assertFalse(arch.xpath("//a[@name='action_redirect_to_invoiced']"))
                revenue = arch.xpath("//a[@name='action_view_campaign_orders']//field[@name='result_revenue']")
                self.assertEqual(len(revenue), 1)
                self.assertEqual(revenue[0].get("widget"), "monetary")

    def test_marketers_kanban_columns_are_our_status(self):
        arch = self._arch(self.marketer, "kanban", "crm_marketing.utm_campaign_action_crm_marketing")
        self.assertEqual(arch.get("default_group_by"), "plan_state")
        self.assertEqual(arch.get("records_draggable"), "0", "the status changes through its buttons only")
        # Email Marketing keeps utm's stages as its columns
        self.assertEqual(self._arch(self.marketer, "kanban", "mass_mailing.action_view_utm_campaigns")
                         .get("default_group_by"), "stage_id")
