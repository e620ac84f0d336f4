import base64
import io
import zipfile
from unittest.mock import patch

from odoo.addons.crm_core.tools import spreadsheet
from odoo.addons.crm_core.tools import spreadsheet_samples as samples
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_import import CustomerImportCase

HEADER = ["Контактное лицо", "Организация", "ИНН", "КПП", "Должность", "Телефон", "E-mail", "Город"]


@tagged("post_install", "-at_install")
class TestCustomerImportHostileFiles(CustomerImportCase):
    """Files built to hurt: refused with a clear error before anything is written; bad rows kept as text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good_rows = [["Иванов Иван", "", "", "", "", "89123456789", "ivanov@hostile.example", "Москва"]]
        cls.workbook = cls.make_xlsx([HEADER, *cls.good_rows])
        cls.hostile = {
            "zip bomb": (samples.zip_bomb(cls.workbook), "bomb.xlsx", "compressed [0-9]+ times"),
            "huge dimension": (samples.huge_dimension(cls.workbook), "dimension.xlsx", "1048576 rows in a sheet"),
            "merged-range bomb": (samples.merged_bomb(cls.workbook), "merged.xlsx", "1048576 rows in a sheet"),
            "merged area": (samples.merged_bomb(cls.workbook, "B3:ALL400000"), "area.xlsx",
                            "merged cells of a sheet of area.xlsx cover more than"),
            "200 KB CSV field": (samples.long_field_csv(HEADER, "Иванов Иван"), "field.csv",
                                 "Line 2 of field.csv holds a value of more than 32767 characters"),
            "NUL bytes": (samples.nul_bytes_csv(HEADER, cls.good_rows[0], 200), "nul.csv",
                          r"holds NUL characters \(line 202\)"),
        }

    def setUp(self):
        super().setUp()
        self.partner_count = self.env["res.partner"].search_count([])

    def upload(self, content, filename, user=None):
        return self.env["crm.import.job"].with_user(user or self.operator).create({
            "file": base64.b64encode(content), "filename": filename, "region_country_id": self.russia.id})

    def assertNothingWritten(self, job):
        self.assertEqual(self.env["res.partner"].search_count([]), self.partner_count, "no contact written")
        self.assertFalse(self.env["crm.import.job.row"].search([("job_id", "=", job.id)]), "no row logged")
        self.assertFalse(job.column_ids)
        self.assertEqual(job.rows_done, 0)

    def test_hostile_files_refused_at_upload(self):
        for case, (content, filename, message) in self.hostile.items():
            with self.subTest(case=case):
                job = self.upload(content, filename)
                with self.assertRaisesRegex(UserError, message):
                    job.action_read_file()
                self.assertEqual(job.state, "draft")
                self.assertNothingWritten(job)

    def test_hostile_files_queued_fail_on_the_job(self):
        """A hostile file that reaches the background job (queued over RPC) fails the job, cleanly."""
        jobs = {}
        for case, (content, filename, _message) in self.hostile.items():
            jobs[case] = self.upload(content, filename)
            jobs[case].write({"state": "queued"})  # the operator queues their own job: allowed, runs as them
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=100.0):
            self.env["crm.import.job"]._cron_process_import_jobs()
        for case, (_content, _filename, message) in self.hostile.items():
            with self.subTest(case=case):
                job = jobs[case]
                self.assertEqual(job.state, "failed")
                self.assertRegex(job.error_message, message)
                self.assertNothingWritten(job)

    def test_bad_rows_keep_hostile_text_as_plain_text(self):
        """Control characters and formula-like texts of rejected rows: the good rows are imported and the
        rejected-rows workbook holds the texts as text (never a formula), without the illegal characters."""
        formulas = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+7+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                    "\t=1+1", "\r=1+1"]
        rows = [
            ["Печкин\x01 Игорь\x1b", "", "", "", "", "", "pechkin@@bad", "Москва"],  # rejected: bad email
            *[["", text, "", "", "", "", text, "Москва"] for text in formulas],  # rejected: email not valid
            ["Сидоров Пётр", "", "", "", "", "", "sidorov@hostile.example", "Москва"],
        ]
        job = self.import_file(self.make_csv(rows), "hostile.csv")
        self.assertEveryRowAccounted(job)
        self.assertEqual((job.created_count, job.rejected_count), (1, 7))
        self.assertTrue(self.env["res.partner"].search([("email", "=", "sidorov@hostile.example")]))
        content = base64.b64decode(job.with_context(bin_size=False).rejected_file)
        xml = zipfile.ZipFile(io.BytesIO(content)).read(samples.SHEET)
        self.assertNotIn(b"<f>", xml, "no formula in the rejected rows")
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = {row[0].row: row for row in sheet.iter_rows(min_row=2)}
        self.assertEqual(cells[2][0].value, "Печкин Игорь", "illegal characters removed, the rest kept")
        self.assertEqual(cells[2][0].data_type, "s")
        written = [cells[index][6] for index in range(3, 3 + len(formulas))]
        # the reader strips the blanks around a value: "\t=1+1" is logged (and written back) as "=1+1"
        self.assertEqual([cell.value for cell in written], [text.strip() for text in formulas])
        self.assertEqual({cell.data_type for cell in written}, {"s"})
        self.assertEqual(cells[3][1].value, formulas[0])

    def test_failing_rejected_file_keeps_the_imported_rows(self):
        rows = [["", "", "", "", "", "89121234567", "", "Москва"],
                ["Орлов Дмитрий", "", "", "", "", "", "orlov@hostile.example", "Москва"]]
        with patch.object(spreadsheet, "write_xlsx", side_effect=ValueError("disk full")), \
                self.assertLogs("odoo.addons.crm_core.models.crm_import_job_log", level="ERROR"):
            job = self.import_file(self.make_csv(rows), "rejects.csv")
        self.assertEveryRowAccounted(job)
        self.assertEqual((job.created_count, job.rejected_count), (1, 1))
        self.assertFalse(job.rejected_file)
        self.assertIn("disk full", job.warnings)
        self.assertTrue(self.env["res.partner"].search([("email", "=", "orlov@hostile.example")]))


@tagged("post_install", "-at_install")
class TestCustomerImportQueuedAsUser(CustomerImportCase):
    """Background imports run as the user and in the company that queued them, with what steers them frozen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Филиал Север", "country_id": cls.russia.id})
        cls.operator.write({"company_ids": [(4, cls.company_b.id)]})
        cls.rows = [[f"Клиент Фоновый{i}", "", "", "", "", "", f"bg{i}@queued.example", "Омск"] for i in range(3)]

    def queued_job(self):
        job = self.new_job(self.make_csv(self.rows), "queued.csv")
        job.action_queue()
        self.assertEqual(job.state, "queued")
        return job

    def run_cron(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=100.0):
            self.env["crm.import.job"]._cron_process_import_jobs()

    def test_cron_runs_as_the_queuing_user(self):
        job = self.queued_job()
        self.run_cron()
        self.assertEqual(job.state, "done")
        partners = job.row_ids.partner_id
        self.assertEqual(len(partners), 3)
        self.assertEqual(partners.create_uid, self.operator, "created by the operator, not by the superuser")
        self.assertEqual(job.row_ids.create_uid, self.operator)

    def test_cron_obeys_the_access_rights_of_the_user(self):
        job = self.queued_job()
        # the operator loses the right to import after queuing: the job must not run with more rights
        self.operator.write({"group_ids": [(3, self.env.ref("crm_core.group_crm_data_operator").id)]})
        partner_count = self.env["res.partner"].search_count([])
        self.run_cron()
        self.assertEqual(job.state, "failed")
        self.assertTrue(job.error_message)
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)

    def test_cron_refuses_a_company_the_user_left(self):
        job = self.queued_job()
        self.assertEqual(job.company_id, self.company_a)
        self.operator.write({"company_id": self.company_b.id, "company_ids": [(6, 0, self.company_b.ids)]})
        partner_count = self.env["res.partner"].search_count([])
        self.run_cron()
        self.assertEqual(job.state, "failed")
        self.assertIn("no longer works for its company", job.error_message)
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)

    def test_steering_fields_frozen_once_queued(self):
        job = self.queued_job()
        as_operator = job.with_user(self.operator)
        other_file = base64.b64encode(self.make_csv([["Чужой Контакт", "", "", "", "", "", "", ""]]))
        changes = [
            {"company_id": self.company_b.id},
            {"file": other_file},
            {"filename": "other.csv"},
            {"duplicate_policy": "overwrite"},
            {"strict_identifiers": True},
            {"user_id": self.operator_2.id},
            {"header_row": 5},
        ]
        for vals in changes:
            with self.subTest(vals=list(vals)), self.assertRaisesRegex(UserError, "already queued"):
                as_operator.write(vals)
        with self.assertRaisesRegex(UserError, "already queued"):
            as_operator.column_ids[:1].write({"target": "comment"})
        with self.assertRaisesRegex(UserError, "already queued"):
            as_operator.column_ids[:1].unlink()
        with self.assertRaisesRegex(UserError, "already queued"):
            self.env["crm.import.job.column"].with_user(self.operator).create(
                {"job_id": job.id, "column_index": 99, "header": "X", "target": "comment"})
        with self.assertRaisesRegex(UserError, "already queued"):
            job.with_user(self.manager).write({"company_id": self.company_b.id})
        job.invalidate_recordset()
        self.assertEqual((job.company_id, job.duplicate_policy, job.user_id, job.filename),
                         (self.company_a, "skip", self.operator, "queued.csv"))
        self.assertEqual(job.column_ids.filtered(lambda c: c.target == "email").header, "E-mail")
        self.run_cron()
        self.assertEqual((job.state, job.created_count), ("done", 3))

    def test_only_the_user_of_a_job_queues_it(self):
        job = self.new_job(self.make_csv(self.rows), "someone.csv")
        with self.assertRaises(AccessError):
            job.with_user(self.manager).write({"state": "queued"})
        with self.assertRaises(AccessError):
            self.env["crm.import.job"].with_user(self.manager).create({
                "file": job.file, "filename": "x.csv", "user_id": self.operator.id, "state": "queued"})
        job.with_user(self.manager).action_queue()
        self.assertEqual(job.user_id, self.manager, "queued by the manager: runs as the manager")

    def test_buttons_check_the_rights_of_the_caller(self):
        job = self.new_job(self.make_csv(self.rows), "mine.csv")
        for user in (self.salesman, self.operator_2):
            for method in ("action_read_file", "action_change_sheet", "action_refresh_preview", "action_import",
                           "action_queue", "action_reset", "action_download_rejected", "action_view_rows",
                           "action_view_preview_rows"):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    getattr(job.with_user(user), method)()
        with self.assertRaises(AccessError):
            job.column_ids[:1].with_user(self.operator_2).write({"target": "comment"})
        self.assertEqual(job.state, "preview")
        portal = new_test_user(self.env, login="imp_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            job.with_user(portal).action_import()
