from odoo import fields, models


class CrmCustomerTier(models.Model):
    """Configurable customer tier (key account, A, B, C…)."""

    _name = "crm.customer.tier"
    _description = "Customer Tier"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A customer tier with this name already exists.")
