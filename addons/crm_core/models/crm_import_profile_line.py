from odoo import fields, models

from .crm_import_job_column import IMPORT_TARGETS


class CrmImportProfileLine(models.Model):
    _name = "crm.import.profile.line"
    _description = "Customer Import Profile: Column"
    _order = "profile_id, sequence, id"

    profile_id = fields.Many2one("crm.import.profile", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    header = fields.Char("Header in the File", required=True)
    target = fields.Selection(IMPORT_TARGETS, string="Import As", help="Empty: the column is ignored.")
