from odoo import fields, models


class CrmCampaignBudgetLine(models.Model):
    _name = "crm.campaign.budget.line"
    _description = "Campaign Planned Budget Line"
    _order = "campaign_id, id"

    campaign_id = fields.Many2one("utm.campaign", required=True, ondelete="cascade", index=True)
    cost_type_id = fields.Many2one("crm.campaign.cost.type", required=True, ondelete="restrict")
    planned_amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="campaign_id.currency_id")
    note = fields.Char()

    _planned_amount_positive = models.Constraint(
        "CHECK(planned_amount >= 0)", "A planned amount cannot be negative."
    )
    _cost_type_unique = models.Constraint(
        "UNIQUE(campaign_id, cost_type_id)", "Plan each cost type once per campaign."
    )
