from odoo import fields, models


class CrmCampaignCostType(models.Model):
    _name = "crm.campaign.cost.type"
    _description = "Campaign Cost Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _name_unique = models.Constraint("UNIQUE(name)", "The cost type name must be unique.")
