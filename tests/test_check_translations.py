"""The translation check fails on every kind of gap a translator can leave."""
import importlib.util
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check_translations", ROOT / "scripts" / "check_translations.py")
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)

TERMS = [
    "Deals",
    "Missing fields for stage %(stage)s: %(fields)s",
    "<strong>Open deals</strong>",
]


def write_catalog(path, translations, fuzzy=()):
    catalog = polib.POFile()
    for msgid, msgstr in translations.items():
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
        if msgid in fuzzy:
            entry.flags.append("fuzzy")
        catalog.append(entry)
    catalog.save(str(path))


@pytest.fixture()
def addon(tmp_path, monkeypatch):
    """A fake addons folder with one addon whose template holds TERMS."""
    monkeypatch.setattr(checker, "ADDONS_DIR", tmp_path)
    monkeypatch.setattr(checker, "ROOT", tmp_path)
    i18n = tmp_path / "crm_demo" / "i18n"
    i18n.mkdir(parents=True)
    (tmp_path / "crm_demo" / "__manifest__.py").write_text("{'name': 'x', 'category': 'Sales/CRM'}")
    write_catalog(i18n / "crm_demo.pot", dict.fromkeys(TERMS, ""))
    return i18n


RU = {
    "Deals": "Сделки",
    "Missing fields for stage %(stage)s: %(fields)s": "Не заполнены поля для этапа %(stage)s: %(fields)s",
    "<strong>Open deals</strong>": "<strong>Открытые сделки</strong>",
}
UK = {
    "Deals": "Угоди",
    "Missing fields for stage %(stage)s: %(fields)s": "Не заповнено поля для етапу %(stage)s: %(fields)s",
    "<strong>Open deals</strong>": "<strong>Відкриті угоди</strong>",
}


def test_complete_translations_pass(addon):
    write_catalog(addon / "ru.po", RU)
    write_catalog(addon / "uk.po", UK)
    assert checker.check_addon("crm_demo") == []
    assert checker.main(["crm_demo"]) == 0


def test_missing_language_file_fails(addon):
    write_catalog(addon / "ru.po", RU)
    problems = checker.check_addon("crm_demo")
    assert len(problems) == 1
    assert "uk.po" in problems[0]


def test_untranslated_fuzzy_and_stale_terms_fail(addon):
    write_catalog(addon / "ru.po", {**RU, "Deals": ""})
    write_catalog(addon / "uk.po", {**UK, "Old term": "Старий термін"}, fuzzy={"<strong>Open deals</strong>"})
    problems = "\n".join(checker.check_addon("crm_demo"))
    assert "crm_demo/ru.po: 'Deals': not translated" in problems
    assert "crm_demo/uk.po: '<strong>Open deals</strong>': fuzzy" in problems
    assert "stale" in problems and "Old term" in problems
    assert checker.main(["crm_demo"]) == 1


def test_lost_placeholder_or_tag_fails(addon):
    write_catalog(addon / "ru.po",
                  {**RU, "Missing fields for stage %(stage)s: %(fields)s": "Не заполнены поля: %(fields)s"})
    write_catalog(addon / "uk.po", {**UK, "<strong>Open deals</strong>": "Відкриті угоди"})
    problems = "\n".join(checker.check_addon("crm_demo"))
    assert "ru.po" in problems and "placeholders differ" in problems
    assert "uk.po: '<strong>Open deals</strong>': placeholders differ" in problems


def test_placeholders_ignore_order_but_not_kind():
    assert checker.placeholders("%(a)s and %(b)s") == checker.placeholders("%(b)s и %(a)s")
    assert checker.placeholders("{count} deals") != checker.placeholders("%(count)s сделок")
    assert checker.placeholders("<b>x</b>") == checker.placeholders("<b>икс</b>")


def test_test_only_addons_carry_no_translations(tmp_path, monkeypatch):
    monkeypatch.setattr(checker, "ADDONS_DIR", tmp_path)
    for name, category in (("crm_x", "Sales/CRM"), ("test_x", "Hidden/Tests")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__manifest__.py").write_text(f"{{'name': '{name}', 'category': '{category}'}}")
    assert checker.translated_addons() == ["crm_x"]
