from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsManager(models.Model):
    """Each salesperson's figures as one stream of dated facts.

    Row ids are the source id * 8 + the kind of fact, stable for exports.
    Ratios are stored per fact with NULL where they do not apply, so the
    ``avg`` aggregator gives the right figure at any grouping: win rate is
    100/0 on won/lost deals, deal size and cycle length only on won deals.
    """

    _name = "crm.analytics.manager"
    _description = "CRM Analytics: Salesperson Performance"
    _auto = False
    _rec_name = "user_id"
    _order = "date desc"

    date = fields.Date(readonly=True)
    fact = fields.Selection([
        ("deal", "Closed deal"),
        ("order", "Confirmed order"),
        ("invoice", "Invoice"),
        ("activity_done", "Activity done"),
        ("activity_overdue", "Overdue activity"),
        ("target", "Sales plan target"),
        ("pipeline", "Open opportunity"),
    ], readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    revenue_confirmed = fields.Monetary(string="Confirmed Revenue", readonly=True, currency_field="company_currency_id")
    revenue_invoiced = fields.Monetary(string="Invoiced Revenue", readonly=True, currency_field="company_currency_id")
    won_count = fields.Integer(string="# Won", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="# Lost", readonly=True, aggregator="sum")
    won_amount = fields.Monetary(string="Won Revenue", readonly=True, currency_field="company_currency_id")
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg", digits=(16, 1))
    deal_size = fields.Float(string="Average Deal Size", readonly=True, aggregator="avg", digits=(16, 2))
    cycle_days = fields.Float(string="Sales Cycle (days)", readonly=True, aggregator="avg", digits=(16, 1),
                              help="Days from the creation of a won deal to its closing.")
    activities_done = fields.Integer(string="# Activities Done", readonly=True, aggregator="sum")
    activities_overdue = fields.Integer(string="# Activities Overdue", readonly=True, aggregator="sum")
    target_amount = fields.Monetary(string="Plan Target", readonly=True, currency_field="company_currency_id")
    pipeline_count = fields.Integer(string="# Open Opportunities", readonly=True, aggregator="sum")
    pipeline_amount = fields.Monetary(string="Pipeline", readonly=True, currency_field="company_currency_id")
    weighted_amount = fields.Monetary(string="Weighted Pipeline", readonly=True, currency_field="company_currency_id",
                                      help="Expected revenue x probability of the open opportunities.")

    def _query_targets(self):
        """Sales plan targets from crm_core (optional: only when its model is installed)."""
        plan = self.env.get("crm.sales.plan.line")
        if plan is None or "target_amount" not in plan._fields or not plan._auto:
            return SQL()
        date_field = next((name for name in ("date_start", "date_from", "date") if name in plan._fields), None)
        if not date_field:
            return SQL()
        team = SQL("t.team_id") if "team_id" in plan._fields else SQL("NULL::int")
        user = SQL("t.user_id") if "user_id" in plan._fields else SQL("NULL::int")
        company = SQL("t.company_id") if "company_id" in plan._fields else SQL("NULL::int")
        # draft plans are not commitments yet
        where = SQL("WHERE t.state <> 'draft'") if plan._fields.get("state") and plan._fields["state"].store else SQL()
        return SQL(
            """
            UNION ALL
            SELECT t.id * 8 + 5, 'target', t.%(date)s::date, %(user)s, %(team)s, %(company)s,
                   0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, t.target_amount, 0, 0, 0
              FROM %(table)s t
            %(where)s
            """,
            date=SQL.identifier(date_field), user=user, team=team, company=company,
            table=SQL.identifier(plan._table), where=where,
        )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT f.*, c.currency_id AS company_currency_id
              FROM (
                SELECT l.id * 8 AS id, 'deal' AS fact, l.date_closed::date AS date, l.user_id, l.team_id, l.company_id,
                       0.0 AS revenue_confirmed, 0.0 AS revenue_invoiced,
                       CASE WHEN l.won_status = 'won' THEN 1 ELSE 0 END AS won_count,
                       CASE WHEN l.won_status = 'lost' THEN 1 ELSE 0 END AS lost_count,
                       CASE WHEN l.won_status = 'won' THEN l.expected_revenue ELSE 0 END AS won_amount,
                       CASE WHEN l.won_status = 'won' THEN 100.0 ELSE 0.0 END AS win_rate,
                       CASE WHEN l.won_status = 'won' THEN l.expected_revenue END AS deal_size,
                       CASE WHEN l.won_status = 'won'
                            THEN EXTRACT(EPOCH FROM (l.date_closed - l.create_date)) / 86400.0 END AS cycle_days,
                       0 AS activities_done, 0 AS activities_overdue, 0.0 AS target_amount,
                       0 AS pipeline_count, 0.0 AS pipeline_amount, 0.0 AS weighted_amount
                  FROM crm_lead l
                 WHERE l.type = 'opportunity' AND l.won_status IN ('won', 'lost') AND l.date_closed IS NOT NULL
                UNION ALL
                SELECT so.id * 8 + 1, 'order', so.date_order::date, so.user_id, so.team_id, so.company_id,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1), 0, 0, 0, 0, NULL, NULL, NULL,
                       0, 0, 0, 0, 0, 0
                  FROM sale_order so
                 WHERE so.state = 'sale'
                UNION ALL
                SELECT am.id * 8 + 2, 'invoice', am.invoice_date, am.invoice_user_id, am.team_id, am.company_id,
                       0, am.amount_untaxed_signed, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0
                  FROM account_move am
                 WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                UNION ALL
                SELECT a.id * 8 + 3, CASE WHEN a.active THEN 'activity_overdue' ELSE 'activity_done' END,
                       COALESCE(a.date_done, a.date_deadline), a.user_id, l.team_id, l.company_id,
                       0, 0, 0, 0, 0, NULL, NULL, NULL,
                       CASE WHEN a.active THEN 0 ELSE 1 END, CASE WHEN a.active THEN 1 ELSE 0 END, 0, 0, 0, 0
                  FROM mail_activity a
                  LEFT JOIN crm_lead l ON a.res_model = 'crm.lead' AND l.id = a.res_id
                 WHERE (NOT a.active AND a.date_done IS NOT NULL)
                    OR (a.active AND a.date_deadline < (NOW() AT TIME ZONE 'UTC')::date)
                UNION ALL
                SELECT l.id * 8 + 4, 'pipeline', l.date_deadline, l.user_id, l.team_id, l.company_id,
                       0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 1, l.expected_revenue, l.prorated_revenue
                  FROM crm_lead l
                 WHERE l.type = 'opportunity' AND l.won_status = 'pending' AND l.active
                %(targets)s
              ) f
              LEFT JOIN res_company c ON c.id = f.company_id
            """,
            targets=self._query_targets(),
        )
