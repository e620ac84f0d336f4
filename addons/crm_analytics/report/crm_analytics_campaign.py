from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsCampaign(models.Model):
    """Leads, wins, revenue and costs by campaign, medium and source.

    Per-lead rows carry counts and a 100/0 conversion (``avg`` gives the conversion
    rate at any grouping); campaign money comes from crm_marketing's single
    definition (``utm.campaign._query_campaign_money``): one row per confirmed sale
    order (revenue) and per approved cost line (cost), converted to the campaign's
    currency at the rate of the document's date.
    """

    _name = "crm.analytics.campaign"
    _description = "CRM Analytics: Campaign Effectiveness"
    _auto = False
    _rec_name = "campaign_id"
    _order = "date desc"

    date = fields.Date(readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(
        "res.currency", string="Currency", readonly=True,
        help="Currency of the amounts: the campaign's (its company's). Orders and costs in other "
        "currencies are converted at the rate of their own date.")
    lead_count = fields.Integer(string="# Leads", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="# Won", readonly=True, aggregator="sum")
    revenue = fields.Monetary(
        readonly=True, currency_field="company_currency_id",
        help="Untaxed amount of the campaign's confirmed sale orders, converted at each order's date rate.")
    conversion_rate = fields.Float(string="Conversion (%)", readonly=True, aggregator="avg", digits=(16, 1))
    cost = fields.Monetary(
        readonly=True, currency_field="company_currency_id",
        help="Approved cost lines of the campaign, converted at each cost's date rate.")

    def _query_money(self):
        """Confirmed orders and approved costs, one row each, carrying only revenue or cost."""
        return SQL(
            """
            UNION ALL
            SELECT COALESCE(m.order_id * 3 + 2, m.cost_id * 3 + 1), m.date, m.campaign_id, NULL::int,
                   NULL::int, NULL::int, NULL::int, NULL::int, m.company_id, 0, 0, m.revenue, NULL::float, m.cost
              FROM (%s) m
             WHERE m.revenue <> 0 OR m.cost <> 0
            """,
            self.env["utm.campaign"]._query_campaign_money(),
        )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT f.*, c.currency_id AS company_currency_id
              FROM (
                SELECT l.id * 3 AS id, l.create_date::date AS date, l.campaign_id, l.medium_id, l.source_id,
                       l.id AS lead_id,
                       l.user_id, l.team_id, l.company_id, 1 AS lead_count,
                       CASE WHEN l.won_status = 'won' THEN 1 ELSE 0 END AS won_count,
                       0.0 AS revenue,
                       CASE WHEN l.won_status = 'won' THEN 100.0 ELSE 0.0 END::float AS conversion_rate,
                       0.0 AS cost
                  FROM crm_lead l
                 WHERE l.campaign_id IS NOT NULL OR l.medium_id IS NOT NULL OR l.source_id IS NOT NULL
                %(money)s
              ) f
              LEFT JOIN res_company c ON c.id = f.company_id
            """,
            money=self._query_money(),
        )

