from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsCampaign(models.Model):
    """Leads, wins and costs by campaign, medium and source.

    Per-lead rows carry counts, won revenue and a 100/0 conversion (``avg`` gives
    the conversion rate at any grouping); crm_marketing's cost lines come as rows
    with only a cost, so sums per campaign give cost per lead, per won deal and ROI
    (see the ratio columns of ``crm.analytics.campaign.roi``).
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
    company_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    lead_count = fields.Integer(string="# Leads", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="# Won", readonly=True, aggregator="sum")
    won_revenue = fields.Monetary(readonly=True, currency_field="company_currency_id")
    conversion_rate = fields.Float(string="Conversion (%)", readonly=True, aggregator="avg", digits=(16, 1))
    cost = fields.Monetary(readonly=True, currency_field="company_currency_id")

    def _query_costs(self):
        """crm_marketing's approved cost lines, one row each, carrying only a cost."""
        return SQL(
            """
            UNION ALL
            SELECT k.id * 2 + 1, k.date, k.campaign_id, NULL::int, NULL::int, NULL::int, NULL::int, NULL::int,
                   k.company_id, 0, 0, 0.0, NULL::float, k.amount
              FROM crm_campaign_cost k
             WHERE k.state = 'approved'
            """
        )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT f.*, c.currency_id AS company_currency_id
              FROM (
                SELECT l.id * 2 AS id, l.create_date::date AS date, l.campaign_id, l.medium_id, l.source_id, l.id AS lead_id,
                       l.user_id, l.team_id, l.company_id, 1 AS lead_count,
                       CASE WHEN l.won_status = 'won' THEN 1 ELSE 0 END AS won_count,
                       CASE WHEN l.won_status = 'won' THEN l.expected_revenue ELSE 0.0 END AS won_revenue,
                       CASE WHEN l.won_status = 'won' THEN 100.0 ELSE 0.0 END::float AS conversion_rate,
                       0.0 AS cost
                  FROM crm_lead l
                 WHERE l.campaign_id IS NOT NULL OR l.medium_id IS NOT NULL OR l.source_id IS NOT NULL
                %(costs)s
              ) f
              LEFT JOIN res_company c ON c.id = f.company_id
            """,
            costs=self._query_costs(),
        )

