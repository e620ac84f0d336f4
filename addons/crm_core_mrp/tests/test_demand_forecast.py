from datetime import date

from odoo.fields import Command
from odoo.tests import tagged

from .common import CrmMrpCommon


@tagged("post_install", "-at_install")
class TestDemandForecast(CrmMrpCommon):

    def _forecast(self, product):
        return {
            (month.strftime("%Y-%m"), source): (expected, confirmed)
            for month, source, expected, confirmed in self.env["crm.demand.forecast"]._read_group(
                [("product_id", "=", product.id)], ["date:month", "source"], ["expected_qty:sum", "confirmed_qty:sum"])
        }

    def test_expected_beside_confirmed_demand(self):
        self._create_deal(50, [(self.product_cabinet, 10)], date_deadline=date(2031, 3, 15))
        self._create_deal(20, [(self.product_cabinet, 5)], date_deadline=date(2031, 3, 2), name="Второй")
        self._create_deal(60, [(self.product_cabinet, 100)], date_deadline=date(2031, 4, 1), name="Потерянный") \
            .action_set_lost()
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "commitment_date": "2031-04-10 10:00:00",
            "order_line": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": 3})],
        })
        order.action_confirm()
        self.env["sale.order"].create({  # a quotation is not demand yet
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product_cabinet.id, "product_uom_qty": 50})],
        })
        forecast = self._forecast(self.product_cabinet)
        self.assertEqual(forecast[("2031-03", "pipeline")], (6.0, 0.0), "10 x 50 % + 5 x 20 %")
        self.assertEqual(forecast[("2031-04", "order")], (0.0, 3.0))
        self.assertNotIn(("2031-04", "pipeline"), forecast, "lost deals do not count")

    def test_quantities_in_product_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        deal = self._create_deal(100 - 1, [(self.product_bought, 1)], date_deadline=date(2031, 5, 1))
        deal.crm_deal_line_ids.product_uom_id = dozen
        forecast = self._forecast(self.product_bought)
        self.assertAlmostEqual(forecast[("2031-05", "pipeline")][0], 12 * 0.99)
