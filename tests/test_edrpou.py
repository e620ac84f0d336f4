"""ЄДРПОУ (Ukrainian company code): known codes, wrong checksums, lengths, and properties."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conftest

edrpou = conftest.load_tool("crm_l10n_ua", "edrpou")

seven_digits = st.text(alphabet="0123456789", min_size=7, max_size=7)


@pytest.mark.parametrize("code", [
    "00032129",  # АТ «Ощадбанк»: low weights, first pass
    "14360570",  # АТ КБ «ПриватБанк»
    "20077720",  # НАК «Нафтогаз України»
    "32855961",  # middle range (30000000-59999999): weights 7, 1..6
    "40075815",  # АТ «Укрзалізниця»
    "24160105",  # first pass gives 10: second pass with weights 3..9
    "38710053",  # first pass gives 10: second pass with weights 9, 3..8
    " 3285 5961 ",  # spaces are not part of the code
    32855961.0,  # a number cell of a spreadsheet
])
def test_known_valid_codes(code):
    assert edrpou.edrpou_error(code) == ""
    assert edrpou.is_valid_edrpou(code)


@pytest.mark.parametrize(("code", "reason"), [
    ("32855968", edrpou.EDRPOU_BAD_CHECKSUM),
    ("00032128", edrpou.EDRPOU_BAD_CHECKSUM),
    ("14360571", edrpou.EDRPOU_BAD_CHECKSUM),
    ("1436057", edrpou.EDRPOU_BAD_LENGTH),
    ("143605700", edrpou.EDRPOU_BAD_LENGTH),
    ("0032129", edrpou.EDRPOU_BAD_LENGTH),  # a leading zero lost by a spreadsheet
    ("3285596A", edrpou.EDRPOU_NOT_DIGITS),
    ("3285-5961", edrpou.EDRPOU_NOT_DIGITS),
    ("3285596²", edrpou.EDRPOU_NOT_DIGITS),
    ("٣٢٨٥٥٩٦١", edrpou.EDRPOU_NOT_DIGITS),  # Arabic-Indic digits are digits, not ASCII ones
])
def test_invalid_codes_say_why(code, reason):
    assert edrpou.edrpou_error(code) == reason
    assert not edrpou.is_valid_edrpou(code)


@pytest.mark.parametrize("empty", ["", None, False, "   "])
def test_empty_is_no_error_but_not_valid(empty):
    assert edrpou.edrpou_error(empty) == ""
    assert not edrpou.is_valid_edrpou(empty)


def test_weights_switch_at_30000000_and_60000000():
    assert edrpou.check_digit("2000000") == 2  # 2 x 1
    assert edrpou.check_digit("5000000") == 2  # 5 x 7 = 35, 35 mod 11
    assert edrpou.check_digit("6000000") == 6  # 6 x 1: low weights again from 60000000 on
    assert edrpou.check_digit("3000000") == 5  # 3 x 7 = 21 gives 10: second pass 3 x 9 = 27, 27 mod 11


def test_second_pass_remainder_of_ten_gives_zero():
    # the first seven digits whose two passes both give 10 (the official rule: check digit 0)
    first_seven = next(f"{n:07d}" for n in range(10**7) if _first_pass(f"{n:07d}") == 10
                       and _second_pass(f"{n:07d}") == 10)
    assert edrpou.check_digit(first_seven) == 0
    assert edrpou.is_valid_edrpou(first_seven + "0")


def _weights(first_seven):
    return (7, 1, 2, 3, 4, 5, 6) if first_seven[0] in "345" else (1, 2, 3, 4, 5, 6, 7)


def _first_pass(first_seven):
    return sum(int(d) * w for d, w in zip(first_seven, _weights(first_seven), strict=True)) % 11


def _second_pass(first_seven):
    return sum(int(d) * (w + 2) for d, w in zip(first_seven, _weights(first_seven), strict=True)) % 11


@given(seven_digits)
def test_exactly_one_check_digit_completes_a_code(first_seven):
    valid = [d for d in "0123456789" if edrpou.is_valid_edrpou(first_seven + d)]
    assert valid == [str(edrpou.check_digit(first_seven))]


@given(seven_digits, st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=9))
def test_a_mistyped_digit_is_caught_by_the_first_pass(first_seven, position, shift):
    """11 is prime: changing one digit (not the first, which picks the weights) changes the first-pass
    remainder, so the typo is caught whenever neither code needs the second pass."""
    wrong = list(first_seven)
    wrong[position] = str((int(wrong[position]) + shift) % 10)
    wrong = "".join(wrong)
    code = first_seven + str(edrpou.check_digit(first_seven))
    if _first_pass(first_seven) != 10 and _first_pass(wrong) != 10:
        assert not edrpou.is_valid_edrpou(wrong + code[7])


@given(seven_digits)
def test_agrees_with_python_stdnum(first_seven):
    stdnum_edrpou = pytest.importorskip("stdnum.ua.edrpou")
    expected = stdnum_edrpou.calc_check_digit(first_seven)
    ours = str(edrpou.check_digit(first_seven))
    if expected == "10":
        # both passes give 10: the official rule makes the check digit 0; stdnum has no digit for it
        assert ours == "0"
    else:
        assert ours == expected
        assert stdnum_edrpou.is_valid(first_seven + ours)


@given(st.text(max_size=12))
def test_never_raises_on_any_text(text):
    assert isinstance(edrpou.edrpou_error(text), str)
