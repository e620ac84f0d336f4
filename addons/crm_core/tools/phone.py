"""Phone numbers typed by hand or exported from 1C, brought to E.164.

Pure Python (no odoo import): used by the customer import and by the partner
form through ``res.partner``; tested by ``tests/test_crm_core_phone.py``.
"""
import re
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
_EXTENSION_RE = re.compile(
    r"\s*[,;(]?\s*(?:доб|доп|вн|ext|extension|x|#)\.?\s*(\d{1,6})\)?\s*$", re.IGNORECASE,
)
_LOCAL_DIGITS = (5, 7)  # a city number without area code: 5 to 7 digits


@dataclass(frozen=True)
class PhoneResult:
    """Outcome of one normalization: what to store and why."""

    raw: str
    status: str
    e164: str = ""
    extension: str = ""
    region: str = ""

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


def normalize_phone(raw, region="RU", fallback_regions=FALLBACK_REGIONS):
    """Normalize one typed phone number.

    ``region`` is the default country (ISO code) for numbers without ``+``.
    A number of 5-7 digits has no area code: it is flagged and kept as typed,
    never guessed nor dropped.
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
    if not international and _LOCAL_DIGITS[0] <= len(digits) <= _LOCAL_DIGITS[1]:
        return PhoneResult(raw=text, status=STATUS_NO_AREA_CODE, extension=extension)
    region = (region or "RU").upper()
    if main.lstrip().startswith("00"):
        main = "+" + main.lstrip()[2:]
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
