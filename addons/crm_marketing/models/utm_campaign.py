from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount

from ..tools import campaign_forecast

BUDGET_WARNING_RATIO = 0.9
EMPTY_RESULTS = {
    "leads": 0, "opportunities": 0, "won": 0, "revenue": 0.0, "cost": 0.0, "to_approve": 0.0,
    "cost_per_lead": 0.0, "cost_per_won": 0.0, "roi": 0.0,
}


class UtmCampaign(models.Model):
    """Campaign plan, budget, costs, results and forecast on Odoo's own campaign.

    ``plan_state`` is the business lifecycle of the campaign (planned, running,
    done, cancelled).  It is deliberately separate from ``stage_id``: utm stages
    are a free kanban workflow of the mailing team (New, Design, Sent...) that
    each database reorganises, while forecasts and reports need a fixed notion
    of a *finished* campaign.
    """

    _name = "utm.campaign"
    _inherit = ["utm.campaign", "mail.thread", "mail.activity.mixin"]

    currency_id = fields.Many2one(
        help="Currency of the campaign's figures (its company's): orders and costs in other "
        "currencies are converted at the rate of their own date.")
    objective = fields.Text()
    channel_ids = fields.Many2many("crm.marketing.channel", string="Channel Mix")
    date_start = fields.Date("Start Date", tracking=True)
    date_end = fields.Date("End Date", tracking=True)
    plan_state = fields.Selection(
        [("planned", "Planned"), ("running", "Running"), ("done", "Done"), ("cancelled", "Cancelled")],
        string="Campaign Status", default="planned", required=True, copy=False, tracking=True, index=True,
    )
    budget_line_ids = fields.One2many("crm.campaign.budget.line", "campaign_id", string="Planned Budget", copy=True)
    cost_ids = fields.One2many("crm.campaign.cost", "campaign_id", string="Actual Costs")
    segment_ids = fields.Many2many(
        "crm.segment", "crm_segment_utm_campaign_rel", "campaign_id", "segment_id", string="Audience",
    )
    audience_count = fields.Integer(compute="_compute_audience_count")
    expected_leads = fields.Integer()
    expected_revenue = fields.Monetary(currency_field="currency_id")
    _expectations_positive = models.Constraint(
        "CHECK(COALESCE(expected_leads, 0) >= 0 AND COALESCE(expected_revenue, 0) >= 0)",
        "Expected leads and revenue of a campaign cannot be negative.")

    budget_planned = fields.Monetary(
        "Planned Budget Total", currency_field="currency_id",
        compute="_compute_budget_planned", store=True,
    )
    budget_warning_sent = fields.Boolean(copy=False, readonly=True)

    cost_actual = fields.Monetary(
        "Actual Cost", currency_field="currency_id", compute="_compute_results",
        help="Approved cost lines, each converted to the campaign's currency at the rate of its own date.",
    )
    cost_to_approve = fields.Monetary("Cost Waiting Approval", currency_field="currency_id", compute="_compute_results")
    budget_consumption = fields.Float("Budget Used (%)", compute="_compute_results", digits=(16, 1))
    budget_warning = fields.Boolean(compute="_compute_results")
    budget_exceeded = fields.Boolean(compute="_compute_results")
    result_lead_count = fields.Integer("Leads", compute="_compute_results")
    result_opportunity_count = fields.Integer("Opportunities", compute="_compute_results")
    result_won_count = fields.Integer("Won Deals", compute="_compute_results")
    result_revenue = fields.Monetary(
        "Revenue", currency_field="currency_id", compute="_compute_results",
        help="Untaxed amount of confirmed sale orders carrying this campaign, converted to the "
        "campaign's currency at the rate of each order's date.",
    )
    cost_per_lead = fields.Monetary(
        currency_field="currency_id", compute="_compute_results",
        help="Actual cost / leads of the campaign (archived and lost leads included).",
    )
    cost_per_won = fields.Monetary("Cost per Won Deal", currency_field="currency_id", compute="_compute_results")
    roi = fields.Float(
        "ROI (%)", compute="_compute_results", digits=(16, 1),
        help="(Revenue - Actual Cost) / Actual Cost, both in the campaign's currency: revenue of "
        "confirmed sale orders at each order's date rate, approved costs at each cost's date rate.",
    )
    opportunity_rate = fields.Float("Lead to Opportunity (%)", compute="_compute_results", digits=(16, 1))
    win_rate = fields.Float("Lead to Won (%)", compute="_compute_results", digits=(16, 1))

    forecast_based_on = fields.Integer("Comparable Campaigns", compute="_compute_forecast",
                                       help="Number of finished campaigns sharing a channel with this one.")
    forecast_leads = fields.Float(compute="_compute_forecast", digits=(16, 1))
    forecast_won = fields.Float("Forecast Won Deals", compute="_compute_forecast", digits=(16, 1))
    forecast_revenue = fields.Monetary(currency_field="currency_id", compute="_compute_forecast")
    forecast_roi = fields.Float("Forecast ROI (%)", compute="_compute_forecast", digits=(16, 1))

    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
        "A campaign cannot end before it starts.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("budget_line_ids.planned_amount")
    def _compute_budget_planned(self):
        data = dict(self.env["crm.campaign.budget.line"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id"], ["planned_amount:sum"],
        ))
        for campaign in self:
            campaign.budget_planned = data.get(campaign, 0.0) if campaign.id else sum(
                campaign.budget_line_ids.mapped("planned_amount"))

    def _compute_audience_count(self):
        # each campaign's audience is the union of its own segments' domains:
        # one count per campaign is inherent to dynamic segments
        for campaign in self:
            campaign.audience_count = len(campaign.segment_ids._get_partners()) if campaign.segment_ids else 0

    @api.model
    def _query_campaign_money(self, campaign_ids=None):
        """One row per confirmed sale order and per approved or waiting cost line of a campaign,
        converted to the campaign's currency with Odoo's rates of the document's date
        (the order date, the cost date).

        Columns: campaign_id, date, company_id, currency_id (the campaign's), order_id,
        cost_id, revenue, cost, cost_to_approve.  The single source of campaign money,
        shared by the campaign form and crm_analytics' campaign reports.
        """
        Currency = self.env["res.currency"]
        where = SQL("AND camp.id IN %s", tuple(campaign_ids)) if campaign_ids is not None else SQL()
        campaign_company = SQL("COALESCE(camp.company_id, %s)", self.env.company.id)
        campaign_currency = SQL(
            "(SELECT rc.currency_id FROM res_company rc WHERE rc.id = COALESCE(camp.company_id, %s))",
            self.env.company.id,
        )
        # date_order is a UTC timestamp without time zone: cast it as is (AT TIME ZONE would
        # make the date depend on the PostgreSQL session's time zone)
        order_date = SQL("so.date_order::date")
        return SQL(
            """
            SELECT camp.id AS campaign_id, %(order_date)s AS date, %(company)s AS company_id,
                   %(currency)s AS currency_id, so.id AS order_id, NULL::int AS cost_id,
                   %(revenue)s AS revenue, 0.0 AS cost, 0.0 AS cost_to_approve
              FROM sale_order so
              JOIN utm_campaign camp ON camp.id = so.campaign_id
             WHERE so.state = 'sale' %(where)s
            UNION ALL
            SELECT camp.id, k.date, %(company)s, %(currency)s, NULL::int, k.id, 0.0,
                   CASE WHEN k.state = 'approved' THEN %(cost)s ELSE 0.0 END,
                   CASE WHEN k.state = 'to_approve' THEN %(cost)s ELSE 0.0 END
              FROM crm_campaign_cost k
              JOIN utm_campaign camp ON camp.id = k.campaign_id
             WHERE k.state IN ('approved', 'to_approve') %(where)s
            """,
            order_date=order_date, company=campaign_company, currency=campaign_currency, where=where,
            revenue=Currency._crm_sql_convert(
                SQL("so.amount_untaxed"), SQL("so.currency_id"), campaign_currency, campaign_company, order_date),
            cost=Currency._crm_sql_convert(
                SQL("k.amount"), SQL("k.currency_id"), campaign_currency, campaign_company, SQL("k.date")),
        )

    @api.model
    def _query_campaign_kpis(self, campaign_ids=None):
        """One row per campaign with leads, money and ratios: the one definition of campaign results.

        revenue = untaxed amount of confirmed sale orders, cost = approved cost lines, both in the
        campaign's currency at the rate of the document's date; ROI (%) = 100 * (revenue - cost) / cost;
        cost per lead = cost / leads (archived and lost leads included); cost per won deal = cost / won.
        Ratios are NULL when their divisor is zero.
        """
        where = SQL("AND l.campaign_id IN %s", tuple(campaign_ids)) if campaign_ids is not None else SQL()
        return SQL(
            """
            WITH leads AS (
                SELECT l.campaign_id, COUNT(*) AS lead_count,
                       COUNT(*) FILTER (WHERE l.type = 'opportunity') AS opportunity_count,
                       COUNT(*) FILTER (WHERE l.won_status = 'won') AS won_count
                  FROM crm_lead l
                 WHERE l.campaign_id IS NOT NULL %(where)s
                 GROUP BY l.campaign_id
            ), money AS (
                SELECT m.campaign_id, MIN(m.company_id) AS company_id, MIN(m.currency_id) AS currency_id,
                       SUM(m.revenue) AS revenue, SUM(m.cost) AS cost, SUM(m.cost_to_approve) AS cost_to_approve
                  FROM (%(money)s) m
                 GROUP BY m.campaign_id
            ), figures AS (
                SELECT COALESCE(leads.campaign_id, money.campaign_id) AS campaign_id,
                       money.company_id, money.currency_id,
                       COALESCE(leads.lead_count, 0) AS lead_count,
                       COALESCE(leads.opportunity_count, 0) AS opportunity_count,
                       COALESCE(leads.won_count, 0) AS won_count,
                       COALESCE(money.revenue, 0.0) AS revenue,
                       COALESCE(money.cost, 0.0) AS cost,
                       COALESCE(money.cost_to_approve, 0.0) AS cost_to_approve
                  FROM leads FULL OUTER JOIN money ON money.campaign_id = leads.campaign_id
            )
            SELECT f.*,
                   f.cost / NULLIF(f.lead_count, 0) AS cost_per_lead,
                   f.cost / NULLIF(f.won_count, 0) AS cost_per_won,
                   100.0 * (f.revenue - f.cost) / NULLIF(f.cost, 0) AS roi
              FROM figures f
            """,
            where=where, money=self._query_campaign_money(campaign_ids),
        )

    def _get_results(self):
        """Actual figures of the campaigns in ``self``, in one query (see ``_query_campaign_kpis``).

        The query reads leads and orders without record rules: only per-campaign
        aggregates are exposed, and marketing users need them without reading every deal.
        """
        # new records (onchange) have no figures yet
        results = {cid: dict(EMPTY_RESULTS) for cid in self.ids if isinstance(cid, int)}
        if not results:
            return results
        for model in ("crm.lead", "sale.order", "crm.campaign.cost", "res.currency.rate", "utm.campaign"):
            self.env[model].flush_model()
        rows = self.env.execute_query_dict(SQL(
            "SELECT * FROM (%s) kpi", self._query_campaign_kpis(list(results))))
        for row in rows:
            results[row["campaign_id"]].update({
                "leads": row["lead_count"], "opportunities": row["opportunity_count"], "won": row["won_count"],
                "revenue": float(row["revenue"]), "cost": float(row["cost"]),
                "to_approve": float(row["cost_to_approve"]),
                "cost_per_lead": float(row["cost_per_lead"] or 0.0),
                "cost_per_won": float(row["cost_per_won"] or 0.0),
                "roi": float(row["roi"] or 0.0),
            })
        return results

    @api.depends("budget_planned", "cost_ids.amount", "cost_ids.state", "cost_ids.currency_id", "cost_ids.date")
    def _compute_results(self):
        results = self._get_results()
        empty = EMPTY_RESULTS
        for campaign in self:
            res = results.get(campaign.id, empty) if campaign.id else empty
            cost, leads, won = res["cost"], res["leads"], res["won"]
            planned = campaign.budget_planned
            campaign.cost_actual = cost
            campaign.cost_to_approve = res["to_approve"]
            campaign.budget_consumption = 100.0 * cost / planned if planned else 0.0
            campaign.budget_warning = bool(planned) and cost >= BUDGET_WARNING_RATIO * planned
            campaign.budget_exceeded = bool(planned) and cost > planned
            campaign.result_lead_count = leads
            campaign.result_opportunity_count = res["opportunities"]
            campaign.result_won_count = won
            campaign.result_revenue = res["revenue"]
            campaign.cost_per_lead = res["cost_per_lead"]
            campaign.cost_per_won = res["cost_per_won"]
            campaign.roi = res["roi"]
            campaign.opportunity_rate = 100.0 * res["opportunities"] / leads if leads else 0.0
            campaign.win_rate = 100.0 * won / leads if leads else 0.0

    @api.depends("channel_ids", "budget_planned")
    def _compute_forecast(self):
        done = self.search([
            ("plan_state", "=", "done"), ("channel_ids", "in", self.channel_ids.ids),
        ]) if self.channel_ids else self.browse()
        done_results = done._get_results()
        history = {
            past.id: campaign_forecast.CampaignHistory(
                channels=frozenset(past.channel_ids.ids),
                leads=done_results[past.id]["leads"],
                won=done_results[past.id]["won"],
                revenue=done_results[past.id]["revenue"],
                cost=done_results[past.id]["cost"],
            )
            for past in done
        }
        for campaign in self:
            forecast = campaign_forecast.forecast_campaign(
                [hist for past_id, hist in history.items() if past_id != campaign.id],
                campaign.channel_ids.ids,
                budget=campaign.budget_planned,
            )
            campaign.forecast_based_on = forecast.based_on
            campaign.forecast_leads = forecast.leads
            campaign.forecast_won = forecast.won
            campaign.forecast_revenue = forecast.revenue
            campaign.forecast_roi = 100.0 * forecast.roi

    # ------------------------------------------------------------------
    # Budget policy
    # ------------------------------------------------------------------

    @api.model
    def _get_budget_policy(self):
        return self.env["res.config.settings"]._crm_get_setting("crm_marketing_budget_policy")

    def _apply_budget_policy(self, costs):
        """Enforce the budget on ``costs`` just created or changed.

        Past 100 % of the planned budget: raise (policy ``block``) or put the
        new costs in ``to_approve`` (policy ``approval``).  Past 90 %: warn the
        responsible once with an activity and a note.  A campaign without a
        planned budget has no limit.
        """
        campaigns = self.filtered("budget_planned")
        # the context flag comes from action_approve; honoured for managers only,
        # so that it cannot be used over RPC to slip past the budget
        approved = self.env.context.get("crm_marketing_budget_approved") and self.env.user.has_group(
            "crm_marketing.group_crm_marketing_manager")
        if not campaigns or approved:
            campaigns._warn_budget_consumption()
            return
        self.env["crm.campaign.cost"].flush_model()
        results = campaigns._get_results()
        policy = self._get_budget_policy()
        for campaign in campaigns:
            spent = results[campaign.id]["cost"]
            if campaign.currency_id.compare_amounts(spent, campaign.budget_planned) <= 0:
                continue
            new_costs = costs.filtered(lambda c, camp=campaign: c.campaign_id == camp and c.state == "approved")
            if not new_costs:
                continue
            if policy == "block":
                raise ValidationError(self.env._(
                    "Campaign %(campaign)s would spend %(spent)s of a budget of %(budget)s. "
                    "Raise the planned budget or ask for the approval policy.",
                    campaign=campaign.title,
                    spent=format_amount(self.env, spent, campaign.currency_id),
                    budget=format_amount(self.env, campaign.budget_planned, campaign.currency_id),
                ))
            new_costs.write({"state": "to_approve"})
            campaign.message_post(body=self.env._(
                "Costs over budget wait for a marketing manager's approval: %(costs)s",
                costs=", ".join(new_costs.mapped(lambda c: c.description or c.cost_type_id.name)),
            ))
        campaigns._warn_budget_consumption()

    def _warn_budget_consumption(self):
        to_warn = self.filtered(lambda c: not c.budget_warning_sent and c.budget_planned)
        if not to_warn:
            return
        results = to_warn._get_results()
        for campaign in to_warn:
            spent = results[campaign.id]["cost"]
            if spent < BUDGET_WARNING_RATIO * campaign.budget_planned:
                continue
            # the warning is read by the responsible: written in their language, not the caller's
            lang_env = campaign.with_context(lang=campaign.user_id.lang or self.env.lang).env
            summary = lang_env._("Budget %(percent)d%% used", percent=100.0 * spent / campaign.budget_planned)
            campaign.activity_schedule(
                "mail.mail_activity_data_warning", user_id=campaign.user_id.id, summary=summary,
                note=Markup("<p>%s</p>") % lang_env._(
                    "Campaign %(campaign)s has used %(spent)s of its %(budget)s budget.",
                    campaign=campaign.with_env(lang_env).title,
                    spent=format_amount(lang_env, spent, campaign.currency_id),
                    budget=format_amount(lang_env, campaign.budget_planned, campaign.currency_id),
                ),
            )
            campaign.budget_warning_sent = True

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def _check_plan_state_access(self):
        """Every employee may write Odoo's campaigns (utm): the campaign lifecycle is the marketers'."""
        self.check_access("write")
        if not self.env.su and not self.env.user.has_group("crm_marketing.group_crm_marketing_user"):
            raise AccessError(self.env._("Only marketing users can start, close, cancel or reset campaigns."))

    def action_plan_start(self):
        self._check_plan_state_access()
        if self.filtered(lambda c: c.plan_state != "planned"):
            raise UserError(self.env._("Only planned campaigns can start."))
        self.write({"plan_state": "running"})
        for campaign in self.filtered(lambda c: not c.date_start):
            campaign.date_start = fields.Date.context_today(self)

    def action_plan_done(self):
        self._check_plan_state_access()
        if self.filtered(lambda c: c.plan_state != "running"):
            raise UserError(self.env._("Only running campaigns can be closed."))
        self.write({"plan_state": "done"})
        for campaign in self.filtered(lambda c: not c.date_end or c.date_end > fields.Date.context_today(c)):
            campaign.date_end = fields.Date.context_today(self)

    def action_plan_cancel(self):
        self._check_plan_state_access()
        if self.filtered(lambda c: c.plan_state == "done"):
            raise UserError(self.env._("A finished campaign cannot be cancelled."))
        self.write({"plan_state": "cancelled"})

    def action_plan_reset(self):
        self._check_plan_state_access()
        self.write({"plan_state": "planned"})

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    @api.readonly
    def action_view_campaign_orders(self):
        """The confirmed orders summed in ``result_revenue``: the figure and its records agree."""
        self.ensure_one()
        self.check_access("read")
        self.env["sale.order"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("campaign_id", "=", self.id), ("state", "=", "sale")]
        action["context"] = {"create": False}
        return action

    @api.readonly
    def action_view_campaign_costs(self):
        self.ensure_one()
        self.check_access("read")
        self.env["crm.campaign.cost"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_marketing.crm_campaign_cost_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    @api.readonly
    def action_view_audience(self):
        self.ensure_one()
        self.check_access("read")
        self.env["crm.segment"].check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Audience of %(campaign)s", campaign=self.title),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.segment_ids._get_partners().ids)],
        }
