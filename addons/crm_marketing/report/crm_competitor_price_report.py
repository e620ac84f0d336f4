from odoo import fields, models
from odoo.tools import SQL


class CrmCompetitorPriceReport(models.Model):
    """Our list price against each competitor's latest observed price, per product."""

    _name = "crm.competitor.price.report"
    _description = "Price Comparison"
    _auto = False
    _order = "product_id, competitor_price"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", readonly=True)
    competitor_id = fields.Many2one("crm.competitor", readonly=True)
    date = fields.Date("Observed On", readonly=True)
    source = fields.Char(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    competitor_price = fields.Monetary(currency_field="currency_id", readonly=True, aggregator="avg")
    our_price = fields.Float("Our List Price", readonly=True, aggregator="avg")
    difference = fields.Float("Competitor - Ours", readonly=True, aggregator="avg")
    difference_pct = fields.Float("Difference (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL("""
            SELECT DISTINCT ON (price.product_id, price.competitor_id)
                   price.id AS id,
                   price.product_id AS product_id,
                   product.product_tmpl_id AS product_tmpl_id,
                   price.competitor_id AS competitor_id,
                   price.date AS date,
                   price.source AS source,
                   price.currency_id AS currency_id,
                   price.price AS competitor_price,
                   template.list_price AS our_price,
                   price.price - template.list_price AS difference,
                   CASE WHEN template.list_price <> 0
                        THEN 100.0 * (price.price - template.list_price) / template.list_price
                   END AS difference_pct
              FROM crm_competitor_price price
              JOIN crm_competitor competitor ON competitor.id = price.competitor_id AND competitor.active
              JOIN product_product product ON product.id = price.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             ORDER BY price.product_id, price.competitor_id, price.date DESC, price.id DESC
        """)
