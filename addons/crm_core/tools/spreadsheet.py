"""Reading customer lists: .xlsx (openpyxl, read-only), .xls (xlrd), .csv.

Pure Python (no odoo import), tested by ``tests/test_crm_core_spreadsheet.py``.
Every problem with the file itself raises :class:`SpreadsheetError` with a
``code`` the Odoo side turns into a translatable message: a hostile file (zip
bomb, a sheet declaring a million rows, huge merged ranges, a huge CSV field,
NUL bytes) is refused with one of them, never with another exception. The
limits of :class:`Limits` are checked before the sheet is parsed, from the
zip's directory and a streaming scan of the sheets' XML.
"""
import codecs
import csv
import datetime
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field

if __package__:
    from . import headers
else:  # loaded from its file alone by the database-free tests (tests/conftest.py): load the sibling the same way
    import importlib.util
    import pathlib
    import sys

    _HEADERS_NAME = "_crm_suite_tools_crm_core_headers"
    if _HEADERS_NAME not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_HEADERS_NAME, pathlib.Path(__file__).with_name("headers.py"))
        sys.modules[_HEADERS_NAME] = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules[_HEADERS_NAME])
    headers = sys.modules[_HEADERS_NAME]

HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 200  # columns read from a sheet (the others are ignored)
EXCEL_CELL_CHARS = 32767  # the most characters Excel keeps in a cell

# The target fields of the customer import and the header words that mean them: see headers.py.


class SpreadsheetError(Exception):
    """A file that cannot be imported; ``code`` names the case, ``params`` fill the message."""

    MESSAGES = {
        "not_spreadsheet": "The file is not a spreadsheet (.xlsx, .xls or .csv): %(filename)s",
        "corrupted": "The workbook %(filename)s is damaged and cannot be read: %(detail)s",
        "empty_file": "The file %(filename)s is empty",
        "empty_sheet": "The sheet %(sheet)s is empty",
        "no_header": "No header row found in the first %(rows)s rows of sheet %(sheet)s: "
                     "expected column names such as Name, Phone, E-mail, Organisation",
        "too_big": "The file is %(size)s MB, over the limit of %(limit)s MB",
        "unknown_sheet": "The workbook has no sheet named %(sheet)s",
        "formula_without_value": "Cell %(cell)s of sheet %(sheet)s holds a formula without a computed value "
                                 "(%(formula)s): open the file in Excel and save it, or paste values only",
        "header_merged": "The header row %(row)s of sheet %(sheet)s has merged cells (%(ranges)s): "
                         "unmerge them so that each column has its own name",
        "too_big_unpacked": "The workbook %(filename)s unpacks to %(size)s MB, over the limit of %(limit)s MB",
        "zip_bomb": "The workbook %(filename)s is compressed %(ratio)s times (part %(part)s), over the limit of "
                    "%(limit)s times: it is not an ordinary spreadsheet",
        "too_many_rows": "The file %(filename)s has %(rows)s rows in a sheet, over the limit of %(limit)s rows",
        "too_many_columns": "The file %(filename)s has %(columns)s columns in a sheet, over the limit of "
                            "%(limit)s columns",
        "too_many_merged": "The file %(filename)s has more than %(limit)s merged cell ranges in a sheet",
        "merged_too_big": "The merged cells of a sheet of %(filename)s cover more than %(limit)s cells "
                          "(range %(range)s)",
        "field_too_long": "Line %(line)s of %(filename)s holds a value of more than %(limit)s characters",
        "nul_bytes": "The file %(filename)s holds NUL characters (line %(line)s): it is binary or damaged",
        "csv_error": "The file %(filename)s cannot be read as CSV at line %(line)s: %(detail)s",
    }

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code] % params)


@dataclass(frozen=True)
class Limits:
    """What a file may unpack to; checked before its sheets are parsed.

    The compressed size is capped by the caller (``max_size_mb``); these cap what
    it expands to. A sheet of 100,000 customers written by openpyxl unpacks to
    about 70 MB at a ratio of 19.
    """

    unpacked_mb: float = 400  # all the parts of an .xlsx, uncompressed
    ratio: int = 100  # uncompressed / compressed size of one part ...
    ratio_min_bytes: int = 1 << 20  # ... of at least this size (small parts compress anyhow)
    members: int = 2000  # parts of an .xlsx
    rows: int = 500_000  # last row number of a sheet
    columns: int = 1024  # last column number of a sheet (only MAX_COLUMNS are read)
    merged_ranges: int = 10_000
    merged_cells: int = 1_000_000  # cells covered by all the merged ranges of a sheet
    field_chars: int = EXCEL_CELL_CHARS  # characters of one CSV field


DEFAULT_LIMITS = Limits()


@dataclass
class Table:
    """One sheet: its header, the mapping guess and the data rows (as text)."""

    sheet: str
    sheets: list
    header_row: int  # 1-based row number of the header in the sheet
    columns: list
    mapping: list  # target field per column ("" = ignored)
    rows: list  # [(row number, [cell text, ...]), ...], or an iterator of them (see read_table)
    warnings: list = field(default_factory=list)  # [(code, message)]
    encoding: str = ""
    delimiter: str = ""
    rows_total: int = 0  # data rows, once counted (``rows`` may be a stream: see read_table)


def normalize_header(value):
    text = str(value or "").casefold().replace("ё", "е")
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE)
    return re.sub(r"\s+", " ", text).strip()


def guess_field(header):
    """Target field for one header label ("" when unknown or unsure), see :func:`headers.guess`."""
    return headers.guess(header).target


def guess_columns(columns):
    """One :class:`headers.Guess` (target, confidence, candidates) per column."""
    return headers.guess_columns(columns)


def guess_mapping(columns):
    """Target field per column; a target is used once (the surest column wins), but every phone and
    e-mail column is read."""
    return [item.target for item in guess_columns(columns)]


def cell_text(value, datemode=None):
    """Cell value → text kept in the import log: integral floats without ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    # NUL cannot be stored in PostgreSQL text (an .xls string or an _x0000_ escape of an .xlsx may hold it)
    return str(value).replace("\x00", "").strip()


def detect_format(content, filename=""):
    """``xlsx``, ``xls`` or ``csv`` from the magic bytes (the extension only breaks ties)."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        # an Excel extension on something that is not a workbook
        return "broken"
    return "csv"


def check_size(content, max_size_mb):
    if max_size_mb and len(content) > max_size_mb * 1024 * 1024:
        raise SpreadsheetError("too_big", size=round(len(content) / 1048576, 1), limit=max_size_mb)


# ---------------------------------------------------------------- csv
def decode_text(content):
    """Decode a CSV: UTF-8 with or without BOM, UTF-16 with BOM, else cp1251 (1C exports)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace"), "utf-16"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace"), "cp1251"


def detect_delimiter(text):
    """``;``, ``,`` or tab: the one splitting the first lines into the most stable columns."""
    lines = [line for line in text.splitlines()[:HEADER_SCAN_ROWS] if line.strip()]
    best, best_score = ";", -1
    for delimiter in (";", "\t", ","):
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue  # the reading proper says what is wrong
        if not counts or max(counts) < 2:
            continue
        # columns found × rows agreeing on the most common width
        width = max(set(counts), key=counts.count)
        score = width * counts.count(width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_encoding(content):
    """The encoding :func:`decode_text` would find, checked chunk by chunk (no decoded copy of the file)."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(content), _SCAN_CHUNK):
            decoder.decode(view[start:start + _SCAN_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def _read_csv(content, filename, limits=DEFAULT_LIMITS):
    """The CSV as a stream of rows: decoded and split as they are taken, the limits checked row by row."""
    if b"\x00" in content[:4096] and not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError("not_spreadsheet", filename=filename)
    encoding = _csv_encoding(content)
    if encoding == "utf-16":
        text, _encoding = decode_text(content)
        if "\x00" in text:
            raise SpreadsheetError("nul_bytes", filename=filename, line=text.count("\n", 0, text.index("\x00")) + 1)
        head, stream = text[:_SCAN_CHUNK], io.StringIO(text, newline="")
    else:
        # PostgreSQL cannot store NUL: a file holding one further on is refused whole, not row by row
        # (one byte is one NUL in UTF-8 and cp1251)
        nul = content.find(b"\x00")
        if nul >= 0:
            raise SpreadsheetError("nul_bytes", filename=filename, line=content.count(b"\n", 0, nul) + 1)
        head = content[:_SCAN_CHUNK].decode(encoding, errors="ignore")
        stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, errors="replace", newline="")
    if len(content) > _SCAN_CHUNK:
        head = head[:head.rfind("\n") + 1] or head  # whole lines only
    delimiter = detect_delimiter(head)
    return {"Sheet1": _csv_rows(stream, delimiter, filename, limits)}, ["Sheet1"], {}, encoding, delimiter


def _csv_rows(stream, delimiter, filename, limits):
    reader = csv.reader(stream, delimiter=delimiter)
    count = 0
    try:
        for row in reader:
            if count >= limits.rows:
                raise SpreadsheetError("too_many_rows", filename=filename, rows=f"{count + 1}+",
                                       limit=limits.rows)
            if len(row) > limits.columns:
                raise SpreadsheetError("too_many_columns", filename=filename, columns=len(row),
                                       limit=limits.columns)
            if any(len(value) > limits.field_chars for value in row):
                raise SpreadsheetError("field_too_long", filename=filename, line=reader.line_num,
                                       limit=limits.field_chars)
            count += 1
            yield row
    except csv.Error as exc:
        # csv.field_size_limit (131,072 characters unless raised) and malformed quoting
        if "field limit" in str(exc):
            raise SpreadsheetError("field_too_long", filename=filename, line=max(reader.line_num, 1),
                                   limit=limits.field_chars) from exc
        raise SpreadsheetError("csv_error", filename=filename, line=max(reader.line_num, 1), detail=str(exc)) from exc


# ---------------------------------------------------------------- xlsx
# the tags of a sheet that size it, found without parsing its XML: <row r="…">, <mergeCell ref="…"/>,
# <dimension ref="…"/> (with or without a namespace prefix)
_SHEET_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?(row|mergeCell|dimension)\b([^<>]{0,2048})>")
_ROW_NUMBER_RE = re.compile(rb'\br\s*=\s*["\'](\d{1,12})["\']')
_REF_RE = re.compile(rb'\bref\s*=\s*["\']\$?([A-Za-z]{1,4})\$?(\d{1,12})(?::\$?([A-Za-z]{1,4})\$?(\d{1,12}))?["\']')
_SCAN_CHUNK = 1 << 20
_SCAN_OVERLAP = 4096  # longer than any tag the scan looks for


def column_number(letters):
    """``A`` → 1, ``XFD`` → 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _ref_boundaries(match):
    """(min_col, min_row, max_col, max_row) of a ``ref`` attribute match."""
    col_a, row_a = column_number(match.group(1).decode()), int(match.group(2))
    col_b = column_number(match.group(3).decode()) if match.group(3) else col_a
    row_b = int(match.group(4)) if match.group(4) else row_a
    return min(col_a, col_b), min(row_a, row_b), max(col_a, col_b), max(row_a, row_b)


def _range_name(bounds):
    min_col, min_row, max_col, max_row = bounds
    return f"{_column_letters(min_col)}{min_row}:{_column_letters(max_col)}{max_row}"


def _column_letters(number):
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def check_archive(content, filename="", limits=DEFAULT_LIMITS):
    """Refuse a zip bomb from the zip's directory alone: number of parts, unpacked size, compression ratio.

    The sizes are those the directory declares; :mod:`zipfile` never inflates a
    part beyond its declared size (a part that lies fails its CRC check).
    Returns the sheets' merged ranges by part name (see :func:`_scan_sheet_part`).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except Exception as exc:  # any failure of the zip reader on a hostile file means a damaged file
        raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
    if len(members) > limits.members:
        raise SpreadsheetError("corrupted", filename=filename, detail=f"{len(members)} parts")
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.unpacked_mb * 1048576:
        raise SpreadsheetError("too_big_unpacked", filename=filename, size=round(unpacked / 1048576, 1),
                               limit=limits.unpacked_mb)
    for member in members:
        if member.file_size >= limits.ratio_min_bytes and member.file_size > limits.ratio * max(
                member.compress_size, 1):
            raise SpreadsheetError("zip_bomb", filename=filename, part=member.filename, limit=limits.ratio,
                                   ratio=member.file_size // max(member.compress_size, 1))
    merged = {}
    try:
        for member in members:
            if member.filename.lower().endswith(".xml") and not member.is_dir():
                merged[member.filename] = _scan_sheet_part(archive, member, filename, limits)
    except SpreadsheetError:
        raise
    except Exception as exc:  # same as above: a truncated or lying part
        raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
    finally:
        archive.close()
    return merged


def _scan_sheet_part(archive, member, filename, limits):
    """Stream one XML part, sizing the sheet it may be: rows, columns, merged ranges; no XML parsing.

    Every part is scanned (a sheet may be stored under any name): a part that is
    no sheet has none of these tags. Returns the merged ranges as boundaries.
    """
    merged, merged_cells, last_row, tail = [], 0, 0, b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(_SCAN_CHUNK)
            buffer = tail + chunk
            # a tag starting in the overlap is looked at again with the next chunk
            limit = len(buffer) - _SCAN_OVERLAP if chunk else len(buffer)
            for match in _SHEET_TAG_RE.finditer(buffer, 0, len(buffer)):
                if match.start() >= limit:
                    break
                tag, attributes = match.group(1), match.group(2)
                if tag == b"row":
                    number = _ROW_NUMBER_RE.search(attributes)
                    last_row = int(number.group(1)) if number else last_row + 1
                    if last_row > limits.rows:
                        raise SpreadsheetError("too_many_rows", filename=filename, rows=last_row, limit=limits.rows)
                    continue
                ref = _REF_RE.search(attributes)
                if not ref:
                    continue
                bounds = _ref_boundaries(ref)
                if bounds[3] > limits.rows:
                    raise SpreadsheetError("too_many_rows", filename=filename, rows=bounds[3], limit=limits.rows)
                if bounds[2] > limits.columns:
                    raise SpreadsheetError("too_many_columns", filename=filename, columns=bounds[2],
                                           limit=limits.columns)
                if tag == b"mergeCell":
                    merged_cells += (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1)
                    if merged_cells > limits.merged_cells:
                        raise SpreadsheetError("merged_too_big", filename=filename, limit=limits.merged_cells,
                                               range=_range_name(bounds))
                    merged.append(bounds)
                    if len(merged) > limits.merged_ranges:
                        raise SpreadsheetError("too_many_merged", filename=filename, limit=limits.merged_ranges)
            if not chunk:
                return merged
            tail = buffer[max(limit, 0):]


def _open_xlsx(content, filename, data_only=False):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl fails in many ways on a hostile file: all mean a damaged workbook
        raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc


def _sheet_rows(worksheet, filename, limits):
    """Values of the rows of a read-only sheet, at most MAX_COLUMNS each.

    The declared dimension is dropped: openpyxl would pad every row to its width
    (and add empty rows up to its height); rows come as long as their last cell.
    """
    worksheet.reset_dimensions()
    for row_index, raw in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if row_index > limits.rows:
            raise SpreadsheetError("too_many_rows", filename=filename, rows=f"{row_index}+", limit=limits.rows)
        yield row_index, list(raw[:MAX_COLUMNS])


_FORMULA_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?f[\s>/]")


def _sheet_has_formulas(content, path):
    """Whether the sheet's XML holds a formula (``<f>``), found by streaming the part without parsing it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(path.lstrip("/")) as part:
        tail = b""
        while chunk := part.read(_SCAN_CHUNK):
            if _FORMULA_TAG_RE.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _read_xlsx_sheet(content, filename, workbook, name, limits=DEFAULT_LIMITS):
    """Rows of a sheet as a stream, read with their formulas; ``formula_cells`` fills up as they are read.

    Only a sheet holding formulas is read a second time (in step, for the computed values).
    Returns ``(rows, formula_cells)``; the rows generator closes ``workbook`` when done.
    """
    path = workbook[name]._worksheet_path  # pylint: disable=protected-access
    values = _open_xlsx(content, filename, data_only=True) if _sheet_has_formulas(content, path) else None
    formula_cells = []
    return _xlsx_rows(filename, workbook, values, name, limits, formula_cells), formula_cells


def _xlsx_rows(filename, workbook, values, name, limits, formula_cells):
    from openpyxl.utils import get_column_letter

    try:
        rows = _sheet_rows(workbook[name], filename, limits)
        computed = _sheet_rows(values[name], filename, limits) if values is not None else None
        for row_index, row in rows:
            computed_row = next(computed, (row_index, []))[1] if computed is not None else None
            for col_index, cell in enumerate(row):
                if isinstance(cell, str) and cell.startswith("="):
                    value = computed_row[col_index] if computed_row and col_index < len(computed_row) else None
                    formula_cells.append((f"{get_column_letter(col_index + 1)}{row_index}", cell, value))
                    row[col_index] = value
            yield row
    finally:
        workbook.close()
        if values is not None:
            values.close()


# ---------------------------------------------------------------- xls
def _open_xls(content, filename):
    import xlrd

    try:
        # ragged rows: a cell far right or far down does not pad every row (BIFF8 allows 65,536 × 256)
        return xlrd.open_workbook(file_contents=content, formatting_info=True, on_demand=True, ragged_rows=True,
                                  logfile=io.StringIO())
    except Exception as exc:  # xlrd fails in many ways on a hostile file: all mean a damaged workbook
        raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc


def _check_xls_sheet(sheet, filename, limits):
    """The limits of :class:`Limits` on a loaded .xls sheet (BIFF has no compression: the cells are there)."""
    if sheet.nrows > limits.rows:
        raise SpreadsheetError("too_many_rows", filename=filename, rows=sheet.nrows, limit=limits.rows)
    if sheet.ncols > limits.columns:
        raise SpreadsheetError("too_many_columns", filename=filename, columns=sheet.ncols, limit=limits.columns)
    if len(sheet.merged_cells) > limits.merged_ranges:
        raise SpreadsheetError("too_many_merged", filename=filename, limit=limits.merged_ranges)
    merged_cells = 0
    for row_lo, row_hi, col_lo, col_hi in sheet.merged_cells:
        merged_cells += max(row_hi - row_lo, 0) * max(col_hi - col_lo, 0)
        if merged_cells > limits.merged_cells:
            raise SpreadsheetError("merged_too_big", filename=filename, limit=limits.merged_cells,
                                   range=_range_name((col_lo + 1, row_lo + 1, col_hi, row_hi)))


def _read_xls_sheet(book, name, filename="", limits=DEFAULT_LIMITS):
    """Rows of a sheet as a stream (see :func:`_xls_rows`) and its merged ranges; the limits checked first."""
    sheet = book.sheet_by_name(name)
    _check_xls_sheet(sheet, filename, limits)
    merged = [(col_lo + 1, row_lo + 1, col_hi, row_hi) for row_lo, row_hi, col_lo, col_hi in sheet.merged_cells
              if row_hi > row_lo and col_hi > col_lo]
    return _xls_rows(book, sheet), merged


def _xls_rows(book, sheet):
    """The values of the rows of a loaded .xls sheet, converted one row at a time as they are taken."""
    import xlrd

    for row_index in range(sheet.nrows):
        row = []
        for cell in sheet.row(row_index)[:MAX_COLUMNS]:
            if cell.ctype == xlrd.XL_CELL_DATE:
                # dates are numbers in .xls: the cell format says they are dates
                row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            else:
                row.append(cell.value)
        yield row


# ---------------------------------------------------------------- common
def list_sheets(content, filename="", max_size_mb=None, limits=DEFAULT_LIMITS):
    """Names of the sheets (a CSV has one)."""
    check_size(content, max_size_mb)
    kind = _checked_format(content, filename)
    if kind == "xlsx":
        check_archive(content, filename, limits)
        workbook = _open_xlsx(content, filename)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()
    if kind == "xls":
        try:
            return _open_xls(content, filename).sheet_names()
        except SpreadsheetError:
            raise
        except Exception as exc:  # see _open_xls
            raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
    return ["Sheet1"]


def _checked_format(content, filename):
    if not content:
        raise SpreadsheetError("empty_file", filename=filename)
    kind = detect_format(content, filename)
    if kind == "broken":
        raise SpreadsheetError("not_spreadsheet", filename=filename)
    return kind


def find_header(rows, known_headers=()):
    """0-based index of the header row: the first row naming ≥ 2 known columns (recognised from their words,
    or among ``known_headers``, the headers of the import profiles)."""
    known = {headers.header_key(header) for header in known_headers} - {""}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        labels = [cell_text(cell) for cell in row]
        if sum(1 for label in labels if label and (guess_field(label) or headers.header_key(label) in known)) >= 2:
            return index
    return None


def read_table(content, filename="", sheet=None, max_size_mb=None, header_row=None, limits=DEFAULT_LIMITS,
               known_headers=(), stream=False):
    """Read one sheet (the first non-empty one by default) into a :class:`Table`.

    ``header_row`` (1-based) forces the header; otherwise the first row naming
    at least two known columns (or ``known_headers``) is the header. Data rows that are entirely
    empty are dropped; formulas with a cached value are read as values (and
    reported), formulas without one are an error; merged data cells get the
    value of their top-left cell (and are reported). A file over ``limits``
    is refused before its sheet is parsed.

    ``stream``: ``Table.rows`` is an iterator parsing the sheet as its rows are taken (the header from
    the first rows only); a problem further on is raised while iterating, and the formula warning is
    added to ``Table.warnings`` once the rows are all taken.
    """
    check_size(content, max_size_mb)
    kind = _checked_format(content, filename)
    merged, formula_cells, encoding, delimiter = [], [], "", ""
    if kind == "csv":
        sheets_rows, sheets, _merged, encoding, delimiter = _read_csv(content, filename, limits)
        name = sheet or sheets[0]
        if name not in sheets_rows:
            raise SpreadsheetError("unknown_sheet", sheet=name)
        rows = sheets_rows[name]
    elif kind == "xlsx":
        merged_by_part = check_archive(content, filename, limits)
        workbook = _open_xlsx(content, filename)
        try:
            sheets = list(workbook.sheetnames)
            name = _choose_sheet(sheets, sheet, lambda n: workbook[n].max_row and workbook[n].max_row > 1)
            path = workbook[name]._worksheet_path  # pylint: disable=protected-access
            merged = merged_by_part.get(path.lstrip("/"), [])
            rows, formula_cells = _read_xlsx_sheet(content, filename, workbook, name, limits)
        except SpreadsheetError:
            workbook.close()
            raise
        except Exception as exc:  # see _open_xlsx
            workbook.close()
            raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
    else:
        book = _open_xls(content, filename)
        try:
            sheets = book.sheet_names()
            name = _choose_sheet(sheets, sheet, lambda n: book.sheet_by_name(n).nrows > 0)
            rows, merged = _read_xls_sheet(book, name, filename, limits)
        except SpreadsheetError:
            raise
        except Exception as exc:  # see _open_xls
            raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
    rows = _guarded_rows(rows, filename)
    try:
        table = _stream_table(rows, name, sheets, header_row, merged, formula_cells, known_headers)
    except BaseException:
        rows.close()
        raise
    table.encoding, table.delimiter = encoding, delimiter
    if not stream:
        table.rows = list(table.rows)
    return table


def _guarded_rows(rows, filename):
    """The raw rows; a failure of the reader on a hostile file while streaming means a damaged file."""
    try:
        yield from rows
    except SpreadsheetError:
        raise
    except Exception as exc:  # see _open_xlsx and _open_xls
        raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()


def _stream_table(rows, name, sheets, header_row, merged, formula_cells, known_headers):
    """The :class:`Table` of a stream of raw rows: the header from the first rows, the data rows lazily."""
    head = []
    scan = header_row or HEADER_SCAN_ROWS
    for row in rows:
        head.append(row)
        if len(head) >= scan and any(cell_text(cell) for line in head for cell in line):
            break
    if not any(cell_text(cell) for line in head for cell in line):
        raise SpreadsheetError("empty_sheet", sheet=name)
    header_index = header_row - 1 if header_row else find_header(head, known_headers)
    if header_index is None or header_index >= len(head):
        raise SpreadsheetError("no_header", rows=HEADER_SCAN_ROWS, sheet=name)
    header_merged = [m for m in merged if m[1] <= header_index + 1 <= m[3] and m[0] != m[2]]
    if header_merged:
        from openpyxl.utils import get_column_letter

        ranges = ", ".join(
            f"{get_column_letter(a)}{b}:{get_column_letter(c)}{d}" for a, b, c, d in header_merged)
        raise SpreadsheetError("header_merged", row=header_index + 1, sheet=name, ranges=ranges)
    warnings = []
    data_merged = [m for m in merged if m[1] > header_index + 1]
    if data_merged:
        warnings.append(("merged", f"{len(data_merged)} merged cell ranges: each cell took the merged value"))
    columns = [cell_text(cell) for cell in head[header_index]]
    while columns and not columns[-1]:
        columns.pop()
    data = _data_rows(head[header_index + 1:], rows, header_index + 2, len(columns), data_merged, name,
                      formula_cells, warnings)
    return Table(sheet=name, sheets=list(sheets), header_row=header_index + 1, columns=columns,
                 mapping=guess_mapping(columns), rows=data, warnings=warnings)


def _data_rows(head, rows, first_number, width, merged, name, formula_cells, warnings):
    """``(row number, [cell text, ...])`` of the non-empty data rows, merged cells filled on the fly."""
    starts = {}
    for bounds in merged:
        starts.setdefault(bounds[1], []).append(bounds)
    active = []  # [(bounds, top-left value)] of the merged ranges covering the current row
    formulas_seen = 0
    for row_number, row in enumerate(itertools.chain(head, rows), start=first_number):
        formulas_seen = _check_formulas(formula_cells, formulas_seen, name)
        if active or row_number in starts:
            row = _fill_merged_row(row, row_number, starts.pop(row_number, ()), active)
        texts = [cell_text(cell) for cell in row[:width]]
        if any(texts):
            texts.extend([""] * (width - len(texts)))
            yield row_number, texts
    _check_formulas(formula_cells, formulas_seen, name)
    if formula_cells:
        cells = ", ".join(cell for cell, _formula, _value in formula_cells[:10])
        warnings.insert(0, ("formulas",
                            f"{len(formula_cells)} formula cells read as their computed values: {cells}"))


def _check_formulas(formula_cells, seen, name):
    """Refuse the first formula read since ``seen`` that has no computed value; returns how many are checked."""
    for cell, formula, value in formula_cells[seen:]:
        if value is None:
            raise SpreadsheetError("formula_without_value", cell=cell, sheet=name, formula=formula)
    return len(formula_cells)


def _fill_merged_row(row, row_number, starting, active):
    """Copy the top-left value of each merged range covering this row into its cells (of the columns read)."""
    for bounds in starting:
        min_col = bounds[0]
        active.append((bounds, row[min_col - 1] if min_col - 1 < len(row) else None))
    active[:] = [(bounds, value) for bounds, value in active if bounds[3] >= row_number]
    for (min_col, _min_row, max_col, _max_row), top_left in active:
        max_col = min(max_col, MAX_COLUMNS)
        if min_col > max_col:
            continue
        row.extend([None] * (max_col - len(row)))
        for col in range(min_col, max_col + 1):
            row[col - 1] = top_left
    return row


def _choose_sheet(sheets, wanted, has_rows):
    if wanted:
        if wanted not in sheets:
            raise SpreadsheetError("unknown_sheet", sheet=wanted)
        return wanted
    return next((name for name in sheets if has_rows(name)), sheets[0] if sheets else "")


# ---------------------------------------------------------------- writing
# what XML 1.0 (hence an .xlsx) cannot hold: C0 controls but tab and line breaks, lone surrogates, U+FFFE/F
_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_text(value):
    """Text an .xlsx can hold: illegal characters removed, cut at Excel's cell size."""
    return _XML_ILLEGAL_RE.sub("", str(value))[:EXCEL_CELL_CHARS]


def write_xlsx(title, rows):
    """An .xlsx (bytes) of one sheet; every text is stored as text, never as a formula (see ``write_xlsx_sheets``)."""
    return write_xlsx_sheets([(title, rows)])


def write_xlsx_sheets(sheets):
    """An .xlsx (bytes) of ``(title, rows)`` sheets; every text is stored as text, never as a formula.

    Texts come from uploaded files and from what customers typed: ``=HYPERLINK(…)``,
    ``+1``, ``@SUM(…)`` must stay what they are. The cell type is set to string
    explicitly (openpyxl would make any text starting with ``=`` a formula); numbers,
    booleans and dates stay what they are.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", xlsx_text(title))[:31] or "Sheet1")
        for values in rows:
            cells = []
            for value in values:
                if isinstance(value, (int, float, datetime.date)):  # bool is an int, datetime a date
                    cells.append(value)
                    continue
                cell = WriteOnlyCell(sheet, value=None)
                cell.value = xlsx_text("" if value is None else value)
                cell.data_type = "s"  # after the value: the value's setter guesses "f" for "=…"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
