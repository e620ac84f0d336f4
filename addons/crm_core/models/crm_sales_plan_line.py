from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class CrmSalesPlanLine(models.Model):
    """One target of a sales plan: a salesperson or a team, optionally one product category."""

    _name = "crm.sales.plan.line"
    _description = "Sales Plan Target"
    _order = "plan_id, team_id, user_id, product_category_id, id"

    plan_id = fields.Many2one("crm.sales.plan", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, domain=[("share", "=", False)])
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    product_category_id = fields.Many2one(
        "product.category",
        help="Only sales of products in this category (and its subcategories) count.")
    target_amount = fields.Monetary(
        help="A team's own target stands for the team: the targets of its members (main sales team, same "
        "product category) are a breakdown of it, never added to it; a salesperson whose team has no target "
        "counts with their own. The plan's totals and the manager report follow this rule. Category targets are "
        "parts of those totals, never added to them. In the manager report, targets are spread over the months "
        "of the plan's period in proportion to the days of each month the period covers.")
    target_count = fields.Integer(
        string="Target Deals",
        help="Number of deals to win, or of orders to confirm when achievement counts confirmed sales orders "
        "(CRM settings).")
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date_from = fields.Date(related="plan_id.date_from", store=True)
    date_to = fields.Date(related="plan_id.date_to", store=True)
    state = fields.Selection(related="plan_id.state", store=True, string="Plan Status")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    achieved_amount = fields.Monetary(compute="_compute_achievement")
    achieved_count = fields.Integer(compute="_compute_achievement", string="Achieved Deals")
    amount_rate = fields.Float(compute="_compute_achievement", string="Amount Achieved (%)")
    count_rate = fields.Float(compute="_compute_achievement", string="Deals Achieved (%)")
    progress_label = fields.Char(compute="_compute_achievement", string="Progress")

    _check_targets_positive = models.Constraint(
        "CHECK(target_amount >= 0 AND target_count >= 0)", "Targets cannot be negative.")
    _check_one_assignee = models.Constraint(
        "CHECK((user_id IS NULL) <> (team_id IS NULL))",
        "A target belongs either to a salesperson or to a sales team, not both.")

    @api.depends("plan_id.name", "user_id", "team_id", "product_category_id")
    def _compute_display_name(self):
        for line in self:
            parts = [line.plan_id.name, (line.user_id or line.team_id).name, line.product_category_id.name]
            line.display_name = " / ".join(part for part in parts if part)

    @api.constrains("plan_id", "user_id", "team_id", "product_category_id")
    def _check_unique_target(self):
        groups = self._read_group(
            [("plan_id", "in", self.plan_id.ids)],
            ["plan_id", "user_id", "team_id", "product_category_id"],
            ["__count"],
        )
        duplicates = [(plan, user or team) for plan, user, team, _categ, count in groups if count > 1]
        if duplicates:
            plan, assignee = duplicates[0]
            raise ValidationError(self.env._(
                "The plan %(plan)s has two targets for %(assignee)s.", plan=plan.name, assignee=assignee.name))

    # ------------------------------------------------------------------
    # Totals without double counting: one rule for the plan and the reports
    # ------------------------------------------------------------------

    def _get_target_breakdown(self):
        """{team target: the salespeople's targets that break it down}, among the lines of ``self``.

        The rule that totals targets without double counting, used by the
        plan's totals and mirrored in SQL by the managers' report
        (``crm.analytics.manager._query_targets`` in crm_analytics): a team's
        own target stands for the team; the targets of the salespeople whose
        main sales team is that team, in the same plan and product category,
        are a breakdown of it and are not added to it. A salesperson whose main
        team has no target in the plan counts with their own target. Category
        targets are parts of the plain ones and are totalled apart.
        """
        team_lines = {
            (line.plan_id, line.team_id, line.product_category_id): line for line in self if line.team_id
        }
        breakdown = defaultdict(self.browse)
        for line in self:
            team_line = line.user_id and team_lines.get(
                (line.plan_id, line.user_id.sale_team_id, line.product_category_id))
            if team_line:
                breakdown[team_line] |= line
        return breakdown

    def _get_counted_lines(self):
        """The lines of ``self`` whose targets add up to their total (see _get_target_breakdown)."""
        return self - self.browse().union(*self._get_target_breakdown().values())

    # ------------------------------------------------------------------
    # Achievement, batch computed: a few grouped queries per plan period
    # ------------------------------------------------------------------

    def _compute_achievement(self):
        achievement = self._get_achievement()
        for line in self:
            amount, count = achievement.get(line.id, (0.0, 0))
            line.achieved_amount = amount
            line.achieved_count = count
            line.amount_rate = line.target_amount and 100.0 * amount / line.target_amount
            line.count_rate = line.target_count and 100.0 * count / line.target_count
            line.progress_label = line.plan_id._get_progress_label(
                count, line.target_count, amount, line.target_amount)

    def _get_achievement(self):
        """{line id: (achieved amount in the plan's company currency, achieved count)}."""
        source = self.env["crm.sales.plan"]._get_achievement_source()
        lines_by_period = defaultdict(lambda: self.browse())
        for line in self:
            if line.id and line.date_from and line.date_to and line.company_id:
                lines_by_period[line.date_from, line.date_to, line.company_id] |= line
        result = {}
        for (date_from, date_to, company), lines in lines_by_period.items():
            # the period's bounds as UTC datetimes, end excluded
            start = datetime.combine(date_from, time.min)
            end = datetime.combine(date_to + timedelta(days=1), time.min)
            plain = lines.filtered(lambda line: not line.product_category_id)
            with_category = lines - plain
            if plain:
                if source == "sale_orders":
                    rows = plain._get_order_totals(company, start, end)
                else:
                    rows = plain._get_won_deal_totals(company, start, end)
                result.update(plain._match_totals(rows))
            if with_category:
                if source == "sale_orders":
                    rows = with_category._get_order_category_totals(company, start, end)
                else:
                    rows = with_category._get_won_deal_category_totals(company, start, end)
                result.update(with_category._match_category_totals(rows))
        return result

    def _assignee_domain(self):
        return ["|", ("user_id", "in", self.user_id.ids), ("team_id", "in", self.team_id.ids)]

    def _get_won_deal_totals(self, company, start, end):
        """[(user, team, amount, count)] of deals won in the period (expected revenue, company currency)."""
        # sudo: only sums and counts leave this method, for targets the user may read;
        # a salesperson must see their team target's progress without reading colleagues' deals
        groups = self.env["crm.lead"].sudo()._read_group(
            [
                ("won_status", "=", "won"),
                ("company_id", "=", company.id),
                ("date_closed", ">=", start),
                ("date_closed", "<", end),
                *self._assignee_domain(),
            ],
            ["user_id", "team_id"],
            ["expected_revenue:sum", "__count"],
        )
        return [(user, team, amount, count) for user, team, amount, count in groups]

    def _get_order_totals(self, company, start, end):
        """[(user, team, amount, count)] of orders confirmed in the period (untaxed, company currency)."""
        # sudo: as in _get_won_deal_totals, only aggregates are exposed
        groups = self.env["sale.order"].sudo()._read_group(
            [
                ("state", "=", "sale"),
                ("company_id", "=", company.id),
                ("date_order", ">=", start),
                ("date_order", "<", end),
                *self._assignee_domain(),
            ],
            ["user_id", "team_id", "currency_rate"],
            ["amount_untaxed:sum", "__count"],
        )
        return [
            (user, team, amount / (rate or 1.0), count)
            for user, team, rate, amount, count in groups
        ]

    def _get_won_deal_category_totals(self, company, start, end):
        """[(user, team, category, deal id, amount)] from the product lines of won deals."""
        # sudo: see _get_won_deal_totals
        LeadLine = self.env["crm.deal.line"].sudo()
        groups = LeadLine._read_group(
            [
                ("lead_id.won_status", "=", "won"),
                ("lead_id.company_id", "=", company.id),
                ("lead_id.date_closed", ">=", start),
                ("lead_id.date_closed", "<", end),
                ("product_id.categ_id", "child_of", self.product_category_id.ids),
                "|", ("lead_id.user_id", "in", self.user_id.ids), ("lead_id.team_id", "in", self.team_id.ids),
            ],
            ["lead_id", "product_id.categ_id"],
            ["price_subtotal:sum"],
        )
        rows = []
        for lead, category, amount in groups:
            if lead.crm_currency_id and lead.crm_currency_id != company.currency_id:
                amount = lead.crm_currency_id._convert(
                    amount, company.currency_id, company, lead.date_closed.date())
            rows.append((lead.user_id, lead.team_id, category, lead.id, amount))
        return rows

    def _get_order_category_totals(self, company, start, end):
        """[(user, team, category, order id, amount)] from the lines of confirmed orders."""
        # sudo: see _get_won_deal_totals
        groups = self.env["sale.order.line"].sudo()._read_group(
            [
                ("order_id.state", "=", "sale"),
                ("order_id.company_id", "=", company.id),
                ("order_id.date_order", ">=", start),
                ("order_id.date_order", "<", end),
                ("display_type", "=", False),
                ("product_id.categ_id", "child_of", self.product_category_id.ids),
                "|", ("order_id.user_id", "in", self.user_id.ids), ("order_id.team_id", "in", self.team_id.ids),
            ],
            ["order_id", "product_id.categ_id"],
            ["price_subtotal:sum"],
        )
        return [
            (order.user_id, order.team_id, category, order.id, amount / (order.currency_rate or 1.0))
            for order, category, amount in groups
        ]

    def _match_totals(self, rows):
        result = {}
        for line in self:
            matching = [
                (amount, count) for user, team, amount, count in rows
                if (line.user_id and user == line.user_id) or (line.team_id and team == line.team_id)
            ]
            result[line.id] = (sum(row[0] for row in matching), sum(row[1] for row in matching))
        return result

    def _match_category_totals(self, rows):
        """Sum the rows of each line's category and subcategories; count each document once."""
        result = {}
        for line in self:
            parent_path = line.product_category_id.parent_path
            amount, documents = 0.0, set()
            for user, team, category, document_id, row_amount in rows:
                if not ((line.user_id and user == line.user_id) or (line.team_id and team == line.team_id)):
                    continue
                if not category.parent_path.startswith(parent_path):
                    continue
                amount += row_amount
                documents.add(document_id)
            result[line.id] = (amount, len(documents))
        return result

    # ------------------------------------------------------------------
    # Progress counters in the pipeline's control panel
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_pipeline_progress(self, limit=3):
        """The current user's targets running today, as counters for the pipeline.

        Their own targets first, then those of their sales teams; only what
        the user may read (record rules apply: no sudo here).
        """
        if not self.has_access("read"):
            return []
        today = fields.Date.context_today(self)
        user = self.env.user
        lines = self.search([
            ("state", "=", "confirmed"),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
            ("company_id", "in", self.env.companies.ids),
            "|", ("user_id", "=", user.id), ("team_id", "in", user.crm_team_ids.ids),
        ])
        lines = lines.sorted(lambda line: (not line.user_id, line.date_to, line.id))[:limit]
        from_orders = self.env["crm.sales.plan"]._get_achievement_source() == "sale_orders"
        progress = []
        for line in lines:
            who = self.env._("My plan") if line.user_id else line.team_id.name
            if line.product_category_id:
                who = f"{who} · {line.product_category_id.name}"
            if line.target_count:
                label = (
                    self.env._("%(who)s: %(achieved)s of %(target)s orders confirmed",
                               who=who, achieved=line.achieved_count, target=line.target_count)
                    if from_orders else
                    self.env._("%(who)s: %(achieved)s of %(target)s deals won",
                               who=who, achieved=line.achieved_count, target=line.target_count)
                )
                rate = line.count_rate
            else:
                label = (
                    self.env._("%(who)s: %(rate)s%% of the amount in confirmed orders",
                               who=who, rate=round(line.amount_rate))
                    if from_orders else
                    self.env._("%(who)s: %(rate)s%% of the amount in won deals",
                               who=who, rate=round(line.amount_rate))
                )
                rate = line.amount_rate
            progress.append({
                "id": line.id,
                "plan_id": line.plan_id.id,
                "label": label,
                "period": self.env._(
                    "%(plan)s, %(date_from)s – %(date_to)s", plan=line.plan_id.name,
                    date_from=format_date(self.env, line.date_from), date_to=format_date(self.env, line.date_to)),
                "rate": round(rate, 1),
                "achieved_count": line.achieved_count,
                "target_count": line.target_count,
                "count_rate": round(line.count_rate, 1),
                "achieved_amount": line.achieved_amount,
                "target_amount": line.target_amount,
                "amount_rate": round(line.amount_rate, 1),
                "currency_id": line.currency_id.id,
            })
        return progress
