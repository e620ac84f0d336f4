import base64
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import spreadsheet

_logger = logging.getLogger(__name__)

# columns of crm_import_job_row written by the bulk insert of the log
ROW_COLUMNS = ("job_id", "preview", "row_number", "values_json", "normalized_json", "name", "company_name",
               "phone", "phone_flag", "phone_inferred", "email", "inn", "decision", "partner_id",
               "duplicate_of_id", "duplicate_row", "match_reason", "reason", "create_uid", "create_date", "write_uid",
               "write_date")


class CrmImportJob(models.Model):
    """The log of an import: one row per row of the file (bulk SQL inserts per chunk) and the .xlsx of the
    rejected rows."""

    _inherit = "crm.import.job"  # pylint: disable=consider-merging-classes-inherited  # one unit per file

    def _insert_rows(self, results, preview=False):
        """Bulk SQL insert of the row log (one statement per chunk: 100,000 rows stay cheap)."""
        if not results:
            return
        now = fields.Datetime.now()
        uid = self.env.uid
        values = []
        for result in results:
            norm = {key: value for key, value in result["norm"].items() if value}
            values.append(SQL("(%s)", SQL(", ").join([
                self.id, preview, result["row_number"],
                json.dumps(result["values"], ensure_ascii=False),
                json.dumps(norm, ensure_ascii=False, default=str),
                result["name"] or None, result["company_name"] or None, result["phone"] or None,
                result["phone_flag"] or None, bool(result["phone_inferred"]), result["email"] or None,
                result["inn"] or None,
                result["decision"], result.get("partner_id") or None, result.get("duplicate_of_id") or None,
                result.get("duplicate_row") or None, result.get("match_reason") or None,
                "; ".join(result["warnings"]) or None, uid, now, uid, now,
            ])))
        self.env.cr.execute(SQL(
            "INSERT INTO crm_import_job_row (%s) VALUES %s",
            SQL(", ").join(SQL.identifier(column) for column in ROW_COLUMNS),
            SQL(", ").join(values),
        ))
        self.env["crm.import.job.row"].invalidate_model()
        self.invalidate_recordset(["row_ids", "preview_row_ids"])

    def _attach_rejected_file(self):
        """Build the file of rejected rows of a finished import; a failure is a warning of the job, never
        a reason to undo the imported rows."""
        try:
            with self.env.cr.savepoint():
                self._build_rejected_file()
        except Exception as error:  # the rows are imported: a failing download file must not undo them
            _logger.exception("Customer import %s: the file of rejected rows could not be built", self.id)
            self.warnings = "\n".join(filter(None, [self.warnings, self.env._(
                "The file of rejected rows could not be built (%(error)s): see the rejected rows in the log.",
                error=str(error))]))

    def _build_rejected_file(self):
        """An .xlsx of the rejected rows: their original values, the row number and the reason.

        The values come from the uploaded file: they are written as plain text (never formulas) without
        the characters an .xlsx cannot hold (see :func:`spreadsheet.write_xlsx`).
        """
        self.ensure_one()
        rejected = self.env["crm.import.job.row"].search(
            [("job_id", "=", self.id), ("preview", "=", False), ("decision", "=", "rejected")])
        if not rejected:
            self.write({"rejected_file": False, "rejected_filename": False})
            return
        columns = [column.header or "" for column in self.column_ids.sorted("column_index")]
        lines = [[*columns, self.env._("Row"), self.env._("Reason")]]
        for row in rejected:
            original = row._original_values()
            lines.append([*(original.get(header, "") for header in columns), row.row_number, row.reason or ""])
        content = spreadsheet.write_xlsx(self.env._("Rejected"), lines)
        stem = (self.filename or "import").rsplit(".", 1)[0]
        self.write({
            "rejected_file": base64.b64encode(content),
            "rejected_filename": f"{stem}_rejected.xlsx",
        })

    def action_download_rejected(self):
        self.ensure_one()
        self._check_import_access("read")
        if not self.rejected_file:
            self._build_rejected_file()
        if not self.rejected_file:
            raise UserError(self.env._("No row of this import was rejected."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/crm.import.job/{self.id}/rejected_file/{self.rejected_filename}?download=true",
            "target": "self",
        }

    @api.readonly
    def action_view_rows(self):
        self.ensure_one()
        self._check_import_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.action_crm_import_job_row")
        action["domain"] = [("job_id", "=", self.id), ("preview", "=", False)]
        action["context"] = {"search_default_group_decision": 1}
        return action
