from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsManager(models.Model):
    """Each salesperson's figures as one stream of dated facts.

    Row ids are the source id * 8 + the kind of fact, stable for exports
    (plan targets: (target id * 1000 + month number) * 8 + 5; sales in a
    target category: (document line id * 2^20 + target id) * 8 + 6).
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
        ("category_sale", "Sale in a target category"),
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
    target_amount = fields.Monetary(
        string="Plan Target", readonly=True, currency_field="company_currency_id",
        help="Amount targets of the confirmed and closed sales plans, without product category, spread over the "
        "months of their period: each month gets the share of the days of that month the period covers (a "
        "quarter gives a third to each month). No double counting, as in the plan's own totals: a team's own "
        "target stands for the team and its members' targets are a breakdown of it. A salesperson's target "
        "counts for them and for their main sales team; the team's row without salesperson carries the team's "
        "target minus its members' targets, so a team's total is its own target when set, else its members' "
        "targets.")
    achieved_amount = fields.Monetary(
        string="Plan Achieved", readonly=True, currency_field="company_currency_id",
        help="What counts for sales plans, as set in the CRM settings: the revenue of won deals or the untaxed "
        "amount of confirmed orders, in the company currency.")
    achievement_rate = fields.Float(
        string="Plan Achieved (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Plan Achieved / Plan Target of the rows grouped together.")
    product_category_id = fields.Many2one(
        "product.category", string="Target Category", readonly=True,
        help="The product category of a category target and of the sales that count for it.")
    category_target_amount = fields.Monetary(
        string="Category Target", readonly=True, currency_field="company_currency_id",
        help="Amount targets per product category, spread over the months like the plan targets. Category "
        "targets are parts of the plan targets: they are never added to the Plan Target.")
    category_achieved_amount = fields.Monetary(
        string="Category Achieved", readonly=True, currency_field="company_currency_id",
        help="Sales of products in the target's category or its subcategories, by the target's salesperson or "
        "team, in the plan's period.")
    category_achievement_rate = fields.Float(
        string="Category Achieved (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Category Achieved / Category Target of the rows grouped together.")
    pipeline_count = fields.Integer(string="# Open Opportunities", readonly=True, aggregator="sum")
    pipeline_amount = fields.Monetary(string="Pipeline", readonly=True, currency_field="company_currency_id")
    weighted_amount = fields.Monetary(string="Weighted Pipeline", readonly=True, currency_field="company_currency_id",
                                      help="Expected revenue x probability of the open opportunities.")

    def _read_group_select(self, aggregate_spec, query):
        """Achievement rates are ratios of sums (achieved / target) at every grouping, not averages of rows."""
        ratios = {
            "achievement_rate:avg": ("achieved_amount", "target_amount"),
            "category_achievement_rate:avg": ("category_achieved_amount", "category_target_amount"),
        }
        if aggregate_spec not in ratios:
            return super()._read_group_select(aggregate_spec, query)
        achieved, target = ratios[aggregate_spec]
        return SQL(
            "100.0 * SUM(%(achieved)s) / NULLIF(SUM(%(target)s), 0)",
            achieved=self._field_to_sql(self._table, achieved, query),
            target=self._field_to_sql(self._table, target, query),
        )

    def _local_date(self, column):
        """The day of the UTC datetime ``column`` in the reader's time zone (``env.tz``, as
        ``fields.Date.context_today``): a deal closed at 22:00 UTC on the 31st is closed on the 1st in
        Moscow, in this report as on the dashboard, whose periods are local days."""
        return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", column, self.env.tz.zone)

    def _achievement_source(self):
        return self.env["crm.sales.plan"]._get_achievement_source()

    def _query_targets(self):
        """Confirmed and closed sales plan targets, spread over the months of their period.

        Each month of the period weighs the part of it the period covers (a
        whole month 1, the 10 last days of a 30-day month 1/3), and gets
        target x weight / total weight: a quarter gives a third to each month,
        a period starting or ending mid-month gives its partial months their
        share of days. A month's portion is dated on its first day in the
        period.

        No double counting, by the same rule as the plan's own totals
        (``crm.sales.plan.line._get_target_breakdown`` in crm_core): a team's
        own target stands for the team; the targets of the salespeople whose
        main sales team it is (same plan, same product category) are a
        breakdown of it. A salesperson's target counts for them and for their
        main sales team, and the team's own row, without salesperson, carries
        the team's target minus that breakdown (negative when the members'
        targets add up to more), so a team's total is its own target when it
        has one, else its members' targets, and the plan's total equals the
        plan form's. Category targets go to the category measures only, by the
        same rule per category.
        """
        return SQL(
            """
            UNION ALL
            SELECT (t.id::bigint * 1000 + m.idx) * 8 + 5, 'target', GREATEST(m.month, t.date_from),
                   t.user_id, COALESCE(t.team_id, u.sale_team_id), t.company_id,
                   0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0,
                   CASE WHEN t.product_category_id IS NULL
                        THEN (t.target_amount - COALESCE(breakdown.amount, 0)) * m.weight
                             / SUM(m.weight) OVER (PARTITION BY t.id) ELSE 0 END,
                   0, 0, 0, 0.0, t.product_category_id,
                   CASE WHEN t.product_category_id IS NOT NULL
                        THEN (t.target_amount - COALESCE(breakdown.amount, 0)) * m.weight
                             / SUM(m.weight) OVER (PARTITION BY t.id) ELSE 0 END,
                   0.0
              FROM crm_sales_plan_line t
              LEFT JOIN res_users u ON u.id = t.user_id
              LEFT JOIN LATERAL (SELECT SUM(b.target_amount) AS amount FROM (%(breakdown)s) b) breakdown ON TRUE
             CROSS JOIN LATERAL (
                    SELECT gs.month_start::date AS month,
                           ROW_NUMBER() OVER (ORDER BY gs.month_start) AS idx,
                           (LEAST(t.date_to, (gs.month_start + INTERVAL '1 month')::date - 1)
                            - GREATEST(t.date_from, gs.month_start::date) + 1)::numeric
                           / ((gs.month_start + INTERVAL '1 month')::date - gs.month_start::date) AS weight
                      FROM crm_analytics_month_starts(t.date_from, t.date_to) AS gs(month_start)
                   ) m
             WHERE t.state <> 'draft'
            UNION ALL
            %(category_achievement)s
            """,
            breakdown=self._query_target_breakdown(),
            category_achievement=self._query_category_achievement(),
        )

    def _query_target_breakdown(self):
        """The salespeople's targets (user_id, target_amount) that break down the team target ``t``: its
        members' (main sales team) in the same plan and product category; none for a salesperson's target.
        The SQL of ``crm.sales.plan.line._get_target_breakdown`` (crm_core)."""
        return SQL(
            """SELECT member_line.user_id, member_line.target_amount
                 FROM crm_sales_plan_line member_line
                 JOIN res_users member ON member.id = member_line.user_id
                WHERE t.team_id IS NOT NULL
                  AND member_line.plan_id = t.plan_id
                  AND member.sale_team_id = t.team_id
                  AND member_line.product_category_id IS NOT DISTINCT FROM t.product_category_id"""
        )

    def _query_category_achievement(self):
        """What the counted category targets achieved: the document lines of their category or subcategories.

        Same rules as crm_core's plan lines: a salesperson's target counts
        their deals (orders), a team's target the team's, in the plan's period
        and company. Attributed to the target's salesperson and team so that
        the category figures group like the targets; a team target's row
        leaves out the documents of the salespeople whose targets break it
        down (see _query_targets): their rows count them, once.
        """
        if self._achievement_source() == "sale_orders":
            documents = SQL(
                """SELECT dl.id AS line_id, so.date_order AS date, so.user_id, so.team_id, so.company_id,
                          dl.product_id, dl.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
                     FROM sale_order_line dl
                     JOIN sale_order so ON so.id = dl.order_id
                    WHERE so.state = 'sale' AND dl.display_type IS NULL"""
            )
        else:
            # a deal in another currency: converted at the rates of its closing day, as crm_core does
            documents = SQL(
                """SELECT dl.id AS line_id, l.date_closed AS date, l.user_id, l.team_id, l.company_id,
                          dl.product_id,
                          CASE WHEN l.crm_currency_id IS NULL OR l.crm_currency_id = company.currency_id
                               THEN dl.price_subtotal
                               ELSE dl.price_subtotal * %(company_rate)s / NULLIF(%(deal_rate)s, 0) END AS amount
                     FROM crm_deal_line dl
                     JOIN crm_lead l ON l.id = dl.lead_id
                     JOIN res_company company ON company.id = l.company_id
                    WHERE l.won_status = 'won' AND l.date_closed IS NOT NULL""",
                company_rate=self._query_rate(SQL("company.currency_id")),
                deal_rate=self._query_rate(SQL("l.crm_currency_id")),
            )
        return SQL(
            """
            SELECT (d.line_id::bigint * 1048576 + t.id) * 8 + 6, 'category_sale', %(local_date)s,
                   t.user_id, COALESCE(t.team_id, u.sale_team_id), t.company_id,
                   0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0.0, t.product_category_id, 0.0, d.amount
              FROM crm_sales_plan_line t
              LEFT JOIN res_users u ON u.id = t.user_id
              JOIN product_category target_categ ON target_categ.id = t.product_category_id
              JOIN (%(documents)s) d
                ON d.company_id = t.company_id
               AND d.date >= t.date_from AND d.date < t.date_to + 1
               AND (d.user_id = t.user_id OR d.team_id = t.team_id)
              JOIN product_product pp ON pp.id = d.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN product_category categ ON categ.id = pt.categ_id
             WHERE t.state <> 'draft' AND categ.parent_path LIKE target_categ.parent_path || '%%'
               AND NOT EXISTS (SELECT 1 FROM (%(breakdown)s) b WHERE b.user_id = d.user_id)
            """,
            documents=documents,
            local_date=self._local_date(SQL("d.date")),
            breakdown=self._query_target_breakdown(),
        )

    def _query_rate(self, currency):
        """Odoo's rate of ``currency`` on the closing day of the deal ``l`` in its company, as crm_core's
        plan lines convert (the company's own rate before a shared one, see ``res.currency._crm_sql_rate``)."""
        return self.env["res.currency"]._crm_sql_rate(currency, SQL("company.id"), SQL("l.date_closed::date"))

    def init(self):
        """``crm_analytics_month_starts``: the months a plan line spans, as ``generate_series`` gives
        them, told to the planner as about 12 rows (a built-in set-returning function counts as
        1000): with 1000 rows per plan line the report's estimated cost passed PostgreSQL's JIT
        threshold, and compiling every read took longer than the read itself. PL/pgSQL, so that
        the planner keeps the declared estimate instead of inlining the call."""
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE FUNCTION crm_analytics_month_starts(date_from date, date_to date)
            RETURNS SETOF timestamp LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE ROWS 12 AS $$
            BEGIN
                RETURN QUERY SELECT generate_series(date_trunc('month', date_from::timestamp),
                                                    date_to::timestamp, INTERVAL '1 month');
            END
            $$"""))

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT f.*, c.currency_id AS company_currency_id, NULL::float AS achievement_rate,
                   NULL::float AS category_achievement_rate
              FROM (
                SELECT l.id * 8 AS id, 'deal' AS fact, %(deal_date)s AS date, l.user_id, l.team_id, l.company_id,
                       0.0 AS revenue_confirmed, 0.0 AS revenue_invoiced,
                       CASE WHEN l.won_status = 'won' THEN 1 ELSE 0 END AS won_count,
                       CASE WHEN l.won_status = 'lost' THEN 1 ELSE 0 END AS lost_count,
                       CASE WHEN l.won_status = 'won' THEN l.expected_revenue ELSE 0 END AS won_amount,
                       CASE WHEN l.won_status = 'won' THEN 100.0 ELSE 0.0 END AS win_rate,
                       CASE WHEN l.won_status = 'won' THEN l.expected_revenue END AS deal_size,
                       CASE WHEN l.won_status = 'won'
                            -- never negative: date_closed is whole seconds (fields.Datetime.now), create_date
                            -- keeps the transaction's microseconds, so a deal won in the second it was created
                            -- would show "-0,0"
                            THEN GREATEST(EXTRACT(EPOCH FROM (l.date_closed - l.create_date)), 0) / 86400.0
                       END AS cycle_days,
                       0 AS activities_done, 0 AS activities_overdue, 0.0 AS target_amount,
                       0 AS pipeline_count, 0.0 AS pipeline_amount, 0.0 AS weighted_amount,
                       CASE WHEN l.won_status = 'won' THEN %(deal_achievement)s ELSE 0.0 END AS achieved_amount,
                       NULL::int AS product_category_id, 0.0 AS category_target_amount,
                       0.0 AS category_achieved_amount
                  FROM crm_lead l
                 WHERE l.type = 'opportunity' AND l.won_status IN ('won', 'lost') AND l.date_closed IS NOT NULL
                UNION ALL
                SELECT so.id * 8 + 1, 'order', %(order_date)s, so.user_id, so.team_id, so.company_id,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1), 0, 0, 0, 0, NULL, NULL, NULL,
                       0, 0, 0, 0, 0, 0, %(order_achievement)s, NULL, 0.0, 0.0
                  FROM sale_order so
                 WHERE so.state = 'sale'
                UNION ALL
                SELECT am.id * 8 + 2, 'invoice', am.invoice_date, am.invoice_user_id, am.team_id, am.company_id,
                       0, am.amount_untaxed_signed, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0.0, NULL, 0.0, 0.0
                  FROM account_move am
                 WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                UNION ALL
                SELECT a.id * 8 + 3, CASE WHEN a.active THEN 'activity_overdue' ELSE 'activity_done' END,
                       COALESCE(a.date_done, a.date_deadline), a.user_id, l.team_id, l.company_id,
                       0, 0, 0, 0, 0, NULL, NULL, NULL,
                       CASE WHEN a.active THEN 0 ELSE 1 END, CASE WHEN a.active THEN 1 ELSE 0 END, 0, 0, 0, 0,
                       0.0, NULL, 0.0, 0.0
                  FROM mail_activity a
                  LEFT JOIN crm_lead l ON a.res_model = 'crm.lead' AND l.id = a.res_id
                 WHERE (NOT a.active AND a.date_done IS NOT NULL)
                    OR (a.active AND a.date_deadline < (NOW() AT TIME ZONE 'UTC')::date)
                UNION ALL
                SELECT l.id * 8 + 4, 'pipeline', l.date_deadline, l.user_id, l.team_id, l.company_id,
                       0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0, 1, l.expected_revenue, l.prorated_revenue,
                       0.0, NULL, 0.0, 0.0
                  FROM crm_lead l
                 WHERE l.type = 'opportunity' AND l.won_status = 'pending' AND l.active
                %(targets)s
              ) f
              LEFT JOIN res_company c ON c.id = f.company_id
            """,
            targets=self._query_targets(),
            deal_date=self._local_date(SQL("l.date_closed")),
            order_date=self._local_date(SQL("so.date_order")),
            deal_achievement=SQL("l.expected_revenue") if self._achievement_source() == "won_deals" else SQL("0.0"),
            order_achievement=(SQL("so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)")
                               if self._achievement_source() == "sale_orders" else SQL("0.0")),
        )
