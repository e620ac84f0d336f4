from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import format_date
from odoo.tools.safe_eval import safe_eval

from ..tools import periods, rfm
from ..tools.periods import PERIODS

PLAN_AGGREGATES = ("target_amount:sum", "achieved_amount:sum", "achievement_rate:avg")

# the report each card of the dashboard links to: its figures are read from that report, with the
# very domain the "Details" link opens it with (see _get_report_domains), so they cannot disagree
REPORT_ACTIONS = {
    "deals": "crm_analytics.crm_analytics_manager_action",
    "funnel": "crm_analytics.crm_analytics_funnel_action",
    "losses": "crm_analytics.crm_analytics_loss_action",
    "forecast": "crm_analytics.crm_analytics_forecast_action",
    "service": "crm_analytics.crm_analytics_service_action",
    "segments": "crm_analytics.action_partner_crm_segments",
}


class CrmAnalyticsDashboard(models.AbstractModel):
    """Figures of the sales head's dashboard, read from the report models (one grouped read each)."""

    _name = "crm.analytics.dashboard"
    _description = "CRM Analytics: Dashboard"

    @api.model
    def _get_period_bounds(self, period, today=None):
        """First local day of the period holding today (in the user's time zone) and the first day after it."""
        return periods.period_bounds(period, today or fields.Date.context_today(self))

    @api.model
    def _get_period_utc_bounds(self, date_from, date_to):
        """The UTC instants of the local midnights starting ``date_from`` and ``date_to``: the bounds of
        the period on datetime columns, in the time zone ``context_today`` reads the day in."""
        return periods.utc_bounds(date_from, date_to, self.env.tz.zone)

    @api.model
    @api.readonly
    def get_dashboard_data(self, period="month", team_id=False):
        """Everything the dashboard shows for ``period`` (month/quarter/year to date) and a team."""
        return self._check_viewer()._get_dashboard_data(period, team_id)

    @api.model
    @api.readonly
    def get_report_action(self, report, period="month", team_id=False):
        """The action of the report behind a card, opened on exactly the rows the card's figures come from."""
        dashboard = self._check_viewer()
        if not isinstance(report, str) or report not in REPORT_ACTIONS:
            raise UserError(self.env._("Unknown dashboard report: %(report)s", report=report))
        period = period if period in PERIODS else "month"
        team = self._dashboard_team(team_id)
        domain = dashboard._get_report_domains(period, team)[report]
        action = self.env["ir.actions.act_window"]._for_xml_id(REPORT_ACTIONS[report])
        # the card's domain replaces the report's default date filter, which would narrow it again
        context = {key: value for key, value in safe_eval(action.get("context") or "{}").items()
                   if not key.startswith("search_default_filter_")}
        action.update(domain=list(Domain(action.get("domain") or []) & Domain(domain)), context=context)
        return action

    @api.model
    def _check_viewer(self):
        """Reserved to viewers; the figures are in the active company's currency: allowed companies
        keeping another currency are left out rather than added to it (RUB + UAH would mean nothing)."""
        if not self.env.user.has_group("crm_analytics.group_crm_analytics_viewer"):
            raise AccessError(self.env._("The CRM dashboard is reserved to CRM Analytics viewers."))
        currency = self.env.company.currency_id
        companies = self.env.companies.filtered(lambda company: company.currency_id == currency)
        return self.with_context(allowed_company_ids=companies.ids)

    @api.model
    def _get_report_domains(self, period, team):
        """The domain of each linked report's rows behind the dashboard's figures.

        One definition per figure: deals won and lost, revenue, win rate, cycle and plan are the
        salesperson report's facts dated in the period (a deal is dated by its closing day, won =
        Odoo's won status: won stage and 100 %, lost = archived at 0 %, lost deals included); the
        funnel counts the opportunities' stays entered in the period; losses are the lost
        opportunities closed in the period; service figures are the tickets opened in the period;
        the forecast error covers the last six months with a forecast taken.
        """
        date_from, date_to = self._get_period_bounds(period)
        # datetime columns (UTC) from the user's local midnight; date columns, such as the salesperson
        # report's date, hold local days (see crm.analytics.manager)
        dt_from, dt_to = map(fields.Datetime.to_string, self._get_period_utc_bounds(date_from, date_to))
        d_from, d_to = fields.Date.to_string(date_from), fields.Date.to_string(date_to)
        team_domain = [("team_id", "=", team.id)] if team else []
        since = fields.Date.to_string(fields.Date.context_today(self).replace(day=1) - relativedelta(months=6))
        return {
            "deals": team_domain + [("date", ">=", d_from), ("date", "<", d_to)],
            "funnel": team_domain + [("lead_type", "=", "opportunity"), ("date_entered", ">=", dt_from),
                                     ("date_entered", "<", dt_to)],
            "losses": team_domain + [("date_closed", ">=", dt_from), ("date_closed", "<", dt_to)],
            "forecast": team_domain + [("month", ">=", since), ("has_snapshot", "=", True), ("user_id", "!=", False)],
            # the month-by-month forecast vs won (the report's graph): won months without forecast too
            "forecast_months": team_domain + [("month", ">=", since)],
            "service": [("date_open", ">=", dt_from), ("date_open", "<", dt_to)],
            "segments": [],
        }

    @api.model
    def _dashboard_team(self, team_id):
        """The sales team a caller names by its id, or no team; anything else is refused."""
        if not team_id:
            return self.env["crm.team"]
        try:
            return self.env["crm.team"].browse(int(team_id))
        except (TypeError, ValueError):
            raise UserError(self.env._("Unknown sales team: %(team)s", team=team_id)) from None

    @api.model
    def _get_dashboard_data(self, period, team_id):
        period = period if period in PERIODS else "month"
        date_from, date_to = self._get_period_bounds(period)
        team = self._dashboard_team(team_id)
        team_domain = Domain("team_id", "=", team.id) if team else Domain.TRUE
        domains = self._get_report_domains(period, team)
        currency = self.env.company.currency_id
        abc_classes, rfm_segments = self._get_segments()
        return {
            "period": period,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to - relativedelta(days=1)),
            "team_id": team.id or False,
            "teams": [{"id": t.id, "name": t.name} for t in self.env["crm.team"].search([])],
            # in the user's date format, as the web client shows dates
            "date_range": f"{format_date(self.env, date_from)} – "
                          f"{format_date(self.env, date_to - relativedelta(days=1))}",
            "currency": {"id": currency.id, "symbol": currency.symbol, "position": currency.position},
            "kpis": self._get_kpis(team_domain, Domain(domains["deals"])),
            "funnel": self._get_funnel(Domain(domains["funnel"])),
            "managers": self._get_managers(Domain(domains["deals"])),
            "losses": self._get_losses(Domain(domains["losses"])),
            "forecast": self._get_forecast(Domain(domains["forecast"]), Domain(domains["forecast_months"])),
            "abc": abc_classes,
            "rfm": rfm_segments,
            "service": self._get_service(Domain(domains["service"])),
        }

    @api.model
    def _get_kpis(self, team_domain, domain):
        Manager = self.env["crm.analytics.manager"]
        # the period's figures and its plan achievement in one read of the report
        [[won, lost, won_amount, win_rate, deal_size, cycle, confirmed, invoiced, done, *plan]] = Manager._read_group(
            domain, [], ["won_count:sum", "lost_count:sum", "won_amount:sum", "win_rate:avg", "deal_size:avg",
                         "cycle_days:avg", "revenue_confirmed:sum", "revenue_invoiced:sum", "activities_done:sum",
                         *PLAN_AGGREGATES])
        plan = self._plan_achievement(*plan)
        # overdue activities and the open pipeline are states of today, not of the period
        [[overdue, pipeline_count, weighted, expected]] = Manager._read_group(
            team_domain & Domain("fact", "in", ["activity_overdue", "pipeline"]), [],
            ["activities_overdue:sum", "pipeline_count:sum", "weighted_amount:sum", "pipeline_amount:sum"])
        return {
            "won_count": won or 0,
            "lost_count": lost or 0,
            "won_amount": won_amount or 0.0,
            "win_rate": round(win_rate or 0.0, 1),
            "avg_deal_size": round(deal_size or 0.0, 2),
            "cycle_days": round(cycle or 0.0, 1),
            "revenue_confirmed": confirmed or 0.0,
            "revenue_invoiced": invoiced or 0.0,
            "activities_done": done or 0,
            "activities_overdue": overdue or 0,
            "pipeline_count": pipeline_count or 0,
            "pipeline_weighted": weighted or 0.0,
            "pipeline_expected": expected or 0.0,
            "plan_target": plan["target"],
            "plan_achieved": plan["achieved"],
            "plan_rate": plan["rate"],
            "plan_source": plan["source"],
        }

    @api.model
    def _plan_achievement(self, target, achieved, rate):
        """Plan target, achieved amount and rate read with ``PLAN_AGGREGATES``: the same aggregates as the
        report's pivot (Plan Target, Plan Achieved, Plan Achieved (%)), so the dashboard and the report agree."""
        return {
            "target": target or 0.0,
            "achieved": achieved or 0.0,
            "rate": None if rate is None or rate is False else round(rate, 1),
            "source": self.env["crm.sales.plan"]._get_achievement_source(),
        }

    @api.model
    def _get_funnel(self, domain):
        groups = self.env["crm.analytics.funnel"]._read_group(
            domain, ["stage_id"], ["nbr:sum", "expected_revenue:sum", "conversion_rate:avg", "days_in_stage:avg"])
        return [{
            "stage_id": stage.id,
            "stage": stage.name,
            "count": count or 0,
            "value": value or 0.0,
            # avg over only NULLs (won stages) comes back as False: no conversion, not 0 %
            "conversion": None if conversion is None or conversion is False else round(conversion, 1),
            "days": round(days or 0.0, 1),
        } for stage, count, value, conversion, days in groups]

    @api.model
    def _get_managers(self, domain):
        domain &= Domain("user_id", "!=", False)
        groups = self.env["crm.analytics.manager"]._read_group(
            domain, ["user_id"], ["won_amount:sum", "won_count:sum", "lost_count:sum", "win_rate:avg",
                                  "revenue_confirmed:sum", "activities_done:sum", "target_amount:sum",
                                  "achieved_amount:sum", "achievement_rate:avg"])
        rows = [{
            "user_id": user.id,
            "user": user.name,
            "won_amount": won_amount or 0.0,
            "won_count": won or 0,
            "lost_count": lost or 0,
            "win_rate": round(win_rate, 1) if win_rate is not None else None,
            "revenue_confirmed": confirmed or 0.0,
            "activities_done": done or 0,
            "plan_target": target or 0.0,
            "plan_achieved": achieved or 0.0,
            "plan_rate": None if rate is None or rate is False else round(rate, 1),
        } for user, won_amount, won, lost, win_rate, confirmed, done, target, achieved, rate in groups]
        return sorted(rows, key=lambda row: (-row["won_amount"], row["user"]))

    @api.model
    def _get_losses(self, domain):
        groups = self.env["crm.analytics.loss"]._read_group(domain, ["lost_reason_id"],
                                                            ["nbr:sum", "expected_revenue:sum"])
        rows = [{"reason_id": reason.id, "reason": reason.name or self.env._("No reason"), "count": count or 0,
                 "value": value or 0.0}
                for reason, count, value in groups]
        return sorted(rows, key=lambda row: -row["count"])

    @api.model
    def _get_forecast(self, domain, months_domain):
        """Last six months: month-start forecast vs won per month, and the forecast error (weighted
        absolute percentage error, see crm.analytics.forecast.wape) of the salespeople's rows with a
        forecast taken, in total and per salesperson."""
        Forecast = self.env["crm.analytics.forecast"]
        months = Forecast._read_group(months_domain, ["month:month"], ["forecast_amount:sum", "won_amount:sum"])
        [[total_error, total_forecast, total_won]] = Forecast._read_group(
            domain, [], ["wape:avg", "forecast_amount:sum", "won_amount:sum"])
        users = Forecast._read_group(domain, ["user_id"], ["wape:avg", "forecast_amount:sum", "won_amount:sum"])

        def rounded(value):
            return None if value is None or value is False else round(value, 1)

        return {
            "months": [{"month": fields.Date.to_string(month), "forecast": forecast or 0.0, "won": won or 0.0}
                       for month, forecast, won in months],
            "error": rounded(total_error),
            "forecast": total_forecast or 0.0,
            "won": total_won or 0.0,
            "users": sorted(({"user_id": user.id, "user": user.name, "error": rounded(error),
                              "forecast": forecast or 0.0, "won": won or 0.0}
                             for user, error, forecast, won in users),
                            key=lambda row: (row["error"] is None, row["error"] or 0.0, row["user"])),
        }

    @api.model
    def _get_service(self, period):
        """Service KPIs of the tickets opened in the period (service teams are not sales teams);
        the backlog and its breached tickets are states of today."""
        Service = self.env["crm.analytics.service"]
        [[backlog, breached]] = Service._read_group([("is_closed", "=", False)], [], ["backlog:sum", "breached:sum"])
        [[count, response, resolution, compliance, satisfaction]] = Service._read_group(
            period, [], ["nbr:sum", "first_response_hours:avg", "resolution_hours:avg", "sla_compliance:avg",
                         "satisfaction:avg"])

        def rounded(value, digits=1):
            return None if value is None or value is False else round(value, digits)

        return {
            "backlog": backlog or 0,
            "breached": breached or 0,
            "tickets": count or 0,
            "first_response_hours": rounded(response),
            "resolution_hours": rounded(resolution),
            "sla_compliance": rounded(compliance),
            "satisfaction": rounded(satisfaction, 2),
        }

    @api.model
    def _get_segments(self):
        """Customers per ABC class and per RFM segment, in one read of the partners grouped by both."""
        groups = self.env["res.partner"]._read_group(
            Domain("crm_abc_class", "!=", False) | Domain("crm_rfm_segment", "!=", False),
            ["crm_abc_class", "crm_rfm_segment"], ["__count"])
        classes, segments = Counter(), Counter()
        for abc_class, segment, count in groups:
            if abc_class:
                classes[abc_class] += count
            if segment:
                segments[segment] += count
        # the selection's labels in the user's language (rfm.SEGMENTS holds the English source)
        labels = dict(self.env["res.partner"]._fields["crm_rfm_segment"]._description_selection(self.env))
        return (
            [{"class": value, "count": count} for value, count in sorted(classes.items())],
            [{"segment": code, "label": labels[code], "count": segments[code]} for code, _label in rfm.SEGMENTS],
        )
