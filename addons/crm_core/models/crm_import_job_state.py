import itertools
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import import_rows
from .crm_import_job import CHUNK_SIZE, PREVIEW_ROW_FILTERS, SAMPLE_ROWS


class CrmImportJob(models.Model):
    """The wizard's steps: Upload → Preview (every row decided, nothing written) → Queued → Running →
    Done or Failed; a failed or previewed job goes back to Upload."""

    _inherit = "crm.import.job"  # pylint: disable=consider-merging-classes-inherited  # one unit per file

    def action_read_file(self):
        """Upload → sheets, detected header and mapping, and a preview of the first rows."""
        self._check_import_access()
        for job in self:
            if job.state not in ("draft", "preview", "failed"):
                raise UserError(job.env._("The import %(name)s has already started.", name=job.name))
            table = job._read_table(keep=True)
            table.rows = list(itertools.islice(table.rows, SAMPLE_ROWS))  # samples and preview: the first rows
            if not job.sheet_ids or job.sheet_ids.mapped("name") != table.sheets:
                job.sheet_ids.unlink()
                job.sheet_ids = [fields.Command.create({"name": name, "sequence": i})
                                 for i, name in enumerate(table.sheets)]
            sheet = job.sheet_ids.filtered(lambda s, name=table.sheet: s.name == name)[:1]
            previous = job.column_ids.sorted("column_index")
            same_columns = previous.mapped("header") == table.columns
            samples = job._column_samples(table)
            profile = job.profile_id if same_columns else job._detect_profile(table.columns)
            lines = [(col.target, col.confidence, col.candidates) for col in previous] if same_columns else (
                job._guess_columns(table.columns, profile))
            job.write({
                "sheet_id": sheet.id,
                "header_row": table.header_row,
                "rows_total": table.rows_total,
                "profile_id": profile.id,
                "warnings": "\n".join(message for _code, message in table.warnings) or False,
                "error_message": False,
                "column_ids": [fields.Command.clear()] + [
                    fields.Command.create({
                        "column_index": index,
                        "header": header,
                        "target": lines[index][0] or False,
                        "confidence": lines[index][1],
                        "candidates": lines[index][2] or False,
                        "sample": samples[index],
                    }) for index, header in enumerate(table.columns)
                ],
            })
            try:
                job._mapping()
            except UserError as error:
                # nothing recognised as a name yet: the user maps the columns, then refreshes the preview
                job._clear_preview()
                job.write(job._preview_totals(Counter(), Counter()))  # no totals without a name column
                job.warnings = "\n".join(filter(None, [job.warnings, str(error)]))
            else:
                job._compute_preview(job._read_table())  # every row of the file, streamed from the cache
            job.state = "preview"
        return True

    def action_change_sheet(self):
        """Re-read the header of the newly chosen sheet (its mapping is detected again)."""
        self._check_import_access()
        self.column_ids.unlink()
        self.header_row = 0
        return self.action_read_file()

    def action_refresh_preview(self):
        self._check_import_access()
        for job in self:
            job._compute_preview(job._read_table())
        return True

    def _compute_preview(self, table):
        """Decisions for every row of the file, computed exactly like the import but without writing: the
        preview log holds each row's decision, the job the totals of the file."""
        self.ensure_one()
        self._clear_preview()
        run = self._prepare_run()
        run.dry_run = True
        totals, reject_reasons = Counter(), Counter()
        rows = iter(table.rows)
        while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
            results = self._import_rows(run, table.columns, chunk, dry_run=True)
            import_rows.count_preview(results, totals, reject_reasons)
            self._insert_rows(results, preview=True)
            del chunk, results
        self.write(self._preview_totals(totals, reject_reasons))

    def _preview_totals(self, totals, reject_reasons):
        """Values of the preview's total fields from the counts of :meth:`_compute_preview`."""
        labels = self._reject_reason_labels()
        return {
            "preview_rows_read": totals["rows"],
            "preview_create_count": totals["created"],
            "preview_update_count": totals["updated"],
            "preview_skip_count": totals["skipped"],
            "preview_reject_count": totals["rejected"],
            "preview_file_duplicate_count": totals["file_duplicate"],
            "preview_existing_duplicate_count": totals["existing_duplicate"],
            "preview_phone_inferred_count": totals["phone_inferred"],
            "preview_reject_reasons": "\n".join(
                self.env._("%(reason)s: %(count)s", reason=labels.get(code, code), count=count)
                for code, count in reject_reasons.most_common()) or False,
        }

    def _reject_reason_labels(self):
        """{reason code: what the totals of the preview call it}: see ``import_rows.normalize_row``."""
        return {
            "no_name": self.env._("No contact name and no organisation"),
            "email": self.env._("Invalid email"),
            "inn": self.env._("Invalid INN"),
            "kpp": self.env._("Invalid KPP"),
        }

    @api.readonly
    def action_view_preview_rows(self):
        """The preview's rows in a list of their own, where they can be searched and filtered: the button
        names a filter of the rows' search view (duplicates, rejected rows...) in its context."""
        self.ensure_one()
        self._check_import_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.action_crm_import_job_row")
        action["name"] = action["display_name"] = self.env._("Preview of %(name)s", name=self.name)
        action["domain"] = [("job_id", "=", self.id), ("preview", "=", True)]
        action["context"] = {"default_job_id": self.id}
        row_filter = self.env.context.get("crm_import_row_filter")
        if row_filter in PREVIEW_ROW_FILTERS:
            action["context"][f"search_default_{row_filter}"] = 1
        return action

    def _clear_preview(self):
        """Drop the preview rows of these jobs (the caller may write the job: its log rows follow it)."""
        self.check_access("write")
        self.env.cr.execute(SQL("DELETE FROM crm_import_job_row WHERE preview AND job_id IN %s", tuple(self.ids)))
        self.env["crm.import.job.row"].invalidate_model()
        self.invalidate_recordset(["row_ids", "preview_row_ids"])

    def action_import(self):
        """Run small files now; queue big ones for the background job (cron), which runs them as this user."""
        self._check_import_access()
        sync_limit = self.env["res.config.settings"]._crm_get_setting("crm_import_sync_max_rows")
        for job in self:
            if job.state != "preview":
                raise UserError(job.env._("Read the file and check the preview before importing."))
            job._mapping()
            job._clear_preview()
            job.write({"state": "queued", "user_id": self.env.uid, "rows_done": 0, "created_count": 0,
                       "updated_count": 0, "skipped_count": 0, "rejected_count": 0,
                       "date_start": fields.Datetime.now()})
            if job.rows_total <= sync_limit:
                job._run()
            else:
                self.env.ref("crm_core.ir_cron_crm_import_job")._trigger()
        return True

    def action_queue(self):
        """Always leave the work to the background job, whatever the size; it runs as this user."""
        self._check_import_access()
        for job in self:
            if job.state != "preview":
                raise UserError(job.env._("Read the file and check the preview before importing."))
            job._mapping()
            job._clear_preview()
            job.write({"state": "queued", "user_id": self.env.uid, "date_start": fields.Datetime.now()})
        self.env.ref("crm_core.ir_cron_crm_import_job")._trigger()
        return True

    def action_reset(self):
        self._check_import_access()
        for job in self:
            if job.state in ("running", "done"):
                raise UserError(job.env._("A started import keeps its log; start a new import instead."))
        self.write({"state": "draft"})
        return True
