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
import re
import zipfile
from dataclasses import dataclass, field

HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 200  # columns read from a sheet (the others are ignored)
EXCEL_CELL_CHARS = 32767  # the most characters Excel keeps in a cell

# Target fields of the customer import and the header words that mean them
# (Russian, Ukrainian, English; compared case-folded, ё → е, without punctuation).
FIELD_SYNONYMS = {
    "name": ("контактное лицо", "контакт", "фио", "ф и о", "имя", "сотрудник", "контактна особа", "піб",
             "пiб", "ім я", "name", "contact", "contact name", "contact person", "full name", "person"),
    "company": ("организация", "компания", "контрагент", "наименование", "наименование контрагента",
                "клиент", "покупатель", "организація", "компанія", "найменування", "company", "organisation",
                "organization", "company name", "account", "customer"),
    "inn": ("инн", "інн", "ипн", "іпн", "inn", "taxpayer id"),
    "kpp": ("кпп", "kpp"),
    "vat": ("vat", "tax id", "едрпоу", "єдрпоу", "код єдрпоу", "код едрпоу", "ндс номер"),
    "function": ("должность", "роль", "посада", "job", "job title", "position", "role", "function", "title"),
    "phone": ("телефон", "тел", "телефоны", "мобильный", "мобильный телефон", "моб телефон", "мобільний",
              "phone", "telephone", "tel", "mobile", "phone number"),
    "email": ("e mail", "email", "эл почта", "электронная почта", "почта", "ел пошта", "електронна пошта",
              "пошта", "mail", "e mail address", "email address"),
    "city": ("город", "місто", "населенный пункт", "city", "town"),
    "street": ("адрес", "адреса", "улица", "вулиця", "address", "street"),
    "zip": ("индекс", "почтовый индекс", "індекс", "zip", "postcode", "postal code"),
    "country": ("страна", "країна", "country"),
    "website": ("сайт", "веб сайт", "website", "web", "site", "url"),
    "comment": ("комментарий", "примечание", "коментар", "примітка", "notes", "note", "comment", "comments"),
    "tag": ("метка", "метки", "тег", "теги", "категория", "мітка", "категорія", "tag", "tags", "category",
            "label"),
}


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
    rows: list  # [(row number, [cell text, ...]), ...]
    warnings: list = field(default_factory=list)  # [(code, message)]
    encoding: str = ""
    delimiter: str = ""


def normalize_header(value):
    text = str(value or "").casefold().replace("ё", "е")
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE)
    return re.sub(r"\s+", " ", text).strip()


_SYNONYM_INDEX = {normalize_header(word): target for target, words in FIELD_SYNONYMS.items() for word in words}


def guess_field(header):
    """Target field for one header label ("" when unknown)."""
    return _SYNONYM_INDEX.get(normalize_header(header), "")


def guess_mapping(columns):
    """Target field per column; a target is used once (the first column wins)."""
    used, mapping = set(), []
    for column in columns:
        target = guess_field(column)
        if target in used:
            target = ""
        used.add(target)
        mapping.append(target)
    return mapping


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


def _read_csv(content, filename, limits=DEFAULT_LIMITS):
    if b"\x00" in content[:4096] and not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError("not_spreadsheet", filename=filename)
    text, encoding = decode_text(content)
    if "\x00" in text:
        # PostgreSQL cannot store NUL: a file holding one further on is refused whole, not row by row
        raise SpreadsheetError("nul_bytes", filename=filename, line=text.count("\n", 0, text.index("\x00")) + 1)
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if len(rows) >= limits.rows:
                raise SpreadsheetError("too_many_rows", filename=filename, rows=f"{len(rows) + 1}+",
                                       limit=limits.rows)
            if len(row) > limits.columns:
                raise SpreadsheetError("too_many_columns", filename=filename, columns=len(row),
                                       limit=limits.columns)
            if any(len(value) > limits.field_chars for value in row):
                raise SpreadsheetError("field_too_long", filename=filename, line=reader.line_num,
                                       limit=limits.field_chars)
            rows.append(row)
    except csv.Error as exc:
        # csv.field_size_limit (131,072 characters unless raised) and malformed quoting
        if "field limit" in str(exc):
            raise SpreadsheetError("field_too_long", filename=filename, line=max(reader.line_num, 1),
                                   limit=limits.field_chars) from exc
        raise SpreadsheetError("csv_error", filename=filename, line=max(reader.line_num, 1), detail=str(exc)) from exc
    return {"Sheet1": rows}, ["Sheet1"], {}, encoding, delimiter


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


def _read_xlsx_sheet(content, filename, workbook, name, limits=DEFAULT_LIMITS):
    """Rows of a sheet read once with its formulas; the computed values are read only if there are formulas."""
    from openpyxl.utils import get_column_letter

    rows, formula_cells = [], []
    for row_index, row in _sheet_rows(workbook[name], filename, limits):
        for col_index, cell in enumerate(row):
            if isinstance(cell, str) and cell.startswith("="):
                formula_cells.append([f"{get_column_letter(col_index + 1)}{row_index}", cell, None,
                                      row_index - 1, col_index])
        rows.append(row)
    if formula_cells:
        values = _open_xlsx(content, filename, data_only=True)
        try:
            computed = [row for _index, row in _sheet_rows(values[name], filename, limits)]
        finally:
            values.close()
        for cell in formula_cells:
            row_index, col_index = cell[3], cell[4]
            value = computed[row_index][col_index] if row_index < len(computed) and col_index < len(
                computed[row_index]) else None
            cell[2] = value
            rows[row_index][col_index] = value
    return rows, [tuple(cell[:3]) for cell in formula_cells]


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
    import xlrd

    sheet = book.sheet_by_name(name)
    _check_xls_sheet(sheet, filename, limits)
    rows = []
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
        rows.append(row)
    merged = [(col_lo + 1, row_lo + 1, col_hi, row_hi) for row_lo, row_hi, col_lo, col_hi in sheet.merged_cells
              if row_hi > row_lo and col_hi > col_lo]
    return rows, merged


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


def _fill_merged(rows, merged):
    """Copy the top-left value of each merged range into all its cells (of the columns read)."""
    for min_col, min_row, max_col, max_row in merged:
        max_col = min(max_col, MAX_COLUMNS)
        if min_row > len(rows) or min_col > max_col:
            continue
        top_left = rows[min_row - 1][min_col - 1] if min_col - 1 < len(rows[min_row - 1]) else None
        for row_number in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[row_number - 1]
            row.extend([None] * (max_col - len(row)))
            for col in range(min_col, max_col + 1):
                row[col - 1] = top_left


def find_header(rows):
    """0-based index of the header row: the first row naming ≥ 2 known columns."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        labels = [cell_text(cell) for cell in row]
        if sum(1 for label in labels if guess_field(label)) >= 2:
            return index
    return None


def read_table(content, filename="", sheet=None, max_size_mb=None, header_row=None, limits=DEFAULT_LIMITS):
    """Read one sheet (the first non-empty one by default) into a :class:`Table`.

    ``header_row`` (1-based) forces the header; otherwise the first row naming
    at least two known columns is the header. Data rows that are entirely
    empty are dropped; formulas with a cached value are read as values (and
    reported), formulas without one are an error; merged data cells get the
    value of their top-left cell (and are reported). A file over ``limits``
    is refused before its sheet is parsed.
    """
    check_size(content, max_size_mb)
    kind = _checked_format(content, filename)
    warnings, merged, formula_cells, encoding, delimiter = [], [], [], "", ""
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
            rows, formula_cells = _read_xlsx_sheet(content, filename, workbook, name, limits)
            path = workbook[name]._worksheet_path  # pylint: disable=protected-access
            merged = merged_by_part.get(path.lstrip("/"), [])
        except SpreadsheetError:
            raise
        except Exception as exc:  # see _open_xlsx
            raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
        finally:
            workbook.close()
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
    rows = [list(row) for row in rows]
    if not any(any(cell_text(cell) for cell in row) for row in rows):
        raise SpreadsheetError("empty_sheet", sheet=name)
    for cell, formula, value in formula_cells:
        if value is None:
            raise SpreadsheetError("formula_without_value", cell=cell, sheet=name, formula=formula)
    if formula_cells:
        cells = ", ".join(cell for cell, _formula, _value in formula_cells[:10])
        warnings.append(("formulas", f"{len(formula_cells)} formula cells read as their computed values: {cells}"))
    header_index = header_row - 1 if header_row else find_header(rows)
    if header_index is None or header_index >= len(rows):
        raise SpreadsheetError("no_header", rows=HEADER_SCAN_ROWS, sheet=name)
    header_merged = [m for m in merged if m[1] <= header_index + 1 <= m[3] and m[0] != m[2]]
    if header_merged:
        from openpyxl.utils import get_column_letter

        ranges = ", ".join(
            f"{get_column_letter(a)}{b}:{get_column_letter(c)}{d}" for a, b, c, d in header_merged)
        raise SpreadsheetError("header_merged", row=header_index + 1, sheet=name, ranges=ranges)
    data_merged = [m for m in merged if m[1] > header_index + 1]
    if data_merged:
        _fill_merged(rows, data_merged)
        warnings.append(("merged", f"{len(data_merged)} merged cell ranges: each cell took the merged value"))
    columns = [cell_text(cell) for cell in rows[header_index]]
    while columns and not columns[-1]:
        columns.pop()
    width = len(columns)
    data = []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        texts = [cell_text(cell) for cell in row[:width]]
        texts.extend([""] * (width - len(texts)))
        if any(texts):
            data.append((offset, texts))
    return Table(
        sheet=name, sheets=list(sheets), header_row=header_index + 1, columns=columns,
        mapping=guess_mapping(columns), rows=data, warnings=warnings, encoding=encoding, delimiter=delimiter,
    )


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
