"""Property-based tests (Hypothesis) of crm_core's pure tools: arbitrary input never breaks them.

- the spreadsheet reader, given any bytes as .csv, .xlsx or .xls, returns a table
  or raises its own :class:`SpreadsheetError`, nothing else;
- the phone, INN/KPP and duplicate normalizers take any text without raising,
  and normalizing what they return changes nothing (idempotence).
"""
import io
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import conftest

spreadsheet = conftest.load_tool("crm_core", "spreadsheet")
phone = conftest.load_tool("crm_core", "phone")
inn = conftest.load_tool("crm_core", "inn")
dedup = conftest.load_tool("crm_core", "dedup")

# no example database: nothing is written into the working tree
FAST = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# text as people and exports type it: any character, with the ones that break parsers made likely
TEXT = st.text(alphabet=st.one_of(
    st.characters(), st.sampled_from("+()-.,;# \t\n\r\x00\u00a0доб.ext0123456789٣²ⅷ«»ёЁİß")), max_size=60)


def _workbook():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Контактное лицо", "Телефон"])
    workbook.active.append(["Иванов Иван", "89123456789"])
    workbook.active.merge_cells("A3:B4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xls():
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Лист")
    sheet.write(0, 0, "Контактное лицо")
    sheet.write(0, 1, "Телефон")
    sheet.write_merge(1, 2, 0, 0, "Иванов Иван")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WORKBOOK = _workbook()
XLS = _xls()


def _read(content, filename):
    """The only outcomes allowed: a table, or the module's own error with a known code."""
    try:
        table = spreadsheet.read_table(content, filename, limits=spreadsheet.Limits(rows=5000, columns=300))
    except spreadsheet.SpreadsheetError as error:
        assert error.code in spreadsheet.SpreadsheetError.MESSAGES
        assert str(error)
        return None
    assert all(isinstance(value, str) and "\x00" not in value for _number, row in table.rows for value in row)
    return table


def _mutate(content, data):
    """``content`` with a few bytes overwritten, cut or duplicated where Hypothesis chooses."""
    content = bytearray(content)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "repeat"]))
        if action == "flip":
            content[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del content[position:position + data.draw(st.integers(1, 64))]
        else:
            content[position:position] = content[position:position + data.draw(st.integers(1, 64))]
        if not content:
            break
    return bytes(content)


@FAST
@given(st.binary(max_size=2048), st.sampled_from(["c.csv", "c.txt", ""]))
@example(b"a;" + b"x" * 200_000, "c.csv")
@example(b"Name;Phone\n\"unterminated", "c.csv")
@example(b"\xff\xfe\x00", "c.csv")
def test_any_bytes_as_csv(content, filename):
    _read(content, filename)


@FAST
@given(st.binary(max_size=2048), st.sampled_from([b"PK\x03\x04", XLS_MAGIC]))
def test_any_bytes_behind_a_workbook_signature(content, magic):
    _read(magic + content, "c.xlsx" if magic.startswith(b"PK") else "c.xls")


@FAST
@given(st.data())
def test_damaged_xlsx(data):
    _read(_mutate(WORKBOOK, data), "c.xlsx")


@FAST
@given(st.data())
def test_damaged_xls(data):
    _read(_mutate(XLS, data), "c.xls")


@FAST
@given(st.dictionaries(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
                                        "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]),
                       st.binary(max_size=512)))
def test_xlsx_with_arbitrary_parts(parts):
    source, target = zipfile.ZipFile(io.BytesIO(WORKBOOK)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            archive.writestr(item.filename, parts.get(item.filename, source.read(item.filename)))
    _read(target.getvalue(), "c.xlsx")


@settings(FAST, max_examples=100)
@given(st.lists(st.lists(st.one_of(TEXT, st.integers(-10**6, 10**6)), min_size=1, max_size=5), min_size=1,
                max_size=5))
def test_written_workbook_holds_texts_as_text(rows):
    import openpyxl

    content = spreadsheet.write_xlsx("Rejected", rows)
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    for values, cells in zip(rows, sheet.iter_rows(max_col=5), strict=False):
        for value, cell in zip(values, cells, strict=False):
            if isinstance(value, int):
                assert cell.value == value
            else:
                assert cell.data_type in ("s", "inlineStr"), "text, never a formula"
                assert (cell.value or "") == spreadsheet.xlsx_text(value)


# ---------------------------------------------------------------- normalizers
@FAST
@given(TEXT, st.sampled_from(["RU", "UA", "KZ", "US", "", "ZZ"]))
@example("+7 912 345-67-89 доб. 123", "RU")
def test_phone_normalization_is_total_and_idempotent(text, region):
    result = phone.normalize_phone(text, region)
    assert result.status in (phone.STATUS_OK, phone.STATUS_EMPTY, phone.STATUS_NO_AREA_CODE, phone.STATUS_INVALID)
    again = phone.normalize_phone(result.value, region)
    assert again.value == result.value
    assert phone.phone_key(text, region) == result.e164 if result.status == phone.STATUS_OK else True


@FAST
@given(TEXT, st.sampled_from(["RU", "UA", "BY", "KZ", "US", "", "ZZ"]),
       st.sampled_from(["", "Екатеринбург", "Москва", "Минск", "Atlantis", "г. ,/()"]))
@example("+7 912 000-00-00, 8 (343) 000-00-00 доб. 12", "RU", "")
@example("123-45-67; 8 912 345 67 89 или 250-12-34", "KZ", "Алматы")
def test_cell_of_several_phones_is_total_and_idempotent(text, region, city):
    """Every number of a cell normalized; the values stored (joined with ", " like crm_other_phones) give
    the same values again."""
    results = phone.normalize_phones(text, region, city=city)
    assert all(result.status != phone.STATUS_EMPTY for result in results)
    values = [result.value for result in results]
    again = phone.normalize_phones(", ".join(values), region, city=city)
    assert [result.value for result in again] == values
    assert phone.phone_keys(text, region, city=city) == list(dict.fromkeys(
        result.e164 for result in results if result.status == phone.STATUS_OK))



@FAST
@given(TEXT)
@example("7707083893")
@example("RU 7707083893")
def test_inn_and_kpp_checks_are_total(text):
    number = inn.clean_number(text)
    assert inn.clean_number(number) == number
    assert inn.inn_error(text) in ("", inn.INN_NOT_DIGITS, inn.INN_BAD_CHECKSUM, inn.INN_BAD_LENGTH)
    assert inn.kpp_error(text) in ("", inn.KPP_BAD_LENGTH, inn.KPP_BAD_FORMAT)
    assert inn.is_valid_inn(number) == inn.is_valid_inn(text)


@FAST
@given(TEXT)
def test_dedup_normalizers_are_total_and_idempotent(text):
    cleaned = dedup.clean_spaces(text)
    assert dedup.clean_spaces(cleaned) == cleaned
    normalized = dedup.normalize_text(text)
    assert dedup.normalize_text(normalized) == normalized
    tokens = dedup.name_tokens(text)
    assert dedup.name_tokens(" ".join(tokens)) == tokens
    email = dedup.normalize_email(text)
    assert dedup.normalize_email(email) == email
    dedup.is_valid_email(text)
    dedup.record_keys({"name": text, "email": text, "phone": text, "inn": text, "city": text, "is_company": True})


# Found by the properties above, fixed in inn.py and dedup.py.
def test_inn_with_superscript_digits_is_not_digits():
    assert inn.inn_error("²" * 10) == inn.INN_NOT_DIGITS


@pytest.mark.parametrize("text", [" <mailto: X> ", "mailto: x@y.ru", "<<x@y.ru> >"])
def test_email_normalization_is_idempotent(text):
    email = dedup.normalize_email(text)
    assert dedup.normalize_email(email) == email


@settings(FAST, max_examples=100)
@given(st.lists(st.fixed_dictionaries({"id": st.integers(1, 50), "name": TEXT, "city": TEXT, "email": TEXT}),
                max_size=12, unique_by=lambda record: record["id"]))
def test_duplicate_groups_of_any_records(records):
    groups = dedup.find_duplicate_groups(records)
    seen = [member for group in groups for member in group]
    assert len(seen) == len(set(map(str, seen)))
