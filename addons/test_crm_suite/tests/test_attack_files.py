import base64
import io
import zipfile

import openpyxl

from odoo.addons.crm_core.tools import spreadsheet_samples as samples
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

HEADER = ["Контактное лицо", "Организация", "ИНН", "КПП", "Должность", "Телефон", "E-mail", "Город"]
GOOD_ROW = ["Иванов Иван", "", "", "", "", "89123456789", "ivanov@files.example", "Москва"]


@tagged("post_install", "-at_install")
class TestAttackFiles(HttpCase):
    """Crafted customer files sent by a data operator over real JSON-RPC, as a browser would send them.

    Each bomb is refused with a clear, translated error when the file is read, and nothing is written;
    hostile texts in rejected rows come back as plain text in the rejected-rows workbook.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.operator = new_test_user(cls.env, "files_operator", name="Ольга Файлова",
                                     groups="crm_core.group_crm_data_operator")
        workbook = samples.xlsx([HEADER, GOOD_ROW])
        cls.bombs = {
            "zip bomb": (samples.zip_bomb(workbook), "bomb.xlsx", "compressed"),
            "huge dimension": (samples.huge_dimension(workbook), "dimension.xlsx", "rows in a sheet"),
            "merged-range bomb": (samples.merged_bomb(workbook), "merged.xlsx", "rows in a sheet"),
            "200 KB CSV field": (samples.long_field_csv(HEADER, "Иванов Иван"), "field.csv", "characters"),
            "NUL bytes": (samples.nul_bytes_csv(HEADER, GOOD_ROW, 200), "nul.csv", "NUL characters"),
        }

    def setUp(self):
        super().setUp()
        self.authenticate(self.operator.login, self.operator.login)

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def _upload(self, content, filename):
        return self._call("crm.import.job", "create", [{
            "file": base64.b64encode(content).decode(), "filename": filename,
            "region_country_id": self.env.ref("base.ru").id}])[0]

    def test_bombs_are_refused_when_read_and_nothing_is_written(self):
        for case, (content, filename, message) in self.bombs.items():
            with self.subTest(case=case):
                partners = self.env["res.partner"].search_count([])
                job_id = self._upload(content, filename)
                with self.assertLogs("odoo.http", "WARNING") as logs, self.assertRaises(JsonRpcException) as caught:
                    self._call("crm.import.job", "action_read_file", [job_id])
                self.assertEqual(str(caught.exception), "odoo.exceptions.UserError")
                self.assertIn(message, "\n".join(logs.output))
                job = self.env["crm.import.job"].browse(job_id)
                self.assertEqual(job.state, "draft")
                self.assertFalse(job.column_ids)
                self.assertFalse(self.env["crm.import.job.row"].search([("job_id", "=", job_id)]))
                self.assertEqual(self.env["res.partner"].search_count([]), partners, "no contact written")

    def test_formula_and_control_characters_come_back_as_text(self):
        rows = [
            ["Печкин\x01 Игорь", "", "", "", "", "", "pechkin@@bad", "Москва"],
            ["", "=HYPERLINK(\"http://evil.example\",\"click\")", "", "", "", "", "=1+1", "Москва"],
            GOOD_ROW,
        ]
        content = samples.csv_file(HEADER, rows)
        job_id = self._upload(content, "hostile.csv")
        self._call("crm.import.job", "action_read_file", [job_id])
        self._call("crm.import.job", "action_import", [job_id])
        job = self.env["crm.import.job"].browse(job_id)
        self.assertEqual((job.created_count, job.rejected_count), (1, 2))
        self.assertTrue(self.env["res.partner"].search([("email", "=", "ivanov@files.example")]))
        rejected = base64.b64decode(job.with_context(bin_size=False).rejected_file)
        self.assertNotIn(b"<f>", zipfile.ZipFile(io.BytesIO(rejected)).read(samples.SHEET), "no live formula")
        sheet = openpyxl.load_workbook(io.BytesIO(rejected)).active
        values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row if cell.value}
        self.assertIn("Печкин Игорь", values, "the control character is dropped, the text kept")
        self.assertIn("=1+1", values, "the formula text is kept as text")
        texts = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
        self.assertEqual({cell.data_type for cell in texts}, {"s"}, "every text stored as text")
