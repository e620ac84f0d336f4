from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # ------------------------------------------------------------------
    # Sales plans: the team's current target on its dashboard card
    # ------------------------------------------------------------------

    crm_current_plan_line_id = fields.Many2one(
        "crm.sales.plan.line", string="Current Target", compute="_compute_crm_current_plan_line_id",
        help="The team's target (without product category) in the confirmed sales plan of today.")
    crm_current_plan_progress = fields.Char(compute="_compute_crm_current_plan_line_id", string="Plan Progress")
    crm_current_plan_achieved_count = fields.Integer(
        "Current Plan Achieved Count", compute="_compute_crm_current_plan_line_id")
    crm_current_plan_target_count = fields.Integer(
        "Current Plan Target Count", compute="_compute_crm_current_plan_line_id")

    @api.depends_context("uid")
    def _compute_crm_current_plan_line_id(self):
        today = fields.Date.context_today(self)
        # one search for all the teams; record rules decide whose targets the user sees
        lines = self.env["crm.sales.plan.line"].search([
            ("team_id", "in", self.ids),
            ("product_category_id", "=", False),
            ("state", "=", "confirmed"),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
        ], order="date_from desc, id desc")
        line_by_team = {}
        for line in lines:
            line_by_team.setdefault(line.team_id.id, line)
        for team in self:
            line = line_by_team.get(team.id, lines.browse())
            team.crm_current_plan_line_id = line
            team.crm_current_plan_progress = line.progress_label
            team.crm_current_plan_achieved_count = line.achieved_count
            team.crm_current_plan_target_count = line.target_count
