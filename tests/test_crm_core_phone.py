import sys

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


# ---------------------------------------------------------------- phones as people type them (issue 17)

@pytest.mark.parametrize("typed", [
    "+7 (912) 345-67-89", "8 912 345 67 89", "89123456789", "7 912 3456789", "(912) 345-67-89", "912-345-67-89",
])
def test_russian_mobile_in_six_national_formats(typed):
    result = phone.normalize_phone(typed, "RU")
    assert (result.status, result.value, result.region) == (phone.STATUS_OK, "+79123456789", "RU")


@pytest.mark.parametrize("typed", [
    "+7 (343) 123-45-67", "8 (343) 123-45-67", "8-343-123-45-67", "83431234567", "7 343 1234567", "(343) 123-45-67",
])
def test_russian_landline_in_six_national_formats(typed):
    result = phone.normalize_phone(typed, "RU")
    assert (result.status, result.value, result.region) == (phone.STATUS_OK, "+73431234567", "RU")


@pytest.mark.parametrize(("typed", "region", "stored", "country"), [
    ("+7 701 123 45 67", "RU", "+77011234567", "KZ"),      # Kazakh mobile range 7 70x
    ("8 (727) 250-12-34", "RU", "+77272501234", "KZ"),     # Almaty landline typed in a Russian company
    ("8 (727) 250-12-34", "KZ", "+77272501234", "KZ"),
    ("+7 7172 12 34 56", "KZ", "+77172123456", "KZ"),      # Astana
    ("+7 912 345 67 89", "KZ", "+79123456789", "RU"),      # a Russian mobile typed in a Kazakh company
    ("8 800 555 35 35", "KZ", "+78005553535", "RU"),
])
def test_plus_seven_split_between_russia_and_kazakhstan(typed, region, stored, country):
    result = phone.normalize_phone(typed, region)
    assert (result.status, result.value, result.region) == (phone.STATUS_OK, stored, country)


@pytest.mark.parametrize(("typed", "stored"), [
    ("044 123 45 67", "+380441234567"),     # Kyiv landline 0XX
    ("067 123 45 67", "+380671234567"),     # mobile 0XX
    ("(044) 123-45-67", "+380441234567"),
    ("8 044 123 45 67", "+380441234567"),   # the old long-distance 8 before the 0XX
])
def test_ukrainian_national_forms(typed, stored):
    result = phone.normalize_phone(typed, "UA")
    assert (result.status, result.value, result.region) == (phone.STATUS_OK, stored, "UA")


@pytest.mark.parametrize(("typed", "stored"), [
    ("8 017 123-45-67", "+375171234567"),   # Minsk landline 8 0XX
    ("8 (029) 123-45-67", "+375291234567"),  # mobile 8 0XX
    ("80171234567", "+375171234567"),
    ("+375 17 123 45 67", "+375171234567"),
])
def test_belarusian_national_forms(typed, stored):
    result = phone.normalize_phone(typed, "BY")
    assert (result.status, result.value, result.region) == (phone.STATUS_OK, stored, "BY")


@pytest.mark.parametrize(("typed", "stored"), [
    ("+7 495 123-45-67 доб. 123", "+74951234567 ext. 123"),
    ("+7 495 123-45-67 доб 123", "+74951234567 ext. 123"),
    ("+7 495 123-45-67 вн. 12", "+74951234567 ext. 12"),
    ("+7 495 123-45-67 ext. 5", "+74951234567 ext. 5"),
    ("+7 495 123-45-67 x5", "+74951234567 ext. 5"),
    ("+7 495 123-45-67 #5", "+74951234567 ext. 5"),
    ("+7 495 123-45-67 (добавочный 7)", "+74951234567 ext. 7"),
])
def test_extensions_are_kept(typed, stored):
    assert phone.normalize_phone(typed, "RU").value == stored


@pytest.mark.parametrize(("cell", "stored"), [
    ("+7 912 000-00-00, 8 (343) 000-00-00", ["+79120000000", "+73430000000"]),
    ("+7 912 345-67-89; 8 (343) 123-45-67", ["+79123456789", "+73431234567"]),
    ("+7 912 345-67-89 / +7 343 123-45-67", ["+79123456789", "+73431234567"]),
    ("+7 912 345-67-89\n8 343 123 45 67", ["+79123456789", "+73431234567"]),
    ("+7 912 345-67-89 или 8 343 123 45 67", ["+79123456789", "+73431234567"]),
    ("+7 495 123-45-67, доб. 12; 8 912 345 67 89", ["+74951234567 ext. 12", "+79123456789"]),
    ("нет, +7 912 345-67-89", ["+79123456789"]),
    ("", []),
    (None, []),
    ("нет", []),
])
def test_several_numbers_in_one_cell(cell, stored):
    assert [result.value for result in phone.normalize_phones(cell, "RU")] == stored


def test_several_numbers_keep_their_flags_and_keys():
    results = phone.normalize_phones("+7 912 345-67-89, 123-45-67, abc 12", "RU")
    assert [result.status for result in results] == [phone.STATUS_OK, phone.STATUS_NO_AREA_CODE, phone.STATUS_INVALID]
    assert [result.value for result in results] == ["+79123456789", "123-45-67", "abc 12"]
    assert phone.phone_keys("+7 912 345-67-89, 8 912 345 67 89; +7 343 123-45-67") == [
        "+79123456789", "+73431234567"]


@pytest.mark.parametrize(("city", "region", "stored", "code"), [
    ("Екатеринбург", "RU", "+73431234567", "343"),
    ("г. Екатеринбург", "RU", "+73431234567", "343"),
    ("Ekaterinburg", "RU", "+73431234567", "343"),
    ("Yekaterinburg", "RU", "+73431234567", "343"),
    ("Екатеринбург, Свердловская обл.", "RU", "+73431234567", "343"),
    ("Санкт-Петербург", "RU", "+78121234567", "812"),
    ("Минск", "BY", "+375171234567", "17"),
    ("Гродно", "BY", "+375152123456", "152"),
])
def test_number_without_area_code_completed_from_the_city(city, region, stored, code):
    typed = "123-45-67" if code != "152" else "12-34-56"
    result = phone.normalize_phone(typed, region, city=city)
    assert (result.status, result.value, result.inferred_area_code) == (phone.STATUS_OK, stored, code)
    assert result.city == city
    assert not result.flagged


def test_number_without_area_code_completed_in_kazakhstan():
    result = phone.normalize_phone("250-12-34", "KZ", city="Алматы")
    assert (result.value, result.region, result.inferred_area_code) == ("+77272501234", "KZ", "727")


@pytest.mark.parametrize(("city", "region"), [("Москва", "RU"), ("Moscow", "RU"), ("Київ", "UA")])
def test_number_without_area_code_in_a_city_with_several_is_kept(city, region):
    result = phone.normalize_phone("123-45-67", region, city=city)
    assert (result.status, result.value) == (phone.STATUS_NO_AREA_CODE, "123-45-67")
    assert result.flagged
    assert len(result.area_codes) > 1
    assert not result.inferred_area_code


@pytest.mark.parametrize("city", ["Урюпинск-на-Марсе", "Свердловская область", "", None])
def test_number_without_area_code_in_an_unknown_city_is_kept(city):
    result = phone.normalize_phone("123-45-67", "RU", city=city)
    assert (result.status, result.value, result.area_codes) == (phone.STATUS_NO_AREA_CODE, "123-45-67", ())
    assert result.flagged


def test_number_too_short_for_the_city_code_is_kept():
    # Yekaterinburg numbers have 7 digits after 343: six digits are not completed
    result = phone.normalize_phone("12-34-56", "RU", city="Екатеринбург")
    assert result.status == phone.STATUS_NO_AREA_CODE


@pytest.mark.parametrize(("name", "key"), [
    ("г. Екатеринбург", "ekaterinburg"),
    ("Yekaterinburg", "ekaterinburg"),
    ("Нижний Новгород", "nizhninovgorod"),
    ("Nizhni Novgorod", "nizhninovgorod"),
    ("Гродно, Гродненская область", "grodno"),
    ("Усть-Каменогорск", "ustkamenogorsk"),
    ("Свердловская обл", ""),
    ("Republic of Tatarstan", ""),
])
def test_place_key(name, key):
    assert phone.place_key(name) == key


def test_city_index_comes_from_the_geocoding_data():
    russia = phone.city_prefix_index(7)
    assert russia["ekaterinburg"] == frozenset({"343"})
    assert {"495", "499"} <= russia["moscov"]
    assert "7272" in russia["almati"]  # Kazakhstan shares +7
    assert phone.city_prefix_index(375)["minsk"] == frozenset({"17"})
    assert "44" in phone.city_prefix_index(380)["kiv"]
    assert phone.city_prefixes("RU", "Город, которого нет") == frozenset()


def test_the_geocoding_data_is_read_one_file_at_a_time(monkeypatch):
    """The same indexes as from phonenumbers' merged dict, and neither is left loaded afterwards."""
    codes = (7, 375, 380)
    by_file = phone._geodata_indexes.__wrapped__(codes)
    sizes = [len(part) for part in phone._geodata_parts()]
    assert len(sizes) > 10 and max(sizes) < sum(sizes) / 5, "many parts, none near the whole data"
    monkeypatch.setattr(phone, "_geodata_parts", phone._merged_geodata)
    assert phone._geodata_indexes.__wrapped__(codes) == by_file
    assert not [name for name in sys.modules if name.startswith("phonenumbers.geodata")]

    def unloadable():
        raise ImportError("another layout")
        yield  # a generator, as _geodata_parts is

    monkeypatch.setattr(phone, "_geodata_parts", unloadable)
    assert phone._geodata_indexes.__wrapped__(codes) == by_file, "the merged data when the files do not load"
