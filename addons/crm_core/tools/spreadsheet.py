"""Reading customer lists: .xlsx (openpyxl, read-only), .xls (xlrd), .csv.

Pure Python (no odoo import), tested by ``tests/test_crm_core_spreadsheet.py``.
Every problem with the file itself raises :class:`SpreadsheetError` with a
``code`` the Odoo side turns into a translatable message.
"""
import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 200

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
    }

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code] % params)


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
    return str(value).strip()


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
        return content.decode("utf-16"), "utf-16"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace"), "cp1251"


def detect_delimiter(text):
    """``;``, ``,`` or tab: the one splitting the first lines into the most stable columns."""
    lines = [line for line in text.splitlines()[:HEADER_SCAN_ROWS] if line.strip()]
    best, best_score = ";", -1
    for delimiter in (";", "\t", ","):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or max(counts) < 2:
            continue
        # columns found × rows agreeing on the most common width
        width = max(set(counts), key=counts.count)
        score = width * counts.count(width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(content, filename):
    if b"\x00" in content[:4096] and not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError("not_spreadsheet", filename=filename)
    text, encoding = decode_text(content)
    delimiter = detect_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return {"Sheet1": rows}, ["Sheet1"], {}, encoding, delimiter


# ---------------------------------------------------------------- xlsx
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')


def _xlsx_merged_ranges(workbook, worksheet):
    """Merged ranges of a read-only sheet, read from its XML (read-only mode does not parse them)."""
    from openpyxl.utils import range_boundaries

    try:
        xml = workbook._archive.read(worksheet._worksheet_path)  # pylint: disable=protected-access
    except (AttributeError, KeyError):
        return []
    return [range_boundaries(ref.decode()) for ref in _MERGE_RE.findall(xml)]


def _open_xlsx(content, filename, data_only=False):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc


def _read_xlsx_sheet(content, filename, workbook, name):
    """Rows of a sheet read once with its formulas; the computed values are read only if there are formulas."""
    from openpyxl.utils import get_column_letter

    rows, formula_cells = [], []
    for row_index, raw in enumerate(workbook[name].iter_rows(values_only=True), start=1):
        row = list(raw[:MAX_COLUMNS])
        for col_index, cell in enumerate(row):
            if isinstance(cell, str) and cell.startswith("="):
                formula_cells.append([f"{get_column_letter(col_index + 1)}{row_index}", cell, None,
                                      row_index - 1, col_index])
        rows.append(row)
    if formula_cells:
        values = _open_xlsx(content, filename, data_only=True)
        try:
            computed = [list(row[:MAX_COLUMNS]) for row in values[name].iter_rows(values_only=True)]
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
        return xlrd.open_workbook(file_contents=content, formatting_info=True, on_demand=True)
    except Exception as exc:
        raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc


def _read_xls_sheet(book, name):
    import xlrd

    sheet = book.sheet_by_name(name)
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
    merged = [(col_lo + 1, row_lo + 1, col_hi, row_hi) for row_lo, row_hi, col_lo, col_hi in sheet.merged_cells]
    return rows, merged


# ---------------------------------------------------------------- common
def list_sheets(content, filename="", max_size_mb=None):
    """Names of the sheets (a CSV has one)."""
    check_size(content, max_size_mb)
    kind = _checked_format(content, filename)
    if kind == "xlsx":
        workbook = _open_xlsx(content, filename)
        try:
            return workbook.sheetnames
        finally:
            workbook.close()
    if kind == "xls":
        return _open_xls(content, filename).sheet_names()
    return ["Sheet1"]


def _checked_format(content, filename):
    if not content:
        raise SpreadsheetError("empty_file", filename=filename)
    kind = detect_format(content, filename)
    if kind == "broken":
        raise SpreadsheetError("not_spreadsheet", filename=filename)
    return kind


def _fill_merged(rows, merged):
    """Copy the top-left value of each merged range into all its cells."""
    for min_col, min_row, max_col, max_row in merged:
        if min_row > len(rows):
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


def read_table(content, filename="", sheet=None, max_size_mb=None, header_row=None):
    """Read one sheet (the first non-empty one by default) into a :class:`Table`.

    ``header_row`` (1-based) forces the header; otherwise the first row naming
    at least two known columns is the header. Data rows that are entirely
    empty are dropped; formulas with a cached value are read as values (and
    reported), formulas without one are an error; merged data cells get the
    value of their top-left cell (and are reported).
    """
    check_size(content, max_size_mb)
    kind = _checked_format(content, filename)
    warnings, merged, formula_cells, encoding, delimiter = [], [], [], "", ""
    if kind == "csv":
        sheets_rows, sheets, merged_by_sheet, encoding, delimiter = _read_csv(content, filename)
        name = sheet or sheets[0]
        if name not in sheets_rows:
            raise SpreadsheetError("unknown_sheet", sheet=name)
        rows = sheets_rows[name]
    elif kind == "xlsx":
        workbook = _open_xlsx(content, filename)
        sheets = workbook.sheetnames
        name = _choose_sheet(sheets, sheet, lambda n: workbook[n].max_row and workbook[n].max_row > 1)
        try:
            rows, formula_cells = _read_xlsx_sheet(content, filename, workbook, name)
            merged = _xlsx_merged_ranges(workbook, workbook[name])
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
            raise SpreadsheetError("corrupted", filename=filename, detail=str(exc) or type(exc).__name__) from exc
        finally:
            workbook.close()
    else:
        book = _open_xls(content, filename)
        sheets = book.sheet_names()
        name = _choose_sheet(sheets, sheet, lambda n: book.sheet_by_name(n).nrows > 0)
        rows, merged = _read_xls_sheet(book, name)
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
