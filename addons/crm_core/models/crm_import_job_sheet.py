from odoo import fields, models


class CrmImportJobSheet(models.Model):
    _name = "crm.import.job.sheet"
    _description = "Customer Import: Sheet of the File"
    _order = "sequence, id"

    job_id = fields.Many2one("crm.import.job", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Sheet", required=True)
