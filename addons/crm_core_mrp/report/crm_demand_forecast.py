from odoo import fields, models
from odoo.tools import SQL


class CrmDemandForecast(models.Model):
    """Expected demand per product and month: open deals weighted by their
    probability (by expected closing month) beside confirmed sale orders
    (by commitment or order month). Quantities are in the product's unit."""

    _name = "crm.demand.forecast"
    _description = "Pipeline Demand Forecast"
    _auto = False
    _order = "date desc, product_id"
    _rec_name = "product_id"
    _depends = {
        "crm.lead": ["active", "type", "won_status", "date_deadline", "probability", "company_id",
                     "user_id", "team_id", "create_date"],
        "crm.deal.line": ["lead_id", "product_id", "product_uom_qty", "product_uom_id"],
        "sale.order": ["state", "commitment_date", "date_order", "company_id", "opportunity_id",
                       "user_id", "team_id"],
        "sale.order.line": ["order_id", "product_id", "product_uom_qty", "product_uom_id",
                            "display_type", "is_downpayment"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id", "uom_id"],
        "uom.uom": ["factor"],
    }

    date = fields.Date(string="Month", readonly=True)
    source = fields.Selection(
        [("pipeline", "Open Deal"), ("order", "Confirmed Order")], readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True)
    order_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    pipeline_qty = fields.Float(string="Pipeline Quantity", readonly=True, digits="Product Unit",
                                help="Quantity on open deals, not weighted.")
    expected_qty = fields.Float(string="Expected Quantity", readonly=True, digits="Product Unit",
                                help="Quantity on open deals multiplied by their probability.")
    confirmed_qty = fields.Float(string="Confirmed Quantity", readonly=True, digits="Product Unit")
    total_qty = fields.Float(string="Expected + Confirmed", readonly=True, digits="Product Unit")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id * 2 AS id,
                   'pipeline' AS source,
                   date_trunc('month', COALESCE(d.date_deadline, d.create_date::date))::date AS date,
                   l.product_id,
                   p.product_tmpl_id,
                   t.categ_id,
                   d.company_id,
                   d.id AS lead_id,
                   NULL::integer AS order_id,
                   d.user_id,
                   d.team_id,
                   l.product_uom_qty * lu.factor / pu.factor AS pipeline_qty,
                   l.product_uom_qty * lu.factor / pu.factor * d.probability / 100.0 AS expected_qty,
                   0.0 AS confirmed_qty,
                   l.product_uom_qty * lu.factor / pu.factor * d.probability / 100.0 AS total_qty
              FROM crm_deal_line l
              JOIN crm_lead d ON d.id = l.lead_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
              JOIN uom_uom lu ON lu.id = l.product_uom_id
              JOIN uom_uom pu ON pu.id = t.uom_id
             WHERE d.active
               AND d.type = 'opportunity'
               AND d.won_status = 'pending'
            UNION ALL
            SELECT sol.id * 2 + 1 AS id,
                   'order' AS source,
                   date_trunc('month', COALESCE(so.commitment_date, so.date_order))::date AS date,
                   sol.product_id,
                   p.product_tmpl_id,
                   t.categ_id,
                   so.company_id,
                   so.opportunity_id AS lead_id,
                   so.id AS order_id,
                   so.user_id,
                   so.team_id,
                   0.0 AS pipeline_qty,
                   0.0 AS expected_qty,
                   sol.product_uom_qty * su.factor / pu.factor AS confirmed_qty,
                   sol.product_uom_qty * su.factor / pu.factor AS total_qty
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN product_product p ON p.id = sol.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
              JOIN uom_uom su ON su.id = sol.product_uom_id
              JOIN uom_uom pu ON pu.id = t.uom_id
             WHERE so.state = 'sale'
               AND sol.display_type IS NULL
               AND NOT COALESCE(sol.is_downpayment, FALSE)
            """
        )
