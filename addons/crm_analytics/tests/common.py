from datetime import datetime

from odoo import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


class CrmAnalyticsCommon(TransactionCase):
    """A small world: a team with two sellers, a viewer, stages, customers and products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.seller_1 = new_test_user(cls.env, login="an_seller_1", name="Anna Seller",
                                     groups="sales_team.group_sale_salesman")
        cls.seller_2 = new_test_user(cls.env, login="an_seller_2", name="Boris Seller",
                                     groups="sales_team.group_sale_salesman")
        cls.viewer = new_test_user(cls.env, login="an_viewer", name="Vera Viewer",
                                   groups="base.group_user,crm_analytics.group_crm_analytics_viewer")
        cls.head = new_test_user(cls.env, login="an_head", name="Hugo Head", groups="sales_team.group_sale_manager")
        cls.team = cls.env["crm.team"].create({
            "name": "Analytics Team",
            "member_ids": [Command.link(cls.seller_1.id), Command.link(cls.seller_2.id)],
        })
        Stage = cls.env["crm.stage"]
        cls.stage_new = Stage.create({"name": "AN New", "sequence": 901, "team_ids": [Command.link(cls.team.id)]})
        cls.stage_offer = Stage.create({"name": "AN Offer", "sequence": 902, "team_ids": [Command.link(cls.team.id)]})
        cls.stage_won = Stage.create({"name": "AN Won", "sequence": 903, "is_won": True,
                                      "team_ids": [Command.link(cls.team.id)]})
        cls.reason_price = cls.env["crm.lost.reason"].create({"name": "AN: too expensive"})
        cls.customers = cls.env["res.partner"].create([
            {"name": f"AN Customer {letter}", "is_company": True} for letter in "ABCDE"
        ])
        cls.products = cls.env["product.product"].create([
            {"name": f"AN Product {index}", "list_price": 1.0, "type": "service"} for index in range(1, 4)
        ])

    # ------------------------------------------------------------------ helpers

    @classmethod
    def flush_tracking(cls):
        """Create the pending tracking values now (they are written at commit time)."""
        cls.env.flush_all()
        cls.env.cr.flush()

    @classmethod
    def set_create_date(cls, records, when):
        """create_date is the transaction's time: tests set it by SQL to build a history."""
        cls.env.flush_all()
        cls.env.cr.execute(SQL("UPDATE %s SET create_date = %s WHERE id = ANY(%s)",
                                SQL.identifier(records._table), when, records.ids))
        records.invalidate_recordset(["create_date"])

    @classmethod
    def create_opportunity(cls, name, revenue, user=None, stage=None, **values):
        return cls.env["crm.lead"].create({
            "name": name,
            "type": "opportunity",
            "expected_revenue": revenue,
            "user_id": (user or cls.seller_1).id,
            "team_id": cls.team.id,
            "stage_id": (stage or cls.stage_new).id,
            **values,
        })

    @classmethod
    def create_order(cls, partner, lines, date_order, user=None):
        """A confirmed order dated ``date_order`` with ``lines`` = [(product, qty, unit price)]."""
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "user_id": (user or cls.seller_1).id,
            "team_id": cls.team.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price})
                           for product, qty, price in lines],
        })
        order.action_confirm()
        order.date_order = datetime.combine(date_order, datetime.min.time().replace(hour=12))
        return order
