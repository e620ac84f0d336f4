import base64
from unittest.mock import patch

from odoo.addons.crm_core.tools import spreadsheet
from odoo.tests import tagged

from .common_import import CustomerImportCase


@tagged("post_install", "-at_install")
class TestCustomerImportFastPath(CustomerImportCase):
    """The import's shortcuts give the cards Odoo's own create would give them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vector = cls.env["res.partner"].create({
            "name": "ООО «Вектор»", "is_company": True, "vat": "7707083893", "city": "Казань",
            "street": "ул. Баумана, 1", "user_id": cls.manager.id, "crm_lifecycle_stage": "customer",
        })

    def test_contacts_synced_from_their_organisation(self):
        rows = [
            ["Орлова Анна", "ООО «Вектор»", "7707083893", "", "Бухгалтер", "8 (912) 345-67-89 доб. 12",
             "orlova@vector.example", "Москва"],
            ["Смирнов Олег", "ООО «Новая Заря»", "", "", "Директор", "", "smirnov@zarya.example", "Тула"],
            ["Лебедев Павел", "ООО «Новая Заря»", "", "", "Снабженец", "123-45-67", "lebedev@zarya.example",
             "Тула"],
        ]
        job = self.import_file(self.make_csv(rows), "sync.csv")
        self.assertEveryRowAccounted(job)
        Partner = self.env["res.partner"]
        orlova = Partner.search([("email", "=", "orlova@vector.example")])
        self.assertEqual(orlova.parent_id, self.vector)
        # what Odoo's import syncs from the organisation after its create
        self.assertEqual(orlova.city, "Казань", "the organisation's address wins")
        self.assertEqual(orlova.street, "ул. Баумана, 1")
        self.assertEqual(orlova.vat, "7707083893")
        self.assertEqual(orlova.crm_lifecycle_stage, "customer", "commercial fields follow the organisation")
        self.assertEqual(orlova.user_id, self.manager, "a contact takes its organisation's salesperson")
        self.assertEqual(orlova.commercial_partner_id, self.vector)
        self.assertEqual(orlova.phone, "+79123456789 ext. 12")
        self.assertEqual(orlova.phone_sanitized, "+79123456789")
        self.assertEqual(orlova.phone_sanitized, orlova._phone_format(fname="phone"), "what phone_validation gives")
        self.assertEqual(orlova.complete_name, "ООО «Вектор», Орлова Анна")
        self.assertFalse(orlova.image_128)

        zarya = Partner.search([("name", "=", "ООО «Новая Заря»")])
        self.assertEqual(len(zarya), 1)
        smirnov, lebedev = (Partner.search([("email", "=", email)])
                            for email in ("smirnov@zarya.example", "lebedev@zarya.example"))
        self.assertEqual((smirnov | lebedev).parent_id, zarya)
        self.assertEqual(zarya.city, "Тула")
        self.assertFalse(smirnov.phone_sanitized)
        self.assertEqual(lebedev.phone, "+74871234567", "typed without area code: Тула's only one is added")
        lebedev.invalidate_recordset(["phone_sanitized"])
        self.assertEqual(lebedev.phone_sanitized, lebedev._phone_format(fname="phone"),
                         "what phone_validation gives")

    def test_first_contact_gives_its_address_to_an_organisation_without_one(self):
        bare = self.env["res.partner"].create({"name": "ООО «Пустырь»", "is_company": True, "vat": "7728168971"})
        job = self.import_file(self.make_csv([
            ["Козлов Игорь", "ООО «Пустырь»", "7728168971", "", "", "", "kozlov@pustyr.example", "Омск"],
        ]), "first.csv")
        self.assertEqual(job.created_count, 1)
        kozlov = self.env["res.partner"].search([("email", "=", "kozlov@pustyr.example")])
        self.assertEqual(kozlov.parent_id, bare)
        self.assertEqual(bare.city, "Омск", "as in Odoo: the first contact's address becomes the company's")

    def test_workbook_parsed_once(self):
        rows = [self.header, ["Фёдоров Фёдор", "", "", "", "", "", "fedorov@once.example", "Уфа"]]
        with patch.object(spreadsheet, "read_table", wraps=spreadsheet.read_table) as read_table:
            job = self.new_job(self.make_xlsx(rows), "once.xlsx")
            self.assertTrue(job.table_cache)
            job.action_import()
        self.assertEqual(read_table.call_count, 1, "the import reuses the sheet read at upload")
        self.assertEqual(job.created_count, 1)
        self.assertFalse(job.table_cache, "dropped once the import is done")

    def test_new_file_is_read_again(self):
        job = self.new_job(self.make_csv([["Первый Контакт", "", "", "", "", "", "", ""]]), "first.csv")
        self.assertEqual(job.rows_total, 1)
        job.file = base64.b64encode(self.make_csv([[f"Контакт {n}", "", "", "", "", "", "", ""] for n in range(3)]))
        self.assertFalse(job.table_cache, "a new file drops the sheet read before")
        job.action_read_file()
        self.assertEqual(job.rows_total, 3)

    def test_the_database_is_indexed_batch_by_batch_without_missing_a_card(self):
        """The partners of the database are read a few at a time (memory stays flat on a large database),
        and every one of them is still found as a duplicate, whichever batch it was in."""
        known = self.env["res.partner"].create([
            {"name": f"Клиент Пакетный {n}", "email": f"client{n}@batches.example", "city": "Пермь"}
            for n in range(7)])
        Job = type(self.env["crm.import.job"])
        index_partners = Job._index_partners
        batches = []

        def small_batches(job, run, batch=5000):
            before = len(run.index)
            index_partners(job, run, batch=3)
            batches.append(len(run.index) - before)

        rows = [[f"КЛИЕНТ ПАКЕТНЫЙ {n}", "", "", "", "", "", f"Client{n}@Batches.example", "Пермь"] for n in range(7)]
        with patch.object(Job, "_index_partners", small_batches):
            job = self.import_file(self.make_csv(rows), "batches.csv")
        self.assertEveryRowAccounted(job)
        self.assertGreater(batches[0], len(known), "the whole database is indexed, 3 partners at a time")
        self.assertEqual(job.skipped_count, 7)
        self.assertEqual(job.row_ids.duplicate_of_id, known, "each row found as the card it re-types")
