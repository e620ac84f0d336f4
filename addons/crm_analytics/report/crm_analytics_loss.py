from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsLoss(models.Model):
    """Lost opportunities by reason, competitor, stage where they were lost and salesperson.

    Only opportunities count, as in the salesperson report's "# Lost" (lost leads
    are not deals); lost deals are archived (``active`` false) and read here all
    the same.  Losing a deal in Odoo archives it without moving it, so the lead's stage is
    the stage where it was lost.  The competitor is crm_marketing's "Lost To"
    (``crm_lost_competitor_id``), a dependency of this addon.
    """

    _name = "crm.analytics.loss"
    _description = "CRM Analytics: Losses"
    _auto = False
    _rec_name = "lead_id"
    _order = "date_closed desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    date_closed = fields.Datetime(string="Lost On", readonly=True)
    lead_create_date = fields.Datetime(string="Created On", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", readonly=True)
    competitor = fields.Char(string="Lost To", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Lost at Stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    nbr = fields.Integer(string="# Lost", readonly=True, aggregator="sum")
    expected_revenue = fields.Monetary(string="Lost Revenue", readonly=True, currency_field="company_currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY l.id) AS id, l.id AS lead_id, l.date_closed,
                   l.create_date AS lead_create_date, l.lost_reason_id, cmp.name AS competitor,
                   l.stage_id, l.user_id, l.team_id, l.partner_id, l.campaign_id, l.company_id,
                   c.currency_id AS company_currency_id, 1 AS nbr, l.expected_revenue
              FROM crm_lead l
              LEFT JOIN res_company c ON c.id = l.company_id
              LEFT JOIN %(competitor_table)s cmp ON cmp.id = l.crm_lost_competitor_id
             WHERE l.won_status = 'lost' AND l.type = 'opportunity'
            """,
            competitor_table=SQL.identifier(self.env["crm.competitor"]._table),
        )
