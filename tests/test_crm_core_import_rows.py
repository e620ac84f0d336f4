"""The customer import's rows without a database: normalization, then the duplicate decision."""
from collections import Counter

import pytest

import conftest

import_rows = conftest.load_tool("crm_core", "import_rows")

COLUMNS = ["ФИО", "Организация", "ИНН", "Телефон", "Телефон 2", "E-mail", "E-mail 2", "Город", "Страна", "Менеджер"]
MAPPING = {"name": [0], "company": [1], "inn": [2], "phone": [3, 4], "email": [5, 6], "city": [7],
           "country": [8], "user": [9]}


class FakeLookups(import_rows.Lookups):
    """English texts, one known country (Kazakhstan) and one known salesperson."""

    def country_id(self, name):
        return 7 if name and name.casefold() in ("казахстан", "kz") else False

    def country_code(self, country_id):
        return {7: "KZ"}.get(country_id, "")

    def salesperson_id(self, name, warnings):
        if not name:
            return False
        if name == "Анна Смирнова":
            return 42
        warnings.append(f"Salesperson {name}: no such user, left empty")
        return False


def row(name="", company="", inn="", phone="", phone2="", email="", email2="", city="", country="", user=""):
    return [name, company, inn, phone, phone2, email, email2, city, country, user]


def normalize(values, strict=False):
    return import_rows.normalize_row(MAPPING, values, "RU", FakeLookups(), strict_identifiers=strict)


def test_mapped_values_join_phones_and_keep_every_email():
    get = import_rows.mapped_values(MAPPING, row(name=" Иванов ", phone="8 912 123 45 67", phone2="8 912 123 45 67",
                                                 email="a@example.com", email2="b@example.com"))
    assert get["name"] == "Иванов"
    assert get["phone"] == "8 912 123 45 67", "the same number in two columns once"
    assert (get["email"], get["email_others"]) == ("a@example.com", ["b@example.com"])
    short = import_rows.mapped_values({"name": [0], "city": [12]}, ["Петров"])
    assert short["city"] == "", "a column past the end of a short row is empty"


def test_normalize_row_values_and_warnings_in_order():
    norm, warnings, reject = normalize(row(
        name="  Иванов   Иван ", company="ООО «Ромашка»", inn="7707083893", phone="+7 912 123-45-67, 8 (495) 123-45-67",
        email=" IVANOV@Example.COM ", email2="ivan@example.com", city="Москва", user="Пётр Неизвестный"))
    assert reject == []
    assert (norm["name"], norm["company"], norm["city"]) == ("Иванов Иван", "ООО «Ромашка»", "Москва")
    assert norm["email"] == "ivanov@example.com"
    assert norm["comment"] == "Other e-mails: ivan@example.com", "the other e-mails are kept in the notes"
    assert (norm["phone"], norm["phone_other"]) == ("+79121234567", ["+74951234567"])
    assert (norm["phone_key"], norm["phone_keys"]) == ("+79121234567", ["+79121234567", "+74951234567"])
    assert (norm["inn"], norm["inn_typed"], norm["kpp"]) == ("7707083893", "7707083893", "")
    assert norm["user_id"] is False
    assert warnings == ["Salesperson Пётр Неизвестный: no such user, left empty"]
    assert list(norm)[:11] == ["name", "company", "function", "city", "street", "zip", "country", "website",
                               "comment", "tags", "vat"], "the order the row log shows them in"


def test_name_from_its_parts():
    norm, _warnings, reject = import_rows.normalize_row(
        {"name_first": [0], "name_last": [1], "name_middle": [2]}, ["Иван", "Иванов", "Иванович"], "RU",
        import_rows.Lookups())
    assert reject == []
    assert norm["name"] == "Иванов Иван Иванович", "as Russians write it"


def test_rejections():
    _norm, _warnings, reject = normalize(row(phone="+79121234567"))
    assert reject == [("no_name", "No contact name and no organisation")]
    norm, _warnings, reject = normalize(row(name="Орлов", email="orlov@@bad"))
    assert reject == [("email", "Invalid email orlov@@bad")]
    assert norm["email"] == ""


@pytest.mark.parametrize("strict", [False, True])
def test_invalid_inn_is_a_warning_or_a_rejection(strict):
    norm, warnings, reject = normalize(row(company="ООО Альфа", inn="7707083890"), strict=strict)
    message = "INN 7707083890: INN checksum does not match"
    assert (norm["inn"], norm["inn_typed"]) == ("", "7707083890"), "left out of the card, kept in the log"
    assert (reject, warnings) == (([("inn", message)], []) if strict else ([], [message]))


def test_phone_flags_and_the_row_country():
    norm, warnings, _reject = normalize(row(name="Сидоров", phone="123"))
    assert norm["phone"] == "123" and norm["phone_keys"] == [], "kept as typed, never a duplicate key"
    assert norm["phone_flag"] and warnings == [f"Phone 123: {norm['phone_flag']}"]
    norm, warnings, _reject = normalize(row(name="Новиков", phone="223-45-67", city="Новосибирск"))
    assert (norm["phone"], norm["phone_inferred"]) == ("+73832234567", True)
    assert warnings == ["Phone 223-45-67: area code 383 inferred from Новосибирск"]
    norm, warnings, _reject = normalize(row(name="Морозов", phone="123-45-67", city="Москва"))
    assert warnings == ["Phone 123-45-67: no area code, Москва has several (496, 499): kept as typed"]
    norm, _warnings, _reject = normalize(row(name="Нурланов", phone="8 701 123 45 67", country="Казахстан"))
    assert norm["phone_key"] == "+77011234567", "the row's country is the region of its numbers"


def _decide(run, number, values, policy="skip"):
    norm, warnings, reject = normalize(values)
    result = import_rows.row_result(number, COLUMNS, values, norm, warnings)
    return result, run.decide(result, norm, reject, policy)


def test_decide_new_cards_and_duplicates_within_the_file():
    run = import_rows.ImportRun()
    org_ref, person_ref = import_rows.placeholder(2, "org"), import_rows.placeholder(2, "person")
    first, actions = _decide(run, 2, row(name="Иванов Иван", company="ООО Ромашка", email="ivanov@example.com"))
    assert actions == [("org", "create", org_ref), ("person", "create", person_ref)]
    assert (first["decision"], first["partner_ref"], first["org_ref"]) == ("created", person_ref, org_ref)
    again, actions = _decide(run, 3, row(name="Иванов Иван", company="ООО Ромашка", email="ivanov@example.com"))
    assert actions == [("person", "skip", person_ref)], "the organisation is the one row 2 creates"
    assert (again["decision"], again["duplicate_ref"], again["match_reason"], again["org_ref"]) == (
        "skipped", person_ref, "email", org_ref)
    run.ref_ids.update({org_ref: 10, person_ref: 11})
    run.finish([first, again])
    assert (first["partner_id"], first["duplicate_of_id"], first["duplicate_row"]) == (11, False, 0)
    assert (again["partner_id"], again["duplicate_of_id"], again["duplicate_row"]) == (False, 11, 2)


@pytest.mark.parametrize(("policy", "action", "decision"), [
    ("skip", "skip", "skipped"), ("fill", "update", "skipped"), ("overwrite", "update", "skipped"),
    ("create", "create", "created")])
def test_decide_policies_on_an_existing_card(policy, action, decision):
    run = import_rows.ImportRun()
    run.add_existing([(5, "Петров Пётр", "petrov@example.com", "+79121234567", False, "Москва", False, None, ""),
                      (9, "ООО Вектор", False, False, "7707083893", "Москва", True, None, "+74951234567 ext. 5")])
    assert run.last_partner_id == 9
    result, actions = _decide(run, 4, row(name="Петров Пётр", email="petrov@example.com"), policy)
    expected_ref = import_rows.placeholder(4, "dup") if policy == "create" else 5
    assert actions == [("person", action, expected_ref)]
    assert (result["decision"], result["duplicate_ref"], result["match_reason"]) == (decision, 5, "email")
    org, actions = _decide(run, 5, row(company="Вектор", inn="7707083893"), policy)
    if policy == "create":
        assert actions == [("org", "create", import_rows.placeholder(5, "org"))], "an organisation alone is created"
        assert org["duplicate_ref"] is None
    else:
        assert actions == [("org", action, 9)]
        assert (org["duplicate_ref"], org["match_reason"]) == (9, "inn")
    by_other_phone, _actions = _decide(run, 6, row(company="Вектор", phone="+7 495 123-45-67"), "skip")
    assert by_other_phone["duplicate_ref"] == 9, "the other phones of a card are duplicate keys too"


def test_placeholders_are_negative_and_give_back_their_row():
    refs = {(row_number, role): import_rows.placeholder(row_number, role)
            for row_number in (2, 3, 100001) for role in import_rows.ROLES}
    assert len(set(refs.values())) == len(refs), "one placeholder per row and role"
    assert all(import_rows.is_placeholder(ref) and import_rows.placeholder_row(ref) == row_number
               for (row_number, _role), ref in refs.items())
    assert not any(import_rows.is_placeholder(ref) for ref in (None, 1, 7))
    run = import_rows.ImportRun()
    run.ref_ids[refs[2, "org"]] = 10
    assert [run.resolve(ref) for ref in (refs[2, "org"], refs[2, "person"], 7, None)] == [10, False, 7, False]


def test_rejected_row_is_decided_without_action():
    run = import_rows.ImportRun()
    result, actions = _decide(run, 2, row(email="orlov@@bad"))
    assert actions == []
    assert result["decision"] == "rejected"
    assert result["warnings"] == ["No contact name and no organisation", "Invalid email orlov@@bad"]
    assert result["reject_codes"] == ["no_name", "email"]
    assert len(run.index) == 0


def test_existing_cards_created_by_the_run_are_not_indexed_twice():
    run = import_rows.ImportRun()
    _decide(run, 2, row(name="Иванов Иван", email="ivanov@example.com"))
    run.ref_ids[import_rows.placeholder(2, "person")] = 12
    run.add_existing([(12, "Иванов Иван", "ivanov@example.com", False, False, "", False, None, None)])
    assert (len(run.index), run.last_partner_id) == (1, 12)


def test_count_preview():
    run = import_rows.ImportRun()
    run.add_existing([(5, "Петров Пётр", "petrov@example.com", False, False, "", False, None, None)])
    results = [_decide(run, number, values)[0] for number, values in enumerate([
        row(name="Иванов Иван", email="ivanov@example.com"), row(name="Иванов Иван", email="ivanov@example.com"),
        row(name="Петров Пётр", email="petrov@example.com"), row(email="bad@@mail")], start=2)]
    totals, reasons = Counter(), Counter()
    import_rows.count_preview(results, totals, reasons)
    assert (totals["rows"], totals["created"], totals["skipped"], totals["rejected"]) == (4, 1, 2, 1)
    assert (totals["file_duplicate"], totals["existing_duplicate"]) == (1, 1)
    assert reasons == Counter({"no_name": 1, "email": 1})
