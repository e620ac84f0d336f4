from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsFunnel(models.Model):
    """One row per stay of a lead in a stage.

    The stage history comes from Odoo's own tracking of ``crm.lead.stage_id``
    (``mail.tracking.value``): the lead's first stage is the old value of its
    first tracked change (or its current stage), each tracked change opens a new
    stay, which ends when the next one starts.  No second history table.
    A deal created directly in a won stage (no tracked move) entered it when it
    was won (``date_closed``), so the funnel's won stays and the won deals of the
    salesperson report fall in the same period.  Conversion only counts decided
    stays: the current stay of an open deal is not a failure yet.
    Row ids: lead id * 2 for the first stay, tracking value id * 2 + 1 for the next ones.
    """

    _name = "crm.analytics.funnel"
    _description = "CRM Analytics: Funnel"
    _auto = False
    _rec_name = "lead_id"
    _order = "date_entered desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    date_entered = fields.Datetime(string="Entered Stage", readonly=True)
    date_left = fields.Datetime(string="Left Stage", readonly=True)
    days_in_stage = fields.Float(string="Days in Stage", readonly=True, aggregator="avg", digits=(16, 1))
    conversion_rate = fields.Float(
        string="Conversion to Next Stage (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Share of the decided stays that moved on to a later stage or ended won: a stay counts once the "
        "deal left the stage or was closed (empty for won stages and for open deals still in the stage).")
    nbr = fields.Integer(string="# Opportunities", readonly=True, aggregator="sum")
    expected_revenue = fields.Monetary(readonly=True, currency_field="company_currency_id")
    is_current = fields.Boolean(string="Current Stage", readonly=True)
    lead_type = fields.Selection([("lead", "Lead"), ("opportunity", "Opportunity")], string="Type", readonly=True)
    won_status = fields.Selection([("won", "Won"), ("lost", "Lost"), ("pending", "Pending")], readonly=True)
    lead_create_date = fields.Datetime(string="Created On", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH moves AS (
                SELECT msg.res_id AS lead_id, msg.date AS moved_at, tv.id AS move_id,
                       tv.old_value_integer AS old_stage, tv.new_value_integer AS new_stage
                  FROM mail_tracking_value tv
                  JOIN mail_message msg ON msg.id = tv.mail_message_id
                 WHERE tv.field_id = (SELECT id FROM ir_model_fields WHERE model = 'crm.lead' AND name = 'stage_id')
                   AND msg.model = 'crm.lead'
            ), first_moves AS (
                SELECT DISTINCT ON (lead_id) lead_id, old_stage FROM moves ORDER BY lead_id, moved_at, move_id
            ), stays AS (
                SELECT l.id AS lead_id, COALESCE(NULLIF(fm.old_stage, 0), l.stage_id) AS stage_id,
                       CASE WHEN fm.lead_id IS NULL AND l.won_status = 'won'
                            THEN COALESCE(l.date_closed, l.create_date) ELSE l.create_date END AS entered_at,
                       0 AS move_id, l.type AS lead_type, l.team_id, l.company_id
                  FROM crm_lead l LEFT JOIN first_moves fm ON fm.lead_id = l.id
                UNION ALL
                SELECT m.lead_id, m.new_stage, m.moved_at, m.move_id, ml.type, ml.team_id, ml.company_id
                  FROM moves m JOIN crm_lead ml ON ml.id = m.lead_id
            ), ordered AS (
                -- the lead's type, team and company are in the partition (one value per lead: the same
                -- partitions), so that PostgreSQL applies a filter on them before the window functions
                -- rather than after: the dashboard's opportunities of a team, not every lead's history
                SELECT s.lead_id, s.lead_type, s.team_id, s.company_id, s.stage_id, s.entered_at, s.move_id,
                       st.sequence, st.is_won,
                       LEAD(s.entered_at) OVER w AS left_at,
                       MAX(st.sequence) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS later_max_sequence
                  FROM stays s JOIN crm_stage st ON st.id = s.stage_id
                WINDOW w AS (PARTITION BY s.lead_id, s.lead_type, s.team_id, s.company_id
                             ORDER BY s.entered_at, s.move_id)
            )
            SELECT CASE WHEN o.move_id = 0 THEN o.lead_id * 2 ELSE o.move_id * 2 + 1 END AS id,
                   o.lead_id, o.stage_id, o.entered_at AS date_entered, o.left_at AS date_left,
                   EXTRACT(EPOCH FROM (COALESCE(o.left_at, l.date_closed, NOW() AT TIME ZONE 'UTC') - o.entered_at))
                       / 86400.0 AS days_in_stage,
                   CASE WHEN o.is_won THEN NULL
                        WHEN o.later_max_sequence > o.sequence OR l.won_status = 'won' THEN 100.0
                        WHEN o.left_at IS NULL AND l.won_status = 'pending' THEN NULL
                        ELSE 0.0 END AS conversion_rate,
                   1 AS nbr, l.expected_revenue, o.left_at IS NULL AS is_current,
                   o.lead_type, l.won_status, l.create_date AS lead_create_date,
                   l.user_id, o.team_id, l.source_id, l.medium_id, l.campaign_id, o.company_id,
                   c.currency_id AS company_currency_id
              FROM ordered o
              JOIN crm_lead l ON l.id = o.lead_id
              LEFT JOIN res_company c ON c.id = l.company_id
            """
        )
