import base64
import io
import zipfile

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_import import CustomerImportCase, shared_data_dir


@tagged("post_install", "-at_install")
class TestCustomerImportBadFiles(CustomerImportCase):
    """A bad file is refused with a clear message before anything is written."""

    def assertRefused(self, content, filename, message, **values):
        partner_count = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(UserError, message):
            self.new_job(content, filename, **values)
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)

    def test_not_a_spreadsheet(self):
        self.assertRefused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.xlsx", "not a spreadsheet")
        self.assertRefused(b"\x00\x01\x02\x00binary\x00", "data.csv", "not a spreadsheet")

    def test_corrupted_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        self.assertRefused(buffer.getvalue(), "clients.xlsx", "damaged")
        self.assertRefused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "damaged")

    def test_shared_broken_and_empty_files(self):
        data = shared_data_dir()
        if data is None:
            self.skipTest("shared/data is not beside this repository")
        self.assertRefused((data / "broken.xlsx").read_bytes(), "broken.xlsx", "damaged")
        self.assertRefused((data / "empty.csv").read_bytes(), "empty.csv", "is empty")

    def test_empty_sheet(self):
        content = self.make_xlsx([["Контактное лицо", "Телефон"], ["Иванов Иван", "89123456789"]])
        job = self.new_job(content, "clients.xlsx")
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(content))
        workbook.create_sheet("Пусто")
        buffer = io.BytesIO()
        workbook.save(buffer)
        job.write({"file": base64.b64encode(buffer.getvalue())})
        job.action_read_file()
        self.assertEqual(job.sheet_ids.mapped("name"), ["Клиенты", "Пусто"])
        job.sheet_id = job.sheet_ids.filtered(lambda s: s.name == "Пусто")
        with self.assertRaisesRegex(UserError, "Пусто is empty"):
            job.action_change_sheet()

    def test_no_header_row(self):
        content = self.make_xlsx([[1, 2, 3], [4, 5, 6]])
        self.assertRefused(content, "numbers.xlsx", "No header row")
        self.assertRefused(self.make_csv([["a", "b"]], header=["x", "y"]), "numbers.csv", "No header row")

    def test_file_over_the_configured_size(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_core.import_max_size_mb", "0.001")
        rows = [[f"Клиент {i}", "", "", "", "", "89123456789", f"c{i}@example.com", "Москва"] for i in range(100)]
        self.assertRefused(self.make_csv(rows), "big.csv", "over the limit")

    def test_formula_without_value_is_refused(self):
        content = self.make_xlsx([["Контактное лицо", "Телефон", "E-mail"], ["Иванов Иван", "=A2", "i@ex.ru"]])
        self.assertRefused(content, "formulas.xlsx", "formula without a computed value")

    def test_merged_header_refused_merged_data_filled(self):
        header = ["Контактное лицо", "Организация", "Город"]
        content = self.make_xlsx([header, ["Иванов Иван", "ООО «Ромашка»", "Москва"]], merged=["A1:B1"])
        self.assertRefused(content, "merged.xlsx", "merged cells")
        content = self.make_xlsx([
            header,
            ["Иванов Иван", "ООО «Ромашка»", "Москва"],
            ["Петров Пётр", None, None],
        ], merged=["B2:B3", "C2:C3"])
        job = self.import_file(content, "merged.xlsx")
        self.assertIn("merged", job.warnings)
        self.assertEveryRowAccounted(job)
        petrov = job.row_ids.filtered(lambda r: r.row_number == 3).partner_id
        self.assertEqual(petrov.parent_id.name, "ООО «Ромашка»", "a merged cell gives its value to each row")
        self.assertEqual(petrov.city, "Москва")

    def test_xls_dates_stored_as_numbers(self):
        import xlwt

        workbook = xlwt.Workbook()
        sheet = workbook.add_sheet("Контрагенты")
        date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
        for col, title in enumerate(["Контактное лицо", "Телефон", "Комментарий"]):
            sheet.write(0, col, title)
        sheet.write(1, 0, "Иванов Иван")
        sheet.write(1, 1, 89123456789)  # a phone typed as a number
        sheet.write(1, 2, 45352.0, date_style)  # 2024-03-01 stored as a serial number
        buffer = io.BytesIO()
        workbook.save(buffer)
        job = self.import_file(buffer.getvalue(), "legacy.xls")
        row = job.row_ids
        self.assertEqual(row._original_values()["Комментарий"], "2024-03-01")
        self.assertIn("2024-03-01", str(row.partner_id.comment))
        self.assertEqual(row.partner_id.phone, "+79123456789")
