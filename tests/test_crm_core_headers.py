import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import conftest

headers = conftest.load_tool("crm_core", "headers")
spreadsheet = conftest.load_tool("crm_core", "spreadsheet")


def test_tokenize_folds_case_yo_punctuation_and_abbreviations():
    assert headers.tokenize("Населённый  пункт") == ["населенный", "пункт"]
    assert headers.tokenize("E-mail контрагента") == ["email", "контрагента"]
    assert headers.tokenize("Эл. почта") == ["email", "почта"]
    assert headers.tokenize("Тел.") == ["телефон"]
    assert headers.tokenize("Ф.И.О.") == ["фио"]
    assert headers.tokenize("Ім'я") == headers.tokenize("Ім’я") == ["імя"]
    assert headers.tokenize("Телефон для связи") == ["телефон", "связи"], "stop words dropped"


@pytest.mark.parametrize("words", [("телефон", "телефона", "телефоны", "телефонов"),
                                   ("контрагент", "контрагента", "контрагентов"),
                                   ("контактное", "контактного", "контактные"),
                                   ("phone", "phones")])
def test_stemming_reduces_word_forms_to_one_stem(words):
    assert len({headers.stem(word) for word in words}) == 1


@pytest.mark.parametrize(("header", "target"), [
    # qualifier words say whose the field is, the field word says what it is
    ("ИНН контрагента", "inn"),
    ("Телефон контактного лица", "phone"),
    ("E-mail контрагента", "email"),
    ("Юр. адрес", "street"),
    ("Наименование полное", "company"),
    ("Полное наименование", "company"),
    ("Основной менеджер", "user"),
    ("Ответственный", "user"),
    ("Рабочий телефон", "phone"),
    ("Мобильный телефон", "phone"),
    ("Рабочий e-mail", "email"),
    ("Адрес электронной почты", "email"),
    ("Почтовый индекс", "zip"),
    ("Компания", "company"),
    ("Контрагент", "company"),
    ("Контактное лицо", "name"),
    ("ФИО", "name"),
    ("Населённый пункт", "city"),
    # name parts in ru / uk / en
    ("Имя", "name_first"), ("Фамилия", "name_last"), ("Отчество", "name_middle"),
    ("Ім'я", "name_first"), ("Прізвище", "name_last"), ("По батькові", "name_middle"),
    ("First name", "name_first"), ("Last Name", "name_last"), ("Middle name", "name_middle"),
    ("Full name", "name"), ("Name", "name"),
    # Ukrainian and English
    ("Організація", "company"), ("Контактна особа", "name"), ("Job title", "function"), ("Work phone", "phone"),
])
def test_header_recognised_by_words(header, target):
    guess = headers.guess(header)
    assert guess.target == target, guess
    assert guess.confidence >= headers.MIN_CONFIDENCE


def test_unknown_words_lower_the_confidence():
    assert headers.guess("Телефон").confidence == 1.0
    assert 0.5 <= headers.guess("Телефон для связи").confidence < 1.0
    assert headers.guess("Дата рождения") == headers.Guess("", 0.0)
    assert headers.guess("???") == headers.Guess("", 0.0)


def test_ambiguous_header_lists_its_candidates():
    guess = headers.guess("Контакт")
    assert [target for target, _score in guess.candidates] == ["name", "phone"]
    assert guess.target == "name"
    low = headers.guess("Тип контакта")
    assert low.target == "", "below the threshold: left for the user"
    assert low.confidence < headers.MIN_CONFIDENCE
    assert [target for target, _score in low.candidates] == ["name", "phone"]


def test_several_phone_and_email_columns_all_read_other_targets_once():
    guesses = headers.guess_columns(["Имя", "Рабочий телефон", "Мобильный телефон", "Рабочий e-mail",
                                     "Частный e-mail", "Город", "Населённый пункт"])
    assert [guess.target for guess in guesses] == [
        "name_first", "phone", "phone", "email", "email", "city", ""]
    assert guesses[-1].candidates == [("city", 1.0)], "the column left out says what it could be"


def test_spreadsheet_guess_mapping_uses_the_words():
    assert spreadsheet.guess_mapping(["ИНН контрагента", "Наименование полное", "Юр. адрес"]) == [
        "inn", "company", "street"]
    assert spreadsheet.find_header([["Выгрузка"], ["ИНН контрагента", "Телефон контактного лица"]]) == 1


def test_join_name_in_russian_order():
    assert headers.join_name({"name_first": "Иван", "name_last": "Петров", "name_middle": "Сергеевич"}) == (
        "Петров Иван Сергеевич")
    assert headers.join_name({"name_first": " Анна ", "name_last": ""}) == "Анна"
    assert headers.join_name({}) == ""


def test_profile_detection_by_overlap():
    bitrix = ["ID", "Имя", "Фамилия", "Отчество", "Рабочий телефон", "Рабочий e-mail", "Обращение"]
    amo = ["ID", "Наименование", "Имя", "Фамилия", "Рабочий email", "Личный email", "Теги"]
    profiles = [("amo", amo), ("bitrix", bitrix)]
    assert headers.best_profile(bitrix + ["Лишняя колонка"], profiles) == ("bitrix", 1.0)
    assert headers.best_profile(amo, profiles) == ("amo", 1.0)
    assert headers.best_profile(["ФИО", "Телефон"], profiles) == (None, 0.0)
    assert headers.profile_overlap(["рабочий E-MAIL"], ["Рабочий e-mail"]) == 1.0, "compared as tokens"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_header_gives_a_bounded_guess(text):
    guess = headers.guess(text)
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.target == "" or guess.confidence >= headers.MIN_CONFIDENCE
    assert all(0.0 <= score <= 1.0 for _target, score in guess.candidates)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["ИНН", "Телефон", "E-mail", "Адрес", "Должность", "Город", "Фамилия"]),
       st.sampled_from(["контрагента", "контактного лица", "организации", "клиента", "основной", "рабочий"]),
       st.booleans())
def test_qualifiers_never_change_the_field(field_word, qualifier, before):
    header = f"{qualifier} {field_word}" if before else f"{field_word} {qualifier}"
    assert headers.guess(header).target == headers.guess(field_word).target


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Имя", "Фамилия", "Рабочий телефон", "Мобильный телефон", "Email", "Город",
                                 "Компания", "ИНН", "Комментарий", "Ответственный"]), max_size=12))
def test_guess_columns_uses_single_targets_once(columns):
    targets = [guess.target for guess in headers.guess_columns(columns)]
    single = [target for target in targets if target and target not in headers.MULTI_TARGETS]
    assert len(single) == len(set(single))
