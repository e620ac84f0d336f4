"""Hostile files against the pure reader: refused with its own error, before the sheet is parsed."""
import io
import time
import zipfile

import pytest

import conftest

spreadsheet = conftest.load_tool("crm_core", "spreadsheet")
samples = conftest.load_tool("crm_core", "spreadsheet_samples")
HEADER = ["Контактное лицо", "Организация", "Телефон", "E-mail"]


def refusal(content, filename="f.xlsx", **kwargs):
    started = time.perf_counter()
    with pytest.raises(spreadsheet.SpreadsheetError) as info:
        spreadsheet.read_table(content, filename, **kwargs)
    return info.value.code, time.perf_counter() - started


GOOD = samples.xlsx([HEADER, ["Иванов Иван", "ООО «Ромашка»", "89123456789", "i@x.ru"]])


def test_zip_bomb_refused_from_the_directory():
    code, seconds = refusal(samples.zip_bomb(samples.xlsx([HEADER, ["Иванов", "", "", ""]]), 300))
    assert code == "zip_bomb"
    assert seconds < 2
    # over the unpacked size even at an ordinary ratio
    limits = spreadsheet.Limits(unpacked_mb=0.01)
    assert refusal(GOOD, limits=limits)[0] == "too_big_unpacked"
    assert refusal(GOOD, limits=spreadsheet.Limits(members=3))[0] == "corrupted"


def test_huge_dimension_refused():
    for ref, code in (("A1:XFD1048576", "too_many_rows"), ("A1:XFD10", "too_many_columns")):
        assert refusal(samples.huge_dimension(GOOD, ref))[0] == code
    # a namespace prefix does not hide it
    content = samples.rezip(GOOD, lambda xml: xml.replace(b"<dimension ", b'<x:dimension xmlns:x="urn:x" ')
                            .replace(b'ref="A1:D2"', b'ref="A1:D900000"'))
    assert refusal(content)[0] == "too_many_rows"


def test_rows_far_down_refused_before_parsing():
    code, seconds = refusal(samples.row_far_down(GOOD))
    assert code == "too_many_rows"
    assert seconds < 2


@pytest.mark.parametrize(("refs", "code"), [
    (["A3:XFD1048576"], "too_many_rows"),
    (["A3:XFD3"], "too_many_columns"),
    (["B3:ALL400000"], "merged_too_big"),
    ([f"A{n}:B{n}" for n in range(3, 20_010)], "too_many_merged"),
])
def test_merged_range_bombs(refs, code):
    found, seconds = refusal(samples.merged_bomb(GOOD, *refs))
    assert found == code
    assert seconds < 2


def test_merged_ranges_still_filled_and_limited_to_read_columns():
    content = samples.rezip(GOOD, lambda xml: xml.replace(
        b"</sheetData>", b'<row r="3"><c r="A3" t="inlineStr"><is><t>Petrov</t></is></c></row></sheetData>'
                                 b'<mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>'))
    table = spreadsheet.read_table(content, "m.xlsx")
    assert table.rows[1][1][1] == "ООО «Ромашка»"


def test_csv_huge_field_and_nul_bytes():
    field = samples.long_field_csv(["Имя", "Телефон"], "Иван")
    assert refusal(field, "f.csv")[0] == "field_too_long"
    nul = samples.nul_bytes_csv(["Имя", "Телефон"], ["Иван", "1"], 1000, ["Пётр", "\x00"])
    with pytest.raises(spreadsheet.SpreadsheetError) as info:
        spreadsheet.read_table(nul, "n.csv")
    assert (info.value.code, info.value.params["line"]) == ("nul_bytes", 1002)
    assert refusal(samples.wide_csv(["Name", "Phone"], 2000, "a"), "wide.csv")[0] == "too_many_columns"
    rows = b"Name;Phone\n" + b"Ivan;1\n" * 50
    assert refusal(rows, "long.csv", limits=spreadsheet.Limits(rows=10))[0] == "too_many_rows"
    assert refusal(b"\xff\xfeN\x00a\x00m\x00", "odd.csv")[0] in ("no_header", "nul_bytes")


def test_xls_merged_limit():
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Лист")
    for col, title in enumerate(["Контактное лицо", "Телефон"]):
        sheet.write(0, col, title)
    sheet.write_merge(1, 1000, 0, 1, "Иванов")
    buffer = io.BytesIO()
    workbook.save(buffer)
    limits = spreadsheet.Limits(merged_cells=100)
    assert refusal(buffer.getvalue(), "m.xls", limits=limits)[0] == "merged_too_big"
    assert len(spreadsheet.read_table(buffer.getvalue(), "m.xls").rows) == 1000


def test_nul_in_a_workbook_cell_is_dropped():
    content = samples.rezip(GOOD, lambda xml: xml)
    assert spreadsheet.cell_text("a\x00b ") == "ab"
    assert spreadsheet.read_table(content, "ok.xlsx").rows[0][1][0] == "Иванов Иван"


def test_written_workbook_keeps_texts_as_text():
    import openpyxl

    texts = ["=1+1", "+cmd", "-2", "@SUM(A1)", "\t=1", "\r=1", "bad\x01\x1b\x00char\ud800", "=" + "x" * 40_000]
    content = spreadsheet.write_xlsx("Rejected: [rows]", [texts + [5, None]])
    xml = zipfile.ZipFile(io.BytesIO(content)).read(samples.SHEET)
    assert b"<f>" not in xml
    cells = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows())[0]
    assert [cell.data_type for cell in cells[:len(texts)]] == ["s"] * len(texts)
    assert [cell.value for cell in cells[:6]] == texts[:6]
    assert cells[6].value == "badchar"
    assert len(cells[7].value) == spreadsheet.EXCEL_CELL_CHARS
    assert (cells[8].value, cells[8].data_type) == (5, "n")


def test_largest_accepted_workbook_is_read():
    rows = [HEADER] + [[f"Клиент {n}", "ООО «Ромашка»", "89123456789", f"c{n}@x.ru"] for n in range(2000)]
    table = spreadsheet.read_table(samples.xlsx(rows), "big.xlsx")
    assert len(table.rows) == 2000


def test_every_sheet_written_keeps_customer_text_as_text():
    """The privacy export writes several sheets: a name typed as a formula stays text in each."""
    import datetime
    import io

    import openpyxl

    content = spreadsheet.write_xlsx_sheets([
        ("Контакты", [["Имя", "Создан"], ["=HYPERLINK(\"http://evil.example\")\x01", datetime.date(2027, 1, 1)]]),
        ("Сделки", [["Сумма", "Выиграна"], [1500.5, True], ["@SUM(A1)", False]]),
    ])
    assert b"<f>" not in b"".join(zipfile.ZipFile(io.BytesIO(content)).read(name)
                                  for name in zipfile.ZipFile(io.BytesIO(content)).namelist())
    contacts, deals = openpyxl.load_workbook(io.BytesIO(content)).worksheets
    assert (contacts["A2"].value, contacts["A2"].data_type) == ("=HYPERLINK(\"http://evil.example\")", "s")
    assert contacts["B2"].value == datetime.datetime(2027, 1, 1)
    assert [cell.value for cell in deals[2]] == [1500.5, True]
    assert (deals["A3"].value, deals["A3"].data_type) == ("@SUM(A1)", "s")
