from odoo import api, fields, models


class CrmImportJobSheet(models.Model):
    _name = "crm.import.job.sheet"
    _description = "Customer Import: Sheet of the File"
    _order = "sequence, id"

    job_id = fields.Many2one("crm.import.job", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Sheet", required=True)

    @api.model_create_multi
    def create(self, vals_list):
        jobs = self.env["crm.import.job"].browse({vals["job_id"] for vals in vals_list if vals.get("job_id")})
        jobs._check_steering_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.job_id._check_steering_editable()
        if vals.get("job_id"):
            self.env["crm.import.job"].browse(vals["job_id"])._check_steering_editable()
        return super().write(vals)

    def unlink(self):
        self.job_id._check_steering_editable()
        return super().unlink()
