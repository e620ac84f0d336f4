"""Ukrainian company code ЄДРПОУ (EDRPOU): 8 digits, the last one a check digit.

The official checksum weighs the first seven digits with 1..7 (or 7, 1..6 for codes
from 30000000 to 59999999); when the remainder modulo 11 is 10, the weights are raised
by 2 and the sum taken again, and a second remainder of 10 counts as 0.

Pure Python (no odoo import), tested by ``tests/test_edrpou.py``.
"""
import re

EDRPOU_LENGTH = 8
_WEIGHTS_LOW = (1, 2, 3, 4, 5, 6, 7)
_WEIGHTS_MIDDLE = (7, 1, 2, 3, 4, 5, 6)

# The reasons returned below; the Odoo model shows them translated (res.partner).
EDRPOU_NOT_DIGITS = "EDRPOU code must contain digits only"
EDRPOU_BAD_LENGTH = "EDRPOU code must have 8 digits"
EDRPOU_BAD_CHECKSUM = "EDRPOU code checksum does not match"


def clean_code(value):
    """Text of the code without spaces; ``32855961.0`` from a number cell → ``32855961``."""
    if value is None or value is False:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s\u00a0]", "", str(value))


def check_digit(first_seven):
    """The check digit (0-9) of the first seven digits of a code."""
    weights = _WEIGHTS_MIDDLE if first_seven[0] in "345" else _WEIGHTS_LOW
    digits = [int(d) for d in first_seven]
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 10:
        remainder = sum(d * (w + 2) for d, w in zip(digits, weights, strict=True)) % 11
    return remainder % 10


def edrpou_error(value):
    """Reason why ``value`` is not a valid ЄДРПОУ, or ``""`` when it is valid (or empty)."""
    code = clean_code(value)
    if not code:
        return ""
    if not (code.isascii() and code.isdigit()):  # "²".isdigit() is true, int("²") fails
        return EDRPOU_NOT_DIGITS
    if len(code) != EDRPOU_LENGTH:
        return EDRPOU_BAD_LENGTH
    if check_digit(code[:7]) != int(code[7]):
        return EDRPOU_BAD_CHECKSUM
    return ""


def is_valid_edrpou(value):
    return bool(clean_code(value)) and not edrpou_error(value)
