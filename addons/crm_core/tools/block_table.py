"""The blocks of the duplicate index: block hash → the numbers of its cards, in two flat arrays.

Pure Python (no odoo import), tested by ``tests/test_crm_core_block_table.py``.

An import of 100,000 rows into a database of 100,000 partners indexes well over a million blocks,
most of them with one card. In a dict each costs about 62 bytes (the key's int object and the
dict's entry); here a block is one slot of two arrays: its hash in 31 bits and its card's number
(4 bytes each), the table one third to two thirds full — 12 to 24 bytes a block. Slots are found by
linear probing; a block of several cards keeps their numbers in a list, its slot pointing to that
list. Two blocks whose hashes agree in their 31 bits share a slot: among a million blocks a few
hundred pairs do, which costs a few hundred comparisons more and never misses a card.
"""
from array import array

KEY_BITS = (1 << 31) - 1  # a key fits a signed 32-bit slot; 0 marks a free slot


def table_key(value):
    """The key of a hashable ``value`` (a block tuple): its hash in 31 bits, never 0."""
    return hash(value) & KEY_BITS or 1


class BlockTable:
    """Open-addressing hash table: int key (see :func:`table_key`) → card numbers (ints ≥ 0).

    ``members[slot]`` is ``number + 1`` for a block of one card, ``-(i + 1)`` for a block whose
    numbers are ``groups[i]``. Two values of one key share a block: the caller compares more
    cards, it never misses one.
    """

    __slots__ = ("_groups", "_keys", "_mask", "_members", "_used")

    def __init__(self, capacity=1024):
        self._groups = []
        self._used = 0
        self._allocate(max(1 << (max(capacity, 8) - 1).bit_length(), 8))

    def _allocate(self, size):
        self._keys = array("i", bytes(4 * size))
        self._members = array("i", bytes(4 * size))
        self._mask = size - 1

    def __len__(self):
        """The number of blocks (distinct keys)."""
        return self._used

    @property
    def capacity(self):
        return self._mask + 1

    def add(self, key, number):
        """File card ``number`` under ``key``."""
        self.add_all((key,), number)

    def add_all(self, keys_of_card, number):
        """File card ``number`` under each of ``keys_of_card`` (distinct keys)."""
        keys, members, mask, groups = self._keys, self._members, self._mask, self._groups
        for key in keys_of_card:
            slot = key & mask
            while True:  # linear probing, inlined here and in get: both run millions of times in an import
                found = keys[slot]
                if not found:
                    keys[slot] = key
                    members[slot] = number + 1
                    self._used += 1
                    break
                if found == key:
                    member = members[slot]
                    if member > 0:
                        groups.append([member - 1, number])
                        members[slot] = -len(groups)
                    else:
                        groups[-member - 1].append(number)
                    break
                slot = (slot + 1) & mask
            if self._used * 3 > (mask + 1) * 2:
                self._grow()
                keys, members, mask = self._keys, self._members, self._mask

    def get(self, key):
        """The card numbers filed under ``key``, in the order they were added (empty if none)."""
        keys, mask = self._keys, self._mask
        slot = key & mask
        while True:
            found = keys[slot]
            if found == key:
                member = self._members[slot]
                return (member - 1,) if member > 0 else self._groups[-member - 1]
            if not found:
                return ()
            slot = (slot + 1) & mask

    def _grow(self):
        keys, members = self._keys, self._members
        self._allocate(2 * len(keys))
        new_keys, new_members, mask = self._keys, self._members, self._mask
        for key, member in zip(keys, members, strict=True):
            if key:
                slot = key & mask
                while new_keys[slot]:
                    slot = (slot + 1) & mask
                new_keys[slot] = key
                new_members[slot] = member
