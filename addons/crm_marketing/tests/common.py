from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user


class CrmMarketingCommon(TransactionCase):
    """A small marketing world: marketers, a sales team of four, channels, cost types."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.marketer = new_test_user(
            cls.env, login="mkt_marketer", name="Мария Маркетолог",
            groups="crm_marketing.group_crm_marketing_user,sales_team.group_sale_salesman",
        )
        cls.marketing_manager = new_test_user(
            cls.env, login="mkt_manager", name="Олег Руководитель",
            groups="crm_marketing.group_crm_marketing_manager,sales_team.group_sale_salesman",
        )
        cls.sales_manager = new_test_user(
            cls.env, login="mkt_sales_manager", name="Sam Sales Manager", groups="sales_team.group_sale_manager",
        )
        cls.sellers = cls.env["res.users"]
        for login, name in (("mkt_s1", "Анна"), ("mkt_s2", "Борис"), ("mkt_s3", "Вера"), ("mkt_s4", "Глеб")):
            cls.sellers |= new_test_user(cls.env, login=login, name=name, groups="sales_team.group_sale_salesman")
        cls.team = cls.env["crm.team"].create({
            "name": "Отдел продаж Москва",
            "use_leads": True,
            "use_opportunities": True,
            "crm_team_member_ids": [Command.create({"user_id": user.id}) for user in cls.sellers],
        })
        cls.members = cls.team.crm_team_member_ids.sorted(lambda m: m.user_id.login)
        cls.channel_email = cls.env.ref("crm_marketing.channel_email")
        cls.channel_phone = cls.env.ref("crm_marketing.channel_phone")
        cls.channel_print = cls.env.ref("crm_marketing.channel_print")
        cls.cost_media = cls.env["crm.campaign.cost.type"].create({"name": "Test media"})
        cls.cost_print = cls.env["crm.campaign.cost.type"].create({"name": "Test print"})
        cls.russia = cls.env.ref("base.ru")

    @classmethod
    def _create_campaign(cls, title, budget=0.0, channels=None, **values):
        vals = {
            "title": title,
            "channel_ids": [Command.set((channels or cls.channel_email).ids)],
            **values,
        }
        if budget:
            vals["budget_line_ids"] = [Command.create({"cost_type_id": cls.cost_media.id, "planned_amount": budget})]
        return cls.env["utm.campaign"].create(vals)

    @classmethod
    def _create_leads(cls, campaign, count, **values):
        return cls.env["crm.lead"].create([
            {"name": f"{campaign.title} lead {index}", "campaign_id": campaign.id, "user_id": False, "type": "lead",
             **values}
            for index in range(count)
        ])

    @classmethod
    def _create_confirmed_order(cls, campaign, amount, confirm=True):
        if not getattr(cls, "_order_product", None):
            cls._order_product = cls.env["product.product"].create({"name": "Насос ЦН-100", "list_price": 1.0})
            cls._order_customer = cls.env["res.partner"].create({"name": "ООО Ромашка"})
        order = cls.env["sale.order"].create({
            "partner_id": cls._order_customer.id,
            "campaign_id": campaign.id,
            "order_line": [Command.create({
                "product_id": cls._order_product.id, "product_uom_qty": 1, "price_unit": amount, "tax_ids": False,
            })],
        })
        if confirm:
            order.action_confirm()
        return order
