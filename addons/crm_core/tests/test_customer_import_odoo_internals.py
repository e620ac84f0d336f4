"""Guard of the Odoo internals ``crm.import.partner.writer`` relies on (Odoo 19's res.partner and ORM).

The import creates thousands of cards the way Odoo's own import does (``_load_records_create``), through
private methods and context keys. If an Odoo update renames, re-signs or changes one of them, these
tests fail here, by name, instead of the import silently writing other cards.
"""
import inspect
from unittest.mock import patch

from odoo.addons.crm_core.models import crm_import_partner_writer
from odoo.addons.crm_core.models.crm_import_partner_writer import PRECOMPUTED_BY_IMPORT, UPDATABLE_FIELDS
from odoo.addons.crm_core.tools import import_rows
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


class TestCustomerImportOdooInternals(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env, login="imp_internals", name="Инна Внутренняя", groups="crm_core.group_crm_data_operator")
        cls.Partner = cls.env["res.partner"]
        cls.russia = cls.env.ref("base.ru")
        cls.company = cls.Partner.create({
            "name": "ООО Опора", "is_company": True, "street": "ул. Ленина, 1", "city": "Москва",
            "zip": "101000", "country_id": cls.russia.id, "vat": "7707083893"})

    def _parameters(self, function):
        return list(inspect.signature(function).parameters)

    def test_private_methods_keep_their_signature(self):
        Partner = type(self.Partner)
        self.assertEqual(self._parameters(Partner._commercial_fields), ["self"])
        self.assertEqual(self._parameters(Partner._address_fields), ["self"])
        self.assertEqual(self._parameters(Partner._convert_fields_to_values), ["self", "field_names"])
        self.assertEqual(self._parameters(Partner._handle_first_contact_creation), ["self"])
        self.assertEqual(self._parameters(Partner._clean_properties), ["self"])
        self.assertEqual(self._parameters(Partner._phone_get_number_fields), ["self"])
        self.assertEqual(self._parameters(Partner.default_get), ["self", "fields"])
        self.assertEqual(self._parameters(type(self.env).remove_to_compute), ["self", "field", "records"])

    def test_synced_fields_are_plain_fields_of_partners(self):
        for fname in [*self.Partner._commercial_fields(), *self.Partner._address_fields(), *UPDATABLE_FIELDS]:
            self.assertIn(fname, self.Partner._fields)
            self.assertNotEqual(self.Partner._fields[fname].type, "one2many", fname)
        self.assertIn("vat", self.Partner._commercial_fields())
        self.assertIn("street", self.Partner._address_fields())
        values = self.company._convert_fields_to_values(["street", "country_id", "vat"])
        self.assertEqual(values, {"street": "ул. Ленина, 1", "country_id": self.russia.id, "vat": "7707083893"},
                         "write values: a many2one as its id")

    def test_precomputed_fields_are_what_the_writer_thinks(self):
        sanitized = self.Partner._fields["phone_sanitized"]
        self.assertTrue(sanitized.compute and sanitized.store and sanitized.readonly)
        for fname in PRECOMPUTED_BY_IMPORT:
            if fname.startswith("image_"):
                self.assertEqual(self.Partner._fields[fname].related, "image_1920", fname)
        self.assertEqual(self.Partner._phone_get_number_fields(), ["phone"],
                         "one number field: the writer gives phone_sanitized itself")

    def test_skip_fields_sync_context_key(self):
        """Without the key, create copies the organisation's address and commercial fields to a new contact
        (``_fields_sync``); with it, nothing is copied: the writer puts them in the values itself."""
        synced = self.Partner.create({"name": "Синхронный", "parent_id": self.company.id})
        self.assertEqual((synced.street, synced.vat), ("ул. Ленина, 1", "7707083893"))
        skipped = self.Partner.with_context(_partners_skip_fields_sync=True).create(
            {"name": "Несинхронный", "parent_id": self.company.id})
        self.assertEqual((skipped.street, skipped.vat), (False, False))

    def test_first_contact_gives_its_address(self):
        bare = self.Partner.create({"name": "ООО Без адреса", "is_company": True})
        contact = self.Partner.with_context(_partners_skip_fields_sync=True).create(
            {"name": "Первый", "parent_id": bare.id, "street": "пр. Мира, 5", "city": "Тула"})
        self.assertFalse(bare.street)
        contact._handle_first_contact_creation()
        self.assertEqual((bare.street, bare.city), ("пр. Мира, 5", "Тула"))

    def test_remove_to_compute_keeps_a_given_computed_value(self):
        field = self.Partner._fields["phone_sanitized"]
        partner = self.Partner.create({"name": "Номер", "phone": "+79121234567", "phone_sanitized": "+79990000000"})
        self.assertTrue(self.env.is_to_compute(field, partner), "create marks the computed field to compute")
        self.env.remove_to_compute(field, partner)
        self.assertFalse(self.env.is_to_compute(field, partner))
        self.env.flush_all()
        partner.invalidate_recordset()
        self.assertEqual(partner.phone_sanitized, "+79990000000", "the given value is stored, not computed")

    def test_context_defaults_are_read_first(self):
        self.env["ir.default"].set("res.partner", "function", "Закупщик")
        Partner = self.Partner.with_context(default_comment="<p>Из файла</p>")
        self.assertEqual(Partner.default_get(["function", "comment"]),
                         {"function": "Закупщик", "comment": "<p>Из файла</p>"})
        partner = Partner.with_context(default_function="Директор").create({"name": "С умолчаниями"})
        self.assertEqual(partner.function, "Директор", "a default_* context key wins over ir.default")

    def test_writer_creates_cards_with_the_batch_defaults(self):
        """The writer end to end: one batch, the organisation's fields synced, defaults as create gives them,
        no default_* key left in the cards' context."""
        self.env["ir.default"].set("res.partner", "function", "Закупщик")
        writer = self.env["crm.import.partner.writer"].with_user(self.operator)
        run = import_rows.ImportRun()
        results = [{"warnings": []}, {"warnings": []}]
        anna_ref, boris_ref = import_rows.placeholder(2, "person"), import_rows.placeholder(3, "person")
        creations = [
            (results[0], anna_ref, {"name": "Анна", "parent_id": self.company.id, "type": "contact"}),
            (results[1], boris_ref, {"name": "Борис", "function": "Инженер", "phone": "+79121234567",
                                     "phone_sanitized": "+79121234567"}),
        ]
        writer._create_partners(run, creations, "guard")
        anna, boris = self.Partner.browse([run.ref_ids[anna_ref], run.ref_ids[boris_ref]])
        self.assertEqual((anna.street, anna.vat, anna.function), ("ул. Ленина, 1", "7707083893", "Закупщик"))
        self.assertEqual((boris.function, boris.phone_sanitized), ("Инженер", "+79121234567"))
        self.assertEqual([result["warnings"] for result in results], [[], []])
        self.assertEqual(self.Partner.default_get(["function"]), {"function": "Закупщик"},
                         "res.partner's defaults are Odoo's own: nothing of the import on res.partner")
        defaults = writer._creation_defaults(writer._partner_env().sudo())
        self.assertEqual(defaults.get("default_function"), "Закупщик")
        self.assertTrue(all(key.startswith("default_") for key in defaults))

    def _parent_null_fraction(self):
        self.env.cr.execute(SQL(
            "SELECT null_frac FROM pg_stats WHERE tablename = 'res_partner' AND attname = 'parent_id'"))
        return self.env.cr.fetchone()[0]

    def test_parent_statistics_follow_the_contacts_the_run_links(self):
        """Odoo's cycle check of each new contact is planned from the statistics of parent_id: the writer
        refreshes them as a run links contacts to organisations (first after PARENT_STATISTICS_FIRST, then
        each time it has linked twice as many), and PostgreSQL's ANALYZE sees this transaction's rows."""
        writer = self.env["crm.import.partner.writer"].with_user(self.operator)
        self.env.cr.execute(SQL("ANALYZE res_partner (parent_id)"))
        before = self._parent_null_fraction()
        self.Partner.create([{"name": f"Контакт {n}", "parent_id": self.company.id} for n in range(60)])
        run = import_rows.ImportRun()
        linked = [({"org_ref": self.company.id}, import_rows.placeholder(n, "person"), {}) for n in range(30)]
        with patch.object(crm_import_partner_writer, "PARENT_STATISTICS_FIRST", 40):
            writer._link_people(run, linked)
            self.assertEqual(run.people_linked, 30)
            self.assertEqual(self._parent_null_fraction(), before, "30 linked: not refreshed yet")
            writer._link_people(run, linked)
            self.assertEqual(self._parent_null_fraction(), before, "refreshed before linking, at 30 of 40")
            writer._link_people(run, [])
            self.assertLess(self._parent_null_fraction(), before, "60 linked: the 60 new contacts are counted")
            self.assertEqual(run.next_parent_analyze, 120, "next: when the run has linked twice as many")
        self.assertEqual({vals["parent_id"] for _result, _ref, vals in linked}, {self.company.id})
