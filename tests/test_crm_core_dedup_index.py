"""The duplicate index at scale: compact blocks, numbers in names, no candidate dropped."""
import itertools
import random
import tracemalloc

import conftest

dedup = conftest.load_tool("crm_core", "dedup")

LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Орлов", "Шевченко"]
FIRST = ["Иван", "Пётр", "Анна", "Мария", "Ольга", "Сергей", "Андрій", "Алексей"]
CITIES = ["Москва", "Казань", "Тула"]


def _numbered_people(count, start=0):
    """People named as the import benchmark names them: a few names, each with a number of its own."""
    return [{"name": f"{LAST[i % len(LAST)]} {FIRST[(i // 7) % len(FIRST)]} {100000 + i}",
             "email": f"c{i}@bench.example", "city": CITIES[i % len(CITIES)]} for i in range(start, start + count)]


def _comparisons_per_card(records):
    """Comparisons per card of indexing ``records`` one after the other, none a duplicate of another."""
    index = dedup.DuplicateIndex()
    for i, record in enumerate(records):
        assert index.match(record) == (None, "")
        index.add(i, record)
    return index.stats()["comparisons"] / len(records)


def test_numbers_in_names_keep_the_comparisons_per_card_flat():
    """«Иванов Иван 100123» is not compared with every «Иванов Иван 1…»: the cost of a card does not grow
    with the number of cards (it did: all numbers of a 100,000-row sheet start with 1)."""
    small, large = _comparisons_per_card(_numbered_people(1000)), _comparisons_per_card(_numbered_people(8000))
    assert large < 1.5 * small + 1, (small, large)


def test_a_number_in_a_name_matches_itself_only():
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "Иванов Иван 100123", "city": "Тула"})
    index.add(2, {"name": "Иванов 1", "city": "Тула"})
    assert index.match({"name": "Иван Иванов 100123", "city": "Тула"}) == (1, "name")
    assert index.match({"name": "Иванов Иван", "city": "Тула"}) == (1, "fuzzy_name"), "the number left out"
    assert index.match({"name": "Иванов Иван 100124", "city": "Тула"}) == (None, "")
    assert index.match({"name": "Иванов 123", "city": "Тула"}) == (None, ""), "a digit is not an initial"
    reverse = dedup.DuplicateIndex()
    reverse.add(3, {"name": "Иванов Иван", "city": "Тула"})
    assert reverse.match({"name": "Иванов Иван 100123", "city": "Тула"}) == (3, "fuzzy_name")


def test_blocks_hold_card_numbers():
    index = dedup.DuplicateIndex()
    keys = index.add(1, {"name": "Орлов Олег", "email": "o@x.ru", "city": "Тула"})
    index.add(2, {"name": "Орлов Олег", "email": "oleg@y.ru", "city": "Тула"})
    table_key = dedup.block_table.table_key
    assert index.blocks.get(table_key(("e", "o@x.ru"))) == (0,), "a block of one card holds its number"
    assert index.blocks.get(table_key(("c", False, "tula", "olh", "o"))) == [0, 1]
    assert index.block_members(("c", False, "tula", "olh", "o")) == [1, 2]
    assert index.block_members(("e", "nobody@x.ru")) == []
    assert ("e", "o@x.ru") in keys["blocks"], "the caller still gets the block keys themselves"
    placeholder = -22  # the import's refs of cards not created yet are negative (import_rows.placeholder)
    index.add(placeholder, {"name": "Седов Пётр", "email": "s@x.ru"})
    assert index.block_members(("e", "s@x.ru")) == [placeholder]
    assert index.match({"name": "Седов Пётр", "email": "S@x.ru"}) == (placeholder, "email")


def test_a_person_of_a_company_is_not_blocked_by_city():
    """Without a company of its own, a person matches a person of a company by phone or e-mail only
    (by name, only within one company): the city's name blocks hold the people without a company."""
    index = dedup.DuplicateIndex()
    keys = index.add(1, {"name": "Орлов Олег", "city": "Тула", "company": "ООО Альфа", "phone": "+79120000001"})
    assert not any(block[0] == "c" for block in keys["blocks"])
    assert index.match({"name": "Орлов Олег", "city": "Тула"}) == (None, "")
    assert index.match({"name": "Орлов Олег", "city": "Тула", "phone": "+79120000001"}) == (1, "phone")
    assert index.match({"name": "Олег Орлов", "city": "Омск", "company": "Альфа LLC"}) == (1, "name")


def test_a_shared_hash_only_adds_comparisons():
    """Two block keys of one hash share a block: the cards are compared, and only true duplicates match."""
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "Орлов Олег", "email": "o@x.ru", "city": "Тула"})
    # as if ("e", "p@x.ru") had the hash of a block of card 1
    index.blocks.add(dedup.block_table.table_key(("e", "p@x.ru")), 0)
    assert index.match({"name": "Петров Пётр", "email": "p@x.ru", "city": "Тула"}) == (None, "")
    assert index.stats()["comparisons"] == 1


def test_every_matching_pair_shares_a_block():
    """All pairs compared one by one against the index: any pair ``compare_cards`` matches is found,
    in either order (numbers, initials, digit initials, swapped names, patronymics, phones)."""
    rng = random.Random(3)  # noqa: S311 - reproducible test data, not security
    parts = ["Иванов", "Иван", "Иванович", "И.", "И. И.", "1", "12", "123", "Петров", "П.", "Пётр"]
    records = []
    for _n in range(300):
        words = rng.sample(parts, rng.randint(1, 3))
        records.append({"name": " ".join(words), "city": rng.choice(["Тула", ""]),
                        "phone": rng.choice(["", "+79120000001"]), "company": rng.choice(["", "ООО Альфа"])})
    cards = [dedup.record_keys(record)["card"] for record in records]
    for first, second in itertools.permutations(range(len(records)), 2):
        reason = dedup.compare_cards(cards[second], cards[first])
        if not reason:
            continue
        index = dedup.DuplicateIndex()
        index.add(first, records[first])
        assert (first, reason) in list(index.iter_matches(records[second])), (records[first], records[second])


def _numbered_organisations(count):
    """Organisations as an export from 1C names branches and franchises: a few names, numbered."""
    names = ["Альфа-Трейд", "Северсталь-Сервис", "Ромашка", "Торговый дом Вектор Плюс"]
    forms = ["ООО", "ЗАО", "АО"]
    return [{"name": f"{forms[i % len(forms)]} «{names[i % len(names)]} {i}»", "city": CITIES[i % len(CITIES)],
             "is_company": True} for i in range(count)]


def test_numbers_in_organisation_names_keep_the_comparisons_per_card_flat():
    """«Альфа-Трейд 10» is not compared with every «Альфа-Трейд N» of its city (it was: the pair of its
    two words blocked them all together, and a 100,000-row import slowed down row after row)."""
    small = _comparisons_per_card(_numbered_organisations(1000))
    large = _comparisons_per_card(_numbered_organisations(8000))
    assert large < 1.5 * small + 1, (small, large)


def test_organisations_with_numbers_still_match():
    index = dedup.DuplicateIndex()
    index.add(1, {"name": "ООО «Альфа-Трейд 10»", "city": "Тула", "is_company": True})
    index.add(2, {"name": "10", "city": "Тула", "is_company": True})
    assert index.match({"name": "Альфа Трейд 10", "city": "Тула", "is_company": True}) == (1, "name")
    assert index.match({"name": "ЗАО Алфа-Трэйд 10", "city": "Тула", "is_company": True}) == (1, "name")
    assert index.match({"name": "ЗАО Альфа-Трейт 10", "city": "Тула", "is_company": True}) == (1, "fuzzy_name")
    assert index.match({"name": "ООО «Альфа-Трейд 11»", "city": "Тула", "is_company": True}) == (None, "")
    assert index.match({"name": "Альфа-Трейд", "city": "Тула", "is_company": True}) == (None, "")
    assert index.match({"name": "ООО 10", "city": "Тула", "is_company": True}) == (2, "name")


def test_every_matching_pair_of_organisations_shares_a_block():
    """As for people: any two organisations ``compare_cards`` matches meet in a block, numbers or not."""
    rng = random.Random(5)  # noqa: S311 - reproducible test data, not security
    parts = ["Альфа", "Трейд", "Трейт", "Вектор", "Плюс", "10", "11", "100", "1100", "ООО"]
    records = [{"name": " ".join(rng.sample(parts, rng.randint(1, 4))), "city": "Тула", "is_company": True,
                "phone": rng.choice(["", "+74872000001"])} for _n in range(250)]
    cards = [dedup.record_keys(record)["card"] for record in records]
    matched = 0
    for first, second in itertools.permutations(range(len(records)), 2):
        reason = dedup.compare_cards(cards[second], cards[first])
        if not reason:
            continue
        matched += 1
        index = dedup.DuplicateIndex()
        index.add(first, records[first])
        assert (first, reason) in list(index.iter_matches(records[second])), (records[first], records[second])
    assert matched > 100, "the sample has matching pairs, typos and numbers among them"


def test_index_memory_per_card():
    """What the index adds for 4,000 cards (a third of them people of a company, with a phone), besides
    the cards themselves: 841 bytes a card with blocks keyed by tuple and a list per block, 380 with a
    dict keyed by the blocks' hashes, about 165 with the block table."""
    records = _numbered_people(4000)
    for record in records[::3]:
        record["company"] = f"ООО «Ромашка {hash(record['name']) % 50}»"
        record["phone"] = f"+7912{abs(hash(record['name'])) % 10000000:07d}"
    keys = [dedup.record_keys(record) for record in records]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = dedup.DuplicateIndex()
        for i, record_keys in enumerate(keys):
            index.add(i, keys=record_keys)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(index) == len(records)
    assert held / len(records) < 250, f"{held / len(records):.0f} bytes per card"
