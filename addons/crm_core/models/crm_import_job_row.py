import json

from odoo import api, fields, models
from odoo.fields import Domain

from .models import PrivacySheet

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
    # identifiers, not quantities: grouping the log never sums them
    row_number = fields.Integer("Row", aggregator=False,
                                help="Row number in the sheet (1-based, as Excel shows it).")
    values_json = fields.Text("Original Values", help="The row as read from the file (JSON: header → value).")
    normalized_json = fields.Text("Normalized Values")
    name = fields.Char("Contact")
    company_name = fields.Char("Organisation")
    phone = fields.Char("Phone (normalized)")
    phone_flag = fields.Char("Phone Check", help="Why the phone is kept as typed: no area code, invalid.")
    phone_inferred = fields.Boolean("Area Code Inferred", help="A phone of the row had its area code inferred "
                                                                "from the city.")
    email = fields.Char("Email (normalized)")
    inn = fields.Char("INN")
    decision = fields.Selection(ROW_DECISIONS, required=True, index=True)
    partner_id = fields.Many2one("res.partner", "Contact Created/Updated", ondelete="set null")
    duplicate_of_id = fields.Many2one("res.partner", "Matching Existing Contact", ondelete="set null")
    duplicate_row = fields.Integer("Duplicate of Row", aggregator=False,
                                   help="Row of this file that already held this customer.")
    duplicate_label = fields.Char("Duplicate Of", compute="_compute_duplicate_label",
                                  help="The row of this file or the existing contact this row matches.")
    match_reason = fields.Selection([
        ("inn", "Same INN"),
        ("email", "Same email"),
        ("phone", "Same phone and similar name"),
        ("name", "Same name and city"),
        ("fuzzy_name", "Similar name, same city"),
    ], string="Matched By")
    reason = fields.Text("Reason / Warnings")  # Text: wraps in the list instead of being cut
    outcome = fields.Text(compute="_compute_outcome",
                          help="What will happen to the row (preview), or what happened (import).")

    @api.depends("row_number", "name", "company_name")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._("Row %(row)s: %(name)s", row=row.row_number,
                                          name=row.name or row.company_name or "")

    @api.depends("duplicate_row", "duplicate_of_id", "job_id", "preview")
    def _compute_duplicate_label(self):
        """"Row 12 (Иван Петров)" for a row of the file, the contact's name and reference for an existing one."""
        in_file = self.filtered("duplicate_row")
        matched = {}
        if in_file:
            for row in self.search_fetch([
                ("job_id", "in", in_file.job_id.ids),
                ("row_number", "in", list(set(in_file.mapped("duplicate_row")))),
            ], ["job_id", "preview", "row_number", "name", "company_name"]):
                matched[row.job_id.id, row.preview, row.row_number] = row
        for row in self:
            original = matched.get((row.job_id.id, row.preview, row.duplicate_row))
            if row.duplicate_row:
                row.duplicate_label = self.env._(
                    "Row %(row)s (%(name)s)", row=row.duplicate_row,
                    name=original.name or original.company_name or "") if original else self.env._(
                    "Row %(row)s", row=row.duplicate_row)
            elif row.duplicate_of_id:
                partner = row.duplicate_of_id
                row.duplicate_label = self.env._(
                    "%(name)s (ref. %(ref)s)", name=partner.display_name, ref=partner.ref or partner.id)
            else:
                row.duplicate_label = False

    @api.depends("decision", "preview", "duplicate_label")
    def _compute_outcome(self):
        for row in self:
            row.outcome = row._preview_outcome() if row.preview else row._done_outcome()

    def _preview_outcome(self):
        """What the import will do with this row, worded before anything is written."""
        if self.decision == "skipped" and self.duplicate_label:
            return self.env._("Duplicate of %(match)s: will be skipped", match=self.duplicate_label)
        return {
            "created": self.env._("Will be created"),
            "updated": self.env._("Will update"),
            "skipped": self.env._("Will be skipped"),
            "rejected": self.env._("Will be rejected"),
        }.get(self.decision, "")

    def _done_outcome(self):
        """What the import did with this row."""
        if self.decision == "skipped" and self.duplicate_label:
            return self.env._("Duplicate of %(match)s: skipped", match=self.duplicate_label)
        return dict(self._fields["decision"]._description_selection(self.env)).get(self.decision, "")

    def _original_values(self):
        self.ensure_one()
        return json.loads(self.values_json or "{}")

    # -- personal data requests (privacy.lookup.wizard, see models.py) --------------------

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        domain = (Domain("partner_id", "in", persons.ids) | Domain("duplicate_of_id", "in", persons.ids)
                  | self._crm_privacy_address_domain("email", emails))
        sheets.append(PrivacySheet(self.env._("Import Rows"), domain, [
            "job_id", "row_number", "name", "company_name", "phone", "email", "inn", "values_json",
            "normalized_json", "decision", "reason"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """What the file said about the person; the row's number and decision stay in the job's log."""
        values = dict.fromkeys(("values_json", "normalized_json", "name", "company_name", "phone", "email",
                                "inn", "reason"), False)
        self.write(values)
        return [*super()._crm_privacy_anonymize(persons, emails), *values]
