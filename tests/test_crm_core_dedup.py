import importlib.util
import random
from pathlib import Path

import pytest

import conftest

dedup = conftest.load_tool("crm_core", "dedup")
_BENCH = Path(__file__).resolve().parents[1] / "scripts" / "bench" / "bench_dedup.py"
_spec = importlib.util.spec_from_file_location("_crm_suite_bench_dedup", _BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_name_normalization():
    assert dedup.name_tokens("ООО «Ромашка»") == ("ромашка",)
    assert dedup.name_key('ЗАО "Альфа-Трейд"') == dedup.name_key("Альфа Трейд ЗАО")
    assert dedup.name_key("Пётр  Сидоров") == "петр сидоров"
    assert dedup.name_key("Alpha Trade LLC") == "alpha trade"
    assert dedup.name_key("ТОВ «Днiпро-Агро»") == dedup.name_key("ТОВ «Дніпро-Агро»"), "Latin i in a Cyrillic word"
    assert dedup.clean_spaces("  Иванов \u00a0 Иван ") == "Иванов Иван"


def test_email():
    assert dedup.normalize_email(" CLIENT1@Mail.Example ") == "client1@mail.example"
    assert dedup.is_valid_email("a.b@example.com")
    assert not dedup.is_valid_email("orlov@@bad")
    assert not dedup.is_valid_email("no-at-sign")


def test_similarity():
    tokens = dedup.name_tokens
    assert dedup.name_similarity(tokens("Кузнецова Мария"), tokens("Кузнецова Марья")) > 0.7
    assert dedup.name_similarity(tokens("Иванов Иван"), tokens("Петров Сергей")) < 0.5


def test_union_find():
    union = dedup.UnionFind()
    union.union(1, 2)
    union.union(3, 4)
    union.union(2, 4)
    union.find(5)
    assert sorted(sorted(g) for g in union.groups()) == [[1, 2, 3, 4]]


def test_groups_by_each_key():
    records = [
        {"id": 1, "name": "ООО «Ромашка»", "inn": "7707083893", "is_company": True},
        {"id": 2, "name": "Ромашка Плюс", "inn": "7707083893", "is_company": True},
        {"id": 3, "name": "Иванов Иван", "email": "a@x.ru", "city": "Москва"},
        {"id": 4, "name": "ИВАНОВ ИВАН", "email": "A@X.RU", "city": "Москва"},
        {"id": 5, "name": "Петров Петр", "phone": "+79120000000", "city": "Казань"},
        {"id": 6, "name": "Петров Пётр", "phone": "+79120000000", "city": "Тула"},
        {"id": 7, "name": "Петрова Анна", "phone": "+79120000000", "city": "Тула"},
        {"id": 8, "name": "Сидоров Павел", "city": "Омск"},
        {"id": 9, "name": "Сидоров Павeл", "city": "Омск"},
        {"id": 10, "name": "Сидоров Павел", "email": "s1@x.ru", "city": "Пермь"},
        {"id": 11, "name": "Сидоров Павел", "email": "s2@x.ru", "city": "Пермь"},
    ]
    assert dedup.find_duplicate_groups(records) == [[1, 2], [3, 4], [5, 6], [8, 9]]


def test_index_match_reports_the_rule():
    index = dedup.DuplicateIndex()
    index.add(10, {"name": "Иванов Иван", "email": "ivan@x.ru", "city": "Москва"})
    assert index.match({"name": "Другой Человек", "email": "IVAN@x.ru"}) == (10, "email")
    assert index.match({"name": "Иванов Иван", "city": "Москва"}) == (10, "name")
    assert index.match({"name": "Иванов Иван", "email": "other@x.ru", "city": "Москва"}) == (None, "")


def test_scales_without_all_pairs():
    rng = random.Random(5)  # noqa: S311 - reproducible test data, not security
    first = ["Иван", "Пётр", "Анна", "Мария", "Ольга", "Сергей", "Дмитрий", "Олена", "Тарас", "Андрій"]
    last = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Орлов", "Шевченко"]
    cities = ["Москва", "Казань", "Тула", "Омск", "Пермь", "Киев"]
    records = [
        {"id": i, "name": f"{rng.choice(last)} {rng.choice(first)} {i % 977}", "email": f"c{i}@x.ru",
         "phone": f"+7912{i:07d}", "city": rng.choice(cities)}
        for i in range(5000)
    ]
    records.append(dict(records[0], id=99999))
    index = dedup.DuplicateIndex()
    groups = dedup.find_duplicate_groups(records, index=index)
    assert [0, 99999] in groups
    assert index.stats()["comparisons"] < 20 * len(records), "compared within blocks, never all pairs"
    assert index.stats()["dropped"] == 0


def test_no_candidate_silently_dropped_in_a_huge_company():
    """5,000 people of one company, one city, ten first names: the one true pair is found, nothing else."""
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not security
    first = ["Иван", "Пётр", "Сергей", "Андрей", "Олег", "Анна", "Мария", "Ольга", "Елена", "Ирина"]
    syllables = ["ка", "ло", "ми", "ре", "ту", "са", "ни", "во", "ген", "дар", "бу", "жи", "пе", "шу", "фа"]
    surnames = set()
    while len(surnames) < 5000:
        surnames.add("".join(rng.choice(syllables) for _n in range(4)).capitalize() + "ов")
    records = [
        {"id": i, "name": f"{surname} {rng.choice(first)}", "company": "ПАО «Газпромсервис»",
         "city": "Москва", "phone": "+74950000000"}
        for i, surname in enumerate(sorted(surnames))
    ]
    surname, first_name = records[4321]["name"].split()
    records.append({"id": 99999, "name": f"{first_name} {surname}", "company": "Газпромсервис ПАО",
                    "city": "Москва"})
    index = dedup.DuplicateIndex()
    groups = dedup.find_duplicate_groups(records, index=index)
    assert [4321, 99999] in groups
    others = [group for group in groups if group != [4321, 99999]]
    for group in others:  # random surnames one vowel apart («Каловов», «Калавов»): a typo, rightly matched
        first_a, first_b = (dedup.latin_skeleton(records[i]["name"].split()[0].lower()) for i in group)
        assert dedup.token_match(first_a, first_b) == 1, group
    assert index.stats()["largest_block"] < 100, "the company's block is split by the person's name"
    assert index.stats()["dropped"] == 0
    assert index.match(records[4321]) == (4321, "phone")


def test_first_name_alone_never_makes_two_people_the_same():
    records = [
        {"id": i, "name": name, "company": company, "city": "Москва", "email": email}
        for i, (name, company, email) in enumerate([
            ("Иван", "ООО Ромашка", ""), ("Иван", "ООО Ромашка", ""),  # a CRM export with only Имя mapped
            ("Иван Петров", "ООО Ромашка", ""), ("Иван Сидоров", "ООО Ромашка", ""),  # other surnames
            ("Петров", "ООО Ромашка", ""), ("Петров Иван", "Альфа", ""),  # a surname alone; another company
            ("Иванов Иван Петрович", "", ""), ("Иванов Иван Сергеевич", "", ""),  # other patronymics
            ("Кузнецов Андрей", "", "a@firm.ru"), ("Кузнецов Андрей", "", "b@firm.ru"),  # colleagues' mailboxes
            ("Орлов Олег", "", ""), ("Орлова Ольга", "", ""),  # a man and a woman
        ])
    ]
    assert dedup.find_duplicate_groups(records) == []


def test_transliteration_folds_to_one_skeleton():
    skeleton = dedup.latin_skeleton
    assert skeleton("щукин") == skeleton("shchukin") == skeleton("schukin")
    assert skeleton("иванов") == skeleton("ivanov")
    assert skeleton("евгений") == skeleton("yevgeniy") == skeleton("evgenij")
    assert skeleton("григорій") == skeleton("hryhorii") == skeleton("grigoriy")
    assert skeleton("юлия") == skeleton("yulia") == skeleton("julia")
    assert skeleton("хабибуллин") == skeleton("khabibullin") == skeleton("habibullin")
    assert skeleton("олександр") == skeleton("oleksandr") == skeleton("olexandr")
    assert skeleton("щукин") != skeleton("жуков")
    assert skeleton("трэйд") == skeleton("трейд") == skeleton("treid")
    assert skeleton("пётр") == skeleton("pyotr") == skeleton("petr")
    assert skeleton("анна00044") == "ana00044"


@pytest.mark.parametrize(("typed", "known", "reason"), [
    ("Shchukin Sergey", "Щукин Сергей", "name"),  # transliteration
    ("Schukin Sergei", "Щукин Сергей", "name"),
    ("Сергей Щукин", "Щукин Сергей", "name"),  # swapped first and last names
    ("Щукин Сергей", "Щукин Сергей Петрович", "fuzzy_name"),  # a patronymic missing
    ("Щукин С. П.", "Сергей Петрович Щукин", "fuzzy_name"),  # initials
    ("Щукин Сергей Пeтрович", "Щукин Сергей Петрович", "name"),  # a Latin e typed in Cyrillic
    ("Щукина Марья", "Щукина Мария", "name"),
    ("Щукин Сирегей", "Щукин Сергей", None),  # two letters away in a short name: another name
])
def test_person_name_variations(typed, known, reason):
    index = dedup.DuplicateIndex()
    index.add(1, {"name": known, "city": "Тула"})
    assert index.match({"name": typed, "city": "Тула"}) == ((1, reason) if reason else (None, ""))


def test_initials_and_phone():
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "Иван Иванович Иванов", "phone_keys": ["+79120000001", "+74951234567"]})
    assert index.match({"name": "И. Иванов", "phone_key": "+74951234567"}) == (1, "phone")
    assert index.match({"name": "И. И. Иванов", "phone": "+7 912 000-00-01"}) == (1, "phone")
    assert index.match({"name": "П. Иванов", "phone_key": "+74951234567"}) == (None, ""), "another initial"
    assert index.match({"name": "Иван", "phone_key": "+74951234567"}) == (None, ""), "a first name alone"
    assert index.match({"name": "И. И. Иванов"}) == (1, "fuzzy_name"), "both initials, same (empty) city"
    assert index.match({"name": "И. Иванов"}) == (None, ""), "one initial and no contact: not enough"


def test_organisation_forms_and_quotes():
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "ООО «Ромашка-Трейд»", "is_company": True, "city": "Москва"})
    for typed in ('Ромашка Трейд LLC', 'ТОВ "Ромашка-Трейд"', "АО 'Ромашка Трейд'", "ПАО Ромашка-Трейд",
                  "Romashka-Treid Ltd", "Общество с ограниченной ответственностью «Ромашка Трейд»"):
        assert index.match({"name": typed, "is_company": True, "city": "Москва"}) == (1, "name"), typed
    assert index.match({"name": "ИП Ромошка Трейд", "is_company": True, "city": "Москва"}) == (1, "fuzzy_name")
    assert index.match({"name": "Ромашка-Трейд", "is_company": True, "city": "Казань"}) == (None, "")
    assert index.match({"name": "Ромашка-Трейд 2", "is_company": True, "city": "Москва"}) == (None, "")
    assert index.match({"name": "ООО Ромашка-Трейд", "is_company": False, "city": "Москва"}) == (None, "")
    index.add(2, {"name": "ООО Альфа", "is_company": True, "inn": "7707083893", "city": "Омск"})
    assert index.match({"name": "Альфа", "is_company": True, "inn": "7707083894", "city": "Омск"}) == (
        None, ""), "different INNs"
    assert index.match({"name": "Совсем другое", "is_company": True, "inn": "7707083893"}) == (2, "inn")


def test_email_aliases():
    assert dedup.email_key("Ivan.Petrov+crm@GMail.com") == "ivanpetrov@gmail.com"
    assert dedup.email_key("ivanpetrov@googlemail.com") == "ivanpetrov@gmail.com"
    assert dedup.email_key("ivan.petrov+news@firm.ru") == "ivan.petrov@firm.ru", "dots kept outside gmail"
    assert dedup.email_key("+x@firm.ru") == "+x@firm.ru"
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "Петров Иван", "email": "ivan.petrov@gmail.com"})
    assert index.match({"name": "Ivan Petrov", "email": "I.V.A.N.Petrov+shop@googlemail.com"}) == (1, "email")


def test_generated_set_recall_and_precision():
    records, variations = bench.generate(6000, seed=3)
    assert set(variations) >= {"translit", "initials", "swap", "form", "quotes", "alias", "second_phone"}
    groups = dedup.find_duplicate_groups(records)
    recall, precision, pairs_true, _found = bench.score(records, groups)
    assert pairs_true > 2000
    assert recall >= 0.99
    assert precision >= 0.99


def test_fuzzy_names_compare_cards_without_email_only():
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "Кузнецова Мария Ивановна", "email": "maria@x.ru", "city": "Самара"})
    index.add(2, {"name": "Кузнецова Мария Иванова", "city": "Самара"})
    # a card with an email: matched with a similar name only on a card without email
    assert index.match({"name": "Кузнецова Марія Ивановна", "email": "m.k@x.ru", "city": "Самара"}) == (
        2, "fuzzy_name")
    assert index.match({"name": "Кузнецова Марія Ивановна", "email": "maria@x.ru", "city": "Самара"}) == (
        1, "email")
    assert index.match({"name": "Кузнецова Марія Ивановна", "city": "Самара"}) == (1, "name")


def test_index_keeps_small_keys():
    index = dedup.DuplicateIndex()
    keys = index.add(1, {"name": "Орлов Олег", "email": "o@x.ru", "phone": "+79120000000", "city": "Тула"})
    assert "blocks" in keys, "the caller keeps its full keys"
    assert index.refs == [1]
    assert isinstance(index.cards[0], dedup.Card) and not hasattr(index.cards[0], "__dict__"), "slots only"
    assert index.cards[0].phones == ("+79120000000",) and index.cards[0]._phones == "+79120000000", "one phone unboxed"
    assert dedup.Card({"phone_keys": ["+79120000001", "+79120000000"]}).phones == ("+79120000000", "+79120000001")
    assert dedup.Card({"name": "Орлов"}).phones == ()
    assert index.match({"name": "Орлов Олег", "phone": "+79120000000"}) == (1, "phone")
