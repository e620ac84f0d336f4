from odoo import api, fields, models


class CrmImportJobChild(models.AbstractModel):
    """A child record of an import that steers it (its column mapping, its sheets): frozen with the job.

    Creating, changing or deleting one checks the job it belongs to (and the job it moves to) with
    ``crm.import.job._check_steering_editable``: the caller may edit that job and it is not queued yet.
    """

    _name = "crm.import.job.child"
    _description = "Customer Import: Mapping or Sheet"
    _abstract = True  # spelled out for tests/test_layout.py: no table, hence no access rights

    job_id = fields.Many2one("crm.import.job", required=True, ondelete="cascade", index=True)

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
