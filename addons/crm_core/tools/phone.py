"""Phone numbers typed by hand or exported from 1C, brought to E.164.

Pure Python (no odoo import): used by the customer import and by the partner
form through ``res.partner``; tested by ``tests/test_crm_core_phone.py``.

A cell may hold several numbers (:func:`normalize_phones`); a number typed without
area code is completed from its town's only area code, found in the geocoding data
phonenumbers ships (:func:`city_prefix_index`), never from a table of our own.
"""
import functools
import importlib
import importlib.util
import pathlib
import re
import sys
from dataclasses import dataclass

import phonenumbers

STATUS_OK = "ok"
STATUS_EMPTY = "empty"
STATUS_NO_AREA_CODE = "no_area_code"
STATUS_INVALID = "invalid"

# What people type in a phone cell to say "there is no phone".
NO_PHONE_WORDS = frozenset({
    "нет", "не", "отсутствует", "немає", "нема", "none", "no", "n/a", "na", "-", "--", "—", "0", "null",
})
# Regions tried when a number is not valid in the default one (a Ukrainian
# ``044 …`` typed in a Russian company, a Russian ``8 912 …`` in a Ukrainian one).
FALLBACK_REGIONS = ("RU", "UA", "BY", "KZ")
_EXTENSION_WORDS = r"(?:доб(?:авочный)?|доп|вн(?:утр(?:енний)?)?|ext(?:ension)?|x|#)"
_EXTENSION_RE = re.compile(
    rf"\s*[,;(]?\s*{_EXTENSION_WORDS}\.?\s*(\d{{1,6}})\)?\s*$", re.IGNORECASE,
)
# a part of a cell holding only an extension (``+7 495 123-45-67, доб. 12``): it belongs to the number before
_EXTENSION_ONLY_RE = re.compile(rf"^\s*\(?\s*{_EXTENSION_WORDS}\.?\s*\d{{1,6}}\s*\)?\s*$", re.IGNORECASE)
# what separates several numbers typed in one cell
_SEPARATORS_RE = re.compile(r"[,;/\n\r]|\s+(?:или|або|or)\s+", re.IGNORECASE)
_UA_TRUNK_8_RE = re.compile(r"80\d{9}")
_LOCAL_DIGITS = (5, 7)  # a city number without area code: 5 to 7 digits


@dataclass(frozen=True)
class PhoneResult:
    """Outcome of one normalization: what to store and why."""

    raw: str
    status: str
    e164: str = ""
    extension: str = ""
    region: str = ""
    # the area code completed from the city (a number typed without it), flagged for a human look
    inferred_area_code: str = ""
    city: str = ""
    # a number without area code in a city with several: the candidates (none for an unknown city)
    area_codes: tuple = ()

    @property
    def value(self):
        """Text to store in a phone field: E.164 (+ extension), or the number as typed."""
        if self.status == STATUS_OK:
            return f"{self.e164} ext. {self.extension}" if self.extension else self.e164
        if self.status == STATUS_EMPTY:
            return ""
        return self.raw

    @property
    def flagged(self):
        """True when the number is kept as typed and needs a human look."""
        return self.status in (STATUS_NO_AREA_CODE, STATUS_INVALID)


def split_extension(text):
    """Return ``(main number, extension)``; ``доб. 123``, ``ext 123``, ``x123`` are extensions."""
    match = _EXTENSION_RE.search(text)
    if not match or not re.search(r"\d", text[: match.start()]):
        return text, ""
    return text[: match.start()], match.group(1)


def _parse_valid(number, region):
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def normalize_phone(raw, region="RU", fallback_regions=FALLBACK_REGIONS, city=""):
    """Normalize one typed phone number.

    ``region`` is the default country (ISO code) for numbers without ``+``.
    A number of 5-7 digits has no area code: completed from ``city`` when the
    geocoding data gives that city exactly one (``inferred_area_code``), else
    flagged and kept as typed, never guessed nor dropped.
    """
    text = "" if raw is None else str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))  # a phone cell formatted as a number
    if not text or text.casefold().strip(" .") in NO_PHONE_WORDS:
        return PhoneResult(raw=text, status=STATUS_EMPTY)
    main, extension = split_extension(text)
    digits = re.sub(r"\D", "", main)
    if not digits:
        return PhoneResult(raw=text, status=STATUS_EMPTY if not main.strip() else STATUS_INVALID)
    international = main.lstrip().startswith("+") or main.lstrip().startswith("00")
    region = (region or "RU").upper()
    if not international and _LOCAL_DIGITS[0] <= len(digits) <= _LOCAL_DIGITS[1]:
        return _complete_local_number(text, digits, extension, region, city)
    if main.lstrip().startswith("00"):
        main = "+" + main.lstrip()[2:]
    if region == "UA" and not international and _UA_TRUNK_8_RE.fullmatch(digits):
        main = digits[1:]  # the old long-distance "8 0XX …" of a Ukrainian number (Belarus keeps it)
    candidates = [(main, region)]
    if not international:
        candidates += [(main, other) for other in fallback_regions if other != region]
        # "7912…" typed without "+" in a non-Russian default region
        candidates.append(("+" + digits, None))
    for number, candidate_region in candidates:
        parsed = _parse_valid(number, candidate_region)
        if parsed is not None:
            return PhoneResult(
                raw=text,
                status=STATUS_OK,
                e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
                extension=extension or (parsed.extension or ""),
                region=phonenumbers.region_code_for_number(parsed) or "",
            )
    return PhoneResult(raw=text, status=STATUS_INVALID, extension=extension)


def phone_key(raw, region="RU"):
    """Duplicate key of a phone: its E.164 form, or nothing when it cannot be trusted."""
    result = normalize_phone(raw, region)
    return result.e164 if result.status == STATUS_OK else ""


def _complete_local_number(text, digits, extension, region, city):
    """A number typed without area code: completed from the city's only area code, else flagged."""
    codes = local_area_codes(region, city, digits) if city else ()
    if len(codes) != 1:
        return PhoneResult(raw=text, status=STATUS_NO_AREA_CODE, extension=extension, city=city or "",
                           area_codes=tuple(codes))
    (code,) = codes
    parsed = _parse_valid(f"+{phonenumbers.country_code_for_region(region)}{code}{digits}", None)
    return PhoneResult(
        raw=text,
        status=STATUS_OK,
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        extension=extension,
        region=phonenumbers.region_code_for_number(parsed) or "",
        inferred_area_code=code,
        city=city,
    )


def split_numbers(raw):
    """The numbers typed in one cell, in order: ``+7 912 …, 8 (343) … доб. 12`` gives two.

    Separators are ``,`` ``;`` ``/``, new lines and the words "или", "або", "or"; a part
    holding only an extension is joined to the number before it.
    """
    text = "" if raw is None else str(raw)
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    parts = []
    for part in _SEPARATORS_RE.split(text):
        part = part.strip()
        if not part:
            continue
        if parts and _EXTENSION_ONLY_RE.match(part):
            parts[-1] = f"{parts[-1]} {part.strip('()')}"
        else:
            parts.append(part)
    return parts


def normalize_phones(raw, region="RU", fallback_regions=FALLBACK_REGIONS, city=""):
    """Normalize every number of a cell (see :func:`split_numbers`), in the order typed.

    Parts meaning "no phone" are left out: an empty cell gives an empty list.
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = str(int(raw))
    results = [normalize_phone(part, region, fallback_regions, city=city) for part in split_numbers(raw)]
    return [result for result in results if result.status != STATUS_EMPTY]


def phone_keys(raw, region="RU", city=""):
    """Duplicate keys of a cell: the E.164 form of each trusted number, without repeats."""
    return list(dict.fromkeys(
        result.e164 for result in normalize_phones(raw, region, city=city) if result.status == STATUS_OK))


# ----------------------------------------------------------------------
# City -> area code, from the geocoding data phonenumbers ships
# ----------------------------------------------------------------------

# words of the geocoding data naming a region, not a town (a town number needs the town's code)
_REGION_WORDS = frozenset({
    "обл", "область", "край", "республика", "ао", "р-н", "р-он", "район", "автономная", "автономный",
    "вобласць", "раён", "region", "district", "territory", "republic", "oblast", "area", "autonomous",
})
# words before or after a town's name that are no part of it
_TOWN_WORDS = frozenset({"г", "город", "гор", "м", "місто", "city", "пгт", "пос", "поселок", "посёлок", "с", "село"})
_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "i", "ь": "",
    "э": "e", "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
})
# Latin spellings of the same sound folded together: Yekaterinburg = Ekaterinburg = Екатеринбург
_LATIN_FOLDS = (("ye", "e"), ("yo", "e"), ("kh", "h"), ("tz", "c"), ("ts", "c"), ("w", "v"), ("y", "i"),
                ("j", "i"), ("x", "ks"))


def place_key(name):
    """Spelling-insensitive key of a town name, the same in Russian, Ukrainian, Belarusian and English.

    ``г. Екатеринбург``, ``Екатеринбург``, ``Ekaterinburg`` and ``Yekaterinburg`` have one key; the
    region the data or the user adds after a comma (``Гродно, Гродненская область``) is left out.
    Returns ``""`` for a region name (``Свердловская обл``).
    """
    text = re.sub(r"\(.*?\)", " ", str(name or "").casefold().replace("ё", "е"))
    text = text.split(",")[0]
    words = [word for word in re.split(r"[\s.]+", text) if word]
    if any(word.strip("-") in _REGION_WORDS for word in words):
        return ""
    words = [word for word in words if word not in _TOWN_WORDS]
    key = "".join(words).translate(_TRANSLIT)
    for latin, folded in _LATIN_FOLDS:
        key = key.replace(latin, folded)
    key = re.sub(r"[^a-z]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)  # doubled letters: Kyiv / Київ, Tolyatti / Тольятти


def _place_names(description):
    """Town names of one geocoding entry: ``Актобе/Актюбинск`` is two names."""
    return [part for part in description.split(",")[0].split("/") if part.strip()]


# calling codes indexed together in one walk of the data: Russia and Kazakhstan, Belarus, Ukraine
INDEXED_CALLING_CODES = (7, 375, 380)


@functools.lru_cache(maxsize=8)
def city_prefix_index(country_code):
    """{place key: frozenset of national prefixes} of a calling code (7, 380, 375).

    Built from ``phonenumbers.geodata`` (prefix -> place name in each language it ships): every
    name in every language is a key (see :func:`place_key`); region names are left out.
    """
    if country_code in INDEXED_CALLING_CODES:
        return _geodata_indexes(INDEXED_CALLING_CODES)[country_code]
    return _geodata_indexes((country_code,))[country_code]


def _geodata_parts():
    """The geocoding data phonenumbers ships, one of its files at a time: ``{prefix: {language: place}}``.

    ``phonenumbers.geodata`` merges some thirty files of about 1 MB into one dict (about 100 MB
    in memory, most of it kept by the process once freed); loaded file by file, only one is in memory
    at a time. Raises ImportError where they are not found (another layout): see :func:`_geodata_indexes`.
    """
    spec = importlib.util.find_spec("phonenumbers.geodata")  # imports phonenumbers, not its geodata
    folder = pathlib.Path(next(iter(spec.submodule_search_locations or ()), "")) if spec else None
    files = sorted(folder.glob("data*.py")) if folder and folder.name == "geodata" else []
    if not files:
        raise ImportError("phonenumbers' geocoding files not found")
    for path in files:
        name = f"{spec.name}.{path.stem}"  # relative to its package: its "from ..util import u" resolves
        part_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(part_spec)
        part_spec.loader.exec_module(module)  # not registered in sys.modules: dropped once walked
        yield module.data
        del module


def _merged_geodata():
    """phonenumbers' merged geocoding data, dropped once walked unless something else had loaded it."""
    loaded_before = "phonenumbers.geodata" in sys.modules
    geodata = importlib.import_module("phonenumbers.geodata")
    try:
        yield geodata.GEOCODE_DATA
    finally:
        if not loaded_before:
            for name in [name for name in sys.modules if name.startswith("phonenumbers.geodata")]:
                del sys.modules[name]
            if getattr(phonenumbers, "geodata", None) is geodata:
                del phonenumbers.geodata
            del geodata


@functools.lru_cache(maxsize=8)
def _geodata_indexes(calling_codes):
    """Walk the geocoding data once for these calling codes (see :func:`_geodata_parts`).

    The data is read on first use only (a number typed without area code in a known city); the
    indexes weigh a few dozen KB. Should phonenumbers' files no longer load one by one, its merged
    dict is walked instead.
    """
    try:
        return _walk_geodata(_geodata_parts(), calling_codes)
    except (ImportError, AttributeError):
        return _walk_geodata(_merged_geodata(), calling_codes)


def _walk_geodata(parts, calling_codes):
    indexes = {code: {} for code in calling_codes}
    callings = {str(code): code for code in calling_codes}
    for part in parts:
        for prefix, names in part.items():
            calling = next((calling for calling in callings if prefix.startswith(calling)), None)
            if calling is None or len(prefix) <= len(calling):
                continue
            index, national = indexes[callings[calling]], prefix[len(calling):]
            for description in names.values():
                for name in _place_names(description):
                    key = place_key(name)
                    if key:
                        index.setdefault(key, set()).add(national)
    return {code: {key: frozenset(prefixes) for key, prefixes in index.items()}
            for code, index in indexes.items()}


def city_prefixes(region, city):
    """National prefixes the geocoding data gives to ``city`` in the country of ``region``."""
    country_code = phonenumbers.country_code_for_region((region or "").upper())
    key = place_key(city)
    if not country_code or not key:
        return frozenset()
    return city_prefix_index(country_code).get(key, frozenset())


def local_area_codes(region, city, digits):
    """Area codes that make ``digits`` (a number typed without one) a valid fixed line of ``city``.

    The code has the length that completes a national number; the completed number must start
    with one of the city's prefixes (the geocoder then places it in that city) and be valid. One
    code: the city has exactly one for such a number; several: ambiguous; none: unknown.
    """
    country_code = phonenumbers.country_code_for_region((region or "").upper())
    prefixes = city_prefixes(region, city)
    if not prefixes:
        return ()
    codes = set()
    for length in _national_lengths(country_code):
        size = length - len(digits)
        for prefix in prefixes:
            if size <= 0 or len(prefix) < size or not digits.startswith(prefix[size:]):
                continue
            code = prefix[:size]
            if _parse_valid(f"+{country_code}{code}{digits}", None) is not None:
                codes.add(code)
    return tuple(sorted(codes))


@functools.lru_cache(maxsize=16)
def _national_lengths(country_code):
    """Lengths of fixed-line national numbers of a calling code, from phonenumbers' metadata."""
    lengths = set()
    for region in phonenumbers.region_codes_for_country_code(country_code):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata and metadata.fixed_line:
            lengths.update(metadata.fixed_line.possible_length or ())
    return tuple(sorted(lengths))
