from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsCampaignRoi(models.Model):
    """One row per campaign with its ratios (a list to sort and export).

    The figures are crm_marketing's single definition (``utm.campaign._query_campaign_kpis``),
    the same the campaign form shows.
    """

    _name = "crm.analytics.campaign.roi"
    _description = "CRM Analytics: Campaign ROI"
    _auto = False
    _rec_name = "campaign_id"
    _order = "roi desc nulls last"

    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(
        "res.currency", string="Currency", readonly=True,
        help="Currency of the amounts: the campaign's (its company's). Orders and costs in other "
        "currencies are converted at the rate of their own date.")
    lead_count = fields.Integer(string="# Leads", readonly=True)
    won_count = fields.Integer(string="# Won", readonly=True)
    revenue = fields.Monetary(
        readonly=True, currency_field="company_currency_id",
        help="Untaxed amount of the campaign's confirmed sale orders, converted at each order's date rate.")
    cost = fields.Monetary(
        readonly=True, currency_field="company_currency_id",
        help="Approved cost lines of the campaign, converted at each cost's date rate.")
    conversion_rate = fields.Float(string="Conversion (%)", readonly=True, aggregator="avg", digits=(16, 1))
    cost_per_lead = fields.Monetary(
        string="Cost per Lead", readonly=True, aggregator="avg", currency_field="company_currency_id",
        help="Cost / leads of the campaign (archived and lost leads included).")
    cost_per_won = fields.Monetary(
        string="Cost per Won Deal", readonly=True, aggregator="avg", currency_field="company_currency_id")
    roi = fields.Float(string="ROI (%)", readonly=True, aggregator="avg", digits=(16, 1),
                       help="(Revenue - cost) / cost, as on the campaign form.")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT k.campaign_id AS id, k.campaign_id,
                   COALESCE(camp.company_id, k.company_id) AS company_id,
                   COALESCE(k.currency_id, c.currency_id) AS company_currency_id,
                   k.lead_count, k.won_count, k.revenue, k.cost,
                   100.0 * k.won_count / NULLIF(k.lead_count, 0) AS conversion_rate,
                   k.cost_per_lead, k.cost_per_won, k.roi
              FROM (%s) k
              JOIN utm_campaign camp ON camp.id = k.campaign_id
              LEFT JOIN res_company c ON c.id = camp.company_id
            """,
            self.env["utm.campaign"]._query_campaign_kpis(),
        )
