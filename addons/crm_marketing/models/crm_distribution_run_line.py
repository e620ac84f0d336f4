from odoo import fields, models


class CrmDistributionRunLine(models.Model):
    _name = "crm.distribution.run.line"
    _description = "Lead Distribution Run Line"
    _order = "lead_count desc, id"

    run_id = fields.Many2one("crm.distribution.run", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", "Salesperson", required=True)
    team_id = fields.Many2one("crm.team")
    lead_count = fields.Integer("Leads")
