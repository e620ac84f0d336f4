from unittest.mock import patch

from lxml import etree

from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import code_translations

from . import import_samples
from .common_import import CustomerImportCase

# the job's own working tables: the preview replaces its preview rows there, by design
JOB_TABLES = ("crm_import_job", "crm_import_job_row", "crm_import_job_column", "crm_import_job_sheet")


@tagged("post_install", "-at_install")
class TestCustomerImportPreviewWritesNothing(CustomerImportCase):
    """The preview decides every row like the import but leaves the database as it was."""

    def database_fingerprint(self):
        """{table: md5 of all its rows}, every table of the database but the import job's own."""
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                  AND table_name NOT IN %s
             ORDER BY table_name""", JOB_TABLES))
        fingerprint = {}
        for (table,) in self.env.cr.fetchall():
            self.env.cr.execute(SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM %s t",
                SQL.identifier(table)))
            fingerprint[table] = self.env.cr.fetchone()
        return fingerprint

    def test_preview_creates_no_tag_partner_or_country(self):
        header = [*self.header, "Метки"]
        rows = [
            ["Иван Петров", "ООО «Превью»", "7707083893", "773601001", "Директор", "+7 912 000-00-01",
             "preview.one@example.com", "Москва", "Новая метка превью, Ещё одна метка"],
            ["Анна Сидорова", "ООО «Превью»", "7707083893", "773601001", "Бухгалтер", "8 (912) 000-00-02",
             "preview.two@example.com", "Москва", "Новая метка превью"],
        ]
        job = self.new_job(self.make_csv(rows, header=header), "preview.csv")  # reading shows a preview
        self.assertFalse(self.env["res.partner.category"].search([("name", "=", "Новая метка превью")]))
        before = self.database_fingerprint()

        job.action_refresh_preview()

        self.assertEqual(self.database_fingerprint(), before, "the preview wrote outside its own job")
        self.assertEqual(len(job.preview_row_ids), 2)
        self.assertEqual(set(job.preview_row_ids.mapped("decision")), {"created"})
        self.assertFalse(self.env["res.partner.category"].search([("name", "=", "Новая метка превью")]))

    def test_preview_looks_a_new_tag_up_once(self):
        """A tag the preview does not create is looked up once for the file, not once per row."""
        header = [*self.header, "Метки"]
        rows = [[f"Тегов{n} Иван", "", "", "", "", "", f"tag.once{n}@example.com", "Казань", "Метка один раз"]
                for n in range(40)]
        job = self.new_job(self.make_csv(rows, header=header), "tag_once.csv")
        Category = type(self.env["res.partner.category"])
        searched = []
        search = Category.search

        def counting_search(records, domain, *args, **kwargs):
            searched.append(str(domain))
            return search(records, domain, *args, **kwargs)

        with patch.object(Category, "search", counting_search):
            job.action_refresh_preview()
        self.assertEqual(len([domain for domain in searched if "Метка один раз" in domain]), 1, searched)
        self.assertEqual(job.preview_create_count, 40)
        self.assertFalse(self.env["res.partner.category"].search([("name", "=", "Метка один раз")]))

    def test_import_after_preview_creates_the_tags_once(self):
        header = [*self.header, "Метки"]
        rows = [
            ["Олег Тегов", "", "", "", "", "", "oleg.tegov@example.com", "Казань", "Метка импорта"],
            ["Нина Тегова", "", "", "", "", "", "nina.tegova@example.com", "Казань", "Метка импорта"],
        ]
        job = self.new_job(self.make_csv(rows, header=header), "tags.csv")
        job.action_refresh_preview()
        job.action_import()
        self.assertEveryRowAccounted(job)
        tag = self.env["res.partner.category"].search([("name", "=", "Метка импорта")])
        self.assertEqual(len(tag), 1)
        self.assertEqual(job.row_ids.partner_id.category_id, tag)


@tagged("post_install", "-at_install")
class TestCustomerImportPreviewTotals(CustomerImportCase):
    """The preview decides every row of the file: totals for the whole file, duplicates shown with what
    they match, decisions worded as what will happen; after the import, as what happened."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 30 rows (sheet rows 2-31): everything worth counting lies past the 20 first rows
        cls.rows = [[" ".join(import_samples.person(i)), "", "", "", "", "", f"total{i:02d}@example.com", ""]
                    for i in range(30)]
        cls.rows[21][0] = ""  # no name, no organisation: rejected
        cls.rows[22][6] = "not-an-email"  # rejected
        cls.rows[23][6] = "total23@example.com"  # a contact of the database
        cls.rows[24][5:8] = ["123-45-67", "total24@example.com", "Тула"]  # area code inferred from the city
        cls.rows[25][2] = "1234567890"  # bad checksum: rejected (strict identifiers)
        cls.rows[26] = list(cls.rows[2])  # the customer of row 4 once more
        cls.existing = cls.env["res.partner"].create({
            "name": " ".join(import_samples.person(23)), "email": "total23@example.com", "ref": "К-0023"})

    def new_totals_job(self):
        return self.new_job(self.make_csv(self.rows), "totals.csv", strict_identifiers=True)

    def preview_row(self, job, number):
        return job.preview_row_ids.filtered(lambda row: row.row_number == number)

    def test_totals_count_every_row_of_the_file(self):
        partners = self.env["res.partner"].search_count([])
        job = self.new_totals_job()
        self.assertEqual(len(job.preview_row_ids), 30, "the preview decides every row of the file")
        self.assertEqual(
            [job.preview_rows_read, job.preview_create_count, job.preview_update_count, job.preview_skip_count,
             job.preview_reject_count, job.preview_file_duplicate_count, job.preview_existing_duplicate_count,
             job.preview_phone_inferred_count],
            [30, 25, 0, 2, 3, 1, 1, 1])
        self.assertEqual(set(job.preview_reject_reasons.splitlines()), {
            "No contact name and no organisation: 1", "Invalid email: 1", "Invalid INN: 1"})
        self.assertTrue(self.preview_row(job, 26).phone_inferred)
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "the preview created nobody")

        job.action_import()
        self.assertEqual([job.created_count, job.updated_count, job.skipped_count, job.rejected_count],
                         [25, 0, 2, 3], "the import does what the preview announced")

    def test_totals_cleared_when_nothing_can_be_decided(self):
        job = self.new_totals_job()
        self.assertEqual(job.preview_rows_read, 30)
        job.column_ids.filtered(lambda column: column.target in ("name", "company")).target = False
        job.action_read_file()  # same columns: the user's mapping is kept, and it names nobody
        self.assertEqual(job.state, "preview")
        self.assertIn("Map at least one column to Contact Name or Organisation", job.warnings)
        self.assertFalse(job.preview_row_ids)
        self.assertEqual([job.preview_rows_read, job.preview_create_count, job.preview_reject_count,
                          job.preview_reject_reasons], [0, 0, 0, False], "no totals of an earlier mapping")

    def test_duplicates_show_what_they_match(self):
        job = self.new_totals_job()
        in_file, existing = self.preview_row(job, 28), self.preview_row(job, 25)
        name = " ".join(import_samples.person(2))
        self.assertEqual(in_file.duplicate_row, 4)
        self.assertEqual(in_file.duplicate_label, f"Row 4 ({name})")
        self.assertEqual(existing.duplicate_of_id, self.existing)
        self.assertEqual(existing.duplicate_label, f"{self.existing.display_name} (ref. К-0023)")

        # the preview's rows filtered to the duplicates, as the button opens them
        action = job.with_context(crm_import_row_filter="duplicate").action_view_preview_rows()
        self.assertEqual(action["context"].get("search_default_duplicate"), 1)
        search_view = etree.fromstring(self.env.ref("crm_core.view_crm_import_job_row_search").arch)
        filter_domain = safe_eval(search_view.xpath("//filter[@name='duplicate']")[0].get("domain"))
        shown = self.env["crm.import.job.row"].with_user(self.operator).search(
            Domain(action["domain"]) & Domain(filter_domain))
        self.assertEqual(shown, in_file | existing)
        # a filter the search view does not have is not passed on
        action = job.with_context(crm_import_row_filter="group_by_evil").action_view_preview_rows()
        self.assertEqual(action["context"], {"default_job_id": job.id})

    def test_decision_reads_as_what_will_happen_then_what_happened(self):
        job = self.new_totals_job()
        name = " ".join(import_samples.person(2))
        self.assertEqual(self.preview_row(job, 2).outcome, "Will be created")
        self.assertEqual(self.preview_row(job, 23).outcome, "Will be rejected")
        self.assertEqual(self.preview_row(job, 28).outcome, f"Duplicate of Row 4 ({name}): will be skipped")

        job.action_import()
        rows = {row.row_number: row for row in job.row_ids}
        self.assertEqual(rows[2].outcome, "Created")
        self.assertEqual(rows[23].outcome, "Rejected")
        self.assertEqual(rows[28].outcome, f"Duplicate of Row 4 ({name}): skipped")

    def test_row_numbers_are_not_summed_when_grouped(self):
        job = self.new_totals_job()
        job.action_import()
        Row = self.env["crm.import.job.row"].with_user(self.operator)
        for model, fnames in ((Row, ["row_number", "duplicate_row"]),
                              (self.env["crm.import.job.column"], ["column_index"]),
                              (self.env["crm.import.job"], ["header_row"])):
            for fname, description in model.fields_get(fnames, ["aggregator"]).items():
                self.assertFalse(description.get("aggregator"), f"{model._name}.{fname} is an identifier")
        groups = Row.formatted_read_group([("job_id", "=", job.id)], ["decision"], ["__count"])
        self.assertEqual({group["decision"]: group["__count"] for group in groups},
                         {"created": 25, "skipped": 2, "rejected": 3})

    def test_inn_and_kpp_warnings_are_translatable_sentences(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        rows = [["Иван Ошибкин", "ООО «Ошибка»", "1234567890", "12", "", "", "oshibkin@example.com", ""]]
        translations = {
            "INN %(value)s: %(error)s": "ИНН %(value)s: %(error)s",
            "KPP %(value)s: %(error)s": "КПП %(value)s: %(error)s",
            "INN checksum does not match": "контрольная сумма ИНН не сходится",
            "KPP must have 9 characters": "в КПП должно быть 9 знаков",
        }
        with patch.dict(code_translations.python_translations, {("crm_core", "ru_RU"): translations}):
            job = self.new_job(self.make_csv(rows), "inn.csv")
            job = job.with_context(lang="ru_RU")
            job.action_refresh_preview()
            reason = job.preview_row_ids.reason
        self.assertIn("ИНН 1234567890: контрольная сумма ИНН не сходится", reason)
        self.assertIn("КПП 12: в КПП должно быть 9 знаков", reason)
        self.assertNotIn("INN", reason)
        self.assertNotIn("KPP", reason)
