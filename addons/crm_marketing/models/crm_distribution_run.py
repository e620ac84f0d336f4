from odoo import api, fields, models


class CrmDistributionRun(models.Model):
    """Log of one distribution: previewed or committed, with counts per salesperson."""

    _name = "crm.distribution.run"
    _description = "Lead Distribution Run"
    _order = "id desc"

    rule_id = fields.Many2one("crm.distribution.rule", required=True, ondelete="cascade", index=True)
    method = fields.Selection(related="rule_id.method", store=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", "Run By", default=lambda self: self.env.user, readonly=True)
    mode = fields.Selection([("preview", "Preview"), ("committed", "Committed")], required=True, readonly=True)
    lead_count = fields.Integer("Leads", readonly=True)
    assigned_count = fields.Integer("Assigned", compute="_compute_assigned_count", store=True)
    unassigned_count = fields.Integer("Unassigned", readonly=True)
    line_ids = fields.One2many("crm.distribution.run.line", "run_id", string="Per Salesperson", readonly=True)

    @api.depends("line_ids.lead_count")
    def _compute_assigned_count(self):
        for run in self:
            run.assigned_count = sum(run.line_ids.mapped("lead_count"))

    def _compute_display_name(self):
        for run in self:
            run.display_name = f"{run.rule_id.name} / {run.date}"
