from odoo import fields, models


class CrmServiceCategory(models.Model):
    _name = "crm.service.category"
    _description = "Service Ticket Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
