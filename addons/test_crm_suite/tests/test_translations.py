from pathlib import Path

import polib

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

ADDONS = ("crm_core", "crm_marketing", "crm_service", "crm_analytics", "crm_core_mrp", "crm_l10n_ua")
LANGS = {"ru_RU": "ru", "uk_UA": "uk"}


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The ru and uk files load into Odoo and are what Russian and Ukrainian users read.

    ``scripts/check_translations.py`` proves every term has a translation; this
    proves Odoo reads them: menus, field labels, selections and code messages.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in LANGS:
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(list(ADDONS), list(LANGS))
        cls.catalogs = {}
        for addon in ADDONS:
            for code, iso in LANGS.items():
                path = Path(get_module_path(addon), "i18n", f"{iso}.po")
                cls.catalogs[addon, code] = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr}

    def test_menus_read_in_both_languages(self):
        data = self.env["ir.model.data"].search([("module", "in", ADDONS), ("model", "=", "ir.ui.menu")])
        self.assertTrue(data)
        for item in data:
            menu = self.env["ir.ui.menu"].browse(item.res_id)
            english = menu.with_context(lang="en_US").name
            for code in LANGS:
                expected = self.catalogs[item.module, code].get(english)
                self.assertTrue(expected, f"{item.module}.{item.name} ({english!r}) has no {code} translation")
                self.assertEqual(menu.with_context(lang=code).name, expected)
                self.assertNotEqual(expected, english, f"{english!r} is not translated into {code}")

    def test_field_labels_and_selections_read_in_both_languages(self):
        field = self.env["ir.model.fields"]._get("crm.interaction", "status_id")
        lifecycle = self.env["ir.model.fields"]._get("res.partner", "crm_lifecycle_stage")
        for code in LANGS:
            catalog = self.catalogs["crm_core", code]
            self.assertEqual(field.with_context(lang=code).field_description, catalog[field.field_description])
            labels = dict(self.env["res.partner"].with_context(lang=code)._fields["crm_lifecycle_stage"]
                          ._description_selection(self.env(context={"lang": code})))
            for selection in lifecycle.selection_ids:
                self.assertEqual(labels[selection.value], catalog[selection.name])

    def test_error_messages_read_in_both_languages(self):
        partner = self.env["res.partner"].create({"name": "ООО «Ромашка»", "is_company": True})
        for code in LANGS:
            catalog = self.catalogs["crm_core", code]
            with self.assertRaises(ValidationError) as caught:
                partner.with_context(lang=code).write({"crm_kpp": "12345"})
            expected = catalog["KPP %(kpp)s of %(partner)s: %(error)s"] % {
                "kpp": "12345", "partner": "ООО «Ромашка»", "error": catalog["KPP must have 9 characters"]}
            self.assertEqual(str(caught.exception), expected)
