import base64
import dataclasses
import itertools
import json
import logging
import time
import zlib
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..tools import dedup, headers, inn, phone, spreadsheet

_logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE_MB = 20
DEFAULT_SYNC_MAX_ROWS = 2000
CHUNK_SIZE = 2000
# filters of the row search view a button of the preview may open the preview's rows with
PREVIEW_ROW_FILTERS = ("duplicate", "duplicate_in_file", "duplicate_existing", "rejected", "phone_inferred")
SAMPLE_ROWS = 50  # rows read at upload for the samples shown in the mapping
TABLE_CACHE_MAGIC = b"CRMT1"  # table_cache layout: magic, meta length (4 bytes), zlib(meta), zlib(row lines)
# context of partner writes made by the import: no chatter noise, phones already normalized
IMPORT_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "crm_phone_normalized": True,
}
# fields of res.partner the policies "fill empty fields" and "overwrite" may write
UPDATABLE_FIELDS = ("email", "phone", "crm_other_phones", "function", "city", "street", "zip", "country_id",
                    "website", "comment", "vat", "crm_kpp")
# read-only computed fields of res.partner the import fills itself (see _create_synced)
PRECOMPUTED_BY_IMPORT = ("phone_sanitized", "image_1024", "image_512", "image_256", "image_128")
# states of a job handed to the processing: what steers it is frozen from then on
QUEUED_STATES = ("queued", "running", "done")
# the fields that decide what a queued job does (and as whom): see CrmImportJob.write
FROZEN_FIELDS = frozenset({"user_id", "company_id", "file", "filename", "sheet_id", "sheet_ids", "header_row",
                           "column_ids", "duplicate_policy", "strict_identifiers", "region_country_id"})
ROW_COLUMNS = ("job_id", "preview", "row_number", "values_json", "normalized_json", "name", "company_name",
               "phone", "phone_flag", "phone_inferred", "email", "inn", "decision", "partner_id",
               "duplicate_of_id", "duplicate_row", "match_reason", "reason", "create_uid", "create_date", "write_uid", "write_date")


class _ImportRun:
    """Memory of one import run across its chunks: the duplicate index and caches.

    The index is built once from one SQL read of the existing partners; each
    card created by the run is added to it, so duplicates inside the file are
    caught like duplicates of the database. Cards not yet created are indexed
    under a placeholder ``("new", row number)`` resolved after the batch create.
    """

    def __init__(self, region):
        self.region = region
        self.key = f"{id(self)}-{time.monotonic_ns()}"  # memoizes res.partner's defaults for this run
        self.phone_only = False  # res.partner's only number field is ``phone`` (phone_sanitized comes from it)
        self.lang = False
        self.index = dedup.DuplicateIndex()
        self.ref_ids = {}  # placeholder -> partner id once created
        self.ref_rows = {}  # ref (id or placeholder) -> row number of this file that created it
        self.tags = {}
        self.countries = {}
        self.users = {}  # salesperson name (case-folded) -> (user id or False, warning)
        self.dry_run = False  # a preview: decide everything, write nothing (tags included)
        self.last_partner_id = 0  # the highest partner id indexed from the database

    def resolve(self, ref):
        if isinstance(ref, tuple):
            return self.ref_ids.get(ref, False)
        return ref or False


class CrmImportJob(models.Model):
    """A customer import: the uploaded file, its mapping, its progress and its log."""

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
        value = self.env["ir.config_parameter"].sudo().get_param(  # sudo: reading a technical setting
            "crm_core.import_max_size_mb", DEFAULT_MAX_SIZE_MB)
        try:
            return float(value)
        except ValueError:
            return DEFAULT_MAX_SIZE_MB

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
            compressor = zlib.compressobj(1)
            parts, count = [], 0
            for row in table.rows:
                parts.append(compressor.compress(json.dumps(row, ensure_ascii=False).encode() + b"\n"))
                count += 1
        except spreadsheet.SpreadsheetError as error:
            raise UserError(self._spreadsheet_error(error)) from error
        parts.append(compressor.flush())
        meta = {field.name: getattr(table, field.name) for field in dataclasses.fields(table) if field.name != "rows"}
        meta.update(rows_total=count, keys=[[sheet, header_row], [table.sheet, table.header_row]])
        meta = zlib.compress(json.dumps(meta, ensure_ascii=False, default=str).encode(), 1)
        self.table_cache = base64.b64encode(b"".join([TABLE_CACHE_MAGIC, len(meta).to_bytes(4, "big"), meta, *parts]))
        del parts
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
            if not blob.startswith(TABLE_CACHE_MAGIC):
                return None
            start = len(TABLE_CACHE_MAGIC) + 4
            end = start + int.from_bytes(blob[len(TABLE_CACHE_MAGIC):start], "big")
            data = json.loads(zlib.decompress(blob[start:end]))
        except (ValueError, zlib.error):
            return None
        if [sheet, header_row] not in data.pop("keys"):
            return None
        data["warnings"] = [tuple(warning) for warning in data["warnings"]]
        return spreadsheet.Table(rows=self._cached_rows(blob, end), **data)

    @staticmethod
    def _cached_rows(blob, start):
        decompressor = zlib.decompressobj()
        view = memoryview(blob)
        pending = b""
        for offset in range(start, len(blob), 1 << 16):
            pending += decompressor.decompress(view[offset:offset + (1 << 16)])
            *lines, pending = pending.split(b"\n")
            for line in lines:
                row_number, values = json.loads(line)
                yield row_number, values

    def _region(self):
        self.ensure_one()
        country = self.region_country_id or self.company_id.country_id
        return country.code or "RU"

    # ------------------------------------------------------------------ wizard steps
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
            for result in results:
                totals["rows"] += 1
                totals[result["decision"]] += 1
                duplicate = result["duplicate_ref"]
                if duplicate is not None:
                    # a placeholder is a card an earlier row of the file creates
                    totals["file_duplicate" if isinstance(duplicate, tuple) else "existing_duplicate"] += 1
                totals["phone_inferred"] += bool(result["phone_inferred"])
                reject_reasons.update(result.get("reject_codes", ()))
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
        """{reason code: what the totals of the preview call it}: see :meth:`_normalize_row`."""
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
        sync_limit = int(self.env["ir.config_parameter"].sudo().get_param(  # sudo: technical setting
            "crm_core.import_sync_max_rows", DEFAULT_SYNC_MAX_ROWS))
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

    # ------------------------------------------------------------------ processing
    def _run(self, commit_progress=None, chunk_size=CHUNK_SIZE):
        """Process the rows not processed yet, chunk after chunk.

        ``commit_progress(processed, remaining)`` is called after each chunk by
        the cron (it commits and returns the time left); without it the whole
        file is processed in the current transaction.
        """
        self.ensure_one()
        try:
            self._check_import_access()  # run by the cron as the user who queued it: they may have lost the right
            table = self._read_table(keep=True)  # streamed from the sheet kept at upload (read again if dropped)
            self._mapping()
        except UserError as error:  # AccessError included
            # sudo: the outcome is recorded even for a user who lost the right to write it; nothing else is
            self.sudo().write({"state": "failed", "error_message": str(error), "date_done": fields.Datetime.now()})
            return True
        self.write({"state": "running", "rows_total": table.rows_total})
        self._lock_company_imports()
        run = self._prepare_run()
        rows = itertools.islice(table.rows, self.rows_done, None)  # a resumed job goes on where it stopped
        while chunk := list(itertools.islice(rows, chunk_size)):
            results = self._import_rows(run, table.columns, chunk)
            self._insert_rows(results)
            counts = dict.fromkeys(("created", "updated", "skipped", "rejected"), 0)
            for result in results:
                counts[result["decision"]] += 1
            self.write({
                "rows_done": self.rows_done + len(chunk),
                "created_count": self.created_count + counts["created"],
                "updated_count": self.updated_count + counts["updated"],
                "skipped_count": self.skipped_count + counts["skipped"],
                "rejected_count": self.rejected_count + counts["rejected"],
            })
            # the rows of this chunk are written: release them and drop the cards from the cache, memory
            # stays flat over the file
            processed = len(chunk)
            del chunk, results
            self.env.flush_all()
            self.env.invalidate_all()
            if commit_progress and self.rows_done < table.rows_total:
                if not commit_progress(processed, table.rows_total - self.rows_done):
                    return False  # out of time: the next cron run resumes at rows_done
                self._lock_company_imports()  # a new transaction: the lock was released by the commit
                self._index_partners(run)
        self.write({"state": "done", "date_done": fields.Datetime.now(), "table_cache": False})
        try:
            with self.env.cr.savepoint():
                self._build_rejected_file()
        except Exception as error:  # the rows are imported: a failing download file must not undo them
            _logger.exception("Customer import %s: the file of rejected rows could not be built", self.id)
            self.warnings = "\n".join(filter(None, [self.warnings, self.env._(
                "The file of rejected rows could not be built (%(error)s): see the rejected rows in the log.",
                error=str(error))]))
        return True

    @api.model
    def _cron_process_import_jobs(self):
        """Background job: take one queued import (skipping those another worker holds) and work on it."""
        cron = self.env["ir.cron"]
        seen = set()
        tries = 0
        while True:
            self.flush_model(["state"])
            try:
                # a snapshot older than another worker's commit on the job fails here (REPEATABLE READ)
                self.env.cr.execute(SQL(
                    "SELECT id FROM crm_import_job WHERE state IN ('queued', 'running') AND NOT id = ANY(%s) "
                    "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", list(seen)))
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                tries = self._concurrency_retry(tries, error)
                if not tries:
                    return
                continue
            row = self.env.cr.fetchone()
            if not row:
                return
            seen.add(row[0])  # one pass per job and call: a job that cannot progress never spins
            system_job = self.browse(row[0])
            job = system_job._as_queuing_user()

            def commit_progress(processed, remaining, job=job):
                nonlocal tries
                time_left = cron._commit_progress(processed, remaining=remaining)
                tries = 0  # a committed chunk: only failures in a row end the run
                # the commit released our lock: take it again if the job is still ours to run (a fresh
                # snapshot: first statement of the transaction), or let the worker that took it go on
                self.env.cr.execute(SQL(
                    "SELECT id FROM crm_import_job WHERE id = %s AND state = 'running' FOR UPDATE SKIP LOCKED",
                    job.id))
                return time_left > 0 and bool(self.env.cr.fetchone())

            if not job:
                system_job.write({"state": "failed", "date_done": fields.Datetime.now(), "error_message": self.env._(
                    "The user who queued this import is archived or no longer works for its company.")})
            else:
                try:
                    if not job._run(commit_progress=commit_progress):
                        return
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                    # not the file's fault: the chunk is undone, the job resumes at its committed rows_done
                    tries = self._concurrency_retry(tries, error)
                    if not tries:
                        return
                    seen.discard(system_job.id)
                    continue
                except Exception as error:
                    self.env.cr.rollback()
                    _logger.exception("Customer import %s failed", system_job.id)
                    # recorded by the system: the user may lack the rights the failure is about
                    system_job.write({"state": "failed", "error_message": str(error),
                                      "date_done": fields.Datetime.now()})
            # the jobs still waiting: a run out of time is "partially done" and Odoo runs it again at once,
            # rather than "fully done" until the next scheduled call
            remaining = self.search_count([("state", "in", ("queued", "running")), ("id", "not in", list(seen))])
            if not cron._commit_progress(1, remaining=remaining) > 0:
                return

    @api.model
    def _concurrency_retry(self, tries, error):
        """Roll back after a serialization failure, deadlock or lock timeout, to go on in a fresh snapshot.

        Returns the failures in a row so far, or 0 after ``MAX_TRIES_ON_CONCURRENCY_FAILURE`` of them:
        then this run ends without an error (another worker is busy with the same company's imports,
        which is not a failure); the jobs keep their committed progress, and the cron is told how many
        wait, so that Odoo runs it again soon.
        """
        tries += 1
        self.env.cr.rollback()
        self.env.transaction.reset()
        if tries >= MAX_TRIES_ON_CONCURRENCY_FAILURE:
            _logger.info("Customer imports: %s concurrent updates in a row (%s), this run stops; "
                         "the jobs resume where they are", tries, type(error).__name__)
            waiting = self.search_count([("state", "in", ("queued", "running"))])
            self.env["ir.cron"]._commit_progress(remaining=waiting)
            return 0
        _logger.info("Customer imports: concurrent update, trying again (%s/%s)",
                     tries, MAX_TRIES_ON_CONCURRENCY_FAILURE)
        return tries

    def _as_queuing_user(self):
        """The job in the environment of the user who queued it, in its company (empty if they may not).

        The cron runs as the superuser; the import must obey the access rules of
        whoever queued it, and only in the company the job was queued for.
        """
        self.ensure_one()
        user = self.user_id
        if not user.active or self.company_id not in user.company_ids:
            return self.browse()
        return self.with_user(user).with_company(self.company_id).with_context(
            allowed_company_ids=[self.company_id.id])

    def _prepare_run(self):
        """One SQL read of the existing partners' keys, indexed in memory for the whole run."""
        run = _ImportRun(self._region())
        # the language new cards get anyway; given up front, res.partner.create does not write it card by card
        run.lang = self.env["res.partner"].default_get(["lang"]).get("lang") or self.env.lang or "en_US"
        run.phone_only = self.env["res.partner"]._phone_get_number_fields() == ["phone"]
        self._index_partners(run)
        return run

    def _index_partners(self, run):
        """Add the partners past ``run.last_partner_id`` to the run's duplicate index (all of them at
        the start; before each later chunk, those another import of the company created meanwhile)."""
        self.env["res.partner"].flush_model(["name", "email", "phone_sanitized", "crm_other_phones", "vat", "city",
                                             "is_company", "parent_id"])
        # a person's company is the name of its parent organisation, as the file's company column is
        self.env.cr.execute(SQL(
            """SELECT p.id, p.name, p.email, p.phone_sanitized, p.vat, p.city, p.is_company, parent.name,
                      p.crm_other_phones
                 FROM res_partner p
            LEFT JOIN res_partner parent ON parent.id = p.parent_id AND parent.is_company AND NOT p.is_company
                WHERE p.active AND (p.company_id IS NULL OR p.company_id = %s) AND p.id > %s
             ORDER BY p.id""", self.company_id.id, run.last_partner_id))
        index, own = run.index, set(run.ref_ids.values())
        for pid, name, email, phone_sanitized, vat, city, is_company, company, others in self.env.cr.fetchall():
            run.last_partner_id = pid
            if pid in own:
                continue  # created by this run: indexed already
            # other phones are stored in E.164 already (maybe with " ext. N"), separated by commas
            phone_keys = [phone_sanitized] if phone_sanitized else []
            phone_keys += [number.split(" ext")[0].strip() for number in (others or "").split(",") if number.strip()]
            index.add(pid, {"name": name, "email": email, "phone_keys": phone_keys, "inn": vat,
                            "city": city, "is_company": is_company, "company": company})

    def _lock_company_imports(self):
        """One import of a company writes at a time, and each sees the cards the others created.

        The company's row is updated (to itself): a second import waits for the first one's chunk,
        then fails with a serialization error once it commits (REPEATABLE READ) and is taken again
        in a fresh snapshot — by the cron's retry, or by Odoo's RPC retry for a file imported at once.
        An import that gets the lock without waiting holds a snapshot in which every other import's
        committed chunk is visible: ``_index_partners`` then adds their cards to its index.
        """
        # sudo-free SQL on purpose: the importing user may not write the company; only a row lock is taken
        # the serialization failure is expected and retried: not a "bad query" for the server log
        self.env.cr.execute(SQL("UPDATE res_company SET write_date = write_date WHERE id = %s",
                                self.company_id.id), log_exceptions=False)

    # ------------------------------------------------------------------ one chunk
    def _normalize_row(self, run, columns, mapping, values):
        """File values → normalized values, warnings and (maybe) the reason to reject the row."""
        get = self._mapped_values(mapping, values)
        warnings, reject = [], []
        norm = {
            # a full name column wins; else the parts, "Фамилия Имя Отчество" as Russians write it
            "name": dedup.clean_spaces(get.get("name")) or dedup.clean_spaces(
                headers.join_name({key: get.get(key) for key in headers.NAME_PARTS})),
            "company": dedup.clean_spaces(get.get("company")),
            "function": dedup.clean_spaces(get.get("function")),
            "city": dedup.clean_spaces(get.get("city")),
            "street": dedup.clean_spaces(get.get("street")),
            "zip": dedup.clean_spaces(get.get("zip")),
            "country": dedup.clean_spaces(get.get("country")),
            "website": dedup.clean_spaces(get.get("website")),
            "comment": (get.get("comment") or "").strip(),
            "tags": [dedup.clean_spaces(t) for t in (get.get("tag") or "").replace(";", ",").split(",")
                     if t.strip()],
            "vat": dedup.clean_spaces(get.get("vat")),
        }
        if not norm["name"] and not norm["company"]:
            reject.append(("no_name", self.env._("No contact name and no organisation")))
        email = dedup.normalize_email(get.get("email"))
        if email and not dedup.is_valid_email(email):
            reject.append(("email", self.env._("Invalid email %(email)s", email=get.get("email"))))
            email = ""
        norm["email"] = email
        if get["email_others"]:
            # the first e-mail is the card's; the others are kept in its notes, not lost
            norm["comment"] = "\n".join(filter(None, [norm["comment"], self.env._(
                "Other e-mails: %(emails)s", emails=", ".join(get["email_others"]))]))
        norm["user_id"] = self._salesperson_id(run, get.get("user"), warnings)
        self._normalize_row_phones(run, norm, get.get("phone"), warnings)
        for key, checker in (("inn", inn.inn_error), ("kpp", inn.kpp_error)):
            value = inn.clean_number(get.get(key))
            error = checker(value)
            norm[key] = "" if error else value
            norm[f"{key}_typed"] = value
            if error:
                error = self.env["res.partner"]._crm_identifier_error_text(error)
                # whole sentences, so that a translation says ИНН/КПП (never a label glued in code)
                message = self.env._("INN %(value)s: %(error)s", value=value, error=error) if key == "inn" else (
                    self.env._("KPP %(value)s: %(error)s", value=value, error=error))
                if self.strict_identifiers:
                    reject.append((key, message))
                else:
                    warnings.append(message)
        return norm, warnings, reject

    def _normalize_row_phones(self, run, norm, cell, warnings):
        """Every number of the phone cell, with the row's country (else the job's) and city.

        ``phone``: the first number; ``phone_other``: the others (to ``crm_other_phones``);
        ``phone_keys``: the E.164 form of each trusted number, the duplicate keys (``phone_key``:
        the first of them); ``phone_flag``: what a human should look at.
        """
        region = run.region
        country_id = self._country_id(run, norm["country"])
        if country_id:
            region = self.env["res.country"].browse(country_id).code or region
        results = phone.normalize_phones(cell, region, city=norm["city"])
        values = list(dict.fromkeys(result.value for result in results))
        norm["phone"] = values[0] if values else ""
        norm["phone_other"] = values[1:]
        norm["phone_keys"] = list(dict.fromkeys(
            result.e164 for result in results if result.status == phone.STATUS_OK))
        norm["phone_key"] = norm["phone_keys"][0] if norm["phone_keys"] else ""
        flags = []
        for result in results:
            if result.inferred_area_code:
                flag = self.env._("area code %(code)s inferred from %(city)s", code=result.inferred_area_code,
                                  city=result.city)
            elif result.status == phone.STATUS_NO_AREA_CODE and result.area_codes:
                flag = self.env._("no area code, %(city)s has several (%(codes)s): kept as typed",
                                  city=result.city, codes=", ".join(result.area_codes))
            elif result.status == phone.STATUS_NO_AREA_CODE:
                flag = self.env._("no area code: kept as typed")
            elif result.status == phone.STATUS_INVALID:
                flag = self.env._("not a valid number: kept as typed")
            else:
                continue
            flags.append(flag)
            warnings.append(self.env._("Phone %(phone)s: %(flag)s", phone=result.raw, flag=flag))
        norm["phone_flag"] = "; ".join(dict.fromkeys(flags))
        norm["phone_inferred"] = any(result.inferred_area_code for result in results)

    @staticmethod
    def _mapped_values(mapping, values):
        """{target: text} of one row (see :meth:`_mapping`): the phones of several columns joined with ", ",
        the first e-mail of several as ``email`` and the others as ``email_others``."""
        cells = {target: [values[index].strip() for index in indexes if index < len(values) and values[index]
                          and values[index].strip()] for target, indexes in mapping.items()}
        get = {target: texts[0] if texts else "" for target, texts in cells.items()}
        get["phone"] = ", ".join(dict.fromkeys(cells.get("phone", ())))
        emails = list(dict.fromkeys(cells.get("email", ())))
        get["email"] = emails[0] if emails else ""
        get["email_others"] = emails[1:]
        return get

    def _salesperson_id(self, run, name, warnings):
        """The user named in a salesperson column (one internal user of that name), else False and a warning;
        nobody is created."""
        name = dedup.clean_spaces(name)
        if not name:
            return False
        key = name.casefold()
        if key not in run.users:
            users = self.env["res.users"].search(
                [("name", "=ilike", name), ("share", "=", False), ("company_ids", "in", self.company_id.ids)],
                limit=2)
            if len(users) == 1:
                run.users[key] = (users.id, "")
            elif users:
                run.users[key] = (False, self.env._(
                    "Salesperson %(name)s: several users have this name, left empty", name=name))
            else:
                run.users[key] = (False, self.env._(
                    "Salesperson %(name)s: no such user, left empty", name=name))
        user_id, warning = run.users[key]
        if warning:
            warnings.append(warning)
        return user_id

    def _import_rows(self, run, columns, rows, dry_run=False):
        """Decide and write one chunk of rows; returns one result dict per row (nothing lost)."""
        mapping = self._mapping()
        policy = self.duplicate_policy
        results, new_orgs, new_people, updates = [], [], [], []
        for row_number, values in rows:
            norm, warnings, reject = self._normalize_row(run, columns, mapping, values)
            result = {
                "row_number": row_number,
                "values": dict(zip(columns, values, strict=False)),
                "norm": norm,
                "name": norm["name"],
                "company_name": norm["company"],
                "phone": norm["phone"],
                "phone_flag": norm["phone_flag"],
                "phone_inferred": norm["phone_inferred"],
                "email": norm["email"],
                "inn": norm["inn"] or norm["inn_typed"],
                "warnings": warnings,
                "partner_ref": None,
                "duplicate_ref": None,
                "match_reason": False,
            }
            results.append(result)
            if reject:
                result.update(decision="rejected", warnings=[message for _code, message in reject] + warnings,
                              reject_codes=[code for code, _message in reject])
                continue
            org_ref = None
            if norm["company"]:
                org_keys = dedup.record_keys({
                    "name": norm["company"], "inn": norm["inn_typed"] or norm["vat"], "city": norm["city"],
                    "is_company": True, "email": "" if norm["name"] else norm["email"],
                    "phone": "" if norm["name"] else norm["phone_key"],
                    "phone_keys": () if norm["name"] else norm.get("phone_keys")})
                org_ref, org_reason = run.index.match(keys=org_keys)
                if org_ref is None or (not norm["name"] and policy == "create"):
                    org_ref = ("new", row_number, "org")
                    run.index.add(org_ref, keys=org_keys)
                    run.ref_rows[org_ref] = row_number
                    new_orgs.append((result, org_ref, self._org_vals(run, norm)))
                    if not norm["name"]:
                        result.update(decision="created", partner_ref=org_ref)
                        continue
                elif not norm["name"]:
                    self._decide_duplicate(run, result, org_ref, org_reason, self._org_vals(run, norm),
                                           updates, new_orgs)
                    continue
            person_keys = dedup.record_keys({
                "name": norm["name"], "email": norm["email"], "phone": norm["phone_key"], "city": norm["city"],
                "phone_keys": norm.get("phone_keys"), "company": norm["company"], "is_company": False})
            person_vals = self._person_vals(run, norm)
            person_ref, reason = run.index.match(keys=person_keys)
            result["org_ref"] = org_ref
            if person_ref is None:
                new_ref = ("new", row_number, "person")
                run.index.add(new_ref, keys=person_keys)
                run.ref_rows[new_ref] = row_number
                new_people.append((result, new_ref, person_vals))
                result.update(decision="created", partner_ref=new_ref)
            else:
                self._decide_duplicate(run, result, person_ref, reason, person_vals, updates, new_people)
        if not dry_run:
            self._create_partners(run, new_orgs)
            for result, _ref, vals in new_people:
                if result.get("org_ref") is not None:
                    vals["parent_id"] = run.resolve(result["org_ref"])
                    if isinstance(result["org_ref"], tuple):
                        vals["lang"] = run.lang  # what _compute_lang would copy from the new organisation
            self._create_partners(run, new_people)
        self._apply_updates(run, updates, dry_run=dry_run)
        for result in results:
            result["partner_id"] = run.resolve(result["partner_ref"]) if not dry_run else False
            duplicate = result["duplicate_ref"]
            result["duplicate_of_id"] = run.resolve(duplicate) if duplicate is not None else False
            result["duplicate_row"] = run.ref_rows.get(duplicate, 0) if duplicate is not None else 0
        return results

    def _decide_duplicate(self, run, result, ref, reason, vals, updates, creations):
        """Apply the duplicate policy to a row matching ``ref`` (an existing or just-created card)."""
        result.update(duplicate_ref=ref, match_reason=reason)
        policy = self.duplicate_policy
        if policy == "create":
            new_ref = ("new", result["row_number"], "dup")
            run.ref_rows[new_ref] = result["row_number"]
            creations.append((result, new_ref, vals))
            result.update(decision="created", partner_ref=new_ref)
        elif policy in ("fill", "overwrite"):
            # decided after the creations: the card may be one this chunk creates
            result.update(decision="skipped", partner_ref=None)
            updates.append((result, ref, vals))
        else:
            result.update(decision="skipped")

    def _org_vals(self, run, norm):
        vals = {
            "name": norm["company"],
            "is_company": True,
            "lang": run.lang,
            "vat": norm["inn"] or norm["vat"] or False,
            "crm_kpp": norm["kpp"] or False,
            "city": norm["city"] or False,
            "street": norm["street"] or False,
            "zip": norm["zip"] or False,
            "website": norm["website"] or False,
            "country_id": self._country_id(run, norm["country"]),
            "category_id": [fields.Command.set(self._tag_ids(run, norm["tags"]))] if norm["tags"] else False,
            "user_id": norm.get("user_id") or False,
        }
        if not norm["name"]:
            vals.update(email=norm["email"] or False, phone=norm["phone"] or False,
                        comment=norm["comment"] or False)
        vals = {key: value for key, value in vals.items() if value}
        self._add_phone_sanitized(run, vals, norm if not norm["name"] else None)
        return vals

    def _person_vals(self, run, norm):
        vals = {
            "name": norm["name"],
            "is_company": False,
            "type": "contact",
            "email": norm["email"] or False,
            "phone": norm["phone"] or False,
            "function": norm["function"] or False,
            "city": norm["city"] or False,
            "street": norm["street"] or False,
            "zip": norm["zip"] or False,
            "country_id": self._country_id(run, norm["country"]),
            "comment": norm["comment"] or False,
            "category_id": [fields.Command.set(self._tag_ids(run, norm["tags"]))] if norm["tags"] else False,
            "user_id": norm.get("user_id") or False,
        }
        if not norm["company"]:
            vals.update(vat=norm["inn"] or norm["vat"] or False)
        vals = {key: value for key, value in vals.items() if value}
        self._add_phone_sanitized(run, vals, norm)
        return vals

    @api.model
    def _add_phone_sanitized(self, run, vals, norm):
        """The E.164 form phone_validation would compute, given up front (it is what the import just
        computed): the phone is not parsed a second time per card. Numbers kept as typed are left to
        phone_validation."""
        if norm and vals.get("phone") and vals["phone"] == norm["phone"] and norm.get("phone_other"):
            vals["crm_other_phones"] = ", ".join(norm["phone_other"])  # the cell's other numbers, normalized
        if not run.phone_only:
            return
        if not vals.get("phone"):
            vals["phone_sanitized"] = False
        elif norm and norm["phone_key"] and vals["phone"] == norm["phone"] and norm["phone"].startswith(
                norm["phone_key"]):
            # the first number is the trusted one (phone_key is the first trusted number of the cell)
            vals["phone_sanitized"] = norm["phone_key"]

    def _country_id(self, run, name):
        if not name:
            return False
        key = name.casefold()
        if key not in run.countries:
            country = self.env["res.country"].search(
                ["|", ("name", "=ilike", name), ("code", "=ilike", name)], limit=1)
            run.countries[key] = country.id
        return run.countries[key]

    def _tag_ids(self, run, names):
        missing = [name for name in names if name.casefold() not in run.tags]
        if missing:
            Category = self.env["res.partner.category"]
            for category in Category.search([("name", "in", missing)]):
                run.tags.setdefault(category.name.casefold(), category.id)
            for name in missing:
                if name.casefold() not in run.tags and not run.dry_run:
                    run.tags[name.casefold()] = Category.create({"name": name}).id
        # a preview names the tags it would create but creates none of them
        return [run.tags[name.casefold()] for name in names if name.casefold() in run.tags]

    def _partner_env(self):
        return self.env["res.partner"].with_context(**IMPORT_CONTEXT)

    def _create_partners(self, run, creations):
        """One ``create`` per chunk; if it fails, row by row so a bad row never sinks the good ones."""
        if not creations:
            return
        Partner = self._partner_env()
        Partner.check_access("create")
        # sudo: the user's right to create contacts is checked just above and the values come only from the
        # import's own fields; the sync from the organisations reads their commercial fields (e.g. the credit
        # limit) that a data operator may not read. uid stays the user's.
        Partner = Partner.sudo()
        vals_list = [vals for _result, _ref, vals in creations]
        first_contacts = self._sync_from_parents(Partner, vals_list)
        try:
            with self.env.cr.savepoint():
                partners = self._create_synced(run, Partner, vals_list, first_contacts)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # not the rows' fault: the whole chunk is taken again in a fresh transaction
        except Exception:
            _logger.info("Customer import %s: batch create failed, retrying row by row", self.id)
            partners = None
        if partners is not None:
            for (_result, ref, _vals), partner in zip(creations, partners, strict=True):
                run.ref_ids[ref] = partner.id
            return
        for index, (result, ref, vals) in enumerate(creations):
            try:
                with self.env.cr.savepoint():
                    first = {0} if index in first_contacts else set()
                    run.ref_ids[ref] = self._create_synced(run, Partner, [vals], first).id
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:
                result.update(decision="rejected", partner_ref=None)
                result["warnings"].insert(0, self.env._("Could not be created: %(error)s", error=str(error)))

    @api.model
    def _sync_from_parents(self, Partner, vals_list):
        """Give contacts of an organisation its commercial fields and address in their create values.

        This is what ``res.partner._load_records_create`` (Odoo's own import) writes after
        the create, one ``write`` per organisation; put in the values, the contacts are
        created right at once. Returns the indexes of the contacts whose organisation has
        no address (Odoo then takes the first contact's address for the organisation).
        """
        # the resized copies of the photo follow the photo: none given, none to compute card by card
        resized = [name for name in PRECOMPUTED_BY_IMPORT if name.startswith("image_")
                   and getattr(Partner._fields.get(name), "related", None) == "image_1920"]
        for vals in vals_list:
            if not vals.get("image_1920"):
                vals.update(dict.fromkeys(resized, False))
        if "default_user_id" not in self.env.context:
            # the salesperson res.partner computes before the create (a contact takes its organisation's)
            for vals in vals_list:
                vals.setdefault("user_id", False)
        parent_ids = {vals["parent_id"] for vals in vals_list if vals.get("parent_id")}
        if not parent_ids:
            return set()
        commercial_fields = Partner._commercial_fields()
        address_fields = Partner._address_fields()
        synced = {}
        for parent in Partner.browse(parent_ids):
            address = {fname: value for fname, value in parent._convert_fields_to_values(address_fields).items()
                       if value}
            values = parent.commercial_partner_id._convert_fields_to_values(commercial_fields)
            synced[parent.id] = (values | address, bool(address), parent.user_id.id)
        first_contacts = set()
        for index, vals in enumerate(vals_list):
            if not vals.get("parent_id"):
                continue
            values, has_address, user_id = synced[vals["parent_id"]]
            if not vals.get("user_id") and not vals.get("is_company"):
                vals["user_id"] = user_id
            if vals.get("type", "contact") == "contact":
                vals.update(values)
            else:
                vals.update({fname: value for fname, value in values.items() if fname in commercial_fields})
            if not has_address and any(vals.get(fname) for fname in address_fields):
                first_contacts.add(index)
        return first_contacts

    @api.model
    def _create_synced(self, run, Partner, vals_list, first_contacts):
        """``create`` of values already synced from their organisations (see :meth:`_sync_from_parents`)."""
        partners = Partner.with_context(_partners_skip_fields_sync=True, crm_import_defaults=run.key).create(
            vals_list)
        # Read-only computed fields whose value the import gave (the E.164 phone it computed, no photo
        # hence no resized copies) are not computed again card by card after the create.
        for fname in {fname for vals in vals_list for fname in vals if fname in PRECOMPUTED_BY_IMPORT}:
            given = partners.browse([partner.id for partner, vals in zip(partners, vals_list, strict=True)
                                     if fname in vals])
            self.env.remove_to_compute(Partner._fields[fname], given)
        for index in sorted(first_contacts):
            partners[index]._handle_first_contact_creation()
        if any(field.type == "properties" for field in Partner._fields.values()):
            partners._clean_properties()
        return partners

    def _apply_updates(self, run, updates, dry_run=False):
        """Policies "fill" and "overwrite" on the matched cards, read once per chunk."""
        if not updates:
            return
        Partner = self._partner_env()
        partners = Partner.browse({run.resolve(ref) for _result, ref, _vals in updates} - {False})
        current = {
            record["id"]: record for record in partners.read([*UPDATABLE_FIELDS, "parent_id", "category_id"],
                                                              load=False)
        }
        overwrite = self.duplicate_policy == "overwrite"
        for result, ref, vals in updates:
            partner_id = run.resolve(ref)
            result["partner_ref"] = ref
            if not partner_id or partner_id not in current:
                continue
            record = current[partner_id]
            changes = {}
            for fname in UPDATABLE_FIELDS:
                value = vals.get(fname)
                if value and (overwrite or not record[fname]) and record[fname] != value:
                    changes[fname] = value
            if result.get("org_ref") is not None and not record["parent_id"]:
                changes["parent_id"] = run.resolve(result["org_ref"])
            tags = vals.get("category_id") and vals["category_id"][0][2]
            if tags and set(tags) - set(record["category_id"]):
                changes["category_id"] = [fields.Command.link(tag) for tag in set(tags) - set(record["category_id"])]
            if not changes:
                result["warnings"].append(self.env._("Nothing new to write"))
                continue
            if dry_run:
                result["decision"] = "updated"
                continue
            try:
                with self.env.cr.savepoint():
                    Partner.browse(partner_id).write(changes)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # not the row's fault: the whole chunk is taken again in a fresh transaction
            except Exception as error:
                result.update(decision="rejected", partner_ref=None)
                result["warnings"].insert(0, self.env._("Could not be updated: %(error)s", error=str(error)))
                continue
            record.update({key: value for key, value in changes.items() if key in UPDATABLE_FIELDS})
            result["decision"] = "updated"

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

    # ------------------------------------------------------------------ rejected rows
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
