from odoo import fields, models


class CrmImportJobSheet(models.Model):
    _name = "crm.import.job.sheet"
    _description = "Customer Import: Sheet of the File"
    _inherit = ["crm.import.job.child"]
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char("Sheet", required=True)
