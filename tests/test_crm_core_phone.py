import pytest

import conftest

phone = conftest.load_tool("crm_core", "phone")


@pytest.mark.parametrize(("typed", "stored"), [
    ("+7 (912) 345-67-89", "+79123456789"),
    ("8 912 345 67 89", "+79123456789"),
    ("89123456789", "+79123456789"),
    ("7 912 3456789", "+79123456789"),
    ("79123456789", "+79123456789"),
    ("(495) 123-45-67", "+74951234567"),
    ("8-800-555-35-35", "+78005553535"),
    ("+380 44 123 4567", "+380441234567"),
    ("044 123 45 67", "+380441234567"),
    ("+7912345-67-89доб.123", "+79123456789 ext. 123"),
    ("+7 912 345-67-89 доб. 123", "+79123456789 ext. 123"),
    ("+7 495 123 45 67 ext 55", "+74951234567 ext. 55"),
    (89123456789.0, "+79123456789"),
])
def test_normalized_to_e164(typed, stored):
    result = phone.normalize_phone(typed, "RU")
    assert result.status == phone.STATUS_OK
    assert result.value == stored


@pytest.mark.parametrize("typed", ["нет", "Нет", "", None, "-", "n/a"])
def test_no_phone(typed):
    result = phone.normalize_phone(typed)
    assert result.status == phone.STATUS_EMPTY
    assert result.value == ""


def test_number_without_area_code_is_flagged_and_kept():
    result = phone.normalize_phone("123-45-67")
    assert result.status == phone.STATUS_NO_AREA_CODE
    assert result.flagged
    assert result.value == "123-45-67"
    assert phone.phone_key("123-45-67") == ""


def test_invalid_number_is_kept_as_typed():
    result = phone.normalize_phone("call me maybe 12")
    assert result.status in (phone.STATUS_INVALID, phone.STATUS_NO_AREA_CODE)
    assert result.value == "call me maybe 12"


def test_default_region_override():
    assert phone.normalize_phone("044 123 45 67", "UA").value == "+380441234567"
    # a Russian mobile typed in a Ukrainian company is still found
    assert phone.normalize_phone("8 912 345 67 89", "UA").value == "+79123456789"
    assert phone.normalize_phone("0044 20 7946 0958", "RU").value == "+442079460958"


def test_split_extension():
    assert phone.split_extension("+7 495 1234567 доб. 12") == ("+7 495 1234567", "12")
    assert phone.split_extension("+7 495 1234567") == ("+7 495 1234567", "")
