import base64
import io
from unittest.mock import patch

from odoo.addons.crm_core.models.res_partner import ResPartner as CoreResPartner
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common_import import CustomerImportCase


@tagged("post_install", "-at_install")
class TestCustomerImportPolicies(CustomerImportCase):
    """Duplicate policies, rejected rows, isolation of failing rows, background job, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = cls.env["res.partner"].create({
            "name": "Иванов Иван", "email": "ivanov@policy-test.example", "city": "Москва",
            "function": "Менеджер",
        })
        cls.row = ["ИВАНОВ  ИВАН", "", "", "", "Директор", "8 912 111 22 33", "IVANOV@policy-test.example", "Москва"]

    def import_row(self, policy):
        return self.import_file(self.make_csv([self.row]), "one.csv", duplicate_policy=policy)

    def test_policy_skip(self):
        job = self.import_row("skip")
        self.assertEqual(job.row_ids.decision, "skipped")
        self.assertEqual(job.row_ids.duplicate_of_id, self.existing)
        self.assertEqual(job.row_ids.match_reason, "email")
        self.assertFalse(self.existing.phone)
        self.assertEqual(self.existing.function, "Менеджер")

    def test_policy_fill_empty_fields_only(self):
        job = self.import_row("fill")
        self.assertEqual(job.row_ids.decision, "updated")
        self.assertEqual(job.row_ids.partner_id, self.existing)
        self.assertEqual(self.existing.phone, "+79121112233", "an empty field is filled")
        self.assertEqual(self.existing.function, "Менеджер", "a filled field is kept")

    def test_policy_overwrite(self):
        job = self.import_row("overwrite")
        self.assertEqual(job.updated_count, 1)
        self.assertEqual(self.existing.function, "Директор")
        self.assertEqual(self.existing.phone, "+79121112233")
        self.assertEqual(self.existing.name, "Иванов Иван", "the name of the card is not rewritten")
        again = self.import_row("overwrite")
        self.assertEqual(again.row_ids.decision, "skipped", "nothing new: the second import changes nothing")

    def test_policy_create_anyway(self):
        job = self.import_row("create")
        self.assertEqual(job.row_ids.decision, "created")
        self.assertEqual(job.row_ids.duplicate_of_id, self.existing)
        self.assertNotEqual(job.row_ids.partner_id, self.existing)
        self.assertEqual(job.row_ids.partner_id.name, "ИВАНОВ ИВАН", "double spaces removed")

    def test_duplicates_inside_the_file_by_phone_and_name(self):
        rows = [
            ["Петров Пётр", "", "", "", "", "+7 (912) 765-43-21", "", "Казань"],
            ["ПЕТРОВ ПЕТР", "", "", "", "", "89127654321", "", "Казань"],
            ["Петрова Анна", "", "", "", "", "89127654321", "", "Казань"],
        ]
        job = self.import_file(self.make_csv(rows), "phones.csv")
        self.assertEveryRowAccounted(job)
        second = job.row_ids.filtered(lambda r: r.row_number == 3)
        self.assertEqual(second.decision, "skipped")
        self.assertEqual(second.duplicate_row, 2)
        self.assertIn(second.match_reason, ("phone", "name"))
        anna = job.row_ids.filtered(lambda r: r.row_number == 4)
        self.assertEqual(anna.decision, "created", "a shared office phone does not merge two people")

    def test_organisation_found_by_inn_then_name(self):
        sber = self.env["res.partner"].create({"name": "ПАО Сбербанк", "is_company": True, "vat": "7707083893"})
        rows = [
            ["Смирнов Сергей", "Сбер", "7707083893", "773601001", "Снабженец", "", "smirnov@sber.example", "Москва"],
            ["Кузнецова Мария", "ООО «Новая»", "", "", "", "", "k@new.example", "Тула"],
            ["Попова Ольга", "Новая ООО", "", "", "", "", "p@new.example", "Тула"],
        ]
        job = self.import_file(self.make_csv(rows), "orgs.csv")
        people = job.row_ids.sorted("row_number").partner_id
        self.assertEqual(people[0].parent_id, sber, "found by INN whatever its name")
        self.assertEqual(people[0].function, "Снабженец")
        self.assertEqual(people[1].parent_id, people[2].parent_id, "found by normalized name")

    def test_rejected_rows_and_their_file(self):
        rows = [
            ["", "", "", "", "", "89121234567", "", "Москва"],
            ["Орлов Дмитрий", "", "", "", "", "", "orlov@@bad", "Москва"],
            ["Сидоров Пётр", "", "", "", "", "", "sidorov@ok.example", "Москва"],
        ]
        job = self.import_file(self.make_csv(rows), "rejects.csv")
        self.assertEveryRowAccounted(job)
        self.assertEqual((job.created_count, job.rejected_count), (1, 2))
        action = job.action_download_rejected()
        self.assertIn("rejected_file", action["url"])
        import openpyxl

        content = base64.b64decode(job.with_context(bin_size=False).rejected_file)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(values[0][-2:], ("Row", "Reason"))
        self.assertEqual(len(values), 3)
        self.assertEqual(values[2][6], "orlov@@bad", "original values are kept")
        self.assertIn("Invalid email", values[2][-1])

    def test_strict_identifiers_reject_bad_inn(self):
        rows = [["Смирнов Сергей", "ООО «Вектор»", "7810296480", "", "", "", "s@vector.example", "СПб"]]
        lenient = self.import_file(self.make_csv(rows), "inn.csv")
        self.assertEqual(lenient.row_ids.decision, "created")
        self.assertIn("INN", lenient.row_ids.reason)
        self.assertFalse(lenient.row_ids.partner_id.parent_id.vat, "an INN failing its checksum is not stored")
        rows[0][6] = "s2@vector.example"
        strict = self.import_file(self.make_csv(rows), "inn.csv", strict_identifiers=True)
        self.assertEqual(strict.row_ids.decision, "rejected")

    def test_a_failing_row_does_not_roll_back_the_others(self):
        original_create = CoreResPartner.create

        def create(model, vals_list):
            if any(vals.get("name") == "Сбойный Контакт" for vals in vals_list):
                raise ValidationError(model.env._("simulated failure"))
            return original_create(model, vals_list)

        rows = [
            ["Первый Контакт", "", "", "", "", "", "one@example.com", "Москва"],
            ["Сбойный Контакт", "", "", "", "", "", "two@example.com", "Москва"],
            ["Третий Контакт", "", "", "", "", "", "three@example.com", "Москва"],
        ]
        with patch.object(CoreResPartner, "create", create):
            job = self.import_file(self.make_csv(rows), "failing.csv")
        self.assertEveryRowAccounted(job)
        self.assertEqual((job.created_count, job.rejected_count), (2, 1))
        failed = job.row_ids.filtered(lambda r: r.decision == "rejected")
        self.assertEqual(failed.row_number, 3)
        self.assertIn("simulated failure", failed.reason)
        self.assertEqual(len(job.row_ids.partner_id), 2)

    def test_edited_mapping_is_used(self):
        job = self.new_job(self.make_csv([self.row[:5] + ["", "new@example.com", "Тула"]]), "map.csv")
        job.column_ids.filtered(lambda c: c.target == "email").target = False
        job.action_import()
        self.assertFalse(job.row_ids.partner_id.email)
        self.assertEqual(job.row_ids.partner_id.city, "Тула")

    def test_background_job_in_chunks_resumes_without_double_work(self):
        rows = [[f"Клиент Номер{i}", "", "", "", "", "", f"client{i}@bulk.example", "Омск"] for i in range(120)]
        job = self.new_job(self.make_csv(rows), "bulk.csv")
        job.action_queue()
        self.assertEqual(job.state, "queued")
        job._run(commit_progress=lambda processed, remaining: False, chunk_size=50)
        self.assertEqual((job.state, job.rows_done), ("running", 50))
        self.assertAlmostEqual(job.progress, 100 * 50 / 120)
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=100.0):
            self.env["crm.import.job"]._cron_process_import_jobs()
        self.assertEveryRowAccounted(job)
        self.assertEqual(job.created_count, 120)

    def test_access_own_imports_managers_all(self):
        job = self.import_row("skip")
        with self.assertRaises(AccessError):
            job.with_user(self.operator_2).read(["name"])
        with self.assertRaises(AccessError):
            job.row_ids.with_user(self.operator_2).read(["name"])
        self.assertEqual(job.with_user(self.manager).row_ids.decision, "skipped")
        with self.assertRaises(AccessError):
            self.env["crm.import.job"].with_user(self.salesman).create({"filename": "x.csv", "file": b"eA=="})
