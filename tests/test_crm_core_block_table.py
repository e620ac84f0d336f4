"""The block table of the duplicate index: what a dict of lists would hold, in flat arrays."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

import conftest

block_table = conftest.load_tool("crm_core", "block_table")


def _as_dict(pairs):
    expected = {}
    for key, number in pairs:
        expected.setdefault(key, []).append(number)
    return expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(0, 2**31 - 2)), max_size=300))
def test_the_table_holds_what_a_dict_of_lists_holds(pairs):
    """Keys chosen from a few values, so that blocks of several cards, colliding slots and growth all occur."""
    table = block_table.BlockTable(capacity=8)
    for key, number in pairs:
        table.add(key, number)
    expected = _as_dict(pairs)
    assert len(table) == len(expected)
    for key in range(1, 41):
        assert list(table.get(key)) == expected.get(key, [])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sets(st.integers(1, 60), max_size=8), max_size=60))
def test_the_keys_of_a_card_are_filed_at_once(cards):
    """``add_all`` files a card under each of its keys as ``add`` would, one key after the other."""
    at_once, one_by_one = block_table.BlockTable(capacity=8), block_table.BlockTable(capacity=8)
    for number, keys in enumerate(cards):
        at_once.add_all(keys, number)
        for key in keys:
            one_by_one.add(key, number)
    assert len(at_once) == len(one_by_one)
    assert all(list(at_once.get(key)) == list(one_by_one.get(key)) for key in range(1, 61))


def test_slots_that_collide_keep_their_own_cards():
    table = block_table.BlockTable(capacity=8)
    keys = [3, 3 + 8, 3 + 16, 4]  # the same slot of 8, and the slot the probing passes through
    for number, key in enumerate(keys):
        table.add(key, number)
    assert [list(table.get(key)) for key in keys] == [[0], [1], [2], [3]]
    assert table.get(3 + 24) == ()


def test_the_table_grows_and_stays_at_most_two_thirds_full():
    rng = random.Random(1)  # noqa: S311 - reproducible test data, not security
    keys = [block_table.table_key(("c", False, "tula", str(rng.random()))) for _n in range(5000)]
    table = block_table.BlockTable()
    for number, key in enumerate(keys):
        table.add(key, number)
        assert len(table) * 3 <= table.capacity * 2
    assert table.capacity == 8192
    assert all(table.get(key) == (number,) for number, key in enumerate(keys))


def test_a_key_is_never_zero_and_fits_a_signed_slot():
    class Zero:
        def __hash__(self):
            return 0

    assert block_table.table_key(Zero()) == 1, "0 marks a free slot"
    assert 0 < block_table.table_key(("e", "o@x.ru")) < 2**31
    assert block_table.table_key(-5) == block_table.KEY_BITS - 4  # a negative hash folds into range
