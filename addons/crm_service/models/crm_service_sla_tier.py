from odoo import fields, models


class CrmServiceSlaTier(models.Model):
    _name = "crm.service.sla.tier"
    _description = "Service Level Tier"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
