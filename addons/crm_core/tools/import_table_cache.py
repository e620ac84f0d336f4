"""The sheet of a customer import as read once at upload, kept compressed and read back as a stream.

Pure Python (no odoo import), tested by ``tests/test_crm_core_import_table_cache.py``. Layout of the
blob: ``MAGIC``, the length of the meta block (4 bytes, big endian), zlib(meta JSON), then zlib of the
rows, one JSON line ``[row number, [cell text, ...]]`` per row. The import keeps it in
``crm.import.job.table_cache``: the workbook is parsed once, whatever the number of reads.
"""
import dataclasses
import json
import zlib

if __package__:
    from . import spreadsheet
else:  # loaded from its file alone by the database-free tests (tests/conftest.py): load the sibling the same way
    import importlib.util
    import pathlib
    import sys

    _SPREADSHEET_NAME = "_crm_suite_tools_crm_core_spreadsheet"
    if _SPREADSHEET_NAME not in sys.modules:
        _spec = importlib.util.spec_from_file_location(
            _SPREADSHEET_NAME, pathlib.Path(__file__).with_name("spreadsheet.py"))
        sys.modules[_SPREADSHEET_NAME] = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules[_SPREADSHEET_NAME])
    spreadsheet = sys.modules[_SPREADSHEET_NAME]

MAGIC = b"CRMT1"
_CHUNK = 1 << 16  # bytes decompressed at a time when the rows are read back


def dump_table(table, key):
    """The blob of ``table``, its rows streamed into it (they are consumed).

    ``key`` is ``[sheet, header_row]`` as the caller asked for them (None: the first sheet, detect the
    header); the blob answers that key and the sheet and header row actually read. A
    :class:`spreadsheet.SpreadsheetError` met while streaming the rows propagates.
    """
    compressor = zlib.compressobj(1)
    parts, count = [], 0
    for row in table.rows:
        parts.append(compressor.compress(json.dumps(row, ensure_ascii=False).encode() + b"\n"))
        count += 1
    parts.append(compressor.flush())
    meta = {field.name: getattr(table, field.name) for field in dataclasses.fields(table) if field.name != "rows"}
    meta.update(rows_total=count, keys=[list(key), [table.sheet, table.header_row]])
    meta = zlib.compress(json.dumps(meta, ensure_ascii=False, default=str).encode(), 1)
    return b"".join([MAGIC, len(meta).to_bytes(4, "big"), meta, *parts])


def load_table(blob, key):
    """The :class:`spreadsheet.Table` kept in ``blob`` for ``key`` (see :func:`dump_table`), its rows an
    iterator decompressing and decoding them as they are taken; None if the blob is not one or was read
    for another sheet or header row."""
    if not blob or not blob.startswith(MAGIC):
        return None
    start = len(MAGIC) + 4
    try:
        end = start + int.from_bytes(blob[len(MAGIC):start], "big")
        data = json.loads(zlib.decompress(blob[start:end]))
    except (ValueError, zlib.error):
        return None
    if list(key) not in data.pop("keys"):
        return None
    data["warnings"] = [tuple(warning) for warning in data["warnings"]]
    return spreadsheet.Table(rows=iter_rows(blob, end), **data)


def iter_rows(blob, start):
    """``(row number, values)`` of the row lines of ``blob`` from ``start``, decompressed piece by piece."""
    decompressor = zlib.decompressobj()
    view = memoryview(blob)
    pending = b""
    for offset in range(start, len(blob), _CHUNK):
        pending += decompressor.decompress(view[offset:offset + _CHUNK])
        *lines, pending = pending.split(b"\n")
        for line in lines:
            row_number, values = json.loads(line)
            yield row_number, values
