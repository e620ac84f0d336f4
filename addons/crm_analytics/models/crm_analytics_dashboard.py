from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import rfm

PERIODS = ("month", "quarter", "year")


class CrmAnalyticsDashboard(models.AbstractModel):
    """Figures of the sales head's dashboard, read from the report models (one grouped read each)."""

    _name = "crm.analytics.dashboard"
    _description = "CRM Analytics: Dashboard"

    @api.model
    def _get_period_bounds(self, period, today=None):
        today = today or fields.Date.context_today(self)
        if period == "year":
            start = date(today.year, 1, 1)
            return start, start + relativedelta(years=1)
        if period == "quarter":
            start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
            return start, start + relativedelta(months=3)
        start = date(today.year, today.month, 1)
        return start, start + relativedelta(months=1)

    @api.model
    @api.readonly
    def get_dashboard_data(self, period="month", team_id=False):
        """Everything the dashboard shows for ``period`` (month/quarter/year to date) and a team."""
        if not self.env.user.has_group("crm_analytics.group_crm_analytics_viewer"):
            raise AccessError(self.env._("The CRM dashboard is reserved to CRM Analytics viewers."))
        # the figures are in the active company's currency: allowed companies keeping another
        # currency are left out rather than added to it (RUB + UAH would mean nothing)
        currency = self.env.company.currency_id
        companies = self.env.companies.filtered(lambda company: company.currency_id == currency)
        return self.with_context(allowed_company_ids=companies.ids)._get_dashboard_data(period, team_id)

    @api.model
    def _get_dashboard_data(self, period, team_id):
        period = period if period in PERIODS else "month"
        date_from, date_to = self._get_period_bounds(period)
        team = self.env["crm.team"].browse(int(team_id)) if team_id else self.env["crm.team"]
        team_domain = Domain("team_id", "=", team.id) if team else Domain.TRUE
        dt_from, dt_to = datetime.combine(date_from, time.min), datetime.combine(date_to, time.min)
        currency = self.env.company.currency_id
        return {
            "period": period,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to - relativedelta(days=1)),
            "team_id": team.id or False,
            "teams": [{"id": t.id, "name": t.name} for t in self.env["crm.team"].search([])],
            "currency": {"symbol": currency.symbol, "position": currency.position},
            "kpis": self._get_kpis(team_domain, date_from, date_to),
            "funnel": self._get_funnel(team_domain, dt_from, dt_to),
            "managers": self._get_managers(team_domain, date_from, date_to),
            "losses": self._get_losses(team_domain, dt_from, dt_to),
            "forecast": self._get_forecast(team_domain),
            "abc": self._get_class_counts("crm_abc_class"),
            "rfm": self._get_rfm(),
            "service": self._get_service(date_from, date_to),
        }

    @api.model
    def _get_kpis(self, team_domain, date_from, date_to):
        Manager = self.env["crm.analytics.manager"]
        domain = team_domain & Domain([("date", ">=", date_from), ("date", "<", date_to)])
        [[won, lost, won_amount, win_rate, deal_size, cycle, confirmed, invoiced, done]] = Manager._read_group(
            domain, [], ["won_count:sum", "lost_count:sum", "won_amount:sum", "win_rate:avg", "deal_size:avg",
                         "cycle_days:avg", "revenue_confirmed:sum", "revenue_invoiced:sum", "activities_done:sum"])
        plan = self._get_plan_achievement(domain)
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
    def _get_plan_achievement(self, domain):
        """Plan target, achieved amount and rate of the manager report's rows in ``domain``.

        The same aggregates as the report's pivot (Plan Target, Plan Achieved,
        Plan Achieved (%)), so the dashboard and the report agree.
        """
        [[target, achieved, rate]] = self.env["crm.analytics.manager"]._read_group(
            domain, [], ["target_amount:sum", "achieved_amount:sum", "achievement_rate:avg"])
        return {
            "target": target or 0.0,
            "achieved": achieved or 0.0,
            "rate": None if rate is None or rate is False else round(rate, 1),
            "source": self.env["crm.sales.plan"]._get_achievement_source(),
        }

    @api.model
    def _get_funnel(self, team_domain, dt_from, dt_to):
        domain = team_domain & Domain([("date_entered", ">=", dt_from), ("date_entered", "<", dt_to),
                                       ("lead_type", "=", "opportunity")])
        groups = self.env["crm.analytics.funnel"]._read_group(
            domain, ["stage_id"], ["nbr:sum", "expected_revenue:sum", "conversion_rate:avg", "days_in_stage:avg"])
        return [{
            "stage": stage.name,
            "count": count or 0,
            "value": value or 0.0,
            # avg over only NULLs (won stages) comes back as False: no conversion, not 0 %
            "conversion": None if conversion is None or conversion is False else round(conversion, 1),
            "days": round(days or 0.0, 1),
        } for stage, count, value, conversion, days in groups]

    @api.model
    def _get_managers(self, team_domain, date_from, date_to):
        domain = team_domain & Domain([("date", ">=", date_from), ("date", "<", date_to), ("user_id", "!=", False)])
        groups = self.env["crm.analytics.manager"]._read_group(
            domain, ["user_id"], ["won_amount:sum", "won_count:sum", "lost_count:sum", "win_rate:avg",
                                  "revenue_confirmed:sum", "activities_done:sum", "target_amount:sum",
                                  "achieved_amount:sum", "achievement_rate:avg"])
        rows = [{
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
    def _get_losses(self, team_domain, dt_from, dt_to):
        domain = team_domain & Domain([("date_closed", ">=", dt_from), ("date_closed", "<", dt_to)])
        groups = self.env["crm.analytics.loss"]._read_group(domain, ["lost_reason_id"],
                                                            ["nbr:sum", "expected_revenue:sum"])
        rows = [{"reason": reason.name or self.env._("No reason"), "count": count or 0, "value": value or 0.0}
                for reason, count, value in groups]
        return sorted(rows, key=lambda row: -row["count"])

    @api.model
    def _get_forecast(self, team_domain):
        """Last six months: month-start forecast vs won, and the MAPE per salesperson."""
        since = fields.Date.context_today(self).replace(day=1) - relativedelta(months=6)
        Forecast = self.env["crm.analytics.forecast"]
        domain = team_domain & Domain("month", ">=", since)
        months = Forecast._read_group(domain, ["month:month"], ["forecast_amount:sum", "won_amount:sum"])
        users = Forecast._read_group(domain & Domain([("has_snapshot", "=", True), ("user_id", "!=", False)]),
                                     ["user_id"], ["ape:avg", "forecast_amount:sum", "won_amount:sum"])
        return {
            "months": [{"month": fields.Date.to_string(month), "forecast": forecast or 0.0, "won": won or 0.0}
                       for month, forecast, won in months],
            "users": sorted(({"user": user.name, "mape": round(ape, 1) if ape is not None else None,
                              "forecast": forecast or 0.0, "won": won or 0.0}
                             for user, ape, forecast, won in users),
                            key=lambda row: (row["mape"] is None, row["mape"] or 0.0)),
        }

    @api.model
    def _get_service(self, date_from, date_to):
        """Service KPIs of the tickets opened in the period (service teams are not sales teams)."""
        Service = self.env["crm.analytics.service"]
        [[backlog, breached]] = Service._read_group([("is_closed", "=", False)], [], ["backlog:sum", "breached:sum"])
        period = Domain([("date_open", ">=", date_from), ("date_open", "<", date_to)])
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
    def _get_class_counts(self, field_name):
        groups = self.env["res.partner"]._read_group([(field_name, "!=", False)], [field_name], ["__count"])
        return [{"class": value, "count": count} for value, count in sorted(groups)]

    @api.model
    def _get_rfm(self):
        labels = dict(rfm.SEGMENTS)
        groups = dict(self.env["res.partner"]._read_group([("crm_rfm_segment", "!=", False)],
                                                          ["crm_rfm_segment"], ["__count"]))
        return [{"segment": code, "label": labels[code], "count": groups.get(code, 0)} for code, _label in rfm.SEGMENTS]
