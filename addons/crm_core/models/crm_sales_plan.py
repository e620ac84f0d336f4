from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

ACHIEVEMENT_SOURCE_PARAM = "crm_core.plan_achievement_source"
ACHIEVEMENT_SOURCES = [
    ("won_deals", "Won Deals"),
    ("sale_orders", "Confirmed Sales Orders"),
]


class CrmSalesPlan(models.Model):
    """Sales targets for a period: one line per salesperson or team."""

    _name = "crm.sales.plan"
    _description = "Sales Plan"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, tracking=True)
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("closed", "Closed")],
        default="draft", required=True, tracking=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    line_ids = fields.One2many("crm.sales.plan.line", "plan_id", string="Targets", copy=True)
    achievement_source = fields.Selection(
        ACHIEVEMENT_SOURCES, compute="_compute_achievement_source",
        help="Set in CRM settings: achievement counts won deals (closed in the period) or "
        "confirmed sales orders (ordered in the period).")
    target_amount = fields.Monetary(
        compute="_compute_totals",
        help="The plan's total of the targets you can read: a team's own target stands for the team, its "
        "members' targets are a breakdown of it and are not added; salespeople whose team has no target count "
        "with their own. Category targets are parts of those and never added.")
    target_count = fields.Integer(compute="_compute_totals", string="Target Deals")
    achieved_amount = fields.Monetary(compute="_compute_totals")
    achieved_count = fields.Integer(compute="_compute_totals", string="Achieved Deals")
    amount_rate = fields.Float(compute="_compute_totals", string="Amount Achieved (%)")
    progress_label = fields.Char(compute="_compute_totals", string="Progress")

    _check_period = models.Constraint(
        "CHECK(date_from <= date_to)", "A sales plan's period must end after it starts.")

    @api.model
    def _get_achievement_source(self):
        return self.env["res.config.settings"]._crm_get_setting("crm_plan_achievement_source")

    def _compute_achievement_source(self):
        self.achievement_source = self._get_achievement_source()

    @api.depends("line_ids.target_amount", "line_ids.target_count", "line_ids.user_id", "line_ids.team_id",
                 "line_ids.product_category_id")
    @api.depends_context("uid")
    def _compute_totals(self):
        """Totals of the target lines the current user may read (a salesperson sees their own: "my plan").

        No double counting, by the rule of ``crm.sales.plan.line._get_target_breakdown``
        that the managers' report follows too: a team's own target stands for
        the team and its members' targets are not added to it. Category
        targets are parts of those and never added.
        """
        for plan in self:
            lines = plan.line_ids.filtered(lambda line: not line.product_category_id)._get_counted_lines()
            plan.target_amount = sum(lines.mapped("target_amount"))
            plan.target_count = sum(lines.mapped("target_count"))
            plan.achieved_amount = sum(lines.mapped("achieved_amount"))
            plan.achieved_count = sum(lines.mapped("achieved_count"))
            plan.amount_rate = plan.target_amount and 100.0 * plan.achieved_amount / plan.target_amount
            plan.progress_label = plan._get_progress_label(
                plan.achieved_count, plan.target_count, plan.achieved_amount, plan.target_amount)

    def _get_progress_label(self, achieved_count, target_count, achieved_amount, target_amount):
        """"3 / 4 deals won", "3 / 4 orders confirmed", or the amounts when only an amount is targeted."""
        from_orders = self._get_achievement_source() == "sale_orders"
        if target_count or not target_amount:
            if from_orders:
                return self.env._("%(achieved)s / %(target)s orders confirmed", achieved=achieved_count,
                                  target=target_count)
            return self.env._("%(achieved)s / %(target)s deals won", achieved=achieved_count, target=target_count)
        currency = self.currency_id or self.env.company.currency_id
        achieved = format_amount(self.env, achieved_amount, currency)
        target = format_amount(self.env, target_amount, currency)
        if from_orders:
            return self.env._("%(achieved)s / %(target)s in confirmed orders", achieved=achieved, target=target)
        return self.env._("%(achieved)s / %(target)s in won deals", achieved=achieved, target=target)

    def action_confirm(self):
        self.check_access("write")
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft sales plans can be confirmed."))
        if any(not plan.line_ids for plan in self):
            raise UserError(self.env._("Add at least one target line before confirming the plan."))
        self.state = "confirmed"

    def action_close(self):
        self.check_access("write")
        if any(plan.state != "confirmed" for plan in self):
            raise UserError(self.env._("Only confirmed sales plans can be closed."))
        self.state = "closed"

    def action_reset_to_draft(self):
        self.check_access("write")
        self.state = "draft"

    @api.readonly
    def action_view_lines(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("crm_core.crm_sales_plan_line_action_achievement")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action
