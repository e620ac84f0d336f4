import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import headers, import_table_cache, spreadsheet

CHUNK_SIZE = 2000
# filters of the row search view a button of the preview may open the preview's rows with
PREVIEW_ROW_FILTERS = ("duplicate", "duplicate_in_file", "duplicate_existing", "rejected", "phone_inferred")
SAMPLE_ROWS = 50  # rows read at upload for the samples shown in the mapping
# states of a job handed to the processing: what steers it is frozen from then on
QUEUED_STATES = ("queued", "running", "done")
# the fields that decide what a queued job does (and as whom): see CrmImportJob.write
FROZEN_FIELDS = frozenset({"user_id", "company_id", "file", "filename", "sheet_id", "sheet_ids", "header_row",
                           "column_ids", "duplicate_policy", "strict_identifiers", "region_country_id"})


class CrmImportJob(models.Model):
    """A customer import: the uploaded file, its mapping, its progress and its log.

    One model, one unit per file: this one holds the fields, the guards, the reading of the file and the
    column mapping; ``crm_import_job_state.py`` the wizard's steps, ``crm_import_job_cron.py`` the
    processing and the background job, ``crm_import_job_chunk.py`` one chunk of rows,
    ``crm_import_job_log.py`` the row log and the file of rejected rows. Rows are normalized and decided
    by ``tools/import_rows.py`` and the cards written by ``crm.import.partner.writer``.
    """

    _name = "crm.import.job"
    _description = "Customer Import"
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: self.env._("Customer import"))
    user_id = fields.Many2one("res.users", "Imported By", required=True, default=lambda self: self.env.user,
                              index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    file = fields.Binary(attachment=True, required=True)
    # the sheet as read when the file was uploaded (zlib-compressed JSON): the import does not parse the
    # workbook a second time; dropped when the file changes and once the import is done
    table_cache = fields.Binary(attachment=True, readonly=True, copy=False)
    filename = fields.Char("File Name")
    sheet_ids = fields.One2many("crm.import.job.sheet", "job_id", string="Sheets")
    sheet_id = fields.Many2one("crm.import.job.sheet", domain="[('job_id', '=', id)]")
    header_row = fields.Integer(aggregator=False, help="Row of the sheet holding the column names; 0 = detect.")
    column_ids = fields.One2many("crm.import.job.column", "job_id", string="Column Mapping")
    profile_id = fields.Many2one(
        "crm.import.profile", "Import Profile", copy=False,
        help="The column mapping of a known export (1C, Bitrix24, amoCRM or one you saved), detected from "
             "the file's header row; choose another one and apply it to map the columns its way.")
    region_country_id = fields.Many2one(
        "res.country", "Default Phone Country",
        help="Country of numbers typed without +; empty: the country of the company.")
    duplicate_policy = fields.Selection([
        ("skip", "Skip duplicates"),
        ("fill", "Fill empty fields only"),
        ("overwrite", "Overwrite with the file's values"),
        ("create", "Create anyway"),
    ], required=True, default="skip",
        help="What to do with a row matching an existing contact (same INN, email, phone and name, "
             "or similar name in the same city).")
    strict_identifiers = fields.Boolean(
        "Reject Invalid INN/KPP",
        help="Reject rows whose INN or KPP fails the length or checksum test; otherwise the value is "
             "left out and the row is imported with a warning.")
    state = fields.Selection([
        ("draft", "Upload"),
        ("preview", "Preview"),
        ("queued", "Queued"),
        ("running", "Running"),
        ("done", "Done"),
        ("failed", "Failed"),
    ], default="draft", required=True, index=True, readonly=True)
    rows_total = fields.Integer("Rows in File", readonly=True)
    rows_done = fields.Integer("Rows Processed", readonly=True)
    progress = fields.Float(compute="_compute_progress", help="Percentage of the rows processed.")
    created_count = fields.Integer("Created", readonly=True)
    updated_count = fields.Integer("Updated", readonly=True)
    skipped_count = fields.Integer("Skipped", readonly=True)
    rejected_count = fields.Integer("Rejected", readonly=True)
    row_ids = fields.One2many("crm.import.job.row", "job_id", string="Rows", domain=[("preview", "=", False)])
    preview_row_ids = fields.One2many("crm.import.job.row", "job_id", string="Preview",
                                      domain=[("preview", "=", True)])
    # the preview's totals, over every row of the file (the preview log holds each row's decision)
    preview_rows_read = fields.Integer("Rows Read", readonly=True)
    preview_create_count = fields.Integer("To Create", readonly=True)
    preview_update_count = fields.Integer("To Update", readonly=True)
    preview_skip_count = fields.Integer("To Skip", readonly=True)
    preview_reject_count = fields.Integer("To Reject", readonly=True)
    preview_file_duplicate_count = fields.Integer(
        "Duplicates within the File", readonly=True, help="Rows holding a customer an earlier row of the file holds.")
    preview_existing_duplicate_count = fields.Integer(
        "Duplicates of Existing Contacts", readonly=True, help="Rows matching a contact already in the database.")
    preview_phone_inferred_count = fields.Integer(
        "Area Codes Inferred", readonly=True, help="Rows with a phone whose area code is inferred from the city.")
    preview_reject_reasons = fields.Text("Why Rows Are Rejected", readonly=True)
    warnings = fields.Text(readonly=True)
    error_message = fields.Text("Error", readonly=True)
    date_start = fields.Datetime("Started", readonly=True)
    date_done = fields.Datetime("Finished", readonly=True)
    rejected_file = fields.Binary("Rejected Rows", attachment=True, readonly=True)
    rejected_filename = fields.Char(readonly=True)

    _rows_done_positive = models.Constraint("CHECK(rows_done >= 0)", "Processed rows cannot be negative.")
    _header_row_positive = models.Constraint(
        "CHECK(header_row >= 0)", "The header row is a row number (0 = detect it).")

    @api.depends("rows_done", "rows_total")
    def _compute_progress(self):
        for job in self:
            job.progress = 100.0 * job.rows_done / job.rows_total if job.rows_total else 0.0

    # ------------------------------------------------------------------ reading the file
    def _max_size_mb(self):
        return self.env["res.config.settings"]._crm_get_setting("crm_import_max_size_mb")

    def _file_content(self):
        self.ensure_one()
        if not self.file:
            if self.filename:
                raise UserError(self.env._("The file %(filename)s is empty.", filename=self.filename))
            raise UserError(self.env._("Upload a file first."))
        return base64.b64decode(self.file)

    def _spreadsheet_error(self, error):
        """Translatable message for a :class:`spreadsheet.SpreadsheetError`."""
        p = error.params
        messages = {
            "not_spreadsheet": lambda: self.env._(
                "The file %(filename)s is not a spreadsheet: upload an .xlsx, .xls or .csv file.", **p),
            "corrupted": lambda: self.env._(
                "The workbook %(filename)s is damaged and cannot be read (%(detail)s). Open it in Excel "
                "and save it again.", **p),
            "empty_file": lambda: self.env._("The file %(filename)s is empty.", **p),
            "empty_sheet": lambda: self.env._("The sheet %(sheet)s is empty: choose another sheet.", **p),
            "no_header": lambda: self.env._(
                "No header row found in the first %(rows)s rows of the sheet %(sheet)s: the file needs "
                "column names such as Name, Phone, E-mail, Organisation.", **p),
            "too_big": lambda: self.env._(
                "The file is %(size)s MB, over the limit of %(limit)s MB: split it into smaller files.", **p),
            "unknown_sheet": lambda: self.env._("The workbook has no sheet named %(sheet)s.", **p),
            "formula_without_value": lambda: self.env._(
                "Cell %(cell)s of the sheet %(sheet)s holds a formula without a computed value (%(formula)s): "
                "open the file in Excel and save it, or paste the values only.", **p),
            "header_merged": lambda: self.env._(
                "The header row %(row)s of the sheet %(sheet)s has merged cells (%(ranges)s): unmerge them "
                "so that each column has its own name.", **p),
            "too_big_unpacked": lambda: self.env._(
                "The workbook %(filename)s unpacks to %(size)s MB, over the limit of %(limit)s MB: split it "
                "into smaller files.", **p),
            "zip_bomb": lambda: self.env._(
                "The workbook %(filename)s is compressed %(ratio)s times (part %(part)s), over the limit of "
                "%(limit)s times: it is not an ordinary spreadsheet and is refused.", **p),
            "too_many_rows": lambda: self.env._(
                "The file %(filename)s has %(rows)s rows in a sheet, over the limit of %(limit)s rows: split "
                "it into smaller files.", **p),
            "too_many_columns": lambda: self.env._(
                "The file %(filename)s has %(columns)s columns in a sheet, over the limit of %(limit)s "
                "columns: delete the empty columns and save it again.", **p),
            "too_many_merged": lambda: self.env._(
                "The file %(filename)s has more than %(limit)s merged cell ranges in a sheet: unmerge the "
                "cells and save it again.", **p),
            "merged_too_big": lambda: self.env._(
                "The merged cells of a sheet of %(filename)s cover more than %(limit)s cells (range "
                "%(range)s): unmerge the cells and save it again.", **p),
            "field_too_long": lambda: self.env._(
                "Line %(line)s of %(filename)s holds a value of more than %(limit)s characters: it is not a "
                "customer list.", **p),
            "nul_bytes": lambda: self.env._(
                "The file %(filename)s holds NUL characters (line %(line)s): it is binary or damaged. Save "
                "it again as CSV.", **p),
            "csv_error": lambda: self.env._(
                "The file %(filename)s cannot be read as CSV at line %(line)s (%(detail)s): save it again "
                "as CSV or as an Excel workbook.", **p),
        }
        return messages.get(error.code, lambda: str(error))()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_queued_by_caller(vals, vals.get("user_id", self.env.uid))
        return super().create(vals_list)

    def write(self, vals):
        frozen = FROZEN_FIELDS.intersection(vals)
        if frozen:
            for job in self:
                if job.state in QUEUED_STATES:
                    raise UserError(job.env._(
                        "The import %(name)s is already queued: its file, company, mapping, duplicate policy "
                        "and user cannot change any more (%(fields)s). Go back to Upload first.",
                        name=job.name, fields=", ".join(sorted(
                            self._fields[fname]._description_string(self.env) for fname in frozen))))
        if vals.get("state") in QUEUED_STATES:
            for job in self:
                self._check_queued_by_caller(vals, vals.get("user_id", job.user_id.id))
        if "file" in vals or "filename" in vals:
            vals = dict(vals, table_cache=False)
        return super().write(vals)

    @api.private
    def _check_queued_by_caller(self, vals, user_id):
        """A job is processed as its user: only that user puts it in the queue (see action_import)."""
        if vals.get("state", "draft") in QUEUED_STATES and not self.env.su and user_id != self.env.uid:
            raise AccessError(self.env._("An import runs as the user who queues it: queue it with its buttons."))

    @api.private
    def _check_steering_editable(self):
        """Mapping and sheets are part of what steers a job: editable only on a job the caller may edit,
        and frozen once it is queued (the lines have no record rules of their own)."""
        if not self:
            return
        self.check_access("write")
        for job in self:
            if job.state in QUEUED_STATES:
                raise UserError(job.env._(
                    "The import %(name)s is already queued: its column mapping and sheets cannot change any "
                    "more. Go back to Upload first.", name=job.name))

    @api.private
    def _check_import_access(self, operation="write"):
        """Buttons are public methods: they check the caller's rights on these jobs themselves."""
        if not self.env.su and not (self.env.user.has_group("crm_core.group_crm_data_operator")
                                    or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(self.env._("Only data operators and sales managers import customers."))
        self.check_access(operation)

    def _read_table(self, header_row=None, keep=False):
        """The chosen sheet as a :class:`spreadsheet.Table` whose ``rows`` is a stream; bad files become a
        UserError (raised while streaming too: iterate the rows under :meth:`_spreadsheet_errors`).

        ``keep`` reads the whole sheet once, as a stream, into ``table_cache`` (compressed, one JSON line per
        row) and returns the table read back from it, ``rows_total`` known; the next reads of the same
        sheet stream from the cache instead of parsing the workbook again.
        """
        self.ensure_one()
        sheet = self.sheet_id.name or None
        header_row = header_row if header_row is not None else (self.header_row or None)
        table = self._cached_table(sheet, header_row)
        if table is not None:
            return table
        try:
            table = spreadsheet.read_table(
                self._file_content(), self.filename or "", sheet=sheet, max_size_mb=self._max_size_mb(),
                header_row=header_row, known_headers=self._profile_headers(), stream=True)
            if not keep:
                table.rows = self._spreadsheet_errors(table.rows)
                return table
            blob = import_table_cache.dump_table(table, [sheet, header_row])
        except spreadsheet.SpreadsheetError as error:
            raise UserError(self._spreadsheet_error(error)) from error
        self.table_cache = base64.b64encode(blob)
        del blob
        return self._cached_table(sheet, header_row)

    def _spreadsheet_errors(self, rows):
        """The rows of a streamed sheet; a problem met further on in the file becomes a UserError."""
        try:
            yield from rows
        except spreadsheet.SpreadsheetError as error:
            raise UserError(self._spreadsheet_error(error)) from error

    def _cached_table(self, sheet, header_row):
        """The table kept by :meth:`_read_table`, its rows decompressed and decoded as they are taken."""
        if not self.table_cache:
            return None
        try:
            blob = base64.b64decode(self.table_cache)
        except ValueError:
            return None
        return import_table_cache.load_table(blob, [sheet, header_row])

    def _region(self):
        self.ensure_one()
        country = self.region_country_id or self.company_id.country_id
        return country.code or "RU"

    @staticmethod
    def _column_samples(table):
        samples = [""] * len(table.columns)
        for _number, values in table.rows[:50]:
            for index, value in enumerate(values):
                if value and not samples[index]:
                    samples[index] = value[:80]
        return samples

    def _mapping(self):
        """{target field: [column index, ...]} from the editable mapping: every phone and e-mail column is
        read, the other targets from their first column."""
        self.ensure_one()
        mapping = {}
        for column in self.column_ids.sorted("column_index"):
            if not column.target:
                continue
            indexes = mapping.setdefault(column.target, [])
            if not indexes or column.target in headers.MULTI_TARGETS:
                indexes.append(column.column_index)
        if not mapping.keys() & {"name", "company", *headers.NAME_PARTS}:
            raise UserError(self.env._(
                "Map at least one column to Contact Name or Organisation: nothing can be imported without a name."))
        return mapping

    # ------------------------------------------------------------------ recognising the columns
    def _target_labels(self):
        return dict(self.env["crm.import.job.column"].fields_get(["target"], ["selection"])["target"]["selection"])

    def _guess_columns(self, columns, profile=None):
        """[(target, confidence, candidates text)] per column: the profile's mapping where it names the
        header, else the recognition of the header's words (see :mod:`headers`)."""
        by_profile = profile._targets_by_header() if profile else {}
        labels = self._target_labels()
        lines = []
        for header, guess in zip(columns, spreadsheet.guess_columns(columns), strict=True):
            key = headers.header_key(header)
            if key in by_profile:
                lines.append((by_profile[key], 1.0, ""))
                continue
            candidates = ", ".join(f"{labels.get(target, target)} ({round(score * 100)}%)"
                                   for target, score in guess.candidates)
            lines.append((guess.target, guess.confidence, candidates))
        return lines

    def _profile_headers(self):
        """The headers of the import profiles the user may use: a header row made of them is found too."""
        return self.env["crm.import.profile.line"].search_fetch([], ["header"]).mapped("header")

    def _detect_profile(self, columns):
        """The import profile (shared, or the user's own) whose headers the file has most of."""
        return self.env["crm.import.profile"].search([])._detect(columns)[0]

    def action_apply_profile(self):
        """Map the columns the way the chosen profile says (the other columns keep their recognition)."""
        self._check_import_access()
        for job in self:
            if job.state != "preview":
                raise UserError(job.env._("Read the file before choosing how its columns are imported."))
            columns = job.column_ids.sorted("column_index")
            lines = job._guess_columns(columns.mapped("header"), job.profile_id)
            for column, (target, confidence, candidates) in zip(columns, lines, strict=True):
                column.write({"target": target or False, "confidence": confidence,
                              "candidates": candidates or False})
            job._compute_preview(job._read_table())
        return True

    def action_save_profile(self):
        """Store the current mapping as a profile of the user's own (updated if the job already uses one)."""
        self.ensure_one()
        self._check_import_access()
        if self.state != "preview":
            raise UserError(self.env._("Read the file before saving its column mapping."))
        Profile = self.env["crm.import.profile"]
        line_commands = [fields.Command.create({"sequence": column.column_index, "header": column.header,
                                                "target": column.target or False})
                         for column in self.column_ids.sorted("column_index") if column.header]
        profile = self.profile_id
        if profile and profile.user_id == self.env.user:
            profile.write({"line_ids": [fields.Command.clear(), *line_commands]})
        else:
            profile = Profile.create({
                "name": self.env._("My profile: %(file)s", file=self.filename or self.name),
                "source": "custom",
                "user_id": self.env.uid,
                "shared": False,
                "line_ids": line_commands,
            })
            self.profile_id = profile
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.import.profile",
            "res_id": profile.id,
            "view_mode": "form",
            "target": "new",
        }
