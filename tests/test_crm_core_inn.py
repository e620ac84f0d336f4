import pytest

import conftest

inn = conftest.load_tool("crm_core", "inn")


@pytest.mark.parametrize("value", ["7707083893", "500100732259", 7707083893.0, " 7707 083893 ", "RU7707083893"])
def test_valid_inn(value):
    assert inn.is_valid_inn(value)
    assert inn.inn_error(value) == ""


@pytest.mark.parametrize(("value", "reason"), [
    ("7707083894", "checksum"),
    ("500100732258", "checksum"),
    ("123", "10 digits"),
    ("77070838AB", "digits only"),
])
def test_invalid_inn(value, reason):
    assert reason in inn.inn_error(value)
    assert not inn.is_valid_inn(value)


def test_empty_inn_is_no_error_but_not_valid():
    assert inn.inn_error("") == ""
    assert not inn.is_valid_inn(None)


def test_kpp():
    assert inn.is_valid_kpp("770701001")
    assert inn.is_valid_kpp("7707AB001")
    assert "9 characters" in inn.kpp_error("12345")
    assert inn.kpp_error("77070100X")
    assert inn.kpp_error("") == ""
