from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsCampaignRoi(models.Model):
    """One row per campaign with its ratios computed in SQL (a list to sort and export)."""

    _name = "crm.analytics.campaign.roi"
    _description = "CRM Analytics: Campaign ROI"
    _auto = False
    _rec_name = "campaign_id"
    _order = "roi desc nulls last"

    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    lead_count = fields.Integer(string="# Leads", readonly=True)
    won_count = fields.Integer(string="# Won", readonly=True)
    won_revenue = fields.Monetary(readonly=True, currency_field="company_currency_id")
    cost = fields.Monetary(readonly=True, currency_field="company_currency_id")
    conversion_rate = fields.Float(string="Conversion (%)", readonly=True, aggregator="avg", digits=(16, 1))
    cost_per_lead = fields.Float(string="Cost per Lead", readonly=True, aggregator="avg", digits=(16, 2))
    cost_per_won = fields.Float(string="Cost per Won Deal", readonly=True, aggregator="avg", digits=(16, 2))
    roi = fields.Float(string="ROI (%)", readonly=True, aggregator="avg", digits=(16, 1),
                       help="(Won revenue - cost) / cost.")

    @property
    def _table_query(self):
        detail = self.env["crm.analytics.campaign"]
        return SQL(
            """
            SELECT d.campaign_id AS id, d.campaign_id, MIN(d.company_id) AS company_id, MIN(d.company_currency_id) AS company_currency_id,
                   SUM(d.lead_count) AS lead_count, SUM(d.won_count) AS won_count,
                   SUM(d.won_revenue) AS won_revenue, SUM(d.cost) AS cost,
                   100.0 * SUM(d.won_count) / NULLIF(SUM(d.lead_count), 0) AS conversion_rate,
                   SUM(d.cost) / NULLIF(SUM(d.lead_count), 0) AS cost_per_lead,
                   SUM(d.cost) / NULLIF(SUM(d.won_count), 0) AS cost_per_won,
                   100.0 * (SUM(d.won_revenue) - SUM(d.cost)) / NULLIF(SUM(d.cost), 0) AS roi
              FROM (%s) d
             WHERE d.campaign_id IS NOT NULL
             GROUP BY d.campaign_id
            """,
            detail._table_query,
        )
