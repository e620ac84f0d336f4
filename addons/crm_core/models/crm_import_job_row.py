import json

from odoo import api, fields, models

ROW_DECISIONS = [
    ("created", "Created"),
    ("updated", "Updated"),
    ("skipped", "Skipped"),
    ("rejected", "Rejected"),
]


class CrmImportJobRow(models.Model):
    """The outcome of one input row — written in bulk by the import (SQL inserts per chunk)."""

    _name = "crm.import.job.row"
    _description = "Customer Import: Row Result"
    _order = "job_id, preview desc, row_number"

    job_id = fields.Many2one("crm.import.job", required=True, ondelete="cascade", index=True)
    preview = fields.Boolean(help="A row of the preview: computed without writing anything.")
    row_number = fields.Integer("Row", help="Row number in the sheet (1-based, as Excel shows it).")
    values_json = fields.Text("Original Values", help="The row as read from the file (JSON: header → value).")
    normalized_json = fields.Text("Normalized Values")
    name = fields.Char("Contact")
    company_name = fields.Char("Organisation")
    phone = fields.Char("Phone (normalized)")
    phone_flag = fields.Char("Phone Check", help="Why the phone is kept as typed: no area code, invalid.")
    email = fields.Char("Email (normalized)")
    inn = fields.Char("INN")
    decision = fields.Selection(ROW_DECISIONS, required=True, index=True)
    partner_id = fields.Many2one("res.partner", "Contact Created/Updated", ondelete="set null")
    duplicate_of_id = fields.Many2one("res.partner", ondelete="set null")
    duplicate_row = fields.Integer("Duplicate of Row", help="Row of this file that already held this customer.")
    match_reason = fields.Selection([
        ("inn", "Same INN"),
        ("email", "Same email"),
        ("phone", "Same phone and similar name"),
        ("name", "Same name and city"),
        ("fuzzy_name", "Similar name, same city"),
    ], string="Matched By")
    reason = fields.Char("Reason / Warnings")

    @api.depends("row_number", "name", "company_name")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._("Row %(row)s: %(name)s", row=row.row_number,
                                          name=row.name or row.company_name or "")

    def _original_values(self):
        self.ensure_one()
        return json.loads(self.values_json or "{}")
