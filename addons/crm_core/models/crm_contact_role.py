from odoo import fields, models


class CrmContactRole(models.Model):
    """Role a contact person plays for the customer (accountant, purchaser…)."""

    _name = "crm.contact.role"
    _description = "Contact Role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A contact role with this name already exists.")
