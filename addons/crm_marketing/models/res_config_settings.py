from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_marketing_budget_policy = fields.Selection(
        [("block", "Block costs over budget"), ("approval", "Costs over budget need a manager's approval")],
        string="Campaign Budget Policy", default="block",
        config_parameter="crm_marketing.budget_policy",
    )
