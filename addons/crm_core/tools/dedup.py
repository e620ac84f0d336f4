"""Duplicate keys and grouping of customer cards.

Pure Python (no odoo import), tested by ``tests/test_crm_core_dedup.py``.

Records are plain dicts (``id``, ``name``, ``email``, ``phone`` / ``phone_key`` /
``phone_keys``, ``inn``, ``city``, ``company``, ``is_company``); keys are normalized
once (names folded to a Latin skeleton: ``Щукин``, ``Shchukin`` and ``Schukin``
are one), then records are compared only inside blocks sharing a key: email, INN,
and name signatures (a surname's sound and another name's initial) within one
city, one company or one phone. A block is never capped: a big generic block
(5,000 people of one company) is split by the person's name signature, so every
true candidate is compared and 100,000 partners group in seconds.

A first name alone never makes two people the same: a name match needs two
matching names (or a name and the initials), and different first names,
different patronymics, different INNs or different emails at one domain forbid it.
"""
import difflib
import functools
import importlib.util
import pathlib
import re
import sys
import unicodedata

if __package__:
    from . import block_table
else:  # loaded from its file alone by the database-free tests (tests/conftest.py): load the sibling the same way
    _spec = importlib.util.spec_from_file_location(
        "_crm_suite_tools_crm_core_block_table", pathlib.Path(__file__).with_name("block_table.py"))
    block_table = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
    if not hasattr(block_table, "BlockTable"):
        _spec.loader.exec_module(block_table)

# Legal forms stripped from organisation names before comparison (RU, UA, EN).
LEGAL_FORMS = frozenset({
    "ооо", "оао", "зао", "пао", "ао", "нао", "ип", "чп", "тоо", "тов", "пп", "фоп", "спд", "прат", "пат",
    "llc", "ltd", "inc", "gmbh", "jsc", "ojsc", "cjsc", "pjsc", "plc", "corp", "co",
})
_QUOTES_RE = re.compile(r"[\"'«»“”„‘’`]")
_NON_WORD_RE = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES_RE = re.compile(r"\s+")
_EMAIL_RE = re.compile(
    r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
FUZZY_THRESHOLD = 0.85


def clean_spaces(value):
    """Trim and de-double the spaces of a typed name."""
    return _SPACES_RE.sub(" ", str(value or "").replace("\u00a0", " ")).strip()


# Latin letters typed inside Cyrillic words (``Андрiй`` from a cp1251 export, ``Ромашкa``).
_HOMOGLYPHS = str.maketrans("aceiopxykmthb", "асеіорхукмтнв")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")


def _fix_mixed_script(word):
    return word.translate(_HOMOGLYPHS) if _CYRILLIC_RE.search(word) else word


def normalize_text(value):
    """Case-folded, ``ё`` → ``е``, quotes and punctuation removed, Latin look-alikes in
    Cyrillic words replaced, single spaces."""
    text = unicodedata.normalize("NFKC", str(value or "")).casefold().replace("ё", "е")
    text = _QUOTES_RE.sub(" ", text)
    text = _NON_WORD_RE.sub(" ", text)
    if not (_LATIN_RE.search(text) and _CYRILLIC_RE.search(text)):
        return " ".join(text.split())  # one script only: no look-alike to replace
    return " ".join(_fix_mixed_script(word) for word in text.split())


def name_tokens(name):
    """Sorted tokens of a name without legal forms: ``ООО «Ромашка»`` → ``('ромашка',)``."""
    tokens = [t for t in normalize_text(name).split(" ") if t and t not in LEGAL_FORMS]
    return tuple(sorted(tokens))


def name_key(name):
    return " ".join(name_tokens(name))


def normalize_email(value):
    """Lower-cased, trimmed email (``mailto:`` and angle brackets removed)."""
    text = str(value or "")
    previous = None
    while text != previous:  # "<mailto: x@y.ru>", "<<x@y.ru> >": strip until nothing changes
        previous = text
        text = text.strip().strip("<>")
        if text.lower().startswith("mailto:"):
            text = text[7:]
    return text.lower()


def is_valid_email(value):
    return bool(_EMAIL_RE.match(normalize_email(value)))


def name_grams(tokens):
    """Character bigrams of the sorted tokens: the cheap fingerprint fuzzy matching compares."""
    text = " " + " ".join(tokens) + " "
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def gram_similarity(grams_a, grams_b):
    """Dice coefficient of two bigram sets (set operations run in C: fast on blocks)."""
    if not grams_a or not grams_b:
        return 0.0
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))


def name_similarity(tokens_a, tokens_b):
    """Similarity of two token tuples in [0, 1]: bigram overlap or character ratio."""
    if not tokens_a or not tokens_b:
        return 0.0
    if tokens_a == tokens_b:
        return 1.0
    dice = gram_similarity(name_grams(tokens_a), name_grams(tokens_b))
    ratio = difflib.SequenceMatcher(None, " ".join(tokens_a), " ".join(tokens_b)).ratio()
    return max(dice, ratio)


class UnionFind:
    """Disjoint sets over hashable items, with path halving."""

    def __init__(self):
        self.parent = {}

    def find(self, item):
        parent = self.parent.setdefault(item, item)
        while parent != item:
            grand = self.parent.setdefault(parent, parent)
            self.parent[item] = grand
            item, parent = parent, grand
        return item

    def union(self, a, b):
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b, key=str)] = min(root_a, root_b, key=str)
        return root_a != root_b

    def groups(self):
        result = {}
        for item in self.parent:
            result.setdefault(self.find(item), []).append(item)
        return [members for members in result.values() if len(members) > 1]


# ------------------------------------------------------------------ transliteration and name parts
# Cyrillic (ru + uk) to Latin; the Latin spellings are then folded further, so that the
# transliteration systems people use (Shchukin, Schukin; Yevgeniy, Evgenij; Hryhorii, Grigory)
# end on one skeleton.
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "e", "ж": "zh", "з": "z",
    "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ь": "", "ы": "i", "э": "e", "ю": "iu", "я": "ia",
})
_LATIN_FOLDS = (
    ("kh", "h"), ("shch", "S"), ("sch", "S"), ("sh", "S"), ("zh", "Z"), ("tch", "C"), ("ch", "C"),
    ("ts", "C"), ("tz", "C"), ("x", "ks"), ("ph", "f"), ("w", "v"), ("q", "k"), ("c", "k"), ("g", "h"),
    ("yo", "e"), ("y", "i"), ("j", "i"),  # "Pyotr", "Fyodor": ё is typed е
)
_DOUBLE_RE = re.compile(r"([^\d])\1+")  # "Анна" = "Ana"; "00044" stays
_I_BEFORE_VOWEL_RE = re.compile(r"i(?=[aeou])")
_VOWELS_RE = re.compile(r"[aeiou]")
_DIGITS_RE = re.compile(r"\d")
# Legal forms written in full, removed before the one-word forms of LEGAL_FORMS.
_LEGAL_PHRASES_RE = re.compile(
    r"\b(?:общество с ограниченной ответственностью|публичное акционерное общество"
    r"|закрытое акционерное общество|открытое акционерное общество|акционерное общество"
    r"|индивидуальный предприниматель|товариство з обмеженою відповідальністю"
    r"|фізична особа підприємець|limited liability company|joint stock company)\b")
_PATRONYMIC_ENDINGS = ("iC", "vna", "Cna")
_SKELETONS = {}


def latin_skeleton(word):
    """One word folded to a Latin skeleton: ``Щукин``, ``Shchukin``, ``Schukin`` → ``Sukin``."""
    if word.isdigit():
        return word  # a number in a name: nothing to fold, not worth memoizing (100,000 of them)
    skeleton = _SKELETONS.get(word)
    if skeleton is None:
        if len(_SKELETONS) > 200000:
            _SKELETONS.clear()
        text = word.translate(_CYRILLIC_TO_LATIN)
        for latin, folded in _LATIN_FOLDS:
            if latin in text:
                text = text.replace(latin, folded)
        text = _I_BEFORE_VOWEL_RE.sub("", _DOUBLE_RE.sub(r"\1", text))
        skeleton = _SKELETONS[word] = text or word
    return skeleton


def phonetic_key(skeleton):
    """The consonants of a skeleton after its first letter: ``kuzneCova`` → ``kzCv`` (typos in vowels, genders)."""
    return _DOUBLE_RE.sub(r"\1", skeleton[:1] + _VOWELS_RE.sub("", skeleton[1:]))


def name_words(name):
    """The words of a name in their typed order, legal forms (short or in full) removed."""
    text = normalize_text(name)
    if len(text) > 20:
        text = _LEGAL_PHRASES_RE.sub(" ", text)
    return [word for word in text.split(" ") if word and word not in LEGAL_FORMS]


def person_name_parts(name):
    """``(full names, patronymics, initials)`` of a person, as skeletons (initials: one letter each).

    A patronymic is told by its ending (-вич, -вна, -ична; uk -івна) among three full words or
    more; of two such words (``Карпович Иван Петрович``) the one in the middle, else the last.
    """
    words = [latin_skeleton(word) for word in name_words(name)]
    full = [word for word in words if len(word) > 1]
    initials = "".join(word for word in words if len(word) == 1)
    patronymic = None
    if len(full) >= 3:
        candidates = [i for i, word in enumerate(full) if len(word) >= 5 and word.endswith(_PATRONYMIC_ENDINGS)]
        middle = [i for i in candidates if 0 < i < len(full) - 1]
        if candidates:
            patronymic = full.pop((middle or candidates)[-1])
    return tuple(full), (patronymic,) if patronymic else (), initials


def _within_edits(a, b, limit):
    """Levenshtein distance of ``a`` and ``b`` is at most ``limit`` (short words only)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def token_match(a, b):
    """2: the same name; 1: a typo or spelling variant of it; 0: another name.

    A variant starts with the same letter, sounds the same and is one letter away (two in
    long names); ``Иванов``/``Иванова`` and ``Валерий``/``Валерия`` are a man and a woman,
    not a variant.
    """
    if a == b:
        return 2
    if a[0] != b[0] or (a[-1] == "a") != (b[-1] == "a") or len(a) < 3 or len(b) < 3:
        return 0
    if _DIGITS_RE.search(a) or _DIGITS_RE.search(b):
        return 0
    if phonetic_key(a) != phonetic_key(b):
        return 0
    return 1 if _within_edits(a, b, 2 if min(len(a), len(b)) >= 8 else 1) else 0


def name_letter(word):
    """What a name word left over is compared by: its first letter, the initial it stands for. A word
    with digits (a number typed into a name) is never an initial nor a typo of another: it stands for
    itself (``Иванов 1`` is not ``Иванов 123``), and ``Card.signatures`` blocks it alone."""
    return word if _DIGITS_RE.search(word) else word[0]


# Levels of likeness of two person names, from a conflict to the same name.
NAME_CONFLICT, NAME_NONE, NAME_WEAK, NAME_INITIAL, NAME_INITIALS, NAME_FUZZY, NAME_EXACT = range(-1, 6)


def _name_slots(rest_full, rest_patronymics, initials, first_done, patronymic_done):
    """The first-name and patronymic slots left to compare: a word, an initial or None."""
    initials = list(initials)
    first = None
    if not first_done:
        first = rest_full[0] if rest_full else (initials.pop(0) if initials else None)
    second = None
    if not patronymic_done:
        second = rest_patronymics[0] if rest_patronymics else (initials.pop(0) if initials else None)
    return first, second


def person_name_level(parts_a, parts_b):
    """How alike two person names are (``person_name_parts`` of each), in any word order.

    NAME_EXACT / NAME_FUZZY: two names match (surname and first name); NAME_INITIALS: one
    name and both initials; NAME_INITIAL: one name and one initial; NAME_WEAK: one name
    only — never enough; NAME_CONFLICT: two different first names, patronymics or initials.
    """
    full_a, patr_a, init_a = parts_a
    full_b, patr_b, init_b = parts_b
    left_b = [(word, False) for word in full_b] + [(word, True) for word in patr_b]
    pending, rest_a = [], []
    names = patronymic = fuzzy = 0
    for word, is_patr in [(word, False) for word in full_a] + [(word, True) for word in patr_a]:
        for j, (other, other_patr) in enumerate(left_b):
            if other == word:
                del left_b[j]
                if is_patr or other_patr:
                    patronymic += 1
                else:
                    names += 1
                break
        else:
            pending.append((word, is_patr))
    for word, is_patr in pending:
        for j, (other, other_patr) in enumerate(left_b):
            if is_patr == other_patr and token_match(word, other):
                del left_b[j]
                fuzzy += 1
                if is_patr:
                    patronymic += 1
                else:
                    names += 1
                break
        else:
            rest_a.append((word, is_patr))
    rest_full_a = [word for word, is_patr in rest_a if not is_patr]
    rest_full_b = [word for word, is_patr in left_b if not is_patr]
    rest_patr_a = [word for word, is_patr in rest_a if is_patr]
    rest_patr_b = [word for word, is_patr in left_b if is_patr]
    if (rest_full_a and rest_full_b) or (rest_patr_a and rest_patr_b):
        return NAME_CONFLICT
    if not names:
        return NAME_NONE
    slots_a = _name_slots(rest_full_a, rest_patr_a, init_a, names >= 2, patronymic > 0)
    slots_b = _name_slots(rest_full_b, rest_patr_b, init_b, names >= 2, patronymic > 0)
    covered = 0
    for slot_a, slot_b in zip(slots_a, slots_b, strict=True):
        if slot_a is None or slot_b is None:
            continue
        if name_letter(slot_a) != name_letter(slot_b):
            return NAME_CONFLICT
        covered += 1
    if names >= 2:
        if fuzzy or rest_a or left_b or init_a != init_b:
            return NAME_FUZZY
        return NAME_EXACT
    return (NAME_WEAK, NAME_INITIAL, NAME_INITIALS)[min(covered, 2)]


def email_key(email):
    """An email as its mailbox: case, ``+tag`` and (gmail only) dots ignored; ``googlemail`` is gmail."""
    email = normalize_email(email)
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return email
    if "+" in local[1:]:
        local = local[:local.index("+", 1)]
    if domain in ("gmail.com", "googlemail.com"):
        domain = "gmail.com"
        local = local.replace(".", "")
    return f"{local}@{domain}"


def phone_key_set(record):
    """The E.164 keys of a record: ``phone_keys`` (a list), ``phone_key`` or ``phone``."""
    keys = set()
    for value in (*(record.get("phone_keys") or ()), record.get("phone_key"), record.get("phone")):
        value = re.sub(r"[^\d+]", "", str(value or ""))
        if len(value) >= 5:
            keys.add(value)
    return tuple(sorted(keys))


@functools.lru_cache(maxsize=10000)
def _city_key(city):
    """Normalized city, memoized: a few hundred cities are shared by 100,000 cards."""
    return " ".join(latin_skeleton(word) for word in normalize_text(city).split())


def organisation_key(name):
    """Sorted skeleton words of an organisation name: ``ООО «Ромашка»`` = ``Romashka LLC``."""
    return tuple(sorted(latin_skeleton(word) for word in name_words(name)))


@functools.lru_cache(maxsize=100000)
def _company_key(name):
    """``organisation_key`` of a person's company, memoized: one tuple shared by its people in the index."""
    return organisation_key(name)


class Card:
    """What the index keeps of one card (slots: 200,000 cards fit in memory)."""

    __slots__ = ("_phones", "city", "company", "domain", "email", "full", "initials", "inn", "is_company", "org",
                 "patronymics")

    def __init__(self, record):
        self.is_company = bool(record.get("is_company"))
        self.email = email_key(record.get("email"))
        self.domain = sys.intern(self.email.rpartition("@")[2])  # one string per domain in the index
        self.inn = re.sub(r"\D", "", str(record.get("inn") or ""))
        self.city = _city_key(record.get("city") or "")
        phones = phone_key_set(record)
        self._phones = phones[0] if len(phones) == 1 else phones
        if self.is_company:
            self.org = organisation_key(record.get("name"))
            self.company = ()
            self.full, self.patronymics, self.initials = (), (), ""
        else:
            self.org = ()
            self.company = _company_key(record.get("company")) if record.get("company") else ()
            self.full, self.patronymics, self.initials = person_name_parts(record.get("name"))

    @property
    def phones(self):
        """The card's E.164 keys, sorted (a single one is kept as the string itself: 48 bytes less a card)."""
        phones = self._phones
        return (phones,) if type(phones) is str else phones

    def signatures(self):
        """Name signatures: two cards whose names may match share one of them.

        Person: a full name's sound with the first letter of another of its words
        (``Иванов И.`` and ``Иван Иванович Иванов`` share ``(ivnv, i)``); a word with
        digits alone, as it matches only itself (see :func:`name_letter`): ``Иванов Иван
        100123`` is not blocked with every ``Иванов Иван 1…``. Organisation: the sound of
        its single word, or of each pair of its first four words; with numbers in its name,
        the sound of each of its first four other words followed by the numbers, as two
        organisations match only with the same numbers (see :func:`_organisation_level`):
        «Альфа-Трейд 10» is not blocked with every «Альфа-Трейд N» of its city.
        """
        if self.is_company:
            numbers = tuple(sorted({word for word in self.org if word.isdigit()}))
            if numbers:
                words = [word for word in self.org if not word.isdigit()][:4]
                return {(phonetic_key(word), *numbers) for word in words} or {numbers}
            sounds = sorted({phonetic_key(word) for word in self.org[:4]})
            if len(sounds) == 1:
                return {(sounds[0],)}
            return {(a, b) for i, a in enumerate(sounds) for b in sounds[i + 1:]}
        words = [*self.full, *self.patronymics, *self.initials]
        numbers = [bool(_DIGITS_RE.search(word)) for word in words]
        signatures = {(word,) for word, number in zip(words, numbers, strict=True) if number}
        for i, word in enumerate(self.full):
            if numbers[i]:
                continue
            sound = phonetic_key(word)
            for j, other in enumerate(words):
                if j != i and not numbers[j]:
                    signatures.add((sound, other[0]))
        return signatures


# Where a name signature's blocks are indexed and looked up (see record_keys): as they are, or
# tagged as the blocks of people with a number in their name.
_PLAIN, _NUMBERED = ((),), (("#",),)


def record_keys(record):
    """Normalized keys of one record (dict) — computed once, compared many times.

    ``blocks``: the keys the card is indexed under; ``probes``: those looked up to match it. They
    differ for people with a number in their name (``Иванов Иван 100123``): two such people match
    only with a number in common, so they meet in that number's block, and the blocks of their other
    signatures are kept apart (tagged) for the people without a number, who look both up.
    """
    card = Card(record)
    tokens = name_tokens(record.get("name"))
    blocks, probes = set(), set()
    if card.email:
        blocks.add(("e", card.email))
    if card.inn and card.is_company:
        blocks.add(("i", card.inn))
    numbered = not card.is_company and any(_DIGITS_RE.search(word) for word in card.full)
    for signature in card.signatures():
        if card.is_company or len(signature) == 1:  # a person's 1-tuple signature is a number
            indexed, looked_up = _PLAIN, _PLAIN
        elif numbered:
            indexed, looked_up = _NUMBERED, _PLAIN
        else:
            indexed, looked_up = _PLAIN, _PLAIN + _NUMBERED
        # a person of a company matches by name only within it: its city's blocks would never give a match
        families = [("o", card.company, *signature)] if card.company else [("c", card.is_company, card.city,
                                                                            *signature)]
        families += [("p", card.is_company, number, *signature) for number in card.phones]
        for family in families:
            blocks.update(family + tag for tag in indexed)
            probes.update(family + tag for tag in looked_up)
    probes.update(block for block in blocks if block[0] in ("e", "i"))
    return {
        "email": card.email,
        "phone": card.phones[0] if card.phones else "",
        "phones": card.phones,
        "inn": card.inn,
        "tokens": tokens,
        "name": " ".join(tokens),
        "city": card.city,
        "is_company": card.is_company,
        "card": card,
        "blocks": blocks,
        "probes": probes,
    }


# Reasons, strongest first (the import row's "Matched By").
REASONS = ("inn", "email", "phone", "name", "fuzzy_name")


def _organisation_level(a, b, threshold):
    """2: the same organisation name; 1: a similar one; 0: another (numbers differ, or too unlike)."""
    if a.org == b.org:
        return 2 if a.org else 0
    if len(a.org) != len(b.org) or {w for w in a.org if w.isdigit()} != {w for w in b.org if w.isdigit()}:
        return 0  # «Ромашка 1» and «Ромашка 2», «Альфа» and «Альфа Трейд» are other companies
    return 1 if gram_similarity(name_grams(a.org), name_grams(b.org)) >= threshold else 0


def compare_cards(a, b, threshold=FUZZY_THRESHOLD):
    """Why card ``a`` duplicates card ``b`` (one of REASONS), or None.

    Same INN (organisations) or same mailbox; else a shared phone and a similar name;
    else the same name in the same company, or without company in the same city. Different
    INNs forbid any match; for people, so do different emails at one domain
    (colleagues), and any two different emails forbid a match by name alone.
    """
    if a.is_company != b.is_company or (a.inn and b.inn and a.inn != b.inn):
        return None
    if a.is_company and a.inn and a.inn == b.inn:
        return "inn"
    if a.email and a.email == b.email:
        return "email"
    other_email = bool(a.email and b.email)
    shared_phone = bool(a.phones and b.phones and not set(a.phones).isdisjoint(b.phones))
    if a.is_company:
        level = _organisation_level(a, b, threshold)
        if not level or other_email:
            return None
        if shared_phone:
            return "phone"
        if a.city == b.city:
            return "name" if level == 2 else "fuzzy_name"
        return None
    if other_email and a.domain == b.domain:
        return None
    level = person_name_level((a.full, a.patronymics, a.initials), (b.full, b.patronymics, b.initials))
    if shared_phone and level >= NAME_INITIAL:
        return "phone"
    if other_email or level < NAME_INITIALS:
        return None
    # by name alone: both in one company, or both without one in one city
    if a.company != b.company or a.city != b.city and not a.company:
        return None
    return "name" if level == NAME_EXACT else "fuzzy_name"


class DuplicateIndex:
    """In-memory index of known cards; ``match`` says which one a new card duplicates.

    Blocks are never capped: ``comparisons`` counts the pairs compared and
    ``largest_block`` the biggest block met, so the cost is visible, and no
    candidate is ever left out.

    Compact, as 200,000 cards index under well over a million block keys, most of
    them with one card: each card gets a number (``refs[number]`` is its ref, the
    caller's id or placeholder) and ``blocks`` files the numbers under the hash of
    each block key (see :mod:`block_table`). Two keys of one hash share a block:
    more comparisons, never a missed one.
    """

    def __init__(self, threshold=FUZZY_THRESHOLD):
        self.threshold = threshold
        self.refs = []  # card number -> ref
        self.cards = []  # card number -> Card
        self.blocks = block_table.BlockTable()
        self.comparisons = 0
        self.largest_block = 0

    def __len__(self):
        return len(self.cards)

    def add(self, ref, record=None, keys=None):
        """Index a card under ``ref``; returns its keys (see :func:`record_keys`)."""
        keys = keys or record_keys(record)
        self.blocks.add_all({block_table.table_key(block) for block in keys["blocks"]}, len(self.refs))
        self.refs.append(ref)
        self.cards.append(keys["card"])
        return keys

    def block_members(self, block):
        """The refs of the cards indexed under the block key ``block`` (a tuple of ``record_keys``)."""
        return [self.refs[number] for number in self.blocks.get(block_table.table_key(block))]

    def stats(self):
        """Figures of the index: cards, blocks, the largest block and the comparisons made."""
        return {"cards": len(self.cards), "blocks": len(self.blocks), "largest_block": self.largest_block,
                "comparisons": self.comparisons, "dropped": 0}

    def match(self, record=None, keys=None, exclude=None):
        """Return ``(ref, reason)`` of the known card ``record`` duplicates most surely, else ``(None, "")``."""
        for ref, reason in self.iter_matches(record, keys):
            if ref != exclude:
                return ref, reason
        return None, ""

    def iter_matches(self, record=None, keys=None):
        """Every known card ``record`` duplicates, as ``(ref, reason)``, the surest reasons first."""
        keys = keys or record_keys(record)
        card = keys["card"]
        seen = set()
        found = []
        refs, cards, threshold = self.refs, self.cards, self.threshold
        get, table_key = self.blocks.get, block_table.table_key
        for block in keys["probes"]:
            members = get(table_key(block))
            if not members:
                continue
            self.largest_block = max(self.largest_block, len(members))
            for number in members:
                ref = refs[number]
                if ref in seen:
                    continue
                seen.add(ref)
                reason = compare_cards(card, cards[number], threshold)
                if reason:
                    found.append((REASONS.index(reason), len(found), ref, reason))
        self.comparisons += len(seen)
        for _rank, _order, ref, reason in sorted(found):
            yield ref, reason


def find_duplicate_groups(records, threshold=FUZZY_THRESHOLD, index=None):
    """Group duplicate records (dicts with an ``id``); returns a list of sorted id lists.

    Each record is compared with every record indexed before it that shares a
    block; matches are joined by union-find, so groups are transitive. Pass an
    ``index`` to read its ``stats()`` afterwards.
    """
    index = index if index is not None else DuplicateIndex(threshold)
    union = UnionFind()
    members = {}  # root -> ids of its group: a group never holds two cards that conflict
    cards = {}  # id -> Card
    for record in records:
        keys = record_keys(record)
        record_id = record["id"]
        members[record_id] = [record_id]
        cards_of_group = [keys["card"]]
        for ref, _reason in index.iter_matches(keys=keys):
            root, own_root = union.find(ref), union.find(record_id)
            if root == own_root:
                continue
            group = members.get(root, [ref])
            if any(cards_conflict(card, cards[other]) for card in cards_of_group for other in group):
                continue  # «Иванов Иван» may be «Иванов Иван Петрович» or «… Сергеевич», not both
            union.union(ref, record_id)
            merged = members.pop(root, [ref]) + members.pop(own_root, [])
            members[union.find(record_id)] = merged
            cards_of_group = [keys["card"] if member == record_id else cards[member] for member in merged]
        index.add(record_id, keys=keys)
        cards[record_id] = keys["card"]
    return sorted((sorted(group) for group in union.groups()), key=lambda group: group[0])


def cards_conflict(a, b):
    """Two cards that can never be one customer: other kinds, INNs, mailboxes at one domain or names."""
    if a.is_company != b.is_company or (a.inn and b.inn and a.inn != b.inn):
        return True
    if a.is_company:
        return False
    if a.email and b.email and a.domain == b.domain:
        return a.email != b.email  # one mailbox is one person, whatever the names typed
    parts_a, parts_b = (a.full, a.patronymics, a.initials), (b.full, b.patronymics, b.initials)
    return person_name_level(parts_a, parts_b) == NAME_CONFLICT
