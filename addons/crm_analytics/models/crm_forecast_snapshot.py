import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)


class CrmForecastSnapshot(models.Model):
    """Each salesperson's weighted pipeline for a month, frozen on the month's first day.

    Compared later with what was actually won in that month
    (``crm.analytics.forecast``), it tells whose forecasts to trust.
    """

    _name = "crm.forecast.snapshot"
    _description = "CRM Forecast Snapshot"
    _order = "month desc, team_id, user_id"
    _rec_name = "month"

    month = fields.Date(required=True, readonly=True, index=True,
                        help="First day of the forecast month.")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True, ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    forecast_amount = fields.Monetary(string="Weighted Pipeline", readonly=True,
                                      help="Sum of expected revenue x probability of the open opportunities "
                                           "expected to close in the month, taken on the month's first day.")
    pipeline_amount = fields.Monetary(string="Pipeline", readonly=True)
    opportunity_count = fields.Integer(string="# Opportunities", readonly=True)
    snapshot_date = fields.Datetime(string="Taken On", readonly=True, default=fields.Datetime.now)

    _unique_month_user_team = models.UniqueIndex("(month, company_id, COALESCE(user_id, 0), COALESCE(team_id, 0))")
    _check_month_first_day = models.Constraint("CHECK(EXTRACT(DAY FROM month) = 1)",
                                               "A forecast snapshot is taken for a whole month.")

    @api.model
    def _month_start(self, day=None):
        day = day or fields.Date.context_today(self)
        return date(day.year, day.month, 1)

    @api.model
    def _take_snapshot(self, month=None):
        """(Re)take the snapshot of ``month`` (default: the current month), one grouped read."""
        month = self._month_start(month)
        next_month = month + relativedelta(months=1)
        domain = Domain([
            ("type", "=", "opportunity"),
            ("won_status", "=", "pending"),
            ("date_deadline", ">=", month),
            ("date_deadline", "<", next_month),
        ])
        groups = self.env["crm.lead"].with_context(active_test=True)._read_group(
            domain, ["user_id", "team_id", "company_id"],
            ["prorated_revenue:sum", "expected_revenue:sum", "__count"],
        )
        self.search([("month", "=", month)]).unlink()
        return self.create([{
            "month": month,
            "user_id": user.id,
            "team_id": team.id,
            "company_id": (company or self.env.company).id,
            "forecast_amount": weighted,
            "pipeline_amount": expected,
            "opportunity_count": count,
        } for user, team, company, weighted, expected, count in groups])

    @api.model
    def _cron_take_snapshot(self):
        """Daily cron: takes the month's snapshot once, on the first day it runs in the month."""
        month = self._month_start()
        if self.search_count([("month", "=", month)], limit=1):
            return
        try:
            with self.env.cr.savepoint():
                self._take_snapshot(month)
        except (UniqueViolation, *PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            # another worker took the month's snapshot at the same time (its rows are unique per
            # month, salesperson and team): one snapshot per month, and this run has nothing to do
            _logger.info("Forecast snapshot of %s already taken by another worker", month)

    @api.model
    def action_take_snapshot(self):
        """Button: retake the current month's snapshot (sales managers only)."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers can take forecast snapshots."))
        self._take_snapshot()
        return {"type": "ir.actions.client", "tag": "soft_reload"}
