import codecs
import datetime
import io
import zipfile

import pytest

import conftest

spreadsheet = conftest.load_tool("crm_core", "spreadsheet")
HEADER = ["Контактное лицо", "Организация", "Телефон", "E-mail"]


def xlsx(rows, merged=(), extra_sheets=()):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Клиенты"
    for row in rows:
        sheet.append(row)
    for cell_range in merged:
        sheet.merge_cells(cell_range)
    for name in extra_sheets:
        workbook.create_sheet(name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_code(content, filename, **kwargs):
    with pytest.raises(spreadsheet.SpreadsheetError) as info:
        spreadsheet.read_table(content, filename, **kwargs)
    return info.value.code


def test_header_synonyms_ru_uk_en():
    mapping = spreadsheet.guess_mapping(
        ["ФИО", "Контрагент", "ИНН", "КПП", "Посада", "Моб. телефон", "Эл. почта", "Місто", "Tags", "???"])
    assert mapping == ["name", "company", "inn", "kpp", "function", "phone", "email", "city", "tag", ""]
    assert spreadsheet.guess_mapping(["Phone", "Mobile"]) == ["phone", "phone"], "every phone column is read"
    assert spreadsheet.guess_mapping(["City", "Town"]) == ["city", ""], "other targets are used once"


def test_xlsx_title_rows_above_header():
    content = xlsx([["Выгрузка из 1С"], [], HEADER, ["Иванов Иван", "ООО «Ромашка»", "89123456789", "i@x.ru"]],
                   merged=["A1:D1"])
    table = spreadsheet.read_table(content, "clients.xlsx")
    assert table.header_row == 3
    assert table.mapping == ["name", "company", "phone", "email"]
    assert table.rows == [(4, ["Иванов Иван", "ООО «Ромашка»", "89123456789", "i@x.ru"])]


def test_xlsx_numbers_and_dates_as_text():
    content = xlsx([["Контактное лицо", "ИНН", "Комментарий"], ["Иванов", 7707083893, datetime.date(2024, 3, 1)]])
    table = spreadsheet.read_table(content, "c.xlsx")
    assert table.rows[0][1] == ["Иванов", "7707083893", "2024-03-01"]


def test_list_sheets_and_choose_one():
    content = xlsx([HEADER, ["Иванов Иван", "", "", ""]], extra_sheets=["Пусто"])
    assert spreadsheet.list_sheets(content, "c.xlsx") == ["Клиенты", "Пусто"]
    assert error_code(content, "c.xlsx", sheet="Пусто") == "empty_sheet"
    assert error_code(content, "c.xlsx", sheet="Нет такого") == "unknown_sheet"


def test_formulas_and_merged_cells():
    assert error_code(xlsx([HEADER, ["Иванов", "=B3", "1", "a@b.ru"]]), "f.xlsx") == "formula_without_value"
    assert error_code(xlsx([HEADER, ["Иванов", "", "", ""]], merged=["A1:B1"]), "m.xlsx") == "header_merged"
    table = spreadsheet.read_table(
        xlsx([HEADER, ["Иванов", "ООО «Ромашка»", "", ""], ["Петров", None, "", ""]], merged=["B2:B3"]), "m.xlsx")
    assert table.rows[1][1][1] == "ООО «Ромашка»"
    assert table.warnings[0][0] == "merged"


def test_xls_dates_stored_as_numbers():
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Контрагенты")
    for col, title in enumerate(["Контактное лицо", "Телефон", "Дата"]):
        sheet.write(0, col, title)
    sheet.write(1, 0, "Иванов Иван")
    sheet.write(1, 1, 89123456789)
    sheet.write(1, 2, 45352.0, xlwt.easyxf(num_format_str="DD.MM.YYYY"))
    sheet.write_merge(2, 3, 0, 0, "Петров Пётр")
    sheet.write(2, 1, "1")
    sheet.write(3, 1, "2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = spreadsheet.read_table(buffer.getvalue(), "legacy.xls")
    assert table.rows[0] == (2, ["Иванов Иван", "89123456789", "2024-03-01"])
    assert table.rows[2][1][0] == "Петров Пётр", "merged cells of an .xls are filled too"


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("cp1251", b"")])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(encoding, bom, delimiter):
    text = "\r\n".join(delimiter.join(row) for row in [HEADER, ["Иванов Иван", "Ромашка", "8912", "i@x.ru"]])
    table = spreadsheet.read_table(bom + text.encode(encoding), "c.csv")
    assert table.delimiter == delimiter
    assert table.rows[0][1][0] == "Иванов Иван"
    assert table.encoding == ("utf-8-sig" if bom else encoding)


def test_bad_files():
    assert error_code(b"", "empty.csv") == "empty_file"
    assert error_code(b"PK\x03\x04 this is not a real workbook", "broken.xlsx") == "corrupted"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert error_code(buffer.getvalue(), "zip.xlsx") == "corrupted"
    assert error_code(b"GIF89a\x00\x00", "image.xlsx") == "not_spreadsheet"
    assert error_code(b"\x00\x01\x02binary", "data.csv") == "not_spreadsheet"
    assert error_code(b"1;2\n3;4\n", "n.csv") == "no_header"
    assert error_code(("\n".join(["Имя;Телефон"] + ["Иван;1"] * 2000)).encode(), "b.csv",
                      max_size_mb=0.001) == "too_big"
    message = str(spreadsheet.SpreadsheetError("too_big", size=2.0, limit=1))
    assert "over the limit of 1 MB" in message


def test_shared_samples(shared_data):
    table = spreadsheet.read_table((shared_data / "customers_ru.xlsx").read_bytes(), "customers_ru.xlsx")
    assert (table.sheet, len(table.rows)) == ("Клиенты", 330)
    table = spreadsheet.read_table((shared_data / "customers_legacy.xls").read_bytes(), "customers_legacy.xls")
    assert (table.sheet, len(table.rows)) == ("Контрагенты", 120)
    table = spreadsheet.read_table((shared_data / "customers_1c.csv").read_bytes(), "customers_1c.csv")
    assert (table.encoding, table.delimiter, len(table.rows)) == ("cp1251", ";", 150)
    assert table.mapping[:3] == ["name", "company", "inn"]


def test_formula_with_computed_value_is_read_as_value():
    import re

    content = xlsx([HEADER, ["Иванов Иван", "=CONCAT(\"ООО \",\"Ромашка\")", "89123456789", "i@x.ru"]])
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                # what Excel saves: the formula and its cached result
                data = re.sub(
                    rb"(<c r=\"B2\"[^>]*)>(<f>.*?</f>)(?:<v></v>|<v/>)?</c>",
                    lambda m: m.group(1) + b' t="str">' + m.group(2) + "<v>ООО Ромашка</v></c>".encode(),
                    data)
            zout.writestr(item, data)
    table = spreadsheet.read_table(target.getvalue(), "f.xlsx")
    assert table.rows[0][1][1] == "ООО Ромашка"
    assert table.warnings[0][0] == "formulas"


def _streamed(content, filename, **kwargs):
    table = spreadsheet.read_table(content, filename, stream=True, **kwargs)
    assert not isinstance(table.rows, list), "the rows are a stream"
    return table, list(table.rows)


def test_stream_gives_the_same_rows_as_a_whole_read(shared_data):
    for name in ("customers_ru.xlsx", "customers_legacy.xls", "customers_1c.csv"):
        content = (shared_data / name).read_bytes()
        whole = spreadsheet.read_table(content, name)
        streamed, rows = _streamed(content, name)
        assert rows == whole.rows, name
        assert (streamed.sheet, streamed.header_row, streamed.columns, streamed.mapping, streamed.encoding,
                streamed.delimiter) == (whole.sheet, whole.header_row, whole.columns, whole.mapping,
                                        whole.encoding, whole.delimiter), name


def test_stream_finds_the_header_below_title_rows_and_fills_merged_cells():
    content = xlsx([["Выгрузка из 1С"], [], HEADER, ["Иванов", "ООО «Ромашка»", "", ""], ["Петров", None, "", ""],
                    [None, None, None, None], ["Сидоров", "ООО «Вектор»", "", ""]], merged=["A1:D1", "B4:B5"])
    table, rows = _streamed(content, "m.xlsx")
    assert table.header_row == 3
    assert rows == [(4, ["Иванов", "ООО «Ромашка»", "", ""]), (5, ["Петров", "ООО «Ромашка»", "", ""]),
                    (7, ["Сидоров", "ООО «Вектор»", "", ""])], "merged cells filled, empty rows dropped"
    assert table.warnings == [("merged", "1 merged cell ranges: each cell took the merged value")]


def test_stream_reads_only_the_rows_taken():
    """The first chunk of a 200,000-row CSV is read without parsing the rest: the rows limit (checked row by
    row) is not reached until the stream goes that far."""
    import itertools

    lines = ["Контактное лицо;Телефон;E-mail"] + [f"Клиент {n};8912{n:07d};c{n}@x.ru" for n in range(200_000)]
    content = "\n".join(lines).encode()
    limits = spreadsheet.Limits(rows=1000)
    table = spreadsheet.read_table(content, "big.csv", limits=limits, stream=True)
    first = list(itertools.islice(table.rows, 500))
    assert first[0] == (2, ["Клиент 0", "89120000000", "c0@x.ru"]) and first[-1][0] == 501
    with pytest.raises(spreadsheet.SpreadsheetError) as info:
        list(table.rows)
    assert info.value.code == "too_many_rows", "the rest is parsed only when taken"
    assert error_code(content, "big.csv", limits=limits) == "too_many_rows"


def test_stream_reports_formulas_once_read():
    content = xlsx([HEADER, ["Иванов", "=B3", "1", "a@b.ru"]])
    table = spreadsheet.read_table(content, "f.xlsx", stream=True)
    with pytest.raises(spreadsheet.SpreadsheetError) as info:
        list(table.rows)
    assert info.value.code == "formula_without_value"
