import logging
import time
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.service.model import retrying
from odoo.tools import SQL

from ..tools import abc_xyz, rfm

_logger = logging.getLogger(__name__)


class CrmAnalyticsClassifier(models.AbstractModel):
    """ABC/XYZ and RFM recomputation: SQL aggregates in, one pure function, set-based UPDATE out."""

    _name = "crm.analytics.classifier"
    _description = "CRM Analytics: ABC/XYZ and RFM classifier"

    # ------------------------------------------------------------------ settings

    @api.model
    def _get_setting(self, key):
        """The classifier's setting ``crm_analytics_<key>`` (defaults on res.config.settings)."""
        return self.env["res.config.settings"]._crm_get_setting(f"crm_analytics_{key}")

    @api.model
    def _get_abc_period(self, today=None):
        """Whole months: [first day N months ago, first day of the current month)."""
        today = today or fields.Date.context_today(self)
        months = max(self._get_setting("abc_months"), 1)
        date_to = date(today.year, today.month, 1)
        return date_to - relativedelta(months=months), date_to, months

    # ------------------------------------------------------------------ entry points

    @api.model
    def _check_recompute_access(self):
        # the recomputation writes with SQL (no ORM access check): reserve it to sales managers
        if not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers can recompute the ABC/XYZ and RFM classes."))

    @api.model
    def recompute_all(self):
        """Button entry point: both classifications now (sales managers only: each one checks)."""
        self.recompute_abc_xyz()
        self.recompute_rfm()

    @api.model
    def _cron_recompute_classes(self):
        """Both classifications, each committed on its own in a cron run.

        A customer or product row written by a user (or by the button's recompute)
        after this transaction's snapshot makes the mass UPDATE fail with a
        serialization error: the classification is rolled back and computed again
        in a fresh snapshot instead of ending the run. Outside a cron run the
        caller owns the transaction and gets the error.
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for recompute in (self.recompute_abc_xyz, self.recompute_rfm):
            if in_cron:
                retrying(recompute, self.env)
                self.env["ir.cron"]._commit_progress(1)
            else:
                recompute()

    @api.private
    @api.model
    def recompute_abc_xyz(self, date_from=None, date_to=None):
        """Classify customers (commercial partners) and products over the period.

        Full-table aggregate and mass UPDATE: not callable over RPC, and only
        for sales managers (or the cron, as superuser) from Python.
        """
        self._check_recompute_access()
        if not date_from or not date_to:
            date_from, date_to, months = self._get_abc_period()
        else:
            months = max((date_to.year - date_from.year) * 12 + date_to.month - date_from.month, 1)
        abc = (self._get_setting("abc_a"), self._get_setting("abc_b"))
        xyz = (self._get_setting("xyz_x"), self._get_setting("xyz_y"))
        self.env.flush_all()
        started = time.monotonic()
        # one scan of the order lines: monthly sums per customer and per product (GROUPING SETS),
        # then per item the revenue, the demand and the sum of squares of the monthly demand
        # (revenue for customers, quantity for products) -- one row per item reaches Python
        self.env.cr.execute(SQL(
            """
            WITH monthly AS (
                SELECT GROUPING(p.commercial_partner_id) = 0 AS is_customer,
                       COALESCE(p.commercial_partner_id, pp.product_tmpl_id) AS item,
                       SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS revenue,
                       SUM(sol.product_uom_qty) AS qty
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN product_product pp ON pp.id = sol.product_id
                 WHERE so.state = 'sale' AND sol.display_type IS NULL
                   AND so.date_order >= %(date_from)s AND so.date_order < %(date_to)s
                 GROUP BY GROUPING SETS ((p.commercial_partner_id, date_trunc('month', so.date_order)),
                                         (pp.product_tmpl_id, date_trunc('month', so.date_order)))
            ), demand AS (
                SELECT is_customer, item, revenue, CASE WHEN is_customer THEN revenue ELSE qty END AS demand
                  FROM monthly
            )
            SELECT is_customer, item, SUM(revenue), SUM(demand), SUM(demand * demand)
              FROM demand
             GROUP BY is_customer, item
            """,
            date_from=date_from, date_to=date_to,
        ))
        rows = self.env.cr.fetchall()
        queried = time.monotonic()
        partners = abc_xyz.classify_moments([row[1:] for row in rows if row[0]], months, abc, xyz)
        classified = time.monotonic()
        products = abc_xyz.classify_moments([row[1:] for row in rows if not row[0]], months, abc, xyz)
        products_done = time.monotonic()
        self._write_abc_xyz("res_partner", partners)
        self._write_abc_xyz("product_template", products)
        written = time.monotonic()
        self.env["res.partner"].invalidate_model(["crm_abc_class", "crm_xyz_class", "crm_abc_revenue", "crm_xyz_cv"])
        self.env["product.template"].invalidate_model(
            ["crm_abc_class", "crm_xyz_class", "crm_abc_revenue", "crm_xyz_cv"])
        _logger.info("ABC/XYZ recomputed: %s customers, %s products; query %.2fs, customers %.2fs, "
                     "products %.2fs, writes %.2fs", len(partners), len(products), queried - started,
                     classified - queried, products_done - classified, written - products_done)
        return {"partners": len(partners), "products": len(products)}

    @api.model
    def _write_abc_xyz(self, table, result):
        ids = list(result)
        table_sql = SQL.identifier(table)
        self.env.cr.execute(SQL(
            """
            UPDATE %(table)s t SET crm_abc_class = NULL, crm_xyz_class = NULL, crm_abc_revenue = NULL, crm_xyz_cv = NULL
              FROM (SELECT id FROM %(table)s WHERE crm_abc_class IS NOT NULL OR crm_xyz_class IS NOT NULL
                    EXCEPT SELECT unnest(%(ids)s::int[])) gone
             WHERE t.id = gone.id
            """, table=table_sql, ids=ids))
        if not ids:
            return
        self.env.cr.execute(SQL(
            """
            UPDATE %(table)s t
               SET crm_abc_class = v.abc, crm_xyz_class = v.xyz, crm_abc_revenue = v.revenue, crm_xyz_cv = v.cv
              FROM unnest(%(ids)s::int[], %(abc)s::varchar[], %(xyz)s::varchar[],
                          %(revenue)s::float8[], %(cv)s::float8[])
                   AS v(id, abc, xyz, revenue, cv)
             WHERE t.id = v.id
               AND (t.crm_abc_class IS DISTINCT FROM v.abc OR t.crm_xyz_class IS DISTINCT FROM v.xyz
                    OR t.crm_abc_revenue IS DISTINCT FROM v.revenue OR t.crm_xyz_cv IS DISTINCT FROM v.cv)
            """,
            table=table_sql, ids=ids,
            abc=[result[key][0] for key in ids],
            xyz=[result[key][1] for key in ids],
            revenue=[round(result[key][2], 2) for key in ids],
            cv=[None if result[key][3] is None else round(result[key][3], 1) for key in ids],
        ))

    @api.private
    @api.model
    def recompute_rfm(self, today=None):
        """Quintile RFM scores of commercial partners from invoices or confirmed orders (setting).

        Same guard as ``recompute_abc_xyz``: private over RPC, sales managers only.
        """
        self._check_recompute_access()
        today = today or fields.Date.context_today(self)
        months = max(self._get_setting("rfm_months"), 1)
        date_from = today - relativedelta(months=months)
        source = self._get_setting("rfm_source")
        self.env.flush_all()
        if source == "order":
            query = SQL(
                """
                SELECT p.commercial_partner_id, %(today)s::date - MAX(so.date_order)::date, COUNT(DISTINCT so.id),
                       SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1))
                  FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.date_order >= %(date_from)s AND so.date_order::date <= %(today)s
                 GROUP BY 1
                """, today=today, date_from=date_from)
        else:
            query = SQL(
                """
                SELECT am.commercial_partner_id, %(today)s::date - MAX(am.invoice_date),
                       COUNT(*) FILTER (WHERE am.move_type = 'out_invoice'), SUM(am.amount_untaxed_signed)
                  FROM account_move am
                 WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.invoice_date >= %(date_from)s AND am.invoice_date <= %(today)s
                   AND am.commercial_partner_id IS NOT NULL
                 GROUP BY 1
                HAVING COUNT(*) FILTER (WHERE am.move_type = 'out_invoice') > 0
                """, today=today, date_from=date_from)
        self.env.cr.execute(query)
        result = rfm.rfm_scores(self.env.cr.fetchall())
        ids = list(result)
        self.env.cr.execute(SQL(
            """
            UPDATE res_partner p SET crm_rfm_recency = NULL, crm_rfm_frequency = NULL, crm_rfm_monetary = NULL,
                   crm_rfm_score = NULL, crm_rfm_segment = NULL
              FROM (SELECT id FROM res_partner WHERE crm_rfm_score IS NOT NULL EXCEPT SELECT unnest(%s::int[])) gone
             WHERE p.id = gone.id
            """, ids))
        if ids:
            self.env.cr.execute(SQL(
                """
                UPDATE res_partner p
                   SET crm_rfm_recency = v.r, crm_rfm_frequency = v.f, crm_rfm_monetary = v.m,
                       crm_rfm_score = v.r::text || v.f::text || v.m::text, crm_rfm_segment = v.seg
                  FROM unnest(%(ids)s::int[], %(r)s::int[], %(f)s::int[], %(m)s::int[], %(seg)s::varchar[])
                       AS v(id, r, f, m, seg)
                 WHERE p.id = v.id
                   AND (p.crm_rfm_segment IS DISTINCT FROM v.seg
                        OR p.crm_rfm_score IS DISTINCT FROM v.r::text || v.f::text || v.m::text)
                """,
                ids=ids,
                r=[result[key][0] for key in ids],
                f=[result[key][1] for key in ids],
                m=[result[key][2] for key in ids],
                seg=[result[key][3] for key in ids],
            ))
        self.env["res.partner"].invalidate_model(
            ["crm_rfm_recency", "crm_rfm_frequency", "crm_rfm_monetary", "crm_rfm_score", "crm_rfm_segment"])
        return {"partners": len(ids)}
