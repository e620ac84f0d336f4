import base64
import csv
import io
from pathlib import Path

from odoo.tests import TransactionCase, new_test_user


def shared_data_dir():
    """The sample customer files: ``<repo>/../shared/data`` or ``<repo>/shared/data`` (None if absent)."""
    repo = Path(__file__).resolve().parents[3]
    for candidate in (repo.parent / "shared" / "data", repo / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return None


class CustomerImportCase(TransactionCase):
    """A Russian company, two data operators, a sales manager and a plain salesman."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.russia = cls.env.ref("base.ru")
        cls.env.company.country_id = cls.russia
        cls.operator = new_test_user(
            cls.env, login="imp_operator", name="Ольга Операторова", groups="crm_core.group_crm_data_operator")
        cls.operator_2 = new_test_user(
            cls.env, login="imp_operator2", name="Павел Операторов", groups="crm_core.group_crm_data_operator")
        cls.manager = new_test_user(
            cls.env, login="imp_manager", name="Мария Руководитель", groups="sales_team.group_sale_manager")
        cls.salesman = new_test_user(
            cls.env, login="imp_salesman", name="Сергей Продавцов", groups="sales_team.group_sale_salesman")
        cls.header = ["Контактное лицо", "Организация", "ИНН", "КПП", "Должность", "Телефон", "E-mail", "Город"]

    @staticmethod
    def make_csv(rows, header=None, delimiter=";", encoding="utf-8"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        if header is not False:
            writer.writerow(header or ["Контактное лицо", "Организация", "ИНН", "КПП", "Должность",
                                       "Телефон", "E-mail", "Город"])
        writer.writerows(rows)
        return buffer.getvalue().encode(encoding)

    @staticmethod
    def make_xlsx(rows, merged=(), title="Клиенты"):
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = title
        for row in rows:
            sheet.append(row)
        for cell_range in merged:
            sheet.merge_cells(cell_range)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def new_job(self, content, filename, user=None, **values):
        """A job uploaded by ``user`` (the data operator by default) and read: state preview."""
        job = self.env["crm.import.job"].with_user(user or self.operator).create({
            "file": base64.b64encode(content),
            "filename": filename,
            "region_country_id": self.russia.id,
            **values,
        })
        job.action_read_file()
        return job

    def import_file(self, content, filename, user=None, **values):
        job = self.new_job(content, filename, user=user, **values)
        job.action_import()
        return job

    def assertEveryRowAccounted(self, job):
        rows = job.row_ids
        self.assertEqual(job.state, "done")
        self.assertEqual(len(rows), job.rows_total, "one log row per input row")
        self.assertEqual(len(set(rows.mapped("row_number"))), job.rows_total, "each input row once")
        self.assertEqual(
            job.created_count + job.updated_count + job.skipped_count + job.rejected_count, job.rows_total)
        for decision in ("created", "updated", "skipped", "rejected"):
            self.assertEqual(len(rows.filtered(lambda r, d=decision: r.decision == d)), job[f"{decision}_count"])
        self.assertFalse(rows.filtered(lambda r: r.decision == "rejected" and not r.reason),
                         "a rejected row says why")
        self.assertFalse(rows.filtered(lambda r: r.decision == "skipped" and not (r.duplicate_of_id or r.reason)),
                         "a skipped row says of which card it is a duplicate")
