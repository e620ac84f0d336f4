from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsForecast(models.Model):
    """Month-start forecast (``crm.forecast.snapshot``) beside what was won in the month.

    One row per month, company, team and salesperson.  ``abs_error`` = |won -
    forecast|; ``ape`` = abs_error / forecast in percent (absolute percentage
    error, empty without a forecast), averaged over rows it is the MAPE.
    """

    _name = "crm.analytics.forecast"
    _description = "CRM Analytics: Forecast Accuracy"
    _auto = False
    _rec_name = "month"
    _order = "month desc"

    month = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    forecast_amount = fields.Monetary(string="Forecast (Weighted)", readonly=True, currency_field="company_currency_id")
    won_amount = fields.Monetary(string="Won", readonly=True, currency_field="company_currency_id")
    won_count = fields.Integer(string="# Won", readonly=True, aggregator="sum")
    abs_error = fields.Monetary(string="Absolute Error", readonly=True, currency_field="company_currency_id")
    ape = fields.Float(string="Abs. % Error", readonly=True, aggregator="avg", digits=(16, 1),
                       help="|won - forecast| / forecast, in percent; its average is the MAPE.")
    wape = fields.Float(
        string="Forecast Error (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Weighted absolute percentage error: the sum of |won - forecast| divided by the sum of what was won, "
        "over the rows grouped together (empty when nothing was won). 0 % is a perfect forecast; above 100 % the "
        "forecast missed by more than what was won.")
    has_snapshot = fields.Boolean(string="Forecast Taken", readonly=True)

    def _read_group_select(self, aggregate_spec, query):
        """The forecast error is a ratio of sums (sum of errors / sum won) at every grouping, not an average."""
        if aggregate_spec != "wape:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "100.0 * SUM(%(error)s) / NULLIF(SUM(%(won)s), 0)",
            error=self._field_to_sql(self._table, "abs_error", query),
            won=self._field_to_sql(self._table, "won_amount", query),
        )

    # Row ids are derived from the row's own data, so they stay the same between
    # reads and when other rows appear: even ids are twice the snapshot's id (a
    # snapshot is unique per month, company, team and salesperson), odd ids are
    # twice the first won deal of a group without snapshot, plus one.

    @property
    def _table_query(self):
        return SQL(
            """
            WITH won AS (
                -- the month of the closing in the reader's time zone, as the dashboard's periods
                SELECT date_trunc('month', l.date_closed AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS month,
                       l.user_id, l.team_id, l.company_id,
                       SUM(l.expected_revenue) AS won_amount, COUNT(*) AS won_count, MIN(l.id) AS first_lead_id
                  FROM crm_lead l
                 WHERE l.won_status = 'won' AND l.type = 'opportunity' AND l.date_closed IS NOT NULL
                 GROUP BY 1, 2, 3, 4
            ), joined AS (
                SELECT COALESCE(s.id::bigint * 2, w.first_lead_id::bigint * 2 + 1) AS id,
                       COALESCE(s.month, w.month) AS month, COALESCE(s.user_id, w.user_id) AS user_id,
                       COALESCE(s.team_id, w.team_id) AS team_id, COALESCE(s.company_id, w.company_id) AS company_id,
                       COALESCE(s.forecast_amount, 0.0) AS forecast_amount, COALESCE(w.won_amount, 0.0) AS won_amount,
                       COALESCE(w.won_count, 0) AS won_count, s.id IS NOT NULL AS has_snapshot
                  FROM crm_forecast_snapshot s
                  FULL OUTER JOIN won w
                    ON w.month = s.month AND w.company_id = s.company_id
                   AND COALESCE(w.user_id, 0) = COALESCE(s.user_id, 0)
                   AND COALESCE(w.team_id, 0) = COALESCE(s.team_id, 0)
            )
            SELECT j.*,
                   c.currency_id AS company_currency_id,
                   ABS(j.won_amount - j.forecast_amount) AS abs_error,
                   100.0 * ABS(j.won_amount - j.forecast_amount) / NULLIF(j.forecast_amount, 0) AS ape,
                   100.0 * ABS(j.won_amount - j.forecast_amount) / NULLIF(j.won_amount, 0) AS wape
              FROM joined j
              LEFT JOIN res_company c ON c.id = j.company_id
            """,
            tz=self.env.tz.zone,
        )
