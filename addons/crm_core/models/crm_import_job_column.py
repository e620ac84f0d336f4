from odoo import fields, models

IMPORT_TARGETS = [
    ("name", "Contact Name"),
    ("name_last", "Last Name"),
    ("name_first", "First Name"),
    ("name_middle", "Middle Name"),
    ("company", "Organisation"),
    ("inn", "INN"),
    ("kpp", "KPP"),
    ("vat", "Tax ID (other countries)"),
    ("function", "Job Position / Role"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("city", "City"),
    ("street", "Street"),
    ("zip", "ZIP"),
    ("country", "Country"),
    ("website", "Website"),
    ("comment", "Notes"),
    ("tag", "Tags"),
    ("user", "Salesperson"),
]


class CrmImportJobColumn(models.Model):
    _name = "crm.import.job.column"
    _description = "Customer Import: Column Mapping"
    _inherit = ["crm.import.job.child"]
    _order = "job_id, column_index"

    column_index = fields.Integer(
        "Column", required=True, aggregator=False, help="0-based position of the column in the sheet.")
    header = fields.Char("Header in the File")
    target = fields.Selection(IMPORT_TARGETS, string="Import As", help="Leave empty to ignore the column.")
    sample = fields.Char("Sample Value", help="The first non-empty value of the column.")
    confidence = fields.Float(
        help="How sure the recognition of the header is (0-1); a column below 0.5 is left for you to map.")
    candidates = fields.Char(
        "Could Also Be", help="The targets the header could mean, when it is ambiguous or unsure.")

    _job_column_unique = models.Constraint(
        "UNIQUE(job_id, column_index)", "A column appears once in the mapping of an import.")
