"""Duplicate keys and grouping of customer cards.

Pure Python (no odoo import), tested by ``tests/test_crm_core_dedup.py``.

Records are plain dicts (``id``, ``name``, ``email``, ``phone``, ``inn``,
``city``, ``is_company``); keys are normalized once, then records are compared
only inside blocks sharing a key (email, phone, INN, name + city, name token
prefix + city) — never all pairs, so 100,000 partners group in seconds.
"""
import difflib
import re
import unicodedata

# Legal forms stripped from organisation names before comparison (RU, UA, EN).
LEGAL_FORMS = frozenset({
    "ооо", "оао", "зао", "пао", "ао", "нао", "ип", "чп", "тоо", "тов", "пп", "фоп", "спд", "прат", "пат",
    "llc", "ltd", "inc", "gmbh", "jsc", "ojsc", "cjsc", "pjsc", "plc", "corp", "co",
})
_QUOTES_RE = re.compile(r"[\"'«»“”„‘’`]")
_NON_WORD_RE = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES_RE = re.compile(r"\s+")
_EMAIL_RE = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
FUZZY_THRESHOLD = 0.85
MAX_BLOCK = 32  # fuzzy comparisons per block are capped: a huge block says nothing


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


_CITY_KEYS = {}


def _city_key(city):
    """Normalized city, memoized: a few hundred cities are shared by 100,000 cards."""
    key = _CITY_KEYS.get(city)
    if key is None:
        if len(_CITY_KEYS) > 10000:
            _CITY_KEYS.clear()
        key = _CITY_KEYS[city] = normalize_text(city)
    return key


def record_keys(record):
    """Normalized keys of one record (dict) — computed once, compared many times."""
    tokens = name_tokens(record.get("name"))
    return {
        "email": normalize_email(record.get("email")),
        "phone": str(record.get("phone") or "").strip(),
        "inn": re.sub(r"\D", "", str(record.get("inn") or "")),
        "tokens": tokens,
        "grams": name_grams(tokens) if tokens else frozenset(),
        "name": " ".join(tokens),
        "city": _city_key(record.get("city") or ""),
        "is_company": bool(record.get("is_company")),
    }


class DuplicateIndex:
    """In-memory index of known cards; ``match`` says which one a new card duplicates.

    Rules, strongest first: same INN (organisations); same email; same phone and
    a similar name; a similar name in the same city — unless both cards carry
    different emails (two people called «Иванов Иван» are not one person).
    """

    def __init__(self, threshold=FUZZY_THRESHOLD):
        self.threshold = threshold
        self.keys = {}
        self.by_inn = {}
        self.by_email = {}
        self.by_phone = {}
        self.by_name_city = {}
        self.blocks = {}
        self.blocks_open = {}  # the same blocks, cards without email only

    def __len__(self):
        return len(self.keys)

    def add(self, ref, record=None, keys=None):
        keys = keys or record_keys(record)
        # kept small (the bigrams are computed again for the few cards compared): 200,000 cards fit
        self.keys[ref] = {"email": keys["email"], "inn": keys["inn"], "name": keys["name"],
                          "tokens": keys["tokens"], "is_company": keys["is_company"]}
        if keys["inn"] and keys["is_company"]:
            self.by_inn.setdefault(keys["inn"], ref)
        if keys["email"]:
            self.by_email.setdefault(keys["email"], ref)
        if keys["phone"]:
            self._append_capped(self.by_phone.setdefault(keys["phone"], []), ref)
        if keys["name"]:
            self._append_capped(self.by_name_city.setdefault((keys["is_company"], keys["city"], keys["name"]), []), ref)
            for block in self._block_keys(keys):
                members = self.blocks.setdefault(block, [])
                if len(members) < MAX_BLOCK:
                    members.append(ref)
                if not keys["email"]:
                    members = self.blocks_open.setdefault(block, [])
                    if len(members) < MAX_BLOCK:
                        members.append(ref)
        return keys

    @staticmethod
    def _append_capped(members, ref):
        if len(members) < MAX_BLOCK:
            members.append(ref)

    @staticmethod
    def _block_keys(keys):
        """Blocks: pairs of 3-letter token prefixes in one city (one token: that prefix alone).

        A typo after the third letter or a missing middle name keeps two cards
        in a shared block; unrelated cards rarely meet.
        """
        blocks = keys.get("blocks")
        if blocks is None:  # computed once per card: it is added, then matched
            prefixes = sorted({token[:3] for token in keys["tokens"] if len(token) >= 2})[:4]
            head = (keys["is_company"], keys["city"])
            if len(prefixes) < 2:
                blocks = {(*head, prefix) for prefix in prefixes}
            else:
                blocks = {(*head, a, b) for i, a in enumerate(prefixes) for b in prefixes[i + 1:]}
            keys["blocks"] = blocks
        return blocks

    @staticmethod
    def _emails_conflict(keys_a, keys_b):
        return bool(keys_a["email"] and keys_b["email"] and keys_a["email"] != keys_b["email"])

    def match(self, record=None, keys=None, exclude=None):
        """Return ``(ref, reason)`` of the first known card ``record`` duplicates, else ``(None, "")``."""
        for ref, reason in self.iter_matches(record, keys):
            if ref != exclude:
                return ref, reason
        return None, ""

    def iter_matches(self, record=None, keys=None):
        keys = keys or record_keys(record)
        if keys["inn"] and keys["is_company"] and keys["inn"] in self.by_inn:
            yield self.by_inn[keys["inn"]], "inn"
        if keys["email"] and keys["email"] in self.by_email:
            ref = self.by_email[keys["email"]]
            if self.keys[ref]["is_company"] == keys["is_company"]:
                yield ref, "email"
        if not keys["name"]:
            return
        for ref in self.by_phone.get(keys["phone"], ()) if keys["phone"] else ():
            other = self.keys[ref]
            if (other["is_company"] == keys["is_company"] and not self._emails_conflict(keys, other)
                    and gram_similarity(keys["grams"], name_grams(other["tokens"])) >= self.threshold):
                yield ref, "phone"
                break
        for ref in self.by_name_city.get((keys["is_company"], keys["city"], keys["name"]), ()):
            if not self._emails_conflict(keys, self.keys[ref]) and not self._inn_conflict(keys, self.keys[ref]):
                yield ref, "name"
                break
        seen = set()
        email, name, grams, inn = keys["email"], keys["name"], keys["grams"], keys["inn"]
        threshold = self.threshold
        # a card with an email is never the fuzzy duplicate of a card with another email, and one with
        # the same email was matched above: only the cards without email are compared
        blocks = self.blocks_open if email else self.blocks
        for block in self._block_keys(keys):
            for ref in blocks.get(block, ()):
                if ref in seen:
                    continue
                seen.add(ref)
                other = self.keys[ref]
                if other["name"] == name or (email and other["email"] and other["email"] != email):
                    continue
                if inn and other["inn"] and inn != other["inn"]:
                    continue
                if gram_similarity(grams, name_grams(other["tokens"])) >= threshold:
                    yield ref, "fuzzy_name"
                    return

    @staticmethod
    def _inn_conflict(keys_a, keys_b):
        return bool(keys_a["inn"] and keys_b["inn"] and keys_a["inn"] != keys_b["inn"])


def find_duplicate_groups(records, threshold=FUZZY_THRESHOLD):
    """Group duplicate records (dicts with an ``id``); returns a list of sorted id lists.

    Each record is compared with the records indexed before it that share a
    block; matches are joined by union-find, so groups are transitive.
    """
    index = DuplicateIndex(threshold)
    union = UnionFind()
    for record in records:
        keys = record_keys(record)
        for ref, _reason in index.iter_matches(keys=keys):
            union.union(ref, record["id"])
        index.add(record["id"], keys=keys)
    return sorted((sorted(group) for group in union.groups()), key=lambda group: group[0])
