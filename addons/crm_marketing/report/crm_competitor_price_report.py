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
    currency_id = fields.Many2one("res.currency", "Observed Currency", readonly=True)
    competitor_price = fields.Monetary(
        "Observed Price", currency_field="currency_id", readonly=True, aggregator="avg",
        help="The competitor's price in the currency it was observed in.")
    our_currency_id = fields.Many2one(
        "res.currency", "Currency", readonly=True,
        help="Currency of our list price, in which the comparison is made.")
    competitor_price_converted = fields.Monetary(
        "Competitor Price", currency_field="our_currency_id", readonly=True, aggregator="avg",
        help="The competitor's price converted to the currency of our list price at the rate of "
        "the date it was observed.")
    our_price = fields.Monetary("Our List Price", currency_field="our_currency_id", readonly=True, aggregator="avg")
    difference = fields.Monetary(
        "Competitor - Ours", currency_field="our_currency_id", readonly=True, aggregator="avg",
        help="Converted competitor price minus our list price, in our list price's currency.")
    difference_pct = fields.Float("Difference (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        main_company = self.env["res.company"]._get_main_company()
        # our list price is in the product's company currency, else the main company's
        # (as product.template.currency_id)
        company = SQL("COALESCE(template.company_id, %s)", main_company.id)
        our_currency = SQL(
            "(SELECT rc.currency_id FROM res_company rc WHERE rc.id = COALESCE(template.company_id, %s))",
            main_company.id,
        )
        converted = self.env["res.currency"]._crm_sql_convert(
            SQL("price.price"), SQL("price.currency_id"), our_currency, company, SQL("price.date"))
        return SQL("""
            SELECT p.*,
                   p.competitor_price_converted - p.our_price AS difference,
                   CASE WHEN p.our_price <> 0
                        THEN 100.0 * (p.competitor_price_converted - p.our_price) / p.our_price
                   END AS difference_pct
              FROM (
                SELECT DISTINCT ON (price.product_id, price.competitor_id)
                       price.id AS id,
                       price.product_id AS product_id,
                       product.product_tmpl_id AS product_tmpl_id,
                       price.competitor_id AS competitor_id,
                       price.date AS date,
                       price.source AS source,
                       price.currency_id AS currency_id,
                       price.price AS competitor_price,
                       %(our_currency)s AS our_currency_id,
                       %(converted)s AS competitor_price_converted,
                       template.list_price AS our_price
                  FROM crm_competitor_price price
                  JOIN crm_competitor competitor ON competitor.id = price.competitor_id AND competitor.active
                  JOIN product_product product ON product.id = price.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 ORDER BY price.product_id, price.competitor_id, price.date DESC, price.id DESC
              ) p
        """, our_currency=our_currency, converted=converted)
