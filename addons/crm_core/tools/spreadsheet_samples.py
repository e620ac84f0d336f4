"""Sample and hostile customer files for the reader of ``spreadsheet.py``: generation only, no reading.

Used by the pure tests (``tests/``), the Odoo tests of the customer import and the benchmark
``scripts/bench/bench_hostile_files.py``; plain Python (no ``odoo`` import), openpyxl imported when a
workbook is built. Every workbook function takes an ordinary ``.xlsx`` (``xlsx(rows)`` builds one) and
returns the bytes of a doctored copy:

- ``zip_bomb``: the first sheet padded with megabytes of blanks that compress to almost nothing,
- ``huge_dimension``: the sheet declares ``<dimension ref="A1:XFD1048576">``,
- ``merged_bomb``: merged ranges covering millions of cells,
- ``row_far_down``: one row numbered 1,000,000;

and the CSV ones build a whole file: ``csv_file``, ``long_field_csv`` (one 200 KB field),
``nul_bytes_csv`` (a NUL character on a given line), ``wide_csv`` (a row of thousands of columns).
"""
import io
import re
import zipfile

SHEET = "xl/worksheets/sheet1.xml"  # the first sheet of a workbook written by openpyxl


# ---------------------------------------------------------------- workbooks
def xlsx(rows):
    """An ordinary workbook: one sheet holding ``rows`` (lists of cell values)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(content, replace):
    """The workbook with its first sheet's XML passed through ``replace(xml) -> xml``."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item.filename, replace(data) if item.filename == SHEET else data)
    return target.getvalue()


def zip_bomb(content, padding_mb=50, compresslevel=None):
    """The first sheet padded with ``padding_mb`` MB of blanks: a few tens of KB that unpack to that much.

    ``compresslevel`` is zlib's (``None``: its default; 9 packs the blanks tighter still).
    """
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != SHEET:
                archive.writestr(item.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with archive.open(SHEET, "w", force_zip64=True) as stream:
                stream.write(head)
                blanks = b" " * (1 << 20)
                for _ in range(padding_mb):
                    stream.write(blanks)
                stream.write(b"</sheetData>" + tail)
    return target.getvalue()


def huge_dimension(content, ref="A1:XFD1048576"):
    """The first sheet declaring the dimension ``ref`` (by default the whole sheet: 1,048,576 rows)."""
    return rezip(content, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(),
                                             xml))


def merged_bomb(content, *refs):
    """The first sheet with the merged ranges ``refs`` (by default ``A3:XFD1048576``: the whole sheet)."""
    refs = refs or ("A3:XFD1048576",)
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    merge = f'</sheetData><mergeCells count="{len(refs)}">{merges}</mergeCells>'.encode()
    return rezip(content, lambda xml: xml.replace(b"</sheetData>", merge))


def row_far_down(content):
    """The first sheet with one more row, numbered 1,000,000."""
    row = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return rezip(content, lambda xml: xml.replace(b"</sheetData>", row))


# ---------------------------------------------------------------- CSV files
def csv_file(header, rows, delimiter=";"):
    """A UTF-8 CSV file: ``header`` then ``rows`` (lists of texts, never quoted), one ``\\n`` line each."""
    return "".join(delimiter.join(row) + "\n" for row in [header, *rows]).encode()


def long_field_csv(header, name, length=200_000):
    """One row: ``name`` then a field of ``length`` characters (line 2 of the file)."""
    return csv_file(header, [[name, "x" * length]])


def nul_bytes_csv(header, good_row, count, bad_row=None):
    """``count`` copies of ``good_row`` then ``bad_row`` holding a NUL, on line ``count + 2`` of the file.

    By default ``bad_row`` is a name with a NUL appended and the other columns of ``header`` left blank.
    """
    bad_row = bad_row or ["Пётр\x00"] + [""] * (len(header) - 1)
    return csv_file(header, [good_row] * count + [bad_row])


def wide_csv(header, columns, value=""):
    """One row of ``columns`` separators, each after ``value``: ``columns + 1`` columns."""
    return csv_file(header, [[value] * columns + [""]])
