import random

import conftest

dedup = conftest.load_tool("crm_core", "dedup")


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
    groups = dedup.find_duplicate_groups(records)
    assert [0, 99999] in groups
    index = dedup.DuplicateIndex()
    for record in records:
        index.add(record["id"], record)
    assert max(len(members) for members in index.blocks.values()) <= dedup.MAX_BLOCK, "blocks are capped"


def test_fuzzy_names_compare_cards_without_email_only():
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "Кузнецова Мария Ивановна", "email": "maria@x.ru", "city": "Самара"})
    index.add(2, {"name": "Кузнецова Мария Иванова", "city": "Самара"})
    # a card with an email: matched with a similar name only on a card without email
    assert index.match({"name": "Кузнецова Марія Ивановна", "email": "m.k@x.ru", "city": "Самара"}) == (
        2, "fuzzy_name")
    assert index.match({"name": "Кузнецова Марія Ивановна", "email": "maria@x.ru", "city": "Самара"}) == (
        1, "email")
    assert index.match({"name": "Кузнецова Марія Ивановна", "city": "Самара"})[1] == "fuzzy_name"


def test_index_keeps_small_keys():
    index = dedup.DuplicateIndex()
    keys = index.add(1, {"name": "Орлов Олег", "email": "o@x.ru", "phone": "+79120000000", "city": "Тула"})
    assert "grams" in keys, "the caller keeps its full keys"
    assert set(index.keys[1]) == {"email", "inn", "name", "tokens", "is_company"}, "no bigrams kept per card"
    assert index.match({"name": "Орлов Олег", "phone": "+79120000000"}) == (1, "phone")
