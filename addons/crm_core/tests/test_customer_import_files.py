from odoo.tests import tagged

from .common_import import CustomerImportCase, shared_data_dir

DATA = shared_data_dir()


@tagged("post_install", "-at_install")
class TestCustomerImportSampleFiles(CustomerImportCase):
    """The sample files of shared/data: everything accounted for, nothing duplicated."""

    def setUp(self):
        super().setUp()
        if DATA is None:
            self.skipTest("shared/data with the sample customer files is not beside this repository")

    def sample(self, name):
        return (DATA / name).read_bytes()

    def test_xlsx_sample_organisations_contacts_and_duplicates(self):
        job = self.import_file(self.sample("customers_ru.xlsx"), "customers_ru.xlsx")
        self.assertEqual(job.sheet_id.name, "Клиенты")
        self.assertEqual(job.sheet_ids.mapped("name"), ["Клиенты", "Пусто"])
        self.assertEqual(job.rows_total, 330)
        self.assertEveryRowAccounted(job)
        self.assertEqual(job.skipped_count, 30, "the 30 re-typed duplicates are skipped")
        self.assertEqual(job.created_count, 300)
        skipped = job.row_ids.filtered(lambda r: r.decision == "skipped")
        self.assertTrue(all(skipped.mapped("duplicate_row")), "a duplicate inside the file names its first row")
        self.assertEqual(skipped.mapped("match_reason"), ["email"] * 30)
        first = job.row_ids.filtered(lambda r: r.row_number == skipped[0].duplicate_row)
        self.assertEqual(skipped[0].duplicate_of_id, first.partner_id)

        people = job.row_ids.filtered(lambda r: r.decision == "created").partner_id
        self.assertEqual(len(people), 300)
        organisations = people.parent_id
        self.assertEqual(len(organisations), 6, "one company card per organisation of the file")
        self.assertTrue(all(organisations.mapped("is_company")))
        romashka = organisations.filtered(lambda p: "Ромашка" in p.name)
        self.assertEqual(romashka.vat, "7707083893", "a valid INN is kept in the tax id")
        self.assertEqual(romashka.crm_kpp, "770701001")
        # the phones, written every way, end in E.164 or are flagged
        by_row = {row.row_number: row for row in job.row_ids}
        self.assertEqual(by_row[3].partner_id.phone, "+79123456789")  # +7 (912) 345-67-89
        self.assertEqual(by_row[5].partner_id.phone, "+380441234567")  # 044 123 45 67
        # typed without area code in Санкт-Петербург, whose only area code is 812
        self.assertEqual(by_row[8].partner_id.phone, "+78121234567")
        self.assertIn("area code 812 inferred from Санкт-Петербург", by_row[8].phone_flag)
        self.assertEqual(by_row[9].partner_id.phone, "+78005553535")
        self.assertFalse(by_row[2].partner_id.phone, "«нет» is no phone")
        same_person = job.row_ids.filtered(lambda r: r.email == "client179@mail.example")
        self.assertEqual(sorted(same_person.mapped("decision")), ["created", "skipped"],
                         "CLIENT179@MAIL.EXAMPLE and client179@mail.example are one person")
        self.assertEqual(by_row[2].partner_id.function, "Главный бухгалтер")
        self.assertEqual(by_row[3].partner_id.email, "client1@mail.example")

    def test_same_file_twice_creates_nothing(self):
        first = self.import_file(self.sample("customers_ru.xlsx"), "customers_ru.xlsx")
        partner_count = self.env["res.partner"].search_count([])
        again = self.import_file(self.sample("customers_ru.xlsx"), "customers_ru.xlsx")
        self.assertEveryRowAccounted(again)
        self.assertEqual(again.created_count, 0)
        self.assertEqual(again.skipped_count, 330)
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)
        self.assertTrue(first.created_count)

    def test_1c_csv_cp1251_after_xlsx_creates_nothing_new(self):
        self.import_file(self.sample("customers_ru.xlsx"), "customers_ru.xlsx")
        partner_count = self.env["res.partner"].search_count([])
        job = self.import_file(self.sample("customers_1c.csv"), "customers_1c.csv")
        self.assertEqual(job.rows_total, 150)
        self.assertEveryRowAccounted(job)
        self.assertEqual(job.created_count, 0, "the same customers typed in 1C are recognised")
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)

    def test_1c_csv_alone(self):
        job = self.import_file(self.sample("customers_1c.csv"), "customers_1c.csv")
        self.assertEqual([c.target for c in job.column_ids.sorted("column_index")],
                         ["name", "company", "inn", "kpp", "function", "phone", "email", "city", "tag"])
        self.assertEveryRowAccounted(job)
        names = job.row_ids.filtered(lambda r: r.decision == "created").partner_id.parent_id.mapped("name")
        self.assertIn('ООО "СтройМаш"', names, "cp1251 decoded")

    def test_legacy_xls(self):
        job = self.import_file(self.sample("customers_legacy.xls"), "customers_legacy.xls")
        self.assertEqual(job.sheet_id.name, "Контрагенты")
        self.assertEqual(job.rows_total, 120)
        self.assertEveryRowAccounted(job)
        self.assertTrue(job.created_count)
        tags = job.row_ids.partner_id.category_id.mapped("name")
        self.assertIn("VIP", tags)

    def test_preview_writes_nothing(self):
        partner_count = self.env["res.partner"].search_count([])
        job = self.new_job(self.sample("customers_ru.xlsx"), "customers_ru.xlsx")
        self.assertEqual(job.state, "preview")
        self.assertEqual(len(job.preview_row_ids), job.rows_total, "the preview decides every row")
        self.assertFalse(job.row_ids)
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)
        row = job.preview_row_ids.filtered(lambda r: r.row_number == 3)
        self.assertEqual(row.phone, "+79123456789", "the preview shows normalized values")
        self.assertEqual(row.decision, "created")


@tagged("post_install", "-at_install")
class TestCustomerImportChunks(CustomerImportCase):
    """A sheet streamed chunk by chunk: every row imported once, also when the run stops and resumes."""

    def test_rows_of_several_chunks_imported_once(self):
        rows = [["Выгрузка контрагентов"], [], self.header]
        rows += [[f"Чанков Клиент{n}", "ООО «Чанк»" if n % 5 else None, "", "", "", f"8912555{n:04d}",
                  f"chunk{n}@stream.example", "Омск"] for n in range(23)]
        rows += [[], ["Чанков Клиент3", "ООО «Чанк»", "", "", "", "", "CHUNK3@stream.example", "Омск"]]
        # B5:B8 merged: rows 5 to 8 take the organisation of row 5, across the first two chunks
        job = self.new_job(self.make_xlsx(rows, merged=["B5:B8"]), "chunks.xlsx")
        self.assertEqual(job.header_row, 3)
        self.assertEqual(job.rows_total, 24, "the empty row is not counted")
        job.action_queue()
        self.assertFalse(job._run(commit_progress=lambda processed, remaining: False, chunk_size=7),
                         "out of time after the first chunk")
        self.assertEqual((job.state, job.rows_done), ("running", 7))
        self.assertTrue(job._run(chunk_size=7), "resumed where it stopped")
        self.assertEveryRowAccounted(job)
        self.assertEqual(sorted(job.row_ids.mapped("row_number")), [*range(4, 27), 28])
        self.assertEqual((job.created_count, job.skipped_count), (23, 1))
        by_row = {row.row_number: row for row in job.row_ids}
        self.assertEqual(by_row[28].decision, "skipped")
        self.assertEqual(by_row[28].duplicate_of_id, by_row[7].partner_id,
                         "the card of a row of an earlier chunk (and run) is found")
        self.assertEqual(by_row[8].partner_id.parent_id.name, "ООО «Чанк»", "merged cell filled in a later chunk")
        self.assertFalse(job.table_cache, "dropped once the import is done")
