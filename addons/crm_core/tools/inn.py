"""Russian taxpayer numbers: INN (10 digits for organisations, 12 for people
and sole traders) and KPP (9 characters), length and checksum.

Pure Python (no odoo import), tested by ``tests/test_crm_core_inn.py``.
"""
import re

_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
# KPP: 4 digits of the tax office, 2 characters of the reason (digits or A-Z), 3 digits
_KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")

# The reasons returned below; the Odoo models show them translated (res.partner).
INN_NOT_DIGITS = "INN must contain digits only"
INN_BAD_CHECKSUM = "INN checksum does not match"
INN_BAD_LENGTH = "INN must have 10 digits (organisation) or 12 digits (person, sole trader)"
KPP_BAD_LENGTH = "KPP must have 9 characters"
KPP_BAD_FORMAT = "KPP must be 4 digits, 2 digits or letters, then 3 digits"


def clean_number(value):
    """Cell value → text without spaces; ``7707083893.0`` from a number cell → ``7707083893``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s\u00a0-]", "", str(value)).upper()
    if text.startswith("RU") and text[2:].isascii() and text[2:].isdigit():
        text = text[2:]
    return text


def _control(digits, weights):
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_error(value):
    """Reason why ``value`` is not a valid INN, or ``""`` when it is valid (or empty)."""
    inn = clean_number(value)
    if not inn:
        return ""
    if not (inn.isascii() and inn.isdigit()):  # "²".isdigit() is true, int("²") fails
        return INN_NOT_DIGITS
    if len(inn) == 10:
        if _control(inn, _WEIGHTS_10) != int(inn[9]):
            return INN_BAD_CHECKSUM
        return ""
    if len(inn) == 12:
        if _control(inn, _WEIGHTS_12_1) != int(inn[10]) or _control(inn, _WEIGHTS_12_2) != int(inn[11]):
            return INN_BAD_CHECKSUM
        return ""
    return INN_BAD_LENGTH


def is_valid_inn(value):
    return bool(clean_number(value)) and not inn_error(value)


def kpp_error(value):
    """Reason why ``value`` is not a valid KPP, or ``""`` when it is valid (or empty)."""
    kpp = clean_number(value)
    if not kpp:
        return ""
    if len(kpp) != 9:
        return KPP_BAD_LENGTH
    if not _KPP_RE.match(kpp):
        return KPP_BAD_FORMAT
    return ""


def is_valid_kpp(value):
    return bool(clean_number(value)) and not kpp_error(value)
