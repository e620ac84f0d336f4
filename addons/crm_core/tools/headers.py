"""Recognising the columns of a customer list from their header words (Russian, Ukrainian, English).

Pure Python (no odoo import), tested by ``tests/test_crm_core_headers.py``.

Real exports seldom use bare labels: ``ИНН контрагента``, ``Телефон контактного
лица``, ``Юр. адрес``, ``Рабочий e-mail``. A header is cut into words, each word
is reduced to a stem (suffix stripping is enough for column names), and the
stems are matched against the phrases of each target:

* a *field* phrase names what the column holds (``инн``, ``телефон``, ``адрес``);
* an *owner* phrase names whose it is (``контрагент``, ``контактное лицо``): alone
  it names the organisation or the person; next to a field word it only says
  whose the field is and does not compete with it (``ИНН контрагента`` → inn);
* *modifier* words (``рабочий``, ``основной``, ``полное``, ``юр.``) are understood
  and ignored.

The confidence (0–1) is the weight of the best phrase, lowered by the words
nobody understood and by a close second target; a column below
:data:`MIN_CONFIDENCE` is left unmapped with its candidates listed.
"""
import re
from dataclasses import dataclass, field

MIN_CONFIDENCE = 0.5  # below it a column is left for the user to choose
AMBIGUITY_MARGIN = 0.15  # a second target this close makes the column ambiguous
# targets that may come from several columns (all of them are read)
MULTI_TARGETS = frozenset({"phone", "email"})
NAME_PARTS = ("name_last", "name_first", "name_middle")  # the order Russians write a full name in

# Ordered longest first: the first suffix leaving a stem of at least 3 letters is stripped.
_SUFFIXES = tuple(sorted({
    # Russian adjectives and nouns
    "ого", "его", "ому", "ему", "ыми", "ими", "ых", "их", "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие",
    "ую", "юю", "ым", "им", "ом", "ем", "ам", "ям", "ах", "ях", "ами", "ями", "ов", "ев", "ей", "ия",
    "ию", "ии", "ь", "а", "я", "о", "е", "ы", "и", "у", "ю",
    # Ukrainian
    "ій", "ої", "ою", "ім", "ів", "і", "ї", "є",
}, key=len, reverse=True))
_MIN_STEM = 3

# Abbreviations and spellings rewritten before the split into words.
_REWRITES = (
    (re.compile(r"\be[\s\-_.]*mail\b"), " email "),
    (re.compile(r"\bэл[\s\-_.]*почт"), " email почт"),
    (re.compile(r"\bел[\s\-_.]*пошт"), " email пошт"),
    (re.compile(r"\bэл\.?\s*адрес"), " email адрес"),
    (re.compile(r"\bф[\s.]*и[\s.]*о\b"), " фио "),
    (re.compile(r"\bп[\s.]*і[\s.]*б\b"), " фио "),
    (re.compile(r"\bтел\b\.?"), " телефон "),
    (re.compile(r"\bмоб\b\.?"), " мобильный "),
    (re.compile(r"\bюр\b\.?"), " юридический "),
    (re.compile(r"\bфакт\b\.?"), " фактический "),
    (re.compile(r"\bнаим\b\.?"), " наименование "),
    (re.compile(r"\bорг\b\.?"), " организация "),
    (re.compile(r"\bдоб\b\.?"), " добавочный "),
)
_APOSTROPHES = re.compile("['\u2019\u02bc`\u00b4]")
# words that carry no meaning in a header
_STOPWORDS = frozenset({"для", "по", "на", "в", "и", "или", "с", "of", "the", "a", "for", "no", "nr", "n", "№",
                        "та", "з", "у", "and"})


def tokenize(header):
    """Words of a header: case-folded, ё → е, apostrophes dropped, abbreviations spelt out."""
    text = str(header or "").casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return [word for word in re.split(r"[^\w]+|_", text) if word and word not in _STOPWORDS]


def stem(word):
    """A word without its ending: телефон, телефона, телефоны → телефон."""
    if word.isdigit():
        return word
    if word.isascii():  # English: plurals only (phones, addresses, notes)
        if word.endswith("sses"):
            return word[:-2]
        return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > _MIN_STEM else word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[:-len(suffix)]
    return word


def stems(header):
    return [stem(word) for word in tokenize(header)]


@dataclass(frozen=True)
class Phrase:
    target: str
    words: tuple  # stems, all required, in any order
    weight: float
    owner: bool = False  # names whose the column is (an organisation, a person)


def _phrases(target, weight, *texts, owner=False):
    return [Phrase(target, tuple(stems(text)), weight, owner) for text in texts]


PHRASES = [
    # the person's name, whole or in parts
    *_phrases("name", 1.0, "фио", "полное имя", "имя фамилия", "фамилия имя", "фамилия имя отчество",
              "full name", "contact name", "name", "person name", "имя контакта", "ім'я та прізвище"),
    *_phrases("name", 0.9, "контактное лицо", "контактна особа", "contact person", "сотрудник", "person",
              "contact", owner=True),
    *_phrases("name", 0.6, "контакт", owner=True),
    *_phrases("name_first", 1.0, "имя", "ім'я", "first name", "given name", "firstname"),
    *_phrases("name_last", 1.0, "фамилия", "прізвище", "last name", "surname", "family name", "lastname"),
    *_phrases("name_middle", 1.0, "отчество", "по батькові", "middle name", "patronymic", "middlename"),
    # the organisation
    *_phrases("company", 1.0, "наименование", "найменування", "company name", "название компании",
              "наименование организации", "название организации", "название"),
    *_phrases("company", 0.95, "организация", "компания", "контрагент", "клиент", "покупатель", "організація",
              "компанія", "клієнт", "company", "organisation", "organization", "account", "customer",
              "юридическое лицо", "юрлицо", "партнер", owner=True),
    # identifiers
    *_phrases("inn", 1.0, "инн", "інн", "ипн", "іпн", "inn", "taxpayer id", "рнокпп"),
    *_phrases("kpp", 1.0, "кпп", "kpp"),
    *_phrases("vat", 1.0, "vat", "tax id", "едрпоу", "єдрпоу", "код єдрпоу", "код едрпоу", "ндс номер",
              "vat number"),
    # the person's role
    *_phrases("function", 1.0, "должность", "посада", "job title", "job", "position", "role", "function",
              "title", "роль"),
    # how to reach them
    *_phrases("phone", 1.0, "телефон", "телефоны", "мобильный", "мобільний", "phone", "telephone", "tel",
              "mobile", "phone number", "номер телефона", "сотовый", "cell"),
    *_phrases("phone", 0.45, "контакт", owner=True),
    *_phrases("email", 1.0, "email", "email почта", "электронная почта", "почта", "електронна пошта", "пошта",
              "mail", "email address", "адрес электронной почты", "адреса електронної пошти", "емейл", "имейл"),
    # the address
    *_phrases("city", 1.0, "город", "місто", "населенный пункт", "населений пункт", "city", "town"),
    *_phrases("street", 1.0, "адрес", "адреса", "улица", "вулиця", "address", "street"),
    *_phrases("zip", 1.0, "индекс", "почтовый индекс", "індекс", "поштовий індекс", "zip", "postcode",
              "postal code", "zip code"),
    *_phrases("country", 1.0, "страна", "країна", "country"),
    # the rest
    *_phrases("website", 1.0, "сайт", "веб сайт", "website", "web", "site", "url", "корпоративный сайт"),
    *_phrases("comment", 1.0, "комментарий", "примечание", "коментар", "примітка", "notes", "note", "comment",
              "comments", "описание", "description"),
    *_phrases("tag", 1.0, "метка", "метки", "тег", "теги", "категория", "мітка", "категорія", "tag", "tags",
              "category", "label"),
    *_phrases("user", 1.0, "ответственный", "менеджер", "відповідальний", "responsible", "salesperson",
              "sales person", "account manager", "manager", "owner", "responsible user", "ответственный менеджер"),
]

# Understood and ignored: they say which one of several, not what.
MODIFIERS = frozenset(stems(
    "рабочий основной полное краткое сокращенное юридический фактический почтовый доставки личный частный "
    "другой домашний дополнительный второй контактный номер код основний повне робочий особистий інший "
    "main primary work business personal private home other full short legal registered office billing "
    "delivery shipping second alt alternative"))

_FIELD_PHRASES = [phrase for phrase in PHRASES if not phrase.owner]
_OWNER_PHRASES = [phrase for phrase in PHRASES if phrase.owner]


@dataclass
class Guess:
    """What one column holds: the target ("" if unsure), the confidence and the close candidates."""

    target: str
    confidence: float
    candidates: list = field(default_factory=list)  # [(target, score), ...] best first, when ambiguous


def _match(phrases, words):
    """{target: (best weight, words covered)} of the phrases all of whose words are in ``words``."""
    found = {}
    present = set(words)
    for phrase in phrases:
        if phrase.words and set(phrase.words) <= present:
            weight, covered = found.get(phrase.target, (0.0, set()))
            found[phrase.target] = (max(weight, phrase.weight), covered | set(phrase.words))
    return found


def guess(header):
    """The :class:`Guess` for one header label."""
    words = stems(header)
    if not words:
        return Guess("", 0.0)
    found = _match(_FIELD_PHRASES, words)
    owners = _match(_OWNER_PHRASES, words)
    understood = set(MODIFIERS)
    if found:
        # next to a field word an owner word only says whose the field is
        for _weight, covered in owners.values():
            understood |= covered
    else:
        found = owners
    if not found:
        return Guess("", 0.0)
    scores = {}
    for target, (weight, covered) in found.items():
        known = sum(1 for word in words if word in covered or word in understood)
        coverage = known / len(words)
        scores[target] = round(weight * (0.6 + 0.4 * coverage), 3)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best, score = ranked[0]
    candidates = []
    gap = round(score - ranked[1][1], 3) if len(ranked) > 1 else 1.0
    if gap <= AMBIGUITY_MARGIN:
        candidates = [(target, value) for target, value in ranked if score - value < 0.5]
        score = round(score - (AMBIGUITY_MARGIN - gap), 3)
    score = max(0.0, min(score, 1.0))
    return Guess(best if score >= MIN_CONFIDENCE else "", score, candidates)


def guess_columns(columns):
    """One :class:`Guess` per header; a target taken by several columns is kept on the surest one only,
    except the targets of :data:`MULTI_TARGETS` (every phone and e-mail column is read)."""
    guesses = [guess(column) for column in columns]
    best_of = {}
    for index, item in enumerate(guesses):
        if item.target and item.target not in MULTI_TARGETS:
            kept = best_of.get(item.target)
            if kept is None or item.confidence > guesses[kept].confidence:
                best_of[item.target] = index
    for index, item in enumerate(guesses):
        if item.target and item.target not in MULTI_TARGETS and best_of[item.target] != index:
            item.candidates = item.candidates or [(item.target, item.confidence)]
            item.target = ""
    return guesses


def header_key(header):
    """The form of a header compared with the headers of an import profile."""
    return " ".join(tokenize(header))


def profile_overlap(columns, profile_headers):
    """Share (0–1) of a profile's headers found in a file's header row (both taken by :func:`header_key`)."""
    wanted = {header_key(header) for header in profile_headers} - {""}
    if not wanted:
        return 0.0
    present = {header_key(column) for column in columns}
    return len(wanted & present) / len(wanted)


def best_profile(columns, profiles, threshold=0.6):
    """``(key, overlap)`` of the profile whose headers the file has most of, or ``(None, 0.0)``.

    ``profiles`` is ``[(key, [header, ...]), ...]``; ties go to the profile with more headers (the more
    specific one), then to the first listed.
    """
    best, best_score, best_size = None, 0.0, 0
    for key, headers in profiles:
        score = profile_overlap(columns, headers)
        size = len(headers)
        if score >= threshold and (score > best_score or (score == best_score and size > best_size)):
            best, best_score, best_size = key, score, size
    return best, best_score


def join_name(parts):
    """"Фамилия Имя Отчество" from ``{"name_last": …, "name_first": …, "name_middle": …}``."""
    return " ".join(" ".join(str(parts.get(key) or "").split()) for key in NAME_PARTS if parts.get(key)
                    and str(parts.get(key)).strip())
