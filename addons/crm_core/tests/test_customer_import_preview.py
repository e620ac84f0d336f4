from odoo.tests import tagged
from odoo.tools import SQL

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
