"""The import's sheet cache: written once at upload, read back as a stream, for the sheet it was read for."""
import zlib

import conftest

table_cache = conftest.load_tool("crm_core", "import_table_cache")
spreadsheet = conftest.load_tool("crm_core", "spreadsheet")


def _table(rows):
    return spreadsheet.Table(sheet="Клиенты", sheets=["Клиенты", "Архив"], header_row=2,
                             columns=["ФИО", "Телефон"], mapping=["name", "phone"], rows=iter(rows),
                             warnings=[("merged", "Объединённые ячейки")], encoding="utf-8", delimiter=";")


def test_round_trip_keeps_rows_and_meta():
    rows = [(3, ["Иванов Иван", "+7 912 123-45-67"]), (4, ["Петров\nПётр", ""]), (7, ["", "8 (495) 1"])]
    blob = table_cache.dump_table(_table(rows), [None, None])
    assert blob.startswith(table_cache.MAGIC)
    table = table_cache.load_table(blob, [None, None])
    assert (table.sheet, table.sheets, table.header_row) == ("Клиенты", ["Клиенты", "Архив"], 2)
    assert (table.columns, table.mapping, table.encoding, table.delimiter) == (
        ["ФИО", "Телефон"], ["name", "phone"], "utf-8", ";")
    assert table.warnings == [("merged", "Объединённые ячейки")], "warnings come back as tuples"
    assert table.rows_total == 3, "counted while the rows were streamed in"
    assert list(table.rows) == [(number, values) for number, values in rows]


def test_answers_the_key_asked_and_the_sheet_read():
    blob = table_cache.dump_table(_table([(3, ["a", "b"])]), [None, None])
    assert table_cache.load_table(blob, [None, None]) is not None
    assert table_cache.load_table(blob, ["Клиенты", 2]) is not None, "the sheet and header row actually read"
    assert table_cache.load_table(blob, ["Архив", None]) is None, "another sheet: read the workbook again"
    assert table_cache.load_table(blob, ["Клиенты", 5]) is None, "another header row"


def test_rows_are_read_back_piece_by_piece():
    rows = [(number, [f"Клиент {number}", "x" * 200]) for number in range(2, 3002)]  # over 64 KB unpacked
    table = table_cache.load_table(table_cache.dump_table(_table(rows), ["Клиенты", None]), ["Клиенты", None])
    stream = table.rows
    assert next(stream) == (2, ["Клиент 2", "x" * 200]), "a stream: the first row before the others are decoded"
    assert sum(1 for _row in stream) == 2999


def test_not_a_cache_is_none():
    assert table_cache.load_table(b"", [None, None]) is None
    assert table_cache.load_table(b"PK\x03\x04 a workbook", [None, None]) is None
    damaged = table_cache.MAGIC + (10).to_bytes(4, "big") + b"not zlib!!"
    assert table_cache.load_table(damaged, [None, None]) is None
    not_json = table_cache.MAGIC + len(zlib.compress(b"{")).to_bytes(4, "big") + zlib.compress(b"{")
    assert table_cache.load_table(not_json, [None, None]) is None


def test_a_bad_file_met_while_streaming_propagates():
    def rows():
        yield 2, ["ok"]
        raise spreadsheet.SpreadsheetError("nul_bytes", filename="x.csv", line=3)

    try:
        table_cache.dump_table(_table(rows()), [None, None])
    except spreadsheet.SpreadsheetError as error:
        assert error.code == "nul_bytes"
    else:
        raise AssertionError("the reader's error must reach the caller")
